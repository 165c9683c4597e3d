"""What CloudFormationResponder relies on inside crhelper; a crhelper upgrade that changes it fails here.

Each override of a crhelper private member in cfn/responder.py says why beside it;
these tests pin the crhelper behaviour the override assumes.
"""

from __future__ import annotations

import inspect
import json
import logging
import threading
from typing import Any

import pytest
from crhelper import CfnResource, log_helper
from crhelper import resource_helper as crhelper_module

from cfn.driver import POLL_STATE_KEY
from cfn.logs import use_request_ids
from cfn.responder import CloudFormationResponder
from local.cfn_events import EventFactory
from local.lambda_context import FakeLambdaContext

EVENTS = EventFactory(lambda request_id: "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/r")


def parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_constructor_takes_the_public_arguments_we_pass() -> None:
    assert parameters(CfnResource.__init__) == [
        "self",
        "json_logging",
        "log_level",
        "boto_level",
        "polling_interval",
        "sleep_on_delete",
        "ssl_verify",
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("_log_setup", ["self", "event", "context"]),
        ("_crhelper_init", ["self", "event", "context"]),
        ("_polling_init", ["self", "event"]),
        ("_timeout", ["self"]),
        ("_send", ["self", "status", "reason", "send_response"]),
        ("_cfn_response", ["self", "event"]),
        ("_setup_polling", ["self"]),
        ("_remove_polling", ["self"]),
        ("_set_timeout", ["self"]),
        ("_wait_for_cwlogs", ["self", "sleep"]),
    ],
)
def test_private_members_we_override_or_call_keep_their_signatures(name: str, expected: list[str]) -> None:
    assert parameters(getattr(CfnResource, name)) == expected


def test_the_constructor_creates_no_aws_client_because_it_reads_sam_local(monkeypatch: pytest.MonkeyPatch) -> None:
    created: list[str] = []
    monkeypatch.setattr(crhelper_module.boto3, "client", lambda service, **_: created.append(service))  # type: ignore[attr-defined]

    responder = CloudFormationResponder()

    assert created == []
    assert responder._init_failed is None  # type: ignore[attr-defined]
    assert not responder._sam_local, "after construction polling and answering work as in AWS"
    # Without our override crhelper would create them: proves the guard is still _sam_local.
    CfnResource()
    assert created == ["lambda", "events", "logs"]


def test_polling_uses_the_client_attributes_we_make_lazily() -> None:
    assert "self._lambda_client." in inspect.getsource(CfnResource._add_permission)  # type: ignore[attr-defined]
    assert "self._events_client." in inspect.getsource(CfnResource._put_rule)  # type: ignore[attr-defined]
    for method in ("_put_targets", "_remove_targets", "_delete_rule"):
        assert "self._events_client." in inspect.getsource(getattr(CfnResource, method))
    assert "_logs_client" not in inspect.getsource(crhelper_module).replace("self._logs_client = boto3", "")


class Traced(CloudFormationResponder):
    """Records the order crhelper's __call__ drives the members we override."""

    def __init__(self) -> None:
        super().__init__()
        self.trace: list[str] = []
        self.sent: list[tuple[Any, ...]] = []

    def _log_setup(self, event: dict[str, Any], context: Any) -> None:
        self.trace.append("_log_setup")
        super()._log_setup(event, context)

    def _polling_init(self, event: dict[str, Any]) -> None:
        self.trace.append("_polling_init")
        super()._polling_init(event)

    def _cfn_response(self, event: dict[str, Any]) -> None:
        self.trace.append("_cfn_response")
        super()._cfn_response(event)  # type: ignore[misc]

    def _send(self, status: str | None = None, reason: str = "", send_response: Any = None) -> None:
        self.trace.append("_send")
        self.sent.append((status, reason, self.PhysicalResourceId))


def traced_create(responder: Traced) -> str:
    responder.trace.append("create")
    return "notes"


def test_call_sets_up_logs_then_runs_the_handler_then_polling_then_answers() -> None:
    responder = Traced()
    responder.create(lambda event, context: traced_create(responder))
    responder.poll_create(lambda event, context: None)

    responder(EVENTS.create("Custom::X", "L", {}), FakeLambdaContext())

    assert responder.trace == ["_log_setup", "create", "_polling_init", "_cfn_response", "_send"]
    assert responder._timer.finished.is_set(), "the timer is cancelled once answered"  # type: ignore[attr-defined]


def test_an_init_failure_is_answered_through_send_before_any_handler_runs() -> None:
    responder = Traced()
    responder.create(lambda event, context: traced_create(responder))
    responder.init_failure(ValueError("broken start"))

    responder(EVENTS.create("Custom::X", "L", {}), FakeLambdaContext())

    assert responder.trace == ["_log_setup", "_send"]
    assert responder.sent == [("FAILED", "broken start", "")]


def test_an_exception_in_call_is_answered_through_send() -> None:
    responder = Traced()
    responder.create(lambda event, context: "notes")
    responder.hand_over_requested = True  # polling set-up will fail: no EventBridge here

    def no_polling() -> None:
        raise RuntimeError("no EventBridge")

    responder._setup_polling = no_polling  # type: ignore[attr-defined]
    responder.poll_create(lambda event, context: None)

    responder(EVENTS.create("Custom::X", "L", {}), FakeLambdaContext())

    assert responder.sent == [("FAILED", "no EventBridge", "notes")]


def test_the_timer_fires_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    timers: list[tuple[float, Any]] = []

    class FakeTimer:
        def __init__(self, interval: float, function: Any) -> None:
            timers.append((interval, function))

        def start(self) -> None:
            return None

    monkeypatch.setattr(threading, "Timer", FakeTimer)
    responder = CloudFormationResponder()
    responder._context = FakeLambdaContext(timeout_seconds=10)

    responder._set_timeout()  # type: ignore[attr-defined]

    ((interval, function),) = timers
    assert 9 < interval < 10
    assert function == responder._timeout


def test_setup_polling_copies_the_event_with_our_deadline_into_the_rule_input(monkeypatch: pytest.MonkeyPatch) -> None:
    inputs: list[dict[str, Any]] = []

    class Clients:
        def put_rule(self, **_: Any) -> dict[str, str]:
            return {"RuleArn": "arn:aws:events:us-east-1:123456789012:rule/L12345678"}

        def add_permission(self, **_: Any) -> None:
            return None

        def put_targets(self, Rule: str, Targets: list[dict[str, str]]) -> None:  # noqa: N803
            inputs.append(json.loads(Targets[0]["Input"]))

    monkeypatch.setattr(CloudFormationResponder, "_events_client", Clients())
    monkeypatch.setattr(CloudFormationResponder, "_lambda_client", Clients())
    responder = CloudFormationResponder()
    responder._event = {**EVENTS.create("Custom::X", "L", {}), POLL_STATE_KEY: {"Deadline": 1234.5}}
    responder._context = FakeLambdaContext()

    responder._setup_polling()  # type: ignore[attr-defined]

    ((rule_input,),) = [inputs]
    assert rule_input[POLL_STATE_KEY] == {"Deadline": 1234.5}
    assert rule_input["CrHelperPoll"] is True


def test_sleep_on_delete_zero_never_sleeps() -> None:
    slept: list[float] = []
    responder = CloudFormationResponder()
    responder._context = FakeLambdaContext(timeout_seconds=900)

    responder._wait_for_cwlogs(sleep=slept.append)  # type: ignore[attr-defined]

    assert slept == []


def test_log_helper_setup_puts_each_field_on_every_root_handler_as_a_template() -> None:
    stream_handler = logging.StreamHandler()
    logging.root.addHandler(stream_handler)
    try:
        use_request_ids({"RequestId": "r-100%", "LogicalResourceId": "L"}, "aws-1", "INFO", "WARNING")
        formatter = stream_handler.formatter
        assert isinstance(formatter, log_helper.JsonFormatter)
        line = json.loads(formatter.format(logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)))
    finally:
        logging.root.removeHandler(stream_handler)

    assert (line["RequestId"], line["LogicalResourceId"], line["aws_request_id"]) == ("r-100%", "L", "aws-1")
