"""Owner records in Parameter Store that this function cannot read, against the double.

A garbled parameter is a person's to settle: the request is refused with a reason that
names the parameter and the fix, the client is neither written nor reset, and the
parameter stays.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest

from cognito_double.faithful_cognito import FaithfulCognito
from tests.support.harness import CloudFormation, UserPool

SETTINGS = "Custom::CognitoUserPoolClientSettings"
OAUTH = {"CallbackURLs": ["https://app.example.com/"], "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"]}


@pytest.fixture
def ssm(faithful: FaithfulCognito) -> Any:
    return boto3.client("ssm", region_name="us-east-1", endpoint_url=os.environ["AWS_ENDPOINT_URL"])


def garble(ssm: Any, pool: UserPool) -> str:
    name = f"/cognito-hosted-ui-resources/client-owners/{pool.id}/{pool.client_id}"
    ssm.put_parameter(Name=name, Value="owned by the notes team", Type="String")
    return name


def test_create_over_an_unreadable_owner_record_is_refused_naming_the_parameter(
    cfn: CloudFormation, pool: UserPool, cognito: Any, ssm: Any
) -> None:
    name = garble(ssm, pool)

    answer = cfn.send(cfn.events.create(SETTINGS, "S", {"UserPoolId": pool.id, "ClientId": pool.client_id, **OAUTH}))

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith(f"The owner record {name} in SSM Parameter Store cannot be read (not JSON)")
    client = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id)["UserPoolClient"]
    assert "CallbackURLs" not in client
    assert ssm.get_parameter(Name=name)["Parameter"]["Value"] == "owned by the notes team"


def test_delete_over_an_unreadable_owner_record_resets_nothing_and_keeps_the_parameter(
    cfn: CloudFormation, pool: UserPool, cognito: Any, ssm: Any
) -> None:
    properties = {"UserPoolId": pool.id, "ClientId": pool.client_id, **OAUTH}
    assert cfn.send(cfn.events.create(SETTINGS, "S", properties))["Status"] == "SUCCESS"
    ssm.delete_parameter(Name=f"/cognito-hosted-ui-resources/client-owners/{pool.id}/{pool.client_id}")
    name = garble(ssm, pool)

    answer = cfn.send(cfn.events.delete(SETTINGS, "S", pool.client_id, properties))

    assert answer["Status"] == "FAILED"
    assert name in answer["Reason"]
    client = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id)["UserPoolClient"]
    assert client["CallbackURLs"] == ["https://app.example.com/"]
    assert ssm.get_parameter(Name=name)["Parameter"]["Value"] == "owned by the notes team"


def test_too_many_updates_and_throttling_of_the_owner_record_are_retried(
    cfn: CloudFormation, pool: UserPool, faithful: FaithfulCognito, ssm: Any
) -> None:
    name = f"/cognito-hosted-ui-resources/client-owners/{pool.id}/{pool.client_id}"
    faithful.ssm.too_many_updates[name] = 2
    faithful.ssm.per_second = 1  # the read and the write of one Create meet the rate

    answer = cfn.send(cfn.events.create(SETTINGS, "S", {"UserPoolId": pool.id, "ClientId": pool.client_id, **OAUTH}))

    assert answer["Status"] == "SUCCESS", answer.get("Reason")
    assert faithful.ssm.too_many_updates[name] == 0
    faithful.ssm.enforced = False  # the test's own read
    assert "LogicalResourceId" in ssm.get_parameter(Name=name)["Parameter"]["Value"]
