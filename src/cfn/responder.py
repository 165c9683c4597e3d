"""crhelper's ``CfnResource`` with the defaults a production stack wants.

Built through crhelper's public constructor; changed from its defaults, and why:

- no 120-second sleep before answering every Delete (``sleep_on_delete=0``): the
  sleep only waited for CloudWatch Logs, and made every stack deletion slower;
- INFO-level JSON logs carrying the request's ids, with the response URL's
  pre-signature and client secrets never logged (cfn/logs.py);
- the Lambda, EventBridge and CloudWatch Logs clients that crhelper creates in its
  constructor are made on first use: only a hand-over to polling needs them, and
  creating them on every cold start costs more than importing boto3 does;
- polling (crhelper's EventBridge schedule) starts only when a change is still
  in progress after waiting inside the invocation; crhelper schedules it for
  every Create/Update that has a poll function;
- ``Reason`` keeps its head when trimmed (crhelper keeps the tail), and the whole
  response always fits CloudFormation's 4096-byte limit (cfn/delivery.py);
- a FAILED answer never carries an empty physical id: a failed Create answers with
  a marker that Delete ignores, an Update or Delete with the event's own id;
- exactly one answer per request, even when the timeout timer and the handler race.

Every override of a crhelper private member is pinned by tests/unit/test_crhelper_contract.py.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from functools import cached_property
from typing import Any

from crhelper import CfnResource

from cfn import delivery as cfn_delivery
from cfn.delivery import fit_response, trim_reason
from cfn.logs import install_redaction, log_level, use_request_ids
from resources.lifecycle import FAILED_CREATE_MARKER

logger = logging.getLogger(__name__)

# EventBridge rate schedules have a one-minute granularity.
POLLING_INTERVAL_MINUTES = 1
# Kept back from the Lambda's remaining time when retrying the PUT, so the
# runtime does not kill the function in the middle of a send.
_SEND_MARGIN_SECONDS = 0.2
# Without a Lambda context (not yet initialised), how long delivery may retry.
_SEND_WITHOUT_CONTEXT_SECONDS = 30.0


class CloudFormationResponder(CfnResource):
    # Set by crhelper's constructor and _crhelper_init; declared for the type checker
    # (crhelper's stub lists only the public attributes).
    _region: str | None
    _ssl_verify: str | None
    _log_level: str
    _boto_level: str
    _event: dict[str, Any]
    _context: Any
    _response_url: Any
    _send_response: bool

    def __init__(self) -> None:
        self._constructed = False  # read by _sam_local while crhelper's constructor runs
        super().__init__(
            json_logging=True,
            log_level=log_level(),
            boto_level="WARNING",
            polling_interval=POLLING_INTERVAL_MINUTES,
            sleep_on_delete=0,
            # The standard AWS SDK setting for a private CA bundle (local development
            # serves the response URL over HTTPS with its own certificate). crhelper's
            # stub types this as bool; its sender also takes a CA-bundle path.
            ssl_verify=os.getenv("AWS_CA_BUNDLE"),  # type: ignore[arg-type]
        )
        self._constructed = True
        self.hand_over_requested = False
        # crhelper's timeout timer answers from another thread; whichever answer
        # comes first is the only one sent.
        self._answer_lock = threading.Lock()
        self._answered = False

    @property
    def answered(self) -> bool:
        """Whether CloudFormation has been answered (by the handler or the timeout timer)."""
        with self._answer_lock:
            return self._answered

    # Private override (crhelper reads ``self._sam_local`` in two places): its
    # constructor creates the Lambda, EventBridge and Logs clients only when it is
    # falsy, and ``__call__`` skips polling, and with it the answer, when it is
    # truthy. True only while the constructor runs: no eager clients, and the
    # function answers the same way under `sam local invoke` as in AWS.
    @property
    def _sam_local(self) -> bool:
        return not self._constructed

    @_sam_local.setter
    def _sam_local(self, _ignored: object) -> None:
        return

    # Private override: crhelper's polling uses these attributes (set in its
    # constructor, skipped above); made on first use instead.
    @cached_property
    def _lambda_client(self) -> Any:
        import boto3

        return boto3.client("lambda", region_name=self._region, verify=self._ssl_verify)

    @cached_property
    def _events_client(self) -> Any:
        import boto3

        return boto3.client("events", region_name=self._region, verify=self._ssl_verify)

    # Private override: crhelper passes the event's fields to its JSON formatter as
    # %-templates, so a '%' in a LogicalResourceId broke every log line.
    def _log_setup(self, event: dict[str, Any], context: Any) -> None:
        use_request_ids(event, getattr(context, "aws_request_id", ""), self._log_level, self._boto_level)
        install_redaction()

    def generate_physical_id(self, event: dict[str, Any]) -> str:
        # Only reached when a Create failed: no handler returned an id.
        return f"{FAILED_CREATE_MARKER}{event.get('LogicalResourceId', '')}:{event.get('RequestId', '')}"[:200]

    # Private override: crhelper sets up polling for every Create/Update that has a
    # poll function; here only when the lifecycle driver asked for a hand-over.
    def _polling_init(self, event: dict[str, Any]) -> None:
        if "CrHelperPoll" in event or self.hand_over_requested:
            super()._polling_init(event)  # type: ignore[misc]  # private in crhelper's stub
        else:
            self._send_response = True

    def reschedule_poll(self, event: dict[str, Any], context: Any) -> None:
        """Rewrite the polling schedule's input, so the next poll starts from ``event`` as it is now.

        crhelper writes the rule's target once, at the hand-over; a poll that moved
        the change on must hand its progress to the next one. ``_put_targets`` is
        crhelper's own (private) writer of that input: it serialises ``self._event``
        for the rule named in ``CrHelperRule`` (pinned by tests/unit/test_crhelper_contract.py).
        """
        self._event = event
        self._put_targets(context.function_name)  # type: ignore[attr-defined]  # private in crhelper

    # Private override: crhelper's timer answers "Execution timed out" with whatever
    # physical id the handler had set so far (often ""), which CloudFormation rejects.
    def _timeout(self) -> None:
        logger.error("Execution is about to time out, sending failure message")
        self._send(
            "FAILED",
            "The function ran out of time before the change finished; "
            f"see its CloudWatch logs for request {self.RequestId}",
        )

    def answer_failed_without_running(self, event: dict[str, Any], reason: str) -> None:
        """FAILED for an event crhelper cannot start on (it reads the ids with ``event[...]``)."""
        self._event = event
        self._response_url = event.get("ResponseURL", "")
        self.StackId, self.RequestId, self.LogicalResourceId = (
            _text(event.get(key)) for key in ("StackId", "RequestId", "LogicalResourceId")
        )
        self._send("FAILED", reason)

    # Private override: crhelper's _send has no single-answer guard, keeps the tail
    # of long reasons, has no size limit and retries a failed PUT forever.
    def _send(self, status: str | None = None, reason: str = "", send_response: Any = None) -> None:
        with self._answer_lock:
            if self._answered:
                logger.warning("CloudFormation was already answered for this request; not answering again")
                return
            self._answered = True
        final_status = status or self.Status
        body = fit_response(
            {
                "Status": final_status,
                "PhysicalResourceId": self._answer_physical_id(final_status),
                "StackId": self.StackId,
                "RequestId": self.RequestId,
                "LogicalResourceId": self.LogicalResourceId,
                "Reason": trim_reason(reason if status else str(self.Reason)),
                # CloudFormation ignores Data on FAILED; a poll event's CrHelperData stays out of it.
                "Data": self.Data if final_status == "SUCCESS" else {},
                "NoEcho": self.NoEcho,
            }
        )
        logger.info("Answering CloudFormation: %s for %s", body["Status"], body["LogicalResourceId"])
        if not isinstance(self._response_url, str) or not self._response_url:
            logger.error("Not answering: the event has no ResponseURL")
            return
        deliver = send_response or cfn_delivery.send_cloudformation_response
        deliver(self._response_url, body, self._ssl_verify, deadline=self._send_deadline())

    def _answer_physical_id(self, status: str) -> str:
        """Never empty; a FAILED answer never names something a later Delete would act on wrongly.

        FAILED Create: the failed-create marker (whatever the handler had returned so
        far, as when the timer answers mid-create). FAILED Update/Delete: the event's
        own id, which CloudFormation keeps. SUCCESS: the handler's id (crhelper's
        _cfn_response fills in the event's or a generated one when there is none).
        """
        # crhelper stores whatever the handler returned (a str, or None/True by mistake).
        if status == "SUCCESS" and isinstance(self.PhysicalResourceId, str) and self.PhysicalResourceId:
            return str(self.PhysicalResourceId)
        event_id = self._event.get("PhysicalResourceId")
        if self._event.get("RequestType") != "Create" and isinstance(event_id, str) and event_id:
            return event_id
        return self.generate_physical_id(self._event)

    def _send_deadline(self) -> float:
        context = self._context
        try:
            seconds_left = float(context.get_remaining_time_in_millis()) / 1000.0 - _SEND_MARGIN_SECONDS
        except Exception:  # no context yet (an answer before crhelper stored it)
            seconds_left = _SEND_WITHOUT_CONTEXT_SECONDS
        return time.monotonic() + seconds_left


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
