"""The IdToken check of ``make local`` accepts the pool's real token and refuses what does not match."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from cognito_double.moto_endpoint import MotoEndpoint
from local.token_check import TokenCheckError, local_url, verify_id_token
from resources.hosted_ui import federation_urls
from tests.support.harness import UserPool

PASSWORD = "Local-Passw0rd"


def id_token_of(cognito: Any, pool: UserPool) -> str:
    cognito.admin_create_user(UserPoolId=pool.id, Username="a@example.com", TemporaryPassword=PASSWORD)
    cognito.admin_set_user_password(UserPoolId=pool.id, Username="a@example.com", Password=PASSWORD, Permanent=True)
    auth = cognito.admin_initiate_auth(
        UserPoolId=pool.id,
        ClientId=pool.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "a@example.com", "PASSWORD": PASSWORD},
    )
    return str(auth["AuthenticationResult"]["IdToken"])


def outputs_for(pool: UserPool) -> dict[str, str]:
    return {**federation_urls("notes-app-dev", pool.id, "us-east-1"), "AppClientId": pool.client_id}


def test_local_url_keeps_the_path_on_the_local_endpoint() -> None:
    jwks = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC/.well-known/jwks.json"

    assert local_url(jwks, "http://127.0.0.1:5000") == "http://127.0.0.1:5000/us-east-1_AbC/.well-known/jwks.json"


def test_the_pools_id_token_verifies_with_its_jwks_and_its_iss_is_the_issuer_output(
    cognito: Any, pool: UserPool, moto_endpoint: MotoEndpoint
) -> None:
    claims = verify_id_token(id_token_of(cognito, pool), outputs_for(pool), moto_endpoint.url)

    assert claims["iss"] == f"https://cognito-idp.us-east-1.amazonaws.com/{pool.id}"
    assert claims["token_use"] == "id"


def test_an_issuer_output_that_differs_from_iss_is_refused(
    cognito: Any, pool: UserPool, moto_endpoint: MotoEndpoint
) -> None:
    outputs = {**outputs_for(pool), "Issuer": f"https://cognito-idp.cn-north-1.amazonaws.com.cn/{pool.id}"}

    with pytest.raises(TokenCheckError, match="do not match the outputs"):
        verify_id_token(id_token_of(cognito, pool), outputs, moto_endpoint.url)


def test_a_token_whose_claims_were_changed_does_not_verify(
    cognito: Any, pool: UserPool, moto_endpoint: MotoEndpoint
) -> None:
    header, payload, signature = id_token_of(cognito, pool).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["email"] = "someone.else@example.com"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    with pytest.raises(TokenCheckError, match="signature does not verify"):
        verify_id_token(f"{header}.{forged}.{signature}", outputs_for(pool), moto_endpoint.url)
