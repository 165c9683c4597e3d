"""The double's Parameter Store rules (cognito_double/ssm.py), checked through the AWS API, on the double's clock."""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from cognito_double.clock import FakeClock
from cognito_double.faithful_cognito import FaithfulCognito

NAME = "/cognito-hosted-ui-resources/client-owners/us-east-1_pool/client"


@pytest.fixture
def ssm(faithful: FaithfulCognito) -> Any:
    """Parameter Store without SDK retries: a test sees exactly what was answered."""
    return boto3.client(
        "ssm", endpoint_url=os.environ["AWS_ENDPOINT_URL"], config=Config(retries={"total_max_attempts": 1})
    )


def code_of(call: Any, **kwargs: Any) -> str:
    try:
        call(**kwargs)
    except ClientError as error:
        return str(error.response["Error"]["Code"])
    return "ok"


def test_puts_past_the_throughput_are_throttled_until_a_second_passes(
    ssm: Any, faithful: FaithfulCognito, clock: FakeClock
) -> None:
    faithful.ssm.enforced = True

    codes = [code_of(ssm.put_parameter, Name=f"{NAME}{n}", Value="v", Type="String") for n in range(4)]

    assert codes == ["ok", "ok", "ok", "ThrottlingException"]
    assert faithful.ssm.per_second == 3
    clock.advance(1.0)
    assert code_of(ssm.put_parameter, Name=f"{NAME}3", Value="v", Type="String") == "ok"


@pytest.mark.parametrize("operation", ["get_parameter", "delete_parameter"])
def test_reads_and_deletes_have_their_own_window(
    ssm: Any, faithful: FaithfulCognito, clock: FakeClock, operation: str
) -> None:
    ssm.put_parameter(Name=NAME, Value="v", Type="String")
    faithful.ssm.enforced, faithful.ssm.per_second, faithful.ssm.reads_per_second = True, 1, 1

    assert code_of(getattr(ssm, operation), Name=NAME) == "ok"
    assert code_of(getattr(ssm, operation), Name=NAME) == "ThrottlingException"


def test_reads_have_the_documented_throughput_of_forty_a_second(ssm: Any, faithful: FaithfulCognito) -> None:
    ssm.put_parameter(Name=NAME, Value="v", Type="String")
    faithful.ssm.enforced = True

    answers = [code_of(ssm.get_parameter, Name=NAME) for _ in range(41)]

    assert answers[:40] == ["ok"] * 40
    assert answers[40] == "ThrottlingException"


def test_a_throttled_put_did_not_write(ssm: Any, faithful: FaithfulCognito) -> None:
    faithful.ssm.enforced, faithful.ssm.per_second = True, 1
    ssm.put_parameter(Name=f"{NAME}a", Value="v", Type="String")

    assert code_of(ssm.put_parameter, Name=f"{NAME}b", Value="v", Type="String") == "ThrottlingException"
    faithful.ssm.enforced = False
    assert code_of(ssm.get_parameter, Name=f"{NAME}b") == "ParameterNotFound"


def test_the_next_puts_of_a_parameter_can_answer_too_many_updates(ssm: Any, faithful: FaithfulCognito) -> None:
    ssm.put_parameter(Name=NAME, Value="first", Type="String")
    faithful.ssm.too_many_updates[NAME] = 2

    for _ in range(2):
        assert code_of(ssm.put_parameter, Name=NAME, Value="second", Type="String", Overwrite=True) == "TooManyUpdates"
    assert ssm.get_parameter(Name=NAME)["Parameter"]["Value"] == "first"
    ssm.put_parameter(Name=NAME, Value="second", Type="String", Overwrite=True)


@pytest.mark.parametrize(("tier", "fits", "too_big"), [("Standard", 4096, 4097), ("Intelligent-Tiering", 8192, 8193)])
def test_a_value_over_its_tiers_size_is_refused(
    ssm: Any, faithful: FaithfulCognito, tier: str, fits: int, too_big: int
) -> None:
    faithful.ssm.enforced = False

    assert code_of(ssm.put_parameter, Name=NAME, Value="v" * fits, Type="String", Tier=tier) == "ok"
    refused = code_of(ssm.put_parameter, Name=f"{NAME}b", Value="v" * too_big, Type="String", Tier=tier)

    assert refused == "ValidationException"
