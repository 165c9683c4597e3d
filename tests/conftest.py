"""Fixtures shared by every test: a local Cognito (moto server + faithful double, answered in
process for this process's own clients),
a local HTTPS "response bucket", and a harness that drives the handler the way
CloudFormation does. No traffic leaves 127.0.0.1; credentials are fake.
"""

from __future__ import annotations

import gc
import io
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION="us-east-1",
    AWS_REGION="us-east-1",
)
os.environ.pop("AWS_PROFILE", None)

from aws import clients as aws_clients
from cognito_double.clock import FakeClock
from cognito_double.faithful_cognito import FaithfulCognito
from cognito_double.in_process import answered_in_process
from cognito_double.moto_endpoint import MotoEndpoint, running_moto_endpoint
from local.cfn_events import EventFactory
from local.response_server import ResponseServer
from local.tls import write_loopback_certificate
from tests.support.clients import local_client
from tests.support.harness import TEST_CERTIFICATES, CloudFormation, UserPool, make_user_pool, ops_factory_for
from tests.support.polling import prepare_poll_group


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoEndpoint]:
    # This process's requests skip the wire (cognito_double/in_process.py); subprocesses use the URL.
    with running_moto_endpoint() as endpoint, answered_in_process(endpoint.url, endpoint.application):
        os.environ["AWS_ENDPOINT_URL"] = endpoint.url
        aws_clients.forget_clients()  # made again, for this endpoint, on first use
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
def clock() -> FakeClock:
    """The test's time: the double's domains and the handler's waits both follow it, and nobody sleeps."""
    return FakeClock()


@pytest.fixture
def faithful(moto_endpoint: MotoEndpoint, clock: FakeClock) -> FaithfulCognito:
    moto_endpoint.reset()
    prepare_poll_group()
    moto_endpoint.faithful.clock = clock.monotonic
    for arn in TEST_CERTIFICATES:
        moto_endpoint.faithful.issue_certificate(arn, "*.example.com", "example.com")
    return moto_endpoint.faithful


@pytest.fixture
def cognito(faithful: Any) -> Any:
    # No SDK retries: a test sees exactly what the service answered.
    return local_client("cognito-idp", single_attempt=True)


@pytest.fixture
def cfn(faithful: FaithfulCognito, response_server: ResponseServer, clock: FakeClock) -> CloudFormation:
    return CloudFormation(
        EventFactory(response_server.url_for), response_server, clock=clock, ops_factory=ops_factory_for(faithful)
    )


@pytest.fixture
def acm(faithful: FaithfulCognito) -> Any:
    """ACM in us-east-1, where every Cognito custom domain's certificate lives."""
    return local_client("acm")


@pytest.fixture
def pool(cognito: Any) -> UserPool:
    return make_user_pool(cognito)


@pytest.fixture
def other_pool(cognito: Any) -> UserPool:
    return make_user_pool(cognito, "other-users")


@pytest.fixture
def route53(faithful: FaithfulCognito) -> Any:
    """Route 53 (global), where a custom domain's validation and alias records live."""
    return local_client("route53")


@pytest.fixture
def provider_function(faithful: Any) -> str:
    """The provider function as it exists in AWS, so crhelper can grant EventBridge access to it."""
    endpoint = os.environ["AWS_ENDPOINT_URL"]
    iam = boto3.client("iam", endpoint_url=endpoint)
    role = iam.create_role(
        RoleName="provider-role",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            }
        ),
    )
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return None\n")
    boto3.client("lambda", endpoint_url=endpoint).create_function(
        FunctionName="cognito-resources-provider",
        Runtime="python3.13",
        Role=role["Role"]["Arn"],
        Handler="handler.handler",
        Code={"ZipFile": package.getvalue()},
    )
    return "cognito-resources-provider"


def pytest_collection_finish(session: pytest.Session) -> None:
    """What imports and collection made lives as long as the process: kept out of garbage collection.

    Each full collection would otherwise look at all of it again (moto, botocore's models,
    every test item), and pytest runs five when a worker ends: about a second of CPU per
    worker, now a third of that. Each test's own objects are collected as before.
    """
    gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest first (LPT scheduling): ``make unit`` hands tests out in this order.

    The slow tests go first, so each worker starts on one while the others run the quick
    ones. The tests without the double (tests/unit and tests/contract, a millisecond or so
    each) go last: a worker keeps a few tests queued, and at the end those are what is
    left, so the workers run out of work together instead of one finishing alone.
    """
    items.sort(key=_length_class)


def _length_class(item: pytest.Item) -> int:
    if item.get_closest_marker("slow") is not None:
        return 0
    return 2 if item.path.parent.name in ("unit", "contract") else 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Which Python the suite ran on, against the function's runtime (template.yaml's Runtime)."""
    import platform
    import re
    import sys

    runtime = re.search(r"Runtime: python(\d+\.\d+)", (Path(__file__).parents[1] / "template.yaml").read_text())
    used = f"{sys.version_info.major}.{sys.version_info.minor}"
    note = "" if runtime is None or runtime[1] == used else f", not the function's Python {runtime[1]}"
    terminalreporter.write_line(f"Tests ran on Python {platform.python_version()}{note}")
