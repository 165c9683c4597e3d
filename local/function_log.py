"""The function's log records during ``make local`` and ``make invoke``: as Lambda writes them, one line each.

In Lambda the records go to CloudWatch as JSON objects, one per line (LogFormat: JSON).
Here each record is printed the same way (local/lambda_log_format.py), so a planned
failure is one line with its ``stackTrace`` inside, never a Python traceback; with
``--quiet`` only a WARNING or worse is printed, as one short line. Every record,
traceback and all, is also kept in ``.local-run/function.log``. The records were
redacted when they were made (src/cfn/logs.py's record factory).
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TextIO

from local.lambda_log_format import LambdaJsonFormatter


class FunctionLog(logging.Handler):
    """A root handler that formats its own lines: crhelper sets a JSON formatter on every root handler."""

    def __init__(self, path: Path, terminal: TextIO = sys.stdout, quiet: bool = False) -> None:
        super().__init__(level=logging.DEBUG)
        self.path = path
        self.terminal = terminal
        self.quiet = quiet
        self.lambda_format = LambdaJsonFormatter()
        self._file = path.open("w", encoding="utf-8")

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            details = record.exc_text or (
                "".join(traceback.format_exception(*record.exc_info)) if record.exc_info else ""
            )
            stamp = datetime.fromtimestamp(record.created).strftime("%H:%M:%S.%f")[:-3]
            self._file.write(f"{stamp} {record.levelname} {record.name}: {message}\n")
            if details:
                self._file.write(details.rstrip() + "\n")
            self._file.flush()
            if not self.quiet:
                line = json.loads(self.lambda_format.format(record))
                if "stackTrace" in line:
                    # One line on the terminal: the trace is in the file, as CloudWatch would have it.
                    line["stackTrace"] = f"in {self.path.parent.name}/{self.path.name}"
                print(f"  {json.dumps(line)}", file=self.terminal, flush=True)
            elif record.levelno >= logging.WARNING:
                lines = message.splitlines() or [""]
                kept = f" (traceback in {self.path.parent.name}/{self.path.name})" if details else ""
                print(f"  function {record.levelname}: {lines[0]}{kept}", file=self.terminal, flush=True)
        except Exception:
            self.handleError(record)

    def close(self) -> None:
        self._file.close()
        super().close()


@contextmanager
def function_log(path: Path, quiet: bool = False) -> Iterator[FunctionLog]:
    """The function's records go to a ``FunctionLog`` on the root logger while the block runs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = FunctionLog(path, quiet=quiet)
    logging.root.addHandler(handler)
    try:
        yield handler
    finally:
        logging.root.removeHandler(handler)
        handler.close()
