"""The real AWS CLI, as a local run uses it to sign the test user up and in (nothing but 127.0.0.1 is reached)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

TEST_USER = "local.user@example.com"
TEST_PASSWORD = "Local-Passw0rd"


class LocalRunError(Exception):
    """A step failed; the message says which and why."""


def aws_cli(*arguments: str) -> dict[str, Any]:
    """The real AWS CLI, pointed at the local endpoint through the environment."""
    executable = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")
    if executable is None:
        raise LocalRunError("the AWS CLI is not installed (it comes with requirements-dev.txt)")
    command = [executable, "cognito-idp", *arguments, "--output", "json"]
    print("  $ aws cognito-idp " + " ".join(arguments).replace(TEST_PASSWORD, "********"))
    completed = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    if completed.returncode != 0:
        raise LocalRunError(f"aws {' '.join(arguments[:1])} failed: {completed.stderr.strip()}")
    return json.loads(completed.stdout) if completed.stdout.strip() else {}


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
