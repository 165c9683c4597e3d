"""An app client as the view of its records, and the loop that makes the client equal to it.

The owner record (``Custom::CognitoUserPoolClientSettings``) and every contribution
record (``Custom::CognitoUserPoolClientURLs``) are the source of truth; the client's
URL lists and its owner's fields are computed from them. Every writer, after its
record step, runs ``converge``: write the view of what it read, wait the store's
settle time, read again, and go round until two reads agree. Why that ends with
exactly the union of what remains, whatever the interleaving: docs/design/client-urls.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from aws.contributions import Contribution, NoTimeToSettle
from aws.errors import UnknownClientFields
from aws.operations import Operations
from aws.records import OwnerSettings, ResourceOwner
from properties.app_client import MAX_URLS
from resources.lifecycle import ResourceFailure
from resources.url_union import OWNER_KEY, URL_LISTS, Holder, limit_problems, union

logger = logging.getLogger(__name__)

# The fields the owner manages; every other field of the client is left as it is.
MANAGED_FIELDS = (
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "SupportedIdentityProviders",
    "AllowedOAuthFlowsUserPoolClient",
)


@dataclass(frozen=True)
class Records:
    """What the ownership store says about one client: its owner record and its contributions."""

    owner: ResourceOwner | None
    contributions: tuple[Contribution, ...]

    @property
    def describes_client(self) -> bool:
        """False while an owner record lacks its settings: then the client's fields cannot be computed."""
        return self.owner is None or self.owner.settings is not None

    def holders(self) -> tuple[Holder, ...]:
        owner = self.owner
        mine = (
            [Holder(OWNER_KEY, owner.stack_name, owner.logical_id, *_urls(owner.settings))]
            if owner is not None and owner.settings is not None
            else []
        )
        return (
            *mine,
            *(Holder(c.key, c.stack_name, c.logical_id, c.callback_urls, c.logout_urls) for c in self.contributions),
        )

    def with_contribution(self, key: str, contribution: Contribution | None) -> Records:
        others = tuple(c for c in self.contributions if c.key != key)
        mine = (contribution,) if contribution is not None else ()
        return replace(self, contributions=tuple(sorted((*others, *mine), key=lambda c: c.key)))

    def with_owner(self, owner: ResourceOwner | None) -> Records:
        return replace(self, owner=owner)

    def contribution(self, key: str) -> Contribution | None:
        return next((c for c in self.contributions if c.key == key), None)

    def fingerprint(self) -> tuple[Any, ...]:
        """Everything the view depends on (``ResourceOwner``'s equality ignores its settings)."""
        owner = self.owner
        described = (owner.stack_id, owner.logical_id, owner.settings, owner.settings_omitted) if owner else None
        return (described, self.contributions)


def _urls(settings: OwnerSettings) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return settings.callback_urls, settings.logout_urls


def read_records(ops: Operations, user_pool_id: str, client_id: str) -> Records:
    return Records(
        ops.records.client_owner(user_pool_id, client_id),
        ops.contributions.contributions(user_pool_id, client_id),
    )


def with_owner_settings(existing: dict[str, Any], settings: OwnerSettings) -> dict[str, Any]:
    """The client with the owner's fields set from ``settings``; every other field as it was."""
    fields = without_managed_fields(existing)
    fields.update(
        CallbackURLs=list(settings.callback_urls),
        LogoutURLs=list(settings.logout_urls),
        AllowedOAuthFlows=list(settings.allowed_oauth_flows),
        AllowedOAuthScopes=list(settings.allowed_oauth_scopes),
        SupportedIdentityProviders=list(settings.supported_identity_providers),
        AllowedOAuthFlowsUserPoolClient=bool(settings.allowed_oauth_flows),
    )
    if settings.default_redirect_uri is not None:
        fields["DefaultRedirectURI"] = settings.default_redirect_uri
    return _without_empty_lists(fields)


def without_managed_fields(client: dict[str, Any]) -> dict[str, Any]:
    fields = {key: value for key, value in client.items() if key not in MANAGED_FIELDS}
    fields["AllowedOAuthFlowsUserPoolClient"] = False
    return fields


def managed_view(client: dict[str, Any]) -> dict[str, Any]:
    """The managed fields, with absent, empty and false treated alike (Cognito omits them)."""
    return {key: client[key] for key in MANAGED_FIELDS if client.get(key) not in (None, [], False)}


def view(existing: dict[str, Any], records: Records, *, reset_owner_fields: bool = False) -> dict[str, Any] | None:
    """What the client must be for ``records``, or ``None`` when it already is (or the records cannot say).

    URL lists: the owner's first, then each contribution's, each URL once. The owner's
    other fields from its record; without an owner, as read (or reset, for the owner's
    own Delete). An owner record without settings describes nothing: the client is left alone.
    """
    if not records.describes_client:
        return None
    owner_settings = records.owner.settings if records.owner is not None else None
    if owner_settings is not None:
        fields = with_owner_settings(existing, owner_settings)
    else:
        fields = without_managed_fields(existing) if reset_owner_fields else dict(existing)
    lists = union(records.holders())
    fields.update(CallbackURLs=list(lists.callback_urls), LogoutURLs=list(lists.logout_urls))
    fields = _without_empty_lists(fields)
    return fields if managed_view(existing) != managed_view(fields) else None


def _without_empty_lists(fields: dict[str, Any]) -> dict[str, Any]:
    # Cognito stores an empty list as no value at all; send managed fields the same way.
    return {key: value for key, value in fields.items() if not (key in MANAGED_FIELDS and value == [])}


def over_limit_problems(records: Records, client_id: str) -> list[str]:
    """Cognito's 100 URLs per list, over the union of ``records`` (counted per holder in the message)."""
    holders = records.holders()
    if all(len(union(holders).urls(name)) <= MAX_URLS for name in URL_LISTS):
        return []
    return limit_problems((), holders, client_id)


def read_client(ops: Operations, user_pool_id: str, client_id: str) -> dict[str, Any]:
    """The client as it is; nothing is written (``ClientGone`` when it does not exist)."""
    return ops.cognito.modify_client(user_pool_id, client_id, lambda existing: None)


@dataclass(frozen=True)
class Writer:
    """One writer's part in ``converge``: its own change, and how to take it back if it breaks the limit."""

    user_pool_id: str
    client_id: str
    # This writer's record change, applied on top of every read (read-your-writes).
    change: Callable[[Records], Records]
    # For a writer that added URLs: restores its previous record and returns the change that describes that.
    back_out: Callable[[], Callable[[Records], Records]] | None = None
    # The owner's Delete: with no owner left, its fields go back to their defaults.
    reset_owner_fields: bool = False


def converge(ops: Operations, writer: Writer) -> dict[str, Any]:
    """Make the client equal to the view of the records, until two reads Δ apart agree; the client as left."""
    records = writer.change(read_records(ops, writer.user_pool_id, writer.client_id))
    while True:
        problems = over_limit_problems(records, writer.client_id)
        if problems and writer.back_out is not None:
            restored = writer.back_out()
            converge(ops, replace(writer, change=restored, back_out=None))
            raise ResourceFailure("; ".join(problems))
        if problems:
            # Another writer broke the limit and is about to back out: write nothing, look again.
            settle(ops)
            records = writer.change(read_records(ops, writer.user_pool_id, writer.client_id))
            continue
        written = _write_view(ops, writer, records)
        settle(ops)
        again = writer.change(read_records(ops, writer.user_pool_id, writer.client_id))
        if again.fingerprint() == records.fingerprint():
            if writer.reset_owner_fields:
                # With no owner record, the owner's fields are not a function of the records: a
                # writer that read the client before the reset may have written them back.
                written = _write_view(ops, writer, again)
            return written
        logger.info("The records of app client %s changed meanwhile; writing their view again", writer.client_id)
        records = again


def _write_view(ops: Operations, writer: Writer, records: Records) -> dict[str, Any]:
    return ops.cognito.modify_client(
        writer.user_pool_id,
        writer.client_id,
        lambda existing: view(existing, records, reset_owner_fields=writer.reset_owner_fields),
    )


def settle(ops: Operations) -> None:
    try:
        ops.contributions.wait_for_settle()
    except NoTimeToSettle as error:
        raise ResourceFailure(
            "The records of this app client kept changing until the function ran out of time; its record "
            "is written, and the next request for this resource (a retry, or CloudFormation's rollback) "
            "brings the client in line with them"
        ) from error


def sdk_too_old(client_id: str, error: UnknownClientFields) -> ResourceFailure:
    return ResourceFailure(
        f"App client {client_id} has settings that this function's AWS SDK (botocore {error.botocore_version}) "
        f"does not know: {', '.join(error.fields)}. Writing the client would reset them, so nothing was written: "
        "deploy the provider function with a newer boto3 (see README, 'AWS SDK in the function') and retry"
    )
