"""Route 53 as ACM watches it: a record written is noticed by pending certificates at once.

ACM keeps looking for a certificate's validation record, so its ``validation_delay``
runs from when the record was written, not from the next DescribeCertificate.
Rules and sources: docs/design/double.md.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

from moto.route53.responses import Route53

from cognito_double.acm import notice_records, pending_bundles
from cognito_double.state import FaithfulCognito


def route53_patches(state: FaithfulCognito) -> list[Any]:
    """The patches (not started) that give moto's Route 53 the double's rules."""
    original_change = Route53.change_resource_record_sets

    def change_resource_record_sets(response: Route53) -> Any:
        result = original_change(response)
        for bundle in pending_bundles():
            notice_records(state, bundle)
        return result

    return [mock.patch.object(Route53, "change_resource_record_sets", change_resource_record_sets)]
