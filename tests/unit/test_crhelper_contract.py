"""What CloudFormationResponder relies on inside crhelper; a crhelper upgrade that changes it fails here.

Each override of a crhelper private member in cfn/responder.py says why beside it;
these tests pin the crhelper behaviour the override assumes.
"""

from __future__ import annotations

import inspect
import logging
import threading
from typing import Any

import pytest
from crhelper import CfnResource, log_helper
from crhelper import resource_helper as crhelper_module

from cfn.logs import install_redaction, use_request_ids
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
        ("_timeout", ["self"]),
        ("_send", ["self", "status", "reason", "send_response"]),
        ("_cfn_response", ["self", "event"]),
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


def test_without_poll_functions_call_answers_after_the_handler_and_sam_local_plays_no_part() -> None:
    # crhelper reads _sam_local in __call__ only together with a poll function; none is registered.
    source = inspect.getsource(CfnResource.__call__)
    assert "if self._poll_enabled() and self._sam_local:" in source
    assert "self._send_response = True" in source


class Traced(CloudFormationResponder):
    """Records the order crhelper's __call__ drives the members we override."""

    def __init__(self) -> None:
        super().__init__()
        self.trace: list[str] = []
        self.sent: list[tuple[Any, ...]] = []

    def _log_setup(self, event: dict[str, Any], context: Any) -> None:
        self.trace.append("_log_setup")
        super()._log_setup(event, context)

    def _cfn_response(self, event: dict[str, Any]) -> None:
        self.trace.append("_cfn_response")
        super()._cfn_response(event)  # type: ignore[misc]

    def _send(self, status: str | None = None, reason: str = "", send_response: Any = None) -> None:
        self.trace.append("_send")
        self.sent.append((status, reason, self.PhysicalResourceId))


def traced_create(responder: Traced) -> str:
    responder.trace.append("create")
    return "notes"


def test_call_sets_up_logs_then_runs_the_handler_then_answers() -> None:
    responder = Traced()
    responder.create(lambda event, context: traced_create(responder))

    responder(EVENTS.create("Custom::X", "L", {}), FakeLambdaContext())

    assert responder.trace == ["_log_setup", "create", "_cfn_response", "_send"]
    assert responder._timer.finished.is_set(), "the timer is cancelled once answered"  # type: ignore[attr-defined]


def test_an_init_failure_is_answered_through_send_before_any_handler_runs() -> None:
    responder = Traced()
    responder.create(lambda event, context: traced_create(responder))
    responder.init_failure(ValueError("broken start"))

    responder(EVENTS.create("Custom::X", "L", {}), FakeLambdaContext())

    assert responder.trace == ["_log_setup", "_send"]
    assert responder.sent == [("FAILED", "broken start", "")]


def test_an_exception_in_the_answer_path_is_answered_through_send() -> None:
    responder = Traced()
    responder.create(lambda event, context: "notes")

    def broken_response(event: dict[str, Any]) -> None:
        raise RuntimeError("broken answer path")

    responder._cfn_response = broken_response  # type: ignore[method-assign]

    responder(EVENTS.create("Custom::X", "L", {}), FakeLambdaContext())

    assert responder.sent == [("FAILED", "broken answer path", "notes")]


def test_a_handed_over_request_is_not_answered_by_this_invocation() -> None:
    sent: list[dict[str, Any]] = []
    responder = CloudFormationResponder()

    def handed_over(event: dict[str, Any], context: Any) -> str:
        responder.hand_over_requested = True
        return "auth.example.com"

    responder.create(handed_over)
    event = EVENTS.create("Custom::X", "L", {})
    responder._send = lambda status=None, reason="", send_response=None: CloudFormationResponder._send(  # type: ignore[method-assign]
        responder, status, reason, lambda url, body, verify, deadline: sent.append(body)
    )

    responder(event, FakeLambdaContext())

    assert sent == []
    assert responder.answered, "nor by its timer"


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


def test_sleep_on_delete_zero_never_sleeps() -> None:
    slept: list[float] = []
    responder = CloudFormationResponder()
    responder._context = FakeLambdaContext(timeout_seconds=900)

    responder._wait_for_cwlogs(sleep=slept.append)  # type: ignore[attr-defined]

    assert slept == []


def test_without_json_logging_crhelper_only_sets_levels_and_keeps_the_formatter() -> None:
    stream_handler = logging.StreamHandler()
    formatter = logging.Formatter("%(message)s")
    stream_handler.setFormatter(formatter)
    logging.root.addHandler(stream_handler)
    try:
        log_helper.setup("INFO", formatter_cls=None, boto_level="WARNING")
        assert stream_handler.formatter is formatter
    finally:
        logging.root.removeHandler(stream_handler)
    assert "log_helper.setup(log_level, formatter_cls=None, boto_level=boto_level)" in inspect.getsource(
        CfnResource.__init__
    )


def test_request_ids_ride_on_every_record_without_a_formatter() -> None:
    use_request_ids(
        {"RequestId": "r-100%", "LogicalResourceId": "L", "ResourceType": "Custom::X"}, "aws-1", "INFO", "WARNING"
    )
    install_redaction()

    made = logging.getLogRecordFactory()("x", logging.INFO, __file__, 1, "m", None, None)

    fields = ("RequestId", "LogicalResourceId", "ResourceType")
    assert tuple(getattr(made, field) for field in fields) == ("r-100%", "L", "Custom::X")
    assert made.getMessage() == "m"
