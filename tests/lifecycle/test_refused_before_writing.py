"""Input refused before any write, against the double: an empty ManagedLoginVersion, an answer too large to send.

CloudFormation sends every scalar as a string, and a template's ``!If`` or a blank
parameter sends ``""``: that is a value like any other, not "absent". And an answer
larger than CloudFormation's 4096 bytes can never be delivered, so the settings that
would produce it are refused before the client is touched.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.harness import CloudFormation, UserPool
from tests.support.harness import code_flow_settings as oauth

DOMAIN = "Custom::CognitoUserPoolDomain"
SETTINGS = "Custom::CognitoUserPoolClientSettings"


def test_a_domain_with_an_empty_managed_login_version_is_refused(
    cfn: CloudFormation, pool: UserPool, cognito: Any
) -> None:
    answer = cfn.send(
        cfn.events.create(DOMAIN, "D", {"UserPoolId": pool.id, "Domain": "notes-empty", "ManagedLoginVersion": ""})
    )

    assert answer["Status"] == "FAILED"
    assert "ManagedLoginVersion must be one of 1, 2, got ''" in answer["Reason"]
    assert cognito.describe_user_pool_domain(Domain="notes-empty")["DomainDescription"] == {}


@pytest.mark.parametrize("name", ["ManagedLoginVersion", "ManagedLoginBranding"])
def test_settings_with_an_empty_managed_login_choice_are_refused(
    cfn: CloudFormation, pool: UserPool, cognito: Any, name: str
) -> None:
    answer = cfn.send(cfn.events.create(SETTINGS, "S", oauth(pool, **{name: ""})))

    assert answer["Status"] == "FAILED"
    assert f"{name} must be one of" in answer["Reason"]
    client = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id)["UserPoolClient"]
    assert "CallbackURLs" not in client


def long_url(path_segment: str, length: int = 1000) -> str:
    """A legal URL of ``length`` characters whose '/' each take three bytes once URL-encoded."""
    base = "https://app.example.com/"
    return (base + (path_segment + "/") * length)[:length]


def test_settings_whose_answer_would_not_fit_cloudformations_4096_bytes_are_refused_before_any_write(
    cfn: CloudFormation, pool: UserPool, cognito: Any
) -> None:
    callback, logout = long_url("c"), long_url("l")
    properties = oauth(pool, CallbackURLs=[callback], LogoutURLs=[logout], Domain="notes-long")

    answer = cfn.send(cfn.events.create(SETTINGS, "S", properties))

    assert answer["Status"] == "FAILED"
    assert "over CloudFormation's 4096; nothing was written" in answer["Reason"]
    client = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id)["UserPoolClient"]
    assert "CallbackURLs" not in client


def test_settings_with_a_1000_character_url_whose_answer_fits_are_applied(
    cfn: CloudFormation, pool: UserPool, cognito: Any
) -> None:
    callback = long_url("c")

    answer = cfn.send(cfn.events.create(SETTINGS, "S", oauth(pool, CallbackURLs=[callback], Domain="notes-long")))

    assert answer["Status"] == "SUCCESS", answer.get("Reason")
    assert len(answer["Data"]["HostedUIUrl"]) > 2000
    client = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id)["UserPoolClient"]
    assert client["CallbackURLs"] == [callback]
