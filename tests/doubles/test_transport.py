"""Lost answers (cognito_double/transport.py): a read or a write, dropped before or after it acted.

Through moto's server, so the client meets a closed connection the way botocore
meets one from AWS: ``ConnectionClosedError``, an ``HTTPClientError``.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ConnectionClosedError, HTTPClientError

from cognito_double.faithful_cognito import FaithfulCognito
from tests.support.harness import UserPool

NAME = "/cognito-hosted-ui-resources/client-owners/us-east-1_pool/client"


@pytest.fixture
def ssm(faithful: FaithfulCognito) -> Any:
    return boto3.client(
        "ssm", endpoint_url=os.environ["AWS_ENDPOINT_URL"], config=Config(retries={"total_max_attempts": 1})
    )


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


def test_a_dropped_cognito_write_still_happened(cognito: Any, pool: UserPool, faithful: FaithfulCognito) -> None:
    faithful.drop_connection("CreateUserPoolDomain", when="after")

    with pytest.raises(ConnectionClosedError):
        cognito.create_user_pool_domain(UserPoolId=pool.id, Domain="notes-dropped")

    assert cognito.describe_user_pool_domain(Domain="notes-dropped")["DomainDescription"]["UserPoolId"] == pool.id
