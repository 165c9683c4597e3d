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
from dataclasses import dataclass
from typing import Any, Protocol

from botocore.exceptions import ClientError

from aws.clients import aws_client
from aws.retry import RetryPolicy

PARAMETER_PREFIX = "/cognito-hosted-ui-resources/client-owners"
# The same kind of record for the domains a resource made: an Update never takes over a
# domain of the pool that it cannot prove it made (README, "Custom::CognitoUserPoolDomain").
DOMAIN_PARAMETER_PREFIX = "/cognito-hosted-ui-resources/domain-owners"


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

    def is_resource(self, other: ResourceOwner) -> bool:
        """The same settings resource (stack and logical id), whatever else the records hold."""
        return (self.stack_id, self.logical_id) == (other.stack_id, other.logical_id)

    @property
    def stack_name(self) -> str:
        """``arn:aws:cloudformation:<region>:<account>:stack/<name>/<guid>`` -> ``<name>``."""
        parts = self.stack_id.split("/")
        return parts[1] if len(parts) > 2 else self.stack_id


# A record this function writes is a few hundred characters; anything much longer is not one.
MAX_RECORD_CHARS = 2048


def parameter_name(user_pool_id: str, client_id: str, prefix: str = PARAMETER_PREFIX) -> str:
    return f"{prefix}/{user_pool_id}/{client_id}"


class ClaimConflict(Exception):
    """Someone else recorded an owner between our read and our write; read again."""


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
    if len(value) > MAX_RECORD_CHARS:
        raise UnreadableOwnerRecord(name, f"{len(value)} characters, larger than any owner record")
    try:
        record = json.loads(value)
    except ValueError:
        raise UnreadableOwnerRecord(name, "not JSON") from None
    fields = ("StackId", "LogicalResourceId", "CreatedBrandingId", "PreviousLogicalResourceId")
    required_present = isinstance(record, dict) and all(record.get(key) for key in fields[:2])
    if not required_present or not all(isinstance(record.get(key, ""), str) for key in fields):
        raise UnreadableOwnerRecord(name, "not an object with the strings StackId and LogicalResourceId")
    return ResourceOwner(*(str(record.get(key, "")) for key in fields))


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
        record = {"StackId": owner.stack_id, "LogicalResourceId": owner.logical_id}
        if owner.created_branding_id:
            record["CreatedBrandingId"] = owner.created_branding_id
        if owner.previous_logical_id:
            record["PreviousLogicalResourceId"] = owner.previous_logical_id
        value = json.dumps(record)
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
