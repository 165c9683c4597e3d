"""The function's log records during ``make local``: one line each on the terminal, whole in a file.

In Lambda the records go to CloudWatch, tracebacks included. Here a planned failure
(step 6's refused prefix) would otherwise print a Python traceback through logging's
last-resort handler, which reads like a crash. So a WARNING or worse is one line on
the terminal, and every record, traceback and all, is kept in ``.local-run/function.log``.
The records were redacted when they were made (src/log_setup.py's record factory).
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TextIO


class FunctionLog(logging.Handler):
    """A root handler that formats its own lines: crhelper sets a JSON formatter on every root handler."""

    def __init__(self, path: Path, terminal: TextIO = sys.stdout) -> None:
        super().__init__(level=logging.DEBUG)
        self.path = path
        self.terminal = terminal
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
            if record.levelno >= logging.WARNING:
                lines = message.splitlines() or [""]
                kept = f" (traceback in {self.path.parent.name}/{self.path.name})" if details else ""
                print(f"  function {record.levelname}: {lines[0]}{kept}", file=self.terminal, flush=True)
        except Exception:
            self.handleError(record)

    def close(self) -> None:
        self._file.close()
        super().close()


@contextmanager
def function_log(path: Path) -> Iterator[FunctionLog]:
    """The function's records go to a ``FunctionLog`` on the root logger while the block runs."""
    handler = FunctionLog(path)
    logging.root.addHandler(handler)
    try:
        yield handler
    finally:
        logging.root.removeHandler(handler)
        handler.close()
