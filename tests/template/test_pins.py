"""The two virtual environments' pins agree with each other and with the SAM CLI (scripts/check_pins.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

from scripts.check_pins import (
    DEV_REQUIREMENTS,
    SAM_REQUIREMENTS,
    disagreements,
    read_pins,
    read_snapshot,
    stub_disagreements,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_pinned_requirements_agree_with_the_sam_cli_snapshot() -> None:
    dev, sam = read_pins(DEV_REQUIREMENTS), read_pins(SAM_REQUIREMENTS)
    version, declared = read_snapshot()

    problems, notes = disagreements(dev, sam, version, declared)

    assert problems == []
    assert stub_disagreements(dev) == []
    assert [note.split(":")[0] for note in notes] == ["boto3"]
    by_name = {r.name: r for r in declared}
    assert dev["cfn-lint"] in by_name["cfn-lint"].specifier
    assert str(by_name["aws-sam-translator"].specifier) == f"=={dev['aws-sam-translator']}"


def test_a_cfn_lint_outside_the_sam_cli_range_is_reported() -> None:
    declared = [Requirement("cfn-lint<1.59,>=1.52.0"), Requirement("boto3==1.43.108")]

    problems, _ = disagreements(
        {"cfn-lint": Version("1.51.0"), "boto3": Version("1.44.1")},
        {"aws-sam-cli": Version("1.170.0")},
        Version("1.170.0"),
        declared,
    )

    assert [str(p) for p in problems] == [
        "cfn-lint: requirements-dev.txt pins 1.51.0, but aws-sam-cli 1.170.0 requires <1.59,>=1.52.0"
    ]


def test_a_stale_snapshot_is_reported() -> None:
    problems, _ = disagreements({}, {"aws-sam-cli": Version("1.171.0")}, Version("1.170.0"), [])

    assert "run `make pins`" in str(problems[0])


def test_boto3_that_the_stubs_do_not_describe_is_reported() -> None:
    pins = {"boto3": Version("1.44.1"), "botocore": Version("1.44.1"), "boto3-stubs": Version("1.43.126")}

    assert [p.package for p in stub_disagreements(pins)] == ["boto3-stubs"]


def test_the_check_runs_offline_and_fast_as_make_test_runs_it() -> None:
    completed = subprocess.run(
        [sys.executable, "scripts/check_pins.py"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=3
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "dev pins agree with aws-sam-cli 1.170.0" in completed.stdout
