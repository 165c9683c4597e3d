"""Custom::CognitoUserPoolClientSettings through every lifecycle path, against the faithful double.

The double makes UpdateUserPoolClient replace the whole client as real Cognito
does, so a field this resource forgot to write back is really lost here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.harness import CloudFormation, UserPool, make_user_pool

SETTINGS = "Custom::CognitoUserPoolClientSettings"

# Every field of an app client that this resource does not manage, set to a
# non-default value, so losing any of them shows.
UNMANAGED_FIELDS: dict[str, Any] = {
    "ClientName": "notes-web",
    "RefreshTokenValidity": 10,
    "AccessTokenValidity": 15,
    "IdTokenValidity": 20,
    "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
    "ReadAttributes": ["email", "email_verified"],
    "WriteAttributes": ["email"],
    "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    "PreventUserExistenceErrors": "ENABLED",
    "EnableTokenRevocation": False,
    "EnablePropagateAdditionalUserContextData": False,
    "AuthSessionValidity": 7,
    "AnalyticsConfiguration": {"ApplicationId": "0123456789abcdef", "UserDataShared": False},
}


def describe(cognito: Any, pool_id: str, client_id: str) -> dict[str, Any]:
    client: dict[str, Any] = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    return client


@pytest.fixture
def configured_pool(cognito: Any, pool: UserPool) -> UserPool:
    cognito.update_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id, **UNMANAGED_FIELDS)
    return pool


def settings(pool: UserPool, **overrides: Any) -> dict[str, Any]:
    return {
        "UserPoolId": pool.id,
        "ClientId": pool.client_id,
        "CallbackURLs": ["http://localhost:3000/", "https://app.example.com/callback"],
        "LogoutURLs": ["http://localhost:3000/"],
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid", "email", "profile"],
        **overrides,
    }


def assert_unmanaged_fields_kept(client: dict[str, Any]) -> None:
    for name, value in UNMANAGED_FIELDS.items():
        assert client.get(name) == value, f"{name} was changed or lost"


def apply(cfn: CloudFormation, properties: dict[str, Any]) -> dict[str, Any]:
    answer = cfn.send(cfn.events.create(SETTINGS, "AppClientSettings", properties))
    assert answer["Status"] == "SUCCESS", answer["Reason"]
    return answer


# --- Create -----------------------------------------------------------------


def test_create_applies_oauth_settings_and_keeps_every_other_field(
    cfn: CloudFormation, configured_pool: UserPool, cognito: Any
) -> None:
    answer = apply(cfn, settings(configured_pool))

    assert answer["PhysicalResourceId"] == configured_pool.client_id
    assert answer["Data"] == {
        "ClientId": configured_pool.client_id,
        "UserPoolId": configured_pool.id,
        "ManagedLoginBrandingId": "",  # no managed login domain: no style
    }
    client = describe(cognito, configured_pool.id, configured_pool.client_id)
    assert client["CallbackURLs"] == ["http://localhost:3000/", "https://app.example.com/callback"]
    assert client["LogoutURLs"] == ["http://localhost:3000/"]
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["AllowedOAuthScopes"] == ["openid", "email", "profile"]
    assert client["SupportedIdentityProviders"] == ["COGNITO"]
    assert client["AllowedOAuthFlowsUserPoolClient"] is True
    assert_unmanaged_fields_kept(client)


def test_create_with_domain_returns_hosted_ui_url_with_encoded_query(
    cfn: CloudFormation, configured_pool: UserPool
) -> None:
    answer = apply(cfn, settings(configured_pool, Domain="notes-dev-4f2a"))

    url = urlsplit(answer["Data"]["HostedUIUrl"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://notes-dev-4f2a.auth.us-east-1.amazoncognito.com/login"
    assert "scope=openid%20email%20profile" in url.query
    assert "redirect_uri=http%3A%2F%2Flocalhost%3A3000%2F" in url.query
    assert parse_qs(url.query) == {
        "client_id": [configured_pool.client_id],
        "response_type": ["code"],
        "scope": ["openid email profile"],
        "redirect_uri": ["http://localhost:3000/"],
    }
    assert answer["Data"]["ClientLogoutUrl"] == (
        "https://notes-dev-4f2a.auth.us-east-1.amazoncognito.com/logout"
        f"?client_id={configured_pool.client_id}&logout_uri=http%3A%2F%2Flocalhost%3A3000%2F"
    )


def test_hosted_ui_url_uses_default_redirect_uri_and_token_for_implicit_only(
    cfn: CloudFormation, configured_pool: UserPool
) -> None:
    answer = apply(
        cfn,
        settings(
            configured_pool,
            AllowedOAuthFlows=["implicit"],
            DefaultRedirectURI="https://app.example.com/callback",
            Domain="auth.example.com",
        ),
    )

    query = parse_qs(urlsplit(answer["Data"]["HostedUIUrl"]).query)
    assert answer["Data"]["HostedUIUrl"].startswith("https://auth.example.com/login?")
    assert query["response_type"] == ["token"]
    assert query["redirect_uri"] == ["https://app.example.com/callback"]


def test_create_with_configured_identity_provider_and_custom_scope(
    cfn: CloudFormation, configured_pool: UserPool, cognito: Any
) -> None:
    cognito.create_identity_provider(
        UserPoolId=configured_pool.id,
        ProviderName="Google",
        ProviderType="Google",
        ProviderDetails={"client_id": "x", "client_secret": "y", "authorize_scopes": "email"},
    )
    cognito.create_resource_server(
        UserPoolId=configured_pool.id,
        Identifier="notes-api",
        Name="Notes API",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "read notes"}],
    )

    apply(
        cfn,
        settings(
            configured_pool,
            SupportedIdentityProviders=["COGNITO", "Google"],
            AllowedOAuthScopes=["openid", "notes-api/read"],
        ),
    )

    client = describe(cognito, configured_pool.id, configured_pool.client_id)
    assert client["SupportedIdentityProviders"] == ["COGNITO", "Google"]
    assert client["AllowedOAuthScopes"] == ["openid", "notes-api/read"]
    assert_unmanaged_fields_kept(client)


def test_mobile_app_schemes_and_an_api_url_resource_server_are_accepted(
    cfn: CloudFormation, configured_pool: UserPool, cognito: Any
) -> None:
    # UpdateUserPoolClient: "App callback URLs such as myapp://example are also supported";
    # a resource server identifier may be an API URL (developer guide, resource servers).
    cognito.create_resource_server(
        UserPoolId=configured_pool.id,
        Identifier="https://api.example.com",
        Name="Notes API",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "read notes"}],
    )
    mobile = ["myapp://callback", "com.example.app:/oauth2redirect"]

    apply(
        cfn,
        settings(
            configured_pool,
            CallbackURLs=mobile,
            LogoutURLs=["myapp://signout"],
            AllowedOAuthScopes=["openid", "https://api.example.com/read"],
        ),
    )

    client = describe(cognito, configured_pool.id, configured_pool.client_id)
    assert client["CallbackURLs"] == mobile
    assert client["LogoutURLs"] == ["myapp://signout"]
    assert client["AllowedOAuthScopes"] == ["openid", "https://api.example.com/read"]
    assert_unmanaged_fields_kept(client)


@pytest.mark.parametrize("request_type", ["Create", "Delete"])
def test_a_client_setting_the_sdk_does_not_know_is_never_reset(
    cfn: CloudFormation, configured_pool: UserPool, cognito: Any, faithful: Any, request_type: str
) -> None:
    # An older SDK in the Lambda runtime drops fields it does not know, and
    # UpdateUserPoolClient resets every field it is not sent: refuse before writing.
    properties = settings(configured_pool)
    if request_type == "Delete":
        apply(cfn, properties)
    faithful.add_future_client_field(configured_pool.client_id, "FutureTokenSetting", {"Enabled": True})
    faithful.calls.clear()

    event = (
        cfn.events.create(SETTINGS, "AppClientSettings", properties)
        if request_type == "Create"
        else cfn.events.delete(SETTINGS, "AppClientSettings", configured_pool.client_id, properties)
    )
    answer = cfn.send(event)

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith(f"App client {configured_pool.client_id} has settings that this function's")
    assert "FutureTokenSetting" in answer["Reason"]
    assert "UpdateUserPoolClient" not in faithful.calls
    assert faithful.future_client_fields[configured_pool.client_id] == {"FutureTokenSetting": {"Enabled": True}}


def test_client_credentials_on_a_client_with_a_secret_keeps_the_secret(
    cfn: CloudFormation, cognito: Any, faithful: Any
) -> None:
    machine = make_user_pool(cognito, "machine", generate_secret=True)
    cognito.create_resource_server(
        UserPoolId=machine.id,
        Identifier="notes-api",
        Name="Notes API",
        Scopes=[{"ScopeName": "write", "ScopeDescription": "w"}],
    )
    secret = describe(cognito, machine.id, machine.client_id)["ClientSecret"]

    apply(
        cfn,
        {
            "UserPoolId": machine.id,
            "ClientId": machine.client_id,
            "AllowedOAuthFlows": ["client_credentials"],
            "AllowedOAuthScopes": ["notes-api/write"],
        },
    )

    client = describe(cognito, machine.id, machine.client_id)
    assert client["AllowedOAuthFlows"] == ["client_credentials"]
    assert client["ClientSecret"] == secret


# --- Bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"CallbackURLs": ["http://app.example.com/"]}, "'http://app.example.com/' must use https://"),
        ({"CallbackURLs": ["https://app.example.com/#top"]}, "must not contain a fragment"),
        ({"CallbackURLs": ["/callback"]}, "must be an absolute URL"),
        ({"LogoutURLs": ["ftp://app.example.com/"]}, "LogoutURLs entry 'ftp://app.example.com/' uses the ftp: scheme"),
        (
            {"CallbackURLs": [f"https://app.example.com/{n}" for n in range(101)]},
            "has 101 URLs; Cognito allows at most 100",
        ),
        ({"CallbackURLs": "https://app.example.com/"}, "must be a list of strings, got the single string"),
        ({"CallbackURLs": []}, "CallbackURLs is required for the code and implicit flows"),
        (
            {"DefaultRedirectURI": "https://elsewhere.example.com/"},
            "DefaultRedirectURI 'https://elsewhere.example.com/' must be one of CallbackURLs",
        ),
        (
            {"AllowedOAuthFlows": ["password"]},
            "AllowedOAuthFlows entry 'password' is not one of code, implicit, client_credentials",
        ),
        (
            {"AllowedOAuthFlows": ["code", "client_credentials"]},
            "cannot combine client_credentials with code or implicit",
        ),
        ({"AllowedOAuthFlows": []}, "AllowedOAuthFlows must name at least one flow"),
        ({"AllowedOAuthScopes": ["openid", "admin"]}, "AllowedOAuthScopes entry 'admin' is neither a standard scope"),
        ({"AllowedOAuthScopes": None}, "AllowedOAuthScopes is required"),
        (
            {"SupportedIdentityProviders": ["COGNITO", "COGNITO"]},
            "SupportedIdentityProviders lists 'COGNITO' more than once",
        ),
        ({"AllowedOAuthFlows": ["code", "code"]}, "AllowedOAuthFlows lists 'code' more than once"),
        (
            {"CallbackURLs": ["https://a.example.com/", "https://a.example.com/"]},
            "CallbackURLs lists 'https://a.example.com/' more than once",
        ),
        ({"Domain": "Not A Domain"}, "is invalid"),
        ({"ClientId": "bad id!"}, "ClientId 'bad id!' is not an app client id"),
        ({"CallbackUrls": ["https://x.example.com/"]}, "unknown property 'CallbackUrls'"),
    ],
)
def test_invalid_input_is_refused_before_any_call(
    cfn: CloudFormation,
    configured_pool: UserPool,
    faithful: Any,
    cognito: Any,
    overrides: dict[str, Any],
    expected: str,
) -> None:
    properties = {key: value for key, value in settings(configured_pool, **overrides).items() if value is not None}
    before = describe(cognito, configured_pool.id, configured_pool.client_id)
    faithful.calls.clear()

    answer = cfn.send(cfn.events.create(SETTINGS, "AppClientSettings", properties))

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("Invalid properties for Custom::CognitoUserPoolClientSettings")
    assert expected in answer["Reason"]
    assert faithful.calls == []
    assert describe(cognito, configured_pool.id, configured_pool.client_id) == before


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthScopes": ["notes-api/read"], "CallbackURLs": []},
            "The client_credentials flow needs an app client with a secret",
        ),
        ({"SupportedIdentityProviders": ["COGNITO", "Okta"]}, "SupportedIdentityProviders names Okta, not configured"),
        (
            {"AllowedOAuthScopes": ["openid", "notes-api/delete"]},
            "AllowedOAuthScopes names notes-api/delete, not defined",
        ),
        ({"ClientId": "nosuchclient123"}, "App client nosuchclient123 does not exist in user pool"),
    ],
)
def test_input_that_does_not_fit_the_pool_is_refused_before_any_write(
    cfn: CloudFormation,
    configured_pool: UserPool,
    faithful: Any,
    cognito: Any,
    overrides: dict[str, Any],
    expected: str,
) -> None:
    before = describe(cognito, configured_pool.id, configured_pool.client_id)
    faithful.calls.clear()

    answer = cfn.send(cfn.events.create(SETTINGS, "AppClientSettings", settings(configured_pool, **overrides)))

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith(expected)
    assert "UpdateUserPoolClient" not in faithful.calls
    assert describe(cognito, configured_pool.id, configured_pool.client_id) == before


# --- Update -------------------------------------------------------------------


def test_update_applies_new_settings_in_place(cfn: CloudFormation, configured_pool: UserPool, cognito: Any) -> None:
    old = settings(configured_pool)
    apply(cfn, old)
    new = settings(configured_pool, CallbackURLs=["https://app.example.com/new"], AllowedOAuthScopes=["openid"])

    answer = cfn.send(cfn.events.update(SETTINGS, "AppClientSettings", configured_pool.client_id, new, old))

    assert (answer["Status"], answer["PhysicalResourceId"]) == ("SUCCESS", configured_pool.client_id)
    client = describe(cognito, configured_pool.id, configured_pool.client_id)
    assert client["CallbackURLs"] == ["https://app.example.com/new"]
    assert client["AllowedOAuthScopes"] == ["openid"]
    assert_unmanaged_fields_kept(client)


def test_update_that_changes_nothing_writes_nothing(
    cfn: CloudFormation, configured_pool: UserPool, faithful: Any
) -> None:
    props = settings(configured_pool)
    apply(cfn, props)
    faithful.calls.clear()

    answer = cfn.send(
        cfn.events.update(
            SETTINGS, "AppClientSettings", configured_pool.client_id, {**props, "ClientRevision": "2"}, props
        )
    )

    assert answer["Status"] == "SUCCESS"
    assert "UpdateUserPoolClient" not in faithful.calls


def test_client_revision_change_reapplies_settings_reset_by_a_native_client_update(
    cfn: CloudFormation, configured_pool: UserPool, cognito: Any
) -> None:
    props = {**settings(configured_pool), "ClientRevision": "1"}
    apply(cfn, props)
    # The native AWS::Cognito::UserPoolClient update calls UpdateUserPoolClient
    # without the OAuth settings, which resets them.
    cognito.update_user_pool_client(
        UserPoolId=configured_pool.id, ClientId=configured_pool.client_id, **UNMANAGED_FIELDS
    )
    assert "CallbackURLs" not in describe(cognito, configured_pool.id, configured_pool.client_id)

    answer = cfn.send(
        cfn.events.update(
            SETTINGS, "AppClientSettings", configured_pool.client_id, {**props, "ClientRevision": "2"}, props
        )
    )

    assert answer["Status"] == "SUCCESS"
    client = describe(cognito, configured_pool.id, configured_pool.client_id)
    assert client["CallbackURLs"] == props["CallbackURLs"]
    assert_unmanaged_fields_kept(client)


def test_update_to_another_client_moves_settings_and_cleanup_resets_old_client(
    cfn: CloudFormation, configured_pool: UserPool, cognito: Any
) -> None:
    second = make_user_pool(cognito, "second")
    old = settings(configured_pool)
    apply(cfn, old)
    new = settings(second)

    answer = cfn.send(cfn.events.update(SETTINGS, "AppClientSettings", configured_pool.client_id, new, old))

    assert (answer["Status"], answer["PhysicalResourceId"]) == ("SUCCESS", second.client_id)
    assert describe(cognito, second.id, second.client_id)["CallbackURLs"] == new["CallbackURLs"]

    cleanup = cfn.send(cfn.events.delete(SETTINGS, "AppClientSettings", configured_pool.client_id, old))

    assert cleanup["Status"] == "SUCCESS"
    old_client = describe(cognito, configured_pool.id, configured_pool.client_id)
    assert "CallbackURLs" not in old_client
    assert old_client["AllowedOAuthFlowsUserPoolClient"] is False
    assert_unmanaged_fields_kept(old_client)
    assert describe(cognito, second.id, second.client_id)["CallbackURLs"] == new["CallbackURLs"]


def test_rollback_update_restores_previous_settings(
    cfn: CloudFormation, configured_pool: UserPool, cognito: Any
) -> None:
    old = settings(configured_pool)
    new = settings(configured_pool, CallbackURLs=["https://app.example.com/new"], LogoutURLs=[])
    apply(cfn, old)
    cfn.send(cfn.events.update(SETTINGS, "AppClientSettings", configured_pool.client_id, new, old))

    rollback = cfn.send(cfn.events.update(SETTINGS, "AppClientSettings", configured_pool.client_id, old, new))

    assert (rollback["Status"], rollback["PhysicalResourceId"]) == ("SUCCESS", configured_pool.client_id)
    client = describe(cognito, configured_pool.id, configured_pool.client_id)
    assert client["CallbackURLs"] == old["CallbackURLs"]
    assert client["LogoutURLs"] == old["LogoutURLs"]
    assert_unmanaged_fields_kept(client)


def test_rollback_of_a_move_restores_old_client_and_resets_new_one(
    cfn: CloudFormation, configured_pool: UserPool, cognito: Any
) -> None:
    second = make_user_pool(cognito, "second")
    old, new = settings(configured_pool), settings(second)
    apply(cfn, old)
    cfn.send(cfn.events.update(SETTINGS, "AppClientSettings", configured_pool.client_id, new, old))

    rollback = cfn.send(cfn.events.update(SETTINGS, "AppClientSettings", second.client_id, old, new))
    cleanup = cfn.send(cfn.events.delete(SETTINGS, "AppClientSettings", second.client_id, new))

    assert (rollback["PhysicalResourceId"], cleanup["Status"]) == (configured_pool.client_id, "SUCCESS")
    assert describe(cognito, configured_pool.id, configured_pool.client_id)["CallbackURLs"] == old["CallbackURLs"]
    assert "CallbackURLs" not in describe(cognito, second.id, second.client_id)


# --- Delete -------------------------------------------------------------------


def test_delete_resets_only_managed_fields(cfn: CloudFormation, configured_pool: UserPool, cognito: Any) -> None:
    props = settings(configured_pool, DefaultRedirectURI="http://localhost:3000/")
    apply(cfn, props)

    answer = cfn.send(cfn.events.delete(SETTINGS, "AppClientSettings", configured_pool.client_id, props))

    assert (answer["Status"], answer["PhysicalResourceId"]) == ("SUCCESS", configured_pool.client_id)
    client = describe(cognito, configured_pool.id, configured_pool.client_id)
    for managed in ("CallbackURLs", "LogoutURLs", "DefaultRedirectURI", "AllowedOAuthFlows", "AllowedOAuthScopes"):
        assert managed not in client
    assert client["AllowedOAuthFlowsUserPoolClient"] is False
    assert_unmanaged_fields_kept(client)


def test_delete_when_client_is_gone_succeeds(cfn: CloudFormation, configured_pool: UserPool, cognito: Any) -> None:
    props = settings(configured_pool)
    apply(cfn, props)
    cognito.delete_user_pool_client(UserPoolId=configured_pool.id, ClientId=configured_pool.client_id)

    answer = cfn.send(cfn.events.delete(SETTINGS, "AppClientSettings", configured_pool.client_id, props))

    assert answer["Status"] == "SUCCESS"


def test_delete_when_pool_is_gone_succeeds(cfn: CloudFormation, faithful: Any) -> None:
    props = {"UserPoolId": "us-east-1_Gone1234", "ClientId": "abc123", "AllowedOAuthFlows": ["code"]}

    answer = cfn.send(cfn.events.delete(SETTINGS, "AppClientSettings", "abc123", props))

    assert answer["Status"] == "SUCCESS"


def test_delete_after_failed_create_touches_nothing(
    cfn: CloudFormation, configured_pool: UserPool, faithful: Any
) -> None:
    failed = cfn.send(
        cfn.events.create(SETTINGS, "AppClientSettings", settings(configured_pool, AllowedOAuthFlows=["bad"]))
    )
    faithful.calls.clear()

    answer = cfn.send(
        cfn.events.delete(SETTINGS, "AppClientSettings", failed["PhysicalResourceId"], settings(configured_pool))
    )

    assert answer["Status"] == "SUCCESS"
    assert faithful.calls == []
