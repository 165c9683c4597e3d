"""crhelper's ``CfnResource`` with the defaults a production stack wants.

Built through crhelper's public constructor, with its dispatch (create / update /
delete) and its answer; changed from its defaults, and why:

- no 120-second sleep before answering every Delete (``sleep_on_delete=0``);
- Lambda's own log format and level stay (no crhelper formatter), the request's ids
  ride on every record, and secrets never reach a log (cfn/logs.py);
- no polling of crhelper's: a change still in progress is handed over by the
  lifecycle driver (cfn/driver.py), and this responder then sends no answer yet;
- ``Reason`` keeps its head when trimmed, the whole response fits CloudFormation's
  4096 bytes, and its delivery ends before the Lambda does (cfn/delivery.py);
- a FAILED answer never carries an empty physical id, and exactly one answer is
  sent per request, even when the timeout timer and the handler race.

Every override of a crhelper private member is pinned by tests/unit/test_crhelper_contract.py.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from crhelper import CfnResource

from cfn import delivery as cfn_delivery
from cfn.delivery import fit_response, trim_reason
from cfn.logs import install_redaction, log_level, use_request_ids
from resources.lifecycle import FAILED_CREATE_MARKER

logger = logging.getLogger(__name__)

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
            # Lambda's JSON log format (LoggingConfig) stays: crhelper's would replace it.
            json_logging=False,
            log_level=log_level(),
            boto_level="WARNING",
            sleep_on_delete=0,
            # The standard AWS SDK setting for a private CA bundle (local development
            # serves the response URL over HTTPS with its own certificate). crhelper's
            # stub types this as bool; its sender also takes a CA-bundle path.
            ssl_verify=os.getenv("AWS_CA_BUNDLE"),  # type: ignore[arg-type]
        )
        self._constructed = True
        # Set by the lifecycle driver when the change was handed over to a later poll:
        # that poll answers, not this invocation.
        self.hand_over_requested = False
        # Whether CloudFormation's bucket accepted the answer (the clean-up after it waits for that).
        self.delivered = False
        # crhelper's timeout timer answers from another thread; whichever answer
        # comes first is the only one sent.
        self._answer_lock = threading.Lock()
        self._answered = False

    @property
    def answered(self) -> bool:
        """Whether CloudFormation has been answered (by the handler or the timeout timer)."""
        with self._answer_lock:
            return self._answered

    # Private override: crhelper's constructor creates Lambda, EventBridge and Logs
    # clients for its polling unless ``self._sam_local`` is truthy; this function never
    # uses them, and making three clients costs more on a cold start than importing
    # boto3. True only while the constructor runs (crhelper also reads it in
    # ``__call__``, where it only matters with poll functions, which are never registered).
    @property
    def _sam_local(self) -> bool:
        return not self._constructed

    @_sam_local.setter
    def _sam_local(self, _ignored: object) -> None:
        return

    # Private override: crhelper passes the event's fields to its JSON formatter as
    # %-templates, so a '%' in a LogicalResourceId broke every log line.
    def _log_setup(self, event: dict[str, Any], context: Any) -> None:
        use_request_ids(event, getattr(context, "aws_request_id", ""), self._log_level, self._boto_level)
        install_redaction()

    def generate_physical_id(self, event: dict[str, Any]) -> str:
        # Only reached when a Create failed: no handler returned an id.
        return f"{FAILED_CREATE_MARKER}{event.get('LogicalResourceId', '')}:{event.get('RequestId', '')}"[:200]

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
        if self.hand_over_requested and status is None and final_status == "SUCCESS":
            logger.info("Not answering yet: a later poll answers when the change is done")
            return
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
        self.delivered = bool(deliver(self._response_url, body, self._ssl_verify, deadline=self._send_deadline()))

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
