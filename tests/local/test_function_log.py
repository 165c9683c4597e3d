"""make local shows the function's warnings and errors as one line each, and keeps the whole record in a file."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from local.function_log import function_log


def test_an_error_with_a_traceback_is_one_terminal_line_and_whole_in_the_file(tmp_path: Path) -> None:
    terminal = io.StringIO()
    logger = logging.getLogger("tests.function_log")
    path = tmp_path / "function.log"

    with function_log(path) as handler:
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
