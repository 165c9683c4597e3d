"""Cognito's quotas in the double (cognito_double/quotas.py): request-rate categories and resource counts.

The rate windows run on the double's clock, so nothing here depends on how fast the machine is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_double.clock import FakeClock
from cognito_double.faithful_cognito import FaithfulCognito
from cognito_double.quotas import CATEGORY_RATES, QUOTA_CATEGORIES
from tests.support.harness import CERT, UserPool, make_user_pool


def outcomes(call: Callable[[], Any], times: int) -> list[str]:
    seen = []
    for _ in range(times):
        try:
            call()
            seen.append("ok")
        except ClientError as error:
            seen.append(str(error.response["Error"]["Code"]))
    return seen


@pytest.mark.parametrize(
    ("operation", "category"),
    [
        ("CreateUserPoolDomain", "UserPoolResourceUpdate"),
        ("UpdateUserPoolDomain", "UserPoolResourceUpdate"),
        ("DeleteUserPoolDomain", "UserPoolResourceUpdate"),
        ("CreateManagedLoginBranding", "UserPoolResourceUpdate"),
        ("UpdateManagedLoginBranding", "UserPoolResourceUpdate"),
        ("DeleteManagedLoginBranding", "UserPoolResourceUpdate"),
        ("DescribeUserPoolDomain", "UserPoolResourceRead"),
        ("DescribeManagedLoginBranding", "UserPoolResourceRead"),
        ("DescribeManagedLoginBrandingByClient", "UserPoolResourceRead"),
        ("DescribeUserPool", "UserPoolRead"),
        ("DescribeUserPoolClient", "UserPoolClientRead"),
        ("UpdateUserPoolClient", "UserPoolClientUpdate"),
    ],
)
def test_each_operation_is_in_its_category_from_the_quotas_page(operation: str, category: str) -> None:
    assert QUOTA_CATEGORIES[operation] == category


def test_category_rates_are_the_quotas_page_numbers() -> None:
    assert CATEGORY_RATES == {
        "UserPoolRead": 15,
        "UserPoolResourceRead": 20,
        "UserPoolResourceUpdate": 15,
        "UserPoolClientRead": 15,
        "UserPoolClientUpdate": 15,
    }


def test_describe_user_pool_is_limited_per_account_not_per_pool(
    cognito: Any, pool: UserPool, faithful: FaithfulCognito, clock: FakeClock
) -> None:
    faithful.enforce_quotas()

    seen = outcomes(lambda: cognito.describe_user_pool(UserPoolId=pool.id), 16)

    assert seen == ["ok"] * 15 + ["TooManyRequestsException"]
    clock.advance(1.0)
    cognito.describe_user_pool(UserPoolId=pool.id)


def test_describing_one_pools_branding_is_limited_to_5_per_second(
    cognito: Any, pool: UserPool, faithful: FaithfulCognito, clock: FakeClock
) -> None:
    cognito.create_managed_login_branding(UserPoolId=pool.id, ClientId=pool.client_id, UseCognitoProvidedValues=True)
    faithful.enforce_quotas()

    def describe() -> Any:
        return cognito.describe_managed_login_branding_by_client(UserPoolId=pool.id, ClientId=pool.client_id)

    assert outcomes(describe, 6) == ["ok"] * 5 + ["TooManyRequestsException"]
    clock.advance(1.0)
    describe()


def test_a_fifth_custom_domain_in_a_region_is_refused(cognito: Any, faithful: FaithfulCognito) -> None:
    pools = [make_user_pool(cognito, f"pool{n}") for n in range(5)]
    for n, user_pool in enumerate(pools[:4]):
        cognito.create_user_pool_domain(
            UserPoolId=user_pool.id, Domain=f"auth{n}.example.com", CustomDomainConfig={"CertificateArn": CERT}
        )

    with pytest.raises(ClientError) as raised:
        cognito.create_user_pool_domain(
            UserPoolId=pools[4].id, Domain="auth4.example.com", CustomDomainConfig={"CertificateArn": CERT}
        )

    assert raised.value.response["Error"]["Code"] == "LimitExceededException"
    cognito.create_user_pool_domain(UserPoolId=pools[4].id, Domain="notes-prefix-ok")  # prefixes do not count


def test_a_21st_branding_style_in_a_pool_is_refused(cognito: Any, pool: UserPool) -> None:
    clients = [pool.client_id] + [
        cognito.create_user_pool_client(UserPoolId=pool.id, ClientName=f"c{n}")["UserPoolClient"]["ClientId"]
        for n in range(20)
    ]
    for client_id in clients[:20]:
        cognito.create_managed_login_branding(UserPoolId=pool.id, ClientId=client_id, UseCognitoProvidedValues=True)

    with pytest.raises(ClientError) as raised:
        cognito.create_managed_login_branding(UserPoolId=pool.id, ClientId=clients[20], UseCognitoProvidedValues=True)

    assert raised.value.response["Error"]["Code"] == "LimitExceededException"
