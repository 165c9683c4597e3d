"""The AWS CLI as the local run uses it: the CLI's own driver, in the runner's process."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from local.aws_cli import LocalRunError, aws_cli
from tests.support.harness import UserPool


def test_a_command_prints_what_it_runs_and_returns_the_cli_json(
    pool: UserPool, capsys: pytest.CaptureFixture[str]
) -> None:
    described = aws_cli("describe-user-pool-client", "--user-pool-id", pool.id, "--client-id", pool.client_id)

    assert described["UserPoolClient"]["ClientId"] == pool.client_id
    assert f"  $ aws cognito-idp describe-user-pool-client --user-pool-id {pool.id}" in capsys.readouterr().out


def test_a_refused_command_raises_with_the_cli_message(faithful: Any) -> None:
    with pytest.raises(LocalRunError, match=r"aws describe-user-pool failed: .*ResourceNotFoundException"):
        aws_cli("describe-user-pool", "--user-pool-id", "us-east-1_Missing01")


def test_a_usage_error_raises_with_the_cli_usage_text(faithful: Any) -> None:
    with pytest.raises(LocalRunError, match=r"(?s)aws describe-user-pool failed: .*required: --user-pool-id"):
        aws_cli("describe-user-pool")


def test_the_cli_records_stay_out_of_the_root_logger(pool: UserPool, caplog: pytest.LogCaptureFixture) -> None:
    # The local run reads the function's log from the root logger: the CLI's DEBUG lines
    # (its own process prints none of them) must not show up there as the function's.
    caplog.set_level(logging.DEBUG)
    aws_cli("list-user-pools", "--max-results", "5")

    assert [r.name for r in caplog.records if r.name.split(".")[0] in ("awscli", "botocore", "urllib3")] == []
    assert logging.getLogger("botocore").propagate
    cli_logger = logging.getLogger("awscli")
    assert (cli_logger.level, cli_logger.handlers) == (logging.NOTSET, [])
