"""``AdoptExisting`` and ``RetainOnDelete`` on ``Custom::CognitoUserPoolDomain``, against Cognito in memory.

Adoption takes over exactly the requested domain of the requested pool, nothing
else; a Delete with ``RetainOnDelete`` leaves the domain and marks its record.
Rows as in ``test_domain_decisions.py``: before, request, answer, after, writes.
"""

from __future__ import annotations

import pytest

from aws.records import ResourceOwner
from resources import domain
from resources.lifecycle import LifecycleRequest, ResourceFailure
from tests.unit.test_domain_decisions import (
    AUTH_CERT,
    OTHER_POOL,
    POOL,
    WILDCARD_CERT,
    Case,
    check,
    cognito_with,
    create,
    delete,
    exists,
    props,
    table,
)

STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/notes/5b0d2ec0-8a4e-11ef-a1b2-0a1b2c3d4e5f"
OTHER_STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/other/6c1e3fd1-9b5f-11ef-b2c3-1b2c3d4e5f60"


def adopting(name: str, **changes: str | None) -> dict[str, str]:
    return {**props(name, **changes), "AdoptExisting": "true"}  # type: ignore[arg-type]


ADOPTION_CASES = [
    Case(
        "same-pool-same-domain-taken-over-without-a-write",
        create(adopting("notes-auth")),
        existing=(exists("notes-auth"),),
        physical_id="notes-auth",
        data={"UserPoolId": POOL, "DomainType": "prefix", "ManagedLoginVersion": "1"},
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "same-pool-same-domain-made-to-match-and-waited-for",
        create(adopting("notes-auth", version="2")),
        existing=(exists("notes-auth"),),
        physical_id="notes-auth",
        data={"ManagedLoginVersion": "2"},
        writes=(("update", "notes-auth", POOL),),
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
    Case(
        "custom-domain-moved-to-the-templates-certificate",
        create(adopting("auth.example.com", certificate=AUTH_CERT)),
        existing=(exists("auth.example.com", certificate=WILDCARD_CERT),),
        physical_id="auth.example.com",
        writes=(("update", "auth.example.com", POOL),),
        then={"auth.example.com": (POOL, "ACTIVE")},
    ),
    Case(
        "another-pools-domain-is-never-adopted",
        create(adopting("notes-auth")),
        existing=(exists("notes-auth", OTHER_POOL),),
        failure=("already used by another user pool",),
        then={"notes-auth": (OTHER_POOL, "ACTIVE")},
    ),
    Case(
        "another-domain-in-the-pools-slot-is-never-adopted",
        create(adopting("notes-new")),
        existing=(exists("notes-old"),),
        failure=(f"User pool {POOL} already has a prefix domain that this resource does not manage",),
        attempts=(("create", "notes-new", POOL),),
        then={"notes-old": (POOL, "ACTIVE")},
    ),
    Case(
        "without-adopt-existing-the-refusal-says-how-to-adopt",
        create(props("notes-auth")),
        existing=(exists("notes-auth"),),
        failure=("set AdoptExisting: true to take it over",),
        then={"notes-auth": (POOL, "ACTIVE")},
    ),
]


@pytest.mark.parametrize("case", table(ADOPTION_CASES))
def test_adoption(case: Case) -> None:
    check(case)


def request(request_type: str, raw: dict[str, str], physical_id: str = "", stack: str = STACK) -> LifecycleRequest:
    return LifecycleRequest(request_type, physical_id, raw, stack_id=stack, logical_id="Domain")


def test_an_adopted_domain_is_recorded_as_this_resources_own() -> None:
    cognito = cognito_with([exists("notes-auth")])

    domain.create(request("Create", adopting("notes-auth")), cognito.operations)

    assert cognito.domain_owners == {(POOL, "notes-auth"): ResourceOwner(STACK, "Domain")}


def test_a_domain_another_stack_manages_is_refused_before_any_write() -> None:
    cognito = cognito_with([exists("notes-auth")])
    cognito.domain_owners[(POOL, "notes-auth")] = ResourceOwner(OTHER_STACK, "TheirDomain")

    with pytest.raises(ResourceFailure, match="managed by stack 'other'"):
        domain.create(request("Create", adopting("notes-auth", version="2")), cognito.operations)

    assert cognito.write_attempts == []
    assert cognito.domain_owners == {(POOL, "notes-auth"): ResourceOwner(OTHER_STACK, "TheirDomain")}


def test_retain_on_delete_leaves_the_domain_and_its_record_says_so(caplog: pytest.LogCaptureFixture) -> None:
    cognito = cognito_with([exists("notes-auth")])
    raw = {**props("notes-auth"), "RetainOnDelete": "true"}
    cognito.domain_owners[(POOL, "notes-auth")] = ResourceOwner(STACK, "Domain")

    with caplog.at_level("INFO"):
        outcome = domain.delete(request("Delete", raw, "notes-auth"), cognito.operations)

    assert not outcome.pending
    assert cognito.state() == {"notes-auth": (POOL, "ACTIVE")}
    assert cognito.write_attempts == []
    assert cognito.domain_owners[(POOL, "notes-auth")] == ResourceOwner(STACK, "Domain", retained=True)
    assert "RetainOnDelete: domain 'notes-auth'" in caplog.text


def test_a_retained_domain_is_adopted_by_another_stack() -> None:
    cognito = cognito_with([exists("notes-auth")])
    cognito.domain_owners[(POOL, "notes-auth")] = ResourceOwner(OTHER_STACK, "Old", retained=True)

    outcome = domain.create(request("Create", adopting("notes-auth")), cognito.operations)

    assert outcome.data["Domain"] == "notes-auth"
    assert cognito.domain_owners[(POOL, "notes-auth")] == ResourceOwner(STACK, "Domain")


def test_delete_without_retain_still_deletes() -> None:
    cognito = cognito_with([exists("notes-auth")])
    # Adopted: its owner record names this resource.
    cognito.domain_owners[(POOL, "notes-auth")] = ResourceOwner("", "")

    outcome = domain.delete(delete("notes-auth", props("notes-auth")), cognito.operations)

    assert outcome.pending
    assert cognito.state() == {"notes-auth": (POOL, "DELETING")}
