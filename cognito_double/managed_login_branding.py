"""Managed login branding styles, which moto does not have, as real Cognito keeps them.

moto dispatches a cognito-idp request to the ``CognitoIdpResponse`` method named
after its action in snake_case (``BaseResponse.call_action``), so ``install`` adds
these five handlers as new methods, in-process and in server mode alike. Rules and
sources: docs/design/double.md.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from moto.cognitoidp.exceptions import InvalidParameterException, ResourceNotFoundError
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.responses import ActionResult, EmptyResult

from cognito_double.errors import (
    FeatureUnavailableInTierException,
    LimitExceededException,
    ManagedLoginBrandingExistsException,
)
from cognito_double.state import BrandingStyle, FaithfulCognito


def _exclusive_values(response: CognitoIdpResponse) -> tuple[bool, dict[str, Any] | None, list[dict[str, Any]] | None]:
    """``UseCognitoProvidedValues`` true, or ``Settings`` / ``Assets``: never both (B2, CreateManagedLoginBranding)."""
    use_provided = bool(response._get_param("UseCognitoProvidedValues"))
    settings = response._get_param("Settings")
    assets = response._get_param("Assets")
    if use_provided and (settings is not None or assets):
        raise InvalidParameterException("UseCognitoProvidedValues cannot be true when Settings or Assets are provided.")
    return use_provided, settings, None if assets is None else [_decoded(asset) for asset in assets]


def _decoded(asset: dict[str, Any]) -> dict[str, Any]:
    """An asset with its ``Bytes`` as bytes: the JSON protocol sends blobs base64-encoded, and moto passes them on."""
    if isinstance(asset.get("Bytes"), str):
        return {**asset, "Bytes": base64.b64decode(asset["Bytes"])}
    return dict(asset)


def _merge_assets(current: list[dict[str, Any]], given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    merged = {(asset.get("Category"), asset.get("ColorMode")): asset for asset in current}
    merged.update({(asset.get("Category"), asset.get("ColorMode")): asset for asset in given})
    return list(merged.values())


def make_branding_handlers(state: FaithfulCognito) -> dict[str, Callable[[CognitoIdpResponse], Any]]:
    """The five branding operations, on the double's state (``state.branding_styles``)."""

    def pool_of(response: CognitoIdpResponse) -> Any:
        # ResourceNotFoundException for a pool that does not exist, as moto answers it.
        return response.backend.describe_user_pool(response._get_param("UserPoolId"))

    def client_of(response: CognitoIdpResponse, pool: Any) -> str:
        client_id = str(response._get_param("ClientId"))
        if client_id not in pool.clients:
            raise ResourceNotFoundError(f"App client {client_id} does not exist in user pool {pool.id}.")
        return client_id

    def style_of_client(region: str, pool_id: str, client_id: str) -> BrandingStyle | None:
        for (style_region, _), style in state.branding_styles.items():
            if style_region == region and style.user_pool_id == pool_id and style.client_id == client_id:
                return style
        return None

    def style_by_id(response: CognitoIdpResponse) -> BrandingStyle:
        pool = pool_of(response)
        branding_id = str(response._get_param("ManagedLoginBrandingId"))
        style = state.branding_styles.get((response.region, branding_id))
        if style is None or style.user_pool_id != pool.id:
            raise ResourceNotFoundError(f"Managed login branding {branding_id} does not exist in user pool {pool.id}.")
        return style

    def create_managed_login_branding(response: CognitoIdpResponse) -> ActionResult:
        with state.lock:
            state.record("CreateManagedLoginBranding")
            state.admit(response.current_account, response._get_param("UserPoolId"), "CreateManagedLoginBranding")
            pool = pool_of(response)
            client_id = client_of(response, pool)
            if pool.extended_config.get("UserPoolTier") == "LITE":  # B7: unconfirmed
                raise FeatureUnavailableInTierException(
                    "Managed login branding is not available in the LITE feature plan."
                )
            use_provided, settings, assets = _exclusive_values(response)
            # B1: "Each style is linked to an app client until you delete it" (CreateManagedLoginBranding).
            if style_of_client(response.region, pool.id, client_id) is not None:
                raise ManagedLoginBrandingExistsException(
                    f"App client {client_id} already has a managed login branding style."
                )
            # Q6: "Managed login branding styles per user pool: 20", not adjustable (text unconfirmed).
            if (
                sum(1 for t in state.branding_styles.values() if t.user_pool_id == pool.id)
                >= state.branding_styles_per_pool
            ):
                raise LimitExceededException(
                    f"Managed login branding styles per user pool: {state.branding_styles_per_pool} already exist."
                )
            style = BrandingStyle(
                str(uuid.uuid4()),  # B4: the id pattern is a UUID v4
                pool.id,
                client_id,
                use_provided,
                settings,
                list(assets or []),
            )
            state.branding_styles[(response.region, style.branding_id)] = style
            return state.answered(
                "CreateManagedLoginBranding", ActionResult({"ManagedLoginBranding": style.describe()})
            )

    def describe_managed_login_branding_by_client(response: CognitoIdpResponse) -> ActionResult:
        with state.lock:
            state.record("DescribeManagedLoginBrandingByClient")
            state.admit(
                response.current_account, response._get_param("UserPoolId"), "DescribeManagedLoginBrandingByClient"
            )
            pool = pool_of(response)
            client_id = client_of(response, pool)
            style = style_of_client(response.region, pool.id, client_id)
            if style is None:  # B8: unconfirmed
                raise ResourceNotFoundError(f"App client {client_id} has no managed login branding style.")
            return ActionResult({"ManagedLoginBranding": style.describe()})

    def describe_managed_login_branding(response: CognitoIdpResponse) -> ActionResult:
        with state.lock:
            state.record("DescribeManagedLoginBranding")
            state.admit(response.current_account, response._get_param("UserPoolId"), "DescribeManagedLoginBranding")
            return ActionResult({"ManagedLoginBranding": style_by_id(response).describe()})

    def update_managed_login_branding(response: CognitoIdpResponse) -> ActionResult:
        with state.lock:
            state.record("UpdateManagedLoginBranding")
            state.admit(response.current_account, response._get_param("UserPoolId"), "UpdateManagedLoginBranding")
            style = style_by_id(response)
            use_provided, settings, assets = _exclusive_values(response)
            # B5: UpdateManagedLoginBranding "preserves existing style settings that you don't specify".
            if use_provided:
                style.use_cognito_provided_values, style.settings, style.assets = True, None, []
            elif settings is not None or assets:
                style.use_cognito_provided_values = False
                style.settings = settings if settings is not None else style.settings
                style.assets = _merge_assets(style.assets, list(assets or []))
            style.modified = datetime.now(UTC)
            return state.answered(
                "UpdateManagedLoginBranding", ActionResult({"ManagedLoginBranding": style.describe()})
            )

    def delete_managed_login_branding(response: CognitoIdpResponse) -> EmptyResult:
        with state.lock:
            state.record("DeleteManagedLoginBranding")
            state.admit(response.current_account, response._get_param("UserPoolId"), "DeleteManagedLoginBranding")
            style = style_by_id(response)
            del state.branding_styles[(response.region, style.branding_id)]
            return state.answered("DeleteManagedLoginBranding", EmptyResult())

    return {
        "create_managed_login_branding": create_managed_login_branding,
        "describe_managed_login_branding_by_client": describe_managed_login_branding_by_client,
        "describe_managed_login_branding": describe_managed_login_branding,
        "update_managed_login_branding": update_managed_login_branding,
        "delete_managed_login_branding": delete_managed_login_branding,
    }
