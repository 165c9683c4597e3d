"""Lifecycle of ``Custom::CognitoUserPoolClientSettings``: an app client's OAuth settings.

UpdateUserPoolClient replaces the whole client configuration: every field it is
not given goes back to its default (API reference, UpdateUserPoolClient: "If you
don't provide a value for an attribute, Amazon Cognito sets it to its default
value"). So every write here reads the client first, changes only the fields this
resource manages and writes everything else back as it was. The physical id is the
client id: the settings live on that client, and Delete finds them without state.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from aws.errors import ClientGone, UnknownClientFields
from aws.operations import Operations
from aws.records import (
    MAX_RECORD_CHARS,
    STANDARD_PARAMETER_MAX_BYTES,
    OwnerSettings,
    ResourceOwner,
    owner_record_fits,
    record_text,
)
from properties.client_settings import ClientSettings, parse_client_settings
from properties.flags import retain_requested
from resources import client_ownership, client_view, managed_login
from resources.client_view import Records, Writer
from resources.hosted_ui import client_logout_url, domain_base_url, login_url
from resources.lifecycle import (
    MAX_ANSWER_BYTES,
    LifecycleRequest,
    Outcome,
    ResourceFailure,
    answer_bytes,
    is_failed_create,
)

logger = logging.getLogger(__name__)

# The fields this resource owns: client_view.MANAGED_FIELDS; every other field of the client is left as it is.


ATTRIBUTES = frozenset({"ClientId", "UserPoolId", "ManagedLoginBrandingId", "HostedUIUrl", "ClientLogoutUrl"})


def create(request: LifecycleRequest, ops: Operations) -> Outcome:
    wanted = parse_client_settings(request.properties)
    _refuse_an_answer_too_large(request, ops, wanted)
    return _apply(ops, wanted, request.owner)


def update(request: LifecycleRequest, ops: Operations) -> Outcome:
    """What happens on Update, top to bottom.

    The settings are applied to the client the new properties name. For the same
    client that is an in-place change (same physical id). For another client
    (ClientId or UserPoolId changed) the physical id changes, so CloudFormation's
    cleanup Delete resets the old client; on rollback CloudFormation sends the old
    properties back, which re-applies the previous settings to the old client, and
    then deletes (resets) the new one.

    Each client has one owner (resources/client_ownership.py): a resource of another
    stack is refused before any write; one of this stack (a renamed logical id) takes
    over, and the cleanup Delete of the old logical id then leaves the settings alone.
    """
    wanted = parse_client_settings(request.properties)
    _refuse_an_answer_too_large(request, ops, wanted)
    return _apply(ops, wanted, request.owner)


def delete(request: LifecycleRequest, ops: Operations) -> Outcome:
    """Reset only the managed fields; a client or pool that is gone is success."""
    client_id = request.physical_id
    raw = request.properties if isinstance(request.properties, dict) else {}
    user_pool_id = raw.get("UserPoolId")
    if is_failed_create(client_id) or not isinstance(user_pool_id, str) or not user_pool_id:
        logger.info("Nothing to reset for physical id %r", client_id[:100])
        return Outcome(physical_id=client_id)

    record = ops.records.client_owner(user_pool_id, client_id)
    if not client_ownership.settle_on_delete(ops, user_pool_id, client_id, request.owner, record):
        return Outcome(physical_id=client_id)
    if retain_requested(raw):
        _retain(ops, user_pool_id, client_id, record or request.owner)
        return Outcome(physical_id=client_id)
    managed_login.remove_created_style(ops, user_pool_id, client_id, record)
    # The record goes first: a contribution converging meanwhile no longer writes the owner's fields back.
    ops.records.forget_client_owner(user_pool_id, client_id)
    try:
        _reset_keeping_contributions(ops, user_pool_id, client_id)
        if record is not None and record.adopted_settings:
            ops.cognito.modify_client(user_pool_id, client_id, _restore_adopted(record.adopted_settings))
    except ClientGone:
        logger.info("App client %s is gone; nothing to reset", client_id)
    except UnknownClientFields as error:
        raise _sdk_too_old(client_id, error) from error
    return Outcome(physical_id=client_id)


def is_complete(request: LifecycleRequest, ops: Operations) -> Outcome:
    # Client settings take effect in the call that writes them; nothing to wait for.
    wanted = parse_client_settings(request.properties)
    version = managed_login.domain_version(ops, wanted)
    plan = managed_login.prepare(ops, wanted, request.owner, version)
    if plan.problems:
        raise ResourceFailure("; ".join(plan.problems))
    style = managed_login.ensure_style(ops, wanted, request.owner, version, plan)
    return _outcome(ops, wanted, version, style)


def _apply(ops: Operations, wanted: ClientSettings, owner: ResourceOwner) -> Outcome:
    """Check, record the owner, give the client its style, write; nothing is written before the checks pass.

    The read and the write are back to back (``modify_client``). If anything fails
    after this resource recorded itself as a new owner, what it made goes again (the
    record, a branding style it created): a failed Create's marker Delete touches nothing.
    """
    owner = replace(owner, settings=_owner_settings(wanted))
    version = managed_login.domain_version(ops, wanted)
    records = client_view.read_records(ops, wanted.user_pool_id, wanted.client_id)
    plan = managed_login.prepare(ops, wanted, owner, version)
    pool_problems = [*_pool_problems(ops, wanted), *plan.problems, *_contribution_problems(records, wanted, owner)]
    recorded_now = False
    style = ""

    def with_settings(existing: dict[str, Any]) -> dict[str, Any] | None:
        nonlocal recorded_now, style
        adopted = _adopted_settings(wanted, existing)
        problems = [*_client_problems(wanted, existing), *pool_problems, *_adoption_problems(wanted, owner, adopted)]
        if problems:
            raise ResourceFailure("; ".join(problems))
        # Checked: only now is this resource recorded as the owner, or refused as not.
        recorded_here = client_ownership.claim(ops, wanted.user_pool_id, wanted.client_id, owner)
        recorded_now = recorded_here or recorded_now
        if recorded_here and adopted:
            _remember_adopted_settings(ops, wanted, owner, adopted)
        style = managed_login.ensure_style(ops, wanted, owner, version, plan)
        return client_view.view(existing, records.with_owner(owner))

    try:
        ops.cognito.modify_client(wanted.user_pool_id, wanted.client_id, with_settings)
    except ClientGone as error:
        raise ResourceFailure(
            f"App client {wanted.client_id} does not exist in user pool {wanted.user_pool_id}; "
            "check ClientId and UserPoolId"
        ) from error
    except UnknownClientFields as error:
        raise _sdk_too_old(wanted.client_id, error) from error
    except Exception:
        if recorded_now:
            managed_login.remove_created_style(
                ops,
                wanted.user_pool_id,
                wanted.client_id,
                ops.records.client_owner(wanted.user_pool_id, wanted.client_id),
            )
            ops.records.forget_client_owner(wanted.user_pool_id, wanted.client_id)
        raise
    _converge_with_contributions(ops, wanted, owner)
    return _outcome(ops, wanted, version, style)


def _adopted_settings(wanted: ClientSettings, existing: dict[str, Any]) -> str:
    """AdoptExisting: the client's OAuth settings as they are, as JSON, for Delete to put back; "" otherwise."""
    if not wanted.flags.adopt_existing:
        return ""
    return json.dumps(client_view.managed_view(existing), sort_keys=True, default=str)


def _adoption_problems(wanted: ClientSettings, owner: ResourceOwner, adopted: str) -> list[str]:
    # Room is left for the style ids the record may gain later.
    room = MAX_RECORD_CHARS - 200
    size = len(record_text(replace(owner, adopted_settings=adopted)).encode()) if adopted else 0
    if size <= room:
        return []
    return [
        f"App client {wanted.client_id}'s current OAuth settings take {size} bytes to record, and the owner record "
        f"(an SSM parameter) holds {room}: AdoptExisting could not put them back on Delete. Shorten the client's "
        "callback and sign-out URL lists first, or leave AdoptExisting out (Delete then resets them)"
    ]


def _remember_adopted_settings(ops: Operations, wanted: ClientSettings, owner: ResourceOwner, adopted: str) -> None:
    current = ops.records.client_owner(wanted.user_pool_id, wanted.client_id) or owner
    ops.records.record_client_owner(
        wanted.user_pool_id, wanted.client_id, replace(current, adopted_settings=adopted), replacing=True
    )
    logger.info("Adopted app client %s: Delete puts its current OAuth settings back", wanted.client_id)


def _restore_adopted(adopted_settings: str) -> Callable[[dict[str, Any]], dict[str, Any] | None]:
    """Delete after AdoptExisting: the adopted settings back; the URLs contributions still list stay too."""
    adopted = json.loads(adopted_settings)

    def change(existing: dict[str, Any]) -> dict[str, Any] | None:
        desired = {**existing, **{key: value for key, value in adopted.items() if not key.endswith("URLs")}}
        for key in ("CallbackURLs", "LogoutURLs"):
            urls = list(dict.fromkeys([*adopted.get(key, []), *existing.get(key, [])]))
            if urls:
                desired[key] = urls
        return desired if client_view.managed_view(existing) != client_view.managed_view(desired) else None

    return change


def _retain(ops: Operations, user_pool_id: str, client_id: str, record: ResourceOwner) -> None:
    """RetainOnDelete: the settings and the style stay; the owner record says so, and binds nobody."""
    ops.records.record_client_owner(user_pool_id, client_id, replace(record, retained=True), replacing=True)
    logger.info(
        "RetainOnDelete: app client %s keeps its OAuth settings%s; its owner record marks them retained",
        client_id,
        f" and branding style {record.created_branding_id}" if record.created_branding_id else "",
    )


def _refuse_an_answer_too_large(request: LifecycleRequest, ops: Operations, wanted: ClientSettings) -> None:
    """Refuse, before any write, settings whose answer could not reach CloudFormation.

    The answer carries HostedUIUrl and ClientLogoutUrl, which URL-encode a callback and a
    sign-out URL (each up to 1024 characters, UpdateUserPoolClient): a body over 4096
    bytes would be answered FAILED after the client was written. Measured at its largest
    (a branding style id, a page that works), from the properties alone.
    """
    largest = _outcome(ops, wanted, None, _LARGEST_STYLE_ID)
    size = answer_bytes(request, largest)
    if size > MAX_ANSWER_BYTES:
        raise ResourceFailure(
            f"The answer for app client {wanted.client_id} would be {size} bytes, over CloudFormation's "
            f"{MAX_ANSWER_BYTES}; nothing was written: shorten the redirect URL and first LogoutURLs entry "
            "(HostedUIUrl and ClientLogoutUrl carry them encoded)"
        )


# A ManagedLoginBrandingId is a UUID (DeleteManagedLoginBranding, ManagedLoginBrandingId pattern).
_LARGEST_STYLE_ID = "00000000-0000-4000-8000-000000000000"


def _sdk_too_old(client_id: str, error: UnknownClientFields) -> ResourceFailure:
    return ResourceFailure(
        f"App client {client_id} has settings that this function's AWS SDK (botocore {error.botocore_version}) "
        f"does not know: {', '.join(error.fields)}. Writing the client would reset them, so nothing was written: "
        "deploy the provider function with a newer boto3 (see README, 'AWS SDK in the function') and retry"
    )


def _client_problems(wanted: ClientSettings, existing: dict[str, Any]) -> list[str]:
    """The rules that depend on the client as it is, checked between reading it and writing it."""
    # A client's secret shows as ClientSecret; the client_credentials issue reports that
    # newer clients may show a Secrets Manager ClientSecretArn instead (not confirmed in
    # the API reference or botocore's model at the time of writing): either will do.
    has_secret = bool(existing.get("ClientSecret") or existing.get("ClientSecretArn"))
    if "client_credentials" in wanted.allowed_oauth_flows and not has_secret:
        return [
            f"The client_credentials flow needs an app client with a secret, and app client "
            f"{wanted.client_id} has none; use a client created with GenerateSecret: true"
        ]
    return []


def _pool_problems(ops: Operations, wanted: ClientSettings) -> list[str]:
    """The rules that depend on the pool's identity providers and resource servers, checked before any write."""
    problems = []
    if wanted.external_identity_providers:
        configured = ops.cognito.identity_provider_names(wanted.user_pool_id)
        missing = sorted(wanted.external_identity_providers - configured)
        if missing:
            problems.append(
                f"SupportedIdentityProviders names {', '.join(missing)}, not configured on user pool "
                f"{wanted.user_pool_id} (configured: {', '.join(['COGNITO', *sorted(configured)])})"
            )
    if wanted.custom_scopes:
        defined = ops.cognito.resource_server_scopes(wanted.user_pool_id)
        missing = sorted(wanted.custom_scopes - defined)
        if missing:
            problems.append(
                f"AllowedOAuthScopes names {', '.join(missing)}, not defined by any resource server "
                f"of user pool {wanted.user_pool_id}"
            )
    return problems


def _owner_settings(wanted: ClientSettings) -> OwnerSettings:
    return OwnerSettings(
        callback_urls=wanted.callback_urls,
        logout_urls=wanted.logout_urls,
        default_redirect_uri=wanted.default_redirect_uri,
        allowed_oauth_flows=wanted.allowed_oauth_flows,
        allowed_oauth_scopes=wanted.allowed_oauth_scopes,
        supported_identity_providers=wanted.supported_identity_providers,
    )


# --- URL contributions of other stacks (Custom::CognitoUserPoolClientURLs) -------------
# The client's URL lists are this resource's URLs and every contribution's; the owner is
# one more writer of the view of the records (docs/design/client-urls.md).


def _contribution_problems(records: Records, wanted: ClientSettings, owner: ResourceOwner) -> list[str]:
    """Checked before any write: the union within 100 URLs per list, and settings the contributions can read."""
    if not records.contributions:
        return []
    problems = client_view.over_limit_problems(records.with_owner(owner), wanted.client_id)
    if not owner_record_fits(owner):
        problems.append(
            f"App client {wanted.client_id} has URLs added by other stacks, and these settings do not fit in "
            f"the owner record (a standard SSM parameter, {STANDARD_PARAMETER_MAX_BYTES} bytes) they are "
            "computed from; list fewer or shorter URLs"
        )
    return problems


def _converge_with_contributions(ops: Operations, wanted: ClientSettings, owner: ResourceOwner) -> None:
    writer = Writer(wanted.user_pool_id, wanted.client_id, lambda records: records.with_owner(owner))
    client_view.converge(ops, writer)


def _reset_keeping_contributions(ops: Operations, user_pool_id: str, client_id: str) -> None:
    """The owner's fields back to their defaults; the URLs that contributions list stay."""
    writer = Writer(user_pool_id, client_id, lambda records: records.with_owner(None), reset_owner_fields=True)
    client_view.converge(ops, writer)


def _outcome(ops: Operations, wanted: ClientSettings, version: int | None, style: str) -> Outcome:
    data = {"ClientId": wanted.client_id, "UserPoolId": wanted.user_pool_id, "ManagedLoginBrandingId": style}
    if wanted.domain is None:
        return Outcome(physical_id=wanted.client_id, data=data)
    base_url = domain_base_url(wanted.domain, ops.cognito.region)
    response_type = wanted.login_response_type
    redirect_uri = wanted.redirect_uri
    # A managed login page renders only for a client with a branding style: no URL to a dead page.
    page_works = version != 2 or bool(style)
    if response_type is not None and redirect_uri is not None and page_works:
        data["HostedUIUrl"] = login_url(
            base_url, wanted.client_id, response_type, wanted.allowed_oauth_scopes, redirect_uri
        )
    if wanted.logout_urls:
        # Logout endpoint: client_id, and a logout_uri that is one of the client's sign-out URLs.
        data["ClientLogoutUrl"] = client_logout_url(base_url, wanted.client_id, wanted.logout_urls[0])
    return Outcome(physical_id=wanted.client_id, data=data)
