"""ACM in us-east-1: the certificates of custom domains, with plain results and typed errors.

Facts relied on (each cited where it is used):

- a Cognito custom domain's certificate lives in ACM in US East (N. Virginia)
  (Cognito developer guide, "Using your own domain");
- a DNS-validated certificate names one CNAME record per domain name (ACM API
  reference, DomainValidation.ResourceRecord), which can appear "several seconds"
  after RequestCertificate;
- ACM refuses to delete a certificate another service uses (DeleteCertificate:
  ResourceInUseException);
- IdempotencyToken: a repeated RequestCertificate with the same token returns the
  same certificate (tokens time out after an hour; pattern ``\\w+``, 1-32 characters).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from botocore.exceptions import ClientError

from aws.clients import CERTIFICATE_REGION, aws_client
from aws.errors import CertificateGone, call_translated, translate_certificate_error
from aws.retry import RetryPolicy

# Tags set at request time: a certificate is this resource's only when both match,
# so Delete never removes a certificate it did not request.
OWNER_STACK_TAG = "cognito-hosted-ui-resources:stack-id"
OWNER_LOGICAL_ID_TAG = "cognito-hosted-ui-resources:logical-id"
# What ListCertificates is asked for when looking for a certificate this resource already requested.
LIVE_STATUSES = ("PENDING_VALIDATION", "ISSUED")
# ACM API reference, CertificateDetail.Status: every status; a validation record is shared
# by every certificate for the name in the account, whatever its status (see below).
ALL_STATUSES = ("PENDING_VALIDATION", "ISSUED", "INACTIVE", "EXPIRED", "VALIDATION_TIMED_OUT", "REVOKED", "FAILED")
# ListCertificates, Includes: without keyTypes only RSA_1024 and RSA_2048 certificates are listed.
ALL_KEY_TYPES = ("RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1")


@dataclass(frozen=True)
class ValidationRecord:
    """The CNAME that proves control of the name to ACM; names end without the root dot."""

    name: str
    value: str


@dataclass(frozen=True)
class CertificateDescription:
    """What a custom domain's preflight reads of a certificate it is given."""

    arn: str
    status: str
    names: tuple[str, ...]
    not_after: datetime | None


@dataclass(frozen=True)
class RequestedCertificate:
    """What the certificate resource reads of a certificate it requested."""

    arn: str
    domain_name: str
    status: str
    validation_record: ValidationRecord | None
    owner: tuple[str, str] | None


class CertificateOperations(Protocol):
    """What the resources need from ACM; ``AcmCertificates`` is the real one."""

    def certificate(self, arn: str) -> CertificateDescription | None: ...

    def find_certificate(self, domain_name: str, owner: tuple[str, str], exclude: str = "") -> str | None: ...

    def request_certificate(self, domain_name: str, owner: tuple[str, str], idempotency_token: str) -> str: ...

    def describe_certificate(self, arn: str) -> RequestedCertificate | None: ...

    def delete_certificate(self, arn: str) -> None: ...

    def certificates_needing(self, record: ValidationRecord, exclude: str = "") -> list[tuple[str, str]]: ...


def idempotency_token(*parts: str) -> str:
    """ACM's IdempotencyToken (``\\w+``, at most 32 characters) for one request of one resource."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def bare_name(name: str) -> str:
    """A DNS name without its root dot, in lower case."""
    return name.rstrip(".").lower()


class AcmCertificates:
    def __init__(
        self, retry: RetryPolicy, acm: Callable[[], Any] = lambda: aws_client("acm", CERTIFICATE_REGION)
    ) -> None:
        self._retry = retry
        self._acm = acm

    def _call(self, operation: Callable[[], Any], *, repeatable: bool = True) -> Any:
        return call_translated(
            self._retry, operation, repeatable=repeatable, translate_error=translate_certificate_error
        )

    def certificate(self, arn: str) -> CertificateDescription | None:
        """The certificate in us-east-1, or ``None`` when it does not exist there (or the ARN is not one)."""
        acm = self._acm()
        try:
            response = self._retry.call(lambda: acm.describe_certificate(CertificateArn=arn))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("ResourceNotFoundException", "ValidationException"):
                return None
            raise translate_certificate_error(error) from error
        details = response["Certificate"]
        names = (details.get("DomainName", ""), *details.get("SubjectAlternativeNames", []))
        return CertificateDescription(
            arn=arn,
            status=str(details.get("Status", "")),
            names=tuple(dict.fromkeys(name.lower() for name in names if name)),
            not_after=details.get("NotAfter"),
        )

    def find_certificate(self, domain_name: str, owner: tuple[str, str], exclude: str = "") -> str | None:
        """A live certificate for exactly ``domain_name`` that this resource requested, other than ``exclude``."""
        acm = self._acm()
        token: str | None = None
        while True:
            arguments: dict[str, Any] = {"CertificateStatuses": list(LIVE_STATUSES), "MaxItems": 100}
            if token:
                arguments["NextToken"] = token
            page = self._list_certificates(acm, arguments)
            for summary in page.get("CertificateSummaryList", []):
                arn = str(summary["CertificateArn"])
                named = bare_name(str(summary.get("DomainName", ""))) == domain_name
                if arn != exclude and named and self._owner(arn) == owner:
                    return arn
            token = page.get("NextToken")
            if not token:
                return None

    def _list_certificates(self, acm: Any, arguments: dict[str, Any]) -> Any:
        return self._call(lambda: acm.list_certificates(**arguments))

    def request_certificate(self, domain_name: str, owner: tuple[str, str], idempotency_token: str) -> str:
        # Repeatable: the idempotency token makes a repeat (after a lost answer) return the same ARN.
        acm = self._acm()
        response = self._call(
            lambda: acm.request_certificate(
                DomainName=domain_name,
                ValidationMethod="DNS",
                IdempotencyToken=idempotency_token,
                Tags=[{"Key": OWNER_STACK_TAG, "Value": owner[0]}, {"Key": OWNER_LOGICAL_ID_TAG, "Value": owner[1]}],
            )
        )
        return str(response["CertificateArn"])

    def describe_certificate(self, arn: str) -> RequestedCertificate | None:
        acm = self._acm()
        try:
            details = self._call(lambda: acm.describe_certificate(CertificateArn=arn))["Certificate"]
        except CertificateGone:
            return None
        domain_name = bare_name(str(details.get("DomainName", "")))
        record = None
        for option in details.get("DomainValidationOptions", []):
            resource_record = option.get("ResourceRecord")
            if bare_name(str(option.get("DomainName", ""))) == domain_name and resource_record:
                record = ValidationRecord(bare_name(resource_record["Name"]), bare_name(resource_record["Value"]))
        return RequestedCertificate(
            arn=arn,
            domain_name=domain_name,
            status=str(details.get("Status", "")),
            validation_record=record,
            owner=self._owner(arn),
        )

    def delete_certificate(self, arn: str) -> None:
        """Delete; gone already is success, ``CertificateInUse`` while a distribution holds it."""
        acm = self._acm()
        with contextlib.suppress(CertificateGone):
            self._call(lambda: acm.delete_certificate(CertificateArn=arn))

    def certificates_needing(self, record: ValidationRecord, exclude: str = "") -> list[tuple[str, str]]:
        """(ARN, status) of every certificate in us-east-1 but ``exclude`` that ``record`` validates, any status.

        ACM user guide, "DNS validation": the CNAME is "created specifically for your
        domain and your account", the same for every certificate of that name, and
        renewal checks it again; so it may go only when no certificate names it.
        """
        covered = record.name.split(".", 1)[-1]
        acm = self._acm()
        needing: list[tuple[str, str]] = []
        token: str | None = None
        while True:
            arguments: dict[str, Any] = {
                "CertificateStatuses": list(ALL_STATUSES),
                "Includes": {"keyTypes": list(ALL_KEY_TYPES)},
                "MaxItems": 100,
            }
            if token:
                arguments["NextToken"] = token
            page = self._list_certificates(acm, arguments)
            for summary in page.get("CertificateSummaryList", []):
                arn = str(summary["CertificateArn"])
                if arn != exclude and covered in _covered_names(summary) and self._needs(arn, record, covered):
                    needing.append((arn, str(summary.get("Status", ""))))
            token = page.get("NextToken")
            if not token:
                return needing

    def _needs(self, arn: str, record: ValidationRecord, covered: str) -> bool:
        """Whether the certificate is validated by ``record``; one just requested, not showing it yet, is."""
        acm = self._acm()
        try:
            details = self._call(lambda: acm.describe_certificate(CertificateArn=arn))["Certificate"]
        except CertificateGone:
            return False
        for option in details.get("DomainValidationOptions", []):
            shown = option.get("ResourceRecord")
            if shown:
                if ValidationRecord(bare_name(shown["Name"]), bare_name(shown["Value"])) == record:
                    return True
            elif option.get("ValidationMethod") == "DNS" and _base_name(str(option.get("DomainName", ""))) == covered:
                return True  # "several seconds" after the request: the name's record, once shown
        return False

    def _owner(self, arn: str) -> tuple[str, str] | None:
        acm = self._acm()
        try:
            tags = self._call(lambda: acm.list_tags_for_certificate(CertificateArn=arn)).get("Tags", [])
        except CertificateGone:
            return None
        values = {str(tag["Key"]): str(tag.get("Value", "")) for tag in tags}
        if OWNER_STACK_TAG not in values or OWNER_LOGICAL_ID_TAG not in values:
            return None
        return values[OWNER_STACK_TAG], values[OWNER_LOGICAL_ID_TAG]


def _covered_names(summary: dict[str, Any]) -> set[str]:
    """The names a certificate summary covers, a wildcard's as its base name (it shares that name's record)."""
    names = [summary.get("DomainName", ""), *summary.get("SubjectAlternativeNameSummaries", [])]
    names += summary.get("SubjectAlternativeNames", [])
    return {_base_name(str(name)) for name in names if name}


def _base_name(name: str) -> str:
    return bare_name(name).removeprefix("*.")
