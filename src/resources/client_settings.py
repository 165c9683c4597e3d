"""Lifecycle of ``Custom::CognitoUserPoolClientSettings``: an app client's OAuth settings.

UpdateUserPoolClient replaces the whole client configuration: every field it is
not given goes back to its default (API reference, UpdateUserPoolClient: "If you
don't provide a value for an attribute, Amazon Cognito sets it to its default
value"). So every write here reads the client first, changes only the fields this
resource manages and writes everything else back as it was. The physical id is the
client id: the settings live on that client, and Delete finds them without state.
"""

from __future__ import annotations

import logging
from typing import Any

from cognito_ops import CognitoOps
from hosted_ui import domain_base_url, login_url
from properties.client_settings import ClientSettings, parse_client_settings
from resources.lifecycle import LifecycleRequest, Outcome, ResourceFailure, is_failed_create

logger = logging.getLogger(__name__)

# The fields this resource owns; every other field of the client is left as it is.
MANAGED_FIELDS = (
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "SupportedIdentityProviders",
    "AllowedOAuthFlowsUserPoolClient",
)


def create(request: LifecycleRequest, ops: CognitoOps) -> Outcome:
    return _apply(ops, parse_client_settings(request.properties))


def update(request: LifecycleRequest, ops: CognitoOps) -> Outcome:
    """What happens on Update, top to bottom.

    The settings are applied to the client the new properties name. For the same
    client that is an in-place change (same physical id). For another client
    (ClientId or UserPoolId changed) the physical id changes, so CloudFormation's
    cleanup Delete resets the old client; on rollback CloudFormation sends the old
    properties back, which re-applies the previous settings to the old client, and
    then deletes (resets) the new one.
    """
    return _apply(ops, parse_client_settings(request.properties))


def delete(request: LifecycleRequest, ops: CognitoOps) -> None:
    """Reset only the managed fields; a client or pool that is gone is success."""
    client_id = request.physical_id
    raw = request.properties if isinstance(request.properties, dict) else {}
    user_pool_id = raw.get("UserPoolId")
    if is_failed_create(client_id) or not isinstance(user_pool_id, str) or not user_pool_id:
        logger.info("Nothing to reset for physical id %r", client_id[:100])
        return
    existing = ops.describe_client(user_pool_id, client_id)
    if existing is None:
        logger.info("App client %s is gone; nothing to reset", client_id)
        return
    reset = _without_managed_fields(existing)
    if _managed_view(existing) != _managed_view(reset):
        ops.replace_client(user_pool_id, client_id, reset)


def is_complete(request: LifecycleRequest, ops: CognitoOps) -> Outcome | None:
    # Client settings take effect in the call that writes them; nothing to wait for.
    return _outcome(ops, parse_client_settings(request.properties))


def _apply(ops: CognitoOps, wanted: ClientSettings) -> Outcome:
    existing = ops.describe_client(wanted.user_pool_id, wanted.client_id)
    if existing is None:
        raise ResourceFailure(
            f"App client {wanted.client_id} does not exist in user pool {wanted.user_pool_id}; "
            "check ClientId and UserPoolId"
        )
    _check_against_pool(ops, wanted, existing)
    desired = _with_settings(existing, wanted)
    if _managed_view(existing) != _managed_view(desired):
        ops.replace_client(wanted.user_pool_id, wanted.client_id, desired)
    return _outcome(ops, wanted)


def _check_against_pool(ops: CognitoOps, wanted: ClientSettings, existing: dict[str, Any]) -> None:
    """The rules that depend on what exists in Cognito, checked before any write."""
    if "client_credentials" in wanted.allowed_oauth_flows and not existing.get("ClientSecret"):
        raise ResourceFailure(
            f"The client_credentials flow needs an app client with a secret, and app client "
            f"{wanted.client_id} has none; use a client created with GenerateSecret: true"
        )
    if wanted.external_identity_providers:
        configured = ops.identity_provider_names(wanted.user_pool_id)
        missing = sorted(wanted.external_identity_providers - configured)
        if missing:
            raise ResourceFailure(
                f"SupportedIdentityProviders names {', '.join(missing)}, not configured on user pool "
                f"{wanted.user_pool_id} (configured: {', '.join(['COGNITO', *sorted(configured)])})"
            )
    if wanted.custom_scopes:
        defined = ops.resource_server_scopes(wanted.user_pool_id)
        missing = sorted(wanted.custom_scopes - defined)
        if missing:
            raise ResourceFailure(
                f"AllowedOAuthScopes names {', '.join(missing)}, not defined by any resource server "
                f"of user pool {wanted.user_pool_id}"
            )


def _with_settings(existing: dict[str, Any], wanted: ClientSettings) -> dict[str, Any]:
    fields = _without_managed_fields(existing)
    fields.update(
        CallbackURLs=list(wanted.callback_urls),
        LogoutURLs=list(wanted.logout_urls),
        AllowedOAuthFlows=list(wanted.allowed_oauth_flows),
        AllowedOAuthScopes=list(wanted.allowed_oauth_scopes),
        SupportedIdentityProviders=list(wanted.supported_identity_providers),
        AllowedOAuthFlowsUserPoolClient=bool(wanted.allowed_oauth_flows),
    )
    if wanted.default_redirect_uri is not None:
        fields["DefaultRedirectURI"] = wanted.default_redirect_uri
    # Cognito stores an empty list as no value at all; send managed fields the same way.
    return {key: value for key, value in fields.items() if not (key in MANAGED_FIELDS and value == [])}


def _without_managed_fields(client: dict[str, Any]) -> dict[str, Any]:
    fields = {key: value for key, value in client.items() if key not in MANAGED_FIELDS}
    fields["AllowedOAuthFlowsUserPoolClient"] = False
    return fields


def _managed_view(client: dict[str, Any]) -> dict[str, Any]:
    """The managed fields, with absent, empty and false treated alike (Cognito omits them)."""
    return {key: client[key] for key in MANAGED_FIELDS if client.get(key) not in (None, [], False)}


def _outcome(ops: CognitoOps, wanted: ClientSettings) -> Outcome:
    data = {"ClientId": wanted.client_id, "UserPoolId": wanted.user_pool_id}
    response_type = wanted.login_response_type
    redirect_uri = wanted.redirect_uri
    if wanted.domain is not None and response_type is not None and redirect_uri is not None:
        data["HostedUIUrl"] = login_url(
            domain_base_url(wanted.domain, ops.region),
            wanted.client_id,
            response_type,
            wanted.allowed_oauth_scopes,
            redirect_uri,
        )
    return Outcome(physical_id=wanted.client_id, data=data)
