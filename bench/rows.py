"""A row of the ``make bench`` table, and the progress lines printed between rows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    measure: str
    project: str
    alternative: str
    comparison: str
    failed: bool = False


def progress(text: str) -> None:
    print(f"  … {text}", flush=True)
