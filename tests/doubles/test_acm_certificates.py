"""The double's ACM request rules (cognito_double/acm.py): records per name, the delay, tokens, rotation."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_double.clock import FakeClock
from cognito_double.faithful_cognito import FaithfulCognito
from tests.support.harness import CERT, NEW_CERT, UserPool


def request(acm: Any, name: str, token: str | None = None) -> str:
    arguments = {"DomainName": name, "ValidationMethod": "DNS"}
    if token is not None:
        arguments["IdempotencyToken"] = token
    return str(acm.request_certificate(**arguments)["CertificateArn"])


def options(acm: Any, arn: str) -> list[dict[str, Any]]:
    return list(acm.describe_certificate(CertificateArn=arn)["Certificate"]["DomainValidationOptions"])


def record_of(acm: Any, arn: str) -> dict[str, str]:
    (option,) = options(acm, arn)
    return dict(option["ResourceRecord"])


def test_every_certificate_for_a_name_in_an_account_gets_the_same_record(acm: Any, clock: FakeClock) -> None:
    first, second = request(acm, "auth.example.net"), request(acm, "auth.example.net")
    clock.advance(60)

    assert first != second
    assert record_of(acm, first) == record_of(acm, second)


def test_one_record_per_certificate_when_the_knob_says_so(
    acm: Any, faithful: FaithfulCognito, clock: FakeClock
) -> None:
    faithful.certificates.one_record_per_name = False
    first, second = request(acm, "auth.example.net"), request(acm, "auth.example.net")
    clock.advance(60)

    assert record_of(acm, first) != record_of(acm, second)


def test_describe_right_after_the_request_lacks_the_record_for_a_while(
    acm: Any, faithful: FaithfulCognito, clock: FakeClock
) -> None:
    faithful.certificates.describe_not_found_for = 0.0  # found at once: the record alone is late
    arn = request(acm, "auth.example.net")

    assert "ResourceRecord" not in options(acm, arn)[0]
    clock.advance(faithful.certificates.record_missing_for)
    assert "ResourceRecord" in options(acm, arn)[0]


def test_describe_right_after_the_request_can_be_not_found_for_a_while(
    acm: Any, faithful: FaithfulCognito, clock: FakeClock
) -> None:
    faithful.certificates.describe_not_found_for = 4.0
    arn = request(acm, "auth.example.net")

    with pytest.raises(ClientError) as raised:
        acm.describe_certificate(CertificateArn=arn)
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    clock.advance(4.0)
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["CertificateArn"] == arn


def test_a_token_reused_within_the_hour_returns_the_same_certificate(acm: Any, clock: FakeClock) -> None:
    arn = request(acm, "auth.example.net", token="stack1domain")
    clock.advance(3599)

    assert request(acm, "auth.example.net", token="stack1domain") == arn
    clock.advance(1)
    assert request(acm, "auth.example.net", token="stack1domain") != arn


@pytest.mark.parametrize("reuse", ["new-certificate", "same-arn"])
def test_a_token_whose_certificate_was_deleted_follows_the_knob(
    acm: Any, faithful: FaithfulCognito, clock: FakeClock, reuse: str
) -> None:
    faithful.certificates.reuse_after_delete = reuse  # type: ignore[assignment]
    arn = request(acm, "auth.example.net", token="stack1domain")
    clock.advance(60)
    acm.delete_certificate(CertificateArn=arn)

    again = request(acm, "auth.example.net", token="stack1domain")

    assert (again == arn) is (reuse == "same-arn")


def test_the_previous_certificate_stays_in_use_for_a_while_after_rotation(
    acm: Any, cognito: Any, pool: UserPool, faithful: FaithfulCognito, clock: FakeClock
) -> None:
    faithful.certificates.rotation_hold = 3600.0
    cognito.create_user_pool_domain(
        UserPoolId=pool.id, Domain="auth.example.com", CustomDomainConfig={"CertificateArn": CERT}
    )
    clock.advance(60)
    cognito.update_user_pool_domain(
        UserPoolId=pool.id, Domain="auth.example.com", CustomDomainConfig={"CertificateArn": NEW_CERT}
    )

    with pytest.raises(ClientError) as raised:
        acm.delete_certificate(CertificateArn=CERT)
    assert raised.value.response["Error"]["Code"] == "ResourceInUseException"
    clock.advance(3600)
    acm.delete_certificate(CertificateArn=CERT)


def test_a_certificate_not_found_yet_is_not_listed_and_the_list_does_not_fail(
    acm: Any, faithful: FaithfulCognito, clock: FakeClock
) -> None:
    faithful.certificates.describe_not_found_for = 4.0
    arn = request(acm, "auth.example.net")

    assert arn not in [c["CertificateArn"] for c in acm.list_certificates()["CertificateSummaryList"]]
    clock.advance(4.0)
    assert arn in [c["CertificateArn"] for c in acm.list_certificates()["CertificateSummaryList"]]
