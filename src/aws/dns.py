"""DNS: Route 53 (the validation record, the parent domain's A record) and plain resolving.

Cognito checks that a custom domain's parent resolves before it creates the domain
(developer guide, "Using your own domain": "the parent domain must have a valid DNS
A record"), so the preflight asks the resolver the same question.
"""

from __future__ import annotations

import contextlib
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from aws.certificates import ValidationRecord, bare_name
from aws.clients import aws_client
from aws.errors import HostedZoneGone, RecordChanged, RecordNotFound, call_translated, translate_certificate_error
from aws.retry import RetryPolicy

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HostedZone:
    zone_id: str
    name: str
    private: bool

    def holds(self, host: str) -> bool:
        return host == self.name or host.endswith("." + self.name)


class DnsOperations(Protocol):
    """What the resources need from DNS; ``Route53Dns`` is the real one."""

    def resolves(self, host: str) -> bool: ...

    def hosted_zone(self, zone_id: str) -> HostedZone | None: ...

    def has_a_record(self, zone_id: str, name: str) -> bool: ...

    def upsert_validation_record(self, zone_id: str, record: ValidationRecord) -> None: ...

    def delete_validation_record(self, zone_id: str, record: ValidationRecord) -> None: ...


def system_resolves(host: str) -> bool:
    """Whether DNS answers an A record for ``host`` (the check Cognito makes for a custom domain's parent)."""
    try:
        return bool(socket.getaddrinfo(host, 443, family=socket.AF_INET, type=socket.SOCK_STREAM))
    except (OSError, UnicodeError):
        return False


class Route53Dns:
    """Route 53 (a global service) and the resolver, made lazily like every client here."""

    def __init__(
        self,
        retry: RetryPolicy,
        route53: Callable[[], Any] = lambda: aws_client("route53"),
        resolver: Callable[[str], bool] = system_resolves,
    ) -> None:
        self._retry = retry
        self._route53 = route53
        self._resolver = resolver

    def _call(self, operation: Callable[[], Any]) -> Any:
        return call_translated(self._retry, operation, translate_error=translate_certificate_error)

    def resolves(self, host: str) -> bool:
        return self._resolver(host)

    def hosted_zone(self, zone_id: str) -> HostedZone | None:
        route53 = self._route53()
        try:
            response = self._call(lambda: route53.get_hosted_zone(Id=zone_id))
        except HostedZoneGone:
            return None
        zone = response["HostedZone"]
        return HostedZone(
            zone_id=zone_id,
            name=bare_name(str(zone["Name"])),
            private=bool((zone.get("Config") or {}).get("PrivateZone")),
        )

    def has_a_record(self, zone_id: str, name: str) -> bool:
        """Whether the zone has an A record (plain or alias) named exactly ``name``."""
        route53 = self._route53()
        response = self._call(
            lambda: route53.list_resource_record_sets(
                HostedZoneId=zone_id, StartRecordName=name, StartRecordType="A", MaxItems="1"
            )
        )
        return any(
            bare_name(str(record["Name"])) == bare_name(name) and record["Type"] == "A"
            for record in response.get("ResourceRecordSets", [])
        )

    def upsert_validation_record(self, zone_id: str, record: ValidationRecord) -> None:
        # Repeatable: UPSERT sets the record whole, so a repeat lands in the same state.
        self._change_record(zone_id, "UPSERT", record)

    def delete_validation_record(self, zone_id: str, record: ValidationRecord) -> None:
        """Remove the record; gone already is success, and a record someone changed is left as it is."""
        try:
            with contextlib.suppress(RecordNotFound, HostedZoneGone):
                self._change_record(zone_id, "DELETE", record)
        except RecordChanged:
            # Route 53 deletes only a record given with its current TTL and values
            # (ChangeResourceRecordSets): another value or TTL means someone changed it since.
            logger.warning(
                "Left validation record %s in hosted zone %s: its TTL or value is not the one this resource "
                "wrote, so someone changed it; delete it by hand if nothing needs it",
                record.name,
                zone_id,
            )

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
        self._call(lambda: route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [change]}))
