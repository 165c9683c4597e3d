"""moto in server mode on 127.0.0.1, with the faithful Cognito double installed."""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.server import ThreadedMotoServer

from cognito_double.faithful_cognito import FaithfulCognito, install


class MotoEndpoint:
    def __init__(self, server: ThreadedMotoServer, faithful: FaithfulCognito) -> None:
        self._server = server
        self.faithful = faithful
        host, port = server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        # The server's application, made again: moto's state is per process, so both answer alike.
        self.application = DomainDispatcherApplication(create_backend_app)

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.url}/moto-api/reset", data=json.dumps({}).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass
        self.faithful.reset()


@contextmanager
def running_moto_endpoint(port: int = 0) -> Iterator[MotoEndpoint]:
    # One access-log line per request drowns every useful log line.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with install() as faithful:
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        try:
            yield MotoEndpoint(server, faithful)
        finally:
            server.stop()
