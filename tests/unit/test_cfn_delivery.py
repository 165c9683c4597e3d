"""Delivering the answer: retried while it can still help, never raising, never logging the URL."""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from cfn.delivery import ConnectionLike, send_cloudformation_response

URL = (
    "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/arn%3Aaws%3Acloudformation/path-secret"
    "?X-Amz-Credential=AKIDEXAMPLE&X-Amz-Signature=signature-secret"
)
BODY = {"Status": "SUCCESS", "PhysicalResourceId": "notes", "Data": {}}


@pytest.fixture(autouse=True)
def info_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Reply:
    def __init__(self, status: int) -> None:
        self.status = status


class ScriptedBucket:
    """Answers each PUT with the next status (or raises the next exception)."""

    def __init__(self, *outcomes: int | BaseException) -> None:
        self.outcomes = list(outcomes)
        self.puts: list[tuple[str, str, bytes]] = []

    def connect(self, host: str, context: ssl.SSLContext, timeout: float) -> ConnectionLike:
        bucket = self

        class Connection:
            def request(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> None:
                bucket.puts.append((host, url, body))
                outcome = bucket.outcomes[0]
                if isinstance(outcome, BaseException):
                    bucket.outcomes.pop(0)
                    raise outcome

            def getresponse(self) -> Reply:
                outcome = bucket.outcomes.pop(0)
                assert isinstance(outcome, int)
                return Reply(outcome)

            def close(self) -> None:
                return None

        return Connection()


def send(bucket: ScriptedBucket, clock: FakeClock, seconds_left: float = 60.0) -> bool:
    return send_cloudformation_response(
        URL, BODY, None, deadline=clock() + seconds_left, sleep=clock.sleep, clock=clock, connect=bucket.connect
    )


def test_5xx_and_429_are_retried_with_exponential_backoff_until_delivered(caplog: pytest.LogCaptureFixture) -> None:
    bucket, clock = ScriptedBucket(503, 429, 500, ConnectionResetError(), 200), FakeClock()

    assert send(bucket, clock) is True

    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0]
    assert len(bucket.puts) == 5
    host, path, payload = bucket.puts[-1]
    assert host == "cloudformation-custom-resource-response-useast1.s3.amazonaws.com"
    assert path.endswith("X-Amz-Signature=signature-secret")
    assert payload == b'{"Status": "SUCCESS", "PhysicalResourceId": "notes", "Data": {}}'
    assert "delivered (HTTP 200)" in caplog.text


def test_retries_stop_before_the_time_left_runs_out(caplog: pytest.LogCaptureFixture) -> None:
    bucket, clock = ScriptedBucket(*[503] * 10), FakeClock()

    assert send(bucket, clock, seconds_left=3.0) is False

    assert clock.sleeps == [0.5, 1.0]  # the next 2 s wait would pass the deadline
    assert len(bucket.puts) == 3
    assert any(r.levelno == logging.ERROR and "Could not deliver" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("status", [400, 403, 404, 301])
def test_4xx_is_an_error_never_delivered_and_not_retried(status: int, caplog: pytest.LogCaptureFixture) -> None:
    bucket, clock = ScriptedBucket(status), FakeClock()

    assert send(bucket, clock) is False

    assert len(bucket.puts) == 1
    assert clock.sleeps == []
    assert "delivered" not in caplog.text.replace("NOT delivered", "")
    assert any(r.levelno == logging.ERROR and f"HTTP {status}" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "url",
    [
        "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/a b?X-Amz-Signature=signature-secret",
        "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/a\r\nX: y?X-Amz-Signature=s",
    ],
)
def test_a_url_http_client_refuses_is_logged_and_never_raises(url: str, caplog: pytest.LogCaptureFixture) -> None:
    # The real connection class: http.client validates the path before connecting (InvalidURL).
    clock = FakeClock()

    delivered = send_cloudformation_response(url, BODY, None, deadline=clock() + 60, sleep=clock.sleep, clock=clock)

    assert delivered is False
    assert clock.sleeps == []
    assert "InvalidURL" in caplog.text
    assert "signature-secret" not in caplog.text


def test_any_exception_while_sending_is_caught_and_retried(caplog: pytest.LogCaptureFixture) -> None:
    bucket, clock = ScriptedBucket(RuntimeError("boom"), ssl.SSLError("handshake"), 200), FakeClock()

    assert send(bucket, clock) is True
    assert "RuntimeError" in caplog.text


def test_the_url_is_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    send(ScriptedBucket(503, OSError("refused"), 403), FakeClock())

    for secret in ("signature-secret", "AKIDEXAMPLE", "path-secret", "amazonaws.com"):
        assert secret not in caplog.text


@pytest.fixture
def flaky_bucket() -> Iterator[tuple[str, list[bytes]]]:
    """A plain-HTTP stand-in on 127.0.0.1 that answers 503 once, then 200."""
    received: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            received.append(self.rfile.read(int(self.headers["content-length"])))
            self.send_response(503 if len(received) == 1 else 200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()


def test_a_real_socket_503_is_retried_and_then_delivered(flaky_bucket: tuple[str, list[bytes]]) -> None:
    address, received = flaky_bucket
    clock = FakeClock()

    def plain_http(host: str, context: ssl.SSLContext, timeout: float) -> ConnectionLike:
        assert host == address
        return HTTPConnection(host, timeout=timeout)

    delivered = send_cloudformation_response(
        f"https://{address}/responses/1?X-Amz-Signature=s",
        BODY,
        None,
        deadline=clock() + 60,
        sleep=clock.sleep,
        clock=clock,
        connect=plain_http,
    )

    assert delivered is True
    assert clock.sleeps == [0.5]
    assert len(received) == 2


@pytest.fixture
def trickling_bucket() -> Iterator[str]:
    """A bucket on 127.0.0.1 that reads the PUT, then sends its status line a byte every 0.2 s, for ever."""
    stop = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000:
                    if stop.is_set():
                        return
                    try:
                        connection.sendall(bytes([byte]))
                    except OSError:
                        break
                    time.sleep(0.2)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    listener.close()


@pytest.mark.slow
def test_a_bucket_that_trickles_its_answer_cannot_keep_the_function_past_its_deadline(trickling_bucket: str) -> None:
    def plain_http(host: str, context: ssl.SSLContext, timeout: float) -> ConnectionLike:
        return HTTPConnection(host, timeout=timeout)

    started = time.monotonic()
    delivered = send_cloudformation_response(
        f"https://{trickling_bucket}/responses/1?X-Amz-Signature=s",
        BODY,
        None,
        deadline=started + 1.5,
        connect=plain_http,
    )

    # Each byte arrives well within the socket timeout; only the overall deadline ends the wait.
    assert delivered is False
    assert time.monotonic() - started < 2.5
