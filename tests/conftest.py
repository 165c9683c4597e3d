"""Fixtures shared by every test: a local Cognito (moto server + faithful double),
a local HTTPS "response bucket", and a harness that drives the handler the way
CloudFormation does. No traffic leaves 127.0.0.1; credentials are fake.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION="us-east-1",
    AWS_REGION="us-east-1",
)
os.environ.pop("AWS_PROFILE", None)

import cognito_ops
import handler
from local.cfn_events import EventFactory
from local.lambda_context import FakeLambdaContext
from local.response_server import ResponseServer
from local.tls import write_loopback_certificate
from tests.support.moto_endpoint import MotoEndpoint, running_moto_endpoint


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoEndpoint]:
    with running_moto_endpoint() as endpoint:
        os.environ["AWS_ENDPOINT_URL"] = endpoint.url
        cognito_ops._client = None  # made again, for this endpoint, on first use
        yield endpoint
        os.environ.pop("AWS_ENDPOINT_URL", None)


@pytest.fixture(scope="session")
def response_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ResponseServer]:
    cert_path, key_path = write_loopback_certificate(Path(tmp_path_factory.mktemp("tls")))
    os.environ["AWS_CA_BUNDLE"] = str(cert_path)
    server = ResponseServer(cert_path, key_path).start()
    yield server
    server.stop()
    os.environ.pop("AWS_CA_BUNDLE", None)


@pytest.fixture
def faithful(moto_endpoint: MotoEndpoint) -> Any:
    moto_endpoint.reset()
    return moto_endpoint.faithful


@pytest.fixture
def cognito(faithful: Any) -> Any:
    # No SDK retries: a test sees exactly what the service answered.
    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=os.environ["AWS_ENDPOINT_URL"],
        config=Config(retries={"total_max_attempts": 1}),
    )


@dataclass
class CloudFormation:
    """Sends events to the handler and reads the answer back from the response URL."""

    events: EventFactory
    responses: ResponseServer

    def send(self, event: dict[str, Any], timeout_seconds: float = 300.0) -> dict[str, Any]:
        handler.handler(event, FakeLambdaContext(timeout_seconds=timeout_seconds))
        answers = self.responses.answers_for(event["RequestId"])
        assert len(answers) == 1, f"expected exactly one answer, got {answers}"
        return answers[0]

    def invoke(self, event: dict[str, Any], timeout_seconds: float = 300.0) -> list[dict[str, Any]]:
        """Invoke without expecting an answer (polling, refused requests); return what was sent."""
        handler.handler(event, FakeLambdaContext(timeout_seconds=timeout_seconds))
        return self.responses.answers_for(event["RequestId"])


@pytest.fixture
def cfn(faithful: Any, response_server: ResponseServer) -> CloudFormation:
    return CloudFormation(EventFactory(response_server.url_for), response_server)


@dataclass
class UserPool:
    id: str
    client_id: str
    arn: str


def make_user_pool(cognito: Any, name: str = "notes-users", generate_secret: bool = False) -> UserPool:
    pool = cognito.create_user_pool(PoolName=name, UsernameAttributes=["email"], AutoVerifiedAttributes=["email"])
    pool_id = pool["UserPool"]["Id"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=f"{name}-client",
        GenerateSecret=generate_secret,
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED",
    )
    return UserPool(pool_id, client["UserPoolClient"]["ClientId"], pool["UserPool"]["Arn"])


@pytest.fixture
def pool(cognito: Any) -> UserPool:
    return make_user_pool(cognito)


@pytest.fixture
def other_pool(cognito: Any) -> UserPool:
    return make_user_pool(cognito, "other-users")
