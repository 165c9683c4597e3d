"""Managed login that works with no console step: the branding style lifecycle, against the double.

A managed login page renders only for an app client with a branding style, and
clients configured through the API get none (UpdateUserPoolClient API reference);
the double implements the branding API as documented (cognito_double/managed_login_branding.py).
"""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest

from cognito_double.faithful_cognito import FaithfulCognito
from tests.support.harness import CloudFormation, UserPool

DOMAIN = "Custom::CognitoUserPoolDomain"
SETTINGS = "Custom::CognitoUserPoolClientSettings"


def style_of(cognito: Any, pool: UserPool) -> str | None:
    try:
        answer = cognito.describe_managed_login_branding_by_client(UserPoolId=pool.id, ClientId=pool.client_id)
    except cognito.exceptions.ResourceNotFoundException:
        return None
    return str(answer["ManagedLoginBranding"]["ManagedLoginBrandingId"])


def settings(pool: UserPool, version: str | None, **extra: Any) -> dict[str, Any]:
    properties = {
        "UserPoolId": pool.id,
        "ClientId": pool.client_id,
        "CallbackURLs": ["https://app.example.com/"],
        "LogoutURLs": ["https://app.example.com/"],
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid"],
        "Domain": "notes-managed",
        **extra,
    }
    if version is not None:
        properties["ManagedLoginVersion"] = version
    return properties


def domain(cfn: CloudFormation, pool: UserPool, version: str) -> dict[str, Any]:
    answer = cfn.send(
        cfn.events.create(
            DOMAIN, "D", {"UserPoolId": pool.id, "Domain": "notes-managed", "ManagedLoginVersion": version}
        )
    )
    assert answer["Status"] == "SUCCESS", answer["Reason"]
    return answer


def apply(cfn: CloudFormation, properties: dict[str, Any]) -> dict[str, Any]:
    answer = cfn.send(cfn.events.create(SETTINGS, "S", properties))
    assert answer["Status"] == "SUCCESS", answer["Reason"]
    return answer


def test_a_client_without_a_style_gets_one_on_a_managed_login_domain(
    cfn: CloudFormation, pool: UserPool, cognito: Any
) -> None:
    domain(cfn, pool, "2")

    answer = apply(cfn, settings(pool, "2"))

    style = style_of(cognito, pool)
    assert style is not None
    assert answer["Data"]["ManagedLoginBrandingId"] == style
    assert answer["Data"]["HostedUIUrl"].startswith("https://notes-managed.auth.us-east-1.amazoncognito.com/login?")


def test_a_style_the_client_already_has_is_kept_and_never_deleted(
    cfn: CloudFormation, pool: UserPool, cognito: Any, faithful: FaithfulCognito
) -> None:
    domain(cfn, pool, "2")
    made_in_console = cognito.create_managed_login_branding(
        UserPoolId=pool.id, ClientId=pool.client_id, UseCognitoProvidedValues=True
    )["ManagedLoginBranding"]["ManagedLoginBrandingId"]

    answer = apply(cfn, settings(pool, "2"))
    deleted = cfn.send(cfn.events.delete(SETTINGS, "S", pool.client_id, settings(pool, "2")))

    assert answer["Data"]["ManagedLoginBrandingId"] == made_in_console
    assert deleted["Status"] == "SUCCESS"
    assert style_of(cognito, pool) == made_in_console


def test_delete_removes_the_style_this_resource_created(cfn: CloudFormation, pool: UserPool, cognito: Any) -> None:
    domain(cfn, pool, "2")
    apply(cfn, settings(pool, "2"))

    deleted = cfn.send(cfn.events.delete(SETTINGS, "S", pool.client_id, settings(pool, "2")))

    assert deleted["Status"] == "SUCCESS"
    assert style_of(cognito, pool) is None


@pytest.mark.parametrize("version", ["1", None])
def test_classic_hosted_ui_needs_no_style_and_gets_none(
    cfn: CloudFormation, pool: UserPool, cognito: Any, version: str | None
) -> None:
    domain(cfn, pool, "1")

    answer = apply(cfn, settings(pool, version))

    assert answer["Data"]["ManagedLoginBrandingId"] == ""
    assert "HostedUIUrl" in answer["Data"]
    assert style_of(cognito, pool) is None


def test_switching_to_managed_login_and_back_through_stack_updates(
    cfn: CloudFormation, pool: UserPool, cognito: Any
) -> None:
    old_domain = {"UserPoolId": pool.id, "Domain": "notes-managed", "ManagedLoginVersion": "1"}
    domain(cfn, pool, "1")
    apply(cfn, settings(pool, "1"))

    # 1 -> 2: the domain is updated, then the settings resource (its ManagedLoginVersion changed).
    new_domain = {**old_domain, "ManagedLoginVersion": "2"}
    assert cfn.send(cfn.events.update(DOMAIN, "D", "notes-managed", new_domain, old_domain))["Status"] == "SUCCESS"
    up = cfn.send(cfn.events.update(SETTINGS, "S", pool.client_id, settings(pool, "2"), settings(pool, "1")))
    style = style_of(cognito, pool)

    # 2 -> 1: the style stays (docs/reference.md, "Managed login").
    assert cfn.send(cfn.events.update(DOMAIN, "D", "notes-managed", old_domain, new_domain))["Status"] == "SUCCESS"
    down = cfn.send(cfn.events.update(SETTINGS, "S", pool.client_id, settings(pool, "1"), settings(pool, "2")))

    assert up["Status"] == "SUCCESS"
    assert style is not None
    assert up["Data"]["ManagedLoginBrandingId"] == style
    assert down["Status"] == "SUCCESS"
    assert style_of(cognito, pool) == style


def test_none_never_touches_branding_and_returns_no_url_to_a_dead_page(
    cfn: CloudFormation, pool: UserPool, cognito: Any, faithful: FaithfulCognito
) -> None:
    domain(cfn, pool, "2")

    answer = apply(cfn, settings(pool, "2", ManagedLoginBranding="none"))

    assert answer["Data"]["ManagedLoginBrandingId"] == ""
    assert "HostedUIUrl" not in answer["Data"], "managed login without a style shows 'Login pages unavailable'"
    assert style_of(cognito, pool) is None


def test_a_lite_pool_is_refused_before_any_write_naming_the_plan(
    cfn: CloudFormation, cognito: Any, faithful: FaithfulCognito
) -> None:
    lite_id = cognito.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(UserPoolId=lite_id, ClientName="web")["UserPoolClient"]["ClientId"]
    lite = UserPool(lite_id, client_id, "")
    faithful.calls.clear()

    answer = cfn.send(cfn.events.create(SETTINGS, "S", settings(lite, "2")))

    assert answer["Status"] == "FAILED"
    assert "needs the Essentials or Plus feature plan" in answer["Reason"]
    assert f"user pool {lite_id} is on Lite" in answer["Reason"]
    assert "UpdateUserPoolClient" not in faithful.calls
    assert style_of(cognito, lite) is None


def other_client_with_style(cognito: Any, pool: UserPool, name: str) -> tuple[str, str]:
    client_id = cognito.create_user_pool_client(UserPoolId=pool.id, ClientName=name)["UserPoolClient"]["ClientId"]
    style = cognito.create_managed_login_branding(UserPoolId=pool.id, ClientId=client_id, UseCognitoProvidedValues=True)
    return client_id, str(style["ManagedLoginBranding"]["ManagedLoginBrandingId"])


def test_a_21st_style_in_a_pool_is_refused_naming_the_limit_before_the_client_is_written(
    cfn: CloudFormation, pool: UserPool, cognito: Any, faithful: FaithfulCognito
) -> None:
    domain(cfn, pool, "2")
    for n in range(20):
        other_client_with_style(cognito, pool, f"other-{n}")
    faithful.calls.clear()

    answer = cfn.send(cfn.events.create(SETTINGS, "S", settings(pool, "2")))

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith(f"User pool {pool.id} already has 20 managed login branding styles")
    assert "ManagedLoginBranding: none" in answer["Reason"]
    assert "UpdateUserPoolClient" not in faithful.calls
    assert style_of(cognito, pool) is None
    ssm = boto3.client("ssm", region_name="us-east-1", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    record = f"/cognito-hosted-ui-resources/client-owners/{pool.id}/{pool.client_id}"
    with pytest.raises(ssm.exceptions.ParameterNotFound):
        ssm.get_parameter(Name=record)


def test_delete_leaves_a_recorded_style_of_another_client_alone(
    cfn: CloudFormation, pool: UserPool, cognito: Any, faithful: FaithfulCognito
) -> None:
    domain(cfn, pool, "2")
    made = apply(cfn, settings(pool, "2"))["Data"]["ManagedLoginBrandingId"]
    other_client, someone_elses = other_client_with_style(cognito, pool, "other")
    ssm = boto3.client("ssm", region_name="us-east-1", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    name = f"/cognito-hosted-ui-resources/client-owners/{pool.id}/{pool.client_id}"
    edited = ssm.get_parameter(Name=name)["Parameter"]["Value"].replace(made, someone_elses)
    ssm.put_parameter(Name=name, Value=edited, Type="String", Overwrite=True)

    deleted = cfn.send(cfn.events.delete(SETTINGS, "S", pool.client_id, settings(pool, "2")))

    assert deleted["Status"] == "SUCCESS"
    assert "DeleteManagedLoginBranding" not in faithful.calls
    answer = cognito.describe_managed_login_branding_by_client(UserPoolId=pool.id, ClientId=other_client)
    assert answer["ManagedLoginBranding"]["ManagedLoginBrandingId"] == someone_elses
