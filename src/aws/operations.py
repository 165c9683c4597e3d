"""The bundles handed out: a resource's operations (one per AWS service), and the slow path's store and scheduler."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from aws.certificates import AcmCertificates, CertificateOperations
from aws.change_records import ChangeRecords, SsmChangeRecords
from aws.clients import cognito_client
from aws.contributions import SsmUrlContributions, UrlContributions
from aws.dns import DnsOperations, Route53Dns, system_resolves
from aws.poll_schedules import EventBridgePollSchedules, PollSchedules
from aws.records import OwnerRecords, SsmOwnerRecords
from aws.retry import RetryPolicy
from cognito_ops import CognitoOperations, CognitoOps


@dataclass(frozen=True)
class Operations:
    cognito: CognitoOperations
    certificates: CertificateOperations
    dns: DnsOperations
    records: OwnerRecords
    contributions: UrlContributions


def aws_operations(retry: RetryPolicy, resolver: Callable[[str], bool] = system_resolves) -> Operations:
    """The real services, sharing one retry policy (clients are made on first use)."""
    return Operations(
        cognito=CognitoOps(cognito_client(), retry),
        certificates=AcmCertificates(retry),
        dns=Route53Dns(retry, resolver=resolver),
        records=SsmOwnerRecords(retry),
        contributions=SsmUrlContributions(retry),
    )


@dataclass(frozen=True)
class SlowPath:
    """Where a change that outlives one invocation is kept, and how the next look at it is scheduled."""

    changes: ChangeRecords
    schedules: PollSchedules


def aws_slow_path(retry: RetryPolicy, target_arn: str) -> SlowPath:
    """The real store and scheduler; the schedule group and role come from the template (environment)."""
    return SlowPath(
        changes=SsmChangeRecords(retry),
        schedules=EventBridgePollSchedules(
            retry,
            group=os.environ.get("POLL_SCHEDULE_GROUP", ""),
            role_arn=os.environ.get("POLL_SCHEDULER_ROLE_ARN", ""),
            target_arn=target_arn,
        ),
    )
