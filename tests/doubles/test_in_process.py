"""Requests answered in process (cognito_double/in_process.py): the same answers as over 127.0.0.1, no socket."""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest
import urllib3.util.connection
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.exceptions import ClientError

from cognito_double.in_process import answer_in_process, over_the_wire
from cognito_double.moto_endpoint import MotoEndpoint
from tests.support.harness import UserPool


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every TCP connection urllib3 opens while the test runs."""
    opened: list[Any] = []
    create_connection = urllib3.util.connection.create_connection

    def counting(address: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(address)
        return create_connection(address, *args, **kwargs)

    monkeypatch.setattr("urllib3.connection.connection.create_connection", counting)
    return opened


def cognito_client(wire: bool) -> Any:
    made = boto3.client("cognito-idp", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    return over_the_wire(made) if wire else made


def test_an_answer_in_process_is_the_answer_over_the_wire_without_a_connection(
    pool: UserPool, connections: list[Any]
) -> None:
    in_process = cognito_client(wire=False).describe_user_pool(UserPoolId=pool.id)["UserPool"]
    assert connections == []

    over_the_wire = cognito_client(wire=True).describe_user_pool(UserPoolId=pool.id)["UserPool"]
    assert len(connections) == 1
    assert in_process == over_the_wire


def test_a_refusal_in_process_is_the_service_error(faithful: Any) -> None:
    with pytest.raises(ClientError) as raised:
        cognito_client(wire=False).describe_user_pool(UserPoolId="us-east-1_Missing01")

    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_streamed_body_reads_in_process(faithful: Any, connections: list[Any]) -> None:
    s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"], config=Config(s3={"addressing_style": "path"}))
    s3.create_bucket(Bucket="branding-assets")
    s3.put_object(Bucket="branding-assets", Key="logo.svg", Body=b"<svg/>")

    assert s3.get_object(Bucket="branding-assets", Key="logo.svg")["Body"].read() == b"<svg/>"
    assert connections == []


def failing_application(environ: dict[str, Any], start_response: Any) -> Any:
    raise KeyError("a bug in the double")


def request(url: str) -> Any:
    return AWSRequest(method="POST", url=url, data=b"{}", headers={"X-Amz-Target": b"Service.Operation"}).prepare()


def test_an_exception_in_the_endpoint_is_answered_500_as_its_server_answers_it() -> None:
    before_send = answer_in_process("http://127.0.0.1:1", failing_application)

    answer = before_send(request("http://127.0.0.1:1/"))

    assert answer is not None
    assert answer.status_code == 500


def test_a_request_for_another_url_is_left_to_the_wire(moto_endpoint: MotoEndpoint) -> None:
    before_send = answer_in_process(moto_endpoint.url, moto_endpoint.application)

    assert before_send(request("https://cognito-idp.us-east-1.amazonaws.com/")) is None
