"""Custom::CognitoUserPoolDomain, driven through every lifecycle path as CloudFormation sends it.

Each test asserts twice: what CloudFormation was told (status, physical id, data,
reason), and what exists in Cognito afterwards (through the faithful double).
"""

from __future__ import annotations

from typing import Any

import pytest

from cognito_double.clock import FakeClock
from tests.support.harness import CERT, NEW_CERT, CloudFormation, UserPool

DOMAIN = "Custom::CognitoUserPoolDomain"


def domains_of(faithful: Any, pool: UserPool) -> dict[str, Any]:
    return {record.domain: record for record in faithful.domains_of("us-east-1", pool.id)}


def create_domain(cfn: CloudFormation, properties: dict[str, Any]) -> dict[str, Any]:
    answer = cfn.send(cfn.events.create(DOMAIN, "HostedUIDomain", properties))
    assert answer["Status"] == "SUCCESS", answer["Reason"]
    return answer


# --- Create -----------------------------------------------------------------


def test_create_prefix_domain_returns_domain_as_physical_id_and_all_attributes(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    answer = create_domain(cfn, {"UserPoolId": pool.id, "Domain": "notes-app-dev-4f2a"})

    assert answer["PhysicalResourceId"] == "notes-app-dev-4f2a"
    base = "https://notes-app-dev-4f2a.auth.us-east-1.amazoncognito.com"
    data = answer["Data"]
    assert data["Domain"] == "notes-app-dev-4f2a"
    assert data["UserPoolId"] == pool.id
    assert data["DomainType"] == "prefix"
    assert data["ManagedLoginVersion"] == "1"
    assert data["BaseUrl"] == base
    assert data["AuthorizeUrl"] == f"{base}/oauth2/authorize"
    assert data["TokenUrl"] == f"{base}/oauth2/token"
    assert data["UserInfoUrl"] == f"{base}/oauth2/userInfo"
    assert data["RevokeUrl"] == f"{base}/oauth2/revoke"
    assert data["LogoutUrl"] == f"{base}/logout"
    record = domains_of(faithful, pool)["notes-app-dev-4f2a"]
    assert data["CloudFrontDistribution"].endswith(".cloudfront.net")
    assert record.status == "ACTIVE"
    assert answer["StackId"].startswith("arn:aws:cloudformation:")
    assert answer["LogicalResourceId"] == "HostedUIDomain"


def test_create_accepts_managed_login_version_as_cloudformation_string(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    answer = create_domain(cfn, {"UserPoolId": pool.id, "Domain": "notes-v2", "ManagedLoginVersion": 2})

    assert answer["Data"]["ManagedLoginVersion"] == "2"
    assert domains_of(faithful, pool)["notes-v2"].managed_login_version == 2


def test_create_custom_domain_answers_only_once_cognito_reports_active(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    faithful.custom_domain_delay = 1.2
    answer = create_domain(cfn, {"UserPoolId": pool.id, "Domain": "auth.example.com", "CertificateArn": CERT})

    record = domains_of(faithful, pool)["auth.example.com"]
    assert record.status == "ACTIVE"
    assert answer["PhysicalResourceId"] == "auth.example.com"
    assert answer["Data"]["DomainType"] == "custom"
    assert answer["Data"]["BaseUrl"] == "https://auth.example.com"
    # From DescribeUserPoolDomain once ACTIVE, not from the create response.
    assert answer["Data"]["CloudFrontDistribution"].endswith(".cloudfront.net")
    assert faithful.calls.count("DescribeUserPoolDomain") >= 2


@pytest.mark.parametrize(
    ("properties", "host"),
    [
        ({"Domain": "notes-app-urls"}, "notes-app-urls.auth.us-east-1.amazoncognito.com"),
        ({"Domain": "auth.example.com", "CertificateArn": CERT}, "auth.example.com"),
    ],
    ids=["prefix", "custom"],
)
def test_create_returns_every_url_an_integrator_needs(
    cfn: CloudFormation, pool: UserPool, faithful: Any, properties: dict[str, Any], host: str
) -> None:
    answer = create_domain(cfn, {"UserPoolId": pool.id, **properties})

    issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool.id}"
    data = answer["Data"]
    assert data["Issuer"] == issuer
    assert data["DiscoveryUrl"] == f"{issuer}/.well-known/openid-configuration"
    assert data["JwksUrl"] == f"{issuer}/.well-known/jwks.json"
    assert data["BaseUrl"] == f"https://{host}"
    assert data["LogoutUrl"] == f"https://{host}/logout"
    assert data["IdpRedirectUri"] == f"https://{host}/oauth2/idpresponse"
    assert data["SamlEntityId"] == f"urn:amazon:cognito:sp:{pool.id}"
    assert data["SamlAcsUrl"] == f"https://{host}/saml2/idpresponse"
    assert data["PasskeyRelyingPartyId"] == host
    assert domains_of(faithful, pool)[properties["Domain"]].status == "ACTIVE"


def test_create_of_domain_used_by_another_account_fails_with_actionable_reason(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    answer = cfn.send(cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, "Domain": "notes-app"}))

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("Domain 'notes-app' is already used by another user pool")
    assert "CreateUserPoolDomain" not in faithful.calls, "a taken name is found before any write"
    assert domains_of(faithful, pool) == {}


def test_create_second_prefix_on_pool_fails_and_keeps_the_first(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    create_domain(cfn, {"UserPoolId": pool.id, "Domain": "notes-first"})
    answer = cfn.send(cfn.events.create(DOMAIN, "Second", {"UserPoolId": pool.id, "Domain": "notes-second"}))

    assert answer["Status"] == "FAILED"
    assert f"User pool {pool.id} already has a prefix domain" in answer["Reason"]
    assert set(domains_of(faithful, pool)) == {"notes-first"}


def test_create_in_missing_pool_fails_with_service_message_first(cfn: CloudFormation, faithful: Any) -> None:
    answer = cfn.send(cfn.events.create(DOMAIN, "D", {"UserPoolId": "us-east-1_Missing1", "Domain": "notes-x1"}))

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("User pool us-east-1_Missing1 does not exist.")
    assert "ResourceNotFoundException" in answer["Reason"]


@pytest.mark.parametrize(
    ("properties", "expected"),
    [
        ({"Domain": "Notes_App"}, "Domain prefix 'Notes_App' is invalid"),
        ({"Domain": "-notes"}, "Domain prefix '-notes' is invalid"),
        ({"Domain": "my-aws-notes"}, "reserved word 'aws'"),
        ({"Domain": "amazon-notes"}, "reserved word 'amazon'"),
        ({"Domain": "cognito-notes"}, "reserved word 'cognito'"),
        ({"Domain": "a" * 64}, "is invalid"),
        ({"Domain": "auth.example.com"}, "CertificateArn is required for the custom domain 'auth.example.com'"),
        (
            {"Domain": "auth.example.com", "CertificateArn": CERT.replace("us-east-1", "eu-west-1")},
            "is not an ACM certificate ARN in us-east-1",
        ),
        ({"Domain": "notes-app-x", "CertificateArn": CERT}, "CertificateArn applies only to a custom domain"),
        ({"Domain": "https://auth.example.com"}, "is not a valid custom domain"),
        ({"Domain": "notes-x", "Domian": "typo"}, "unknown property 'Domian'"),
        ({"Domain": "notes-x", "ManagedLoginVersion": 3}, "ManagedLoginVersion must be one of 1, 2, got '3'"),
        ({"Domain": ["notes-x"]}, "Domain must be a string"),
        ({}, "Domain is required"),
    ],
)
def test_create_with_bad_input_fails_before_any_write(
    cfn: CloudFormation, pool: UserPool, faithful: Any, properties: dict[str, Any], expected: str
) -> None:
    answer = cfn.send(cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, **properties}))

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("Invalid properties for Custom::CognitoUserPoolDomain")
    assert expected in answer["Reason"]
    assert faithful.calls == [], "bad input must be refused before any call to Cognito"
    assert answer["PhysicalResourceId"].startswith("create-failed:")


def test_create_without_user_pool_id_fails_naming_it(cfn: CloudFormation, faithful: Any) -> None:
    answer = cfn.send(cfn.events.create(DOMAIN, "HostedUIDomain", {"Domain": "notes-x"}))

    assert answer["Status"] == "FAILED"
    assert "UserPoolId is required" in answer["Reason"]


# --- Update in place --------------------------------------------------------


def test_update_of_managed_login_version_changes_domain_in_place(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    old = {"UserPoolId": pool.id, "Domain": "notes-inplace"}
    create_domain(cfn, old)
    new = {**old, "ManagedLoginVersion": "2"}

    answer = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "notes-inplace", new, old))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == "notes-inplace"
    assert answer["Data"]["ManagedLoginVersion"] == "2"
    assert domains_of(faithful, pool)["notes-inplace"].managed_login_version == 2
    assert faithful.calls.count("CreateUserPoolDomain") == 1, "updated in place, never created again"


def test_update_of_custom_domain_certificate_sends_custom_domain_config_and_waits(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    faithful.custom_domain_delay = 1.0
    old = {"UserPoolId": pool.id, "Domain": "auth.example.com", "CertificateArn": CERT}
    create_domain(cfn, old)
    new = {**old, "CertificateArn": NEW_CERT}

    answer = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "auth.example.com", new, old))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == "auth.example.com"
    record = domains_of(faithful, pool)["auth.example.com"]
    assert (record.certificate_arn, record.status) == (NEW_CERT, "ACTIVE")


def test_update_of_custom_domain_version_keeps_certificate(cfn: CloudFormation, pool: UserPool, faithful: Any) -> None:
    faithful.custom_domain_delay = 0.5
    old = {"UserPoolId": pool.id, "Domain": "auth.example.com", "CertificateArn": CERT}
    create_domain(cfn, old)

    answer = cfn.send(
        cfn.events.update(DOMAIN, "HostedUIDomain", "auth.example.com", {**old, "ManagedLoginVersion": "2"}, old)
    )

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    record = domains_of(faithful, pool)["auth.example.com"]
    assert (record.certificate_arn, record.managed_login_version) == (CERT, 2)


def test_update_in_place_makes_the_minimum_calls(cfn: CloudFormation, pool: UserPool, faithful: Any) -> None:
    old = {"UserPoolId": pool.id, "Domain": "notes-inplace"}
    create_domain(cfn, old)
    faithful.calls.clear()

    cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "notes-inplace", {**old, "ManagedLoginVersion": "2"}, old))

    # UpdateUserPoolDomain: a version change takes "up to one minute to take effect for a
    # prefix domain"; the domain is UPDATING meanwhile, and the answer waits for it.
    assert faithful.calls[0] == "UpdateUserPoolDomain"
    assert set(faithful.calls[1:]) == {"DescribeUserPoolDomain"}
    assert len(faithful.calls) <= 3


def test_update_in_place_of_a_domain_deleted_outside_cloudformation_creates_it_again(
    cfn: CloudFormation, pool: UserPool, faithful: Any, cognito: Any
) -> None:
    old = {"UserPoolId": pool.id, "Domain": "notes-drifted"}
    create_domain(cfn, old)
    cognito.delete_user_pool_domain(UserPoolId=pool.id, Domain="notes-drifted")

    answer = cfn.send(
        cfn.events.update(DOMAIN, "HostedUIDomain", "notes-drifted", {**old, "ManagedLoginVersion": "2"}, old)
    )

    assert (answer["Status"], answer["PhysicalResourceId"]) == ("SUCCESS", "notes-drifted")
    assert domains_of(faithful, pool)["notes-drifted"].managed_login_version == 2


def test_update_in_place_of_a_domain_now_held_by_another_pool_fails_and_touches_it_not(
    cfn: CloudFormation, pool: UserPool, other_pool: UserPool, faithful: Any, cognito: Any, clock: FakeClock
) -> None:
    old = {"UserPoolId": pool.id, "Domain": "notes-stolen"}
    create_domain(cfn, old)
    cognito.delete_user_pool_domain(UserPoolId=pool.id, Domain="notes-stolen")
    # The name is held while DELETING (pulumi/pulumi-aws#998); only then can another pool take it.
    clock.advance(faithful.deletion_delay)
    cognito.create_user_pool_domain(UserPoolId=other_pool.id, Domain="notes-stolen")

    answer = cfn.send(
        cfn.events.update(DOMAIN, "HostedUIDomain", "notes-stolen", {**old, "ManagedLoginVersion": "2"}, old)
    )

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("Domain 'notes-stolen' is already used by another user pool")
    assert domains_of(faithful, other_pool)["notes-stolen"].managed_login_version == 1


def test_update_with_nothing_changed_makes_no_write(cfn: CloudFormation, pool: UserPool, faithful: Any) -> None:
    props = {"UserPoolId": pool.id, "Domain": "notes-same"}
    create_domain(cfn, props)
    faithful.calls.clear()

    answer = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "notes-same", props, props))

    assert answer["Status"] == "SUCCESS"
    assert answer["PhysicalResourceId"] == "notes-same"
    assert faithful.calls == ["DescribeUserPoolDomain"]


def test_update_with_bad_input_fails_before_any_write_and_keeps_physical_id(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    old = {"UserPoolId": pool.id, "Domain": "notes-keep"}
    create_domain(cfn, old)
    faithful.calls.clear()

    answer = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "notes-keep", {**old, "Domain": "Bad!"}, old))

    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == "notes-keep"
    assert faithful.calls == []
    assert set(domains_of(faithful, pool)) == {"notes-keep"}


def test_rollback_after_refused_update_restores_nothing_because_nothing_changed(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    good = {"UserPoolId": pool.id, "Domain": "notes-keep"}
    create_domain(cfn, good)
    bad = {**good, "Domain": "Bad!"}

    # The rollback Update: old (good) properties back, the refused ones as old.
    answer = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "notes-keep", good, bad))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == "notes-keep"
    assert set(domains_of(faithful, pool)) == {"notes-keep"}


# --- Update with replacement, rollback and cleanup ----------------------------


def test_update_with_new_prefix_replaces_domain_and_cleanup_keeps_it(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    old = {"UserPoolId": pool.id, "Domain": "notes-old"}
    create_domain(cfn, old)
    new = {**old, "Domain": "notes-new"}

    answer = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "notes-old", new, old))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == "notes-new"
    assert answer["Data"]["BaseUrl"] == "https://notes-new.auth.us-east-1.amazoncognito.com"
    assert set(domains_of(faithful, pool)) == {"notes-new"}

    cleanup = cfn.send(cfn.events.delete(DOMAIN, "HostedUIDomain", "notes-old", old))

    assert cleanup["Status"] == "SUCCESS"
    assert set(domains_of(faithful, pool)) == {"notes-new"}


def test_rollback_of_prefix_replacement_puts_old_domain_back_and_deletes_new(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    old = {"UserPoolId": pool.id, "Domain": "notes-old"}
    new = {**old, "Domain": "notes-new"}
    create_domain(cfn, old)
    cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "notes-old", new, old))

    # CloudFormation rolls back: an Update with the old properties to the new physical id...
    rollback = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "notes-new", old, new))
    assert rollback["Status"] == "SUCCESS", rollback["Reason"]
    assert rollback["PhysicalResourceId"] == "notes-old"
    # ...then a Delete of the new physical id.
    cleanup = cfn.send(cfn.events.delete(DOMAIN, "HostedUIDomain", "notes-new", new))

    assert cleanup["Status"] == "SUCCESS"
    assert set(domains_of(faithful, pool)) == {"notes-old"}


def test_failed_replacement_puts_the_old_domain_back_before_failing(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    old = {"UserPoolId": pool.id, "Domain": "notes-old", "ManagedLoginVersion": "2"}
    create_domain(cfn, old)
    faithful.claim_elsewhere("notes-taken")

    answer = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "notes-old", {**old, "Domain": "notes-taken"}, old))

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("Domain 'notes-taken' is already used by another user pool")
    assert answer["PhysicalResourceId"] == "notes-old"
    restored = domains_of(faithful, pool)
    assert set(restored) == {"notes-old"}
    assert restored["notes-old"].managed_login_version == 2


def test_replacement_losing_a_race_for_the_name_restores_old_domain(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    old = {"UserPoolId": pool.id, "Domain": "notes-old"}
    create_domain(cfn, old)
    faithful.calls.clear()

    def claim_name_just_before_our_create(operation: str) -> None:
        # Another account takes the name after our check and our delete of the old domain.
        if operation == "CreateUserPoolDomain" and faithful.calls.count("CreateUserPoolDomain") == 1:
            faithful.claim_elsewhere("notes-race")

    faithful.on_call = claim_name_just_before_our_create
    answer = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "notes-old", {**old, "Domain": "notes-race"}, old))

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("Domain 'notes-race' is already used by another user pool")
    assert answer["PhysicalResourceId"] == "notes-old"
    assert set(domains_of(faithful, pool)) == {"notes-old"}
    assert faithful.calls.count("DeleteUserPoolDomain") == 1
    assert faithful.calls.count("CreateUserPoolDomain") == 2  # the refused one, then the restore


def test_update_from_prefix_to_custom_domain_keeps_prefix_until_cleanup(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    faithful.custom_domain_delay = 0.3
    old = {"UserPoolId": pool.id, "Domain": "notes-prefix"}
    create_domain(cfn, old)
    new = {"UserPoolId": pool.id, "Domain": "auth.example.com", "CertificateArn": CERT}

    answer = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "notes-prefix", new, old))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == "auth.example.com"
    # A pool holds one prefix and one custom domain, so nothing had to go first.
    assert set(domains_of(faithful, pool)) == {"notes-prefix", "auth.example.com"}

    cfn.send(cfn.events.delete(DOMAIN, "HostedUIDomain", "notes-prefix", old))
    assert set(domains_of(faithful, pool)) == {"auth.example.com"}


def test_rollback_of_prefix_to_custom_change_keeps_prefix_and_removes_custom(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    faithful.custom_domain_delay = 0.3
    old = {"UserPoolId": pool.id, "Domain": "notes-prefix"}
    new = {"UserPoolId": pool.id, "Domain": "auth.example.com", "CertificateArn": CERT}
    create_domain(cfn, old)
    cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "notes-prefix", new, old))

    rollback = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "auth.example.com", old, new))
    cleanup = cfn.send(cfn.events.delete(DOMAIN, "HostedUIDomain", "auth.example.com", new))

    assert (rollback["Status"], rollback["PhysicalResourceId"]) == ("SUCCESS", "notes-prefix")
    assert cleanup["Status"] == "SUCCESS"
    assert set(domains_of(faithful, pool)) == {"notes-prefix"}


def test_update_moving_same_prefix_to_another_pool_moves_it(
    cfn: CloudFormation, pool: UserPool, other_pool: UserPool, faithful: Any
) -> None:
    old = {"UserPoolId": pool.id, "Domain": "notes-moving"}
    create_domain(cfn, old)
    new = {"UserPoolId": other_pool.id, "Domain": "notes-moving"}

    answer = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "notes-moving", new, old))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == "notes-moving"
    assert answer["Data"]["UserPoolId"] == other_pool.id
    assert domains_of(faithful, pool) == {}
    assert set(domains_of(faithful, other_pool)) == {"notes-moving"}

    # Same physical id, so CloudFormation sends no cleanup Delete; a stray one for
    # the old pool must still leave the moved domain alone.
    stray = cfn.send(cfn.events.delete(DOMAIN, "HostedUIDomain", "notes-moving", old))
    assert stray["Status"] == "SUCCESS"
    assert set(domains_of(faithful, other_pool)) == {"notes-moving"}


def test_rollback_of_pool_move_puts_domain_back_in_first_pool(
    cfn: CloudFormation, pool: UserPool, other_pool: UserPool, faithful: Any
) -> None:
    old = {"UserPoolId": pool.id, "Domain": "notes-moving"}
    new = {"UserPoolId": other_pool.id, "Domain": "notes-moving"}
    create_domain(cfn, old)
    cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "notes-moving", new, old))

    rollback = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "notes-moving", old, new))

    assert (rollback["Status"], rollback["PhysicalResourceId"]) == ("SUCCESS", "notes-moving")
    assert set(domains_of(faithful, pool)) == {"notes-moving"}
    assert domains_of(faithful, other_pool) == {}


# --- Delete -------------------------------------------------------------------


def test_delete_removes_the_domain(cfn: CloudFormation, pool: UserPool, faithful: Any, cognito: Any) -> None:
    props = {"UserPoolId": pool.id, "Domain": "notes-gone"}
    create_domain(cfn, props)

    answer = cfn.send(cfn.events.delete(DOMAIN, "HostedUIDomain", "notes-gone", props))

    assert (answer["Status"], answer["PhysicalResourceId"]) == ("SUCCESS", "notes-gone")
    assert domains_of(faithful, pool) == {}
    cognito.delete_user_pool(UserPoolId=pool.id)  # possible only once the domain is gone


def test_delete_is_idempotent_when_domain_is_already_gone(cfn: CloudFormation, pool: UserPool, faithful: Any) -> None:
    props = {"UserPoolId": pool.id, "Domain": "notes-gone"}
    create_domain(cfn, props)
    cfn.send(cfn.events.delete(DOMAIN, "HostedUIDomain", "notes-gone", props))

    again = cfn.send(cfn.events.delete(DOMAIN, "HostedUIDomain", "notes-gone", props))

    assert again["Status"] == "SUCCESS"


def test_delete_never_deletes_a_domain_of_another_pool(
    cfn: CloudFormation, pool: UserPool, other_pool: UserPool, faithful: Any
) -> None:
    create_domain(cfn, {"UserPoolId": other_pool.id, "Domain": "notes-theirs"})

    answer = cfn.send(
        cfn.events.delete(DOMAIN, "HostedUIDomain", "notes-theirs", {"UserPoolId": pool.id, "Domain": "notes-theirs"})
    )

    assert answer["Status"] == "SUCCESS"
    assert set(domains_of(faithful, other_pool)) == {"notes-theirs"}


def test_delete_never_deletes_a_domain_of_another_account(cfn: CloudFormation, pool: UserPool, faithful: Any) -> None:
    answer = cfn.send(
        cfn.events.delete(DOMAIN, "HostedUIDomain", "notes-app", {"UserPoolId": pool.id, "Domain": "notes-app"})
    )

    assert answer["Status"] == "SUCCESS"
    assert ("us-east-1", "notes-app") in faithful.domains


def test_delete_after_failed_create_does_nothing_and_succeeds(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    failed = cfn.send(cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, "Domain": "notes-app"}))
    assert failed["Status"] == "FAILED"
    faithful.calls.clear()

    answer = cfn.send(
        cfn.events.delete(
            DOMAIN, "HostedUIDomain", failed["PhysicalResourceId"], {"UserPoolId": pool.id, "Domain": "notes-app"}
        )
    )

    assert (answer["Status"], answer["PhysicalResourceId"]) == ("SUCCESS", failed["PhysicalResourceId"])
    assert faithful.calls == []
    assert ("us-east-1", "notes-app") in faithful.domains


def test_delete_when_pool_is_gone_succeeds(cfn: CloudFormation, faithful: Any) -> None:
    answer = cfn.send(
        cfn.events.delete(
            DOMAIN, "HostedUIDomain", "notes-x", {"UserPoolId": "us-east-1_Gone1234", "Domain": "notes-x"}
        )
    )

    assert answer["Status"] == "SUCCESS"


def test_certificate_update_of_a_custom_domain_the_pool_has_lost_creates_it_again(
    cfn: CloudFormation, pool: UserPool, faithful: Any, cognito: Any, clock: FakeClock
) -> None:
    old = {"UserPoolId": pool.id, "Domain": "auth.example.com", "CertificateArn": CERT}
    create_domain(cfn, old)
    cognito.delete_user_pool_domain(UserPoolId=pool.id, Domain="auth.example.com")
    clock.advance(faithful.deletion_delay)
    new = {**old, "CertificateArn": NEW_CERT}

    # Cognito answers "User pool should have a custom domain associated, failed to
    # update the certificate." (aws/aws-cdk#25712): the domain is created again instead.
    answer = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "auth.example.com", new, old))

    assert (answer["Status"], answer["PhysicalResourceId"]) == ("SUCCESS", "auth.example.com"), answer["Reason"]
    record = domains_of(faithful, pool)["auth.example.com"]
    assert (record.certificate_arn, record.status) == (NEW_CERT, "ACTIVE")
    assert faithful.calls.count("UpdateUserPoolDomain") == 1


def test_a_delete_event_from_another_resource_leaves_the_domain_alone(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    # An event only names a domain; that it is this resource's is proved by the owner record.
    properties = {"UserPoolId": pool.id, "Domain": "notes-owned"}
    assert cfn.send(cfn.events.create(DOMAIN, "HostedUIDomain", properties))["Status"] == "SUCCESS"

    answer = cfn.send(cfn.events.delete(DOMAIN, "Intruder", "notes-owned", properties))

    assert answer["Status"] == "SUCCESS"
    assert [(r.domain, r.status) for r in faithful.domains_of("us-east-1", pool.id)] == [("notes-owned", "ACTIVE")]


def test_an_update_event_naming_another_resources_domain_neither_changes_nor_replaces_it(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    owned = {"UserPoolId": pool.id, "Domain": "notes-owned"}
    assert cfn.send(cfn.events.create(DOMAIN, "HostedUIDomain", owned))["Status"] == "SUCCESS"
    faithful.calls.clear()

    in_place = cfn.send(
        cfn.events.update(DOMAIN, "Intruder", "notes-owned", {**owned, "ManagedLoginVersion": "2"}, owned)
    )
    replaced = cfn.send(
        cfn.events.update(DOMAIN, "Intruder", "notes-owned", {"UserPoolId": pool.id, "Domain": "notes-new"}, owned)
    )

    assert (in_place["Status"], replaced["Status"]) == ("FAILED", "FAILED")
    assert "is recorded as managed by resource HostedUIDomain" in in_place["Reason"]
    assert "is recorded as managed by resource HostedUIDomain" in replaced["Reason"]
    assert not {"UpdateUserPoolDomain", "DeleteUserPoolDomain", "CreateUserPoolDomain"} & set(faithful.calls)
    assert [(r.domain, r.status) for r in faithful.domains_of("us-east-1", pool.id)] == [("notes-owned", "ACTIVE")]
