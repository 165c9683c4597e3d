"""One owner per app client's OAuth settings: who may write them, and who may reset them.

Two resources that manage one client as if alone undo each other. A resource of the
same stack takes a client over (a renamed logical id), one of another stack is
refused before any write, and Delete resets only while owner. The rules in full:
docs/design/resources.md, "One owner per app client".
"""

from __future__ import annotations

import logging
from dataclasses import replace

from aws.operations import Operations
from aws.records import ClaimConflict, ResourceOwner, parameter_name
from resources.lifecycle import ResourceFailure

logger = logging.getLogger(__name__)

_CLAIM_ATTEMPTS = 3


def claim(ops: Operations, user_pool_id: str, client_id: str, owner: ResourceOwner) -> bool:
    """Make ``owner`` the client's owner, or refuse; whether a record was made where none existed."""
    for _ in range(_CLAIM_ATTEMPTS):
        current = ops.records.client_owner(user_pool_id, client_id)
        if current is not None and current.is_resource(owner):
            _record_new_settings(ops, user_pool_id, client_id, current, owner)
            return False
        if current is not None and current.stack_id != owner.stack_id:
            raise ResourceFailure(
                f"App client {client_id} already has its OAuth settings managed by stack "
                f"'{current.stack_name}' (resource {current.logical_id}); a client has one owner, so remove "
                f"that resource first, or, if that stack no longer exists, delete the SSM parameter "
                f"{parameter_name(user_pool_id, client_id)}"
            )
        recorded = owner
        if current is not None:
            logger.info("Taking app client %s over from %s in the same stack", client_id, current.logical_id)
            recorded = replace(
                owner, created_branding_id=current.created_branding_id, previous_logical_id=current.logical_id
            )
        try:
            ops.records.record_client_owner(user_pool_id, client_id, recorded, replacing=current is not None)
        except ClaimConflict:
            continue  # another resource recorded itself meanwhile: decide again from what it wrote
        return current is None
    raise ResourceFailure(
        f"The owner of app client {client_id}'s settings kept changing while this resource tried to record "
        "itself; another stack is managing the same client at the same time"
    )


def _record_new_settings(
    ops: Operations, user_pool_id: str, client_id: str, current: ResourceOwner, owner: ResourceOwner
) -> None:
    """The owner record keeps the settings the owner applies: contributions compute the client from it."""
    if owner.settings is not None and (current.settings, current.settings_omitted) != (owner.settings, False):
        recorded = replace(current, settings=owner.settings)
        ops.records.record_client_owner(user_pool_id, client_id, recorded, replacing=True)


def remember_created_branding(
    ops: Operations, user_pool_id: str, client_id: str, owner: ResourceOwner, branding_id: str
) -> None:
    """Record on the owner record that this resource created the client's branding style."""
    current = ops.records.client_owner(user_pool_id, client_id)
    base = current if current is not None and current.is_resource(owner) else owner
    ops.records.record_client_owner(
        user_pool_id, client_id, replace(base, created_branding_id=branding_id), replacing=True
    )


def settle_on_delete(
    ops: Operations, user_pool_id: str, client_id: str, deleting: ResourceOwner, record: ResourceOwner | None
) -> bool:
    """Whether the deleting resource must reset the client's settings; hands the client back or lets go otherwise.

    - No record (settings applied before ownership was recorded): reset.
    - The deleting resource owns the client and took it over from another resource of
      its stack (a rename being rolled back): the client is handed back, not reset.
    - It owns the client outright: reset.
    - Another resource owns it: left alone; if that owner took it over from the
      deleting one (the cleanup after a rename), it no longer needs to remember that.

    ``record`` is the client's owner record as the caller read it.
    """
    if record is None:
        return True
    if record.is_resource(deleting):
        if not record.previous_logical_id:
            return True
        handed_back = ResourceOwner(
            record.stack_id, record.previous_logical_id, record.created_branding_id, settings=record.settings
        )
        ops.records.record_client_owner(user_pool_id, client_id, handed_back, replacing=True)
        logger.info("App client %s handed back to %s; its settings are kept", client_id, record.previous_logical_id)
        return False
    if record.stack_id == deleting.stack_id and record.previous_logical_id == deleting.logical_id:
        ops.records.record_client_owner(
            user_pool_id, client_id, replace(record, previous_logical_id=""), replacing=True
        )
    logger.info(
        "App client %s's settings now belong to %s in stack %s; left as they are",
        client_id,
        record.logical_id,
        record.stack_name,
    )
    return False
