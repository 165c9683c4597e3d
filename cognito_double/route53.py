"""Route 53 as the certificate resource meets it: moto, corrected.

A DELETE must match the record as it is (moto checks a journal and answers
InvalidInput); a test can make the next calls answer PriorRequestNotComplete or
Throttling; and ACM notices a validation record as soon as it is written. Rules and
sources: docs/design/double.md.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

from moto.route53.responses import Route53

from cognito_double.acm import notice_records, pending_bundles
from cognito_double.errors import Route53Error, invalid_change_batch
from cognito_double.state import FaithfulCognito


def _values(record_set: dict[str, Any]) -> set[str]:
    return {str(r["Value"] if isinstance(r, dict) else r).rstrip(".") for r in record_set.get("ResourceRecords") or []}


def _check_delete(zone: Any, record_set: dict[str, Any]) -> None:
    """R1: a DELETE names a record that exists, with exactly its current TTL and values."""
    name = str(record_set["Name"]).rstrip(".") + "."
    record_type = str(record_set["Type"])
    current = [
        r
        for r in zone.rrsets
        if r.name.rstrip(".").lower() == name.rstrip(".").lower()
        and r.type == record_type
        and r.set_identifier == record_set.get("SetIdentifier")
    ]
    if not current:
        raise invalid_change_batch(name, record_type, "it was not found")
    (existing,) = current
    given_ttl = record_set.get("TTL")
    same_ttl = given_ttl is None or existing.ttl is None or str(given_ttl) == str(existing.ttl)
    if not same_ttl or _values(record_set) != {str(v).rstrip(".") for v in existing.records}:
        raise invalid_change_batch(name, record_type, "the values provided do not match the current values")


def _injected(state: FaithfulCognito) -> Route53Error | None:
    rules = state.route53
    if rules.throttled > 0:
        # R3: Route 53 developer guide, "Throttling for Amazon Route 53 API requests": Code Throttling, "Rate exceeded".
        rules.throttled -= 1
        return Route53Error("Throttling", "Rate exceeded")
    if rules.prior_request_not_complete > 0:
        # R2: ChangeResourceRecordSets errors, PriorRequestNotComplete ("can't process a request before the next").
        rules.prior_request_not_complete -= 1
        return Route53Error(
            "PriorRequestNotComplete", "The request was rejected because Route 53 was still processing a prior request."
        )
    return None


def route53_patches(state: FaithfulCognito) -> list[Any]:
    """The patches (not started) that give moto's Route 53 the double's rules."""
    original_change = Route53.change_resource_record_sets

    def change_resource_record_sets(response: Route53) -> Any:
        with state.lock:
            refusal = _injected(state)
            if refusal is not None:
                raise refusal
            zone = response.backend.get_hosted_zone(response._get_param("HostedZoneId"))
            for change in response._get_param("ChangeBatch.Changes") or []:
                if change.get("Action") == "DELETE":
                    _check_delete(zone, change["ResourceRecordSet"])
        result = original_change(response)
        # C2: ACM keeps looking for the record, so the validation delay runs from when it was written.
        for bundle in pending_bundles():
            notice_records(state, bundle)
        return result

    return [mock.patch.object(Route53, "change_resource_record_sets", change_resource_record_sets)]
