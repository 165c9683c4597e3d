"""Many resources at once under Cognito's real, unadjustable request quotas.

CloudFormation creates independent resources in parallel; Cognito allows, for
example, 5 app client updates per second per pool and 15 per account (developer
guide, "Quotas in Amazon Cognito"). The double enforces those rates, so every
resource here succeeds only because throttled calls are retried with backoff.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from clock import SYSTEM_CLOCK
from tests.support.harness import CloudFormation, make_user_pool

# Enough to be throttled for a few seconds of real quota windows (5 per second per pool).
RESOURCES = 25
# 15 domains made at once against an account quota of 8 per second per category: the
# creates alone overflow the first second, however slowly a busy machine sends them.
DOMAINS = 15
ACCOUNT_RATE = 8

# Seconds each, mostly waiting: scheduled first, so that other workers run meanwhile.
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def real_time(cfn: CloudFormation, faithful: Any) -> None:
    """Quotas are rates per real second: these tests run on the real clock, retries really wait."""
    cfn.clock = SYSTEM_CLOCK
    faithful.clock = time.monotonic


def test_many_client_settings_in_one_pool_all_succeed_under_quotas(
    cfn: CloudFormation, cognito: Any, faithful: Any
) -> None:
    pool = make_user_pool(cognito, "busy")
    client_ids = [
        cognito.create_user_pool_client(UserPoolId=pool.id, ClientName=f"c{n}")["UserPoolClient"]["ClientId"]
        for n in range(RESOURCES)
    ]
    faithful.enforce_quotas(per_pool=5, per_account=15)
    events = [
        cfn.events.create(
            "Custom::CognitoUserPoolClientSettings",
            f"Settings{n}",
            {
                "UserPoolId": pool.id,
                "ClientId": client_id,
                "AllowedOAuthFlows": ["code"],
                "AllowedOAuthScopes": ["openid"],
                "CallbackURLs": [f"https://app{n}.example.com/"],
            },
        )
        for n, client_id in enumerate(client_ids)
    ]

    with ThreadPoolExecutor(max_workers=RESOURCES) as pool_of_lambdas:
        answers = list(pool_of_lambdas.map(cfn.send, events))

    assert [a["Status"] for a in answers] == ["SUCCESS"] * RESOURCES, [a["Reason"] for a in answers if a["Reason"]]
    assert faithful.throttled > 0, "the quota was never hit, so retries were not tested"
    faithful.stop_enforcing_quotas()  # the checks below are the test's own reads
    for n, client_id in enumerate(client_ids):
        client = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=client_id)["UserPoolClient"]
        assert client["CallbackURLs"] == [f"https://app{n}.example.com/"]


def test_many_domains_at_once_all_succeed_under_quotas(cfn: CloudFormation, cognito: Any, faithful: Any) -> None:
    pools = [make_user_pool(cognito, f"pool{n}") for n in range(DOMAINS)]
    faithful.enforce_quotas(per_pool=5, per_account=ACCOUNT_RATE)
    events = [
        cfn.events.create(
            "Custom::CognitoUserPoolDomain", f"Domain{n}", {"UserPoolId": p.id, "Domain": f"notes-load-{n}"}
        )
        for n, p in enumerate(pools)
    ]

    with ThreadPoolExecutor(max_workers=DOMAINS) as pool_of_lambdas:
        answers = list(pool_of_lambdas.map(cfn.send, events))

    assert [a["Status"] for a in answers] == ["SUCCESS"] * DOMAINS, [a["Reason"] for a in answers if a["Reason"]]
    assert faithful.throttled > 0
    assert len(faithful.domains) == DOMAINS + 4  # plus notes-app, taken in four regions by someone else
