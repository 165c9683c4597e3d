"""Cognito's app clients where moto is more lenient: UpdateUserPoolClient replaces, and validates.

moto merges an update into the client and accepts any OAuth combination; these
handlers replace UpdateUserPoolClient and DescribeUserPoolClient (which also answers
fields newer than the caller's SDK). Rules and sources: docs/design/double.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from moto.cognitoidp.exceptions import InvalidParameterException, ResourceNotFoundError
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.responses import ActionResult

from cognito_double.errors import InvalidOAuthFlowException, ScopeDoesNotExistException
from cognito_double.state import FaithfulCognito

STANDARD_SCOPES = {"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"}
# moto's own defaults for a new client, which is what a replacing update falls back to.
CLIENT_DEFAULTS: dict[str, Any] = {
    "AllowedOAuthFlowsUserPoolClient": False,
    "AuthSessionValidity": 3,
    "EnablePropagateAdditionalUserContextData": False,
    "EnableTokenRevocation": True,
    "RefreshTokenValidity": 30,
}


def _epoch_seconds(value: Any) -> float:
    return float(value.timestamp()) if hasattr(value, "timestamp") else float(value)


# moto's own handler, kept before install() patches it.
moto_describe_user_pool_client = CognitoIdpResponse.describe_user_pool_client


def make_client_handlers(state: FaithfulCognito) -> dict[str, Callable[[CognitoIdpResponse], Any]]:
    def describe_user_pool_client(response: CognitoIdpResponse) -> ActionResult | str:
        with state.lock:
            state.record("DescribeUserPoolClient")
            state.admit(response.current_account, response._get_param("UserPoolId"), "DescribeUserPoolClient")
        answer = moto_describe_user_pool_client(response)
        future = state.future_client_fields.get(response._get_param("ClientId"))
        if not future:
            return answer
        # moto serialises ActionResults through the service model, which would drop
        # the field; the raw JSON carries it, as the real service's answer does.
        body = dict(answer.result)
        body["UserPoolClient"] = {**body["UserPoolClient"], **future}
        return json.dumps(body, default=_epoch_seconds)

    def update_user_pool_client(response: CognitoIdpResponse) -> ActionResult:
        parameters = dict(response.parameters)
        pool_id, client_id = parameters.pop("UserPoolId"), parameters.pop("ClientId")
        with state.lock:
            state.record("UpdateUserPoolClient")
            state.admit(response.current_account, pool_id, "UpdateUserPoolClient")
            pool = response.backend.describe_user_pool(pool_id)
            client = pool.clients.get(client_id)
            if client is None:
                raise ResourceNotFoundError(client_id)
            _validate_client(pool, client, parameters)
            future = state.future_client_fields.get(client_id, {})
            for name in list(future):
                if name not in parameters:
                    del future[name]  # "If you don't provide a value ... sets it to its default value"
            # A1: UpdateUserPoolClient, "Amazon Cognito sets it to its default value".
            client.extended_config = {**CLIENT_DEFAULTS, **parameters}
            return state.answered(
                "UpdateUserPoolClient", ActionResult({"UserPoolClient": client.to_json(extended=True)})
            )

    return {
        "update_user_pool_client": update_user_pool_client,
        "describe_user_pool_client": describe_user_pool_client,
    }


def _validate_client(pool: Any, client: Any, parameters: dict[str, Any]) -> None:
    flows = set(parameters.get("AllowedOAuthFlows") or [])
    scopes = list(parameters.get("AllowedOAuthScopes") or [])
    callbacks = list(parameters.get("CallbackURLs") or [])
    # A2: UpdateUserPoolClient, AllowedOAuthFlows (texts unconfirmed).
    if "client_credentials" in flows and not client.generate_secret:
        raise InvalidOAuthFlowException(
            "client_credentials flow can not be selected if client does not have a client secret."
        )
    if "client_credentials" in flows and len(flows) > 1:
        raise InvalidOAuthFlowException(
            "client_credentials flow can not be selected along with code flow or implicit flow."
        )
    defined = {
        f"{server.identifier}/{scope['ScopeName']}"
        for server in pool.resource_servers.values()
        for scope in server.scopes or []
    }
    for scope in scopes:  # A3: UpdateUserPoolClient errors, ScopeDoesNotExistException
        if scope not in STANDARD_SCOPES and scope not in defined:
            raise ScopeDoesNotExistException(f"Invalid scope requested: {scope}")
    for provider in parameters.get("SupportedIdentityProviders") or []:  # A4
        if provider != "COGNITO" and provider not in pool.identity_providers:
            raise InvalidParameterException(f"The provider {provider} does not exist for User Pool {pool.id}")
    _validate_urls(parameters)
    if parameters.get("AllowedOAuthFlowsUserPoolClient"):  # A7 (texts unconfirmed)
        if not flows or not scopes:
            raise InvalidParameterException(
                "AllowedOAuthFlows and AllowedOAuthScopes are required when OAuth is enabled."
            )
        if {"code", "implicit"} & flows and not callbacks:
            raise InvalidParameterException("CallbackURLs are required for the code and implicit flows.")


def _validate_urls(parameters: dict[str, Any]) -> None:
    # A5 and A6: UpdateUserPoolClient, CallbackURLs: absolute, no fragment, HTTPS except
    # http://localhost, and "App callback URLs such as myapp://example are also supported".
    for name in ("CallbackURLs", "LogoutURLs"):
        for url in parameters.get(name) or []:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            loopback = parts.hostname in ("localhost", "127.0.0.1", "::1")
            web = scheme in ("http", "https")
            if (
                "#" in url
                or not scheme
                or (web and not parts.hostname)
                or (scheme == "http" and not loopback)
                or (not web and not (parts.netloc or parts.path))
            ):
                raise InvalidParameterException(f"{name}: {url} is not a valid redirect URL.")
    default_redirect = parameters.get("DefaultRedirectURI")
    if default_redirect is not None and default_redirect not in (parameters.get("CallbackURLs") or []):
        raise InvalidParameterException("DefaultRedirectURI must be one of the CallbackURLs.")
