"""Managed login pages that work with no console step: a branding style for each app client.

Clients configured through the API get no branding style, and managed login
(ManagedLoginVersion 2) serves no page for a client without one. ``ManagedLoginBranding``:
``auto`` gives such a client Cognito's default style; ``custom`` applies the template's
style (created, or changed in place; resources/branding_style.py); ``none`` never touches
branding. Delete removes only a style this resource created (or adopted and then changed).
The rules and their sources: docs/design/resources.md and docs/design/branding.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from aws.errors import BrandingExists, BrandingGone, BrandingLimitReached
from aws.operations import Operations
from aws.records import ResourceOwner
from cognito_ops import BrandingStyle
from properties.client_settings import ClientSettings
from resources import branding_style, client_ownership
from resources.branding_style import NOTHING, RESET_AND_UPDATE, WantedStyle
from resources.lifecycle import ResourceFailure

logger = logging.getLogger(__name__)


def domain_version(ops: Operations, wanted: ClientSettings) -> int | None:
    """The ManagedLoginVersion of the client's domain: as the template passes it, or as Cognito describes it."""
    if wanted.managed_login_version is not None:
        return wanted.managed_login_version
    if wanted.domain is None:
        return None
    description = ops.cognito.describe_domain(wanted.domain)
    return description.managed_login_version if description is not None else None


@dataclass(frozen=True)
class StylePlan:
    """What was checked before any write: the problems, and the custom style ready to send."""

    problems: tuple[str, ...] = ()
    wanted: WantedStyle | None = None


def prepare(ops: Operations, wanted: ClientSettings, owner: ResourceOwner, version: int | None) -> StylePlan:
    """Every branding check that can refuse the request, before any write (images are read here)."""
    problems = plan_problems(ops, wanted, version)
    if wanted.managed_login_branding != "custom":
        return StylePlan(tuple(problems))
    wanted_style = branding_style.read_assets(ops, wanted.branding, problems)
    current = ops.cognito.describe_client_branding(wanted.user_pool_id, wanted.client_id)
    if current is not None and not wanted.flags.adopt_existing:
        record = ops.records.client_owner(wanted.user_pool_id, wanted.client_id)
        if not _knows(record, owner, current.branding_id):
            problems.append(_not_ours(wanted, current.branding_id))
    return StylePlan(tuple(problems), wanted_style)


def plan_problems(ops: Operations, wanted: ClientSettings, version: int | None) -> list[str]:
    """Managed login "requires that your user pool be configured for any feature plan other than Lite"."""
    custom = wanted.managed_login_branding == "custom"
    if not custom and (wanted.managed_login_branding != "auto" or version != 2):
        return []
    if ops.cognito.pool_feature_plan(wanted.user_pool_id) != "LITE":
        return []
    if custom:
        return [
            f"Managed login branding needs the Essentials or Plus feature plan, and user pool "
            f"{wanted.user_pool_id} is on Lite, so app client {wanted.client_id} cannot have a custom style: set "
            "UserPoolTier: ESSENTIALS on the pool, or ManagedLoginBranding: none"
        ]
    return [
        f"Managed login (ManagedLoginVersion 2) needs the Essentials or Plus feature plan, and user pool "
        f"{wanted.user_pool_id} is on Lite, so app client {wanted.client_id} cannot get a branding style: set "
        "UserPoolTier: ESSENTIALS on the pool, use ManagedLoginVersion 1, or set ManagedLoginBranding: none"
    ]


def ensure_style(
    ops: Operations, wanted: ClientSettings, owner: ResourceOwner, version: int | None, plan: StylePlan
) -> str:
    """The id of the client's branding style, as the template wants it; "" when none applies."""
    if wanted.managed_login_branding == "custom" and plan.wanted is not None:
        return _ensure_custom(ops, wanted, owner, plan.wanted)
    if wanted.managed_login_branding != "auto" or version != 2:
        return ""
    existing = ops.cognito.describe_client_branding(wanted.user_pool_id, wanted.client_id)
    if existing is not None:
        _reset_if_made_custom_here(ops, wanted, owner, existing)
        return existing.branding_id
    try:
        created = ops.cognito.create_default_branding(wanted.user_pool_id, wanted.client_id)
    except BrandingExists as error:
        created = _found_after_lost_answer(ops, wanted, error)
    except BrandingLimitReached as error:
        raise ResourceFailure(_limit_reached(wanted, error)) from error
    logger.info("Created managed login branding style %s for app client %s", created, wanted.client_id)
    client_ownership.remember_created_branding(ops, wanted.user_pool_id, wanted.client_id, owner, created)
    return created


def _ensure_custom(ops: Operations, wanted: ClientSettings, owner: ResourceOwner, style: WantedStyle) -> str:
    """Create the template's style, or change the client's style in place (the same id)."""
    pool, client = wanted.user_pool_id, wanted.client_id
    current = ops.cognito.describe_client_branding(pool, client)
    if current is None:
        try:
            created = ops.cognito.create_branding(pool, client, style.settings, style.assets)
        except BrandingExists as error:
            created = _found_after_lost_answer(ops, wanted, error)
        except BrandingLimitReached as error:
            raise ResourceFailure(_limit_reached(wanted, error)) from error
        logger.info("Created custom managed login branding style %s for app client %s", created, client)
        client_ownership.remember_created_branding(ops, pool, client, owner, created)
        return created
    record = ops.records.client_owner(pool, client)
    adopted_now = not _knows(record, owner, current.branding_id)
    if adopted_now:
        if not wanted.flags.adopt_existing:
            raise ResourceFailure(_not_ours(wanted, current.branding_id))
        logger.info(
            "Adopting managed login branding style %s of app client %s (AdoptExisting)", current.branding_id, client
        )
        _update_record(ops, wanted, owner, adopted_branding_id=current.branding_id)
    action = branding_style.writes_needed(current, style)
    if action == NOTHING:
        return current.branding_id
    if action == RESET_AND_UPDATE:
        # Update keeps what it is not sent: an image or a setting removed from the template would stay.
        ops.cognito.reset_branding(pool, current.branding_id)
    ops.cognito.update_branding(pool, current.branding_id, style.settings, style.assets)
    logger.info("Changed managed login branding style %s of app client %s in place", current.branding_id, client)
    if not adopted_now and record is not None and record.adopted_branding_id == current.branding_id:
        # Changed after it was adopted: its content is the stack's now, and Delete removes it.
        _update_record(ops, wanted, owner, adopted_branding_id="", created_branding_id=current.branding_id)
    return current.branding_id


def _reset_if_made_custom_here(
    ops: Operations, wanted: ClientSettings, owner: ResourceOwner, existing: BrandingStyle
) -> None:
    """Switching custom to auto: a style this resource holds goes back to Cognito's provided values."""
    if existing.use_cognito_provided_values:
        return
    record = ops.records.client_owner(wanted.user_pool_id, wanted.client_id)
    if (
        record is not None
        and record.created_branding_id == existing.branding_id
        and _knows(record, owner, existing.branding_id)
    ):
        ops.cognito.reset_branding(wanted.user_pool_id, existing.branding_id)
        logger.info("Reset managed login branding style %s to Cognito's provided values", existing.branding_id)


def _found_after_lost_answer(ops: Operations, wanted: ClientSettings, error: BrandingExists) -> str:
    """There was no style a moment ago: a lost answer of our own create, whose style this is."""
    found = ops.cognito.client_branding_id(wanted.user_pool_id, wanted.client_id)
    if found is None:
        raise error
    return found


def _knows(record: ResourceOwner | None, owner: ResourceOwner, branding_id: str) -> bool:
    """Whether the client's owner record, of this stack, names the style as created or adopted."""
    if record is None or record.retained or record.stack_id != owner.stack_id:
        return False
    return branding_id in {record.created_branding_id, record.adopted_branding_id} - {""}


def _update_record(ops: Operations, wanted: ClientSettings, owner: ResourceOwner, **changes: Any) -> None:
    current = ops.records.client_owner(wanted.user_pool_id, wanted.client_id)
    base = current if current is not None and current.is_resource(owner) else owner
    ops.records.record_client_owner(wanted.user_pool_id, wanted.client_id, replace(base, **changes), replacing=True)


def _not_ours(wanted: ClientSettings, branding_id: str) -> str:
    return (
        f"App client {wanted.client_id} already has managed login branding style {branding_id}, which this "
        "resource did not create: set AdoptExisting: true to take it over (BrandingSettings then replace its "
        "look; Delete keeps the style), or delete that style first"
    )


def _limit_reached(wanted: ClientSettings, error: BrandingLimitReached) -> str:
    """Cognito's "Managed login branding styles per user pool: 20", not adjustable (docs/design/branding.md §5)."""
    return (
        f"User pool {wanted.user_pool_id} already has 20 managed login branding styles, Cognito's limit "
        f"(not adjustable), so app client {wanted.client_id} cannot get one; nothing was written: set "
        "ManagedLoginBranding: none on this client, or delete styles no longer needed (a domain switched back to "
        "ManagedLoginVersion 1 keeps its clients' styles). Find them with aws cognito-idp list-user-pool-clients "
        "and describe-managed-login-branding-by-client for each client; delete with aws cognito-idp "
        f"delete-managed-login-branding ({error.code})"
    )


def remove_created_style(ops: Operations, user_pool_id: str, client_id: str, record: ResourceOwner | None) -> None:
    """Delete the branding style this resource created (as its owner record says); nothing else.

    The record is an SSM parameter, which anyone with access may edit: its id is trusted only
    while it is the client's own style (DescribeManagedLoginBranding names no client, so the
    client's style is read by client), else a style of another client would be deleted.
    """
    if record is None or not record.created_branding_id:
        return
    clients_style = ops.cognito.client_branding_id(user_pool_id, client_id)
    if clients_style != record.created_branding_id:
        logger.warning(
            "Branding style %s of the owner record is not app client %s's style (%s); nothing deleted",
            record.created_branding_id[:100],
            client_id,
            clients_style or "none",
        )
        return
    try:
        ops.cognito.delete_branding(user_pool_id, record.created_branding_id)
    except BrandingGone:
        logger.info("Branding style %s is already gone", record.created_branding_id)
