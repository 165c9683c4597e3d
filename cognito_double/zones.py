"""What moto's Route 53 holds, read as DNS answers it: public hosted zones only.

A host with an A record (plain or alias) in a public zone resolves, as it would once
the zone is delegated; ACM finds its validation CNAMEs here too. Private zones answer
only inside their VPCs, so neither counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def public_zones() -> Iterator[Any]:
    from moto.route53.models import route53_backends

    for account_id in list(route53_backends.keys()):
        for backend in list(route53_backends[account_id].values()):
            yield from [zone for zone in list(backend.zones.values()) if not zone.private_zone]


def has_record(name: str, record_type: str, value: str | None = None) -> bool:
    """Whether a public zone has a ``record_type`` record for ``name`` (with ``value`` among its values, if given)."""
    wanted = name.rstrip(".").lower()
    for zone in public_zones():
        for record in zone.rrsets:
            if record.name.rstrip(".").lower() != wanted or record.type != record_type:
                continue
            if value is None or value.rstrip(".") in [str(v).rstrip(".") for v in record.records]:
                return True
    return False


def zone_has_a_record(host: str) -> bool:
    """Whether a public hosted zone has an A record (plain or alias) for ``host``: then it resolves."""
    return has_record(host, "A")
