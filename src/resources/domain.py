"""Lifecycle of ``Custom::CognitoUserPoolDomain``: a prefix or custom hosted UI domain.

The physical id is the domain itself, so Delete needs no state. Two rules of real
Cognito shape every decision below: a domain name belongs to one pool at most
(prefixes are unique per region across all accounts), and a pool holds at most one
prefix domain and one custom domain ("User pool already has a domain configured").
"""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import ClientError

from cognito_ops import CognitoOps, DomainDescription, error_code, error_message
from hosted_ui import domain_base_url, endpoint_urls
from properties.domain import DOMAIN_LABEL_PATTERN, DomainProperties, parse_domain_properties
from properties.parsing import InvalidPropertiesError
from resources.lifecycle import LifecycleRequest, Outcome, ResourceFailure, is_failed_create

logger = logging.getLogger(__name__)

# Statuses in which Cognito is still working on the domain (DomainStatusType).
IN_PROGRESS_STATUSES = frozenset({"CREATING", "UPDATING"})
# DeleteUserPoolDomain's answer when the domain does not exist or is not that
# pool's: either way there is nothing of ours to delete.
NOT_THIS_POOLS_DOMAIN = "No such domain or user pool exists"


def create(request: LifecycleRequest, ops: CognitoOps) -> Outcome:
    """Create never adopts a domain that already exists: it could be someone else's."""
    wanted = parse_domain_properties(request.properties)
    _create_domain(ops, wanted)
    return _created_outcome(ops, wanted, ops.describe_domain(wanted.domain))


def update(request: LifecycleRequest, ops: CognitoOps) -> Outcome:
    """What happens on Update, top to bottom.

    - Same domain, same pool, same certificate and version: nothing is written; the
      domain is read back (it may have been deleted outside CloudFormation, and its
      attributes are answered again).
    - Same domain, same pool, new certificate or version: UpdateUserPoolDomain in
      place, same physical id. Cognito itself refuses it for another pool's domain,
      and only then is the domain read to find out why.
    - Same domain as the physical id but another domain in the old properties: the
      rollback of a replacement that failed; what it left behind is removed and the
      domain is made to match again.
    - New domain or new pool: replacement. The new physical id makes
      CloudFormation send a Delete for the old one during cleanup, or an Update
      back to the old properties (then a Delete of the new one) on rollback; both
      land in this module and leave the pool with the domain the stack describes.
    """
    wanted = parse_domain_properties(request.properties)
    previous = _previous_properties(request.old_properties)
    pool_changed = previous is not None and previous.user_pool_id != wanted.user_pool_id
    if wanted.domain == request.physical_id and not pool_changed:
        if previous is not None and previous.domain != wanted.domain:
            # The rollback of an Update that failed while replacing this domain with
            # `previous.domain` (a failed Update keeps the old physical id). What that
            # attempt left in the pool is this resource's, and no Delete will come for it.
            _delete_if_owned(ops, previous.user_pool_id, previous.domain)
            return _update_in_place(ops, wanted, ops.describe_domain(wanted.domain))
        if previous is None or not _settings_differ(previous, wanted):
            return _update_in_place(ops, wanted, ops.describe_domain(wanted.domain))
        return _change_settings_in_place(ops, wanted)
    if previous is None:
        raise ResourceFailure(
            f"Cannot move domain '{request.physical_id}' to '{wanted.domain}': the previous "
            "properties cannot be read, so it is unknown which domain this stack owns"
        )
    return _replace(ops, previous, wanted)


def delete(request: LifecycleRequest, ops: CognitoOps) -> None:
    """Idempotent and conservative: gone is success, another pool's domain is left alone."""
    domain = request.physical_id
    if is_failed_create(domain) or not _could_be_domain(domain):
        logger.info("Nothing to delete: physical id %r names no domain this resource created", domain[:100])
        return
    raw = request.properties if isinstance(request.properties, dict) else {}
    user_pool_id = raw.get("UserPoolId")
    if not isinstance(user_pool_id, str) or not user_pool_id:
        logger.warning("Leaving domain %r alone: no UserPoolId to prove it is ours", domain)
        return
    _delete_if_owned(ops, user_pool_id, domain)


def is_complete(request: LifecycleRequest, ops: CognitoOps) -> Outcome | None:
    """``None`` while Cognito is still creating or updating the domain."""
    wanted = parse_domain_properties(request.properties)
    current = ops.describe_domain(wanted.domain)
    if current is None or current.user_pool_id != wanted.user_pool_id:
        raise ResourceFailure(
            f"Domain '{wanted.domain}' disappeared from user pool {wanted.user_pool_id} while Cognito was setting it up"
        )
    if current.status in IN_PROGRESS_STATUSES:
        return None
    if request.old_properties is None:  # only a Create comes without old properties
        return _created_outcome(ops, wanted, current)
    return _outcome(ops, wanted, current)


def _created_outcome(ops: CognitoOps, wanted: DomainProperties, current: DomainDescription | None) -> Outcome:
    """A domain this very Create made that Cognito reports FAILED is removed again before failing.

    Left behind, it would hold the pool's one slot for its kind, and the marker
    physical id of a failed Create means no Delete will ever remove it.
    """
    if current is not None and current.status == "FAILED":
        _delete_if_owned(ops, wanted.user_pool_id, wanted.domain)
    return _outcome(ops, wanted, current)


def _change_settings_in_place(ops: CognitoOps, wanted: DomainProperties) -> Outcome:
    try:
        ops.update_domain(wanted.user_pool_id, wanted.domain, wanted.certificate_arn, wanted.managed_login_version)
    except ClientError as error:
        if NOT_THIS_POOLS_DOMAIN not in error_message(error):
            raise
        # Gone, or not this pool's: find out which and act on what exists.
        return _update_in_place(ops, wanted, ops.describe_domain(wanted.domain))
    return _outcome(ops, wanted, ops.describe_domain(wanted.domain))


def _settings_differ(current: DomainProperties | DomainDescription, wanted: DomainProperties) -> bool:
    """Whether the certificate or managed login version of ``current`` (as described or as last asked for) differs."""
    return (current.certificate_arn, current.managed_login_version) != (
        wanted.certificate_arn,
        wanted.managed_login_version,
    )


def _update_in_place(ops: CognitoOps, wanted: DomainProperties, current: DomainDescription | None) -> Outcome:
    """Make what exists match ``wanted``, from a fresh description of it."""
    if current is None:
        # Deleted outside CloudFormation; put back what the template describes.
        logger.warning("Domain %r was missing; creating it again", wanted.domain)
        _create_domain(ops, wanted)
        return _outcome(ops, wanted, ops.describe_domain(wanted.domain))
    if current.user_pool_id != wanted.user_pool_id:
        raise _taken_by_another_pool(wanted)
    if not _settings_differ(current, wanted):
        return _outcome(ops, wanted, current)
    ops.update_domain(wanted.user_pool_id, wanted.domain, wanted.certificate_arn, wanted.managed_login_version)
    return _outcome(ops, wanted, ops.describe_domain(wanted.domain))


def _replace(ops: CognitoOps, previous: DomainProperties, wanted: DomainProperties) -> Outcome:
    holder = ops.describe_domain(wanted.domain)
    if holder is not None and holder.user_pool_id == wanted.user_pool_id:
        # The pool has it already: a rollback back to the domain we still keep.
        return _update_in_place(ops, wanted, holder)
    same_name_moving_pool = holder is not None and holder.user_pool_id == previous.user_pool_id
    if holder is not None and not same_name_moving_pool:
        raise _taken_by_another_pool(wanted)
    # The old domain must go first when it blocks the new one: the same name in
    # another pool, or the pool's one slot for this kind of domain.
    old_blocks_new = same_name_moving_pool or (
        previous.user_pool_id == wanted.user_pool_id and previous.domain_type == wanted.domain_type
    )
    if not old_blocks_new:
        # The old domain stays until CloudFormation's cleanup Delete removes it.
        _create_domain(ops, wanted)
        return _outcome(ops, wanted, ops.describe_domain(wanted.domain))
    _delete_if_owned(ops, previous.user_pool_id, previous.domain)
    try:
        _create_domain(ops, wanted)
    except Exception as failure:
        _restore(ops, previous, failure)
        raise
    return _outcome(ops, wanted, ops.describe_domain(wanted.domain))


def _restore(ops: CognitoOps, previous: DomainProperties, failure: Exception) -> None:
    """Put the old domain back after the new one could not be created."""
    try:
        _create_domain(ops, previous)
    except Exception as restore_failure:
        raise ResourceFailure(
            f"{_reason(failure)}. Restoring the previous domain '{previous.domain}' failed too "
            f"({_reason(restore_failure)}): user pool {previous.user_pool_id} has no such domain now"
        ) from failure
    logger.info("Restored domain %r after the replacement failed", previous.domain)


def _create_domain(ops: CognitoOps, wanted: DomainProperties) -> None:
    try:
        ops.create_domain(wanted.user_pool_id, wanted.domain, wanted.certificate_arn, wanted.managed_login_version)
    except ClientError as error:
        message = error_message(error)
        if "already associated with another user pool" in message:
            raise _taken_by_another_pool(wanted, error) from error
        if "already has a domain configured" in message:
            raise ResourceFailure(
                f"User pool {wanted.user_pool_id} already has a {wanted.domain_type} domain that this "
                f"resource does not manage; a pool holds one prefix and one custom domain, so delete "
                f"that domain or manage it here instead ({error_code(error)}: {message})"
            ) from error
        raise


def _delete_if_owned(ops: CognitoOps, user_pool_id: str, domain: str) -> None:
    # DeleteUserPoolDomain names the pool, and Cognito refuses to delete a domain
    # of another pool: ownership is checked by the service itself, in one call.
    try:
        ops.delete_domain(user_pool_id, domain)
    except ClientError as error:
        if error_code(error) == "ResourceNotFoundException" or NOT_THIS_POOLS_DOMAIN in error_message(error):
            logger.info("Domain %r is not in user pool %s (gone or not ours); nothing deleted", domain, user_pool_id)
            return
        raise


def _outcome(ops: CognitoOps, wanted: DomainProperties, current: DomainDescription | None) -> Outcome:
    if current is None:
        raise ResourceFailure(f"Domain '{wanted.domain}' was accepted by Cognito but cannot be found")
    base_url = domain_base_url(wanted.domain, ops.region)
    data = {
        "Domain": wanted.domain,
        "UserPoolId": wanted.user_pool_id,
        "DomainType": wanted.domain_type,
        "CloudFrontDistribution": current.cloudfront_distribution,
        "ManagedLoginVersion": str(current.managed_login_version),
        **endpoint_urls(base_url),
    }
    if current.status == "FAILED":
        raise ResourceFailure(
            f"Cognito reports domain '{wanted.domain}' as FAILED: check that the ACM certificate "
            "is issued, in us-east-1, and covers the domain"
        )
    return Outcome(physical_id=wanted.domain, data=data, pending=current.status in IN_PROGRESS_STATUSES)


def _previous_properties(raw: Any) -> DomainProperties | None:
    try:
        return parse_domain_properties(raw)
    except InvalidPropertiesError:
        # The previous update was refused for bad input; this is its rollback.
        return None


def _taken_by_another_pool(wanted: DomainProperties, error: ClientError | None = None) -> ResourceFailure:
    suffix = f" ({error_code(error)}: {error_message(error)})" if error is not None else ""
    return ResourceFailure(
        f"Domain '{wanted.domain}' is already used by another user pool; domains are unique per "
        f"region across all AWS accounts, so choose another Domain{suffix}"
    )


def _could_be_domain(name: str) -> bool:
    return 0 < len(name) <= 63 and all(DOMAIN_LABEL_PATTERN.match(label) for label in name.split("."))


def _reason(error: Exception) -> str:
    if isinstance(error, ClientError):
        return f"{error_message(error)} ({error_code(error)})"
    return str(error)
