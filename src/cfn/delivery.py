"""The answer CloudFormation reads: a body that always fits, PUT to the pre-signed URL.

CloudFormation reads the response object from the pre-signed ``ResponseURL``
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html):
"The total size of the response body can't exceed 4096 bytes", and
``StackId``, ``RequestId`` and ``LogicalResourceId`` "should be copied verbatim
from the request". Nothing here logs the URL: its query string is the signature.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import ssl
import threading
import time
from collections.abc import Callable
from http.client import HTTPSConnection, InvalidURL
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

logger = logging.getLogger(__name__)

# CloudFormation rejects response bodies over 4096 bytes ("Response object is too
# long"), and crhelper documents 256 characters as the useful Reason length.
MAX_RESPONSE_BYTES = 4096
MAX_REASON_CHARS = 256
# Only when a body cannot fit even without Data: the most each field may take,
# in JSON-encoded bytes (1024 + 1024 + 512 + 512 + 512 plus the keys < 4096).
# CloudFormation matches the answer on StackId, RequestId and LogicalResourceId,
# so trimming them means CloudFormation will not recognise the answer; they are
# only trimmed when no real CloudFormation event could have produced them
# (a logical id is at most 255 characters, a stack ARN a few hundred).
_PATHOLOGICAL_FIELD_BYTES = {
    "PhysicalResourceId": 1024,
    "StackId": 1024,
    "RequestId": 512,
    "LogicalResourceId": 512,
    "Reason": 512,
}
# S3 answers 5xx (and 429 "SlowDown"-like throttling) for conditions that pass.
_FIRST_BACKOFF_SECONDS = 0.5
_MAX_BACKOFF_SECONDS = 8.0
_MAX_ATTEMPTS = 8
_CONNECTION_TIMEOUT_SECONDS = 15.0


class ResponseLike(Protocol):
    status: int


class ConnectionLike(Protocol):
    def request(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> None: ...

    def getresponse(self) -> ResponseLike: ...

    def close(self) -> None: ...


# (host[:port], TLS context, timeout in seconds) -> a connection; tests inject their own.
ConnectionFactory = Callable[[str, ssl.SSLContext, float], ConnectionLike]


def https_connection(host: str, context: ssl.SSLContext, timeout: float) -> ConnectionLike:
    return HTTPSConnection(host, context=context, timeout=timeout)


def trim_reason(reason: str) -> str:
    """Keep the head: our reasons start with the fact the user needs."""
    reason = " ".join(str(reason).split())
    if len(reason) <= MAX_REASON_CHARS:
        return reason
    return reason[: MAX_REASON_CHARS - 1] + "…"


def encode(body: dict[str, Any]) -> bytes:
    """The JSON CloudFormation receives; anything not JSON-serialisable becomes its text."""
    return json.dumps(body, default=str).encode()


def fit_response(body: dict[str, Any]) -> dict[str, Any]:
    """A body of at most 4096 bytes; an answer that cannot fit becomes a FAILED one that does."""
    if len(encode(body)) <= MAX_RESPONSE_BYTES:
        return body
    trimmed = dict(
        body,
        Data={},
        Status="FAILED",
        Reason="The resource's attributes exceed CloudFormation's 4096-byte response limit",
    )
    if len(encode(trimmed)) <= MAX_RESPONSE_BYTES:
        return trimmed
    # Pathological: the event itself carried oversized fields (see _PATHOLOGICAL_FIELD_BYTES).
    for field, max_bytes in _PATHOLOGICAL_FIELD_BYTES.items():
        trimmed[field] = head_within(str(trimmed.get(field, "")), max_bytes)
    trimmed["NoEcho"] = trimmed.get("NoEcho") is True
    return trimmed


def head_within(text: str, max_bytes: int) -> str:
    """The longest beginning of ``text`` whose JSON encoding takes at most ``max_bytes``."""
    if len(json.dumps(text)) <= max_bytes:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if len(json.dumps(text[:middle])) <= max_bytes:
            low = middle
        else:
            high = middle - 1
    return text[:low]


def send_cloudformation_response(
    response_url: str,
    body: dict[str, Any],
    ssl_verify: str | None,
    *,
    deadline: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    connect: ConnectionFactory = https_connection,
) -> bool:
    """PUT the answer; retry 5xx, 429 and connection errors with backoff until ``deadline``.

    ``deadline`` is on ``clock`` (monotonic seconds); without one, 60 s from now.
    Returns whether CloudFormation's bucket accepted the answer. Never raises and
    never logs the URL (its query string is the pre-signature).
    """
    deadline = clock() + 60.0 if deadline is None else deadline
    try:
        payload = encode(body)
        parts = urlsplit(response_url)
        path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        context = _tls_context(ssl_verify)
    except Exception as error:  # an answer that cannot even be prepared must not crash the handler
        logger.error("Could not prepare the response to CloudFormation: %s", type(error).__name__)
        return False
    backoff = _FIRST_BACKOFF_SECONDS
    for attempt in range(1, _MAX_ATTEMPTS + 1):
        outcome = _put_once(connect, parts.netloc, context, path, payload, time_left=max(0.5, deadline - clock()))
        if outcome == "delivered":
            return True
        if outcome == "refused" or clock() + backoff >= deadline:
            break
        logger.warning("Retrying the response to CloudFormation in %.1f s (attempt %d failed)", backoff, attempt)
        sleep(backoff)
        backoff = min(backoff * 2, _MAX_BACKOFF_SECONDS)
    logger.error("Could not deliver the response to CloudFormation; the stack waits for its timeout")
    return False


def _put_once(
    connect: ConnectionFactory, host: str, context: ssl.SSLContext, path: str, payload: bytes, *, time_left: float
) -> str:
    """One PUT, over by ``time_left`` whatever the server does: ``delivered``, ``retry`` or ``refused``.

    A socket timeout bounds each read, not the exchange: a server that trickles its
    headers a byte at a time would keep the function past its end. So the exchange runs
    in a thread this call waits for at most ``time_left``, then closes the connection.
    """
    outcome: list[str] = []
    connection_made: list[ConnectionLike] = []
    worker = threading.Thread(
        target=lambda: outcome.append(
            _exchange(connect, host, context, path, payload, time_left=time_left, made=connection_made)
        ),
        daemon=True,
    )
    worker.start()
    worker.join(time_left)
    if worker.is_alive():
        for connection in connection_made:
            with contextlib.suppress(Exception):
                connection.close()
        logger.warning("CloudFormation's response bucket did not answer within %.1f s", time_left)
        return "retry"
    return outcome[0] if outcome else "retry"


def _exchange(
    connect: ConnectionFactory,
    host: str,
    context: ssl.SSLContext,
    path: str,
    payload: bytes,
    *,
    time_left: float,
    made: list[ConnectionLike],
) -> str:
    headers = {"content-type": "", "content-length": str(len(payload))}
    try:
        connection = connect(host, context, min(_CONNECTION_TIMEOUT_SECONDS, time_left))
        made.append(connection)
        try:
            connection.request("PUT", path, body=payload, headers=headers)
            status = connection.getresponse().status
        finally:
            connection.close()
    except InvalidURL as error:
        # http.client refuses URLs with spaces or control characters; retrying cannot help.
        logger.error("The response URL cannot be sent to (%s)", type(error).__name__)
        return "refused"
    except Exception as error:
        logger.warning("Sending the response to CloudFormation failed: %s", type(error).__name__)
        return "retry"
    if 200 <= status < 300:
        logger.info("CloudFormation response delivered (HTTP %s)", status)
        return "delivered"
    if status == 429 or status >= 500:
        logger.warning("CloudFormation's response bucket answered HTTP %s", status)
        return "retry"
    # 403 is an expired or altered pre-signature: the answer is lost, say so loudly.
    logger.error("CloudFormation's response bucket refused the response (HTTP %s); it was NOT delivered", status)
    return "refused"


def _tls_context(ssl_verify: str | None) -> ssl.SSLContext:
    # AWS_CA_BUNDLE (the SDKs' setting for a private CA) when it names a file, else the system's CAs.
    cafile = ssl_verify if ssl_verify and os.path.exists(ssl_verify) else None
    return _tls_context_for(cafile)


@functools.lru_cache(maxsize=4)
def _tls_context_for(cafile: str | None) -> ssl.SSLContext:
    # One per execution environment: loading the CAs costs milliseconds on every answer
    # otherwise, and a context is safe to share between connections and threads.
    return ssl.create_default_context(cafile=cafile)
