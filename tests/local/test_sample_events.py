"""events/*.json (for `sam local invoke -e`) are CloudFormation-shaped and work against the handler."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cfn.response_url_guard import response_url_problem
from tests.support.harness import CloudFormation, UserPool

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "events").glob("*.json"))
REQUIRED = {
    "RequestType",
    "ServiceToken",
    "ResponseURL",
    "StackId",
    "RequestId",
    "LogicalResourceId",
    "ResourceType",
    "ResourceProperties",
}


def scalars_are_strings(value: Any) -> bool:
    if isinstance(value, dict):
        return all(scalars_are_strings(v) for v in value.values())
    if isinstance(value, list):
        return all(scalars_are_strings(v) for v in value)
    return isinstance(value, str)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_event_is_shaped_like_cloudformations(path: Path) -> None:
    event = json.loads(path.read_text())

    assert set(event) >= REQUIRED
    assert ("PhysicalResourceId" in event) == (event["RequestType"] != "Create")
    assert ("OldResourceProperties" in event) == (event["RequestType"] == "Update")
    assert scalars_are_strings(event["ResourceProperties"])
    assert response_url_problem(event["ResponseURL"], None) is None


def test_sample_events_cover_every_resource_type() -> None:
    events = [json.loads(p.read_text()) for p in SAMPLES]

    assert {(e["ResourceType"], e["RequestType"]) for e in events} == {
        (t, r)
        for t in ("Custom::CognitoUserPoolDomain", "Custom::CognitoUserPoolClientSettings")
        for r in ("Create", "Update", "Delete")
    } | {("Custom::CognitoDomainCertificate", "Create")}
    assert len({e["RequestId"] for e in events}) == len(events)


def test_sample_events_run_in_order_against_a_real_pool(cfn: CloudFormation, pool: UserPool) -> None:
    order = ["domain-create", "domain-update-in-place", "client-settings-create", "client-settings-update",
             "client-settings-delete", "domain-delete"]  # fmt: skip
    for name in order:
        text = (ROOT / "events" / f"{name}.json").read_text()
        event = json.loads(
            text.replace("us-east-1_EXAMPLE01", pool.id).replace("1example23456789abcdefghij", pool.client_id)
        )
        event["ResponseURL"] = cfn.responses.url_for(event["RequestId"])

        answer = cfn.send(event)

        assert answer["Status"] == "SUCCESS", f"{name}: {answer['Reason']}"


def test_the_certificate_sample_event_runs_against_a_hosted_zone(cfn: CloudFormation, route53: Any, acm: Any) -> None:
    zone_id = str(route53.create_hosted_zone(Name="example.net", CallerReference="sample")["HostedZone"]["Id"])
    zone_id = zone_id.rsplit("/", maxsplit=1)[-1]
    parent = {"Name": "example.net.", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "192.0.2.10"}]}
    route53.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": parent}]}
    )
    event = json.loads((ROOT / "events" / "certificate-create.json").read_text().replace("Z0EXAMPLE0ZONE01", zone_id))
    event["ResponseURL"] = cfn.responses.url_for(event["RequestId"])

    answer = cfn.send(event)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    certificate = acm.describe_certificate(CertificateArn=answer["PhysicalResourceId"])["Certificate"]
    assert certificate["DomainName"] == "auth.example.net"
