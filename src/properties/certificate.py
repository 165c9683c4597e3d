"""Validated properties of ``Custom::CognitoDomainCertificate``.

The certificate is for one custom domain name, in a Route 53 public hosted zone
that holds it: the zone is where the DNS validation record is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from properties.domain import domain_name_problems
from properties.flags import RETAIN_ON_DELETE, LifecycleFlags, read_lifecycle_flags
from properties.parsing import PropertyReader, shown

RESOURCE_TYPE = "Custom::CognitoDomainCertificate"

# AdoptExisting is not among them: a certificate is requested, never adopted.
KNOWN_PROPERTIES = frozenset({"DomainName", "HostedZoneId", RETAIN_ON_DELETE})

# Route 53 API reference, HostedZone.Id: "Length Constraints: Maximum length of 32";
# ids are upper-case letters and digits (Z1D633PJN98FT9). "/hostedzone/<id>", as
# some APIs return it, is accepted and reduced to the id.
HOSTED_ZONE_ID_PATTERN = re.compile(r"^[A-Z0-9]{1,32}$")


@dataclass(frozen=True)
class CertificateProperties:
    domain_name: str
    hosted_zone_id: str
    # RetainOnDelete only: a certificate is requested, never adopted (AdoptExisting is refused).
    flags: LifecycleFlags = field(default_factory=LifecycleFlags)


def parse_certificate_properties(raw: Any) -> CertificateProperties:
    """Typed properties, or ``InvalidPropertiesError`` naming every problem."""
    reader = PropertyReader(RESOURCE_TYPE, raw)
    reader.reject_unknown(KNOWN_PROPERTIES)
    domain_name = reader.string("DomainName", required=True)
    zone_id = reader.string("HostedZoneId", required=True)
    flags = read_lifecycle_flags(reader, adoptable=False)
    if domain_name is not None:
        if "." not in domain_name:
            reader.problems.append(
                f"DomainName {shown(domain_name)} is not a custom domain: give a fully qualified name "
                "such as auth.example.com (a prefix domain needs no certificate)"
            )
        else:
            reader.problems.extend(domain_name_problems(domain_name))
    if zone_id is not None:
        zone_id = zone_id.removeprefix("/hostedzone/")
        if not HOSTED_ZONE_ID_PATTERN.match(zone_id):
            reader.problems.append(
                f"HostedZoneId {shown(zone_id)} is not a Route 53 hosted zone id (expected the form Z1D633PJN98FT9)"
            )
    reader.fail_if_problems()
    return CertificateProperties(domain_name=str(domain_name), hosted_zone_id=str(zone_id), flags=flags)
