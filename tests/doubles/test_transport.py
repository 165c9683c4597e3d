"""Lost answers (cognito_double/transport.py): a read or a write, dropped before or after it acted.

The client meets a closed connection the way botocore meets one from AWS,
``ConnectionClosedError`` (an ``HTTPClientError``): through moto's server on
127.0.0.1, and answered in process (cognito_double/in_process.py), as most tests are.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ConnectionClosedError, HTTPClientError

from cognito_double.faithful_cognito import FaithfulCognito
from cognito_double.in_process import over_the_wire
from tests.support.harness import UserPool

NAME = "/cognito-hosted-ui-resources/client-owners/us-east-1_pool/client"


@pytest.fixture(params=["in process", "over the wire"])
def route(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def client(service: str, route: str) -> Any:
    made = boto3.client(  # type: ignore[call-overload]
        service, endpoint_url=os.environ["AWS_ENDPOINT_URL"], config=Config(retries={"total_max_attempts": 1})
    )
    return over_the_wire(made) if route == "over the wire" else made


@pytest.fixture
def ssm(faithful: FaithfulCognito, route: str) -> Any:
    return client("ssm", route)


@pytest.mark.parametrize(("when", "written"), [("before", False), ("after", True)])
def test_a_write_dropped_before_or_after_it_acted(
    ssm: Any, faithful: FaithfulCognito, when: str, written: bool
) -> None:
    faithful.drop_connection("PutParameter", when=when)  # type: ignore[arg-type]

    with pytest.raises(ConnectionClosedError) as raised:
        ssm.put_parameter(Name=NAME, Value="v", Type="String")

    assert isinstance(raised.value, HTTPClientError)
    assert bool(ssm.get_parameters(Names=[NAME])["Parameters"]) is written


def test_a_read_dropped_is_answered_on_the_next_call(cognito: Any, pool: UserPool, faithful: FaithfulCognito) -> None:
    cognito.create_user_pool_domain(UserPoolId=pool.id, Domain="notes-dropped")
    faithful.drop_connection("DescribeUserPoolDomain", times=2)

    for _ in range(2):
        with pytest.raises(ConnectionClosedError):
            cognito.describe_user_pool_domain(Domain="notes-dropped")

    assert cognito.describe_user_pool_domain(Domain="notes-dropped")["DomainDescription"]["UserPoolId"] == pool.id


def test_a_dropped_cognito_write_still_happened(pool: UserPool, faithful: FaithfulCognito, route: str) -> None:
    cognito = client("cognito-idp", route)
    faithful.drop_connection("CreateUserPoolDomain", when="after")

    with pytest.raises(ConnectionClosedError):
        cognito.create_user_pool_domain(UserPoolId=pool.id, Domain="notes-dropped")

    assert cognito.describe_user_pool_domain(Domain="notes-dropped")["DomainDescription"]["UserPoolId"] == pool.id
