"""The real AWS CLI, as a local run uses it to sign the test user up and in (nothing but 127.0.0.1 is reached).

The CLI's own driver (``awscli.clidriver``, what ``aws`` runs) parses, sends and prints
each command, in this process: the same code as ``.venv/bin/aws``, without starting an
interpreter and loading the CLI again for every command.
"""

from __future__ import annotations

import functools
import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from typing import Any

TEST_USER = "local.user@example.com"
TEST_PASSWORD = "Local-Passw0rd"


class LocalRunError(Exception):
    """A step failed; the message says which and why."""


@functools.cache
def _cli_driver() -> Any:
    try:
        from awscli.clidriver import create_clidriver
    except ImportError as missing:
        raise LocalRunError("the AWS CLI is not installed (it comes with requirements-dev.txt)") from missing
    return create_clidriver()


# The loggers of the CLI and what it sends with; in the CLI's own process nothing prints their records.
CLI_LOGGERS = ("awscli", "botocore", "urllib3", "s3transfer")


@contextmanager
def _cli_logs_kept_to_the_cli() -> Iterator[None]:
    """The CLI's records stay out of this process's root logger (where the function's log is read)."""
    loggers = [logging.getLogger(name) for name in CLI_LOGGERS]
    # The driver also adds a handler to "awscli" and sets its level on every command.
    saved = [(logger.propagate, logger.level, list(logger.handlers)) for logger in loggers]
    for logger in loggers:
        logger.propagate = False
    try:
        yield
    finally:
        for logger, (propagate, level, handlers) in zip(loggers, saved, strict=True):
            logger.propagate = propagate
            logger.setLevel(level)
            logger.handlers[:] = handlers


def aws_cli(*arguments: str) -> dict[str, Any]:
    """``aws cognito-idp ARGUMENTS --output json``, pointed at the local endpoint through the environment."""
    print("  $ aws cognito-idp " + " ".join(arguments).replace(TEST_PASSWORD, "********"))
    printed, complained = io.StringIO(), io.StringIO()
    with redirect_stdout(printed), redirect_stderr(complained), _cli_logs_kept_to_the_cli():
        try:
            exit_code = _cli_driver().main(["cognito-idp", *arguments, "--output", "json"])
        except SystemExit as exited:  # argparse's usage errors exit instead of returning
            exit_code = exited.code if isinstance(exited.code, int) else 255
    if exit_code != 0:
        raise LocalRunError(f"aws {' '.join(arguments[:1])} failed: {complained.getvalue().strip()}")
    output = printed.getvalue()
    return json.loads(output) if output.strip() else {}


def admin_sign_in(pool_id: str, client_id: str) -> dict[str, Any]:
    """The test user signed in with ``client_id`` through the AWS CLI; the AuthenticationResult."""
    auth = aws_cli(
        "admin-initiate-auth",
        "--user-pool-id", pool_id,
        "--client-id", client_id,
        "--auth-flow", "ADMIN_USER_PASSWORD_AUTH",
        "--auth-parameters", f"USERNAME={TEST_USER},PASSWORD={TEST_PASSWORD}",
    )  # fmt: skip
    return dict(auth.get("AuthenticationResult", {}))
