"""The tests' own boto3 clients, one per service and endpoint per worker.

A client costs a few milliseconds to make and holds nothing of a test's (moto's
state is reset per test, not the client), so the fixtures share them.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import boto3
from botocore.config import Config

# No SDK retries: a test sees exactly what the service answered.
SINGLE_ATTEMPT = Config(retries={"total_max_attempts": 1})


@functools.cache
def _client(service: str, endpoint_url: str, region: str, single_attempt: bool) -> Any:
    config = SINGLE_ATTEMPT if single_attempt else None
    return boto3.client(service, region_name=region, endpoint_url=endpoint_url, config=config)  # type: ignore[call-overload]


def local_client(service: str, region: str = "us-east-1", single_attempt: bool = False) -> Any:
    """A client of the local endpoint (``AWS_ENDPOINT_URL``), made once and shared."""
    return _client(service, os.environ["AWS_ENDPOINT_URL"], region, single_attempt)
