"""ACM and Route 53 as a Cognito custom domain meets them: moto, corrected.

``install()`` in ``faithful_cognito.py`` applies ``acm_route53_patches(state)``.
moto keeps the certificates and the zones; these patches change three rules,
each as the real services are documented to behave:

- A DNS-validated certificate names one CNAME record per domain name (ACM API
  reference, DomainValidation.ResourceRecord; ResourceRecord "Type ... Valid
  Values: CNAME"), named ``_<token>.<domain>.`` with a value under
  ``acm-validations.aws.``. moto gives every certificate the same record; the
  double derives the tokens from the certificate's ARN. (Whether real ACM reuses
  one record for all certificates of a name in an account is not confirmed here.)
- It stays ``PENDING_VALIDATION`` until that record exists in a public hosted zone
  of the account, then turns ``ISSUED`` ``validation_delay`` seconds later on the
  double's clock (ACM user guide, DNS validation: ACM issues the certificate once
  it finds the record; how long that takes is not documented, "up to several
  hours" in the console's words is not confirmed here). moto issues it after 60 s
  of wall time whether or not any record exists.
- A certificate that a Cognito custom domain uses cannot be deleted while the
  domain exists, DELETING included (its CloudFront distribution still holds the
  certificate): ``ResourceInUseException``, "The certificate is in use by another
  Amazon Web Services service in the caller's account. Remove the association and
  try again." (ACM API reference, DeleteCertificate and ResourceInUseException).
  moto deletes it.

What "resolves" for a custom domain's parent (``FaithfulCognito.resolves``) also
comes from here: a host with an A record (plain or alias) in one of moto's public
hosted zones resolves, as it would once the zone is delegated.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from unittest import mock

from moto.acm.models import AWSCertificateManagerBackend, CertBundle
from moto.core.exceptions import JsonRESTError
from moto.route53.responses import Route53

if TYPE_CHECKING:
    from cognito_double.faithful_cognito import FaithfulCognito

IN_USE = (
    "The certificate is in use by another Amazon Web Services service in the caller's account. "
    "Remove the association and try again."
)


class ResourceInUseException(JsonRESTError):
    def __init__(self, arn: str) -> None:
        super().__init__("ResourceInUseException", f"Certificate {arn} is in use. {IN_USE}")


@dataclass
class CertificateRules:
    """The double's settings and memory for ACM; ``FaithfulCognito.certificates`` holds one."""

    # Seconds from the validation record's appearance to ISSUED.
    validation_delay: float = 3.0
    # ARN -> when (double's clock) the validation record was first seen in a zone.
    record_seen_at: dict[str, float] = field(default_factory=dict)

    def reset(self) -> None:
        self.validation_delay = 3.0
        self.record_seen_at.clear()


def validation_record(arn: str, domain_name: str) -> tuple[str, str]:
    """(name, value) of the CNAME that validates ``domain_name`` for the certificate ``arn``, both ending in '.'."""
    digest = hashlib.sha256(arn.encode()).hexdigest()
    bare = domain_name[2:] if domain_name.startswith("*.") else domain_name
    return f"_{digest[:32]}.{bare}.", f"_{digest[32:64]}.{digest[:10]}.acm-validations.aws."


def _zones() -> Iterator[Any]:
    from moto.route53.models import route53_backends

    for account_id in list(route53_backends.keys()):
        for backend in list(route53_backends[account_id].values()):
            yield from list(backend.zones.values())


def _has_record(name: str, record_type: str, value: str | None = None) -> bool:
    wanted = name.rstrip(".").lower()
    for zone in _zones():
        if zone.private_zone:
            continue
        for record in zone.rrsets:
            if record.name.rstrip(".").lower() != wanted or record.type != record_type:
                continue
            if value is None or value.rstrip(".") in [str(v).rstrip(".") for v in record.records]:
                return True
    return False


def zone_has_a_record(host: str) -> bool:
    """Whether a public hosted zone has an A record (plain or alias) for ``host``: then it resolves."""
    return _has_record(host, "A")


def _is_pending_dns(bundle: CertBundle) -> bool:
    return bool(bundle.type == "AMAZON_ISSUED" and bundle.status == "PENDING_VALIDATION")


def _notice_records(state: FaithfulCognito, bundle: CertBundle) -> None:
    rules = state.certificates
    if _is_pending_dns(bundle) and bundle.arn not in rules.record_seen_at:
        name, value = validation_record(bundle.arn, str(bundle.common_name))
        if _has_record(name, "CNAME", value):
            rules.record_seen_at[bundle.arn] = state.clock()


def _pending_bundles() -> Iterator[CertBundle]:
    from moto.acm.models import acm_backends

    for account_id in list(acm_backends.keys()):
        for backend in list(acm_backends[account_id].values()):
            yield from [b for b in list(backend._certificates.values()) if _is_pending_dns(b)]


def _in_use(state: FaithfulCognito, arn: str) -> bool:
    with state.lock:
        for region, name in list(state.domains):
            record = state.refresh(region, name)
            if record is not None and record.certificate_arn == arn:
                return True
    return False


def acm_route53_patches(state: FaithfulCognito) -> list[Any]:
    """The patches (not started) that give moto's ACM and Route 53 the rules above."""
    original_check: Callable[[CertBundle], None] = CertBundle.check
    original_describe: Callable[[CertBundle], dict[str, Any]] = CertBundle.describe
    original_delete = AWSCertificateManagerBackend.delete_certificate
    original_change = Route53.change_resource_record_sets

    def check(bundle: CertBundle) -> None:
        if not _is_pending_dns(bundle):
            original_check(bundle)  # expiry, as moto has it
            return
        _notice_records(state, bundle)
        seen = state.certificates.record_seen_at.get(bundle.arn)
        if seen is not None and state.clock() >= seen + state.certificates.validation_delay:
            bundle.status = "ISSUED"

    def describe(bundle: CertBundle) -> dict[str, Any]:
        result = original_describe(bundle)
        for option in result["Certificate"].get("DomainValidationOptions", []):
            name, value = validation_record(bundle.arn, option["DomainName"])
            option["ResourceRecord"] = {"Name": name, "Type": "CNAME", "Value": value}
            option["ValidationStatus"] = "SUCCESS" if bundle.status == "ISSUED" else bundle.status
        return result

    def delete_certificate(backend: AWSCertificateManagerBackend, arn: str) -> None:
        if _in_use(state, arn):
            raise ResourceInUseException(arn)
        original_delete(backend, arn)
        state.certificates.record_seen_at.pop(arn, None)

    def change_resource_record_sets(response: Route53) -> Any:
        result = original_change(response)
        # ACM keeps looking for the record: the delay runs from when it was written.
        for bundle in _pending_bundles():
            _notice_records(state, bundle)
        return result

    return [
        mock.patch.object(CertBundle, "check", check),
        mock.patch.object(CertBundle, "describe", describe),
        mock.patch.object(AWSCertificateManagerBackend, "delete_certificate", delete_certificate),
        mock.patch.object(Route53, "change_resource_record_sets", change_resource_record_sets),
    ]
