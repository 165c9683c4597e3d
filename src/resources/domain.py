"""Lifecycle of ``Custom::CognitoUserPoolDomain``: a prefix or custom hosted UI domain.

The physical id is the domain itself, so Delete needs no state. Which case an
Update is, and what each does, reads top to bottom from ``_update``; the slow
steps that follow (waiting out CREATING and DELETING) are in domain_steps.py, and
the Cognito rules behind both, with their sources, in docs/design/resources.md.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import replace

from aws.errors import NotThisPoolsDomain
from aws.operations import Operations
from aws.records import ResourceOwner, UnreadableOwnerRecord
from cognito_ops import DomainDescription
from properties.domain import DOMAIN_LABEL_PATTERN, DomainProperties, parse_domain_properties
from properties.flags import retain_requested
from resources.domain_preflight import check_before_writing
from resources.domain_steps import (
    GONE,
    RELEASE,
    SETTLE,
    DomainChange,
    DomainStep,
    advance,
    already_exists,
    answer,
    create_free_name,
    delete_if_owned,
    pending,
    record_owner,
    remove_made_here,
    wait_until_gone,
)
from resources.hosted_ui import ENDPOINT_URL_NAMES, FEDERATION_URL_NAMES
from resources.lifecycle import LifecycleRequest, Outcome, ResourceFailure, is_failed_create, previous_properties

logger = logging.getLogger(__name__)

ATTRIBUTES = (
    frozenset({"Domain", "UserPoolId", "DomainType", "CloudFrontDistribution", "ManagedLoginVersion"})
    | ENDPOINT_URL_NAMES
    | FEDERATION_URL_NAMES
)


def create(request: LifecycleRequest, ops: Operations) -> Outcome:
    """Create never takes over a domain that already exists, unless ``AdoptExisting`` says so (``_adopt``).

    A name that is only still DELETING (a stack deleted a moment ago) is waited
    for, then created. The domain this resource ends up holding is recorded as its
    own (aws/records.py), which is how a later Update proves what it made.
    """
    change = DomainChange(ops, request.owner, parse_domain_properties(request.properties))
    holder = ops.cognito.describe_domain(change.wanted.domain)
    if holder is not None and holder.status != "DELETING":
        if change.wanted.flags.adopt_existing and holder.user_pool_id == change.wanted.user_pool_id:
            return _recorded(ops, request, _adopt(change))
        raise already_exists(change.wanted, holder)
    check_before_writing(ops, change.wanted)
    return _recorded(ops, request, _new_domain(change, holder))


def update(request: LifecycleRequest, ops: Operations) -> Outcome:
    """What happens on Update: ``_update``, then the domain held is recorded as this resource's."""
    return _recorded(ops, request, _update(request, ops))


def _update(request: LifecycleRequest, ops: Operations) -> Outcome:
    """What happens on Update, top to bottom.

    1. Same domain, same pool: make it match (``_same_domain``). Nothing is written
       when it does; UpdateUserPoolDomain when the certificate or version changed;
       created again when it was deleted outside CloudFormation.
    2. Same domain as the physical id, but another one in the old properties: the
       rollback of a replacement that failed (a failed Update keeps the old
       physical id). What that attempt left is removed when its record proves this
       resource made it, then as 1 (``_after_failed_replacement``).
    3. New domain or new pool: replacement. The new physical id makes
       CloudFormation delete the old domain in its cleanup, or, on rollback, send
       an Update back to the old properties (then a Delete of the new one).
       a. The old properties cannot be read: refused, as it is unknown which
          domain this stack owns (``_unknown_previous``).
       b. The wanted domain is already this pool's: the rollback after a
          replacement that worked, when the domain's record says this resource made
          it; then as 1. Otherwise it is someone else's, and refused like a Create
          (``_back_to_own_domain``), or adopted with AdoptExisting, like a Create.
       c. Another pool holds the name: refused, before any write.
       d. The old domain does not block the new one: the new one is created
          beside it and waited for; the old one stays until the cleanup Delete
          (``_new_domain``).
       e. It does (the same name moving pools, or the pool's one slot for this
          kind of domain): the old one is deleted, waited for until Cognito has
          released it, then the new one is created and waited for. If the new one
          cannot be created, or ends FAILED, the old one is put back, and waited
          for, before the Update fails (``_replace_in_slot``).
    Every rule that Cognito would refuse the new domain for is checked (preflight)
    before the first write of any case.
    """
    change = DomainChange(
        ops,
        request.owner,
        parse_domain_properties(request.properties),
        previous_properties(parse_domain_properties, request.old_properties),
    )
    wanted, previous = change.wanted, change.previous
    pool_changed = previous is not None and previous.user_pool_id != wanted.user_pool_id
    if wanted.domain == request.physical_id and not pool_changed:
        if previous is None or previous.domain == wanted.domain:
            return _same_domain(change)  # 1
        return _after_failed_replacement(change, previous)  # 2
    if previous is None:
        raise _unknown_previous(request.physical_id, wanted)  # 3a
    if request.physical_id == previous.domain:
        # The domain being replaced is this resource's physical id. A domain made before
        # owner records existed is recorded now, so that a rollback can prove it made it;
        # a record naming another resource is never overwritten on an event's word.
        _claim_unrecorded(ops, previous.user_pool_id, previous.domain, change.owner)
    holder = ops.cognito.describe_domain(wanted.domain)
    if holder is not None and holder.user_pool_id == wanted.user_pool_id and holder.status != "DELETING":
        return _back_to_own_domain(change, holder)  # 3b
    if holder is not None and holder.status != "DELETING" and not _moving_pools(holder, previous, wanted):
        raise already_exists(wanted, holder)  # 3c
    check_before_writing(ops, wanted)
    if not _blocks(previous, wanted):
        return _new_domain(change, holder)  # 3d
    return _replace_in_slot(change, previous, holder)  # 3e


def _same_domain(change: DomainChange) -> Outcome:
    """1: the settings changed (as the old properties say) are written; otherwise what exists is made to match."""
    wanted = change.wanted
    if not _claim_unrecorded(change.ops, wanted.user_pool_id, wanted.domain, change.owner):
        _refuse_unless_ours(change, wanted)
    if change.previous is not None and _settings_differ(change.previous, change.wanted):
        return _change_in_place(change)
    return _make_match(change, blocked_by=None)


def _after_failed_replacement(change: DomainChange, previous: DomainProperties) -> Outcome:
    """2: what the failed attempt left goes only when its record proves this resource made it.

    The attempt may have been refused for a domain that was someone else's all along.
    """
    left = change.ops.records.domain_owner(previous.user_pool_id, previous.domain)
    if left is not None and left.is_resource(change.owner):
        delete_if_owned(change.ops, previous.user_pool_id, previous.domain)
        change.ops.records.forget_domain_owner(previous.user_pool_id, previous.domain)
    return _make_match(change, blocked_by=previous)


def _unknown_previous(physical_id: str, wanted: DomainProperties) -> ResourceFailure:
    """3a: which domain is this stack's is unknown, so nothing is moved."""
    return ResourceFailure(
        f"Cannot move domain '{physical_id}' to '{wanted.domain}': the previous "
        "properties cannot be read, so it is unknown which domain this stack owns"
    )


def _back_to_own_domain(change: DomainChange, holder: DomainDescription) -> Outcome:
    """3b: the pool already holds the wanted domain; kept only when its record says this resource made it."""
    made_here = change.ops.records.domain_owner(change.wanted.user_pool_id, change.wanted.domain)
    if made_here is None or not made_here.is_resource(change.owner):
        if change.wanted.flags.adopt_existing:
            return _adopt(change)
        raise already_exists(change.wanted, holder)
    return _make_match(change, blocked_by=None)


def _new_domain(change: DomainChange, holder: DomainDescription | None) -> Outcome:
    """A Create, and 3d: a name still DELETING is waited for, then created; a free one is created now."""
    wanted = change.wanted
    if holder is not None:
        return advance(change, DomainStep(RELEASE, release=(wanted.domain,), created=True))
    create_free_name(change.ops, wanted, change.owner)
    step = DomainStep(SETTLE, created=True)
    try:
        return advance(change, step)
    except Exception:
        # What this change made goes now: a failed Create's marker Delete touches
        # nothing, and a failed Update keeps the old physical id (best effort: the
        # failure being answered is the one that matters).
        with contextlib.suppress(Exception):
            remove_made_here(change, step)
        raise


def _replace_in_slot(change: DomainChange, previous: DomainProperties, holder: DomainDescription | None) -> Outcome:
    """3e: the old domain goes first; the new one is created once Cognito has released it."""
    wanted = change.wanted
    _refuse_unless_ours(change, previous)
    delete_if_owned(change.ops, previous.user_pool_id, previous.domain)
    # Both the old domain (the slot) and a name still DELETING must be gone first.
    released = tuple(dict.fromkeys([previous.domain, *([wanted.domain] if holder is not None else [])]))
    return advance(change, DomainStep(RELEASE, release=released, created=True, restore=True))


def delete(request: LifecycleRequest, ops: Operations) -> Outcome:
    """Idempotent and conservative: gone is success, another pool's domain is left alone.

    The answer waits until Cognito has really released the domain, so that the
    user pool can be deleted next and the name can be used again. With
    ``RetainOnDelete: true`` nothing is deleted (``_retain``).
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
    if retain_requested(raw):
        return _retain(ops, user_pool_id, domain, request.owner)
    # The event only names the domain: that it is this resource's is proved by our own
    # record, right before the delete (DeleteUserPoolDomain then proves the pool).
    try:
        record = ops.records.domain_owner(user_pool_id, domain)
    except UnreadableOwnerRecord as error:
        logger.warning("Leaving domain %r alone: %s", domain, error)
        return Outcome(physical_id=domain)
    if record is None or not record.is_resource(request.owner):
        holder = f"resource {record.logical_id} of stack {record.stack_name}" if record is not None else "no record"
        logger.warning("Leaving domain %r alone: its owner record names %s, not this resource", domain, holder)
        return Outcome(physical_id=domain)
    deleted = delete_if_owned(ops, user_pool_id, domain)
    ops.records.forget_domain_owner(user_pool_id, domain)
    if not deleted:
        return Outcome(physical_id=domain)
    return wait_until_gone(ops, DomainStep(GONE, release=(domain,), pool=user_pool_id))


def is_complete(request: LifecycleRequest, ops: Operations) -> Outcome:
    """The next observation of a change in progress; a pending outcome while Cognito is still at it."""
    step = DomainStep.from_progress(request.progress)
    if step.step == GONE:
        return wait_until_gone(ops, step)
    change = DomainChange(
        ops,
        request.owner,
        parse_domain_properties(request.properties),
        previous_properties(parse_domain_properties, request.old_properties),
    )
    return _recorded(ops, request, advance(change, step))


def _recorded(ops: Operations, request: LifecycleRequest, outcome: Outcome) -> Outcome:
    """Record the domain a finished Create or Update holds as this resource's own."""
    if not outcome.pending and "Domain" in outcome.data:
        _record(ops, outcome.data["UserPoolId"], outcome.data["Domain"], request.owner)
    return outcome


def _adopt(change: DomainChange) -> Outcome:
    """``AdoptExisting``: exactly the requested domain, already in the requested pool, becomes this resource's.

    It is recorded as this resource's own, then made to match (``_make_match``: the
    usual checks and waits) and its attributes answered. A domain another stack's
    resource holds (its record says so, and was not retained) is refused: two stacks
    would undo each other. A failed Create leaves an adopted domain in place: its
    progress never says "created".
    """
    ops, wanted, owner = change.ops, change.wanted, change.owner
    record = ops.records.domain_owner(wanted.user_pool_id, wanted.domain)
    if record is not None and not record.retained and record.stack_id != owner.stack_id:
        raise ResourceFailure(
            f"Domain '{wanted.domain}' is managed by stack '{record.stack_name}' (resource {record.logical_id}); "
            "AdoptExisting takes over only a domain no other stack manages: remove it from that stack first "
            "(with RetainOnDelete: true to keep the domain)"
        )
    logger.info("Adopting domain %r of user pool %s (AdoptExisting)", wanted.domain, wanted.user_pool_id)
    ops.records.record_domain_owner(wanted.user_pool_id, wanted.domain, owner)
    return _make_match(change, blocked_by=None)


def _retain(ops: Operations, user_pool_id: str, domain: str, owner: ResourceOwner) -> Outcome:
    """``RetainOnDelete``: the domain stays; its record, when this resource's or absent, says it was retained."""
    record = ops.records.domain_owner(user_pool_id, domain)
    if record is None or record.is_resource(owner):
        ops.records.record_domain_owner(user_pool_id, domain, replace(record or owner, retained=True))
    logger.info("RetainOnDelete: domain %r of user pool %s is left in place", domain, user_pool_id)
    return Outcome(physical_id=domain)


def _claim_unrecorded(ops: Operations, user_pool_id: str, domain: str, owner: ResourceOwner) -> bool:
    """Record a domain that has no owner record yet (made before records existed) as ``owner``'s.

    Whether the record now names ``owner``: a record of another resource is left as it is.
    """
    record = ops.records.domain_owner(user_pool_id, domain)
    if record is None:
        ops.records.record_domain_owner(user_pool_id, domain, owner)
        return True
    return record.is_resource(owner)


def _refuse_unless_ours(change: DomainChange, domain: DomainProperties) -> None:
    """Before a change to an existing domain: its owner record must name this resource."""
    record = change.ops.records.domain_owner(domain.user_pool_id, domain.domain)
    if record is None or not record.is_resource(change.owner):
        holder = f"resource {record.logical_id} of stack {record.stack_name}" if record is not None else "no resource"
        raise ResourceFailure(
            f"Domain '{domain.domain}' is recorded as managed by {holder}, not this resource; nothing was "
            "changed: remove it from that stack first (with RetainOnDelete: true to keep it), or delete its record"
        )


def _record(ops: Operations, user_pool_id: str, domain: str, owner: ResourceOwner) -> None:
    record_owner(ops, user_pool_id, domain, owner)


def _make_match(change: DomainChange, blocked_by: DomainProperties | None) -> Outcome:
    """Make what exists match the wanted domain, from a fresh description of it."""
    wanted = change.wanted
    current = change.ops.cognito.describe_domain(wanted.domain)
    if current is None or current.status == "DELETING":
        # Deleted outside CloudFormation (or by the attempt being rolled back); put
        # back what the template describes, once Cognito has released the name.
        logger.warning("Domain %r was missing; creating it again", wanted.domain)
        check_before_writing(change.ops, wanted)
        released = wanted.domain if current is not None or blocked_by is None else blocked_by.domain
        return advance(change, DomainStep(RELEASE, release=(released,)))
    if current.user_pool_id != wanted.user_pool_id:
        raise already_exists(wanted, current)
    if not _settings_differ(current, wanted):
        if current.in_progress:
            return pending(wanted, DomainStep(SETTLE))
        return answer(change.ops, wanted, current)
    return _change_in_place(change)


def _change_in_place(change: DomainChange) -> Outcome:
    """UpdateUserPoolDomain straight away: Cognito itself refuses it for a domain that is not this pool's."""
    wanted, cognito = change.wanted, change.ops.cognito
    check_before_writing(change.ops, wanted)
    try:
        cognito.update_domain(wanted.user_pool_id, wanted.domain, wanted.certificate_arn, wanted.managed_login_version)
    except NotThisPoolsDomain:
        # Gone, or another pool's: find out which from a fresh description.
        current = cognito.describe_domain(wanted.domain)
        if current is not None and current.user_pool_id != wanted.user_pool_id and current.status != "DELETING":
            raise already_exists(wanted, current) from None
        logger.warning("Domain %r was missing; creating it again", wanted.domain)
        return advance(change, DomainStep(RELEASE, release=(wanted.domain,)))
    return advance(change, DomainStep(SETTLE))


def _moving_pools(holder: DomainDescription, previous: DomainProperties, wanted: DomainProperties) -> bool:
    """The same name, still held by the old pool: this resource's own domain, moving to another pool."""
    return previous.domain == wanted.domain and holder.user_pool_id == previous.user_pool_id


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


def _could_be_domain(name: str) -> bool:
    return 0 < len(name) <= 63 and all(DOMAIN_LABEL_PATTERN.match(label) for label in name.split("."))
