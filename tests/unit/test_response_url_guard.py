"""Only CloudFormation's pre-signed S3 URLs are answered (and loopback while developing locally)."""

from __future__ import annotations

import pytest

from aws.partitions import partitions
from cfn.response_url_guard import response_url_problem, without_query

S3_URL = (
    "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/"
    "arn%3Aaws%3Acloudformation/abc?X-Amz-Signature=deadbeef"
)


# The forms real CloudFormation events carry, as published in public sample events
# (see the module docstring of response_url_guard for where each was seen).
@pytest.mark.parametrize(
    "url",
    [
        S3_URL,
        "https://cloudformation-custom-resource-response-uswest2.s3-us-west-2.amazonaws.com/arn%3Aaws?Signature=x",
        "https://cloudformation-custom-resource-response-euwest1.s3-eu-west-1.amazonaws.com/arn%3Aaws",
        "HTTPS://CloudFormation-Custom-Resource-Response-UsEast1.S3.AmazonAWS.com/x",
        # Path-style addresses of the same bucket.
        "https://s3.amazonaws.com/cloudformation-custom-resource-response-useast1/arn%3Aaws",
        "https://s3-us-west-2.amazonaws.com/cloudformation-custom-resource-response-uswest2/arn%3Aaws",
        "https://s3.us-west-2.amazonaws.com/cloudformation-custom-resource-response-uswest2/arn%3Aaws",
        # Partitions come from botocore's data: the European Sovereign Cloud (amazonaws.eu).
        "https://cloudformation-custom-resource-response-euscdeeast1.s3.eusc-de-east-1.amazonaws.eu/x",
        "https://cloudformation-custom-resource-response-euwest1.s3.eu-west-1.amazonaws.com/x?sig=1",
        "https://cloudformation-custom-resource-response-cnnorth1.s3.cn-north-1.amazonaws.com.cn/x",
        "https://cloudformation-custom-resource-response-usgovwest1.s3-us-gov-west-1.amazonaws.com/x",
        "https://cloudformation-custom-resource-response-useast1.s3-external-1.amazonaws.com:443/x",
    ],
)
def test_s3_urls_of_every_partition_are_accepted(url: str) -> None:
    assert response_url_problem(url, None) is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x", "not an HTTPS URL"),
        ("https://evil.example.com/x", "not on an Amazon S3 host"),
        ("https://s3.amazonaws.com.evil.example.com/x", "not on an Amazon S3 host"),
        ("https://ec2.us-east-1.amazonaws.com/x", "not on an Amazon S3 host"),
        ("https://user:pw@bucket.s3.amazonaws.com/x", "carries credentials"),
        ("https://bucket.s3.amazonaws.com:8443/x", "non-standard port"),
        ("https://127.0.0.1:8443/x", "loopback"),
        ("https://[::1]:8443/x", "loopback"),
        ("", "no ResponseURL"),
        ("https://[::1/x", "not a valid URL"),
        ("https://[abc/x", "not a valid URL"),
        # Any other bucket, even on a real S3 endpoint.
        ("https://my-bucket.s3.amazonaws.com/x?X-Amz-Signature=s", "not in CloudFormation's response bucket"),
        ("https://s3.us-west-2.amazonaws.com/my-bucket/x", "not in CloudFormation's response bucket"),
        ("https://cloudformation-custom-resource-response-useast1-x.s3.amazonaws.com/x", "response bucket"),
        ("https://cloudformation-custom-resource-response-uswest2.s3.us-east-1.amazonaws.com/x", "for that region"),
        ("https://cloudformation-custom-resource-response-nowhere1.s3.amazonaws.com/x", "for that region"),
        # Hosts that merely have an "s3" label.
        ("https://cloudformation-custom-resource-response-useast1.s3.elb.amazonaws.com/x", "not on an Amazon S3"),
        ("https://s3.elb.amazonaws.com/cloudformation-custom-resource-response-useast1/x", "not on an Amazon S3"),
        ("https://cloudformation-custom-resource-response-useast1.s3.evil.com/x", "not on an Amazon S3 host"),
        ("https://s3.evil.com/cloudformation-custom-resource-response-useast1/x", "not on an Amazon S3 host"),
        ("https://x.s3.amazonaws.com.evil.com/cloudformation-custom-resource-response-useast1/x", "Amazon S3 host"),
        ("https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com./x", "not on an Amazon S3"),
    ],
)
def test_anything_else_is_refused(url: str, problem: str) -> None:
    reason = response_url_problem(url, None)

    assert reason is not None
    assert problem in reason


def test_non_string_url_is_refused() -> None:
    assert response_url_problem(["https://bucket.s3.amazonaws.com/"], None) == "the event has no ResponseURL"


def test_loopback_is_accepted_only_with_a_local_endpoint() -> None:
    url = "https://127.0.0.1:8443/responses/1?X-Amz-Signature=x"

    assert response_url_problem(url, "http://127.0.0.1:5000") is None
    assert response_url_problem(url, "http://localhost:5000") is None
    assert response_url_problem(url, "https://cognito-idp.us-east-1.amazonaws.com") is not None
    assert response_url_problem(url.replace("https", "http"), "http://127.0.0.1:5000") is not None


def test_logged_form_drops_the_pre_signature() -> None:
    assert without_query(S3_URL) == S3_URL.split("?", maxsplit=1)[0]
    assert "deadbeef" not in without_query(S3_URL)


def test_logged_form_of_a_malformed_url_does_not_raise() -> None:
    assert without_query("https://[abc/x?X-Amz-Signature=deadbeef") == "<not a valid URL>"


def test_partitions_are_read_from_botocore_once() -> None:
    suffixes = {partition.dns_suffix for partition in partitions()}

    assert {"amazonaws.com", "amazonaws.com.cn", "amazonaws.eu"} <= suffixes
    assert partitions() is partitions()
