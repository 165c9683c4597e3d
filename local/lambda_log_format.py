"""The lines Lambda writes for the function with ``LogFormat: JSON``, so local runs show what CloudWatch will.

The Python runtime's JSON formatter writes one object per record: ``timestamp`` (ISO 8601,
UTC), ``level``, ``message``, ``logger``, ``requestId`` and any extra attribute the record
carries (Lambda developer guide, "Working with Lambda function logs": structured JSON logs
with Python; fields passed in ``extra`` become keys), plus ``errorType`` / ``stackTrace``
for an exception. The function's records carry the CloudFormation request's ids that way.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class LambdaJsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
        }
        request_id = getattr(record, "aws_request_id", None)
        if request_id:
            line["requestId"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line and key != "aws_request_id":
                line[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            line["errorType"] = record.exc_info[0].__name__
            line["stackTrace"] = self.formatException(record.exc_info).splitlines()
        elif record.exc_text:
            # The redaction filter formats and drops exc_info when the record is made.
            trace = record.exc_text.splitlines()
            line["errorType"] = trace[-1].split(":", 1)[0] if trace else ""
            line["stackTrace"] = trace
        return json.dumps(line, default=str)
