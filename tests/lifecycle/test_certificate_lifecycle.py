"""``Custom::CognitoDomainCertificate`` with the domain that uses it, as template.yaml runs them, against the double.

The double keeps a DNS-validated certificate PENDING_VALIDATION until its record
is in the zone, refuses to delete a certificate a custom domain still uses, and
keeps custom domains CREATING and DELETING for a while (cognito_double/acm.py, route53.py
and docs/design/double.md cite the sources). Each sequence is one that CloudFormation
sends for the stack, and each test checks what CloudFormation was told and what
exists in ACM, Route 53 and Cognito after.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_double.clock import FakeClock
from cognito_double.faithful_cognito import FaithfulCognito
from local.cfn_events import STACK_ID
from tests.support.harness import CloudFormation, UserPool
from tests.support.polling import scheduled_polls

CERTIFICATE = "Custom::CognitoDomainCertificate"
DOMAIN = "Custom::CognitoUserPoolDomain"
GIVEN_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/99999999-8888-4777-8666-555555555555"


@pytest.fixture
def zone(route53: Any) -> str:
    """example.net, with the A record its parent domain needs."""
    zone_id = str(route53.create_hosted_zone(Name="example.net", CallerReference="lifecycle")["HostedZone"]["Id"])
    zone_id = zone_id.rsplit("/", maxsplit=1)[-1]
    upsert(route53, zone_id, "example.net.", "A", "192.0.2.10")
    return zone_id


def upsert(route53: Any, zone_id: str, name: str, record_type: str, value: str) -> None:
    record = {"Name": name, "Type": record_type, "TTL": 300, "ResourceRecords": [{"Value": value}]}
    route53.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": record}]}
    )


def send(cfn: CloudFormation, event: dict[str, Any]) -> dict[str, Any]:
    answer = cfn.send(event)
    assert answer["Status"] == "SUCCESS", answer.get("Reason")
    return answer


def cert_props(name: str, zone_id: str) -> dict[str, str]:
    return {"DomainName": name, "HostedZoneId": zone_id}


def domain_props(pool: UserPool, name: str, arn: str) -> dict[str, str]:
    return {"UserPoolId": pool.id, "Domain": name, "CertificateArn": arn}


def cnames(route53: Any, zone_id: str) -> list[str]:
    records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return sorted(r["Name"] for r in records if r["Type"] == "CNAME")


def certificate_exists(acm: Any, arn: str) -> bool:
    try:
        acm.describe_certificate(CertificateArn=arn)
    except ClientError:
        return False
    return True


def create_both(cfn: CloudFormation, pool: UserPool, zone_id: str, name: str) -> tuple[str, str]:
    """The stack's Create: the certificate, then the domain that uses it. (certificate ARN, domain)."""
    arn = send(cfn, cfn.events.create(CERTIFICATE, "DomainCertificate", cert_props(name, zone_id)))
    domain = send(cfn, cfn.events.create(DOMAIN, "HostedUIDomain", domain_props(pool, name, arn["PhysicalResourceId"])))
    return arn["PhysicalResourceId"], domain["PhysicalResourceId"]


def test_create_requests_a_dns_validated_certificate_and_the_domain_uses_it(
    cfn: CloudFormation, pool: UserPool, zone: str, acm: Any, route53: Any, cognito: Any
) -> None:
    answer = send(cfn, cfn.events.create(CERTIFICATE, "DomainCertificate", cert_props("auth.example.net", zone)))
    arn = answer["PhysicalResourceId"]
    send(cfn, cfn.events.create(DOMAIN, "HostedUIDomain", domain_props(pool, "auth.example.net", arn)))

    assert answer["Data"]["CertificateArn"] == arn
    assert arn.startswith("arn:aws:acm:us-east-1:")
    details = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert (details["DomainName"], details["Status"]) == ("auth.example.net", "ISSUED")
    tags = {t["Key"]: t["Value"] for t in acm.list_tags_for_certificate(CertificateArn=arn)["Tags"]}
    assert tags["cognito-hosted-ui-resources:stack-id"] == STACK_ID
    assert cnames(route53, zone) == [details["DomainValidationOptions"][0]["ResourceRecord"]["Name"]]
    described = cognito.describe_user_pool_domain(Domain="auth.example.net")["DomainDescription"]
    assert (described["Status"], described["CustomDomainConfig"]["CertificateArn"]) == ("ACTIVE", arn)


def test_create_is_refused_before_any_write_when_the_parent_in_the_zone_has_no_a_record(
    cfn: CloudFormation, route53: Any, acm: Any, faithful: FaithfulCognito
) -> None:
    zone_id = str(route53.create_hosted_zone(Name="example.org", CallerReference="no-a")["HostedZone"]["Id"])
    zone_id = zone_id.rsplit("/", maxsplit=1)[-1]
    faithful.resolvable.discard("example.org")

    answer = cfn.send(cfn.events.create(CERTIFICATE, "DomainCertificate", cert_props("auth.example.org", zone_id)))

    assert answer["Status"] == "FAILED"
    assert "add a record named example.org of type A to that zone" in answer["Reason"]
    requested = [c["DomainName"] for c in acm.list_certificates()["CertificateSummaryList"]]
    assert "auth.example.org" not in requested
    assert cnames(route53, zone_id) == []


def test_update_with_a_new_name_requests_a_new_certificate_before_the_domain_moves_and_cleanup_removes_the_old(
    cfn: CloudFormation, pool: UserPool, zone: str, acm: Any, route53: Any, cognito: Any
) -> None:
    old_arn, old_domain = create_both(cfn, pool, zone, "auth.example.net")
    old_cert, new_cert = cert_props("auth.example.net", zone), cert_props("login.example.net", zone)

    new_arn = send(cfn, cfn.events.update(CERTIFICATE, "DomainCertificate", old_arn, new_cert, old_cert))
    new_arn_id = new_arn["PhysicalResourceId"]
    moved = send(
        cfn,
        cfn.events.update(
            DOMAIN,
            "HostedUIDomain",
            old_domain,
            domain_props(pool, "login.example.net", new_arn_id),
            domain_props(pool, "auth.example.net", old_arn),
        ),
    )
    # Cleanup: the old domain, then the old certificate.
    send(cfn, cfn.events.delete(DOMAIN, "HostedUIDomain", old_domain, domain_props(pool, "auth.example.net", old_arn)))
    send(cfn, cfn.events.delete(CERTIFICATE, "DomainCertificate", old_arn, old_cert))

    assert new_arn_id != old_arn
    assert moved["PhysicalResourceId"] == "login.example.net"
    assert not certificate_exists(acm, old_arn)
    assert acm.describe_certificate(CertificateArn=new_arn_id)["Certificate"]["Status"] == "ISSUED"
    assert cognito.describe_user_pool_domain(Domain="auth.example.net")["DomainDescription"] == {}
    assert len(cnames(route53, zone)) == 1
    assert cnames(route53, zone)[0].endswith(".login.example.net.")


def test_rollback_of_a_new_name_leaves_the_previous_name_working_with_its_certificate(
    cfn: CloudFormation, pool: UserPool, zone: str, acm: Any, route53: Any, cognito: Any
) -> None:
    old_arn, old_domain = create_both(cfn, pool, zone, "auth.example.net")
    old_cert, new_cert = cert_props("auth.example.net", zone), cert_props("login.example.net", zone)
    new_arn = send(cfn, cfn.events.update(CERTIFICATE, "DomainCertificate", old_arn, new_cert, old_cert))[
        "PhysicalResourceId"
    ]
    old_props, new_props = (
        domain_props(pool, "auth.example.net", old_arn),
        domain_props(pool, "login.example.net", new_arn),
    )
    send(cfn, cfn.events.update(DOMAIN, "HostedUIDomain", old_domain, new_props, old_props))

    # A later resource failed: CloudFormation updates both back, then deletes the new ones.
    cert_back = send(cfn, cfn.events.update(CERTIFICATE, "DomainCertificate", new_arn, old_cert, new_cert))
    domain_back = send(cfn, cfn.events.update(DOMAIN, "HostedUIDomain", "login.example.net", old_props, new_props))
    send(cfn, cfn.events.delete(DOMAIN, "HostedUIDomain", "login.example.net", new_props))
    send(cfn, cfn.events.delete(CERTIFICATE, "DomainCertificate", new_arn, new_cert))

    assert cert_back["PhysicalResourceId"] == old_arn
    assert domain_back["PhysicalResourceId"] == "auth.example.net"
    described = cognito.describe_user_pool_domain(Domain="auth.example.net")["DomainDescription"]
    assert (described["Status"], described["CustomDomainConfig"]["CertificateArn"]) == ("ACTIVE", old_arn)
    assert not certificate_exists(acm, new_arn)
    assert acm.describe_certificate(CertificateArn=old_arn)["Certificate"]["Status"] == "ISSUED"
    assert len(cnames(route53, zone)) == 1
    assert cnames(route53, zone)[0].endswith(".auth.example.net.")


def test_delete_waits_while_cognito_still_holds_the_certificate_then_removes_it_and_its_record(
    cfn: CloudFormation, pool: UserPool, zone: str, acm: Any, route53: Any, cognito: Any, faithful: FaithfulCognito,
    clock: FakeClock,
) -> None:  # fmt: skip
    arn, domain = create_both(cfn, pool, zone, "auth.example.net")
    faithful.deletion_delay = 120.0
    cognito.delete_user_pool_domain(UserPoolId=pool.id, Domain=domain)  # DELETING for two minutes
    started = clock.monotonic()

    send(cfn, cfn.events.delete(CERTIFICATE, "DomainCertificate", arn, cert_props("auth.example.net", zone)))

    assert clock.monotonic() - started >= 120.0
    assert not certificate_exists(acm, arn)
    assert cnames(route53, zone) == []


def test_delete_of_the_stack_removes_domain_certificate_and_record(
    cfn: CloudFormation, pool: UserPool, zone: str, acm: Any, route53: Any, cognito: Any
) -> None:
    arn, domain = create_both(cfn, pool, zone, "auth.example.net")

    send(cfn, cfn.events.delete(DOMAIN, "HostedUIDomain", domain, domain_props(pool, domain, arn)))
    send(cfn, cfn.events.delete(CERTIFICATE, "DomainCertificate", arn, cert_props("auth.example.net", zone)))

    assert cognito.describe_user_pool_domain(Domain=domain)["DomainDescription"] == {}
    assert not certificate_exists(acm, arn)
    assert cnames(route53, zone) == []


def test_delete_leaves_a_certificate_this_resource_did_not_request_alone(
    cfn: CloudFormation, zone: str, acm: Any, faithful: FaithfulCognito
) -> None:
    faithful.issue_certificate(GIVEN_CERT, "auth.example.net")

    send(cfn, cfn.events.delete(CERTIFICATE, "DomainCertificate", GIVEN_CERT, cert_props("auth.example.net", zone)))

    assert certificate_exists(acm, GIVEN_CERT)


def test_a_certificate_still_validating_when_the_invocation_ends_is_answered_by_a_later_poll(
    cfn: CloudFormation, zone: str, acm: Any, faithful: FaithfulCognito, clock: FakeClock
) -> None:
    # ACM validation can take minutes: the same wait-then-poll hand-over as a custom domain.
    faithful.certificates.validation_delay = 600.0
    event = cfn.events.create(CERTIFICATE, "DomainCertificate", cert_props("auth.example.net", zone))

    assert cfn.invoke(event, timeout_seconds=27) == [], "not answered while PENDING_VALIDATION"
    assert len(scheduled_polls()) == 1
    clock.advance(60)
    assert cfn.fire_due_polls() == [], "still validating: the poll hands over again"
    clock.advance(600)
    (answer,) = cfn.fire_due_polls()

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert acm.describe_certificate(CertificateArn=answer["PhysicalResourceId"])["Certificate"]["Status"] == "ISSUED"
    assert answer["Data"]["CertificateArn"] == answer["PhysicalResourceId"]
    assert scheduled_polls() == []


def test_delete_leaves_a_validation_record_someone_changed_and_says_so(
    cfn: CloudFormation, pool: UserPool, zone: str, acm: Any, route53: Any, caplog: pytest.LogCaptureFixture
) -> None:
    arn, domain = create_both(cfn, pool, zone, "auth.example.net")
    send(cfn, cfn.events.delete(DOMAIN, "HostedUIDomain", domain, domain_props(pool, domain, arn)))
    (record_name,) = cnames(route53, zone)
    upsert(route53, zone, record_name, "CNAME", "someone-else.example.org.")  # changed by hand

    send(cfn, cfn.events.delete(CERTIFICATE, "DomainCertificate", arn, cert_props("auth.example.net", zone)))

    assert not certificate_exists(acm, arn)
    assert cnames(route53, zone) == [record_name]
    assert any("so someone changed it" in r.getMessage() for r in caplog.records)


def test_route53_refusing_a_change_before_acting_is_retried(
    cfn: CloudFormation, zone: str, acm: Any, route53: Any, faithful: FaithfulCognito
) -> None:
    faithful.route53.prior_request_not_complete = 2
    faithful.route53.throttled = 1

    answer = send(cfn, cfn.events.create(CERTIFICATE, "DomainCertificate", cert_props("auth.example.net", zone)))

    assert acm.describe_certificate(CertificateArn=answer["PhysicalResourceId"])["Certificate"]["Status"] == "ISSUED"
    assert (faithful.route53.prior_request_not_complete, faithful.route53.throttled) == (0, 0)


# --- issue 20: one validation record per name, ACM's delay, tokens, rotation ------------


@pytest.fixture(params=["new-certificate", "same-arn"])
def reuse_after_delete(request: pytest.FixtureRequest, faithful: FaithfulCognito) -> str:
    """What ACM returns for a token reused within the hour after its certificate was deleted: unknown, so both."""
    faithful.certificates.reuse_after_delete = request.param
    return str(request.param)


def finish_by_polls(cfn: CloudFormation, clock: FakeClock, event: dict[str, Any]) -> dict[str, Any]:
    """Invoke, then let Scheduler fire the hand-over's polls minute by minute until one answers."""
    answers = cfn.invoke(event, timeout_seconds=60)
    for _ in range(70):
        if answers:
            break
        clock.advance(60)
        answers = cfn.fire_due_polls()
    (answer,) = answers
    return answer


def test_a_renamed_logical_id_keeps_the_validation_record_its_new_certificate_shares(
    cfn: CloudFormation, zone: str, acm: Any, route53: Any, reuse_after_delete: str
) -> None:
    props = cert_props("auth.example.net", zone)
    old = send(cfn, cfn.events.create(CERTIFICATE, "DomainCertificate", props))["PhysicalResourceId"]
    # The template renames the resource: CloudFormation creates the new one, then deletes the old.
    new = send(cfn, cfn.events.create(CERTIFICATE, "SignInCertificate", props))["PhysicalResourceId"]
    records_before = cnames(route53, zone)

    send(cfn, cfn.events.delete(CERTIFICATE, "DomainCertificate", old, props))

    assert new != old
    assert not certificate_exists(acm, old)
    assert cnames(route53, zone) == records_before != []
    assert acm.describe_certificate(CertificateArn=new)["Certificate"]["Status"] == "ISSUED"


def test_delete_keeps_the_validation_record_a_certificate_requested_elsewhere_for_the_name_needs(
    cfn: CloudFormation, zone: str, acm: Any, route53: Any, caplog: pytest.LogCaptureFixture, clock: FakeClock
) -> None:
    props = cert_props("auth.example.net", zone)
    ours = send(cfn, cfn.events.create(CERTIFICATE, "DomainCertificate", props))["PhysicalResourceId"]
    theirs = acm.request_certificate(DomainName="auth.example.net", ValidationMethod="DNS")["CertificateArn"]
    clock.advance(60)  # requested a while ago: ACM lists it

    send(cfn, cfn.events.delete(CERTIFICATE, "DomainCertificate", ours, props))

    assert not certificate_exists(acm, ours)
    assert len(cnames(route53, zone)) == 1
    assert any(theirs in r.getMessage() and "still needs it" in r.getMessage() for r in caplog.records)


def test_create_waits_while_acm_does_not_find_the_certificate_just_requested(
    cfn: CloudFormation, zone: str, acm: Any, faithful: FaithfulCognito
) -> None:
    faithful.certificates.describe_not_found_for = 8.0

    answer = send(cfn, cfn.events.create(CERTIFICATE, "DomainCertificate", cert_props("auth.example.net", zone)))

    assert acm.describe_certificate(CertificateArn=answer["PhysicalResourceId"])["Certificate"]["Status"] == "ISSUED"


def test_create_fails_clearly_when_acm_never_finds_the_certificate_it_requested(
    cfn: CloudFormation, zone: str, faithful: FaithfulCognito
) -> None:
    faithful.certificates.describe_not_found_for = 600.0

    answer = cfn.send(cfn.events.create(CERTIFICATE, "DomainCertificate", cert_props("auth.example.net", zone)))

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("ACM did not find certificate arn:aws:acm:us-east-1:")


def test_create_again_within_the_hour_after_a_delete_gets_a_new_certificate(
    cfn: CloudFormation, zone: str, acm: Any, route53: Any, reuse_after_delete: str
) -> None:
    props = cert_props("auth.example.net", zone)
    first = send(cfn, cfn.events.create(CERTIFICATE, "DomainCertificate", props))["PhysicalResourceId"]
    send(cfn, cfn.events.delete(CERTIFICATE, "DomainCertificate", first, props))

    again = send(cfn, cfn.events.create(CERTIFICATE, "DomainCertificate", props))["PhysicalResourceId"]

    assert again != first
    assert acm.describe_certificate(CertificateArn=again)["Certificate"]["Status"] == "ISSUED"
    assert len(cnames(route53, zone)) == 1


def test_cleanup_after_a_rotation_waits_while_cognito_holds_the_old_certificate_then_removes_it(
    cfn: CloudFormation, pool: UserPool, zone: str, acm: Any, route53: Any, faithful: FaithfulCognito,
    clock: FakeClock, cognito: Any,
) -> None:  # fmt: skip
    faithful.certificates.rotation_hold = 300.0  # five polls: enough to show the wait spans several
    arn, domain = create_both(cfn, pool, zone, "auth.example.net")
    faithful.issue_certificate(GIVEN_CERT, "auth.example.net")
    # CustomDomainCertificateArn given: the domain moves to it in place, and the
    # certificate resource leaves the template (its Delete comes in the cleanup).
    moved = domain_props(pool, "auth.example.net", GIVEN_CERT)
    started = clock.monotonic()  # the hold starts with the update
    rotated = send(cfn, cfn.events.update(DOMAIN, "HostedUIDomain", domain, moved, domain_props(pool, domain, arn)))

    answer = finish_by_polls(
        cfn, clock, cfn.events.delete(CERTIFICATE, "DomainCertificate", arn, cert_props("auth.example.net", zone))
    )

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert clock.monotonic() - started >= 300.0
    assert rotated["PhysicalResourceId"] == domain
    described = cognito.describe_user_pool_domain(Domain="auth.example.net")["DomainDescription"]
    assert (described["Status"], described["CustomDomainConfig"]["CertificateArn"]) == ("ACTIVE", GIVEN_CERT)
    assert not certificate_exists(acm, arn)
    assert certificate_exists(acm, GIVEN_CERT)
    assert cnames(route53, zone) == []


def test_cleanup_after_a_rotation_leaves_a_certificate_still_in_use_at_its_deadline_and_says_so(
    cfn: CloudFormation, pool: UserPool, zone: str, acm: Any, route53: Any, faithful: FaithfulCognito,
    clock: FakeClock, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    faithful.certificates.rotation_hold = 3600.0
    arn, domain = create_both(cfn, pool, zone, "auth.example.net")
    faithful.issue_certificate(GIVEN_CERT, "auth.example.net")
    moved = domain_props(pool, "auth.example.net", GIVEN_CERT)
    send(cfn, cfn.events.update(DOMAIN, "HostedUIDomain", domain, moved, domain_props(pool, domain, arn)))

    # A ServiceTimeout of 10 minutes: the deadline comes after ten polls, not sixty.
    props = cert_props("auth.example.net", zone) | {"ServiceTimeout": "600"}
    answer = finish_by_polls(cfn, clock, cfn.events.delete(CERTIFICATE, "DomainCertificate", arn, props))

    # A FAILED cleanup Delete would leave the stack UPDATE_COMPLETE_CLEANUP_FAILED for good.
    assert answer["Status"] == "SUCCESS"
    assert answer["Reason"].startswith(f"Certificate {arn} is still in use by Cognito, so it was left in ACM")
    tags = {t["Key"]: t["Value"] for t in acm.list_tags_for_certificate(CertificateArn=arn)["Tags"]}
    assert tags["cognito-hosted-ui-resources:logical-id"] == "DomainCertificate"
    assert len(cnames(route53, zone)) == 1
    assert any("aws acm delete-certificate" in r.getMessage() for r in caplog.records)
