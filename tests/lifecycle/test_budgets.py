"""Time and call budgets: promises that make bench used to print as rows, asserted here instead.

Each runs on the test's fake clock (the double's waits take no real time), so a budget
is exact: what the handler slept before answering, and the calls it made.
"""

from __future__ import annotations

from typing import Any

from cognito_double.clock import FakeClock
from tests.support.harness import CloudFormation, UserPool

DOMAIN = "Custom::CognitoUserPoolDomain"
CERTIFICATE = "Custom::CognitoDomainCertificate"
# crhelper's default: Delete sleeps 120 s before answering; the function turns it off.
CRHELPER_SLEEP_ON_DELETE = 120.0


def test_a_domain_delete_is_answered_without_crhelpers_sleep(
    cfn: CloudFormation, pool: UserPool, faithful: Any, clock: FakeClock
) -> None:
    props = {"UserPoolId": pool.id, "Domain": "notes-budget"}
    assert cfn.send(cfn.events.create(DOMAIN, "D", props))["Status"] == "SUCCESS"
    slept = clock.slept

    answer = cfn.send(cfn.events.delete(DOMAIN, "D", "notes-budget", props))

    assert answer["Status"] == "SUCCESS"
    # It waits for the domain to be gone (DELETING in the double), and no longer.
    assert clock.slept - slept < faithful.deletion_delay + 2.0 < CRHELPER_SLEEP_ON_DELETE


def test_a_prefix_change_in_one_pool_waits_only_for_cognito_and_makes_few_calls(
    cfn: CloudFormation, pool: UserPool, faithful: Any, clock: FakeClock
) -> None:
    # Real Cognito holds the pool's one prefix slot while the old domain is DELETING.
    faithful.deletion_delay = 3.0
    old = {"UserPoolId": pool.id, "Domain": "notes-budget"}
    new = {**old, "Domain": "notes-budget-b"}
    assert cfn.send(cfn.events.create(DOMAIN, "D", old))["Status"] == "SUCCESS"
    faithful.calls.clear()
    slept = clock.slept

    answer = cfn.send(cfn.events.update(DOMAIN, "D", "notes-budget", new, old))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    floor = faithful.deletion_delay + faithful.prefix_domain_delay
    assert floor <= clock.slept - slept < floor + 3.0
    # The minimum: check the new name, delete, see the old one gone, create, see the new one ACTIVE.
    # A look every second or so while the old one is DELETING adds a few: at most 10 for 3 s.
    assert len(faithful.calls) <= 10, faithful.calls


def test_a_certificate_is_answered_within_seconds_of_being_issued(
    cfn: CloudFormation, faithful: Any, route53: Any, clock: FakeClock
) -> None:
    faithful.certificates.validation_delay = 3.0
    zone_id = str(route53.create_hosted_zone(Name="example.net", CallerReference="budget")["HostedZone"]["Id"])
    zone_id = zone_id.rsplit("/", maxsplit=1)[-1]
    parent = {"Name": "example.net.", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "192.0.2.10"}]}
    route53.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": parent}]}
    )
    slept = clock.slept

    answer = cfn.send(cfn.events.create(CERTIFICATE, "C", {"DomainName": "auth.example.net", "HostedZoneId": zone_id}))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    # ISSUED 3 s after the validation record is written; answered within 10 s of that.
    assert 3.0 <= clock.slept - slept < 3.0 + 10.0
