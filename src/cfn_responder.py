"""crhelper's ``CfnResource`` with the defaults a production stack wants.

Changed from crhelper's defaults, and why:

- no 120-second sleep before answering every Delete (``sleep_on_delete=0``): the
  sleep only waited for CloudWatch Logs, and made every stack deletion slower;
- INFO-level JSON logs, with the response URL never logged (log_setup.py);
- the Lambda, EventBridge and CloudWatch Logs clients that crhelper creates in its
  constructor are made on first use: only a hand-over to polling needs them, and
  creating them on every cold start costs more than importing boto3 does;
- polling (crhelper's EventBridge schedule) starts only when a change is still
  in progress after waiting inside the invocation; crhelper schedules it for
  every Create/Update that has a poll function;
- ``Reason`` keeps its head when trimmed (crhelper keeps the tail), and the whole
  response always fits CloudFormation's 4096-byte limit;
- a failed Create answers with a marker physical id that Delete ignores;
- exactly one answer per request, even when the timeout timer and the handler race.
"""

from __future__ import annotations

import json
import logging
import os
import ssl
import threading
import time
from functools import cached_property
from http.client import HTTPSConnection
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from crhelper import CfnResource

from log_setup import install_redaction, log_level
from resources.lifecycle import FAILED_CREATE_MARKER

logger = logging.getLogger(__name__)

# CloudFormation rejects response bodies over 4096 bytes ("Response object is too
# long"), and crhelper documents 256 characters as the useful Reason length.
MAX_RESPONSE_BYTES = 4096
MAX_REASON_CHARS = 256
# EventBridge rate schedules have a one-minute granularity.
POLLING_INTERVAL_MINUTES = 1
_SEND_ATTEMPTS = 4


class CloudFormationResponder(CfnResource):
    def __init__(self) -> None:
        # crhelper's constructor is not called: it creates three AWS clients
        # eagerly. These are the attributes it would set, with our defaults.
        self._sleep_on_delete = 0
        self._create_func = self._update_func = self._delete_func = None
        self._poll_create_func = self._poll_update_func = self._poll_delete_func = None
        self._timer = None
        self._init_failed = None
        self._json_logging = True
        self._log_level = log_level()
        self._boto_level = "WARNING"
        self._send_response = False
        self._polling_interval = POLLING_INTERVAL_MINUTES
        self.Status = ""
        self.Reason = ""
        self.PhysicalResourceId = ""
        self.StackId = ""
        self.RequestId = ""
        self.LogicalResourceId = ""
        self.Data: dict[str, Any] = {}
        self.NoEcho = False
        self._event: dict[str, Any] = {}
        self._context = None
        self._response_url = ""
        # crhelper skips answering altogether under `sam local invoke` when polling
        # is configured; answering the same way everywhere is easier to reason about.
        self._sam_local = None
        self._region = os.getenv("AWS_REGION")
        # The standard AWS SDK setting for a private CA bundle (local development
        # serves the response URL over HTTPS with its own certificate).
        self._ssl_verify = os.getenv("AWS_CA_BUNDLE")
        self.hand_over_requested = False
        # crhelper's timeout timer answers from another thread; whichever answer
        # comes first is the only one sent.
        self._answer_lock = threading.Lock()
        self._answered = False

    @cached_property
    def _lambda_client(self) -> Any:
        import boto3

        return boto3.client("lambda", region_name=self._region, verify=self._ssl_verify)

    @cached_property
    def _events_client(self) -> Any:
        import boto3

        return boto3.client("events", region_name=self._region, verify=self._ssl_verify)

    def _log_setup(self, event: dict[str, Any], context: Any) -> None:
        super()._log_setup(event, context)  # type: ignore[misc]  # private in crhelper's stub
        install_redaction()

    def generate_physical_id(self, event: dict[str, Any]) -> str:
        # Only reached when a Create failed: no handler returned an id.
        return f"{FAILED_CREATE_MARKER}{event.get('LogicalResourceId', '')}:{event.get('RequestId', '')}"[:200]

    def _polling_init(self, event: dict[str, Any]) -> None:
        if "CrHelperPoll" in event or self.hand_over_requested:
            super()._polling_init(event)  # type: ignore[misc]  # private in crhelper's stub
        else:
            self._send_response = True

    def _timeout(self) -> None:
        logger.error("Execution is about to time out, sending failure message")
        self._send(
            "FAILED",
            "The function ran out of time before the change finished; "
            f"see its CloudWatch logs for request {self.RequestId}",
        )

    def _send(self, status: str | None = None, reason: str = "", send_response: Any = None) -> None:
        with self._answer_lock:
            if self._answered:
                logger.warning("CloudFormation was already answered for this request; not answering again")
                return
            self._answered = True
        body = {
            "Status": status or self.Status,
            "PhysicalResourceId": str(self.PhysicalResourceId),
            "StackId": self.StackId,
            "RequestId": self.RequestId,
            "LogicalResourceId": self.LogicalResourceId,
            "Reason": trim_reason(reason if status else str(self.Reason)),
            "Data": self.Data,
            "NoEcho": self.NoEcho,
        }
        body = fit_response(body)
        logger.info(
            "Answering CloudFormation: %s %s for %s",
            body["Status"],
            body["PhysicalResourceId"],
            body["LogicalResourceId"],
        )
        (send_response or send_cloudformation_response)(self._response_url, body, self._ssl_verify)


def trim_reason(reason: str) -> str:
    """Keep the head: our reasons start with the fact the user needs."""
    reason = " ".join(str(reason).split())
    if len(reason) <= MAX_REASON_CHARS:
        return reason
    return reason[: MAX_REASON_CHARS - 1] + "…"


def fit_response(body: dict[str, Any]) -> dict[str, Any]:
    """A body of at most 4096 bytes; an answer that cannot fit becomes a FAILED one that does."""
    if len(json.dumps(body).encode()) <= MAX_RESPONSE_BYTES:
        return body
    trimmed = dict(
        body,
        Data={},
        Status="FAILED",
        Reason="The resource's attributes exceed CloudFormation's 4096-byte response limit",
    )
    if len(json.dumps(trimmed).encode()) > MAX_RESPONSE_BYTES:
        trimmed["PhysicalResourceId"] = str(trimmed["PhysicalResourceId"])[:512]
    return trimmed


def send_cloudformation_response(response_url: str, body: dict[str, Any], ssl_verify: str | None) -> None:
    """PUT the answer to the pre-signed URL, with a few bounded retries; never logs the URL."""
    payload = json.dumps(body).encode()
    parts = urlsplit(response_url)
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    context = ssl.create_default_context(cafile=ssl_verify if ssl_verify and os.path.exists(ssl_verify) else None)
    for attempt in range(1, _SEND_ATTEMPTS + 1):
        try:
            connection = HTTPSConnection(parts.netloc, context=context, timeout=15)
            connection.request(
                "PUT", path, body=payload, headers={"content-type": "", "content-length": str(len(payload))}
            )
            status = connection.getresponse().status
            connection.close()
            logger.info("CloudFormation response delivered (HTTP %s)", status)
            return
        except OSError as error:
            logger.warning(
                "Sending the response failed (attempt %d of %d): %s", attempt, _SEND_ATTEMPTS, type(error).__name__
            )
            time.sleep(min(2**attempt, 5))
    logger.error("Could not deliver the response to CloudFormation")
