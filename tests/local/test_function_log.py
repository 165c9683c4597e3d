"""make local shows the function's records as Lambda writes them (JSON, one line each), or with --quiet its
warnings and errors as one short line each, and keeps every whole record in a file."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

from local.function_log import function_log


def test_quiet_an_error_with_a_traceback_is_one_terminal_line_and_whole_in_the_file(tmp_path: Path) -> None:
    terminal = io.StringIO()
    logger = logging.getLogger("tests.function_log")
    path = tmp_path / "function.log"

    with function_log(path, quiet=True) as handler:
        handler.terminal = terminal
        logger.warning("the domain is CREATING")
        try:
            raise ValueError("Domain prefix 'notes-aws-demo' contains the reserved word 'aws'")
        except ValueError:
            logger.exception("Invalid properties")

    assert terminal.getvalue().splitlines() == [
        "  function WARNING: the domain is CREATING",
        f"  function ERROR: Invalid properties (traceback in {tmp_path.name}/function.log)",
    ]
    kept = path.read_text()
    assert "Traceback (most recent call last)" in kept
    assert "ValueError: Domain prefix 'notes-aws-demo'" in kept
    assert not any(isinstance(h, type(handler)) for h in logging.root.handlers), "removed when the block ends"


def test_every_record_is_one_json_line_as_lambda_writes_it_with_the_trace_left_in_the_file(tmp_path: Path) -> None:
    terminal = io.StringIO()
    logger = logging.getLogger("tests.function_log")
    path = tmp_path / "function.log"

    logger.setLevel(logging.INFO)
    with function_log(path) as handler:
        handler.terminal = terminal
        logger.info("Still in progress")
        try:
            raise ValueError("reserved word 'aws'")
        except ValueError:
            logger.exception("Invalid properties")

    info, error = (json.loads(line) for line in terminal.getvalue().splitlines())
    assert (info["level"], info["message"], info["logger"]) == ("INFO", "Still in progress", "tests.function_log")
    assert (error["level"], error["errorType"]) == ("ERROR", "ValueError")
    assert error["stackTrace"] == f"in {tmp_path.name}/function.log"
    assert "Traceback (most recent call last)" in path.read_text()
