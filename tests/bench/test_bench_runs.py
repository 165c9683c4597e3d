"""make bench: it runs, prints its rows as they come, fails when a row fails, and keeps the shell's settings out."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench import run as bench
from bench.rows import Row
from bench.run import clean_environment, run_section

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_bench_prints_every_row_with_a_small_n() -> None:
    # LOG_LEVEL=DEBUG in the caller's shell must change nothing the bench measures or prints.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")} | {"LOG_LEVEL": "DEBUG"}
    completed = subprocess.run(
        [sys.executable, "-m", "bench.run", "--runs", "1", "--sizes", "2", "--handovers", "2",
         "--handover-scale", "0.05", "--contributions", "2"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=280, check=False,
    )  # fmt: skip

    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    table = completed.stdout
    for measure in (
        "cold start: import handler",
        "answer: domain Create",
        "answer: domain Update with replacement",
        "calls: settings Delete",
        "2 settings resources in parallel (5/s quota)",
        "2 settings resources in parallel (SSM 3/s)",
        "2 simultaneous hand-overs, 2 stacks",
        "2 URL contributions to one client at once (5/s quota)",
    ):
        assert f"| {measure}" in table
    assert "0 failed" in table
    assert "| 2 simultaneous hand-overs, 2 stacks            | 0 failed, 0 left       | 2 handed over" in table
    assert "  … every kind of change, run 1 of 1" in table
    assert '"level": "DEBUG"' not in completed.stdout + completed.stderr


def test_a_failed_row_or_a_raising_section_fails_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    def failing_rows(_: Any, __: Any) -> Iterator[Row]:
        yield Row("fine", "1 ms", "", "")
        yield Row("10 settings resources in parallel", "1.0 s, 3 failed", "", "", failed=True)

    def raising(_: Any, __: Any) -> Iterator[Row]:
        raise RuntimeError("domain Create failed: Domain is already used")
        yield  # a generator, as sections are

    assert run_section(failing_rows, None, None) is False  # type: ignore[arg-type]
    assert run_section(raising, None, None) is False  # type: ignore[arg-type]
    printed = capsys.readouterr().out
    assert "| 10 settings resources in parallel" in printed
    assert "| raising FAILED" in printed
    assert "domain Create failed: Domain is already used" in printed


def test_main_exits_1_when_a_section_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def failed(_: Any, __: Any) -> Iterator[Row]:
        yield Row("a row", "", "", "", failed=True)

    monkeypatch.setattr(bench, "SECTIONS_WITHOUT_ENDPOINT", [failed])
    monkeypatch.setattr(bench, "SECTIONS", [])
    monkeypatch.setattr(bench, "local_world", _nothing)
    monkeypatch.setattr(bench, "Bench", lambda endpoint, responses: None)

    assert bench.main(["--runs", "1"]) == 1


def _nothing() -> Any:
    from contextlib import nullcontext

    return nullcontext((None, None))


def test_the_shells_settings_do_not_reach_what_is_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    monkeypatch.setenv("AWS_PROFILE", "production")

    environment = clean_environment(PYTHONPATH="src")

    assert "LOG_LEVEL" not in environment
    assert "AWS_PROFILE" not in environment
    assert environment["PYTHONPATH"] == "src"
