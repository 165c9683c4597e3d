"""The steps of a slow domain change, and the Cognito calls every domain decision shares.

A domain is not there or gone at once (CREATING, UPDATING, DELETING), so a change
is a ``DomainStep`` that ``advance`` moves on, one observation of Cognito at a
time: an invocation that ends mid-way is picked up by the next poll where it
stopped. docs/design/resources.md gives the rules and their sources.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Final, Literal

from aws.errors import CognitoError, DomainTaken, NameOrSlotStillHeld, NotThisPoolsDomain, PoolSlotTaken
from aws.operations import Operations
from aws.records import ResourceOwner
from cognito_ops import DomainDescription
from properties.domain import DomainProperties
from resources.hosted_ui import domain_base_url, endpoint_urls, federation_urls
from resources.lifecycle import Outcome, ResourceFailure
from resources.progress import Step

logger = logging.getLogger(__name__)

SETTLE: Final = "settle"
RELEASE: Final = "release"
GONE: Final = "gone"
NEW: Final = "new"
OLD: Final = "old"


@dataclass(frozen=True)
class DomainStep(Step):
    """Where a domain change stands.

    ``settle``: wait until the target is no longer CREATING or UPDATING, then answer;
    ``release``: wait until every domain in ``release`` is gone (no longer DELETING),
    then create the target; ``gone``: wait until the one domain in ``release`` is gone
    from ``pool`` (Delete, or a failed change that removed what it made).
    """

    step: Literal["settle", "release", "gone"] = SETTLE
    release: tuple[str, ...] = ()
    # The request's domain, or the previous one (putting it back after a replacement failed).
    target: Literal["new", "old"] = NEW
    # This change creates the target: if it ends FAILED, it is this change's to remove.
    created: bool = False
    # This change deleted the previous domain: if the new one cannot be made, it is put back.
    restore: bool = False
    # The change has failed, and still waits (a removal, a putting back) before saying so.
    failure: str = ""
    pool: str = ""

    def __post_init__(self) -> None:
        if self.step != SETTLE and not self.release:
            raise ValueError(f"a {self.step} step names no domain to wait for")
        if self.step == GONE and (len(self.release) != 1 or not self.pool):
            raise ValueError("a gone step names one domain and its user pool")


@dataclass(frozen=True)
class DomainChange:
    """A Create or Update in flight: who asks, the domain it wants, the one it had (if readable)."""

    ops: Operations
    owner: ResourceOwner
    wanted: DomainProperties
    previous: DomainProperties | None = None


def advance(change: DomainChange, step: DomainStep) -> Outcome:
    """One step of a change: what Cognito shows now decides whether to wait, act or answer."""
    if step.step == RELEASE:
        return _release_then_create(change, step)
    target = _target(change, step)
    current = change.ops.cognito.describe_domain(target.domain)
    if current is None or current.user_pool_id != target.user_pool_id or current.status == "DELETING":
        raise ResourceFailure(
            f"Domain '{target.domain}' disappeared from user pool {target.user_pool_id} while Cognito was setting it up"
        )
    if current.in_progress:
        return pending(change.wanted, step)
    if current.status == "FAILED":
        return _failed(change, step, target)
    if step.failure:
        raise ResourceFailure(
            f"{step.failure}. The previous domain '{target.domain}' was put back and is {current.status}"
        )
    return answer(change.ops, target, current)


def wait_until_gone(ops: Operations, step: DomainStep) -> Outcome:
    """Pending while Cognito is still deleting the step's domain; then the answer (or the failure it carries)."""
    (domain,) = step.release
    holder = ops.cognito.describe_domain(domain)
    if holder is not None and holder.user_pool_id == step.pool and holder.status == "DELETING":
        return Outcome(physical_id=domain, pending=True, progress=step.to_progress())
    if step.failure:
        raise ResourceFailure(step.failure)
    return Outcome(physical_id=domain)


def remove_made_here(change: DomainChange, step: DomainStep) -> bool:
    """Delete the domain this change made, because the change failed; whether it was deleted.

    A step may run in a later invocation, from a poll's state, so ownership is proved
    again right before the delete: DeleteUserPoolDomain names the request's pool (Cognito
    refuses another pool's domain), and the domain's owner record names this resource,
    or, where no record exists yet, the step says this very change created it.
    """
    wanted = change.wanted
    record = change.ops.records.domain_owner(wanted.user_pool_id, wanted.domain)
    if not (record.is_resource(change.owner) if record is not None else step.created):
        logger.warning("Leaving domain %r alone: nothing proves this change made it", wanted.domain)
        return False
    deleted = delete_if_owned(change.ops, wanted.user_pool_id, wanted.domain)
    if record is not None:
        change.ops.records.forget_domain_owner(wanted.user_pool_id, wanted.domain)
    return deleted


def _target(change: DomainChange, step: DomainStep) -> DomainProperties:
    return change.previous if step.target == OLD and change.previous is not None else change.wanted


def _release_then_create(change: DomainChange, step: DomainStep) -> Outcome:
    for name in step.release:
        holder = change.ops.cognito.describe_domain(name)
        if holder is not None and holder.status == "DELETING":
            return pending(change.wanted, step)
    try:
        create_free_name(change.ops, _target(change, step), change.owner)
    except (CognitoError, ResourceFailure) as error:
        return _restore_or_fail(change, step, str(error))
    return advance(change, replace(step, step=SETTLE, release=()))


def _failed(change: DomainChange, step: DomainStep, target: DomainProperties) -> Outcome:
    """The target ended FAILED: what this change made goes, then the old domain comes back, or the change fails."""
    reason = (
        f"Cognito reports domain '{target.domain}' as FAILED: check that the ACM certificate "
        "is issued, in us-east-1, and covers the domain"
    )
    # What this change created goes: left behind, it would hold the pool's slot for
    # its kind, and a failed Create's marker physical id means no Delete would ever
    # remove it. A domain changed in place stays; it is still the resource's.
    if target is not change.wanted or not step.created or not remove_made_here(change, step):
        raise ResourceFailure(reason)
    wanted = change.wanted
    if step.restore and change.previous is not None:
        return pending(wanted, DomainStep(RELEASE, release=(wanted.domain,), target=OLD, failure=reason))
    # Answer once it is gone: a rollback may delete the user pool next, or try the same name again.
    return pending(wanted, DomainStep(GONE, release=(wanted.domain,), pool=wanted.user_pool_id, failure=reason))


def _restore_or_fail(change: DomainChange, step: DomainStep, reason: str) -> Outcome:
    """The target could not be created: put the old domain back (a replacement), or fail."""
    previous = change.previous
    if step.target == OLD and previous is not None:
        raise _not_put_back(step.failure or "The replacement failed", previous, reason)
    if not step.restore or previous is None:
        raise ResourceFailure(reason)
    logger.warning("Creating %r failed (%s); putting %r back", change.wanted.domain, reason, previous.domain)
    try:
        create_free_name(change.ops, previous, change.owner)
    except (CognitoError, ResourceFailure) as restore_failure:
        raise _not_put_back(reason, previous, str(restore_failure)) from restore_failure
    return advance(change, DomainStep(SETTLE, target=OLD, failure=reason))


def _not_put_back(failure: str, previous: DomainProperties, reason: str) -> ResourceFailure:
    return ResourceFailure(
        f"{failure}. Putting the previous domain '{previous.domain}' back failed too ({reason}): "
        f"user pool {previous.user_pool_id} has no such domain now"
    )


def create_free_name(ops: Operations, wanted: DomainProperties, owner: ResourceOwner) -> None:
    """Create a domain whose name was free a moment ago, and record it as ``owner``'s at once.

    If the answer was lost (a retried call then meets "Domain already ...", or
    fails outright) the domain may exist all the same: when it is in this pool
    now, it is the one this call made, since the name was free just before.
    The record is written now, not when the domain is ACTIVE: a change that ends
    in a later poll (or fails) still proves what it made, and many domains turning
    ACTIVE at once do not queue for Parameter Store before their answers.
    """
    try:
        ops.cognito.create_domain(
            wanted.user_pool_id, wanted.domain, wanted.certificate_arn, wanted.managed_login_version
        )
    except Exception as error:
        current = ops.cognito.describe_domain(wanted.domain)
        if current is None or current.user_pool_id != wanted.user_pool_id or current.status == "DELETING":
            refusal = _refused(wanted, current, error)
            if refusal is error:
                raise
            raise refusal from error
        logger.info("Domain %r is in %s: the create worked, its answer was lost", wanted.domain, current.user_pool_id)
    record_owner(ops, wanted.user_pool_id, wanted.domain, owner)


def record_owner(ops: Operations, user_pool_id: str, domain: str, owner: ResourceOwner) -> None:
    """Record ``domain`` as ``owner``'s (a read, and a write only when the record says otherwise)."""
    current = ops.records.domain_owner(user_pool_id, domain)
    if current is None or not current.is_resource(owner):
        ops.records.record_domain_owner(user_pool_id, domain, owner)


def _refused(wanted: DomainProperties, current: DomainDescription | None, error: Exception) -> Exception:
    """Why Cognito refused to create ``wanted``, as the user needs to read it; other errors as they are."""
    if isinstance(error, NameOrSlotStillHeld) and current is None:
        # The name is free, so what is held is this pool's slot for the kind:
        # a domain of the pool that Cognito is still deleting.
        return ResourceFailure(
            f"User pool {wanted.user_pool_id} still holds a {wanted.domain_type} domain that is being deleted, "
            f"and a pool has one {wanted.domain_type} domain at most; try again in a few minutes ({error})"
        )
    if isinstance(error, DomainTaken):
        if current is not None and current.status == "DELETING":
            return ResourceFailure(
                f"Domain '{wanted.domain}' is still being deleted by Cognito; try again in a few minutes ({error})"
            )
        return already_exists(wanted, current, error)
    if isinstance(error, PoolSlotTaken):
        return ResourceFailure(
            f"User pool {wanted.user_pool_id} already has a {wanted.domain_type} domain that this "
            f"resource does not manage; a pool holds one prefix and one custom domain, so delete "
            f"that domain or manage it here instead ({error})"
        )
    return error


def delete_if_owned(ops: Operations, user_pool_id: str, domain: str) -> bool:
    """Whether a domain of this pool was deleted (or was already DELETING)."""
    # DeleteUserPoolDomain names the pool, and Cognito refuses to delete a domain
    # of another pool: ownership is checked by the service itself, in one call.
    try:
        ops.cognito.delete_domain(user_pool_id, domain)
    except NotThisPoolsDomain:
        logger.info("Domain %r is not in user pool %s (gone or not ours); nothing deleted", domain, user_pool_id)
        return False
    return True


def already_exists(
    wanted: DomainProperties, holder: DomainDescription | None, error: CognitoError | None = None
) -> ResourceFailure:
    suffix = f" ({error})" if error is not None else ""
    if holder is not None and holder.user_pool_id == wanted.user_pool_id:
        return ResourceFailure(
            f"Domain '{wanted.domain}' already exists in user pool {wanted.user_pool_id}, and this resource "
            "did not create it: delete it, or import it instead of creating it"
        )
    return ResourceFailure(
        f"Domain '{wanted.domain}' is already used by another user pool; domains are unique per "
        f"region across all AWS accounts, so choose another Domain{suffix}"
    )


def answer(ops: Operations, wanted: DomainProperties, current: DomainDescription) -> Outcome:
    base_url = domain_base_url(wanted.domain, ops.cognito.region)
    data = {
        "Domain": wanted.domain,
        "UserPoolId": wanted.user_pool_id,
        "DomainType": wanted.domain_type,
        "CloudFrontDistribution": current.cloudfront_distribution,
        "ManagedLoginVersion": str(current.managed_login_version),
        **endpoint_urls(base_url),
        **federation_urls(wanted.domain, wanted.user_pool_id, ops.cognito.region),
    }
    return Outcome(physical_id=wanted.domain, data=data)


def pending(wanted: DomainProperties, step: DomainStep) -> Outcome:
    return Outcome(physical_id=wanted.domain, pending=True, progress=step.to_progress())
