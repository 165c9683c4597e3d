"""Amazon Cognito operations with plain arguments and plain results.

Nothing in this module knows about CloudFormation: it is the one place that
calls Cognito, so the calls a change makes can be read (and counted) here.
Every call goes through a ``RetryPolicy``, so throttling is handled once.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from botocore.config import Config
from botocore.exceptions import ClientError

from retry import RetryPolicy

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

# Retries are ours (retry.py), bounded by the time the Lambda has left; botocore's
# own would stack on top of them. Short timeouts keep one stuck connection from
# eating the invocation.
_CLIENT_CONFIG = Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=20)
_client_lock = threading.Lock()
_client: CognitoIdentityProviderClient | None = None


def cognito_client() -> CognitoIdentityProviderClient:
    """One client per execution environment, made on first use.

    Made lazily so that importing the handler stays as cheap as importing boto3,
    and under a lock because creating clients from boto3's default session is
    not thread-safe. The endpoint comes from the standard AWS_ENDPOINT_URL
    setting when one is set (local development), from the region otherwise.
    """
    global _client
    with _client_lock:
        if _client is None:
            import boto3

            _client = boto3.client("cognito-idp", config=_CLIENT_CONFIG)
        return _client


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def error_message(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Message", ""))


@dataclass(frozen=True)
class DomainDescription:
    domain: str
    user_pool_id: str
    status: str
    cloudfront_distribution: str
    certificate_arn: str | None
    managed_login_version: int


def _domain_request(
    user_pool_id: str, domain: str, certificate_arn: str | None, managed_login_version: int
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "UserPoolId": user_pool_id,
        "Domain": domain,
        "ManagedLoginVersion": managed_login_version,
    }
    if certificate_arn is not None:
        request["CustomDomainConfig"] = {"CertificateArn": certificate_arn}
    return request


class CognitoOps:
    def __init__(self, client: CognitoIdentityProviderClient, retry: RetryPolicy) -> None:
        self._client = client
        self._retry = retry

    @property
    def region(self) -> str:
        return str(self._client.meta.region_name)

    # --- user pool domains -------------------------------------------------

    def describe_domain(self, domain: str) -> DomainDescription | None:
        """The domain, or ``None`` when no pool has it.

        Cognito answers an unknown domain with an empty DomainDescription rather
        than an error (API reference, DescribeUserPoolDomain).
        """
        response = self._retry.call(lambda: self._client.describe_user_pool_domain(Domain=domain))
        description = cast(dict[str, Any], response.get("DomainDescription") or {})
        if not description.get("UserPoolId"):
            return None
        return DomainDescription(
            domain=str(description.get("Domain", domain)),
            user_pool_id=str(description["UserPoolId"]),
            status=str(description.get("Status", "")),
            cloudfront_distribution=str(description.get("CloudFrontDistribution") or ""),
            certificate_arn=(description.get("CustomDomainConfig") or {}).get("CertificateArn"),
            managed_login_version=int(description.get("ManagedLoginVersion") or 1),
        )

    def create_domain(
        self, user_pool_id: str, domain: str, certificate_arn: str | None, managed_login_version: int
    ) -> None:
        request = _domain_request(user_pool_id, domain, certificate_arn, managed_login_version)
        self._retry.call(lambda: self._client.create_user_pool_domain(**request))

    def update_domain(
        self, user_pool_id: str, domain: str, certificate_arn: str | None, managed_login_version: int
    ) -> None:
        # A custom domain must be sent with its CustomDomainConfig on every update,
        # or Cognito answers "Cannot convert custom domain to prefix domain".
        request = _domain_request(user_pool_id, domain, certificate_arn, managed_login_version)
        self._retry.call(lambda: self._client.update_user_pool_domain(**request))

    def delete_domain(self, user_pool_id: str, domain: str) -> None:
        self._retry.call(lambda: self._client.delete_user_pool_domain(UserPoolId=user_pool_id, Domain=domain))

    # --- app clients --------------------------------------------------------

    def describe_client(self, user_pool_id: str, client_id: str) -> dict[str, Any] | None:
        """The app client as DescribeUserPoolClient returns it; ``None`` if it or its pool is gone."""
        try:
            response = self._retry.call(
                lambda: self._client.describe_user_pool_client(UserPoolId=user_pool_id, ClientId=client_id)
            )
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return None
            raise
        return dict(cast(Mapping[str, Any], response["UserPoolClient"]))

    def replace_client(self, user_pool_id: str, client_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Write the complete client configuration; what ``fields`` leaves out gets its default.

        UpdateUserPoolClient does not merge (API reference: "If you don't provide
        a value for an attribute, Amazon Cognito sets it to its default value"),
        so callers pass everything they want to keep.
        """
        # DescribeUserPoolClient also returns fields that UpdateUserPoolClient refuses
        # (ClientSecret, CreationDate, LastModifiedDate): keep exactly what the
        # update accepts, as the service model lists it.
        input_shape = self._client.meta.service_model.operation_model("UpdateUserPoolClient").input_shape
        writable = input_shape.members if input_shape is not None else {}
        request = {key: value for key, value in fields.items() if key in writable}
        request.update(UserPoolId=user_pool_id, ClientId=client_id)
        response = self._retry.call(lambda: self._client.update_user_pool_client(**request))
        return dict(cast(Mapping[str, Any], response["UserPoolClient"]))

    def identity_provider_names(self, user_pool_id: str) -> frozenset[str]:
        names: set[str] = set()
        next_token: str | None = None
        while True:
            page_args: dict[str, Any] = {"UserPoolId": user_pool_id, "MaxResults": 60}
            if next_token:
                page_args["NextToken"] = next_token
            page = self._retry.call(partial(self._client.list_identity_providers, **page_args))
            names.update(provider["ProviderName"] for provider in page.get("Providers", []))
            next_token = page.get("NextToken")
            if not next_token:
                return frozenset(names)

    def resource_server_scopes(self, user_pool_id: str) -> frozenset[str]:
        """Every custom scope of the pool, spelled ``identifier/scope`` as clients use them."""
        scopes: set[str] = set()
        next_token: str | None = None
        while True:
            page_args: dict[str, Any] = {"UserPoolId": user_pool_id, "MaxResults": 50}
            if next_token:
                page_args["NextToken"] = next_token
            page = self._retry.call(partial(self._client.list_resource_servers, **page_args))
            for server in page.get("ResourceServers", []):
                scopes.update(f"{server['Identifier']}/{scope['ScopeName']}" for scope in server.get("Scopes", []))
            next_token = page.get("NextToken")
            if not next_token:
                return frozenset(scopes)
