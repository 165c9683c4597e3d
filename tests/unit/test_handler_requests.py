"""Which requests are answered, refused or run, and what their log lines carry (no AWS, no network)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

import handler
from cfn import delivery as cfn_delivery
from local.cfn_events import EventFactory
from local.lambda_context import FakeLambdaContext
from local.lambda_log_format import LambdaJsonFormatter
from tests.support.fake_slow_path import InMemorySlowPath

RESPONSE_URL = "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/r?X-Amz-Signature=sig-secret"
EVENTS = EventFactory(lambda request_id: f"{RESPONSE_URL}&id={request_id}")
SETTINGS = "Custom::CognitoUserPoolClientSettings"
DOMAIN = "Custom::CognitoUserPoolDomain"


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    monkeypatch.setattr(cfn_delivery, "send_cloudformation_response", lambda url, body, *_, **__: bodies.append(body))
    return bodies


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What CloudWatch would receive: the root handler's lines, in Lambda's JSON format."""
    stream = io.StringIO()
    root_handler = logging.StreamHandler(stream)
    root_handler.setFormatter(LambdaJsonFormatter())
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
    handler.handler(event, FakeLambdaContext(timeout_seconds=300), ops_factory, slow_path_factory=InMemorySlowPath())


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


@pytest.mark.parametrize("state", [None, {"Deadline": 9999999999, "PhysicalResourceId": "client1", "Progress": {}}])
def test_a_poll_of_the_previous_versions_kind_is_answered_failed_and_runs_nothing(
    sent: list[dict[str, Any]], state: Any
) -> None:
    event = EVENTS.update(SETTINGS, "AppClientSettings", "client1", {"ClientId": "client1"}, {"ClientId": "client1"})
    event.update(
        CrHelperPoll=True,
        CrHelperData={"PhysicalResourceId": "client1"},
        CrHelperRule="arn:aws:events:us-east-1:123456789012:rule/someone-elses-rule",
        CrHelperPermission="someone-elses-permission",
    )
    if state is not None:
        event["CognitoResourcesPollState"] = state

    run(event)

    (answer,) = sent
    assert answer["Status"] == "FAILED"
    assert "scheduled by an earlier version of this function" in answer["Reason"]
    assert answer["Data"] == {}


@pytest.mark.parametrize(
    "poll",
    [
        {"CognitoResourcesPoll": None},
        {"CognitoResourcesPoll": {"ChangeId": "0" * 32}},
        {"CognitoResourcesPoll": {"ResourceKey": "a" * 32, "ChangeId": "b" * 32, "Sequence": 0, "RequestId": "r",
                                  "StackId": "s", "LogicalResourceId": "L", "ResourceType": SETTINGS}},
    ],
    ids=["empty", "partial", "no-such-change"],
)  # fmt: skip
def test_a_poll_that_names_no_recorded_change_sends_nothing_and_runs_nothing(
    sent: list[dict[str, Any]], poll: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    run(poll)

    assert sent == []
    assert "Ignoring a poll" in caplog.text


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
