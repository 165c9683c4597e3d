"""``aws.errors.translate``: each of Cognito's refusals becomes the project's own exception, once."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from aws.errors import (
    CertificateError,
    ClientGone,
    CognitoError,
    DomainTaken,
    FeatureUnavailableInTier,
    NameOrSlotStillHeld,
    NotThisPoolsDomain,
    PoolGone,
    PoolSlotTaken,
    RecordChanged,
    RecordNotFound,
    translate,
    translate_certificate_error,
)

INVALID = "InvalidParameterException"
NOT_FOUND = "ResourceNotFoundException"


def refusal(code: str, message: str, operation: str) -> ClientError:
    """A ClientError as botocore builds it from Cognito's JSON error answer."""
    response: Any = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": 400, "RequestId": "0f7f5a1c-example"},
    }
    return ClientError(response, operation)


@pytest.mark.parametrize(
    ("code", "message", "operation", "expected"),
    [
        pytest.param(
            INVALID,
            "Domain already associated with another user pool.",
            "CreateUserPoolDomain",
            DomainTaken,
            id="name-held-by-another-pool",
        ),
        pytest.param(
            INVALID, "Domain already exists.", "CreateUserPoolDomain", NameOrSlotStillHeld, id="name-still-deleting"
        ),
        pytest.param(
            INVALID,
            "User pool already has a domain configured.",
            "CreateUserPoolDomain",
            PoolSlotTaken,
            id="pool-slot-taken",
        ),
        pytest.param(
            INVALID,
            "No such domain or user pool exists.",
            "DeleteUserPoolDomain",
            NotThisPoolsDomain,
            id="delete-of-a-domain-not-this-pools",
        ),
        pytest.param(
            INVALID,
            "No such domain or user pool exists.",
            "UpdateUserPoolDomain",
            NotThisPoolsDomain,
            id="update-of-a-domain-not-this-pools",
        ),
        pytest.param(
            INVALID,
            "User pool should have a custom domain associated, failed to update the certificate.",
            "UpdateUserPoolDomain",
            NotThisPoolsDomain,
            id="certificate-update-of-a-custom-domain-not-this-pools",
        ),
        pytest.param(
            INVALID,
            "DOMAIN ALREADY EXISTS.",
            "CreateUserPoolDomain",
            NameOrSlotStillHeld,
            id="message-matched-regardless-of-case",
        ),
        pytest.param(
            "FeatureUnavailableInTierException",
            "Managed login is not available in the LITE feature plan.",
            "CreateUserPoolDomain",
            FeatureUnavailableInTier,
            id="feature-not-in-plan",
        ),
        pytest.param(
            NOT_FOUND, "Client abc does not exist.", "DescribeUserPoolClient", ClientGone, id="client-gone-read"
        ),
        pytest.param(
            NOT_FOUND, "Client abc does not exist.", "UpdateUserPoolClient", ClientGone, id="client-gone-write"
        ),
        pytest.param(
            NOT_FOUND,
            "User pool us-east-1_Gone does not exist.",
            "DeleteUserPoolDomain",
            NotThisPoolsDomain,
            id="pool-of-a-domain-gone",
        ),
        pytest.param(
            NOT_FOUND,
            "User pool us-east-1_Gone does not exist.",
            "DescribeUserPool",
            PoolGone,
            id="pool-gone",
        ),
        pytest.param(
            NOT_FOUND,
            "User pool us-east-1_Gone does not exist.",
            "ListIdentityProviders",
            PoolGone,
            id="pool-gone-listing-providers",
        ),
        pytest.param(
            INVALID,
            "Cannot convert custom domain to prefix domain",
            "UpdateUserPoolDomain",
            CognitoError,
            id="other-invalid-parameter-stays-general",
        ),
        pytest.param(
            "TooManyRequestsException", "Rate exceeded", "CreateUserPoolDomain", CognitoError, id="throttling-general"
        ),
        pytest.param(
            "ConcurrentModificationException",
            "Domain already exists.",
            "UpdateUserPoolClient",
            CognitoError,
            id="domain-text-under-another-code-not-matched",
        ),
    ],
)
def test_translate(code: str, message: str, operation: str, expected: type[CognitoError]) -> None:
    translated = translate(refusal(code, message, operation))

    assert type(translated) is expected
    assert (translated.code, translated.aws_message, translated.operation) == (code, message, operation)


def test_message_states_the_fact_then_the_aws_error_code() -> None:
    translated = translate(refusal(INVALID, "User pool already has a domain configured.", "CreateUserPoolDomain"))

    assert str(translated) == (
        "User pool already has a domain configured. (InvalidParameterException from CreateUserPoolDomain)"
    )


def test_an_error_answer_without_details_is_still_a_cognito_error() -> None:
    translated = translate(ClientError({}, "DescribeUserPoolDomain"))

    assert type(translated) is CognitoError
    assert (translated.code, translated.aws_message) == ("", "")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "Tried to delete resource record set [name='_a.auth.example.com.', type='CNAME'] but it was not found",
            RecordNotFound,
        ),
        (
            "Tried to delete resource record set [name='_a.auth.example.com.', type='CNAME'] but the values "
            "provided do not match the current values",
            RecordChanged,
        ),
    ],
    ids=["not-found", "values-changed"],
)
def test_route53_refusals_of_a_delete_are_told_apart(message: str, expected: type[CertificateError]) -> None:
    translated = translate_certificate_error(refusal("InvalidChangeBatch", message, "ChangeResourceRecordSets"))

    assert type(translated) is expected
