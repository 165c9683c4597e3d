"""ACM (in us-east-1) and Route 53 operations for a custom domain's certificate, with typed errors.

The companion of ``cognito_ops.py`` for ``Custom::CognitoDomainCertificate``:
plain arguments, plain results, every call through the ``RetryPolicy``, and every
refusal the decisions above care about leaves as one exception class, translated
once in ``translate_certificate_error``. ``CustomDomainOps`` is ``CognitoOps``
plus these operations, so the one operations object a handler invocation makes
serves every resource type.

Facts relied on (each cited where it is used):

- a Cognito custom domain's certificate lives in ACM in US East (N. Virginia)
  (Cognito developer guide, "Using your own domain");
- a DNS-validated certificate names one CNAME record per domain name
  (ACM API reference, DomainValidation.ResourceRecord, ResourceRecord: "Type ...
  Valid Values: CNAME"); the record can appear "several seconds" after
  RequestCertificate (RequestCertificate: "there is a delay of several seconds
  before you can retrieve information about the new certificate");
- ACM refuses to delete a certificate another service uses: ResourceInUseException,
  "The certificate is in use by another Amazon Web Services service in the
  caller's account. Remove the association and try again." (ACM API reference,
  DeleteCertificate: "You cannot delete an ACM certificate that is being used by
  another AWS service");
- IdempotencyToken: a repeated RequestCertificate with the same token returns the
  same certificate (tokens time out after an hour; pattern ``\\w+``, 1-32 characters).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from botocore.exceptions import ClientError

from aws.errors import AwsRefusal
from aws.retry import RetryPolicy
from cognito_ops import CERTIFICATE_REGION, CognitoOps, aws_client, system_resolves

# Tags set at request time: a certificate is this resource's only when both match,
# so Delete never removes a certificate it did not request.
OWNER_STACK_TAG = "cognito-hosted-ui-resources:stack-id"
OWNER_LOGICAL_ID_TAG = "cognito-hosted-ui-resources:logical-id"
# What ListCertificates is asked for when looking for a certificate this resource already requested.
LIVE_STATUSES = ("PENDING_VALIDATION", "ISSUED")


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


def translate_certificate_error(error: ClientError) -> CertificateError:
    details = error.response.get("Error", {})
    code = str(details.get("Code", ""))
    message = str(details.get("Message", ""))
    operation = error.operation_name
    if code == "ResourceInUseException":
        return CertificateInUse(code, message, operation)
    if code in ("ResourceNotFoundException", "InvalidArnException"):
        return CertificateGone(code, message, operation)
    if code == "NoSuchHostedZone":
        return HostedZoneGone(code, message, operation)
    # Route 53 ChangeResourceRecordSets: "Tried to delete resource record set ... but it was not found".
    if code == "InvalidChangeBatch" and "not found" in message.lower():
        return RecordNotFound(code, message, operation)
    return CertificateError(code, message, operation)


@dataclass(frozen=True)
class ValidationRecord:
    """The CNAME that proves control of the name to ACM; names end without the root dot."""

    name: str
    value: str


@dataclass(frozen=True)
class HostedZone:
    zone_id: str
    name: str
    private: bool

    def holds(self, host: str) -> bool:
        return host == self.name or host.endswith("." + self.name)


@dataclass(frozen=True)
class RequestedCertificate:
    arn: str
    domain_name: str
    status: str
    validation_record: ValidationRecord | None
    owner: tuple[str, str] | None


@runtime_checkable
class CertificateOperations(Protocol):
    """What ``resources/certificate.py`` needs from ACM and Route 53; ``CustomDomainOps`` is the real one."""

    def hosted_zone(self, zone_id: str) -> HostedZone | None: ...

    def has_a_record(self, zone_id: str, name: str) -> bool: ...

    def find_certificate(self, domain_name: str, owner: tuple[str, str], exclude: str = "") -> str | None: ...

    def request_certificate(self, domain_name: str, owner: tuple[str, str], idempotency_token: str) -> str: ...

    def describe_certificate(self, arn: str) -> RequestedCertificate | None: ...

    def delete_certificate(self, arn: str) -> None: ...

    def upsert_validation_record(self, zone_id: str, record: ValidationRecord) -> None: ...

    def delete_validation_record(self, zone_id: str, record: ValidationRecord) -> None: ...


def idempotency_token(*parts: str) -> str:
    """ACM's IdempotencyToken (``\\w+``, at most 32 characters) for one request of one resource."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _bare(name: str) -> str:
    return name.rstrip(".").lower()


class CustomDomainOps(CognitoOps):
    """Cognito, plus ACM in us-east-1 and Route 53 (a global service), made lazily like every client here."""

    def __init__(
        self,
        client: Any,
        retry: RetryPolicy,
        resolver: Callable[[str], bool] = system_resolves,
        acm: Callable[[], Any] = lambda: aws_client("acm", CERTIFICATE_REGION),
        route53: Callable[[], Any] = lambda: aws_client("route53"),
    ) -> None:
        super().__init__(client, retry, certificate_client=acm, resolver=resolver)
        self._acm = acm
        self._route53 = route53

    def _aws(self, operation: Callable[[], Any], *, repeatable: bool = True) -> Any:
        return self._call(operation, repeatable=repeatable, translate_error=translate_certificate_error)

    # --- Route 53 -------------------------------------------------------------

    def hosted_zone(self, zone_id: str) -> HostedZone | None:
        route53 = self._route53()
        try:
            response = self._aws(lambda: route53.get_hosted_zone(Id=zone_id))
        except HostedZoneGone:
            return None
        zone = response["HostedZone"]
        return HostedZone(
            zone_id=zone_id,
            name=_bare(str(zone["Name"])),
            private=bool((zone.get("Config") or {}).get("PrivateZone")),
        )

    def has_a_record(self, zone_id: str, name: str) -> bool:
        """Whether the zone has an A record (plain or alias) named exactly ``name``."""
        route53 = self._route53()
        response = self._aws(
            lambda: route53.list_resource_record_sets(
                HostedZoneId=zone_id, StartRecordName=name, StartRecordType="A", MaxItems="1"
            )
        )
        return any(
            _bare(str(record["Name"])) == _bare(name) and record["Type"] == "A"
            for record in response.get("ResourceRecordSets", [])
        )

    def upsert_validation_record(self, zone_id: str, record: ValidationRecord) -> None:
        # Repeatable: UPSERT sets the record whole, so a repeat lands in the same state.
        self._change_record(zone_id, "UPSERT", record)

    def delete_validation_record(self, zone_id: str, record: ValidationRecord) -> None:
        """Remove the record; gone already (or holding another value) is left as it is."""
        with contextlib.suppress(RecordNotFound, HostedZoneGone):
            self._change_record(zone_id, "DELETE", record)

    def _change_record(self, zone_id: str, action: str, record: ValidationRecord) -> None:
        route53 = self._route53()
        change = {
            "Action": action,
            "ResourceRecordSet": {
                "Name": record.name + ".",
                "Type": "CNAME",
                # ACM's own console writes 300 s; the record stays for renewals.
                "TTL": 300,
                "ResourceRecords": [{"Value": record.value + "."}],
            },
        }
        self._aws(lambda: route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [change]}))

    # --- ACM in us-east-1 -------------------------------------------------------

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
                named = _bare(str(summary.get("DomainName", ""))) == domain_name
                if arn != exclude and named and self._owner(arn) == owner:
                    return arn
            token = page.get("NextToken")
            if not token:
                return None

    def _list_certificates(self, acm: Any, arguments: dict[str, Any]) -> Any:
        return self._aws(lambda: acm.list_certificates(**arguments))

    def request_certificate(self, domain_name: str, owner: tuple[str, str], idempotency_token: str) -> str:
        # Repeatable: the idempotency token makes a repeat (after a lost answer) return the same ARN.
        acm = self._acm()
        response = self._aws(
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
            details = self._aws(lambda: acm.describe_certificate(CertificateArn=arn))["Certificate"]
        except CertificateGone:
            return None
        domain_name = _bare(str(details.get("DomainName", "")))
        record = None
        for option in details.get("DomainValidationOptions", []):
            resource_record = option.get("ResourceRecord")
            if _bare(str(option.get("DomainName", ""))) == domain_name and resource_record:
                record = ValidationRecord(_bare(resource_record["Name"]), _bare(resource_record["Value"]))
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
            self._aws(lambda: acm.delete_certificate(CertificateArn=arn))

    def _owner(self, arn: str) -> tuple[str, str] | None:
        acm = self._acm()
        try:
            tags = self._aws(lambda: acm.list_tags_for_certificate(CertificateArn=arn)).get("Tags", [])
        except CertificateGone:
            return None
        values = {str(tag["Key"]): str(tag.get("Value", "")) for tag in tags}
        if OWNER_STACK_TAG not in values or OWNER_LOGICAL_ID_TAG not in values:
            return None
        return values[OWNER_STACK_TAG], values[OWNER_LOGICAL_ID_TAG]
