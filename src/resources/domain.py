"""Lifecycle of ``Custom::CognitoUserPoolDomain``: a prefix or custom hosted UI domain.

The physical id is the domain itself, so Delete needs no state. Three rules of
real Cognito shape every decision below:

- a domain name belongs to one pool at most (prefixes are unique per region across
  all accounts), and a pool holds at most one prefix and one custom domain;
- a domain is not there or gone at once: it is ``CREATING`` (custom domains for
  minutes), ``UPDATING`` after a change, and after DeleteUserPoolDomain it is
  ``DELETING`` while its CloudFront distribution is torn down, holding its name and
  its pool's slot meanwhile; a create in that time fails with "Domain already
  exists." (pulumi/pulumi-aws#998, hashicorp/terraform-provider-aws#28124; the
  Terraform provider waits for it in ``waitUserPoolDomainDeleted``);
- a lost answer can hide a create that worked.

Slow changes are steps (``progress``) that ``is_complete`` moves through, one
observation of Cognito at a time, so an invocation that ends mid-way is picked up
by the next poll exactly where it stopped:

- ``settle``: wait until the target domain is no longer CREATING/UPDATING;
- ``release``: wait until a deleted domain is really gone, then create the target;
- ``gone``: wait until a deleted domain is really gone (Delete).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from typing import Any

from aws.errors import CognitoError, DomainTaken, NameOrSlotStillHeld, NotThisPoolsDomain, PoolSlotTaken
from aws.operations import Operations
from aws.records import ResourceOwner, UnreadableOwnerRecord
from cognito_ops import DomainDescription
from properties.domain import DOMAIN_LABEL_PATTERN, DomainProperties, parse_domain_properties
from properties.parsing import InvalidPropertiesError
from resources.domain_preflight import check_before_writing
from resources.hosted_ui import (
    ENDPOINT_URL_NAMES,
    FEDERATION_URL_NAMES,
    domain_base_url,
    endpoint_urls,
    federation_urls,
)
from resources.lifecycle import LifecycleRequest, Outcome, ResourceFailure, is_failed_create

logger = logging.getLogger(__name__)

ATTRIBUTES = (
    frozenset({"Domain", "UserPoolId", "DomainType", "CloudFrontDistribution", "ManagedLoginVersion"})
    | ENDPOINT_URL_NAMES
    | FEDERATION_URL_NAMES
)

SETTLE, RELEASE, GONE = "settle", "release", "gone"
# Which properties a step works towards: the request's new ones, or the previous
# ones (putting the old domain back after a replacement failed).
NEW, OLD = "new", "old"


def create(request: LifecycleRequest, ops: Operations) -> Outcome:
    """Create never adopts a domain that already exists: it could be someone else's.

    A name that is only still DELETING (a stack deleted a moment ago) is waited
    for, then created. The domain this resource ends up holding is recorded as its
    own (aws/records.py), which is how a later Update proves what it made.
    """
    return _recorded(ops, request, _create(request, ops))


def _create(request: LifecycleRequest, ops: Operations) -> Outcome:
    wanted = parse_domain_properties(request.properties)
    holder = ops.cognito.describe_domain(wanted.domain)
    if holder is not None and holder.status != "DELETING":
        raise _already_exists(wanted, holder)
    check_before_writing(ops, wanted)
    if holder is not None:
        return _advance(ops, wanted, None, {"step": RELEASE, "release": wanted.domain, "target": NEW, "created": "yes"})
    _create_free_name(ops, wanted)
    try:
        return _advance(ops, wanted, None, {"step": SETTLE, "target": NEW, "created": "yes"})
    except Exception:
        # The failed Create's marker Delete touches nothing: remove what it made now
        # (best effort: the failure being answered is the one that matters).
        with contextlib.suppress(Exception):
            _delete_if_owned(ops, wanted.user_pool_id, wanted.domain)
        raise


def update(request: LifecycleRequest, ops: Operations) -> Outcome:
    """What happens on Update: ``_update``, then the domain held is recorded as this resource's."""
    return _recorded(ops, request, _update(request, ops))


def _update(request: LifecycleRequest, ops: Operations) -> Outcome:
    """What happens on Update, top to bottom.

    1. Same domain, same pool: make it match. Nothing is written when it does;
       UpdateUserPoolDomain when the certificate or version changed; created
       again when it was deleted outside CloudFormation.
    2. Same domain as the physical id, but another one in the old properties: the
       rollback of a replacement that failed (a failed Update keeps the old
       physical id). What that attempt left is removed when its record proves this
       resource made it (a failed replacement removes what it made itself), then as 1.
    3. New domain or new pool: replacement. The new physical id makes
       CloudFormation delete the old domain in its cleanup, or, on rollback, send
       an Update back to the old properties (then a Delete of the new one).
       a. The wanted domain is already this pool's: the rollback after a
          replacement that worked, when the domain's record says this resource made
          it; then as 1. Otherwise it is someone else's, and refused like a Create.
       b. Another pool holds the name: refused, before any write.
       c. The old domain does not block the new one: the new one is created
          beside it and waited for; the old one stays until the cleanup Delete.
       d. It does (the same name moving pools, or the pool's one slot for this
          kind of domain): the old one is deleted, waited for until Cognito has
          released it, then the new one is created and waited for. If the new one
          cannot be created, or ends FAILED, the old one is put back, and waited
          for, before the Update fails.
    Every rule that Cognito would refuse the new domain for is checked (preflight)
    before the first write of any case.
    """
    wanted = parse_domain_properties(request.properties)
    previous = _previous_properties(request.old_properties)
    pool_changed = previous is not None and previous.user_pool_id != wanted.user_pool_id
    if wanted.domain == request.physical_id and not pool_changed:
        if previous is not None and previous.domain != wanted.domain:
            # What the failed attempt left is removed only when its record proves this
            # resource made it: the attempt may have been refused for a domain that was
            # someone else's all along.
            left = ops.records.domain_owner(previous.user_pool_id, previous.domain)
            if left is not None and left.is_resource(_owner(request)):
                _delete_if_owned(ops, previous.user_pool_id, previous.domain)
                ops.records.forget_domain_owner(previous.user_pool_id, previous.domain)
            return _make_match(ops, wanted, blocked_by=previous)
        if previous is not None and _settings_differ(previous, wanted):
            return _change_in_place(ops, wanted)
        return _make_match(ops, wanted, blocked_by=None)
    if previous is None:
        raise ResourceFailure(
            f"Cannot move domain '{request.physical_id}' to '{wanted.domain}': the previous "
            "properties cannot be read, so it is unknown which domain this stack owns"
        )
    owner = _owner(request)
    if request.physical_id == previous.domain:
        # The domain being replaced is this resource's (its physical id): recorded
        # before anything changes, so that a rollback can prove it made it.
        _record(ops, previous.user_pool_id, previous.domain, owner)
    holder = ops.cognito.describe_domain(wanted.domain)
    if holder is not None and holder.user_pool_id == wanted.user_pool_id and holder.status != "DELETING":
        made_here = ops.records.domain_owner(wanted.user_pool_id, wanted.domain)
        if made_here is None or not made_here.is_resource(owner):
            raise _already_exists(wanted, holder)
        return _make_match(ops, wanted, blocked_by=None)
    moving_pool = (
        holder is not None and previous.domain == wanted.domain and holder.user_pool_id == previous.user_pool_id
    )
    if holder is not None and holder.status != "DELETING" and not moving_pool:
        raise _already_exists(wanted, holder)
    check_before_writing(ops, wanted)
    if not _blocks(previous, wanted):
        if holder is None:
            _create_free_name(ops, wanted)
            return _advance(ops, wanted, previous, {"step": SETTLE, "target": NEW, "created": "yes"})
        return _advance(
            ops, wanted, previous, {"step": RELEASE, "release": wanted.domain, "target": NEW, "created": "yes"}
        )
    _delete_if_owned(ops, previous.user_pool_id, previous.domain)
    # Both the old domain (the slot) and a name still DELETING must be gone first.
    released = ",".join(dict.fromkeys([previous.domain, *([wanted.domain] if holder is not None else [])]))
    return _advance(ops, wanted, previous, {"step": RELEASE, "release": released, "target": NEW, "restore": "yes"})


def delete(request: LifecycleRequest, ops: Operations) -> Outcome:
    """Idempotent and conservative: gone is success, another pool's domain is left alone.

    The answer waits until Cognito has really released the domain, so that the
    user pool can be deleted next and the name can be used again.
    """
    domain = request.physical_id
    if is_failed_create(domain) or not _could_be_domain(domain):
        logger.info("Nothing to delete: physical id %r names no domain this resource created", domain[:100])
        return Outcome(physical_id=domain)
    raw = request.properties if isinstance(request.properties, dict) else {}
    user_pool_id = raw.get("UserPoolId")
    if not isinstance(user_pool_id, str) or not user_pool_id:
        logger.warning("Leaving domain %r alone: no UserPoolId to prove it is ours", domain)
        return Outcome(physical_id=domain)
    deleted = _delete_if_owned(ops, user_pool_id, domain)
    try:
        record = ops.records.domain_owner(user_pool_id, domain)
    except UnreadableOwnerRecord as error:
        # Whether the domain goes was Cognito's answer; a record nobody can read is left for a person.
        logger.warning("%s", error)
        record = None
    if record is not None and record.is_resource(_owner(request)):
        ops.records.forget_domain_owner(user_pool_id, domain)
    if not deleted:
        return Outcome(physical_id=domain)
    return _wait_until_gone(ops, domain, user_pool_id, {"step": GONE, "release": domain, "pool": user_pool_id})


def is_complete(request: LifecycleRequest, ops: Operations) -> Outcome:
    """The next observation of a change in progress; a pending outcome while Cognito is still at it."""
    progress = request.progress
    if progress.get("step") == GONE:
        return _wait_until_gone(ops, progress.get("release", request.physical_id), progress.get("pool", ""), progress)
    wanted = parse_domain_properties(request.properties)
    return _recorded(ops, request, _advance(ops, wanted, _previous_properties(request.old_properties), progress))


def _recorded(ops: Operations, request: LifecycleRequest, outcome: Outcome) -> Outcome:
    """Record the domain a finished Create or Update holds as this resource's own."""
    if not outcome.pending and "Domain" in outcome.data:
        _record(ops, outcome.data["UserPoolId"], outcome.data["Domain"], _owner(request))
    return outcome


def _record(ops: Operations, user_pool_id: str, domain: str, owner: ResourceOwner) -> None:
    current = ops.records.domain_owner(user_pool_id, domain)
    if current is None or not current.is_resource(owner):
        ops.records.record_domain_owner(user_pool_id, domain, owner)


def _owner(request: LifecycleRequest) -> ResourceOwner:
    return ResourceOwner(stack_id=request.stack_id, logical_id=request.logical_id)


def _advance(
    ops: Operations, wanted: DomainProperties, previous: DomainProperties | None, progress: Mapping[str, str]
) -> Outcome:
    """One step of a change: what Cognito shows now decides whether to wait, act or answer."""
    target = previous if progress.get("target") == OLD and previous is not None else wanted
    failure = progress.get("failure")
    if progress.get("step") == RELEASE:
        # Names are separated by ',', which no domain name contains.
        for name in progress["release"].split(","):
            holder = ops.cognito.describe_domain(name)
            if holder is not None and holder.status == "DELETING":
                return _pending(wanted, progress)
        try:
            _create_free_name(ops, target)
        except (CognitoError, ResourceFailure) as error:
            return _restore_or_fail(ops, wanted, previous, progress, _reason(error))
        return _advance(ops, wanted, previous, {**progress, "step": SETTLE})
    current = ops.cognito.describe_domain(target.domain)
    if current is None or current.user_pool_id != target.user_pool_id or current.status == "DELETING":
        raise ResourceFailure(
            f"Domain '{target.domain}' disappeared from user pool {target.user_pool_id} while Cognito was setting it up"
        )
    if current.in_progress:
        return _pending(wanted, progress)
    if current.status == "FAILED":
        reason = (
            f"Cognito reports domain '{target.domain}' as FAILED: check that the ACM certificate "
            "is issued, in us-east-1, and covers the domain"
        )
        made_here = target is wanted and (progress.get("created") == "yes" or progress.get("restore") == "yes")
        if made_here:
            # Left behind, it would hold the pool's slot for its kind; a failed
            # Create's marker physical id means no Delete would ever remove it.
            _delete_if_owned(ops, target.user_pool_id, target.domain)
        if made_here and progress.get("restore") == "yes" and previous is not None:
            return _pending(wanted, {"step": RELEASE, "release": wanted.domain, "target": OLD, "failure": reason})
        if made_here:
            # Answer once it is gone: a rollback may delete the user pool next, or
            # try the same name again.
            gone = {"step": GONE, "release": wanted.domain, "pool": wanted.user_pool_id, "failure": reason}
            return _pending(wanted, gone)
        raise ResourceFailure(reason)
    if failure is not None:
        raise ResourceFailure(f"{failure}. The previous domain '{target.domain}' was put back and is {current.status}")
    return _answer(ops, target, current)


def _restore_or_fail(
    ops: Operations,
    wanted: DomainProperties,
    previous: DomainProperties | None,
    progress: Mapping[str, str],
    reason: str,
) -> Outcome:
    """The target could not be created: put the old domain back (a replacement), or fail."""
    if progress.get("target") == OLD and previous is not None:
        raise ResourceFailure(
            f"{progress.get('failure', 'The replacement failed')}. Putting the previous domain "
            f"'{previous.domain}' back failed too ({reason}): user pool {previous.user_pool_id} has no such domain now"
        )
    if progress.get("restore") != "yes" or previous is None:
        raise ResourceFailure(reason)
    logger.warning("Creating %r failed (%s); putting %r back", wanted.domain, reason, previous.domain)
    try:
        _create_free_name(ops, previous)
    except (CognitoError, ResourceFailure) as restore_failure:
        raise ResourceFailure(
            f"{reason}. Putting the previous domain '{previous.domain}' back failed too "
            f"({_reason(restore_failure)}): user pool {previous.user_pool_id} has no such domain now"
        ) from restore_failure
    return _advance(ops, wanted, previous, {"step": SETTLE, "target": OLD, "failure": reason})


def _make_match(ops: Operations, wanted: DomainProperties, blocked_by: DomainProperties | None) -> Outcome:
    """Make what exists match ``wanted``, from a fresh description of it."""
    current = ops.cognito.describe_domain(wanted.domain)
    if current is None or current.status == "DELETING":
        # Deleted outside CloudFormation (or by the attempt being rolled back); put
        # back what the template describes, once Cognito has released the name.
        logger.warning("Domain %r was missing; creating it again", wanted.domain)
        check_before_writing(ops, wanted)
        released = wanted.domain if current is not None or blocked_by is None else blocked_by.domain
        return _advance(ops, wanted, None, {"step": RELEASE, "release": released, "target": NEW})
    if current.user_pool_id != wanted.user_pool_id:
        raise _already_exists(wanted, current)
    if not _settings_differ(current, wanted):
        if current.in_progress:
            return _pending(wanted, {"step": SETTLE, "target": NEW})
        return _answer(ops, wanted, current)
    return _change_in_place(ops, wanted)


def _change_in_place(ops: Operations, wanted: DomainProperties) -> Outcome:
    """UpdateUserPoolDomain straight away: Cognito itself refuses it for a domain that is not this pool's."""
    check_before_writing(ops, wanted)
    try:
        ops.cognito.update_domain(
            wanted.user_pool_id, wanted.domain, wanted.certificate_arn, wanted.managed_login_version
        )
    except NotThisPoolsDomain:
        # Gone, or another pool's: find out which from a fresh description.
        current = ops.cognito.describe_domain(wanted.domain)
        if current is not None and current.user_pool_id != wanted.user_pool_id and current.status != "DELETING":
            raise _already_exists(wanted, current) from None
        logger.warning("Domain %r was missing; creating it again", wanted.domain)
        return _advance(ops, wanted, None, {"step": RELEASE, "release": wanted.domain, "target": NEW})
    return _advance(ops, wanted, None, {"step": SETTLE, "target": NEW})


def _wait_until_gone(ops: Operations, domain: str, user_pool_id: str, progress: Mapping[str, str]) -> Outcome:
    holder = ops.cognito.describe_domain(domain)
    if holder is not None and holder.user_pool_id == user_pool_id and holder.status == "DELETING":
        return Outcome(physical_id=domain, pending=True, progress=progress)
    if "failure" in progress:
        raise ResourceFailure(progress["failure"])
    return Outcome(physical_id=domain)


def _create_free_name(ops: Operations, wanted: DomainProperties) -> None:
    """Create a domain whose name was free a moment ago.

    If the answer was lost (a retried call then meets "Domain already ...", or
    fails outright) the domain may exist all the same: when it is in this pool
    now, it is the one this call made, since the name was free just before.
    """
    try:
        ops.cognito.create_domain(
            wanted.user_pool_id, wanted.domain, wanted.certificate_arn, wanted.managed_login_version
        )
    except Exception as error:
        current = ops.cognito.describe_domain(wanted.domain)
        if current is not None and current.user_pool_id == wanted.user_pool_id and current.status != "DELETING":
            logger.info(
                "Domain %r is in %s: the create worked, its answer was lost", wanted.domain, current.user_pool_id
            )
            return
        if isinstance(error, NameOrSlotStillHeld) and current is None:
            # The name is free, so what is held is this pool's slot for the kind:
            # a domain of the pool that Cognito is still deleting.
            raise ResourceFailure(
                f"User pool {wanted.user_pool_id} still holds a {wanted.domain_type} domain that is being deleted, "
                f"and a pool has one {wanted.domain_type} domain at most; try again in a few minutes ({error})"
            ) from error
        if isinstance(error, DomainTaken):
            if current is not None and current.status == "DELETING":
                raise ResourceFailure(
                    f"Domain '{wanted.domain}' is still being deleted by Cognito; try again in a few minutes ({error})"
                ) from error
            raise _already_exists(wanted, current, error) from error
        if isinstance(error, PoolSlotTaken):
            raise ResourceFailure(
                f"User pool {wanted.user_pool_id} already has a {wanted.domain_type} domain that this "
                f"resource does not manage; a pool holds one prefix and one custom domain, so delete "
                f"that domain or manage it here instead ({error})"
            ) from error
        raise


def _delete_if_owned(ops: Operations, user_pool_id: str, domain: str) -> bool:
    """Whether a domain of this pool was deleted (or was already DELETING)."""
    # DeleteUserPoolDomain names the pool, and Cognito refuses to delete a domain
    # of another pool: ownership is checked by the service itself, in one call.
    try:
        ops.cognito.delete_domain(user_pool_id, domain)
    except NotThisPoolsDomain:
        logger.info("Domain %r is not in user pool %s (gone or not ours); nothing deleted", domain, user_pool_id)
        return False
    return True


def _answer(ops: Operations, wanted: DomainProperties, current: DomainDescription) -> Outcome:
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


def _pending(wanted: DomainProperties, progress: Mapping[str, str]) -> Outcome:
    return Outcome(physical_id=wanted.domain, pending=True, progress=dict(progress))


def _blocks(previous: DomainProperties, wanted: DomainProperties) -> bool:
    """Whether the old domain must be gone before the new one can exist."""
    same_name = previous.domain == wanted.domain
    same_slot = previous.user_pool_id == wanted.user_pool_id and previous.domain_type == wanted.domain_type
    return same_name or same_slot


def _settings_differ(current: DomainDescription | DomainProperties, wanted: DomainProperties) -> bool:
    return (current.certificate_arn, current.managed_login_version) != (
        wanted.certificate_arn,
        wanted.managed_login_version,
    )


def _previous_properties(raw: Any) -> DomainProperties | None:
    try:
        return parse_domain_properties(raw)
    except InvalidPropertiesError:
        # The previous update was refused for bad input; this is its rollback.
        return None


def _already_exists(
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


def _could_be_domain(name: str) -> bool:
    return 0 < len(name) <= 63 and all(DOMAIN_LABEL_PATTERN.match(label) for label in name.split("."))


def _reason(error: Exception) -> str:
    return str(error)
