"""The ``make bench`` row for issue 20: many settings resources at once under Parameter Store's quota.

Each settings resource reads and writes its owner record in SSM Parameter Store, which
admits about 3 PutParameter and 3 DeleteParameter calls per second per account (the
double's ``ssm.per_second``, unconfirmed: docs/design/double.md, S1) and 40 reads
(GetParameter and GetParametersByPath together, ``ssm.reads_per_second``, S3). Fifty
resources (each its own pool, so Cognito's per-pool rate stays out of the way) are
created at once; the row prints the time to the last answer against the quota-bound
minimum (each operation's successful calls at its own rate; the slowest bounds the run)
and the failures. Target (issue 20): at most 1.3 times the minimum with fifty or more,
none failed; a smaller run (a test's) is printed against it, but the first second's
calls make its ratio meaningless, so only its failures fail it.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator
from typing import Any

from bench.at_once import answered_at_once
from bench.rows import Row, progress

SETTINGS = "Custom::CognitoUserPoolClientSettings"
TARGET_RATIO = 1.3
TARGET_FROM_SIZE = 50
READS = ("GetParameter", "GetParametersByPath")


def settings_under_ssm_quota_rows(bench: Any, args: argparse.Namespace) -> Iterator[Row]:
    """One row per size in ``--sizes``: that many settings resources created at once, SSM's quota enforced."""
    for size in (int(size) for size in args.sizes.split(",")):
        yield settings_under_ssm_quota(bench, size)


def settings_under_ssm_quota(bench: Any, size: int) -> Row:
    from aws import clients as aws_clients

    faithful = bench.endpoint.faithful
    per_second = faithful.ssm.per_second
    progress(f"{size} settings resources at once, Parameter Store at {per_second} calls per second")
    events = [bench.events.create(SETTINGS, f"S{n}", _properties(*bench.pool())) for n in range(size)]
    admitted: Counter[str] = Counter()

    def count(http_response: Any, model: Any, **_: Any) -> None:
        if http_response is not None and http_response.status_code == 200:
            admitted[model.name] += 1

    ssm = aws_clients.aws_client("ssm")
    ssm.meta.events.register("after-call.ssm.*", count, unique_id="bench-ssm-admitted")
    saved = faithful.ssm.enforced
    faithful.ssm.enforced = True
    try:
        statuses, elapsed = answered_at_once(bench, events, wait_seconds=300)
    finally:
        faithful.ssm.enforced = saved
        ssm.meta.events.unregister("after-call.ssm.*", unique_id="bench-ssm-admitted")
    failures = sum(1 for status in statuses if status != "SUCCESS")
    # Each operation's successful calls at its own rate; the slowest of them bounds the run.
    reads = admitted["GetParameter"] + admitted["GetParametersByPath"]
    bounds = {f"{reads} reads": reads / faithful.ssm.reads_per_second}
    bounds |= {f"{n} {name}": n / per_second for name, n in admitted.items() if name not in READS}
    busiest, minimum = max(bounds.items(), key=lambda item: item[1]) if bounds else ("none", 0.0)
    minimum = max(minimum, 1e-9)
    calls = ""
    ratio = elapsed / minimum
    return Row(
        f"{size} settings resources in parallel (SSM {per_second}/s)",
        f"{elapsed:.1f} s, {failures} failed",
        f"quota-bound minimum {minimum:.1f} s ({busiest}){calls}",
        f"{ratio:.2f}x (target ≤ {TARGET_RATIO}x)",
        failed=failures > 0 or (size >= TARGET_FROM_SIZE and ratio > TARGET_RATIO),
    )


def _properties(pool_id: str, client_id: str) -> dict[str, Any]:
    return {
        "UserPoolId": pool_id,
        "ClientId": client_id,
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid"],
        "CallbackURLs": ["https://a.example.com/"],
    }
