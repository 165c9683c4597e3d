"""The double's Route 53 rules (cognito_double/route53.py), checked through the AWS API."""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from cognito_double.faithful_cognito import FaithfulCognito


def zone(route53: Any) -> str:
    created = route53.create_hosted_zone(Name="example.net", CallerReference="test-route53")
    return str(created["HostedZone"]["Id"]).split("/")[-1]


def change(route53: Any, zone_id: str, action: str, value: str, ttl: int = 300) -> None:
    record = {"Name": "_x.example.net.", "Type": "CNAME", "TTL": ttl, "ResourceRecords": [{"Value": value}]}
    route53.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Changes": [{"Action": action, "ResourceRecordSet": record}]}
    )


def refusal(call: Any, *args: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call(*args)
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


@pytest.fixture
def route53_once(faithful: FaithfulCognito) -> Any:
    """Route 53 without SDK retries: a test sees exactly what was answered."""
    return boto3.client(
        "route53", endpoint_url=os.environ["AWS_ENDPOINT_URL"], config=Config(retries={"total_max_attempts": 1})
    )


def test_a_delete_with_other_values_is_refused_and_the_record_stays(route53_once: Any) -> None:
    zone_id = zone(route53_once)
    change(route53_once, zone_id, "CREATE", "_a.acm-validations.aws.")

    assert refusal(change, route53_once, zone_id, "DELETE", "_b.acm-validations.aws.") == (
        "InvalidChangeBatch",
        "Tried to delete resource record set [name='_x.example.net.', type='CNAME'] "
        "but the values provided do not match the current values",
    )
    assert refusal(change, route53_once, zone_id, "DELETE", "_a.acm-validations.aws.", 60)[0] == "InvalidChangeBatch"
    change(route53_once, zone_id, "DELETE", "_a.acm-validations.aws.")


def test_a_delete_of_a_record_that_is_not_there_is_refused(route53_once: Any) -> None:
    zone_id = zone(route53_once)

    assert refusal(change, route53_once, zone_id, "DELETE", "_a.acm-validations.aws.") == (
        "InvalidChangeBatch",
        "Tried to delete resource record set [name='_x.example.net.', type='CNAME'] but it was not found",
    )


@pytest.mark.parametrize(
    ("knob", "code"), [("prior_request_not_complete", "PriorRequestNotComplete"), ("throttled", "Throttling")]
)
def test_the_next_changes_can_be_refused_without_acting(
    route53_once: Any, faithful: FaithfulCognito, knob: str, code: str
) -> None:
    zone_id = zone(route53_once)
    setattr(faithful.route53, knob, 2)

    for _ in range(2):
        assert refusal(change, route53_once, zone_id, "CREATE", "_a.acm-validations.aws.")[0] == code
    change(route53_once, zone_id, "CREATE", "_a.acm-validations.aws.")
