"""The knobs and memory of the services around Cognito: ACM, Route 53, SSM, the transport.

``FaithfulCognito`` holds one of each (``certificates``, ``route53``, ``ssm``,
``transport``); a test sets a knob on it, and ``reset()`` puts every default back.
Which knob models which rule, and which default is faithful: docs/design/double.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cognito_double.quotas import RateWindow

ReuseAfterDelete = Literal["new-certificate", "same-arn"]
DropWhen = Literal["before", "after"]


@dataclass
class CertificateRules:
    """ACM: validation, the delay after RequestCertificate, idempotency tokens, rotation."""

    # Seconds from the validation record's appearance to ISSUED.
    validation_delay: float = 3.0
    # One validation CNAME per domain name per account (faithful); False: one per certificate.
    one_record_per_name: bool = True
    # Seconds after RequestCertificate during which DescribeCertificate answers ResourceNotFoundException.
    describe_not_found_for: float = 5.0
    # Seconds after RequestCertificate during which DomainValidationOptions lack ResourceRecord.
    record_missing_for: float = 5.0
    # What a token reused within the hour returns once its certificate is deleted (unconfirmed either way).
    reuse_after_delete: ReuseAfterDelete = "new-certificate"
    # Seconds the previous certificate stays in use after UpdateUserPoolDomain moves to a new one.
    rotation_hold: float = 3600.0
    # ARN -> when (double's clock) the validation record was first seen in a zone.
    record_seen_at: dict[str, float] = field(default_factory=dict)
    # ARN -> when (double's clock) it was requested.
    requested_at: dict[str, float] = field(default_factory=dict)
    # (account, region, token) -> (ARN, when it was first used).
    tokens: dict[tuple[str, str, str], tuple[str, float]] = field(default_factory=dict)
    # ARN -> until when (double's clock) a domain that moved off it still holds it.
    held_until: dict[str, float] = field(default_factory=dict)


@dataclass
class Route53Rules:
    """Route 53: answers a test asks for on the next ChangeResourceRecordSets calls."""

    prior_request_not_complete: int = 0
    throttled: int = 0


@dataclass
class SsmRules:
    """Parameter Store: throughput per second (enforced unless a test turns it off) and concurrent updates."""

    enforced: bool = True
    # PutParameter and DeleteParameter per second per account (unconfirmed: a support answer).
    per_second: int = 3
    # GetParameter and GetParametersByPath per second per account (standard throughput: 40).
    reads_per_second: int = 40
    # Parameter name -> how many more writes to it answer TooManyUpdates.
    too_many_updates: dict[str, int] = field(default_factory=dict)
    windows: dict[str, RateWindow] = field(default_factory=dict)
    throttled: int = 0


@dataclass
class TransportRules:
    """Answers lost on the way back: a connection closed before or after the operation acted."""

    # Operation name -> (before or after acting, how many more calls).
    drops: dict[str, tuple[DropWhen, int]] = field(default_factory=dict)
