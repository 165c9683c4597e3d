"""Which requests are answered, refused or run, and what their log lines carry (no AWS, no network)."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import handler
from cfn import delivery as cfn_delivery
from cfn.driver import POLL_STATE_KEY
from cfn.responder import CloudFormationResponder
from local.cfn_events import EventFactory
from local.lambda_context import FakeLambdaContext

RESPONSE_URL = "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/r?X-Amz-Signature=sig-secret"
EVENTS = EventFactory(lambda request_id: f"{RESPONSE_URL}&id={request_id}")
SETTINGS = "Custom::CognitoUserPoolClientSettings"
DOMAIN = "Custom::CognitoUserPoolDomain"


class Recorder:
    def __init__(self) -> None:
        self.calls: list[Any] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((args, kwargs))
        return {"RuleArn": "arn:aws:events:us-east-1:123456789012:rule/r"}

    def __getattr__(self, name: str) -> Recorder:
        return self


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    monkeypatch.setattr(cfn_delivery, "send_cloudformation_response", lambda url, body, *_, **__: bodies.append(body))
    return bodies


@pytest.fixture
def aws_clients(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """EventBridge and Lambda as crhelper's polling would use them: recorded, never called for real."""
    recorder = Recorder()
    monkeypatch.setattr(CloudFormationResponder, "_events_client", recorder)
    monkeypatch.setattr(CloudFormationResponder, "_lambda_client", recorder)
    return recorder


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What CloudWatch would receive: the root handler's formatted lines."""
    stream = io.StringIO()
    root_handler = logging.StreamHandler(stream)
    logging.root.addHandler(root_handler)
    yield stream
    logging.root.removeHandler(root_handler)


def no_cognito(deadline: float) -> Any:
    raise AssertionError("Cognito must not be called for this request")


class NothingToDo:
    calls = 0

    def __call__(self, deadline: float) -> Any:
        self.calls += 1
        return object()


def run(event: dict[str, Any], ops_factory: Any = no_cognito) -> None:
    handler.handler(event, FakeLambdaContext(timeout_seconds=300), ops_factory)


@pytest.mark.parametrize("field", handler.REQUIRED_FIELDS)
@pytest.mark.parametrize("value", [None, 42, ["x"], ""])
def test_event_missing_a_required_field_is_answered_failed_once(
    sent: list[dict[str, Any]], field: str, value: Any
) -> None:
    event = EVENTS.create(DOMAIN, "D", {"Domain": "notes"})
    if value is None:
        del event[field]
    else:
        event[field] = value

    run(event)

    (answer,) = sent
    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith(f"The request is missing {field}")
    assert answer["PhysicalResourceId"]


@pytest.mark.parametrize("response_url", [None, "", 7, "https://"])
def test_event_without_a_valid_response_url_is_refused_without_a_put(
    sent: list[dict[str, Any]], response_url: Any, caplog: pytest.LogCaptureFixture
) -> None:
    event = {"RequestType": "Create", "ResponseURL": response_url}

    run(event)

    assert sent == []
    assert "Refusing a request" in caplog.text


@pytest.mark.parametrize("deadline", [None, "9999999999", True, float("nan"), {"v": 1}])
def test_poll_marker_not_handed_over_by_this_function_is_answered_failed_and_changes_nothing(
    sent: list[dict[str, Any]], aws_clients: Recorder, deadline: Any
) -> None:
    event = EVENTS.update(SETTINGS, "AppClientSettings", "client1", {"ClientId": "client1"}, {"ClientId": "client1"})
    event.update(
        CrHelperPoll=True,
        CrHelperData={"PhysicalResourceId": "client1"},
        CrHelperRule="arn:aws:events:us-east-1:123456789012:rule/someone-elses-rule",
        CrHelperPermission="someone-elses-permission",
    )
    if deadline is not None:
        event[POLL_STATE_KEY] = {"Deadline": deadline, "PhysicalResourceId": "client1", "Progress": {}}

    run(event)

    (answer,) = sent
    assert answer["Status"] == "FAILED"
    assert "was not handed over by this function" in answer["Reason"]
    assert answer["Data"] == {}
    assert aws_clients.calls == [], "no EventBridge rule or Lambda permission is touched"


@pytest.mark.parametrize(
    "handed_over",
    [
        pytest.param(
            lambda: {POLL_STATE_KEY: {"Deadline": time.time() + 60, "PhysicalResourceId": "client1"}}, id="state"
        ),
        # Version 0.1 kept the deadline under CognitoResourcesDeadline, the physical id in CrHelperData.
        pytest.param(lambda: {"CognitoResourcesDeadline": time.time() + 60}, id="previous-version"),
    ],
)
def test_poll_handed_over_by_this_function_runs_the_poll(
    sent: list[dict[str, Any]], aws_clients: Recorder, handed_over: Callable[[], dict[str, Any]]
) -> None:
    event = EVENTS.update(SETTINGS, "AppClientSettings", "client1", {"ClientId": "c"}, {"ClientId": "c"})
    event.update(CrHelperPoll=True, CrHelperData={"PhysicalResourceId": "client1"}, **handed_over())
    event["CrHelperRule"] = "arn:aws:events:us-east-1:123456789012:rule/ours"
    event["CrHelperPermission"] = "ours"
    ops = NothingToDo()

    run(event, ops)

    assert ops.calls >= 1, "the poll function ran"
    (answer,) = sent
    assert "was not handed over" not in answer["Reason"]


def test_percent_signs_in_event_fields_never_break_logging(
    sent: list[dict[str, Any]], json_lines: io.StringIO, capsys: pytest.CaptureFixture[str]
) -> None:
    event = EVENTS.delete(DOMAIN, "%s%d%(x)s", "create-failed:x:y", {"Domain": "%(Domain)s"})
    event["StackId"] = "arn:aws:cloudformation:us-east-1:1:stack/%d/%(x)s"

    run(event, NothingToDo())

    assert "Logging error" not in capsys.readouterr().err
    records = [json.loads(line) for line in json_lines.getvalue().splitlines()]
    assert records, "the request logged nothing"
    assert {record["LogicalResourceId"] for record in records} == {"%s%d%(x)s"}
    assert {record["StackId"] for record in records} == {event["StackId"]}
    assert sent[0]["LogicalResourceId"] == "%s%d%(x)s"


def test_every_line_of_a_warm_lambdas_second_request_carries_that_requests_ids(
    sent: list[dict[str, Any]], json_lines: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = EVENTS.delete(DOMAIN, "First", "create-failed:First:1", {})
    second = EVENTS.delete(DOMAIN, "Second", "create-failed:Second:2", {})
    forged = {**EVENTS.delete(DOMAIN, "Forged", "x", {}), "ResponseURL": "https://evil.example.com/?X-Amz-Signature=s"}

    for event in (first, second, forged):
        json_lines.seek(0)
        json_lines.truncate()
        run(event, NothingToDo())
        records = [json.loads(line) for line in json_lines.getvalue().splitlines()]

        assert records, f"{event['LogicalResourceId']} logged nothing"
        for record in records:
            assert (record.get("RequestId"), record.get("LogicalResourceId")) == (
                event["RequestId"],
                event["LogicalResourceId"],
            ), record["message"]
            assert record.get("StackId") == event["StackId"]
