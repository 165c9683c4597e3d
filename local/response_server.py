"""An HTTPS server on 127.0.0.1 that stands in for CloudFormation's response bucket.

It records every PUT body by path, exactly as CloudFormation reads the answer a
custom resource writes to its pre-signed ``ResponseURL``.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class ResponseServer:
    def __init__(self, cert_path: Path, key_path: Path) -> None:
        self.responses: dict[str, list[dict[str, Any]]] = {}
        self._condition = threading.Condition()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                path = urlsplit(self.path).path
                with server._condition:
                    server.responses.setdefault(path, []).append(
                        {"body": json.loads(body), "size": length, "content_type": self.headers.get("content-type")}
                    )
                    server._condition.notify_all()
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
        self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def start(self) -> ResponseServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()

    def url_for(self, request_id: str) -> str:
        # Shaped like CloudFormation's: a path per request and a pre-signature query.
        return (
            f"https://127.0.0.1:{self.port}/responses/{request_id}"
            "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=secret-signature"
        )

    def answers_for(self, request_id: str) -> list[dict[str, Any]]:
        with self._condition:
            return [entry["body"] for entry in self.responses.get(f"/responses/{request_id}", [])]

    def wait_for(self, request_id: str, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._condition:
            while not self.responses.get(f"/responses/{request_id}"):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no response was sent for request {request_id}")
                self._condition.wait(remaining)
            body: dict[str, Any] = self.responses[f"/responses/{request_id}"][-1]["body"]
            return body

    def clear(self) -> None:
        with self._condition:
            self.responses.clear()
