"""The test double itself: each rule it adds to moto, checked through the AWS API.

If one of these fails, every lifecycle test above it may be passing for the wrong
reason, so they run first and say exactly which real-Cognito rule is missing.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.harness import CERT, UserPool, make_user_pool


def error_of(call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    error = raised.value.response["Error"]
    return error["Code"], error["Message"]


def test_prefix_is_unique_across_pools(cognito: Any, pool: UserPool, other_pool: UserPool) -> None:
    cognito.create_user_pool_domain(UserPoolId=pool.id, Domain="notes-one")

    assert error_of(cognito.create_user_pool_domain, UserPoolId=other_pool.id, Domain="notes-one") == (
        "InvalidParameterException",
        "Domain already associated with another user pool.",
    )


def test_notes_app_is_taken_by_another_account_from_the_start(cognito: Any, pool: UserPool) -> None:
    code, message = error_of(cognito.create_user_pool_domain, UserPoolId=pool.id, Domain="notes-app")

    assert (code, message) == ("InvalidParameterException", "Domain already associated with another user pool.")


def test_pool_holds_one_prefix_and_one_custom_domain(cognito: Any, pool: UserPool) -> None:
    cognito.create_user_pool_domain(UserPoolId=pool.id, Domain="notes-one")
    cognito.create_user_pool_domain(
        UserPoolId=pool.id, Domain="auth.example.com", CustomDomainConfig={"CertificateArn": CERT}
    )

    assert error_of(cognito.create_user_pool_domain, UserPoolId=pool.id, Domain="notes-two") == (
        "InvalidParameterException",
        "User pool already has a domain configured.",
    )
    assert error_of(
        cognito.create_user_pool_domain,
        UserPoolId=pool.id,
        Domain="login.example.com",
        CustomDomainConfig={"CertificateArn": CERT},
    ) == ("InvalidParameterException", "User pool already has a domain configured.")


@pytest.mark.parametrize(
    "prefix", ["Notes", "notes_app", "-notes", "notes-", "a" * 64, "my-aws", "amazonia", "cognito1"]
)
def test_invalid_prefixes_and_reserved_words_are_rejected(cognito: Any, pool: UserPool, prefix: str) -> None:
    code, _ = error_of(cognito.create_user_pool_domain, UserPoolId=pool.id, Domain=prefix)

    assert code == "InvalidParameterException"


def test_custom_domain_certificate_must_be_in_us_east_1(cognito: Any, pool: UserPool) -> None:
    code, message = error_of(
        cognito.create_user_pool_domain,
        UserPoolId=pool.id,
        Domain="auth.example.com",
        CustomDomainConfig={"CertificateArn": CERT.replace("us-east-1", "eu-west-1")},
    )

    assert code == "InvalidParameterException"
    assert "us-east-1" in message


def test_delete_and_update_refuse_a_domain_of_another_pool(cognito: Any, pool: UserPool, other_pool: UserPool) -> None:
    cognito.create_user_pool_domain(UserPoolId=pool.id, Domain="notes-one")
    expected = ("InvalidParameterException", "No such domain or user pool exists.")

    assert error_of(cognito.delete_user_pool_domain, UserPoolId=other_pool.id, Domain="notes-one") == expected
    assert (
        error_of(cognito.update_user_pool_domain, UserPoolId=other_pool.id, Domain="notes-one", ManagedLoginVersion=2)
        == expected
    )
    assert cognito.describe_user_pool_domain(Domain="notes-one")["DomainDescription"]["UserPoolId"] == pool.id


def test_update_of_custom_domain_requires_custom_domain_config(cognito: Any, pool: UserPool) -> None:
    cognito.create_user_pool_domain(
        UserPoolId=pool.id, Domain="auth.example.com", CustomDomainConfig={"CertificateArn": CERT}
    )

    code, message = error_of(
        cognito.update_user_pool_domain, UserPoolId=pool.id, Domain="auth.example.com", ManagedLoginVersion=2
    )

    assert (code, message) == ("InvalidParameterException", "Cannot convert custom domain to prefix domain")


def test_custom_domain_is_creating_before_active(cognito: Any, pool: UserPool, faithful: Any) -> None:
    now = [100.0]
    faithful.clock = lambda: now[0]
    faithful.custom_domain_delay = 30.0
    cognito.create_user_pool_domain(
        UserPoolId=pool.id, Domain="auth.example.com", CustomDomainConfig={"CertificateArn": CERT}
    )

    assert cognito.describe_user_pool_domain(Domain="auth.example.com")["DomainDescription"]["Status"] == "CREATING"
    now[0] += 30.0
    assert cognito.describe_user_pool_domain(Domain="auth.example.com")["DomainDescription"]["Status"] == "ACTIVE"


def test_unknown_domain_has_an_empty_description(cognito: Any, faithful: Any) -> None:
    assert cognito.describe_user_pool_domain(Domain="notes-nobody")["DomainDescription"] == {}


def test_pool_with_a_domain_cannot_be_deleted(cognito: Any, pool: UserPool) -> None:
    cognito.create_user_pool_domain(UserPoolId=pool.id, Domain="notes-one")

    assert error_of(cognito.delete_user_pool, UserPoolId=pool.id) == (
        "InvalidParameterException",
        "User pool cannot be deleted. It has a domain configured that should be deleted first.",
    )


def test_update_user_pool_client_resets_what_it_is_not_given(cognito: Any, pool: UserPool) -> None:
    cognito.update_user_pool_client(
        UserPoolId=pool.id, ClientId=pool.client_id, ClientName="renamed", AccessTokenValidity=5
    )

    cognito.update_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id, ClientName="renamed")

    client = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id)["UserPoolClient"]
    assert "AccessTokenValidity" not in client
    assert "ExplicitAuthFlows" not in client


def test_client_credentials_needs_a_secret(cognito: Any, pool: UserPool) -> None:
    code, _ = error_of(
        cognito.update_user_pool_client,
        UserPoolId=pool.id,
        ClientId=pool.client_id,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["api/read"],
        AllowedOAuthFlowsUserPoolClient=True,
    )

    assert code == "InvalidOAuthFlowException"


def test_unknown_custom_scope_does_not_exist(cognito: Any, pool: UserPool) -> None:
    code, _ = error_of(
        cognito.update_user_pool_client,
        UserPoolId=pool.id,
        ClientId=pool.client_id,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["api/read"],
        CallbackURLs=["https://app.example.com/"],
        AllowedOAuthFlowsUserPoolClient=True,
    )

    assert code == "ScopeDoesNotExistException"


@pytest.mark.parametrize("url", ["http://app.example.com/", "https://app.example.com/#x", "app.example.com"])
def test_callback_urls_follow_cognitos_rules(cognito: Any, pool: UserPool, url: str) -> None:
    code, _ = error_of(
        cognito.update_user_pool_client,
        UserPoolId=pool.id,
        ClientId=pool.client_id,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"],
        CallbackURLs=[url],
        AllowedOAuthFlowsUserPoolClient=True,
    )

    assert code == "InvalidParameterException"


def test_quotas_throttle_past_the_rate(cognito: Any, faithful: Any) -> None:
    faithful.enforce_quotas(per_pool=5, per_account=15)
    pool = make_user_pool(cognito, "throttled")
    outcomes = []
    for _ in range(8):
        try:
            cognito.update_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id, ClientName="x")
            outcomes.append("ok")
        except ClientError as error:
            outcomes.append(error.response["Error"]["Code"])

    assert outcomes.count("ok") <= 5
    assert "TooManyRequestsException" in outcomes
