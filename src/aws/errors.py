"""Cognito's refusals, translated once into the project's own exceptions.

botocore reports every refusal as a ``ClientError`` whose meaning sits in an error
code and, for domains, in a message text (most domain errors share the code
``InvalidParameterException``). ``translate`` reads those once, here, so the
decisions in ``resources/`` match exception classes instead of substrings.

Message texts, and where each was seen:

- "Domain already associated with another user pool." (aws-samples/aws-cdk-examples#402,
  serverless/serverless#10135);
- "Domain already exists." (pulumi/pulumi-aws#998: a name whose deleted domain's
  CloudFront distribution is still being torn down; terraform-provider-aws#45551);
- "User pool already has a domain configured." (aws/aws-cdk#10062);
- "No such domain or user pool exists." (DeleteUserPoolDomain / UpdateUserPoolDomain
  for a domain that is not that pool's; the Terraform provider ignores it on delete);
- "User pool should have a custom domain associated, failed to update the
  certificate." (aws/aws-cdk#25712: UpdateUserPoolDomain of a custom domain the pool
  does not have).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from botocore.exceptions import ClientError, HTTPClientError

from aws.retry import RetryPolicy

T = TypeVar("T")


class AwsRefusal(Exception):
    """An AWS service refused a call. The message is the fact first, then the AWS error code."""

    def __init__(self, code: str, message: str, operation: str) -> None:
        super().__init__(f"{message} ({code} from {operation})")
        self.code = code
        self.aws_message = message
        self.operation = operation


class CognitoError(AwsRefusal):
    """Cognito refused a call."""


class AnswerLost(AwsRefusal):
    """A write that must not be replayed went out and its answer never came back: it may have acted.

    botocore's ``HTTPClientError`` (``ConnectionClosedError``, ``ReadTimeoutError``); the
    caller reads what exists before deciding anything (aws/retry.py retries only repeatable calls).
    """


class DomainTaken(CognitoError):
    """The domain name is held by a pool: another one, this one after a lost response, or one still deleting it."""


class NameOrSlotStillHeld(DomainTaken):
    """Cognito's "Domain already exists.": the name, or the pool's slot for its kind, is held (perhaps DELETING)."""


class PoolSlotTaken(CognitoError):
    """The pool already has a domain of this kind (one prefix and one custom domain at most)."""


class NotThisPoolsDomain(CognitoError):
    """The pool has no such domain: it is gone, or it belongs to another pool."""


class FeatureUnavailableInTier(CognitoError):
    """The pool's feature plan does not include the feature (managed login needs Essentials or Plus)."""


class ClientGone(CognitoError):
    """The app client, or its user pool, does not exist."""


class UnknownClientFields(CognitoError):
    """DescribeUserPoolClient answered fields this SDK's model does not know: a write would reset them."""

    def __init__(self, fields: list[str], botocore_version: str) -> None:
        super().__init__(
            "UnknownClientFields",
            f"the app client has settings this function's AWS SDK (botocore {botocore_version}) does not know: "
            f"{', '.join(fields)}",
            "DescribeUserPoolClient",
        )
        self.fields = fields
        self.botocore_version = botocore_version


class BrandingExists(CognitoError):
    """The app client already has a managed login branding style (one per client)."""


class BrandingGone(CognitoError):
    """No such managed login branding style (or the client has none)."""


class BrandingLimitReached(CognitoError):
    """The pool holds its 20 managed login branding styles (LimitExceededException, CreateManagedLoginBranding)."""


class PoolGone(CognitoError):
    """The user pool does not exist."""


_DOMAIN_MESSAGES: tuple[tuple[str, type[CognitoError]], ...] = (
    ("already associated with another user pool", DomainTaken),
    ("domain already exists", NameOrSlotStillHeld),
    ("already has a domain configured", PoolSlotTaken),
    ("no such domain or user pool exists", NotThisPoolsDomain),
    ("should have a custom domain associated", NotThisPoolsDomain),
)
_CLIENT_OPERATIONS = frozenset({"DescribeUserPoolClient", "UpdateUserPoolClient"})


def refusal_parts(error: ClientError) -> tuple[str, str, str]:
    """An AWS refusal's error code, message and operation, as every translation reads them."""
    details = error.response.get("Error", {})
    return str(details.get("Code", "")), str(details.get("Message", "")), str(error.operation_name)


def translate(error: ClientError) -> CognitoError:
    """The project's exception for one of Cognito's refusals."""
    code, message, operation = refusal_parts(error)
    if code == "FeatureUnavailableInTierException":
        return FeatureUnavailableInTier(code, message, operation)
    if code == "ManagedLoginBrandingExistsException":
        return BrandingExists(code, message, operation)
    if code == "LimitExceededException" and operation == "CreateManagedLoginBranding":
        return BrandingLimitReached(code, message, operation)
    if code == "ResourceNotFoundException" and "ManagedLoginBranding" in operation:
        return BrandingGone(code, message, operation)
    if code == "ResourceNotFoundException":
        if operation in _CLIENT_OPERATIONS:
            return ClientGone(code, message, operation)
        if "Domain" in operation:
            return NotThisPoolsDomain(code, message, operation)
        return PoolGone(code, message, operation)
    if code == "InvalidParameterException":
        lowered = message.lower()
        for fragment, error_class in _DOMAIN_MESSAGES:
            if fragment in lowered:
                return error_class(code, message, operation)
    return CognitoError(code, message, operation)


class CertificateError(AwsRefusal):
    """ACM or Route 53 refused a call."""


class CertificateInUse(CertificateError):
    """ACM's ResourceInUseException: a CloudFront distribution (here: Cognito's) still uses the certificate."""


class CertificateGone(CertificateError):
    """The certificate does not exist (ResourceNotFoundException), or its ARN is not one ACM knows."""


class HostedZoneGone(CertificateError):
    """Route 53's NoSuchHostedZone."""


class RecordNotFound(CertificateError):
    """Route 53's InvalidChangeBatch for a DELETE of a record that is not there (as given)."""


class RecordChanged(CertificateError):
    """Route 53's InvalidChangeBatch for a DELETE whose values do not match the record's: someone changed it."""


def translate_certificate_error(error: ClientError) -> CertificateError:
    code, message, operation = refusal_parts(error)
    if code == "ResourceInUseException":
        return CertificateInUse(code, message, operation)
    if code in ("ResourceNotFoundException", "InvalidArnException"):
        return CertificateGone(code, message, operation)
    if code == "NoSuchHostedZone":
        return HostedZoneGone(code, message, operation)
    # Route 53 ChangeResourceRecordSets: "Tried to delete resource record set ... but it was not found".
    if code == "InvalidChangeBatch" and "not found" in message.lower():
        return RecordNotFound(code, message, operation)
    # "Tried to delete resource record set [...] but the values provided do not match the
    # current values" (hashicorp/terraform#18509).
    if code == "InvalidChangeBatch" and "do not match the current values" in message.lower():
        return RecordChanged(code, message, operation)
    return CertificateError(code, message, operation)


def call_translated(
    retry: RetryPolicy,
    operation: Callable[[], T],
    *,
    repeatable: bool = True,
    translate_error: Callable[[ClientError], Exception] = translate,
) -> T:
    """The operation under the retry policy; a refusal leaves as the project's own exception.

    A lost answer of a call that is not ``repeatable`` leaves as ``AnswerLost``, never replayed.
    """
    try:
        return retry.call(operation, repeatable=repeatable)
    except ClientError as error:
        raise translate_error(error) from error
    except HTTPClientError as error:
        if repeatable:
            raise
        raise AnswerLost(type(error).__name__, f"the answer was lost on the way back ({error})", "botocore") from error
