"""The operations a resource is handed: one per AWS service, bundled, each behind its own protocol."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aws.certificates import AcmCertificates, CertificateOperations
from aws.clients import cognito_client
from aws.dns import DnsOperations, Route53Dns, system_resolves
from aws.objects import ObjectOperations, S3Objects, readable_buckets_from_environment
from aws.records import OwnerRecords, SsmOwnerRecords
from aws.retry import RetryPolicy
from cognito_ops import CognitoOperations, CognitoOps


@dataclass(frozen=True)
class Operations:
    cognito: CognitoOperations
    certificates: CertificateOperations
    dns: DnsOperations
    records: OwnerRecords
    objects: ObjectOperations


def aws_operations(retry: RetryPolicy, resolver: Callable[[str], bool] = system_resolves) -> Operations:
    """The real services, sharing one retry policy (clients are made on first use)."""
    return Operations(
        cognito=CognitoOps(cognito_client(), retry),
        certificates=AcmCertificates(retry),
        dns=Route53Dns(retry, resolver=resolver),
        records=SsmOwnerRecords(retry),
        objects=S3Objects(retry, readable_buckets_from_environment()),
    )
