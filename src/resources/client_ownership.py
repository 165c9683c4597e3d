"""One owner per app client's OAuth settings: who may write them, and who may reset them.

- A resource in the same stack takes ownership over: a renamed logical id, or a
  replacement, keeps the settings (its cleanup Delete then finds it no longer owns them).
- A resource in another stack is refused before any write, naming the owner.
- Delete resets the settings only while the deleting resource is still the owner.
- A client with no record (settings applied before ownership was recorded) is free:
  the first resource to apply settings records itself.
"""

from __future__ import annotations

import logging

from client_owners import ClaimConflict, ClientOwner, parameter_name
from cognito_ops import CognitoOperations
from resources.lifecycle import ResourceFailure

logger = logging.getLogger(__name__)

_CLAIM_ATTEMPTS = 3


def claim(ops: CognitoOperations, user_pool_id: str, client_id: str, owner: ClientOwner) -> bool:
    """Make ``owner`` the client's owner, or refuse; whether a record was made where none existed."""
    for _ in range(_CLAIM_ATTEMPTS):
        current = ops.client_owner(user_pool_id, client_id)
        if current is not None and current.is_resource(owner):
            return False
        if current is not None and current.stack_id != owner.stack_id:
            raise ResourceFailure(
                f"App client {client_id} already has its OAuth settings managed by stack "
                f"'{current.stack_name}' (resource {current.logical_id}); a client has one owner, so remove "
                f"that resource first, or, if that stack no longer exists, delete the SSM parameter "
                f"{parameter_name(user_pool_id, client_id)}"
            )
        if current is not None:
            logger.info("Taking app client %s over from %s in the same stack", client_id, current.logical_id)
        try:
            ops.record_client_owner(user_pool_id, client_id, owner, replacing=current is not None)
        except ClaimConflict:
            continue  # another resource recorded itself meanwhile: decide again from what it wrote
        return current is None
    raise ResourceFailure(
        f"The owner of app client {client_id}'s settings kept changing while this resource tried to record "
        "itself; another stack is managing the same client at the same time"
    )


def remember_created_branding(
    ops: CognitoOperations, user_pool_id: str, client_id: str, owner: ClientOwner, branding_id: str
) -> None:
    """Record on the owner record that this resource created the client's branding style."""
    remembered = ClientOwner(owner.stack_id, owner.logical_id, branding_id)
    ops.record_client_owner(user_pool_id, client_id, remembered, replacing=True)


def may_reset(record: ClientOwner | None, client_id: str, owner: ClientOwner) -> bool:
    """Whether ``owner`` may reset the client's settings: it is the recorded owner, or nobody is."""
    if record is None or record.is_resource(owner):
        return True
    logger.info(
        "App client %s's settings now belong to %s in stack %s; left as they are",
        client_id,
        record.logical_id,
        record.stack_name,
    )
    return False
