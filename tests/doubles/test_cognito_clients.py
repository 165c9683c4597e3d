"""The double's app client rules (cognito_double/cognito_clients.py) not covered elsewhere, through the AWS API."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.harness import UserPool

OAUTH = {"AllowedOAuthFlowsUserPoolClient": True, "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"]}


def refused(cognito: Any, pool: UserPool, **settings: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        cognito.update_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id, **settings)
    error = raised.value.response["Error"]
    return error["Code"], error["Message"]


def test_an_identity_provider_the_pool_lacks_is_refused(cognito: Any, pool: UserPool) -> None:
    code, message = refused(cognito, pool, SupportedIdentityProviders=["COGNITO", "Google"])

    assert code == "InvalidParameterException"
    assert "The provider Google does not exist" in message


def test_default_redirect_uri_must_be_one_of_the_callback_urls(cognito: Any, pool: UserPool) -> None:
    code, _ = refused(
        cognito,
        pool,
        **OAUTH,
        CallbackURLs=["https://app.example.com/"],
        DefaultRedirectURI="https://other.example.com/",
    )

    assert code == "InvalidParameterException"


@pytest.mark.parametrize("missing", ["AllowedOAuthFlows", "AllowedOAuthScopes", "CallbackURLs"])
def test_oauth_needs_flows_scopes_and_callback_urls(cognito: Any, pool: UserPool, missing: str) -> None:
    settings = {**OAUTH, "CallbackURLs": ["https://app.example.com/"]}
    del settings[missing]

    assert refused(cognito, pool, **settings)[0] == "InvalidParameterException"


@pytest.mark.parametrize("url", ["myapp://callback", "http://localhost:5173/"])
def test_an_app_scheme_and_plain_http_on_localhost_are_accepted(cognito: Any, pool: UserPool, url: str) -> None:
    cognito.update_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id, **OAUTH, CallbackURLs=[url])
