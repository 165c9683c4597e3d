"""``InMemoryCustomDomain``: ``InMemoryCognito`` plus ACM and Route 53 in memory, for certificate decisions.

It implements ``aws.certificates.CertificateOperations`` and ``aws.dns.DnsOperations`` with the rules
the double documents (docs/design/double.md cites the sources):

- every certificate for a name gets the same CNAME record (one per name per account);
- RequestCertificate makes a ``PENDING_VALIDATION`` certificate whose CNAME record
  is shown at once (``hide_records`` hides it, as ACM does for "several seconds");
  the same idempotency token returns the same certificate;
- ``validate()`` is ACM finding the records: every pending certificate whose record
  is in a public zone turns ISSUED (``fail_validation`` names ARNs that turn FAILED);
- DeleteCertificate is refused with ``CertificateInUse`` while a domain of this
  fake (in any state, DELETING included) uses the certificate.

Nothing moves on its own; every call is recorded in ``calls``, writes in ``writes``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from aws.certificates import RequestedCertificate, ValidationRecord
from aws.dns import HostedZone
from aws.errors import CertificateInUse
from tests.support.fake_ops import InMemoryCognito

ACCOUNT = "123456789012"


@dataclass
class FakeCertificate:
    arn: str
    domain_name: str
    status: str
    owner: tuple[str, str] | None
    record: ValidationRecord


class InMemoryCustomDomain(InMemoryCognito):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.zones: dict[str, HostedZone] = {}
        # (zone id, record name, type) -> value
        self.records: dict[tuple[str, str, str], str] = {}
        self.acm: dict[str, FakeCertificate] = {}
        self.tokens: dict[str, str] = {}
        self.hide_records = False
        self.serial = 0
        # ARNs DescribeCertificate does not find yet (ACM: "a delay of several seconds"
        # after RequestCertificate); ``hide_requested`` puts each new one here.
        self.unseen: set[str] = set()
        self.hide_requested = False
        self.fail_validation: set[str] = set()

    # --- set-up and time, for tests ------------------------------------------

    def add_zone(self, zone_id: str, name: str, private: bool = False) -> None:
        self.zones[zone_id] = HostedZone(zone_id, name, private)

    def add_a_record(self, zone_id: str, name: str) -> None:
        self.records[(zone_id, name, "A")] = "192.0.2.10"

    def add_certificate(
        self, domain_name: str, owner: tuple[str, str] | None, status: str = "ISSUED", arn: str = ""
    ) -> str:
        """A certificate that exists already (requested earlier, or by someone else)."""
        self.serial += 1  # ACM never gives a deleted certificate's ARN to a new one
        arn = arn or _arn(f"{domain_name}/{owner}/{self.serial}")
        self.acm[arn] = FakeCertificate(arn, domain_name, status, owner, _record(domain_name))
        return arn

    def validate(self) -> None:
        """ACM finds the validation records: pending certificates whose record is in a public zone are decided."""
        for certificate in self.acm.values():
            if certificate.status == "PENDING_VALIDATION" and self._record_in_public_zone(certificate.record):
                certificate.status = "FAILED" if certificate.arn in self.fail_validation else "ISSUED"

    def _record_in_public_zone(self, record: ValidationRecord) -> bool:
        return any(
            self.records.get((zone_id, record.name, "CNAME")) == record.value
            for zone_id, zone in self.zones.items()
            if not zone.private
        )

    # --- CertificateOperations ------------------------------------------------

    def hosted_zone(self, zone_id: str) -> HostedZone | None:
        self._arrive("hosted_zone", zone_id)
        return self.zones.get(zone_id)

    def has_a_record(self, zone_id: str, name: str) -> bool:
        self._arrive("has_a_record", zone_id, name)
        return (zone_id, name, "A") in self.records

    def find_certificate(self, domain_name: str, owner: tuple[str, str], exclude: str = "") -> str | None:
        self._arrive("find_certificate", domain_name, owner, exclude)
        for certificate in self.acm.values():
            live = certificate.status in ("PENDING_VALIDATION", "ISSUED")
            if (
                live
                and certificate.arn != exclude
                and (certificate.domain_name, certificate.owner)
                == (
                    domain_name,
                    owner,
                )
            ):
                return certificate.arn
        return None

    def request_certificate(self, domain_name: str, owner: tuple[str, str], idempotency_token: str) -> str:
        call = self._arrive("request_certificate", domain_name, owner, idempotency_token)
        if idempotency_token in self.tokens:
            return self.tokens[idempotency_token]
        arn = self.add_certificate(domain_name, owner, status="PENDING_VALIDATION")
        self.tokens[idempotency_token] = arn
        if self.hide_requested:
            self.unseen.add(arn)
        self._acted(call)
        return arn

    def describe_certificate(self, arn: str) -> RequestedCertificate | None:
        self._arrive("describe_certificate", arn)
        certificate = self.acm.get(arn)
        if certificate is None or arn in self.unseen:
            return None
        return RequestedCertificate(
            arn=arn,
            domain_name=certificate.domain_name,
            status=certificate.status,
            validation_record=None if self.hide_records else certificate.record,
            owner=certificate.owner,
        )

    def delete_certificate(self, arn: str) -> None:
        call = self._arrive("delete_certificate", arn)
        if any(domain.certificate_arn == arn for domain in self.domains.values()):
            raise CertificateInUse("ResourceInUseException", f"Certificate {arn} is in use.", "DeleteCertificate")
        if self.acm.pop(arn, None) is not None:
            self._acted(call)

    def upsert_validation_record(self, zone_id: str, record: ValidationRecord) -> None:
        call = self._arrive("upsert_validation_record", zone_id, record)
        self.records[(zone_id, record.name, "CNAME")] = record.value
        self._acted(call)

    def delete_validation_record(self, zone_id: str, record: ValidationRecord) -> None:
        call = self._arrive("delete_validation_record", zone_id, record)
        if self.records.get((zone_id, record.name, "CNAME")) != record.value:
            return  # Route53Dns treats Route 53's "not found" as gone
        del self.records[(zone_id, record.name, "CNAME")]
        self._acted(call)

    def certificates_needing(self, record: ValidationRecord, exclude: str = "") -> list[tuple[str, str]]:
        self._arrive("certificates_needing", record, exclude)
        return [(c.arn, c.status) for c in self.acm.values() if c.arn != exclude and c.record == record]

    def certificate_names(self) -> dict[str, tuple[str, str]]:
        """What exists in ACM: ARN -> (domain name, status)."""
        return {arn: (c.domain_name, c.status) for arn, c in self.acm.items()}


def _arn(seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).hexdigest()
    return (
        f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/"
        f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    )


def _record(domain_name: str) -> ValidationRecord:
    digest = hashlib.sha256(f"{ACCOUNT}/{domain_name}".encode()).hexdigest()
    return ValidationRecord(f"_{digest[:32]}.{domain_name}", f"_{digest[32:]}.acm-validations.aws")
