"""Structured logging at INFO by default, with secrets kept out of every record.

crhelper logs whole events and its response URL at DEBUG; the URL is pre-signed
and app clients can carry secrets. One filter, ``REDACTOR``, rewrites every record:

- it runs inside the log record factory (``logging.setLogRecordFactory``), so it
  sees every record when it is created, before any handler does — also handlers
  added later, and records that propagate from child loggers (a logger-level
  filter would miss those: propagation skips the parents' filters);
- the same filter is attached to every root handler, for records that do not come
  from the factory (``logging.makeLogRecord``).

It formats the message eagerly (so a '%' in an event field cannot break a handler
later), then redacts the message, the exception text and the stack: the query of
any http(s) URL, whatever its letter case; the values of the pre-signature
parameters (X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token, Signature,
AWSAccessKeyId) wherever they appear; and ``ClientSecret`` values.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any

_QUERY_STRING = re.compile(r"(https?://[^\s?'\"]+)\?[^\s'\"]*", re.IGNORECASE)
_PRESIGNED_PARAMETERS = r"X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|Signature|AWSAccessKeyId"
_PRESIGNED_PARAMETER = re.compile(rf"\b({_PRESIGNED_PARAMETERS})=[^&\s'\"]*", re.IGNORECASE)
_KEYED_SECRET = re.compile(
    rf"""(['"]?\b(?:ClientSecret|{_PRESIGNED_PARAMETERS})['"]?\s*[:=]\s*)(['"])[^'"]*\2""", re.IGNORECASE
)
_ID_FIELDS = ("RequestType", "StackId", "RequestId", "LogicalResourceId")
_MAX_ID_CHARS = 512


def redact(text: str) -> str:
    text = _QUERY_STRING.sub(r"\1?<redacted>", text)
    text = _PRESIGNED_PARAMETER.sub(r"\1=<redacted>", text)
    return _KEYED_SECRET.sub(r"\1\2<redacted>\2", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format call keeps its text instead of a "--- Logging error ---"
            message = f"{record.msg} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info:
            if not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            # Formatters print exc_text when set; some (the Lambda runtime's JSON one)
            # format exc_info themselves, so it does not stay on the record.
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


REDACTOR = RedactingFilter()


class _RedactingRecordFactory:
    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = self.wrapped(*args, **kwargs)
        REDACTOR.filter(record)
        return record


def log_level() -> str:
    level = os.environ.get("LOG_LEVEL", "INFO").upper()
    return level if level in ("DEBUG", "INFO", "WARNING", "ERROR") else "INFO"


def install_redaction() -> None:
    """Put ``REDACTOR`` in the record factory and on every root handler (idempotent)."""
    if not isinstance(logging.getLogRecordFactory(), _RedactingRecordFactory):
        logging.setLogRecordFactory(_RedactingRecordFactory(logging.getLogRecordFactory()))
    for handler in logging.root.handlers:
        if REDACTOR not in handler.filters:
            handler.addFilter(REDACTOR)


def use_request_ids(event: object, aws_request_id: object, level: str, boto_level: str) -> None:
    """Every following line carries this request's ids (crhelper's JSON formatter on every root handler).

    crhelper's formatter uses each value as a %-template, so '%' is doubled; a
    missing or non-string field is logged as "".
    """
    from crhelper import log_helper

    fields = {key: _log_field(event.get(key) if isinstance(event, dict) else None) for key in _ID_FIELDS}
    log_helper.setup(level, boto_level=boto_level, aws_request_id=_log_field(aws_request_id), **fields)


def _log_field(value: object) -> str:
    text = value[:_MAX_ID_CHARS] if isinstance(value, str) else ""
    return redact(text).replace("%", "%%")
