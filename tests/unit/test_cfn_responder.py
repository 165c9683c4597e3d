"""The response CloudFormation reads: one per request, a physical id it accepts, a body that fits."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from cfn import delivery as cfn_delivery
from cfn.delivery import MAX_REASON_CHARS, MAX_RESPONSE_BYTES, fit_response, trim_reason
from cfn.responder import CloudFormationResponder
from local.cfn_events import EventFactory
from local.lambda_context import FakeLambdaContext

RESPONSE_URL = "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/r?X-Amz-Signature=s"
EVENTS = EventFactory(lambda request_id: RESPONSE_URL)
DOMAIN = "Custom::CognitoUserPoolDomain"


class Sent:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def __call__(self, url: str, body: dict[str, Any], ssl_verify: str | None, **_: Any) -> bool:
        with self.lock:
            self.bodies.append(body)
        return True


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Sent:
    recorder = Sent()
    monkeypatch.setattr(cfn_delivery, "send_cloudformation_response", recorder)
    return recorder


def started(event: dict[str, Any], physical_id_so_far: str = "") -> CloudFormationResponder:
    """A responder in the middle of a request, as crhelper leaves it before the timer fires."""
    responder = CloudFormationResponder()
    for register in (responder.create, responder.update, responder.delete):
        register(lambda event, context: physical_id_so_far)
    assert responder._crhelper_init(event, FakeLambdaContext(timeout_seconds=300))  # type: ignore[attr-defined]
    responder._timer.cancel()  # type: ignore[attr-defined]  # the test fires the timeout itself
    return responder


def test_long_reason_keeps_its_head() -> None:
    reason = "Domain 'x' is already used by another user pool " + "detail " * 100

    trimmed = trim_reason(reason)

    assert len(trimmed) == MAX_REASON_CHARS
    assert trimmed.startswith("Domain 'x' is already used by another user pool")
    assert trimmed.endswith("…")


def test_reason_is_one_line() -> None:
    assert trim_reason("first line\nsecond\tline") == "first line second line"


def test_body_over_the_limit_becomes_a_failed_answer_that_fits() -> None:
    body = {"Status": "SUCCESS", "PhysicalResourceId": "p" * 3000, "Reason": "", "Data": {"Url": "u" * 5000}}

    fitted = fit_response(body)

    assert len(json.dumps(fitted).encode()) <= MAX_RESPONSE_BYTES
    assert fitted["Status"] == "FAILED"
    assert fitted["Data"] == {}


def test_body_within_the_limit_is_unchanged() -> None:
    body = {"Status": "SUCCESS", "PhysicalResourceId": "notes", "Reason": "", "Data": {"BaseUrl": "https://x"}}

    assert fit_response(body) is body


@pytest.mark.parametrize("filler", ["s", "é", "\U0001f600", '"\\', "\x00\n", "\udc80"])
def test_body_fits_and_is_json_whatever_the_events_ids_hold(filler: str) -> None:
    body = {
        "Status": "SUCCESS",
        "PhysicalResourceId": filler * 2000,
        "StackId": "arn:aws:cloudformation:us-east-1:1:stack/" + filler * 5000,
        "RequestId": filler * 3000,
        "LogicalResourceId": filler * 5000,
        "Reason": filler * 300,
        "Data": {"Key": filler * 100},
        "NoEcho": False,
    }

    fitted = fit_response(body)
    encoded = cfn_delivery.encode(fitted)

    assert len(encoded) <= MAX_RESPONSE_BYTES
    decoded = json.loads(encoded)
    assert decoded["Status"] == "FAILED"
    # Trimmed deterministically, keeping the head.
    assert str(body["StackId"]).startswith(decoded["StackId"])
    assert decoded["StackId"].startswith("arn:aws:cloudformation")
    assert fit_response(body) == fitted


def test_ids_of_any_real_event_are_copied_verbatim_even_when_data_is_dropped() -> None:
    # A LogicalResourceId is at most 255 characters; CloudFormation matches the answer on these.
    body = {
        "Status": "SUCCESS",
        "PhysicalResourceId": "auth.example.com",
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/" + "n" * 128 + "/" + "0" * 36,
        "RequestId": "0" * 36,
        "LogicalResourceId": "L" * 255,
        "Reason": "",
        "Data": {"Big": "x" * 5000},
        "NoEcho": False,
    }

    fitted = fit_response(body)

    for field in ("PhysicalResourceId", "StackId", "RequestId", "LogicalResourceId"):
        assert fitted[field] == body[field]


def test_timer_answer_on_a_create_carries_the_failed_create_marker(sent: Sent) -> None:
    event = EVENTS.create(DOMAIN, "HostedUIDomain", {"Domain": "notes"})
    responder = started(event, physical_id_so_far="notes")

    responder._timeout()

    (answer,) = sent.bodies
    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == f"create-failed:HostedUIDomain:{event['RequestId']}"
    assert answer["Reason"].startswith("The function ran out of time")


@pytest.mark.parametrize("request_type", ["Update", "Delete"])
def test_timer_answer_on_update_or_delete_carries_the_events_physical_id(sent: Sent, request_type: str) -> None:
    if request_type == "Update":
        event = EVENTS.update(DOMAIN, "HostedUIDomain", "notes-old", {"Domain": "notes-new"}, {"Domain": "notes-old"})
    else:
        event = EVENTS.delete(DOMAIN, "HostedUIDomain", "notes-old", {"Domain": "notes-old"})
    responder = started(event, physical_id_so_far="notes-new")

    responder._timeout()

    (answer,) = sent.bodies
    assert (answer["Status"], answer["PhysicalResourceId"]) == ("FAILED", "notes-old")


def test_init_failure_answer_is_never_an_empty_physical_id(sent: Sent) -> None:
    event = EVENTS.create(DOMAIN, "HostedUIDomain", {"Domain": "notes"})
    responder = CloudFormationResponder()
    responder.init_failure(ValueError("Unsupported RequestType"))

    responder(event, FakeLambdaContext())

    (answer,) = sent.bodies
    assert answer["PhysicalResourceId"].startswith("create-failed:HostedUIDomain:")


def test_only_the_first_of_racing_answers_is_sent_and_answered_tells_the_driver(sent: Sent) -> None:
    event = EVENTS.create(DOMAIN, "HostedUIDomain", {"Domain": "notes"})
    responder = started(event, physical_id_so_far="notes")
    assert responder.answered is False
    barrier = threading.Barrier(8)

    def answer() -> None:
        barrier.wait()
        responder._timeout()

    threads = [threading.Thread(target=answer) for _ in range(7)]
    for thread in threads:
        thread.start()
    barrier.wait()
    responder._cfn_response(event)  # type: ignore[attr-defined]  # the handler finishing at the same moment
    for thread in threads:
        thread.join()

    assert len(sent.bodies) == 1
    assert responder.answered is True


def test_an_answer_without_a_response_url_is_never_sent(sent: Sent) -> None:
    responder = CloudFormationResponder()

    responder.answer_failed_without_running({"RequestType": "Create"}, "The request is missing StackId")

    assert sent.bodies == []
    assert responder.answered is True
