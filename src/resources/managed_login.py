"""Managed login pages that work with no console step: a branding style for each app client.

Clients configured through the API get no branding style, and managed login
(ManagedLoginVersion 2) serves no page for a client without one. With
``ManagedLoginBranding: auto`` such a client gets Cognito's default style, which
Delete removes only if this resource created it; ``none`` never touches branding.
The rules and their sources: docs/design/resources.md, "Managed login branding".
"""

from __future__ import annotations

import logging

from aws.errors import BrandingExists, BrandingGone
from aws.operations import Operations
from aws.records import ResourceOwner
from properties.client_settings import ClientSettings
from resources import client_ownership

logger = logging.getLogger(__name__)


def domain_version(ops: Operations, wanted: ClientSettings) -> int | None:
    """The ManagedLoginVersion of the client's domain: as the template passes it, or as Cognito describes it."""
    if wanted.managed_login_version is not None:
        return wanted.managed_login_version
    if wanted.domain is None:
        return None
    description = ops.cognito.describe_domain(wanted.domain)
    return description.managed_login_version if description is not None else None


def plan_problems(ops: Operations, wanted: ClientSettings, version: int | None) -> list[str]:
    """Managed login "requires that your user pool be configured for any feature plan other than Lite"."""
    if wanted.managed_login_branding != "auto" or version != 2:
        return []
    if ops.cognito.pool_feature_plan(wanted.user_pool_id) != "LITE":
        return []
    return [
        f"Managed login (ManagedLoginVersion 2) needs the Essentials or Plus feature plan, and user pool "
        f"{wanted.user_pool_id} is on Lite, so app client {wanted.client_id} cannot get a branding style: set "
        "UserPoolTier: ESSENTIALS on the pool, use ManagedLoginVersion 1, or set ManagedLoginBranding: none"
    ]


def ensure_style(ops: Operations, wanted: ClientSettings, owner: ResourceOwner, version: int | None) -> str:
    """The id of the client's branding style, created when managed login needs one; "" when none applies."""
    if wanted.managed_login_branding != "auto" or version != 2:
        return ""
    existing = ops.cognito.client_branding_id(wanted.user_pool_id, wanted.client_id)
    if existing is not None:
        return existing
    try:
        created = ops.cognito.create_default_branding(wanted.user_pool_id, wanted.client_id)
    except BrandingExists:
        # There was none a moment ago: a lost answer of our own create, whose style this is.
        found = ops.cognito.client_branding_id(wanted.user_pool_id, wanted.client_id)
        if found is None:
            raise
        created = found
    logger.info("Created managed login branding style %s for app client %s", created, wanted.client_id)
    client_ownership.remember_created_branding(ops, wanted.user_pool_id, wanted.client_id, owner, created)
    return created


def remove_created_style(ops: Operations, user_pool_id: str, record: ResourceOwner | None) -> None:
    """Delete the branding style this resource created (as its owner record says); nothing else."""
    if record is None or not record.created_branding_id:
        return
    try:
        ops.cognito.delete_branding(user_pool_id, record.created_branding_id)
    except BrandingGone:
        logger.info("Branding style %s is already gone", record.created_branding_id)
