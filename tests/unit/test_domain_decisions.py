"""Every lifecycle decision of ``Custom::CognitoUserPoolDomain``, against Cognito in memory.

Each table row is one path through ``resources.domain``: the domains that exist
before, the CloudFormation request, then what CloudFormation was told and what
exists in Cognito after (and which writes made it so, in order). ``drive`` plays
the part of the lifecycle driver and of time: while the outcome is pending it
polls once with nothing changed in Cognito (which must neither act nor answer),
then lets Cognito finish what it was doing (``settle``, ``release``) and polls again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pytest

from aws.certificates import CertificateDescription
from aws.errors import CognitoError, DomainTaken
from aws.operations import Operations
from aws.records import ResourceOwner
from resources import domain
from resources.domain_steps import GONE, RELEASE, SETTLE, DomainStep
from resources.lifecycle import FAILED_CREATE_MARKER, LifecycleRequest, Outcome, ResourceFailure
from tests.support.fake_ops import InMemoryCognito

POOL = "us-east-1_NotesPool"
OTHER_POOL = "us-east-1_OtherPool"
OTHER_STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/other/1"
LITE_POOL = "us-east-1_LitePool"
FOREIGN_POOL = "us-east-1_SomeoneElse"  # another AWS account's
SERVICE_TOKEN = "arn:aws:lambda:us-east-1:123456789012:function:cognito-resources"
MAX_POLLS = 20


def arn(name: str) -> str:
    return f"arn:aws:acm:us-east-1:123456789012:certificate/{name}"


AUTH_CERT = arn("auth-example-com")
LOGIN_CERT = arn("login-example-com")
WILDCARD_CERT = arn("wildcard-example-com")
NET_CERT = arn("auth-example-net")
PENDING_CERT = arn("pending")
EXPIRED_CERT = arn("expired")
OTHER_NAME_CERT = arn("www-example-com")
MISSING_CERT = arn("missing")

CERTIFICATES = (
    CertificateDescription(AUTH_CERT, "ISSUED", ("auth.example.com",), datetime(2099, 1, 1, tzinfo=UTC)),
    CertificateDescription(LOGIN_CERT, "ISSUED", ("login.example.com",), None),
    CertificateDescription(WILDCARD_CERT, "ISSUED", ("*.example.com",), None),
    CertificateDescription(NET_CERT, "ISSUED", ("auth.example.net",), None),
    CertificateDescription(PENDING_CERT, "PENDING_VALIDATION", ("auth.example.com",), None),
    CertificateDescription(EXPIRED_CERT, "ISSUED", ("auth.example.com",), datetime(2020, 1, 1, tzinfo=UTC)),
    CertificateDescription(OTHER_NAME_CERT, "ISSUED", ("www.example.com",), None),
)
# Parent domains with a DNS A record; example.net has none.
RESOLVABLE = ("example.com", "auth.example.com")

Write = tuple[str, str, str]  # (create | update | delete, domain, user pool)
Existing = tuple[str, str, str, str | None]  # (domain, user pool, status, certificate)


# --- CloudFormation's requests, with properties as it sends them (all strings) ---


def props(name: str, pool: str = POOL, certificate: str | None = None, version: str | None = None) -> dict[str, str]:
    raw = {"ServiceToken": SERVICE_TOKEN, "UserPoolId": pool, "Domain": name}
    if certificate is not None:
        raw["CertificateArn"] = certificate
    if version is not None:
        raw["ManagedLoginVersion"] = version
    return raw


def create(raw: dict[str, str]) -> LifecycleRequest:
    return LifecycleRequest("Create", physical_id="", properties=raw)


def update(physical_id: str, raw: dict[str, str], old: Any) -> LifecycleRequest:
    return LifecycleRequest("Update", physical_id=physical_id, properties=raw, old_properties=old)


def delete(physical_id: str, raw: Any) -> LifecycleRequest:
    return LifecycleRequest("Delete", physical_id=physical_id, properties=raw)


def exists(name: str, pool: str = POOL, status: str = "ACTIVE", certificate: str | None = None) -> Existing:
    return (name, pool, status, certificate)


# --- the driver's part, and time's ---------------------------------------------

START: Mapping[str, Callable[[LifecycleRequest, Operations], Outcome]] = {
    "Create": domain.create,
    "Update": domain.update,
    "Delete": domain.delete,
}


def nothing(cognito: InMemoryCognito) -> None:
    """No event from outside the stack."""


def drive(
    cognito: InMemoryCognito, request: LifecycleRequest, between: Callable[[InMemoryCognito], None] = nothing
) -> Outcome:
    """Start ``request`` and poll it to its answer; ``ResourceFailure`` is the failed answer."""
    outcome = START[request.request_type](request, cognito.operations)
    for _ in range(MAX_POLLS):
        if not outcome.pending:
            return outcome
        attempts = len(cognito.write_attempts)
        outcome = domain.is_complete(request.continuing(outcome), cognito.operations)
        assert outcome.pending, "answered by a poll that saw nothing change in Cognito"
        assert len(cognito.write_attempts) == attempts, "a poll that saw nothing change wrote"
        cognito.settle()
        cognito.release()
        between(cognito)
        outcome = domain.is_complete(request.continuing(outcome), cognito.operations)
    raise AssertionError(f"still pending after {MAX_POLLS} polls: {outcome}")


def cognito_with(existing: Iterable[Existing] = ()) -> InMemoryCognito:
    cognito = InMemoryCognito(feature_plans={LITE_POOL: "LITE"}, certificates=CERTIFICATES, resolvable=RESOLVABLE)
    for name, pool, status, certificate in existing:
        cognito.add_domain(name, pool, status, certificate)
    return cognito


def summary(call: tuple[str, tuple[Any, ...]]) -> Write:
    operation, args = call
    return (operation.removesuffix("_domain"), args[1], args[0])


@dataclass(frozen=True)
class Case:
    """One lifecycle path: before, request, answer, after."""

    id: str
    request: LifecycleRequest
    then: Mapping[str, tuple[str, str]]
    writes: tuple[Write, ...] = ()
    physical_id: str | None = None
    data: Mapping[str, str] = field(default_factory=dict)
    failure: tuple[str, ...] = ()
    existing: tuple[Existing, ...] = ()
    # Writes tried, accepted or refused; ``None``: exactly ``writes``.
    attempts: tuple[Write, ...] | None = None
    prepare: Callable[[InMemoryCognito], None] = nothing
    between: Callable[[InMemoryCognito], None] = nothing


def table(cases: Iterable[Case]) -> list[Any]:
    return [pytest.param(case, id=case.id) for case in cases]


def check(case: Case) -> None:
    cognito = cognito_with(case.existing)
    case.prepare(cognito)
    if case.failure:
        with pytest.raises(ResourceFailure) as refusal:
            drive(cognito, case.request, case.between)
        for part in case.failure:
            assert part in str(refusal.value)
    else:
        outcome = drive(cognito, case.request, case.between)
        assert outcome.physical_id == case.physical_id
        assert {key: outcome.data.get(key) for key in case.data} == dict(case.data)
        if case.request.request_type != "Delete":
            assert outcome.data["Domain"] == case.physical_id
    assert cognito.state() == dict(case.then)
    assert [summary(call) for call in cognito.writes] == list(case.writes)
    expected_attempts = case.writes if case.attempts is None else case.attempts
    assert [summary(call) for call in cognito.write_attempts] == list(expected_attempts)


# --- Create ---------------------------------------------------------------------

CREATE_CASES = [
    Case(
        "prefix-created-answered-once-active",
        create(props("notes-auth")),
        physical_id="notes-auth",
        data={
            "UserPoolId": POOL,
            "DomainType": "prefix",
            "ManagedLoginVersion": "1",
            "BaseUrl": "https://notes-auth.auth.us-east-1.amazoncognito.com",
            "TokenUrl": "https://notes-auth.auth.us-east-1.amazoncognito.com/oauth2/token",
        },
        writes=(("create", "notes-auth", POOL),),
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "managed-login-version-2-on-essentials",
        create(props("notes-auth", version="2")),
        physical_id="notes-auth",
        data={"ManagedLoginVersion": "2"},
        writes=(("create", "notes-auth", POOL),),
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "custom-domain-passes-preflight",
        create(props("auth.example.com", certificate=AUTH_CERT)),
        physical_id="auth.example.com",
        data={"DomainType": "custom", "BaseUrl": "https://auth.example.com"},
        writes=(("create", "auth.example.com", POOL),),
        then={"auth.example.com": (POOL, "ACTIVE")},
    ),
    Case(
        "custom-domain-with-wildcard-one-level-up",
        create(props("auth.example.com", certificate=WILDCARD_CERT)),
        physical_id="auth.example.com",
        writes=(("create", "auth.example.com", POOL),),
        then={"auth.example.com": (POOL, "ACTIVE")},
    ),
    Case(
        "name-still-deleting-is-waited-for-then-created",
        create(props("notes-auth")),
        existing=(exists("notes-auth", OTHER_POOL, "DELETING"),),
        physical_id="notes-auth",
        writes=(("create", "notes-auth", POOL),),
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "lost-answer-to-a-create-that-worked-is-success",
        create(props("notes-auth")),
        prepare=lambda cognito: cognito.lose_answer("create_domain"),
        physical_id="notes-auth",
        writes=(("create", "notes-auth", POOL),),
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "lost-answer-to-a-custom-domain-create-is-success",
        create(props("auth.example.com", certificate=AUTH_CERT)),
        prepare=lambda cognito: cognito.lose_answer("create_domain"),
        physical_id="auth.example.com",
        writes=(("create", "auth.example.com", POOL),),
        then={"auth.example.com": (POOL, "ACTIVE")},
    ),
    Case(
        "name-of-another-pool-refused-before-any-write",
        create(props("notes-app")),
        existing=(exists("notes-app", OTHER_POOL),),
        failure=("Domain 'notes-app' is already used by another user pool",),
        then={"notes-app": (OTHER_POOL, "ACTIVE")},
    ),
    Case(
        "name-another-pool-is-still-creating-refused",
        create(props("notes-app")),
        existing=(exists("notes-app", OTHER_POOL, "CREATING"),),
        failure=("already used by another user pool",),
        then={"notes-app": (OTHER_POOL, "CREATING")},
    ),
    Case(
        "domain-already-in-this-pool-is-never-adopted",
        create(props("notes-auth")),
        existing=(exists("notes-auth"),),
        failure=(f"Domain 'notes-auth' already exists in user pool {POOL}", "did not create it"),
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "pool-prefix-slot-held-by-an-unmanaged-domain",
        create(props("notes-new")),
        existing=(exists("notes-old"),),
        failure=(f"User pool {POOL} already has a prefix domain that this resource does not manage",),
        attempts=(("create", "notes-new", POOL),),
        then={"notes-old": (POOL, "ACTIVE")},
    ),
    Case(
        "custom-domain-ending-failed-is-deleted-and-fails",
        create(props("auth.example.com", certificate=AUTH_CERT)),
        prepare=lambda cognito: cognito.fail_when_settled.add("auth.example.com"),
        failure=("Cognito reports domain 'auth.example.com' as FAILED",),
        writes=(("create", "auth.example.com", POOL), ("delete", "auth.example.com", POOL)),
        # The answer waits until Cognito has released it, so a rollback can delete the pool next.
        then={},
    ),
]


@pytest.mark.parametrize("case", table(CREATE_CASES))
def test_create(case: Case) -> None:
    check(case)


def test_create_when_the_pools_slot_is_only_still_deleting_does_not_blame_another_pool() -> None:
    """The pool's previous prefix is DELETING: Cognito answers "Domain already exists." for the new name.

    The name itself is free, so the reason must not send the user to choose another name.
    """
    cognito = cognito_with([exists("notes-old", POOL, "DELETING")])

    with pytest.raises(ResourceFailure) as refusal:
        domain.create(create(props("notes-new")), cognito.operations)

    assert "another user pool" not in str(refusal.value)
    assert "being deleted" in str(refusal.value)
    assert cognito.writes == []
    assert cognito.state() == {"notes-old": (POOL, "DELETING")}


# --- Preflight: what Cognito would refuse, refused before any write ---------------

PREFLIGHT_CASES = [
    Case(
        "apex-custom-domain",
        create(props("example.com", certificate=WILDCARD_CERT)),
        failure=("Domain 'example.com' is an apex domain", "auth.example.com"),
        then={},
    ),
    Case(
        "parent-domain-does-not-resolve",
        create(props("auth.example.net", certificate=NET_CERT)),
        failure=("The parent domain 'example.net' of 'auth.example.net' has no DNS A record",),
        then={},
    ),
    Case(
        "certificate-missing",
        create(props("auth.example.com", certificate=MISSING_CERT)),
        failure=(f"CertificateArn {MISSING_CERT} does not exist in ACM in us-east-1",),
        then={},
    ),
    Case(
        "certificate-not-issued",
        create(props("auth.example.com", certificate=PENDING_CERT)),
        failure=(f"Certificate {PENDING_CERT} is PENDING_VALIDATION, not ISSUED",),
        then={},
    ),
    Case(
        "certificate-expired",
        create(props("auth.example.com", certificate=EXPIRED_CERT)),
        failure=(f"Certificate {EXPIRED_CERT} expired on 2020-01-01",),
        then={},
    ),
    Case(
        "certificate-for-another-name",
        create(props("auth.example.com", certificate=OTHER_NAME_CERT)),
        failure=(f"Certificate {OTHER_NAME_CERT} covers www.example.com, not 'auth.example.com'",),
        then={},
    ),
    Case(
        "wildcard-does-not-cover-two-levels-down",
        create(props("login.auth.example.com", certificate=WILDCARD_CERT)),
        failure=(f"Certificate {WILDCARD_CERT} covers *.example.com, not 'login.auth.example.com'",),
        then={},
    ),
    Case(
        "managed-login-version-2-on-lite-pool",
        create(props("notes-auth", LITE_POOL, version="2")),
        failure=("ManagedLoginVersion 2 (managed login) needs the Essentials or Plus feature plan", LITE_POOL),
        then={},
    ),
    Case(
        "in-place-version-2-on-lite-pool",
        update("notes-auth", props("notes-auth", LITE_POOL, version="2"), props("notes-auth", LITE_POOL)),
        existing=(exists("notes-auth", LITE_POOL),),
        failure=("needs the Essentials or Plus feature plan",),
        then={"notes-auth": (LITE_POOL, "ACTIVE")},
    ),
    Case(
        "replacement-with-a-missing-certificate-keeps-the-old-domain",
        update(
            "auth.example.com",
            props("login.example.com", certificate=MISSING_CERT),
            props("auth.example.com", certificate=AUTH_CERT),
        ),
        existing=(exists("auth.example.com", certificate=AUTH_CERT),),
        failure=(f"CertificateArn {MISSING_CERT} does not exist",),
        then={"auth.example.com": (POOL, "ACTIVE")},
    ),
    Case(
        "replacement-name-moving-to-a-lite-pool-keeps-the-old-domain",
        update("notes-auth", props("notes-auth", LITE_POOL, version="2"), props("notes-auth", version="2")),
        existing=(exists("notes-auth"),),
        failure=("needs the Essentials or Plus feature plan",),
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
]


@pytest.mark.parametrize("case", table(PREFLIGHT_CASES))
def test_refused_before_any_write(case: Case) -> None:
    check(case)


def test_preflight_reports_every_certificate_problem_at_once() -> None:
    cognito = cognito_with()
    cognito.certificates[MISSING_CERT] = CertificateDescription(
        MISSING_CERT, "REVOKED", ("www.example.com",), datetime(2021, 6, 1, tzinfo=UTC)
    )

    with pytest.raises(ResourceFailure) as refusal:
        domain.create(create(props("auth.example.com", certificate=MISSING_CERT)), cognito.operations)

    assert "is REVOKED, not ISSUED" in str(refusal.value)
    assert "expired on 2021-06-01" in str(refusal.value)
    assert "not 'auth.example.com'" in str(refusal.value)
    assert cognito.write_attempts == []


# --- Update of the same domain, in place -------------------------------------------

IN_PLACE_CASES = [
    Case(
        "no-change-writes-nothing",
        update("notes-auth", props("notes-auth"), props("notes-auth")),
        existing=(exists("notes-auth"),),
        physical_id="notes-auth",
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "managed-login-version-changed-in-place",
        update("notes-auth", props("notes-auth", version="2"), props("notes-auth")),
        existing=(exists("notes-auth"),),
        physical_id="notes-auth",
        data={"ManagedLoginVersion": "2"},
        writes=(("update", "notes-auth", POOL),),
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "certificate-changed-in-place",
        update(
            "auth.example.com",
            props("auth.example.com", certificate=WILDCARD_CERT),
            props("auth.example.com", certificate=AUTH_CERT),
        ),
        existing=(exists("auth.example.com", certificate=AUTH_CERT),),
        physical_id="auth.example.com",
        writes=(("update", "auth.example.com", POOL),),
        then={"auth.example.com": (POOL, "ACTIVE")},
    ),
    Case(
        "deleted-outside-cloudformation-created-again",
        update("notes-auth", props("notes-auth"), props("notes-auth")),
        physical_id="notes-auth",
        writes=(("create", "notes-auth", POOL),),
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "deleted-outside-and-still-deleting-waited-for-then-created",
        update("notes-auth", props("notes-auth"), props("notes-auth")),
        existing=(exists("notes-auth", status="DELETING"),),
        physical_id="notes-auth",
        writes=(("create", "notes-auth", POOL),),
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "deleted-outside-and-taken-by-another-pool",
        update("notes-auth", props("notes-auth"), props("notes-auth")),
        existing=(exists("notes-auth", OTHER_POOL),),
        failure=("Domain 'notes-auth' is already used by another user pool",),
        then={"notes-auth": (OTHER_POOL, "ACTIVE")},
    ),
    Case(
        "old-properties-unreadable-same-domain-made-to-match",
        update("notes-auth", props("notes-auth", version="2"), {"Domain": 7}),
        existing=(exists("notes-auth"),),
        physical_id="notes-auth",
        writes=(("update", "notes-auth", POOL),),
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
]


@pytest.mark.parametrize("case", table(IN_PLACE_CASES))
def test_update_in_place(case: Case) -> None:
    check(case)


# --- Update to another domain or pool: replacement ---------------------------------

REPLACEMENT_CASES = [
    Case(
        "prefix-to-prefix-same-pool-old-released-before-new-created",
        update("notes-old", props("notes-new"), props("notes-old")),
        existing=(exists("notes-old"),),
        physical_id="notes-new",
        writes=(("delete", "notes-old", POOL), ("create", "notes-new", POOL)),
        then={"notes-new": (POOL, "ACTIVE")},
    ),
    Case(
        "lost-answer-to-the-create-after-release-is-success",
        update("notes-old", props("notes-new"), props("notes-old")),
        existing=(exists("notes-old"),),
        prepare=lambda cognito: cognito.lose_answer("create_domain"),
        physical_id="notes-new",
        writes=(("delete", "notes-old", POOL), ("create", "notes-new", POOL)),
        then={"notes-new": (POOL, "ACTIVE")},
    ),
    Case(
        "prefix-to-custom-new-created-beside-old-untouched",
        update("notes-auth", props("auth.example.com", certificate=AUTH_CERT), props("notes-auth")),
        existing=(exists("notes-auth"),),
        physical_id="auth.example.com",
        data={"DomainType": "custom"},
        writes=(("create", "auth.example.com", POOL),),
        then={"auth.example.com": (POOL, "ACTIVE"), "notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "custom-to-custom-same-pool-old-released-before-new-created",
        update(
            "auth.example.com",
            props("login.example.com", certificate=LOGIN_CERT),
            props("auth.example.com", certificate=AUTH_CERT),
        ),
        existing=(exists("auth.example.com", certificate=AUTH_CERT),),
        physical_id="login.example.com",
        writes=(("delete", "auth.example.com", POOL), ("create", "login.example.com", POOL)),
        then={"login.example.com": (POOL, "ACTIVE")},
    ),
    Case(
        "same-name-moving-to-another-pool",
        update("notes-auth", props("notes-auth", OTHER_POOL), props("notes-auth")),
        existing=(exists("notes-auth"),),
        physical_id="notes-auth",
        data={"UserPoolId": OTHER_POOL},
        writes=(("delete", "notes-auth", POOL), ("create", "notes-auth", OTHER_POOL)),
        then={"notes-auth": (OTHER_POOL, "ACTIVE")},
    ),
    Case(
        "new-prefix-in-another-pool-created-beside-old",
        update("notes-a", props("notes-b", OTHER_POOL), props("notes-a")),
        existing=(exists("notes-a"),),
        physical_id="notes-b",
        writes=(("create", "notes-b", OTHER_POOL),),
        then={"notes-a": (POOL, "ACTIVE"), "notes-b": (OTHER_POOL, "ACTIVE")},
    ),
    Case(
        "new-name-still-deleting-waited-for-then-created-beside-old",
        update("notes-auth", props("auth.example.com", certificate=AUTH_CERT), props("notes-auth")),
        existing=(exists("notes-auth"), exists("auth.example.com", OTHER_POOL, "DELETING", AUTH_CERT)),
        physical_id="auth.example.com",
        writes=(("create", "auth.example.com", POOL),),
        then={"auth.example.com": (POOL, "ACTIVE"), "notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "rollback-of-a-replacement-that-worked-keeps-the-old-domain",
        # Forward: notes-auth → auth.example.com (beside it) worked; another resource failed.
        update("auth.example.com", props("notes-auth"), props("auth.example.com", certificate=AUTH_CERT)),
        existing=(exists("notes-auth"), exists("auth.example.com", certificate=AUTH_CERT)),
        # This resource made notes-auth: its record says so (aws/records.py, domain records).
        prepare=lambda cognito: cognito.domain_owners.update({(POOL, "notes-auth"): ResourceOwner("", "")}),
        physical_id="notes-auth",
        then={"auth.example.com": (POOL, "ACTIVE"), "notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "update-to-a-domain-of-the-pool-this-resource-did-not-make-is-refused",
        # Someone else's custom domain in the same pool: never taken over (nor, later, deleted).
        update("notes-auth", props("auth.example.com", certificate=AUTH_CERT), props("notes-auth")),
        existing=(exists("notes-auth"), exists("auth.example.com", certificate=AUTH_CERT)),
        failure=("Domain 'auth.example.com' already exists in user pool", "did not create it"),
        then={"auth.example.com": (POOL, "ACTIVE"), "notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "new-name-held-by-another-pool-refused-before-any-write",
        update("notes-old", props("notes-app"), props("notes-old")),
        existing=(exists("notes-old"), exists("notes-app", OTHER_POOL)),
        failure=("Domain 'notes-app' is already used by another user pool",),
        then={"notes-app": (OTHER_POOL, "ACTIVE"), "notes-old": (POOL, "ACTIVE")},
    ),
    Case(
        "new-name-with-unreadable-old-properties-refused",
        update("notes-old", props("notes-new"), "not an object"),
        existing=(exists("notes-old"),),
        failure=("Cannot move domain 'notes-old' to 'notes-new'", "previous properties cannot be read"),
        then={"notes-old": (POOL, "ACTIVE")},
    ),
]


@pytest.mark.parametrize("case", table(REPLACEMENT_CASES))
def test_update_replacement(case: Case) -> None:
    check(case)


def test_blocking_replacement_creates_nothing_while_the_old_domain_is_deleting() -> None:
    cognito = cognito_with([exists("notes-old")])
    request = update("notes-old", props("notes-new"), props("notes-old"))

    outcome = domain.update(request, cognito.operations)
    for _ in range(3):  # Cognito takes its time to release the name
        assert outcome.pending
        assert cognito.state() == {"notes-old": (POOL, "DELETING")}
        outcome = domain.is_complete(request.continuing(outcome), cognito.operations)
    assert [summary(call) for call in cognito.write_attempts] == [("delete", "notes-old", POOL)]

    cognito.release()
    outcome = domain.is_complete(request.continuing(outcome), cognito.operations)

    assert outcome.pending, "answered while the new domain is CREATING"
    assert cognito.state() == {"notes-new": (POOL, "CREATING")}
    cognito.settle()
    outcome = domain.is_complete(request.continuing(outcome), cognito.operations)
    assert not outcome.pending
    assert outcome.physical_id == "notes-new"
    assert cognito.state() == {"notes-new": (POOL, "ACTIVE")}


def test_blocking_replacement_to_a_name_still_deleting_waits_for_both_domains() -> None:
    """Prefix notes-old → notes-new in the same pool, while notes-new is still DELETING elsewhere.

    ``update`` lets a DELETING holder through (it is waited for, like on Create),
    so the old domain must not be deleted only to be put back because the new
    name was not free yet when the old one had gone.
    """
    cognito = cognito_with([exists("notes-old"), exists("notes-new", FOREIGN_POOL, "DELETING")])
    request = update("notes-old", props("notes-new"), props("notes-old"))
    outcome = domain.update(request, cognito.operations)

    cognito.release("notes-old")  # the old one is gone first; notes-new is still DELETING
    outcome = domain.is_complete(request.continuing(outcome), cognito.operations)

    assert outcome.pending
    assert [summary(call) for call in cognito.write_attempts] == [("delete", "notes-old", POOL)]
    cognito.release("notes-new")
    outcome = drive_on(cognito, request, outcome)
    assert outcome.physical_id == "notes-new"
    assert cognito.state() == {"notes-new": (POOL, "ACTIVE")}
    assert [summary(call) for call in cognito.writes] == [("delete", "notes-old", POOL), ("create", "notes-new", POOL)]


def drive_on(cognito: InMemoryCognito, request: LifecycleRequest, outcome: Outcome) -> Outcome:
    for _ in range(MAX_POLLS):
        if not outcome.pending:
            return outcome
        outcome = domain.is_complete(request.continuing(outcome), cognito.operations)
        cognito.settle()
        cognito.release()
    raise AssertionError(f"still pending after {MAX_POLLS} polls: {outcome}")


# --- Replacement that fails: the old domain is put back ---------------------------


def claimed_by_another_pool(name: str) -> Callable[[InMemoryCognito], None]:
    """Another account takes ``name`` while this stack waits for its old domain to go."""

    def claim(cognito: InMemoryCognito) -> None:
        if name not in cognito.domains:
            cognito.add_domain(name, FOREIGN_POOL)

    return claim


def intruder_once_old_released(cognito: InMemoryCognito) -> None:
    """Someone creates a prefix in the pool the moment its slot is free."""
    if "notes-old" not in cognito.domains and "intruder" not in cognito.domains:
        cognito.add_domain("intruder", POOL)


FAILED_REPLACEMENT_CASES = [
    Case(
        "new-name-grabbed-during-the-wait-old-restored",
        update("notes-old", props("notes-new"), props("notes-old")),
        existing=(exists("notes-old"),),
        between=claimed_by_another_pool("notes-new"),
        failure=(
            "Domain 'notes-new' is already used by another user pool",
            "The previous domain 'notes-old' was put back and is ACTIVE",
        ),
        writes=(("delete", "notes-old", POOL), ("create", "notes-old", POOL)),
        attempts=(("delete", "notes-old", POOL), ("create", "notes-new", POOL), ("create", "notes-old", POOL)),
        then={"notes-new": (FOREIGN_POOL, "ACTIVE"), "notes-old": (POOL, "ACTIVE")},
    ),
    Case(
        "new-create-refused-by-cognito-old-restored",
        update("notes-old", props("notes-new"), props("notes-old")),
        existing=(exists("notes-old"),),
        prepare=lambda cognito: cognito.fail_next(
            "create_domain",
            DomainTaken(
                "InvalidParameterException",
                "Domain already associated with another user pool.",
                "CreateUserPoolDomain",
            ),
        ),
        failure=("'notes-new' is already used by another user pool", "'notes-old' was put back and is ACTIVE"),
        writes=(("delete", "notes-old", POOL), ("create", "notes-old", POOL)),
        attempts=(("delete", "notes-old", POOL), ("create", "notes-new", POOL), ("create", "notes-old", POOL)),
        then={"notes-old": (POOL, "ACTIVE")},
    ),
    Case(
        "same-name-moving-pools-grabbed-during-the-wait-restore-fails-too",
        update("notes-auth", props("notes-auth", OTHER_POOL), props("notes-auth")),
        existing=(exists("notes-auth"),),
        between=claimed_by_another_pool("notes-auth"),
        failure=(
            "Putting the previous domain 'notes-auth' back failed too",
            f"user pool {POOL} has no such domain now",
        ),
        writes=(("delete", "notes-auth", POOL),),
        attempts=(
            ("delete", "notes-auth", POOL),
            ("create", "notes-auth", OTHER_POOL),
            ("create", "notes-auth", POOL),
        ),
        then={"notes-auth": (FOREIGN_POOL, "ACTIVE")},
    ),
    Case(
        "pool-slot-taken-during-the-wait-restore-fails-too",
        update("notes-old", props("notes-new"), props("notes-old")),
        existing=(exists("notes-old"),),
        between=intruder_once_old_released,
        failure=(
            f"User pool {POOL} already has a prefix domain that this resource does not manage",
            "Putting the previous domain 'notes-old' back failed too",
            f"user pool {POOL} has no such domain now",
        ),
        writes=(("delete", "notes-old", POOL),),
        attempts=(("delete", "notes-old", POOL), ("create", "notes-new", POOL), ("create", "notes-old", POOL)),
        then={"intruder": (POOL, "ACTIVE")},
    ),
    Case(
        "new-custom-domain-ends-failed-deleted-and-old-restored",
        update(
            "auth.example.com",
            props("login.example.com", certificate=LOGIN_CERT),
            props("auth.example.com", certificate=AUTH_CERT),
        ),
        existing=(exists("auth.example.com", certificate=AUTH_CERT),),
        prepare=lambda cognito: cognito.fail_when_settled.add("login.example.com"),
        failure=(
            "Cognito reports domain 'login.example.com' as FAILED",
            "The previous domain 'auth.example.com' was put back and is ACTIVE",
        ),
        writes=(
            ("delete", "auth.example.com", POOL),
            ("create", "login.example.com", POOL),
            ("delete", "login.example.com", POOL),
            ("create", "auth.example.com", POOL),
        ),
        then={"auth.example.com": (POOL, "ACTIVE")},
    ),
    Case(
        "custom-domain-moving-pools-ends-failed-deleted-and-old-restored",
        update(
            "auth.example.com",
            props("auth.example.com", OTHER_POOL, certificate=AUTH_CERT),
            props("auth.example.com", certificate=AUTH_CERT),
        ),
        existing=(exists("auth.example.com", certificate=AUTH_CERT),),
        prepare=lambda cognito: cognito.fail_when_settled.add("auth.example.com"),
        failure=(
            "Cognito reports domain 'auth.example.com' as FAILED",
            "The previous domain 'auth.example.com' was put back and is ACTIVE",
        ),
        writes=(
            ("delete", "auth.example.com", POOL),
            ("create", "auth.example.com", OTHER_POOL),
            ("delete", "auth.example.com", OTHER_POOL),
            ("create", "auth.example.com", POOL),
        ),
        then={"auth.example.com": (POOL, "ACTIVE")},
    ),
    Case(
        "new-custom-domain-beside-old-ends-failed-old-untouched",
        update("notes-auth", props("auth.example.com", certificate=AUTH_CERT), props("notes-auth")),
        existing=(exists("notes-auth"),),
        prepare=lambda cognito: cognito.fail_when_settled.add("auth.example.com"),
        failure=("Cognito reports domain 'auth.example.com' as FAILED",),
        # What the failed attempt made is deleted, and waited for, before the Update fails.
        writes=(("create", "auth.example.com", POOL), ("delete", "auth.example.com", POOL)),
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
]


@pytest.mark.parametrize("case", table(FAILED_REPLACEMENT_CASES))
def test_failed_replacement_puts_the_old_domain_back(case: Case) -> None:
    check(case)


# --- Rollback: physical id already the wanted domain, old properties another ----------

ROLLBACK_CASES = [
    Case(
        "leftover-in-the-same-slot-deleted-then-wanted-created",
        update("notes-old", props("notes-old"), props("notes-new")),
        existing=(exists("notes-new"),),
        # The attempt recorded the domain it made (the record proves it is this resource's).
        prepare=lambda cognito: cognito.domain_owners.update({(POOL, "notes-new"): ResourceOwner("", "")}),
        physical_id="notes-old",
        writes=(("delete", "notes-new", POOL), ("create", "notes-old", POOL)),
        then={"notes-old": (POOL, "ACTIVE")},
    ),
    Case(
        "leftover-beside-deleted-wanted-kept",
        update("notes-auth", props("notes-auth"), props("auth.example.com", certificate=AUTH_CERT)),
        existing=(exists("notes-auth"), exists("auth.example.com", status="FAILED", certificate=AUTH_CERT)),
        prepare=lambda cognito: cognito.domain_owners.update({(POOL, "auth.example.com"): ResourceOwner("", "")}),
        physical_id="notes-auth",
        writes=(("delete", "auth.example.com", POOL),),
        then={"auth.example.com": (POOL, "DELETING"), "notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "nothing-left-over-wanted-kept",
        update("notes-old", props("notes-old"), props("notes-new")),
        existing=(exists("notes-old"),),
        physical_id="notes-old",
        attempts=(),
        then={"notes-old": (POOL, "ACTIVE")},
    ),
    Case(
        "attempt-refused-for-a-name-of-another-pool-leaves-it-alone",
        update("notes-old", props("notes-old"), props("notes-app")),
        existing=(exists("notes-old"), exists("notes-app", OTHER_POOL)),
        physical_id="notes-old",
        # No record of this resource for notes-app: not even a delete is attempted.
        attempts=(),
        then={"notes-app": (OTHER_POOL, "ACTIVE"), "notes-old": (POOL, "ACTIVE")},
    ),
    Case(
        "wanted-settings-restored-in-place",
        update("notes-old", props("notes-old"), props("notes-new", version="2")),
        existing=(exists("notes-old"),),
        physical_id="notes-old",
        data={"ManagedLoginVersion": "1"},
        attempts=(),
        then={"notes-old": (POOL, "ACTIVE")},
    ),
]


@pytest.mark.parametrize("case", table(ROLLBACK_CASES))
def test_rollback_update(case: Case) -> None:
    check(case)


# --- Delete -----------------------------------------------------------------------


def recorded(name: str) -> Callable[[InMemoryCognito], None]:
    """The domain's owner record names the request's resource (it made the domain)."""
    return lambda cognito: cognito.domain_owners.update({(POOL, name): ResourceOwner("", "")})


DELETE_CASES = [
    Case(
        "own-domain-answered-once-released",
        delete("notes-auth", props("notes-auth")),
        existing=(exists("notes-auth"),),
        physical_id="notes-auth",
        writes=(("delete", "notes-auth", POOL),),
        then={},
        prepare=recorded("notes-auth"),
    ),
    Case(
        "own-domain-already-deleting-waited-for",
        delete("notes-auth", props("notes-auth")),
        existing=(exists("notes-auth", status="DELETING"),),
        physical_id="notes-auth",
        writes=(("delete", "notes-auth", POOL),),
        then={},
        prepare=recorded("notes-auth"),
    ),
    Case(
        "own-custom-domain",
        delete("auth.example.com", props("auth.example.com", certificate=AUTH_CERT)),
        existing=(exists("auth.example.com", certificate=AUTH_CERT),),
        physical_id="auth.example.com",
        writes=(("delete", "auth.example.com", POOL),),
        then={},
        prepare=recorded("auth.example.com"),
    ),
    Case(
        "another-pools-domain-left-alone",
        delete("notes-app", props("notes-app")),
        existing=(exists("notes-app", OTHER_POOL),),
        physical_id="notes-app",
        attempts=(("delete", "notes-app", POOL),),
        then={"notes-app": (OTHER_POOL, "ACTIVE")},
        # Even a record of ours (a stale one) deletes nothing: DeleteUserPoolDomain names our pool.
        prepare=recorded("notes-app"),
    ),
    Case(
        "already-gone-is-success",
        delete("notes-auth", props("notes-auth")),
        physical_id="notes-auth",
        attempts=(("delete", "notes-auth", POOL),),
        then={},
        prepare=recorded("notes-auth"),
    ),
    Case(
        "no-owner-record-left-alone",
        delete("notes-auth", props("notes-auth")),
        existing=(exists("notes-auth"),),
        physical_id="notes-auth",
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "another-resources-domain-left-alone",
        delete("notes-auth", props("notes-auth")),
        existing=(exists("notes-auth"),),
        physical_id="notes-auth",
        then={"notes-auth": (POOL, "ACTIVE")},
        prepare=lambda cognito: cognito.domain_owners.update({(POOL, "notes-auth"): ResourceOwner(OTHER_STACK, "D")}),
    ),
]


@pytest.mark.parametrize("case", table(DELETE_CASES))
def test_delete(case: Case) -> None:
    check(case)


def test_delete_answers_only_once_cognito_has_released_the_domain() -> None:
    cognito = cognito_with([exists("notes-auth")])
    recorded("notes-auth")(cognito)
    request = delete("notes-auth", props("notes-auth"))

    outcome = domain.delete(request, cognito.operations)
    outcome = domain.is_complete(request.continuing(outcome), cognito.operations)

    assert outcome.pending
    assert cognito.state() == {"notes-auth": (POOL, "DELETING")}
    cognito.release()
    assert domain.is_complete(request.continuing(outcome), cognito.operations) == Outcome(physical_id="notes-auth")


@pytest.mark.parametrize(
    ("physical_id", "raw"),
    [
        pytest.param(f"{FAILED_CREATE_MARKER}abc123", props("notes-auth"), id="failed-create-marker"),
        pytest.param("not a domain", props("notes-auth"), id="physical-id-names-no-domain"),
        pytest.param("notes-auth", {"Domain": "notes-auth"}, id="no-user-pool-id-to-prove-ownership"),
        pytest.param("notes-auth", "not an object", id="properties-unreadable"),
    ],
)
def test_delete_that_names_nothing_of_ours_makes_no_call(physical_id: str, raw: Any) -> None:
    cognito = cognito_with([exists("notes-auth")])

    outcome = domain.delete(delete(physical_id, raw), cognito.operations)

    assert outcome == Outcome(physical_id=physical_id)
    assert cognito.calls == []
    assert cognito.state() == {"notes-auth": (POOL, "ACTIVE")}


# --- Faults the operations layer lets through ----------------------------------------


def test_create_that_fails_for_an_unknown_reason_fails_without_a_domain() -> None:
    cognito = cognito_with()
    cognito.fail_next("create_domain", CognitoError("InternalErrorException", "Internal error", "CreateUserPoolDomain"))

    with pytest.raises(CognitoError, match="InternalErrorException"):
        domain.create(create(props("notes-auth")), cognito.operations)

    assert cognito.state() == {}


# --- Steps handed to a later invocation --------------------------------------------

OURS = ResourceOwner("arn:aws:cloudformation:us-east-1:123456789012:stack/notes/1", "HostedUIDomain")
THEIRS = ResourceOwner("arn:aws:cloudformation:us-east-1:123456789012:stack/other/2", "HostedUIDomain")


def poll(physical_id: str, raw: dict[str, str], step: DomainStep, old: Any = None) -> LifecycleRequest:
    """A poll of a change in flight, as the driver builds it from the poll state."""
    return LifecycleRequest(
        "Create" if old is None else "Update",
        physical_id=physical_id,
        properties=raw,
        old_properties=old,
        progress=step.to_progress(),
        stack_id=OURS.stack_id,
        logical_id=OURS.logical_id,
    )


@pytest.mark.parametrize(
    "step",
    [
        DomainStep(),
        DomainStep(SETTLE, created=True),
        DomainStep(RELEASE, release=("notes-old", "notes-new"), created=True, restore=True),
        DomainStep(RELEASE, release=("auth.example.com",), target="old", failure="Cognito reports ..., as FAILED"),
        DomainStep(GONE, release=("notes-auth",), pool=POOL, failure="it failed"),
    ],
)
def test_a_step_travels_as_strings_and_comes_back_the_same(step: DomainStep) -> None:
    progress = step.to_progress()

    assert all(isinstance(value, str) for value in progress.values())
    assert "yes" not in progress.values()
    assert DomainStep.from_progress(progress) == step


def test_a_poll_handed_over_without_progress_settles() -> None:
    assert DomainStep.from_progress({}) == DomainStep(SETTLE)


@pytest.mark.parametrize(
    "progress",
    [
        pytest.param({"step": "vanish"}, id="unknown-step"),
        pytest.param({"step": "settle", "delete": "notes-auth"}, id="unknown-key"),
        pytest.param({"step": "release", "release": "notes-old,notes-new"}, id="names-not-json"),
        pytest.param({"step": "release", "release": '{"notes-old": 1}'}, id="names-not-a-list"),
        pytest.param({"step": "release"}, id="release-names-nothing"),
        pytest.param({"step": "settle", "created": "yes"}, id="flag-not-true-or-false"),
        pytest.param({"step": "gone", "release": '["notes-auth"]'}, id="gone-without-pool"),
        pytest.param({"step": "settle", "target": "older"}, id="unknown-target"),
    ],
)
def test_progress_this_code_did_not_write_is_refused_before_any_call(progress: dict[str, str]) -> None:
    cognito = cognito_with([exists("notes-auth")])
    request = replace(poll("notes-auth", props("notes-auth"), DomainStep()), progress=progress)

    with pytest.raises(ResourceFailure, match="is not a DomainStep this function writes"):
        domain.is_complete(request, cognito.operations)
    assert cognito.calls == []


def test_blocking_replacement_hands_on_a_typed_release_step() -> None:
    cognito = cognito_with([exists("notes-old")])

    outcome = domain.update(update("notes-old", props("notes-new"), props("notes-old")), cognito.operations)

    assert DomainStep.from_progress(outcome.progress) == DomainStep(
        RELEASE, release=("notes-old",), created=True, restore=True
    )


def failed_custom_domain(record: ResourceOwner | None) -> InMemoryCognito:
    cognito = cognito_with([exists("auth.example.com", status="FAILED", certificate=AUTH_CERT)])
    if record is not None:
        cognito.domain_owners[(POOL, "auth.example.com")] = record
    return cognito


@pytest.mark.parametrize(
    ("record", "step", "deleted"),
    [
        pytest.param(None, DomainStep(SETTLE, created=True), True, id="no-record-step-says-created"),
        pytest.param(OURS, DomainStep(SETTLE, created=True), True, id="record-names-this-resource"),
        pytest.param(THEIRS, DomainStep(SETTLE, created=True), False, id="record-names-another-resource"),
        pytest.param(None, DomainStep(SETTLE), False, id="step-does-not-say-created"),
        pytest.param(OURS, DomainStep(SETTLE), False, id="changed-in-place-stays"),
    ],
)
def test_a_failed_domain_is_removed_only_when_ownership_is_proved_again(
    record: ResourceOwner | None, step: DomainStep, deleted: bool
) -> None:
    cognito = failed_custom_domain(record)
    request = poll("auth.example.com", props("auth.example.com", certificate=AUTH_CERT), step)

    if deleted:
        outcome = domain.is_complete(request, cognito.operations)
        assert DomainStep.from_progress(outcome.progress).step == GONE
    else:
        with pytest.raises(ResourceFailure, match="as FAILED"):
            domain.is_complete(request, cognito.operations)
    assert [summary(call) for call in cognito.write_attempts] == (
        [("delete", "auth.example.com", POOL)] if deleted else []
    )


def test_a_step_naming_a_domain_of_another_pool_deletes_nothing() -> None:
    """The poll's properties name this pool; the domain the step names is another pool's."""
    cognito = cognito_with([exists("auth.example.com", OTHER_POOL, "FAILED", AUTH_CERT)])
    request = poll("auth.example.com", props("auth.example.com", certificate=AUTH_CERT), DomainStep(created=True))

    with pytest.raises(ResourceFailure, match="disappeared from user pool"):
        domain.is_complete(request, cognito.operations)
    assert cognito.write_attempts == []
