"""Many stacks adding their URLs to one app client at once, under Cognito's request quotas.

``contributions_rows`` (a ``make bench`` section) creates ``--contributions`` Custom::CognitoUserPoolClientURLs on one
client in parallel against the faithful double with its quotas on (5 requests per
second per pool in each app client category), then checks that every URL is on the
client, and compares the time with the quota-bound minimum: each contribution needs
at least two DescribeUserPoolClient calls (the check before any write, and the
converge step's read) at 5 per second for the pool. The settle wait
(aws/contributions.py, SETTLE_SECONDS) runs in real time here.

"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

from bench.at_once import answered_at_once
from bench.rows import Row

URLS = "Custom::CognitoUserPoolClientURLs"
# DescribeUserPoolClient calls each contribution makes at least (see the module docstring).
READS_PER_CONTRIBUTION = 2
PER_POOL_PER_SECOND = 5


def contributions_rows(bench: Any, args: argparse.Namespace) -> Iterator[Row]:
    """``size`` contributions created at once on one client: all present at the end, and the time taken."""
    from bench.rows import progress

    size = int(args.contributions)
    progress(f"{size} URL contributions to one client at once")
    from local.cfn_events import EventFactory

    pool_id, client_id = bench.pool()
    faithful = bench.endpoint.faithful
    events = [
        EventFactory(bench.responses.url_for, stack_id=_stack_id(n)).create(
            URLS,
            "PreviewURLs",
            {"UserPoolId": pool_id, "ClientId": client_id, "CallbackURLs": [_url(n)]},
        )
        for n in range(size)
    ]
    faithful.enforce_quotas(per_pool=PER_POOL_PER_SECOND, per_account=15)
    answers, elapsed = answered_at_once(bench, events)
    faithful.stop_enforcing_quotas()
    failed = sum(1 for status in answers if status != "SUCCESS")
    listed = bench.baseline.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    present = sorted(set(listed.get("CallbackURLs") or []) & {_url(n) for n in range(size)})
    minimum = size * READS_PER_CONTRIBUTION / PER_POOL_PER_SECOND
    yield Row(
        f"{size} URL contributions to one client at once (5/s quota)",
        f"{elapsed:.1f} s, {failed} failed, {len(present)}/{size} URLs present at the end",
        f"quota-bound minimum {minimum:.1f} s",
        f"{elapsed / minimum:.2f}x",
        failed=failed > 0 or len(present) != size,
    )


def _stack_id(n: int) -> str:
    return f"arn:aws:cloudformation:us-east-1:123456789012:stack/preview-pr-{n}/{n:08d}-0000-0000-0000-000000000000"


def _url(n: int) -> str:
    return f"https://pr-{n}.preview.example.com/callback"
