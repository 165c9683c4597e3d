"""Answers lost on the wire: the connection closes before or after the operation acted.

botocore reports a response that never arrives as ``ConnectionClosedError`` (an
``HTTPClientError``); a client cannot tell whether the service acted. A test picks the
operation (a read or a write) and whether the drop comes before or after it acted, with
``FaithfulCognito.drop_connection``. Rules and sources: docs/design/double.md.
"""

from __future__ import annotations

import socket
from typing import Any
from unittest import mock

from botocore.exceptions import ConnectionClosedError
from moto.core.responses import BaseResponse

from cognito_double.state import FaithfulCognito


def _take(state: FaithfulCognito, operation: str, when: str) -> bool:
    with state.lock:
        armed = state.transport.drops.get(operation)
        if armed is None or armed[0] != when or armed[1] <= 0:
            return False
        state.transport.drops[operation] = (armed[0], armed[1] - 1)
        return True


def _drop(response: BaseResponse, answer: Any) -> Any:
    """``answer`` goes nowhere: in server mode the socket is shut first, so werkzeug's write fails
    quietly and the client reads a closed connection; in-process (no socket) botocore's own error
    is raised where its transport would raise it."""
    # T2: botocore, ConnectionClosedError: "Connection was closed before we received a valid response".
    environ = getattr(getattr(response, "normalized_request", None), "environ", None) or {}
    connection = environ.get("werkzeug.socket")
    if connection is None:
        raise ConnectionClosedError(endpoint_url=getattr(response, "uri", "") or "the double")
    connection.shutdown(socket.SHUT_RDWR)
    return answer


def transport_patches(state: FaithfulCognito) -> list[Any]:
    """The patch (not started) that lets any operation's answer be dropped."""
    original_call_action = BaseResponse.call_action

    def call_action(response: BaseResponse) -> Any:
        operation = response._get_action()
        if _take(state, operation, "before"):
            return _drop(response, (500, {}, ""))
        result = original_call_action(response)
        if _take(state, operation, "after"):
            return _drop(response, result)
        return result

    return [mock.patch.object(BaseResponse, "call_action", call_action)]
