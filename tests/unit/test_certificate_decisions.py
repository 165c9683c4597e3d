"""Every lifecycle decision of ``Custom::CognitoDomainCertificate``, against ACM and Route 53 in memory.

``drive`` plays the lifecycle driver and time: while the outcome is pending it
asks once with nothing changed (which must neither act nor answer), then lets
ACM validate (``validate``) and Cognito finish deleting (``release``), and asks again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from cognito_double.clock import FakeClock
from resources import certificate
from resources.certificate import ISSUE, RECORD, RELEASE, CertificateStep
from resources.lifecycle import FAILED_CREATE_MARKER, LifecycleRequest, Outcome, ResourceFailure
from tests.support.fake_certificates import InMemoryCustomDomain

STACK = "arn:aws:cloudformation:eu-west-1:123456789012:stack/notes/6f1c2d3e-0000-4000-8000-000000000001"
LOGICAL_ID = "DomainCertificate"
OURS = (STACK, LOGICAL_ID)
ZONE = "Z0123456789EXAMPLE"
POOL = "eu-west-1_NotesPool"
PROPERTIES = {"DomainName": "auth.example.com", "HostedZoneId": ZONE}
MAX_POLLS = 10
WRITES = ("request_certificate", "delete_certificate", "upsert_validation_record", "delete_validation_record")


def aws(parent_a_record: bool = True) -> InMemoryCustomDomain:
    fake = InMemoryCustomDomain(region="eu-west-1")
    fake.add_zone(ZONE, "example.com")
    if parent_a_record:
        fake.add_a_record(ZONE, "example.com")
    return fake


# The driver's wall clock, as the resource reads it (``LifecycleRequest.clock``).
CLOCK = FakeClock()


def request(
    request_type: str,
    properties: Any = None,
    physical_id: str = "",
    old_properties: Any = None,
    request_id: str = "6f1c2d3e-request-1",
    deadline: float = float("inf"),
) -> LifecycleRequest:
    return LifecycleRequest(
        request_type=request_type,
        physical_id=physical_id,
        properties=PROPERTIES if properties is None else properties,
        old_properties=old_properties,
        stack_id=STACK,
        logical_id=LOGICAL_ID,
        request_id=request_id,
        clock=CLOCK.time,
        deadline=deadline,
    )


def drive(fake: InMemoryCustomDomain, start: Callable[[], Outcome], req: LifecycleRequest) -> Outcome:
    outcome = start()
    for _ in range(MAX_POLLS):
        if not outcome.pending:
            return outcome
        req = req.continuing(outcome)
        writes = len(fake.writes)
        unchanged = certificate.is_complete(req, fake.operations)
        assert unchanged.pending or unchanged.progress != req.progress or len(fake.writes) > writes
        req = req.continuing(unchanged)
        fake.validate()
        fake.release()
        outcome = certificate.is_complete(req, fake.operations)
    raise AssertionError("still pending")


def writes(fake: InMemoryCustomDomain) -> list[str]:
    return [name for name, _ in fake.writes]


def write_attempts(fake: InMemoryCustomDomain) -> list[str]:
    """Every ACM and Route 53 write tried, whether it acted or not."""
    return [name for name, _ in fake.calls if name in WRITES]


def test_create_requests_a_certificate_writes_its_record_and_answers_once_issued() -> None:
    fake = aws()
    req = request("Create")

    outcome = drive(fake, lambda: certificate.create(req, fake.operations), req)

    (arn,) = fake.acm
    assert outcome.physical_id == arn
    assert outcome.data["CertificateArn"] == arn
    assert fake.certificate_names() == {arn: ("auth.example.com", "ISSUED")}
    assert fake.acm[arn].owner == OURS
    assert writes(fake) == ["request_certificate", "upsert_validation_record"]


def test_create_waits_for_acm_to_show_the_validation_record_before_writing_it() -> None:
    fake = aws()
    fake.hide_records = True
    outcome = certificate.create(request("Create"), fake.operations)

    assert outcome.pending
    assert CertificateStep.from_progress(outcome.progress) == CertificateStep(RECORD, since=str(CLOCK.time()))
    assert writes(fake) == ["request_certificate"]
    fake.hide_records = False
    recorded = certificate.is_complete(request("Create").continuing(outcome), fake.operations)
    assert CertificateStep.from_progress(recorded.progress) == CertificateStep(ISSUE)


def test_create_after_a_lost_answer_finds_its_own_certificate_instead_of_requesting_another() -> None:
    fake = aws()
    earlier = fake.add_certificate("auth.example.com", OURS, status="PENDING_VALIDATION")
    req = request("Create")

    outcome = drive(fake, lambda: certificate.create(req, fake.operations), req)

    assert outcome.physical_id == earlier
    assert "request_certificate" not in writes(fake)
    assert len(fake.acm) == 1


def test_create_never_adopts_a_certificate_for_the_name_that_it_did_not_request() -> None:
    fake = aws()
    theirs = fake.add_certificate("auth.example.com", owner=None)
    req = request("Create")

    outcome = drive(fake, lambda: certificate.create(req, fake.operations), req)

    assert outcome.physical_id != theirs
    assert theirs in fake.acm


@pytest.mark.parametrize(
    ("set_up", "properties", "reason"),
    [
        (lambda f: None, {"DomainName": "auth.example.com", "HostedZoneId": "ZNOSUCHZONE"}, "does not exist"),
        (lambda f: None, {"DomainName": "auth.example.org", "HostedZoneId": ZONE}, "is not in hosted zone"),
        (lambda f: f.add_zone(ZONE, "example.com", private=True), PROPERTIES, "is private"),
        (lambda f: f.records.clear(), PROPERTIES, "add a record named example.com of type A to that zone"),
        (lambda f: f.add_zone(ZONE, "auth.example.com"), PROPERTIES, "has no DNS A record"),
    ],
    ids=["zone-missing", "name-outside-zone", "private-zone", "parent-in-zone-without-a", "parent-outside-zone"],
)
def test_create_is_refused_before_any_write_when_the_zone_or_parent_is_wrong(
    set_up: Callable[[InMemoryCustomDomain], None], properties: dict[str, str], reason: str
) -> None:
    fake = aws()
    set_up(fake)

    with pytest.raises(ResourceFailure, match=reason):
        certificate.create(request("Create", properties), fake.operations)
    assert write_attempts(fake) == []


def test_failed_validation_removes_the_new_certificate_and_its_record_before_failing() -> None:
    fake = aws()
    outcome = certificate.create(request("Create"), fake.operations)
    fake.fail_validation.add(outcome.physical_id)
    fake.validate()

    with pytest.raises(ResourceFailure, match="as FAILED"):
        certificate.is_complete(request("Create").continuing(outcome), fake.operations)
    assert fake.acm == {}
    assert not [key for key in fake.records if key[2] == "CNAME"]


def test_update_with_the_same_name_requests_nothing_and_rewrites_the_record() -> None:
    fake = aws()
    arn = fake.add_certificate("auth.example.com", OURS)
    req = request("Update", physical_id=arn, old_properties=PROPERTIES)

    outcome = drive(fake, lambda: certificate.update(req, fake.operations), req)

    assert outcome.physical_id == arn
    assert writes(fake) == ["upsert_validation_record"]


def test_update_with_a_new_name_replaces_the_certificate_and_cleanup_deletes_the_old_one() -> None:
    fake = aws()
    old = fake.add_certificate("auth.example.com", OURS)
    new_properties = {"DomainName": "login.example.com", "HostedZoneId": ZONE}
    req = request("Update", new_properties, physical_id=old, old_properties=PROPERTIES)

    outcome = drive(fake, lambda: certificate.update(req, fake.operations), req)
    cleanup = request("Delete", PROPERTIES, physical_id=old)
    drive(fake, lambda: certificate.delete(cleanup, fake.operations), cleanup)

    assert outcome.physical_id != old
    assert fake.certificate_names() == {outcome.physical_id: ("login.example.com", "ISSUED")}


def test_rollback_of_a_replacement_goes_back_to_the_previous_certificate() -> None:
    fake = aws()
    old = fake.add_certificate("auth.example.com", OURS)
    new = fake.add_certificate("login.example.com", OURS)
    new_properties = {"DomainName": "login.example.com", "HostedZoneId": ZONE}
    back = request("Update", PROPERTIES, physical_id=new, old_properties=new_properties)

    outcome = drive(fake, lambda: certificate.update(back, fake.operations), back)

    assert outcome.physical_id == old
    assert "request_certificate" not in writes(fake)


def test_delete_waits_while_the_domain_still_uses_the_certificate_then_removes_it_and_its_record() -> None:
    fake = aws()
    req = request("Create")
    arn = drive(fake, lambda: certificate.create(req, fake.operations), req).physical_id
    fake.add_domain("auth.example.com", POOL, status="DELETING", certificate_arn=arn)
    delete = request("Delete", physical_id=arn)

    first = certificate.delete(delete, fake.operations)
    assert first.pending
    assert arn in fake.acm
    drive(fake, lambda: first, delete)

    assert fake.acm == {}
    assert not [key for key in fake.records if key[2] == "CNAME"]


def test_delete_with_retain_on_delete_leaves_the_certificate_and_its_record(caplog: pytest.LogCaptureFixture) -> None:
    fake = aws()
    retained = {**PROPERTIES, "RetainOnDelete": "true"}
    req = request("Create", retained)
    arn = drive(fake, lambda: certificate.create(req, fake.operations), req).physical_id
    writes_before = writes(fake)

    with caplog.at_level("INFO"):
        outcome = certificate.delete(request("Delete", retained, physical_id=arn), fake.operations)

    assert not outcome.pending
    assert fake.certificate_names() == {arn: ("auth.example.com", "ISSUED")}
    assert [key for key in fake.records if key[2] == "CNAME"]
    assert writes(fake) == writes_before
    assert f"RetainOnDelete: certificate {arn}" in caplog.text


def test_adopt_existing_is_refused_for_a_certificate_before_any_write() -> None:
    fake = aws()

    with pytest.raises(ValueError, match="AdoptExisting is not supported by Custom::CognitoDomainCertificate"):
        certificate.create(request("Create", {**PROPERTIES, "AdoptExisting": "true"}), fake.operations)

    assert write_attempts(fake) == []


def test_delete_leaves_a_certificate_without_this_resources_tags_alone() -> None:
    fake = aws()
    theirs = fake.add_certificate("auth.example.com", ("another-stack", LOGICAL_ID))

    outcome = certificate.delete(request("Delete", physical_id=theirs), fake.operations)

    assert not outcome.pending
    assert theirs in fake.acm
    assert write_attempts(fake) == []


@pytest.mark.parametrize("physical_id", [f"{FAILED_CREATE_MARKER}DomainCertificate:1", "auth.example.com", ""])
def test_delete_of_something_that_names_no_certificate_touches_nothing(physical_id: str) -> None:
    fake = aws()

    outcome = certificate.delete(request("Delete", physical_id=physical_id), fake.operations)

    assert (outcome.pending, fake.calls) == (False, [])


def test_delete_of_a_certificate_already_gone_succeeds() -> None:
    fake = aws()
    gone = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000"

    assert not certificate.delete(request("Delete", physical_id=gone), fake.operations).pending


# --- Steps handed to a later invocation --------------------------------------------


def poll(physical_id: str, step: CertificateStep) -> LifecycleRequest:
    """A poll of a change in flight, as the driver builds it from the poll state."""
    return replace(request("Create", physical_id=physical_id), progress=step.to_progress())


def test_a_step_travels_as_strings_and_comes_back_the_same() -> None:
    step = CertificateStep(RECORD, kept="arn:aws:acm:us-east-1:123456789012:certificate/kept")

    assert CertificateStep.from_progress(step.to_progress()) == step
    assert CertificateStep.from_progress({}) == CertificateStep(ISSUE)


@pytest.mark.parametrize(
    "progress",
    [{"step": "revoke"}, {"step": "release", "zone": ZONE}, {"kept": ["not", "text"]}],
    ids=["unknown-step", "unknown-key", "not-text"],
)
def test_progress_this_code_did_not_write_is_refused_before_any_call(progress: Any) -> None:
    fake = aws()
    arn = fake.add_certificate("auth.example.com", OURS)

    with pytest.raises(ResourceFailure, match="is not a CertificateStep this function writes"):
        certificate.is_complete(replace(poll(arn, CertificateStep()), progress=progress), fake.operations)
    assert fake.calls == []


def test_a_release_step_naming_a_certificate_with_other_tags_deletes_nothing() -> None:
    fake = aws()
    theirs = fake.add_certificate("auth.example.com", ("another-stack", LOGICAL_ID))
    fake.upsert_validation_record(ZONE, fake.acm[theirs].record)

    outcome = certificate.is_complete(poll(theirs, CertificateStep(RELEASE)), fake.operations)

    assert not outcome.pending
    assert theirs in fake.acm
    assert write_attempts(fake) == ["upsert_validation_record"]


def test_a_release_step_deletes_its_own_certificate_once_free_then_the_record_it_shows() -> None:
    fake = aws()
    arn = fake.add_certificate("auth.example.com", OURS)
    fake.upsert_validation_record(ZONE, fake.acm[arn].record)
    fake.add_domain("auth.example.com", POOL, status="DELETING", certificate_arn=arn)

    outcome = certificate.is_complete(poll(arn, CertificateStep(RELEASE)), fake.operations)
    assert CertificateStep.from_progress(outcome.progress) == CertificateStep(RELEASE)
    fake.release()
    outcome = certificate.is_complete(poll(arn, CertificateStep(RELEASE)), fake.operations)

    assert not outcome.pending
    assert fake.acm == {}
    assert not [key for key in fake.records if key[2] == "CNAME"]


def test_a_failed_certificate_with_other_tags_is_not_removed_by_a_step() -> None:
    fake = aws()
    theirs = fake.add_certificate("auth.example.com", ("another-stack", LOGICAL_ID), status="FAILED")

    with pytest.raises(ResourceFailure, match="as FAILED"):
        certificate.is_complete(poll(theirs, CertificateStep(ISSUE)), fake.operations)
    assert theirs in fake.acm
    assert write_attempts(fake) == []


# --- issue 20: the shared validation record, ACM's delay, tokens, rotation ---------------


def test_delete_keeps_the_validation_record_another_certificate_for_the_name_still_needs() -> None:
    fake = aws()
    req = request("Create")
    ours = drive(fake, lambda: certificate.create(req, fake.operations), req).physical_id
    theirs = fake.add_certificate("auth.example.com", owner=None, status="EXPIRED")

    outcome = certificate.delete(request("Delete", physical_id=ours), fake.operations)

    assert not outcome.pending
    assert set(fake.acm) == {theirs}
    assert [key for key in fake.records if key[2] == "CNAME"] == [(ZONE, fake.acm[theirs].record.name, "CNAME")]
    assert "delete_validation_record" not in write_attempts(fake)


def test_a_failed_request_keeps_the_validation_record_another_certificate_needs() -> None:
    fake = aws()
    theirs = fake.add_certificate("auth.example.com", owner=None)
    fake.upsert_validation_record(ZONE, fake.acm[theirs].record)
    outcome = certificate.create(request("Create"), fake.operations)
    fake.fail_validation.add(outcome.physical_id)
    fake.validate()

    with pytest.raises(ResourceFailure, match="as FAILED"):
        certificate.is_complete(request("Create").continuing(outcome), fake.operations)
    assert set(fake.acm) == {theirs}
    assert (ZONE, fake.acm[theirs].record.name, "CNAME") in fake.records


@pytest.mark.parametrize("hidden", ["certificate", "record"])
def test_acms_delay_after_the_request_is_waited_out(hidden: str) -> None:
    fake = aws()
    fake.hide_requested = hidden == "certificate"
    fake.hide_records = hidden == "record"
    req = request("Create")
    outcome = certificate.create(req, fake.operations)
    CLOCK.advance(10)
    outcome = certificate.is_complete(req.continuing(outcome), fake.operations)

    assert outcome.pending
    assert writes(fake) == ["request_certificate"]
    fake.unseen.clear()
    fake.hide_records = False
    assert (
        CertificateStep.from_progress(certificate.is_complete(req.continuing(outcome), fake.operations).progress).step
        == ISSUE
    )


@pytest.mark.parametrize(
    ("hidden", "what"), [("certificate", "ACM did not find certificate"), ("record", "ACM did not show the DNS")]
)
def test_acms_delay_is_waited_out_for_a_bounded_time_then_fails_clearly(hidden: str, what: str) -> None:
    fake = aws()
    fake.hide_requested = hidden == "certificate"
    fake.hide_records = hidden == "record"
    req = request("Create")
    outcome = certificate.create(req, fake.operations)
    CLOCK.advance(certificate.SHOWN_WITHIN_SECONDS)

    with pytest.raises(ResourceFailure, match=what):
        certificate.is_complete(req.continuing(outcome), fake.operations)


def test_a_certificate_held_before_that_is_not_found_has_disappeared() -> None:
    fake = aws()
    held = fake.add_certificate("auth.example.com", OURS, status="PENDING_VALIDATION")
    req = request("Update", physical_id=held, old_properties=PROPERTIES)
    outcome = certificate.update(req, fake.operations)
    fake.unseen.add(held)

    with pytest.raises(ResourceFailure, match="disappeared"):
        certificate.is_complete(req.continuing(outcome), fake.operations)


def test_the_idempotency_token_is_derived_from_cloudformations_request_id() -> None:
    # As the AWS CDK's DNS-validated certificate handler: sha256(RequestId), hex, first 32 characters.
    fake = aws()

    certificate.create(request("Create", request_id="b5a1e2c3-request"), fake.operations)

    (token,) = [args[2] for name, args in fake.calls if name == "request_certificate"]
    assert token == hashlib.sha256(b"b5a1e2c3-request").hexdigest()[:32]


def test_a_create_after_a_delete_within_the_hour_gets_a_new_token() -> None:
    fake = aws()
    first = request("Create", request_id="request-1")
    arn = drive(fake, lambda: certificate.create(first, fake.operations), first).physical_id
    certificate.delete(request("Delete", physical_id=arn), fake.operations)

    again = request("Create", request_id="request-2")
    outcome = drive(fake, lambda: certificate.create(again, fake.operations), again)

    assert outcome.physical_id != arn
    assert fake.certificate_names() == {outcome.physical_id: ("auth.example.com", "ISSUED")}


def test_delete_of_a_certificate_still_in_use_waits_until_near_its_deadline_then_leaves_it_and_says_so() -> None:
    fake = aws()
    req = request("Create")
    arn = drive(fake, lambda: certificate.create(req, fake.operations), req).physical_id
    fake.add_domain("auth.example.com", POOL, certificate_arn=arn)  # Cognito still serves it
    deadline = CLOCK.time() + 3540

    waiting = certificate.delete(request("Delete", physical_id=arn, deadline=deadline), fake.operations)
    CLOCK.advance(3540 - certificate.LEAVE_BEFORE_DEADLINE_SECONDS)
    left = certificate.is_complete(
        request("Delete", physical_id=arn, deadline=deadline).continuing(waiting), fake.operations
    )

    assert waiting.pending
    assert not left.pending
    assert left.reason.startswith(f"Certificate {arn} is still in use by Cognito, so it was left in ACM")
    assert arn in fake.acm
    assert [key for key in fake.records if key[2] == "CNAME"]
