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

from moto.acm.exceptions import CertificateNotFound
from moto.acm.models import AWSCertificateManagerBackend, CertBundle

from cognito_double.errors import ResourceInUseException
from cognito_double.state import FaithfulCognito
from cognito_double.zones import has_record


def validation_record(arn: str, domain_name: str, one_per_name: bool = True) -> tuple[str, str]:
    """(name, value) of the CNAME that validates ``domain_name`` for the certificate ``arn``, both ending in '.'."""
    # C1: ACM API reference, ResourceRecord ("Valid Values: CNAME").
    bare = domain_name[2:] if domain_name.startswith("*.") else domain_name
    # C4: ACM user guide, "DNS validation": each record is "created specifically for your domain and
    # your account", and you "can request additional ACM certificates ... as long as the CNAME record
    # remains in place"; the same for every certificate of a name in an account (``one_record_per_name``).
    account_id = arn.split(":")[4]
    digest = hashlib.sha256((f"{account_id}/{bare}" if one_per_name else arn).encode()).hexdigest()
    return f"_{digest[:32]}.{bare}.", f"_{digest[32:64]}.{digest[:10]}.acm-validations.aws."


def _is_pending_dns(bundle: CertBundle) -> bool:
    return bool(bundle.type == "AMAZON_ISSUED" and bundle.status == "PENDING_VALIDATION")


def notice_records(state: FaithfulCognito, bundle: CertBundle) -> None:
    """Remember when a pending certificate's validation record first appeared in a public zone."""
    rules = state.certificates
    if _is_pending_dns(bundle) and bundle.arn not in rules.record_seen_at:
        name, value = validation_record(bundle.arn, str(bundle.common_name), rules.one_record_per_name)
        if has_record(name, "CNAME", value):
            rules.record_seen_at[bundle.arn] = state.clock()


def pending_bundles() -> Iterator[CertBundle]:
    from moto.acm.models import acm_backends

    for account_id in list(acm_backends.keys()):
        for backend in list(acm_backends[account_id].values()):
            yield from [b for b in list(backend._certificates.values()) if _is_pending_dns(b)]


def _in_use(state: FaithfulCognito, arn: str) -> bool:
    with state.lock:
        # C7: UpdateUserPoolDomain, "requires up to 1 hour to distribute your new certificate":
        # meanwhile the old one is still served (``rotation_hold``; how long is unconfirmed).
        if state.certificates.held_until.get(arn, 0.0) > state.clock():
            return True
        for region, name in list(state.domains):
            record = state.refresh(region, name)
            if record is not None and record.certificate_arn == arn:
                return True
    return False


def _requested_within(state: FaithfulCognito, arn: str, seconds: float) -> bool:
    requested = state.certificates.requested_at.get(arn)
    return requested is not None and state.clock() < requested + seconds


def acm_patches(state: FaithfulCognito) -> list[Any]:
    """The patches (not started) that give moto's ACM the double's rules."""
    original_check: Callable[[CertBundle], None] = CertBundle.check
    original_describe: Callable[[CertBundle], dict[str, Any]] = CertBundle.describe
    original_delete = AWSCertificateManagerBackend.delete_certificate
    original_request = AWSCertificateManagerBackend.request_certificate
    original_get = AWSCertificateManagerBackend.get_certificate

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
        rules = state.certificates
        # C5: DescribeCertificate, "a delay of several seconds before you can retrieve information".
        missing = _requested_within(state, bundle.arn, rules.record_missing_for)
        for option in result["Certificate"].get("DomainValidationOptions", []):
            name, value = validation_record(bundle.arn, option["DomainName"], rules.one_record_per_name)
            option["ResourceRecord"] = {"Name": name, "Type": "CNAME", "Value": value}
            option["ValidationStatus"] = "SUCCESS" if bundle.status == "ISSUED" else bundle.status
            if missing:
                del option["ResourceRecord"]
        return result

    def get_certificate(backend: AWSCertificateManagerBackend, arn: str) -> CertBundle:
        # C5: not found at all for ``describe_not_found_for`` seconds after the request.
        if _requested_within(state, arn, state.certificates.describe_not_found_for):
            raise CertificateNotFound(arn=arn, account_id=backend.account_id)
        return original_get(backend, arn)

    def list_certificates(
        backend: AWSCertificateManagerBackend, statuses: list[str], includes: dict[str, Any]
    ) -> Iterator[CertBundle]:
        # C5: the delay is DescribeCertificate's; ListCertificates (moto's goes through
        # get_certificate) does not fail for it: a certificate not found yet is not listed.
        for arn in list(backend._certificates):
            if _requested_within(state, arn, state.certificates.describe_not_found_for):
                continue
            bundle = original_get(backend, arn)
            key_types = (includes or {}).get("keyTypes")
            if statuses and bundle.status not in statuses:
                continue
            if key_types and bundle.describe()["Certificate"]["KeyAlgorithm"] not in key_types:
                continue
            yield bundle

    def request_certificate(
        backend: AWSCertificateManagerBackend,
        domain_name: str,
        idempotency_token: str | None,
        *args: Any,
        **kwargs: Any,
    ) -> str:
        rules, now = state.certificates, state.clock()
        key = (backend.account_id, backend.region_name, idempotency_token or "")
        # C6: RequestCertificate, IdempotencyToken: "Idempotency tokens time out after one hour"; on
        # the double's clock. A token whose certificate was deleted: ``reuse_after_delete`` (unconfirmed).
        if idempotency_token and key in rules.tokens and now - rules.tokens[key][1] < 3600:
            arn = rules.tokens[key][0]
            if arn in backend._certificates or rules.reuse_after_delete == "same-arn":
                return arn
        # No token for moto: its own token memory runs on wall time and fails on a deleted certificate.
        arn = str(original_request(backend, domain_name, None, *args, **kwargs))
        if idempotency_token:
            rules.tokens[key] = (arn, now)
        rules.requested_at[arn] = now
        return arn

    def delete_certificate(backend: AWSCertificateManagerBackend, arn: str) -> None:
        if _in_use(state, arn):  # C3: ACM API reference, DeleteCertificate
            raise ResourceInUseException(arn)
        original_delete(backend, arn)
        state.certificates.record_seen_at.pop(arn, None)

    return [
        mock.patch.object(CertBundle, "check", check),
        mock.patch.object(CertBundle, "describe", describe),
        mock.patch.object(AWSCertificateManagerBackend, "get_certificate", get_certificate),
        mock.patch.object(AWSCertificateManagerBackend, "list_certificates", list_certificates),
        mock.patch.object(AWSCertificateManagerBackend, "request_certificate", request_certificate),
        mock.patch.object(AWSCertificateManagerBackend, "delete_certificate", delete_certificate),
    ]
