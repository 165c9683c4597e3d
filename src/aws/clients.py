"""The boto3 clients, one per service and region per execution environment, made on first use.

Made lazily so that importing the handler stays as cheap as importing boto3, and
under a lock because creating clients from boto3's default session is not
thread-safe. The endpoint comes from the standard AWS_ENDPOINT_URL setting when one
is set (local development), from the region otherwise.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, cast

from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

# Retries are ours (aws/retry.py), bounded by the time the Lambda has left; botocore's
# own would stack on top of them. Short timeouts keep one stuck connection from
# eating the invocation.
CLIENT_CONFIG = Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=20)
# Cognito developer guide, "Using your own domain": the certificate of a custom
# domain must be in ACM in US East (N. Virginia), whatever the pool's region.
CERTIFICATE_REGION = "us-east-1"
_client_lock = threading.Lock()
_clients: dict[str, Any] = {}


def aws_client(service: str, region: str | None = None) -> Any:
    key = f"{service}@{region or ''}"
    with _client_lock:
        if key not in _clients:
            import boto3

            _clients[key] = boto3.client(service, region_name=region, config=CLIENT_CONFIG)  # type: ignore[call-overload]
        return _clients[key]


def forget_clients() -> None:
    """Drop the cached clients (the endpoint changed: tests, local runs)."""
    with _client_lock:
        _clients.clear()


def cognito_client() -> CognitoIdentityProviderClient:
    return cast("CognitoIdentityProviderClient", aws_client("cognito-idp"))
