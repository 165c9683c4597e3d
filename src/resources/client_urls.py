"""Lifecycle of ``Custom::CognitoUserPoolClientURLs``: one stack's redirect URLs on a shared app client.

Each resource keeps a record of its URLs (aws/contributions.py); the client's lists
are always the owner's URLs and every contribution's, whoever writes last
(resources/client_view.py; the argument: docs/design/client-urls.md). The physical
id names the record, ``<user pool id>/<app client id>/<key>``, so Delete finds it
without state, and a new pool or client is a replacement whose cleanup Delete
takes the URLs off the old client.
"""

from __future__ import annotations

import logging
from typing import Any

from aws.contributions import Contribution, contribution_path, fits_in_a_record
from aws.errors import ClientGone, UnknownClientFields
from aws.operations import Operations
from aws.records import STANDARD_PARAMETER_MAX_BYTES, parameter_name
from properties.client_urls import ClientURLs, parse_client_urls
from properties.domain import USER_POOL_ID_PATTERN
from resources import client_view
from resources.client_view import Records, Writer
from resources.hosted_ui import domain_base_url, login_url
from resources.lifecycle import LifecycleRequest, Outcome, ResourceFailure, is_failed_create
from resources.url_union import limit_problems, record_key

logger = logging.getLogger(__name__)

# CloudFormation attributes are strings: a list is its URLs joined by one space, the
# one character no accepted URL contains (split it with !Split [" ", ...]).
URL_SEPARATOR = " "
ATTRIBUTES = frozenset({"ClientId", "CallbackURLs", "LogoutURLs", "HostedUIUrl"})


def create(request: LifecycleRequest, ops: Operations) -> Outcome:
    return _put(request, ops)


def update(request: LifecycleRequest, ops: Operations) -> Outcome:
    """What happens on Update, top to bottom.

    The record is written for the client the new properties name and the client is
    brought in line. Same client: same physical id, the record is overwritten. Another
    pool or client: a new physical id, so CloudFormation's cleanup Delete removes the
    old record and takes its URLs off the old client (URLs another holder lists stay).
    A renamed logical id is a Create of the new one and a Delete of the old one; the
    new record lists the URLs before the old record goes, so they never leave the client.
    """
    return _put(request, ops)


def delete(request: LifecycleRequest, ops: Operations) -> Outcome:
    """Delete this resource's record, then write the view of the records that remain; gone is success.

    A failed Create answers with the failed-create marker; its Delete finds its record
    from the stack and logical id, and does nothing when there is none (a Create refused
    before any write left nothing, and the client is not touched).
    """
    target = _record_of(request)
    if target is None:
        logger.info("Nothing to remove for physical id %r", request.physical_id[:100])
        return Outcome(physical_id=request.physical_id)
    user_pool_id, client_id, key = target
    failed_create = is_failed_create(request.physical_id)
    if failed_create and client_view.read_records(ops, user_pool_id, client_id).contribution(key) is None:
        return Outcome(physical_id=request.physical_id)
    ops.contributions.delete_contribution(user_pool_id, client_id, key)
    try:
        client_view.converge(ops, Writer(user_pool_id, client_id, lambda records: records.with_contribution(key, None)))
    except ClientGone:
        logger.info("App client %s is gone; its record is removed", client_id)
    except UnknownClientFields as error:
        raise client_view.sdk_too_old(client_id, error) from error
    return Outcome(physical_id=request.physical_id)


def is_complete(request: LifecycleRequest, ops: Operations) -> Outcome:
    # The client is written in the call that converges; nothing is left to wait for.
    wanted = parse_client_urls(request.properties)
    return _outcome(
        ops, wanted, client_view.read_client(ops, wanted.user_pool_id, wanted.client_id), request.physical_id
    )


def _put(request: LifecycleRequest, ops: Operations) -> Outcome:
    """Check, write the record, converge; nothing is written before every check passes."""
    wanted = parse_client_urls(request.properties)
    pool, client = wanted.user_pool_id, wanted.client_id
    mine = Contribution(
        record_key(request.stack_id, request.logical_id),
        request.stack_id,
        request.logical_id,
        wanted.callback_urls,
        wanted.logout_urls,
    )
    if not fits_in_a_record(mine):
        raise ResourceFailure(
            f"The URLs of this resource do not fit in one record (a standard SSM parameter holds "
            f"{STANDARD_PARAMETER_MAX_BYTES} bytes); list fewer or shorter URLs, or split them over two resources"
        )
    try:
        records = _checked(ops, wanted, mine)
        previous = records.contribution(mine.key)
        ops.contributions.put_contribution(pool, client, mine)
        written = client_view.converge(
            ops,
            Writer(
                pool,
                client,
                lambda read: read.with_contribution(mine.key, mine),
                back_out=lambda: _back_out(ops, wanted, mine.key, previous),
            ),
        )
    except ClientGone as error:
        raise ResourceFailure(
            f"App client {client} does not exist in user pool {pool}; check ClientId and UserPoolId"
        ) from error
    except UnknownClientFields as error:
        raise client_view.sdk_too_old(client, error) from error
    return _outcome(ops, wanted, written, f"{pool}/{client}/{mine.key}")


def _checked(ops: Operations, wanted: ClientURLs, mine: Contribution) -> Records:
    """The records, once the client is known to be described by them and the union fits Cognito's limit.

    The client is read before the records: a writer records its URLs before it writes
    them to the client, so records read later list every URL the client showed. A refusal
    is checked again with the settle time between the two reads (a read may lag by up to
    that much); only a contribution's Delete between its record step and its client
    write can still show the same picture, for that moment.
    """
    pool, client = wanted.user_pool_id, wanted.client_id
    existing = client_view.read_client(ops, pool, client)
    records = client_view.read_records(ops, pool, client)
    problems = _entering_problems(records, existing, client, pool)
    if problems and not _owner_problems(records, client, pool):
        existing = client_view.read_client(ops, pool, client)
        client_view.settle(ops)
        records = client_view.read_records(ops, pool, client)
        problems = _entering_problems(records, existing, client, pool)
    after = records.with_contribution(mine.key, mine)
    problems += limit_problems(records.holders(), after.holders(), client)
    if problems:
        raise ResourceFailure("; ".join(problems))
    return records


def _entering_problems(records: Records, existing: dict[str, Any], client_id: str, user_pool_id: str) -> list[str]:
    owner_problems = _owner_problems(records, client_id, user_pool_id)
    if owner_problems or records.owner is not None:
        return owner_problems
    listed = {
        name: {url for holder in records.holders() for url in holder.urls(name)}
        for name in ("CallbackURLs", "LogoutURLs")
    }
    unrecorded = [f"{name} {url}" for name in listed for url in existing.get(name) or [] if url not in listed[name]]
    if not unrecorded:
        return []
    return [
        f"App client {client_id} lists URLs that no stack has recorded ({', '.join(unrecorded)}); writing the "
        "union of the recorded URLs would remove them. Manage them with a Custom::CognitoUserPoolClientSettings "
        "(which records them), or remove them from the client, then retry"
    ]


def _owner_problems(records: Records, client_id: str, user_pool_id: str) -> list[str]:
    owner = records.owner
    if owner is None or owner.settings is not None:
        return []
    who = f"{owner.stack_name}/{owner.logical_id}"
    if owner.settings_omitted:
        return [
            f"The owner of app client {client_id}, {who}, has settings too large for its record "
            f"({STANDARD_PARAMETER_MAX_BYTES} bytes), so the client cannot be computed from records; shorten its "
            "URL lists, or use another app client"
        ]
    return [
        f"The owner of app client {client_id}, {who}, recorded itself without its settings (an earlier "
        f"version); change its ClientRevision so it records them, then retry (record: "
        f"{parameter_name(user_pool_id, client_id)})"
    ]


def _back_out(ops: Operations, wanted: ClientURLs, key: str, previous: Contribution | None) -> Any:
    """Put back the record this writer replaced (or remove its new one): its change broke the limit in a race."""
    pool, client = wanted.user_pool_id, wanted.client_id
    if previous is not None and fits_in_a_record(previous):
        ops.contributions.put_contribution(pool, client, previous)
    else:
        ops.contributions.delete_contribution(pool, client, key)
        previous = None
    logger.info("Backing out of the change to %s/%s: the union passed the limit", contribution_path(pool, client), key)
    return lambda read: read.with_contribution(key, previous)


def _record_of(request: LifecycleRequest) -> tuple[str, str, str] | None:
    """(pool, client, key) of this resource's record: from the physical id, or for a failed Create from the request."""
    if is_failed_create(request.physical_id):
        raw = request.properties if isinstance(request.properties, dict) else {}
        pool, client = raw.get("UserPoolId"), raw.get("ClientId")
        if not (isinstance(pool, str) and isinstance(client, str) and pool and client and request.logical_id):
            return None
        return _valid(pool, client, record_key(request.stack_id, request.logical_id))
    parts = request.physical_id.split("/")
    return _valid(*parts) if len(parts) == 3 else None


def _valid(pool: str, client: str, key: str) -> tuple[str, str, str] | None:
    if not USER_POOL_ID_PATTERN.match(pool) or not client or "/" in client or not key:
        return None
    return pool, client, key


def _outcome(ops: Operations, wanted: ClientURLs, client: dict[str, Any], physical_id: str) -> Outcome:
    data = {
        "ClientId": wanted.client_id,
        "CallbackURLs": URL_SEPARATOR.join(wanted.callback_urls),
        "LogoutURLs": URL_SEPARATOR.join(wanted.logout_urls),
    }
    if wanted.callback_urls and "code" in (client.get("AllowedOAuthFlows") or []):
        domain = ops.cognito.pool_domain(wanted.user_pool_id)
        if domain is not None:
            base_url = domain_base_url(domain, ops.cognito.region)
            scopes = tuple(client.get("AllowedOAuthScopes") or ())
            data["HostedUIUrl"] = login_url(base_url, wanted.client_id, "code", scopes, wanted.callback_urls[0])
    return Outcome(physical_id=physical_id, data=data)
