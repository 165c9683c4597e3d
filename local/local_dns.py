"""DNS for a local run, answered from the local Route 53: no resolver on this machine knows example.test.

Cognito requires a custom domain's parent to have a DNS A record (developer guide,
"Using your own domain"), and the handler checks that before any write with the
resolver its operations are given. Locally, a host resolves when a public hosted
zone of the local Route 53 has an A record (plain or alias) for it, as it would
once that zone is delegated; the double's Cognito answers the same way
(``FaithfulCognito.resolves``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws.operations import Operations, aws_operations
from aws.retry import RetryPolicy


def zone_resolver(route53: Any) -> Callable[[str], bool]:
    def resolves(host: str) -> bool:
        host = host.rstrip(".").lower()
        for zone in route53.list_hosted_zones()["HostedZones"]:
            name = str(zone["Name"]).rstrip(".").lower()
            if zone.get("Config", {}).get("PrivateZone") or not (host == name or host.endswith("." + name)):
                continue
            records = route53.list_resource_record_sets(
                HostedZoneId=zone["Id"], StartRecordName=host, StartRecordType="A", MaxItems="1"
            )["ResourceRecordSets"]
            if any(r["Name"].rstrip(".").lower() == host and r["Type"] == "A" for r in records):
                return True
        return False

    return resolves


def local_ops_factory(route53: Any) -> Callable[[RetryPolicy], Operations]:
    """The handler's operations for a local run: the real ones, with DNS from the local Route 53."""
    resolver = zone_resolver(route53)

    def make(retry: RetryPolicy) -> Operations:
        return aws_operations(retry, resolver=resolver)

    return make
