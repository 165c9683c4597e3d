"""scripts/check_imports.py: what it reports. ``make imports`` (part of ``make test``) runs it on the project."""

from __future__ import annotations

from pathlib import Path

from scripts.check_imports import check


def test_a_circle_in_local_is_reported_even_through_a_type_checking_import(tmp_path: Path) -> None:
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "engine.py").write_text("from local.update import update_stack\n")
    (tmp_path / "local" / "update.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from local.engine import Engine\n"
    )

    _, violations = check(tmp_path)

    assert [str(v) for v in violations] == [
        "local/engine.py:1: imports local.engine -> local.update -> local.engine (an import circle)"
    ]
