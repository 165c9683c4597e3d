"""Ownership records in SSM Parameter Store: which resource owns an app client's settings, or made a domain.

Two resources that manage one client as if alone undo each other, so each client has
one owner at a time; and an Update never takes over a domain it cannot prove it made.
A standard parameter survives cold starts, costs nothing while idle, needs no extra
stack, works against moto in ``make local``, and IAM can scope it to one path:

    /cognito-hosted-ui-resources/client-owners/<user pool id>/<app client id>
    /cognito-hosted-ui-resources/domain-owners/<user pool id>/<domain>
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from botocore.exceptions import ClientError

from aws.clients import aws_client
from aws.retry import RetryPolicy

PARAMETER_PREFIX = "/cognito-hosted-ui-resources/client-owners"
# Systems Manager quotas: a standard parameter's value holds at most 4 KB.
STANDARD_PARAMETER_MAX_BYTES = 4096
# The same kind of record for the domains a resource made: an Update never takes over a
# domain of the pool that it cannot prove it made (README, "Custom::CognitoUserPoolDomain").
DOMAIN_PARAMETER_PREFIX = "/cognito-hosted-ui-resources/domain-owners"


@dataclass(frozen=True)
class OwnerSettings:
    """The fields of an app client that its owner manages, as the owner record keeps them.

    Contributions (``Custom::CognitoUserPoolClientURLs``) write the client from the
    records, so the owner's fields travel in its record (docs/design/client-urls.md).
    """

    callback_urls: tuple[str, ...] = ()
    logout_urls: tuple[str, ...] = ()
    default_redirect_uri: str | None = None
    allowed_oauth_flows: tuple[str, ...] = ()
    allowed_oauth_scopes: tuple[str, ...] = ()
    supported_identity_providers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResourceOwner:
    stack_id: str
    logical_id: str
    # The managed login branding style this resource created for the client, if any:
    # Delete removes a style only when it is this one (a style made by a person stays).
    created_branding_id: str = ""
    # The resource of the same stack this one took the client over from (a renamed
    # logical id): if this one is rolled back, the client is handed back to it.
    previous_logical_id: str = ""
    # The settings the owner applied; None in a record written before owners recorded
    # them, or when they did not fit a standard parameter (``settings_omitted``).
    settings: OwnerSettings | None = field(default=None, compare=False)
    settings_omitted: bool = field(default=False, compare=False)
    # AdoptExisting: the style the client already had (kept on Delete), and the client's
    # OAuth settings as they were, as JSON (Delete puts them back instead of resetting).
    adopted_branding_id: str = ""
    adopted_settings: str = ""
    # RetainOnDelete: the resource was deleted and left what it managed in place; the
    # record stays to say so, and binds nobody (the next resource may take over).
    retained: bool = False

    def is_resource(self, other: ResourceOwner) -> bool:
        """The same settings resource (stack and logical id), whatever else the records hold."""
        return (self.stack_id, self.logical_id) == (other.stack_id, other.logical_id)

    @property
    def stack_name(self) -> str:
        """``arn:aws:cloudformation:<region>:<account>:stack/<name>/<guid>`` -> ``<name>``."""
        parts = self.stack_id.split("/")
        return parts[1] if len(parts) > 2 else self.stack_id


def parameter_name(user_pool_id: str, client_id: str, prefix: str = PARAMETER_PREFIX) -> str:
    return f"{prefix}/{user_pool_id}/{client_id}"


class ClaimConflict(Exception):
    """Someone else recorded an owner between our read and our write; read again."""


# SSM PutParameter, Value: "Standard parameters have a value limit of 4 KB."
MAX_RECORD_CHARS = STANDARD_PARAMETER_MAX_BYTES


def _base_record(owner: ResourceOwner) -> dict[str, Any]:
    """The record's fields other than the owner's settings: only those that are set."""
    record: dict[str, Any] = {"StackId": owner.stack_id, "LogicalResourceId": owner.logical_id}
    if owner.created_branding_id:
        record["CreatedBrandingId"] = owner.created_branding_id
    if owner.previous_logical_id:
        record["PreviousLogicalResourceId"] = owner.previous_logical_id
    if owner.adopted_branding_id:
        record["AdoptedBrandingId"] = owner.adopted_branding_id
    if owner.adopted_settings:
        record["AdoptedSettings"] = json.loads(owner.adopted_settings)
    if owner.retained:
        record["Retained"] = True
    return record


def record_text(owner: ResourceOwner) -> str:
    """The parameter value that records ``owner``: JSON, with its settings when they fit."""
    return _owner_value(_base_record(owner), owner)


def owner_from_text(text: str) -> ResourceOwner | None:
    """The owner a parameter value records, or ``None`` for a value this function did not write."""
    try:
        record = json.loads(text)
        adopted = record.get("AdoptedSettings")
        return ResourceOwner(
            stack_id=str(record["StackId"]),
            logical_id=str(record["LogicalResourceId"]),
            created_branding_id=str(record.get("CreatedBrandingId", "")),
            previous_logical_id=str(record.get("PreviousLogicalResourceId", "")),
            settings=_settings_from(record.get("Settings")),
            settings_omitted=record.get("Settings") == _OMITTED,
            adopted_branding_id=str(record.get("AdoptedBrandingId", "")),
            adopted_settings=json.dumps(adopted, sort_keys=True) if isinstance(adopted, dict) else "",
            retained=record.get("Retained") is True,
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


class UnreadableOwnerRecord(Exception):
    """The parameter exists but is no record this function wrote: neither "no owner" nor an owner.

    Nothing is reset, taken over or deleted on the strength of it; a person corrects or deletes it.
    """

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(
            f"The owner record {name} in SSM Parameter Store cannot be read ({problem}): delete that "
            "parameter, or correct it, then try again"
        )
        self.parameter_name = name
        self.problem = problem


def _read_owner(name: str, value: str) -> ResourceOwner:
    """The owner a record names; ``UnreadableOwnerRecord`` for anything this function would not have written."""
    # This function writes standard parameters only (an advanced one holds up to 8 KB).
    if len(value.encode()) > STANDARD_PARAMETER_MAX_BYTES:
        raise UnreadableOwnerRecord(name, f"{len(value.encode())} bytes, larger than any owner record")
    try:
        record = json.loads(value)
    except ValueError:
        raise UnreadableOwnerRecord(name, "not JSON") from None
    fields = ("StackId", "LogicalResourceId", "CreatedBrandingId", "PreviousLogicalResourceId", "AdoptedBrandingId")
    required_present = isinstance(record, dict) and all(record.get(key) for key in fields[:2])
    if not required_present or not all(isinstance(record.get(key, ""), str) for key in fields):
        raise UnreadableOwnerRecord(name, "not an object with the strings StackId and LogicalResourceId")
    try:
        settings = _settings_from(record.get("Settings"))
    except TypeError:
        raise UnreadableOwnerRecord(name, "its Settings are not lists of strings") from None
    adopted = record.get("AdoptedSettings")
    if adopted is not None and not isinstance(adopted, dict):
        raise UnreadableOwnerRecord(name, "its AdoptedSettings are not an object")
    return ResourceOwner(
        stack_id=record["StackId"],
        logical_id=record["LogicalResourceId"],
        created_branding_id=record.get("CreatedBrandingId", ""),
        previous_logical_id=record.get("PreviousLogicalResourceId", ""),
        settings=settings,
        settings_omitted=record.get("Settings") == _OMITTED,
        adopted_branding_id=record.get("AdoptedBrandingId", ""),
        adopted_settings=json.dumps(adopted, sort_keys=True) if adopted is not None else "",
        retained=record.get("Retained") is True,
    )


class _SsmRecords:
    """One kind of record (one path prefix) in Parameter Store."""

    def __init__(self, ssm: Callable[[], Any], retry: RetryPolicy, prefix: str = PARAMETER_PREFIX) -> None:
        self._ssm = ssm
        self._retry = retry
        self._prefix = prefix

    def owner(self, user_pool_id: str, client_id: str) -> ResourceOwner | None:
        """The recorded owner, ``None`` when there is no record; ``UnreadableOwnerRecord`` for a garbled one."""
        name = parameter_name(user_pool_id, client_id, self._prefix)
        try:
            response = self._retry.call(lambda: self._ssm().get_parameter(Name=name))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ParameterNotFound":
                return None
            raise
        return _read_owner(name, str(response["Parameter"].get("Value", "")))

    def record(self, user_pool_id: str, client_id: str, owner: ResourceOwner, *, replacing: bool) -> None:
        """Write ``owner``; without ``replacing`` only if no owner exists (``ClaimConflict`` otherwise)."""
        name = parameter_name(user_pool_id, client_id, self._prefix)
        value = record_text(owner)
        try:
            self._retry.call(
                lambda: self._ssm().put_parameter(
                    Name=name,
                    Value=value,
                    Type="String",
                    Overwrite=replacing,
                    Description="Owner of this app client's OAuth settings (Custom::CognitoUserPoolClientSettings)",
                )
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ParameterAlreadyExists":
                raise ClaimConflict(name) from error
            raise

    def forget(self, user_pool_id: str, client_id: str) -> None:
        name = parameter_name(user_pool_id, client_id, self._prefix)
        try:
            self._retry.call(lambda: self._ssm().delete_parameter(Name=name))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ParameterNotFound":
                raise


# What an owner record holds instead of settings too large for a standard parameter.
_OMITTED = "omitted: larger than a standard parameter holds"


def owner_record_fits(owner: ResourceOwner) -> bool:
    """Whether the owner's record, with its settings, fits in a standard parameter."""
    return _OMITTED not in record_text(owner)


def _owner_value(record: dict[str, Any], owner: ResourceOwner) -> str:
    """The record as JSON, with the owner's settings when they fit in a standard parameter (checked before writing)."""
    if owner.settings is None and not owner.settings_omitted:
        return json.dumps(record)
    if owner.settings is not None:
        value = json.dumps({**record, "Settings": _settings_json(owner.settings)})
        if len(value.encode()) <= STANDARD_PARAMETER_MAX_BYTES:
            return value
    return json.dumps({**record, "Settings": _OMITTED})


def _settings_json(settings: OwnerSettings) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "CallbackURLs": list(settings.callback_urls),
        "LogoutURLs": list(settings.logout_urls),
        "AllowedOAuthFlows": list(settings.allowed_oauth_flows),
        "AllowedOAuthScopes": list(settings.allowed_oauth_scopes),
        "SupportedIdentityProviders": list(settings.supported_identity_providers),
    }
    if settings.default_redirect_uri is not None:
        fields["DefaultRedirectURI"] = settings.default_redirect_uri
    return fields


def _settings_from(raw: Any) -> OwnerSettings | None:
    if not isinstance(raw, dict):
        return None
    lists = {name: tuple(str(item) for item in raw.get(name) or ()) for name in _settings_json(OwnerSettings())}
    default = raw.get("DefaultRedirectURI")
    return OwnerSettings(
        callback_urls=lists["CallbackURLs"],
        logout_urls=lists["LogoutURLs"],
        default_redirect_uri=str(default) if default is not None else None,
        allowed_oauth_flows=lists["AllowedOAuthFlows"],
        allowed_oauth_scopes=lists["AllowedOAuthScopes"],
        supported_identity_providers=lists["SupportedIdentityProviders"],
    )


class OwnerRecords(Protocol):
    """What the resources need from the ownership store; ``SsmOwnerRecords`` is the real one."""

    def client_owner(self, user_pool_id: str, client_id: str) -> ResourceOwner | None: ...

    def record_client_owner(
        self, user_pool_id: str, client_id: str, owner: ResourceOwner, *, replacing: bool
    ) -> None: ...

    def forget_client_owner(self, user_pool_id: str, client_id: str) -> None: ...

    def domain_owner(self, user_pool_id: str, domain: str) -> ResourceOwner | None: ...

    def record_domain_owner(self, user_pool_id: str, domain: str, owner: ResourceOwner) -> None: ...

    def forget_domain_owner(self, user_pool_id: str, domain: str) -> None: ...


class SsmOwnerRecords:
    def __init__(self, retry: RetryPolicy, ssm: Callable[[], Any] = lambda: aws_client("ssm")) -> None:
        self._clients = _SsmRecords(ssm, retry)
        self._domains = _SsmRecords(ssm, retry, DOMAIN_PARAMETER_PREFIX)

    def client_owner(self, user_pool_id: str, client_id: str) -> ResourceOwner | None:
        return self._clients.owner(user_pool_id, client_id)

    def record_client_owner(self, user_pool_id: str, client_id: str, owner: ResourceOwner, *, replacing: bool) -> None:
        self._clients.record(user_pool_id, client_id, owner, replacing=replacing)

    def forget_client_owner(self, user_pool_id: str, client_id: str) -> None:
        self._clients.forget(user_pool_id, client_id)

    def domain_owner(self, user_pool_id: str, domain: str) -> ResourceOwner | None:
        return self._domains.owner(user_pool_id, domain)

    def record_domain_owner(self, user_pool_id: str, domain: str, owner: ResourceOwner) -> None:
        self._domains.record(user_pool_id, domain, owner, replacing=True)

    def forget_domain_owner(self, user_pool_id: str, domain: str) -> None:
        self._domains.forget(user_pool_id, domain)
