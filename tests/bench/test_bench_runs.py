"""The benchmark is not a timed test: this only checks that it runs and prints its table."""

from __future__ import annotations

import pytest

from tests.support.fresh_process import run_module


@pytest.mark.timeout(300)
def test_bench_prints_every_row_with_a_small_n() -> None:
    completed = run_module(
        "bench.run",
        "--runs",
        "1",
        "--sizes",
        "3",
        "--domain-delay",
        "0.5",
        "--deleting",
        "0.5",
        "--validation",
        "0.5",
        "--validation",
        "1",
        "--skip-package",
        # Copies and zips botocore twice: measured by make bench, not in every test run.
        "--skip-sdk",
        # The suite row runs this very suite: not from inside it.
        "--skip-suite",
        timeout=280,
    )

    assert completed.returncode == 0, completed.stderr[-3000:]
    table = completed.stdout
    for measure in (
        "cold start: import handler",
        "handler: domain Create",
        "handler: domain Update with replacement",
        "calls: settings Delete",
        "Delete answered after",
        "custom domain: ACTIVE to answer",
        "3 settings resources in parallel (5/s quota)",
        "prefix change in one pool (DELETING 0.5 s, CREATING 0.5 s)",
        "custom domain chain: certificate ISSUED → answer → domain ACTIVE → answer",
    ):
        assert f"| {measure}" in table
    assert "0 failed" in table
