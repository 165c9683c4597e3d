"""``AdoptExisting`` and ``RetainOnDelete`` on the domain and the certificate, against the double.

Each test asserts what CloudFormation was told and what exists after. Client settings
are covered in test_custom_branding.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.lifecycle.test_certificate_lifecycle import (
    CERTIFICATE,
    cert_props,
    certificate_exists,
    cnames,
    send,
    upsert,
)
from tests.support.harness import CloudFormation, UserPool

DOMAIN = "Custom::CognitoUserPoolDomain"


@pytest.fixture
def zone(route53: Any) -> str:
    """example.net, with the A record its parent domain needs."""
    zone_id = str(route53.create_hosted_zone(Name="example.net", CallerReference="retain")["HostedZone"]["Id"])
    zone_id = zone_id.rsplit("/", maxsplit=1)[-1]
    upsert(route53, zone_id, "example.net.", "A", "192.0.2.10")
    return zone_id


def domains_of(faithful: Any, pool: UserPool) -> dict[str, Any]:
    return {record.domain: record for record in faithful.domains_of("us-east-1", pool.id)}


def test_a_console_made_domain_of_the_pool_is_refused_then_adopted_and_made_to_match(
    cfn: CloudFormation, pool: UserPool, cognito: Any, faithful: Any
) -> None:
    cognito.create_user_pool_domain(UserPoolId=pool.id, Domain="notes-console", ManagedLoginVersion=1)
    wanted = {"UserPoolId": pool.id, "Domain": "notes-console", "ManagedLoginVersion": "2"}

    refused = cfn.send(cfn.events.create(DOMAIN, "D", wanted))
    adopted = cfn.send(cfn.events.create(DOMAIN, "D", {**wanted, "AdoptExisting": "true"}))

    assert refused["Status"] == "FAILED"
    assert "set AdoptExisting: true" in refused["Reason"]
    assert "import" not in refused["Reason"]
    assert adopted["Status"] == "SUCCESS", adopted["Reason"]
    assert adopted["PhysicalResourceId"] == "notes-console"
    assert adopted["Data"]["ManagedLoginVersion"] == "2"
    assert domains_of(faithful, pool)["notes-console"].managed_login_version == 2


def test_another_pools_domain_is_never_adopted(
    cfn: CloudFormation, pool: UserPool, other_pool: UserPool, cognito: Any, faithful: Any
) -> None:
    cognito.create_user_pool_domain(UserPoolId=other_pool.id, Domain="notes-theirs")

    answer = cfn.send(
        cfn.events.create(DOMAIN, "D", {"UserPoolId": pool.id, "Domain": "notes-theirs", "AdoptExisting": "true"})
    )

    assert answer["Status"] == "FAILED"
    assert "already used by another user pool" in answer["Reason"]
    assert set(domains_of(faithful, other_pool)) == {"notes-theirs"}


def test_retain_on_delete_leaves_the_domain(cfn: CloudFormation, pool: UserPool, faithful: Any) -> None:
    properties = {"UserPoolId": pool.id, "Domain": "notes-kept", "RetainOnDelete": "true"}
    assert cfn.send(cfn.events.create(DOMAIN, "D", properties))["Status"] == "SUCCESS"

    deleted = cfn.send(cfn.events.delete(DOMAIN, "D", "notes-kept", properties))

    assert deleted["Status"] == "SUCCESS"
    assert domains_of(faithful, pool)["notes-kept"].status == "ACTIVE"


def test_retain_on_delete_leaves_the_certificate_and_its_record(
    cfn: CloudFormation, zone: str, acm: Any, route53: Any
) -> None:
    properties = {**cert_props("auth.example.net", zone), "RetainOnDelete": "true"}
    arn = send(cfn, cfn.events.create(CERTIFICATE, "DomainCertificate", properties))["PhysicalResourceId"]
    records = cnames(route53, zone)

    send(cfn, cfn.events.delete(CERTIFICATE, "DomainCertificate", arn, properties))

    assert certificate_exists(acm, arn)
    assert cnames(route53, zone) == records != []
