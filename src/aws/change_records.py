"""Changes in flight, kept in SSM Parameter Store: what a slow change is doing, between invocations.

A poll carries only a reference to one of these records, so nothing a caller puts in
an event can tell the function what to touch. The record also holds the pre-signed
ResponseURL, so it is a SecureString encrypted with the AWS managed key ``aws/ssm``,
which "grants Decrypt permission to all IAM principals in the AWS account" (Systems
Manager user guide, "Restricting access to Parameter Store parameters"): no KMS
statement is needed. Intelligent-Tiering keeps a record that outgrows a standard
parameter's 4 KB (an advanced one holds 8 KB) working instead of failing the change.

    /cognito-hosted-ui-resources/changes/<resource key>/<change id>
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from botocore.exceptions import ClientError

from aws.clients import aws_client
from aws.retry import RetryPolicy

CHANGES_PREFIX = "/cognito-hosted-ui-resources/changes"
ADVANCED_PARAMETER_MAX_BYTES = 8192


class ChangeRecords(Protocol):
    """Where changes in flight are kept; ``SsmChangeRecords`` is the real one."""

    def save(self, resource_key: str, change_id: str, document: str) -> None: ...

    def load(self, resource_key: str, change_id: str) -> str | None: ...

    def forget(self, resource_key: str, change_id: str) -> None: ...

    def change_ids(self, resource_key: str) -> list[str]: ...


def change_parameter(resource_key: str, change_id: str = "") -> str:
    return f"{CHANGES_PREFIX}/{resource_key}" + (f"/{change_id}" if change_id else "")


class SsmChangeRecords:
    def __init__(self, retry: RetryPolicy, ssm: Callable[[], Any] = lambda: aws_client("ssm")) -> None:
        self._retry = retry
        self._ssm = ssm

    def save(self, resource_key: str, change_id: str, document: str) -> None:
        # An advanced parameter holds 8 KB (Systems Manager user guide, "Managing parameter
        # tiers"); moto takes more, so the limit is checked here, before the write.
        if len(document.encode()) > ADVANCED_PARAMETER_MAX_BYTES:
            raise ValueError(
                f"the change's record would be {len(document.encode())} bytes, over Parameter Store's "
                f"{ADVANCED_PARAMETER_MAX_BYTES}"
            )
        # Repeatable: an overwrite with the same value lands in the same state.
        self._retry.call(
            lambda: self._ssm().put_parameter(
                Name=change_parameter(resource_key, change_id),
                Value=document,
                Type="SecureString",
                Tier="Intelligent-Tiering",
                Overwrite=True,
                Description="A change of a Cognito custom resource in flight (removed when it is answered)",
            )
        )

    def load(self, resource_key: str, change_id: str) -> str | None:
        name = change_parameter(resource_key, change_id)
        try:
            response = self._retry.call(lambda: self._ssm().get_parameter(Name=name, WithDecryption=True))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ParameterNotFound":
                return None
            raise
        return str(response["Parameter"]["Value"])

    def forget(self, resource_key: str, change_id: str) -> None:
        name = change_parameter(resource_key, change_id)
        try:
            self._retry.call(lambda: self._ssm().delete_parameter(Name=name))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ParameterNotFound":
                raise

    def change_ids(self, resource_key: str) -> list[str]:
        """The ids of every change of one resource that is still recorded."""
        path = change_parameter(resource_key)
        names: list[str] = []
        token: str | None = None
        while True:
            arguments: dict[str, Any] = {"Path": path, "Recursive": False, "MaxResults": 10}
            if token:
                arguments["NextToken"] = token
            page = self._page(arguments)
            names.extend(str(parameter["Name"]).rsplit("/", 1)[-1] for parameter in page.get("Parameters", []))
            token = page.get("NextToken")
            if not token:
                return names

    def _page(self, arguments: dict[str, Any]) -> Any:
        return self._retry.call(lambda: self._ssm().get_parameters_by_path(**arguments))
