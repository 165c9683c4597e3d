"""ACM as a Cognito custom domain meets it: moto, corrected.

moto issues a DNS-validated certificate after 60 s of wall time whether or not its
record exists, and deletes a certificate that is in use. Here it waits for its CNAME
in a public zone (``zones``) on the double's clock, and refuses to delete a
certificate a custom domain holds. Rules and sources: docs/design/double.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

from moto.acm.models import AWSCertificateManagerBackend, CertBundle

from cognito_double.errors import ResourceInUseException
from cognito_double.state import FaithfulCognito
from cognito_double.zones import has_record


def validation_record(arn: str, domain_name: str) -> tuple[str, str]:
    """(name, value) of the CNAME that validates ``domain_name`` for the certificate ``arn``, both ending in '.'."""
    # C1: ACM API reference, ResourceRecord ("Valid Values: CNAME").
    digest = hashlib.sha256(arn.encode()).hexdigest()
    bare = domain_name[2:] if domain_name.startswith("*.") else domain_name
    return f"_{digest[:32]}.{bare}.", f"_{digest[32:64]}.{digest[:10]}.acm-validations.aws."


def _is_pending_dns(bundle: CertBundle) -> bool:
    return bool(bundle.type == "AMAZON_ISSUED" and bundle.status == "PENDING_VALIDATION")


def notice_records(state: FaithfulCognito, bundle: CertBundle) -> None:
    """Remember when a pending certificate's validation record first appeared in a public zone."""
    rules = state.certificates
    if _is_pending_dns(bundle) and bundle.arn not in rules.record_seen_at:
        name, value = validation_record(bundle.arn, str(bundle.common_name))
        if has_record(name, "CNAME", value):
            rules.record_seen_at[bundle.arn] = state.clock()


def pending_bundles() -> Iterator[CertBundle]:
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


def acm_patches(state: FaithfulCognito) -> list[Any]:
    """The patches (not started) that give moto's ACM the double's rules."""
    original_check: Callable[[CertBundle], None] = CertBundle.check
    original_describe: Callable[[CertBundle], dict[str, Any]] = CertBundle.describe
    original_delete = AWSCertificateManagerBackend.delete_certificate

    def check(bundle: CertBundle) -> None:
        if not _is_pending_dns(bundle):
            original_check(bundle)  # expiry, as moto has it
            return
        notice_records(state, bundle)
        seen = state.certificates.record_seen_at.get(bundle.arn)
        # C2: ACM user guide, "DNS validation"; how long ACM takes is unconfirmed.
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
        if _in_use(state, arn):  # C3: ACM API reference, DeleteCertificate
            raise ResourceInUseException(arn)
        original_delete(backend, arn)
        state.certificates.record_seen_at.pop(arn, None)

    return [
        mock.patch.object(CertBundle, "check", check),
        mock.patch.object(CertBundle, "describe", describe),
        mock.patch.object(AWSCertificateManagerBackend, "delete_certificate", delete_certificate),
    ]
