"""Logging as Lambda writes it (LoggingConfig: JSON, its level), with the request's ids and no secrets.

Lambda's JSON format adds a record's extra attributes as keys (Lambda developer guide,
"Working with Lambda function logs", Python: fields passed in ``extra``), so the
CloudFormation request's ids ride on every record as attributes, set where each record
is made; no formatter is replaced. The level is Lambda's (``AWS_LAMBDA_LOG_LEVEL``,
from ``ApplicationLogLevel``), else ``LOG_LEVEL``, else INFO.

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
_ID_FIELDS = ("RequestType", "RequestId", "StackId", "LogicalResourceId", "ResourceType")
# The ids of the request being handled, stamped on every record (one request per invocation).
_request_ids: dict[str, str] = {}
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
        for key, value in _request_ids.items():
            if not hasattr(record, key):
                setattr(record, key, value)
        REDACTOR.filter(record)
        return record


_LAMBDA_LEVELS = {"TRACE": "DEBUG", "WARN": "WARNING", "FATAL": "ERROR"}


def log_level() -> str:
    for setting in ("AWS_LAMBDA_LOG_LEVEL", "LOG_LEVEL"):
        level = os.environ.get(setting, "").upper()
        if level in ("DEBUG", "INFO", "WARNING", "ERROR"):
            return level
        # Lambda's own names (TRACE, WARN, FATAL), as ApplicationLogLevel spells them.
        if level in _LAMBDA_LEVELS:
            return _LAMBDA_LEVELS[level]
    return "INFO"


def install_redaction() -> None:
    """Put ``REDACTOR`` in the record factory and on every root handler (idempotent)."""
    if not isinstance(logging.getLogRecordFactory(), _RedactingRecordFactory):
        logging.setLogRecordFactory(_RedactingRecordFactory(logging.getLogRecordFactory()))
    for handler in logging.root.handlers:
        if REDACTOR not in handler.filters:
            handler.addFilter(REDACTOR)


def use_request_ids(event: object, aws_request_id: object, level: str, boto_level: str) -> None:
    """Every following record carries this request's ids, at ``level`` (the SDK's loggers at ``boto_level``).

    A missing or non-string field is logged as "". ``aws_request_id`` is Lambda's own
    ``requestId``, which its formatter adds itself.
    """
    del aws_request_id
    _request_ids.clear()
    _request_ids.update({key: _log_field(event.get(key) if isinstance(event, dict) else None) for key in _ID_FIELDS})
    _set_level(logging.root, level)
    for name in ("boto", "boto3", "botocore", "urllib3"):
        _set_level(logging.getLogger(name), boto_level)


def _set_level(logger: logging.Logger, level: str) -> None:
    # setLevel empties the level cache of every logger in the process, and a warm
    # execution environment's invocations nearly always keep the level they had.
    if logger.level != logging.getLevelNamesMapping()[level]:
        logger.setLevel(level)


def _log_field(value: object) -> str:
    text = value[:_MAX_ID_CHARS] if isinstance(value, str) else ""
    return redact(text)
