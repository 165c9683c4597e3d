"""Runs a project module in a fresh interpreter, as `make` would, without this test session's AWS settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_module(module: str, *arguments: str, timeout: float) -> subprocess.CompletedProcess[str]:
    # The session points AWS_ENDPOINT_URL and friends at its own endpoint; the
    # module under test must set up its own, as it does on a fresh machine.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
