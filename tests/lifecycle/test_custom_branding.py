"""Branding as code against the double: a custom style with an S3 image, changed in place, adopted, retained.

The images in S3 are moto's S3; the style is the double's
(cognito_double/managed_login_branding.py). Each test asserts what CloudFormation
was told and what Cognito holds after.
"""

from __future__ import annotations

import json
import os
from typing import Any

import boto3
import pytest

from cognito_double.faithful_cognito import FaithfulCognito
from tests.support.branding_samples import BACKGROUND, BLUE, BUCKET, GREEN, LOGO, PNG, SVG
from tests.support.harness import CloudFormation, UserPool

SETTINGS = "Custom::CognitoUserPoolClientSettings"


@pytest.fixture
def assets_bucket(faithful: FaithfulCognito, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bucket the provider stack's BrandingAssetBuckets names, holding the example background."""
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="bg.png", Body=PNG)
    monkeypatch.setenv("BRANDING_ASSET_BUCKETS", BUCKET)


def custom(pool: UserPool, document: dict[str, Any], assets: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "UserPoolId": pool.id,
        "ClientId": pool.client_id,
        "CallbackURLs": ["https://app.example.com/"],
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid"],
        "ManagedLoginBranding": "custom",
        "BrandingSettings": json.dumps(document),
        "BrandingAssets": assets,
        **extra,
    }


def style_of(cognito: Any, pool: UserPool) -> dict[str, Any] | None:
    try:
        answer = cognito.describe_managed_login_branding_by_client(UserPoolId=pool.id, ClientId=pool.client_id)
    except cognito.exceptions.ResourceNotFoundException:
        return None
    return dict(answer["ManagedLoginBranding"])


def test_custom_style_is_created_changed_in_place_and_deleted(
    cfn: CloudFormation, pool: UserPool, cognito: Any, assets_bucket: None
) -> None:
    first = custom(pool, GREEN, [LOGO, BACKGROUND])
    created = cfn.send(cfn.events.create(SETTINGS, "S", first))
    made = style_of(cognito, pool)
    assert created["Status"] == "SUCCESS", created["Reason"]
    assert made is not None
    assert created["Data"]["ManagedLoginBrandingId"] == made["ManagedLoginBrandingId"]
    assert made["Settings"] == GREEN
    assert {asset["Category"]: asset["Bytes"] for asset in made["Assets"]} == {"FORM_LOGO": SVG, "PAGE_BACKGROUND": PNG}

    second = custom(pool, BLUE, [LOGO])
    updated = cfn.send(cfn.events.update(SETTINGS, "S", pool.client_id, second, first))
    changed = style_of(cognito, pool)
    assert updated["Status"] == "SUCCESS", updated["Reason"]
    assert changed is not None
    assert changed["ManagedLoginBrandingId"] == made["ManagedLoginBrandingId"]
    assert changed["Settings"] == BLUE
    assert [asset["Category"] for asset in changed["Assets"]] == ["FORM_LOGO"], "the removed image stayed"

    deleted = cfn.send(cfn.events.delete(SETTINGS, "S", pool.client_id, second))
    assert deleted["Status"] == "SUCCESS"
    assert style_of(cognito, pool) is None


def test_an_image_outside_the_allowed_buckets_is_refused_before_any_write(
    cfn: CloudFormation, pool: UserPool, cognito: Any, faithful: FaithfulCognito, assets_bucket: None
) -> None:
    elsewhere = {**BACKGROUND, "S3Uri": "s3://someone-elses-bucket/bg.png"}
    faithful.calls.clear()

    answer = cfn.send(cfn.events.create(SETTINGS, "S", custom(pool, GREEN, [elsewhere])))

    assert answer["Status"] == "FAILED"
    assert "BrandingAssetBuckets" in answer["Reason"]
    assert "UpdateUserPoolClient" not in faithful.calls
    assert style_of(cognito, pool) is None


def test_a_console_style_is_refused_naming_it_then_adopted_and_kept_on_delete(
    cfn: CloudFormation, pool: UserPool, cognito: Any, faithful: FaithfulCognito
) -> None:
    console = cognito.create_managed_login_branding(UserPoolId=pool.id, ClientId=pool.client_id, Settings=BLUE)
    console_id = console["ManagedLoginBranding"]["ManagedLoginBrandingId"]
    faithful.calls.clear()

    refused = cfn.send(cfn.events.create(SETTINGS, "S", custom(pool, GREEN, [LOGO])))
    assert refused["Status"] == "FAILED"
    assert console_id in refused["Reason"]
    assert "AdoptExisting: true" in refused["Reason"]
    assert "UpdateUserPoolClient" not in faithful.calls
    assert "UpdateManagedLoginBranding" not in faithful.calls

    adopting = custom(pool, GREEN, [LOGO], AdoptExisting="true")
    adopted = cfn.send(cfn.events.create(SETTINGS, "S", adopting))
    assert adopted["Status"] == "SUCCESS", adopted["Reason"]
    assert adopted["Data"]["ManagedLoginBrandingId"] == console_id
    assert (style_of(cognito, pool) or {}).get("Settings") == GREEN

    assert cfn.send(cfn.events.delete(SETTINGS, "S", pool.client_id, adopting))["Status"] == "SUCCESS"
    assert (style_of(cognito, pool) or {}).get("ManagedLoginBrandingId") == console_id


def test_retain_on_delete_leaves_the_settings_and_the_style(cfn: CloudFormation, pool: UserPool, cognito: Any) -> None:
    properties = custom(pool, GREEN, [LOGO], RetainOnDelete="true")
    assert cfn.send(cfn.events.create(SETTINGS, "S", properties))["Status"] == "SUCCESS"

    assert cfn.send(cfn.events.delete(SETTINGS, "S", pool.client_id, properties))["Status"] == "SUCCESS"

    client = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id)["UserPoolClient"]
    assert client["CallbackURLs"] == ["https://app.example.com/"]
    assert (style_of(cognito, pool) or {}).get("Settings") == GREEN


def test_adopted_client_settings_are_put_back_on_delete(cfn: CloudFormation, pool: UserPool, cognito: Any) -> None:
    console_made = {"CallbackURLs": ["https://console.example.com/cb"], "AllowedOAuthFlows": ["implicit"]}
    cognito.update_user_pool_client(
        UserPoolId=pool.id,
        ClientId=pool.client_id,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthScopes=["openid"],
        SupportedIdentityProviders=["COGNITO"],
        **console_made,
    )
    properties = {**custom(pool, GREEN, []), "ManagedLoginBranding": "none", "AdoptExisting": "true"}
    del properties["BrandingSettings"], properties["BrandingAssets"]

    assert cfn.send(cfn.events.create(SETTINGS, "S", properties))["Status"] == "SUCCESS"
    assert cfn.send(cfn.events.delete(SETTINGS, "S", pool.client_id, properties))["Status"] == "SUCCESS"

    client = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id)["UserPoolClient"]
    assert {key: client.get(key) for key in console_made} == console_made
