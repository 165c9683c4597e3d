"""Requests for the local endpoint answered in this process, without a socket.

Every botocore request whose URL starts with the endpoint's is handed, as it would
arrive over HTTP (method, path, headers, body), to the endpoint's own WSGI
application, and the application's HTTP answer goes back to botocore, which parses it
as it parses any. Only the wire is skipped: each request through moto's werkzeug
server opens a TCP connection and a thread (werkzeug closes every connection), which
cost the test suite a third of each call. A process without this (``make local``'s
runner, anything started as a subprocess) talks to the same endpoint over 127.0.0.1.

What the wire did, this keeps: an exception inside the application is answered
HTTP 500, as werkzeug's server answers it; a connection the double drops
(``transport.py``) is botocore's ``ConnectionClosedError`` either way.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore import handlers
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders
from botocore.exceptions import HTTPClientError
from werkzeug.test import EnvironBuilder, run_wsgi_app

Application = Callable[..., Any]
logger = logging.getLogger(__name__)


class _RawBody(io.BytesIO):
    """The answer's body as botocore reads a urllib3 response: ``stream()`` for most, ``read()`` for streams."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        contents = self.read()
        while contents:
            yield contents
            contents = self.read()


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def _body(request: AWSPreparedRequest) -> bytes:
    body = request.body
    if body is None:
        return b""
    if hasattr(body, "read"):
        content = body.read()
        return content.encode() if isinstance(content, str) else bytes(content)
    return body.encode() if isinstance(body, str) else bytes(body)


def _http_headers(pairs: Any) -> HTTPHeaders:
    headers = HTTPHeaders()
    for name, value in pairs:
        headers[name] = value
    return headers


def answer_in_process(url: str, application: Application) -> Callable[..., AWSResponse | None]:
    """A ``before-send`` handler: the application's answer for requests to ``url``, None for any other."""

    def before_send(request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
        if not (request.url == url or request.url.startswith(url + "/")):
            return None
        environ = EnvironBuilder(
            path=request.url[len(url) :] or "/",
            base_url=url,
            method=request.method,
            headers=[(str(name), _text(value)) for name, value in dict(request.headers).items()],
            data=_body(request),
        ).get_environ()
        try:
            chunks, status, headers = run_wsgi_app(application, environ, buffered=True)
            content = b"".join(chunks)
        except HTTPClientError:
            raise  # a dropped connection (transport.py): botocore's transport error, as over the wire
        except Exception:
            logger.exception("the local endpoint failed on %s %s", request.method, request.url)
            return AWSResponse(request.url, 500, HTTPHeaders(), _RawBody(b"Internal Server Error"))
        return AWSResponse(request.url, int(status.split()[0]), _http_headers(headers.items()), _RawBody(content))

    return before_send


_active: list[Any] = []  # the before-send handlers registered now


def over_the_wire(client: Any) -> Any:
    """``client``, its requests sent over 127.0.0.1 even inside ``answered_in_process`` (tests of the wire)."""
    for before_send in _active:
        client.meta.events.unregister("before-send", before_send)
    return client


@contextmanager
def answered_in_process(url: str, application: Application) -> Iterator[None]:
    """While the block runs, botocore requests to ``url`` from this process skip the wire.

    Registered on boto3's default session (the clients the code and the tests make) and
    on every botocore session made meanwhile (the AWS CLI's, for one). Clients made
    before the block keep their sockets.
    """
    before_send: Any = answer_in_process(url, application)
    handler = ("before-send", before_send)
    handlers.BUILTIN_HANDLERS.append(handler)
    _active.append(before_send)
    sessions = [boto3.DEFAULT_SESSION]
    if sessions[0] is not None:
        sessions[0].events.register("before-send", before_send)
    try:
        yield
    finally:
        handlers.BUILTIN_HANDLERS.remove(handler)
        _active.remove(before_send)
        for session in {id(s): s for s in [*sessions, boto3.DEFAULT_SESSION] if s is not None}.values():
            session.events.unregister("before-send", before_send)
