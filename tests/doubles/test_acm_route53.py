"""The double's ACM and Route 53 rules (cognito_double/acm.py, route53.py), checked through the AWS API."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_double.clock import FakeClock
from cognito_double.faithful_cognito import FaithfulCognito
from tests.support.harness import CERT, UserPool


def make_zone(route53: Any, name: str, private: bool = False) -> str:
    arguments: dict[str, Any] = {"Name": name, "CallerReference": f"test-{name}-{private}"}
    if private:
        arguments.update(
            VPC={"VPCRegion": "us-east-1", "VPCId": "vpc-12345678"}, HostedZoneConfig={"PrivateZone": True}
        )
    return str(route53.create_hosted_zone(**arguments)["HostedZone"]["Id"]).split("/")[-1]


def write(route53: Any, zone_id: str, name: str, record_type: str, value: str, action: str = "UPSERT") -> None:
    change = {
        "Action": action,
        "ResourceRecordSet": {"Name": name, "Type": record_type, "TTL": 300, "ResourceRecords": [{"Value": value}]},
    }
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [change]})


def request(acm: Any, name: str) -> str:
    return str(acm.request_certificate(DomainName=name, ValidationMethod="DNS")["CertificateArn"])


def validation_record(acm: Any, arn: str) -> dict[str, str]:
    (option,) = acm.describe_certificate(CertificateArn=arn)["Certificate"]["DomainValidationOptions"]
    return dict(option["ResourceRecord"])


def status(acm: Any, arn: str) -> str:
    return str(acm.describe_certificate(CertificateArn=arn)["Certificate"]["Status"])


def test_dns_certificate_stays_pending_until_its_record_is_in_the_zone_then_issues_after_the_delay(
    acm: Any, route53: Any, faithful: FaithfulCognito, clock: FakeClock
) -> None:
    zone_id = make_zone(route53, "example.net")
    arn = request(acm, "auth.example.net")
    clock.advance(3600)

    assert status(acm, arn) == "PENDING_VALIDATION"
    record = validation_record(acm, arn)
    write(route53, zone_id, record["Name"], "CNAME", record["Value"])
    clock.advance(faithful.certificates.validation_delay - 0.5)
    assert status(acm, arn) == "PENDING_VALIDATION"
    clock.advance(1.0)
    assert status(acm, arn) == "ISSUED"


def test_each_name_has_its_own_cname_under_acm_validations(
    acm: Any, faithful: FaithfulCognito, clock: FakeClock
) -> None:
    first, second = request(acm, "auth.example.net"), request(acm, "login.example.net")
    clock.advance(faithful.certificates.record_missing_for)

    one, two = validation_record(acm, first), validation_record(acm, second)
    assert one["Type"] == two["Type"] == "CNAME"
    assert one["Name"].startswith("_")
    assert one["Name"].endswith(".auth.example.net.")
    assert one["Value"].endswith(".acm-validations.aws.")
    assert one != two


def test_a_record_with_another_value_or_in_a_private_zone_does_not_validate(
    acm: Any, route53: Any, faithful: FaithfulCognito, clock: FakeClock
) -> None:
    public_zone, private_zone = make_zone(route53, "example.net"), make_zone(route53, "example.net", private=True)
    arn = request(acm, "auth.example.net")
    clock.advance(faithful.certificates.record_missing_for)
    record = validation_record(acm, arn)
    write(route53, private_zone, record["Name"], "CNAME", record["Value"])
    write(route53, public_zone, record["Name"], "CNAME", "_somebody-else.acm-validations.aws.")
    clock.advance(3600)

    assert status(acm, arn) == "PENDING_VALIDATION"


def test_certificate_of_a_custom_domain_cannot_be_deleted_until_the_domain_is_gone(
    acm: Any, cognito: Any, pool: UserPool, faithful: FaithfulCognito, clock: FakeClock
) -> None:
    cognito.create_user_pool_domain(
        UserPoolId=pool.id, Domain="auth.example.com", CustomDomainConfig={"CertificateArn": CERT}
    )
    clock.advance(60)

    def delete_refused() -> str:
        with pytest.raises(ClientError) as raised:
            acm.delete_certificate(CertificateArn=CERT)
        return str(raised.value.response["Error"]["Code"])

    assert delete_refused() == "ResourceInUseException"
    cognito.delete_user_pool_domain(UserPoolId=pool.id, Domain="auth.example.com")
    assert delete_refused() == "ResourceInUseException"  # DELETING: the distribution still holds it
    clock.advance(faithful.deletion_delay + 1)
    acm.delete_certificate(CertificateArn=CERT)
    with pytest.raises(ClientError):
        acm.describe_certificate(CertificateArn=CERT)


def test_an_a_record_in_a_public_zone_makes_the_parent_resolve_for_a_custom_domain(
    acm: Any, route53: Any, cognito: Any, pool: UserPool, faithful: FaithfulCognito, clock: FakeClock
) -> None:
    zone_id = make_zone(route53, "example.net")
    arn = faithful.issue_certificate(
        "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-4333-8444-555555555555", "auth.example.net"
    )
    assert not faithful.resolves("example.net")
    with pytest.raises(ClientError, match="Was not able to resolve a DNS A record"):
        cognito.create_user_pool_domain(
            UserPoolId=pool.id, Domain="auth.example.net", CustomDomainConfig={"CertificateArn": arn}
        )

    write(route53, zone_id, "example.net.", "A", "192.0.2.10")

    assert faithful.resolves("example.net")
    cognito.create_user_pool_domain(
        UserPoolId=pool.id, Domain="auth.example.net", CustomDomainConfig={"CertificateArn": arn}
    )
