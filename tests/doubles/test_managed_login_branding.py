"""The double's managed login branding styles (moto has none), checked through the AWS API.

Every rule is one test; the sources are cited in cognito_double/managed_login_branding.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.harness import UserPool, make_user_pool

UUID_V4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
SETTINGS = {"components": {"primaryButton": {"lightMode": {"defaults": {"backgroundColor": "0972d3ff"}}}}}
LOGO = {"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": b"\x89PNG\r\n\x1a\n"}


def error_of(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return str(raised.value.response["Error"]["Code"])


def create_default_style(cognito: Any, pool: UserPool) -> dict[str, Any]:
    answer = cognito.create_managed_login_branding(
        UserPoolId=pool.id, ClientId=pool.client_id, UseCognitoProvidedValues=True
    )
    return dict(answer["ManagedLoginBranding"])


def test_pinned_botocore_knows_the_branding_operations(cognito: Any) -> None:
    operations = set(cognito.meta.service_model.operation_names)

    assert {
        "CreateManagedLoginBranding",
        "DescribeManagedLoginBrandingByClient",
        "DescribeManagedLoginBranding",
        "UpdateManagedLoginBranding",
        "DeleteManagedLoginBranding",
    } <= operations


def test_create_with_cognito_provided_values_returns_a_uuid4_style_of_the_pool(cognito: Any, pool: UserPool) -> None:
    style = create_default_style(cognito, pool)

    assert UUID_V4.match(style["ManagedLoginBrandingId"])
    assert style["UserPoolId"] == pool.id
    assert style["UseCognitoProvidedValues"] is True
    assert "Settings" not in style
    assert style["CreationDate"] <= style["LastModifiedDate"]


def test_describe_by_client_finds_the_style_and_by_id_too(cognito: Any, pool: UserPool) -> None:
    created = create_default_style(cognito, pool)

    by_client = cognito.describe_managed_login_branding_by_client(UserPoolId=pool.id, ClientId=pool.client_id)
    by_id = cognito.describe_managed_login_branding(
        UserPoolId=pool.id, ManagedLoginBrandingId=created["ManagedLoginBrandingId"]
    )

    assert by_client["ManagedLoginBranding"]["ManagedLoginBrandingId"] == created["ManagedLoginBrandingId"]
    assert by_id["ManagedLoginBranding"] == by_client["ManagedLoginBranding"]


def test_a_client_has_one_style_at_most(cognito: Any, pool: UserPool, faithful: Any) -> None:
    create_default_style(cognito, pool)

    code = error_of(
        cognito.create_managed_login_branding, UserPoolId=pool.id, ClientId=pool.client_id, Settings=SETTINGS
    )

    assert code == "ManagedLoginBrandingExistsException"
    assert len(faithful.branding_styles) == 1


def test_another_client_of_the_pool_gets_its_own_style(cognito: Any, pool: UserPool) -> None:
    other = cognito.create_user_pool_client(UserPoolId=pool.id, ClientName="admin-app")["UserPoolClient"]
    first = create_default_style(cognito, pool)

    second = cognito.create_managed_login_branding(UserPoolId=pool.id, ClientId=other["ClientId"], Settings=SETTINGS)

    assert second["ManagedLoginBranding"]["ManagedLoginBrandingId"] != first["ManagedLoginBrandingId"]


@pytest.mark.parametrize("given", [{"Settings": SETTINGS}, {"Assets": [LOGO]}])
def test_cognito_provided_values_exclude_settings_and_assets(
    cognito: Any, pool: UserPool, faithful: Any, given: dict[str, Any]
) -> None:
    code = error_of(
        cognito.create_managed_login_branding,
        UserPoolId=pool.id,
        ClientId=pool.client_id,
        UseCognitoProvidedValues=True,
        **given,
    )

    assert code == "InvalidParameterException"
    assert faithful.branding_styles == {}


def test_create_with_settings_and_assets_keeps_them(cognito: Any, pool: UserPool) -> None:
    style = cognito.create_managed_login_branding(
        UserPoolId=pool.id, ClientId=pool.client_id, Settings=SETTINGS, Assets=[LOGO]
    )["ManagedLoginBranding"]

    assert style["UseCognitoProvidedValues"] is False
    assert style["Settings"] == SETTINGS
    assert [(a["Category"], a["Bytes"]) for a in style["Assets"]] == [("FORM_LOGO", LOGO["Bytes"])]


def test_create_for_a_missing_client_or_pool_is_not_found(cognito: Any, pool: UserPool) -> None:
    assert (
        error_of(
            cognito.create_managed_login_branding,
            UserPoolId=pool.id,
            ClientId="nosuchclient",
            UseCognitoProvidedValues=True,
        )
        == "ResourceNotFoundException"
    )
    assert (
        error_of(
            cognito.create_managed_login_branding,
            UserPoolId="us-east-1_NoSuchPool",
            ClientId=pool.client_id,
            UseCognitoProvidedValues=True,
        )
        == "ResourceNotFoundException"
    )


def test_a_lite_pool_is_refused(cognito: Any, faithful: Any) -> None:
    lite = cognito.create_user_pool(PoolName="lite-users", UserPoolTier="LITE")["UserPool"]
    client = cognito.create_user_pool_client(UserPoolId=lite["Id"], ClientName="lite-app")["UserPoolClient"]

    code = error_of(
        cognito.create_managed_login_branding,
        UserPoolId=lite["Id"],
        ClientId=client["ClientId"],
        UseCognitoProvidedValues=True,
    )

    assert code == "FeatureUnavailableInTierException"
    assert faithful.branding_styles == {}


def test_describe_by_client_without_a_style_is_not_found(cognito: Any, pool: UserPool) -> None:
    code = error_of(cognito.describe_managed_login_branding_by_client, UserPoolId=pool.id, ClientId=pool.client_id)

    assert code == "ResourceNotFoundException"


def test_update_keeps_what_it_is_not_given_and_cognito_values_reset_the_style(cognito: Any, pool: UserPool) -> None:
    created = cognito.create_managed_login_branding(
        UserPoolId=pool.id, ClientId=pool.client_id, Settings=SETTINGS, Assets=[LOGO]
    )["ManagedLoginBranding"]
    style_id = created["ManagedLoginBrandingId"]
    dark_logo = {**LOGO, "ColorMode": "DARK"}

    updated = cognito.update_managed_login_branding(
        UserPoolId=pool.id, ManagedLoginBrandingId=style_id, Assets=[dark_logo]
    )
    assert updated["ManagedLoginBranding"]["Settings"] == SETTINGS
    assert {a["ColorMode"] for a in updated["ManagedLoginBranding"]["Assets"]} == {"LIGHT", "DARK"}

    reset = cognito.update_managed_login_branding(
        UserPoolId=pool.id, ManagedLoginBrandingId=style_id, UseCognitoProvidedValues=True
    )["ManagedLoginBranding"]
    assert reset["UseCognitoProvidedValues"] is True
    assert "Settings" not in reset
    assert reset["Assets"] == []
    assert reset["ManagedLoginBrandingId"] == style_id


def test_update_refuses_cognito_values_with_settings(cognito: Any, pool: UserPool) -> None:
    style_id = create_default_style(cognito, pool)["ManagedLoginBrandingId"]

    code = error_of(
        cognito.update_managed_login_branding,
        UserPoolId=pool.id,
        ManagedLoginBrandingId=style_id,
        UseCognitoProvidedValues=True,
        Settings=SETTINGS,
    )

    assert code == "InvalidParameterException"


def test_delete_by_id_frees_the_client_for_a_new_style(cognito: Any, pool: UserPool, faithful: Any) -> None:
    style_id = create_default_style(cognito, pool)["ManagedLoginBrandingId"]

    cognito.delete_managed_login_branding(UserPoolId=pool.id, ManagedLoginBrandingId=style_id)

    assert faithful.branding_styles == {}
    assert (
        error_of(cognito.describe_managed_login_branding_by_client, UserPoolId=pool.id, ClientId=pool.client_id)
        == "ResourceNotFoundException"
    )
    create_default_style(cognito, pool)


def test_ids_are_scoped_to_their_pool(cognito: Any, pool: UserPool) -> None:
    style_id = create_default_style(cognito, pool)["ManagedLoginBrandingId"]
    other = make_user_pool(cognito, "other-users")

    for call in (cognito.describe_managed_login_branding, cognito.delete_managed_login_branding):
        assert error_of(call, UserPoolId=other.id, ManagedLoginBrandingId=style_id) == "ResourceNotFoundException"
    unknown = "0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b"
    assert (
        error_of(cognito.delete_managed_login_branding, UserPoolId=pool.id, ManagedLoginBrandingId=unknown)
        == "ResourceNotFoundException"
    )


def test_a_lost_answer_still_created_the_style(cognito: Any, pool: UserPool, faithful: Any) -> None:
    faithful.lose_answer("CreateManagedLoginBranding")

    assert (
        error_of(
            cognito.create_managed_login_branding,
            UserPoolId=pool.id,
            ClientId=pool.client_id,
            UseCognitoProvidedValues=True,
        )
        == "InternalErrorException"
    )
    described = cognito.describe_managed_login_branding_by_client(UserPoolId=pool.id, ClientId=pool.client_id)
    assert described["ManagedLoginBranding"]["UseCognitoProvidedValues"] is True
