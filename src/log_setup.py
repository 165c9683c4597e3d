"""Structured logging at INFO by default, with secrets kept out of every record.

crhelper logs whole events and its response URL at DEBUG; the URL is pre-signed
and app clients can carry secrets. The filter below rewrites every record that
reaches a root handler, so even LOG_LEVEL=DEBUG never writes them to CloudWatch.
"""

from __future__ import annotations

import logging
import os
import re

_QUERY_STRING = re.compile(r"(https?://[^\s?'\"]+)\?[^\s'\"]*")
_CLIENT_SECRET = re.compile(r"""(['"]?ClientSecret['"]?\s*[:=]\s*)(['"])[^'"]*\2""")


def redact(text: str) -> str:
    text = _QUERY_STRING.sub(r"\1?<redacted>", text)
    return _CLIENT_SECRET.sub(r"\1\2<redacted>\2", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def log_level() -> str:
    level = os.environ.get("LOG_LEVEL", "INFO").upper()
    return level if level in ("DEBUG", "INFO", "WARNING", "ERROR") else "INFO"


def install_redaction() -> None:
    """Attach the filter to every root handler (idempotent; the Lambda runtime owns the handlers)."""
    for handler in logging.root.handlers:
        if not any(isinstance(existing, RedactingFilter) for existing in handler.filters):
            handler.addFilter(RedactingFilter())
