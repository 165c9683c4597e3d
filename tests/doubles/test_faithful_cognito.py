"""The test double itself: each rule it adds to moto, checked through the AWS API.

If one of these fails, every lifecycle test above it may be passing for the wrong
reason, so they run first and say exactly which real-Cognito rule is missing.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_double.clock import FakeClock
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


def test_a_pool_with_deletion_protection_cannot_be_deleted(cognito: Any) -> None:
    pool_id = cognito.create_user_pool(PoolName="kept", DeletionProtection="ACTIVE")["UserPool"]["Id"]

    code, message = error_of(cognito.delete_user_pool, UserPoolId=pool_id)

    assert code == "InvalidParameterException"
    assert "deletion protection is activated" in message


def test_a_prefix_domain_cannot_become_custom(cognito: Any, pool: UserPool) -> None:
    cognito.create_user_pool_domain(UserPoolId=pool.id, Domain="notes-one")

    assert error_of(
        cognito.update_user_pool_domain,
        UserPoolId=pool.id,
        Domain="notes-one",
        CustomDomainConfig={"CertificateArn": CERT},
    ) == ("InvalidParameterException", "Cannot convert prefix domain to custom domain")


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


# --- Domains take time, as real Cognito's do ------------------------------------


def status_of(cognito: Any, domain: str) -> str | None:
    description = cognito.describe_user_pool_domain(Domain=domain)["DomainDescription"]
    return description.get("Status") if description else None


def test_deleted_domain_is_deleting_and_holds_its_name_then_is_gone(
    cognito: Any, pool: UserPool, other_pool: UserPool, faithful: Any, clock: FakeClock
) -> None:
    cognito.create_user_pool_domain(UserPoolId=pool.id, Domain="notes-going")
    clock.advance(faithful.prefix_domain_delay)
    cognito.delete_user_pool_domain(UserPoolId=pool.id, Domain="notes-going")

    assert status_of(cognito, "notes-going") == "DELETING"
    # pulumi/pulumi-aws#998: "Domain already exists." while the distribution is torn down.
    assert error_of(cognito.create_user_pool_domain, UserPoolId=other_pool.id, Domain="notes-going") == (
        "InvalidParameterException",
        "Domain already exists.",
    )
    clock.advance(faithful.deletion_delay)
    assert status_of(cognito, "notes-going") is None
    cognito.create_user_pool_domain(UserPoolId=other_pool.id, Domain="notes-going")


def test_deleting_domain_holds_its_pools_slot_for_its_kind(
    cognito: Any, pool: UserPool, faithful: Any, clock: FakeClock
) -> None:
    cognito.create_user_pool_domain(UserPoolId=pool.id, Domain="notes-first")
    cognito.delete_user_pool_domain(UserPoolId=pool.id, Domain="notes-first")

    assert error_of(cognito.create_user_pool_domain, UserPoolId=pool.id, Domain="notes-second") == (
        "InvalidParameterException",
        "Domain already exists.",
    )
    # The other kind's slot is free meanwhile.
    cognito.create_user_pool_domain(
        UserPoolId=pool.id, Domain="auth.example.com", CustomDomainConfig={"CertificateArn": CERT}
    )
    clock.advance(faithful.deletion_delay)
    cognito.create_user_pool_domain(UserPoolId=pool.id, Domain="notes-second")


def test_prefix_domain_is_creating_briefly_and_updating_after_a_version_change(
    cognito: Any, pool: UserPool, faithful: Any, clock: FakeClock
) -> None:
    cognito.create_user_pool_domain(UserPoolId=pool.id, Domain="notes-brief")
    assert status_of(cognito, "notes-brief") == "CREATING"
    clock.advance(faithful.prefix_domain_delay)
    assert status_of(cognito, "notes-brief") == "ACTIVE"

    cognito.update_user_pool_domain(UserPoolId=pool.id, Domain="notes-brief", ManagedLoginVersion=2)
    assert status_of(cognito, "notes-brief") == "UPDATING"
    clock.advance(faithful.prefix_domain_delay)
    assert status_of(cognito, "notes-brief") == "ACTIVE"


def test_custom_domain_can_end_failed(cognito: Any, pool: UserPool, faithful: Any, clock: FakeClock) -> None:
    faithful.fail_next_custom_domain()
    cognito.create_user_pool_domain(
        UserPoolId=pool.id, Domain="auth.example.com", CustomDomainConfig={"CertificateArn": CERT}
    )
    clock.advance(faithful.custom_domain_delay)

    assert status_of(cognito, "auth.example.com") == "FAILED"


@pytest.mark.parametrize("domain", ["example.com", "auth.unresolvable.example"])
def test_custom_domain_needs_a_parent_that_resolves_and_is_not_a_tld(cognito: Any, pool: UserPool, domain: str) -> None:
    code, message = error_of(
        cognito.create_user_pool_domain,
        UserPoolId=pool.id,
        Domain=domain,
        CustomDomainConfig={"CertificateArn": CERT},
    )

    assert code == "InvalidParameterException"
    assert message.startswith("Custom domain is not a valid subdomain: Was not able to resolve a DNS A record")


@pytest.mark.parametrize("status", [None, "PENDING_VALIDATION"])
def test_certificate_must_exist_in_us_east_1_and_be_issued(
    cognito: Any, pool: UserPool, faithful: Any, status: str | None
) -> None:
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
    if status is not None:
        faithful.issue_certificate(arn, "*.example.com", status=status)

    code, message = error_of(
        cognito.create_user_pool_domain,
        UserPoolId=pool.id,
        Domain="auth.example.com",
        CustomDomainConfig={"CertificateArn": arn},
    )

    assert code == "InvalidParameterException"
    assert message.startswith("The specified SSL certificate doesn't exist, isn't in us-east-1 region")


def test_managed_login_needs_a_plan_other_than_lite(cognito: Any) -> None:
    lite = cognito.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]

    code, _ = error_of(cognito.create_user_pool_domain, UserPoolId=lite, Domain="notes-lite", ManagedLoginVersion=2)

    assert code == "FeatureUnavailableInTierException"
    cognito.create_user_pool_domain(UserPoolId=lite, Domain="notes-lite", ManagedLoginVersion=1)


def test_certificate_update_of_a_custom_domain_the_pool_lacks(cognito: Any, pool: UserPool) -> None:
    # aws/aws-cdk#25712.
    assert error_of(
        cognito.update_user_pool_domain,
        UserPoolId=pool.id,
        Domain="auth.example.com",
        CustomDomainConfig={"CertificateArn": CERT},
    ) == (
        "InvalidParameterException",
        "User pool should have a custom domain associated, failed to update the certificate.",
    )


def test_a_lost_answer_acts_then_fails(cognito: Any, pool: UserPool, faithful: Any) -> None:
    faithful.lose_answer("CreateUserPoolDomain")

    code, _ = error_of(cognito.create_user_pool_domain, UserPoolId=pool.id, Domain="notes-lost")

    assert code == "InternalErrorException"
    assert status_of(cognito, "notes-lost") == "CREATING"


# --- App client fields newer than the caller's SDK --------------------------------


def raw_client_fields(cognito: Any, pool: UserPool) -> set[str]:
    seen: list[set[str]] = []

    def keep(response_dict: dict[str, Any] | None = None, **_: Any) -> None:
        seen.append(set(json.loads(response_dict["body"])["UserPoolClient"]) if response_dict else set())

    cognito.meta.events.register("response-received.cognito-identity-provider.DescribeUserPoolClient", keep)
    try:
        cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id)
    finally:
        cognito.meta.events.unregister("response-received.cognito-identity-provider.DescribeUserPoolClient", keep)
    return seen[-1]


def test_a_field_newer_than_the_sdk_is_answered_and_reset_by_an_update_that_omits_it(
    cognito: Any, pool: UserPool, faithful: Any
) -> None:
    faithful.add_future_client_field(pool.client_id, "FutureTokenSetting", {"Enabled": True})

    parsed = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id)["UserPoolClient"]
    assert "FutureTokenSetting" in raw_client_fields(cognito, pool)
    assert "FutureTokenSetting" not in parsed, "botocore drops what its model does not know"

    cognito.update_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id, ClientName="renamed")

    assert "FutureTokenSetting" not in raw_client_fields(cognito, pool)
