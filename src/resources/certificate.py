"""Lifecycle of ``Custom::CognitoDomainCertificate``: a DNS-validated ACM certificate in us-east-1.

A Cognito custom domain needs its certificate in us-east-1, whatever the pool's
region, which a stack elsewhere cannot declare natively (aws/aws-cdk#9274). This
resource requests it there, tagged with its stack and logical id, writes the DNS
validation record into the given zone, and answers once ACM has ISSUED it. The
physical id is the ARN; the tags are how Delete, and a Create whose answer was lost,
know the certificate is this resource's. Steps and sources: docs/design/resources.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final, Literal

from aws.certificates import ValidationRecord, idempotency_token
from aws.errors import CertificateInUse
from aws.operations import Operations
from properties.certificate import CertificateProperties, parse_certificate_properties
from properties.domain import CERTIFICATE_ARN_PATTERN, apex_domain_problem, parent_domain
from properties.flags import retain_requested
from resources.lifecycle import LifecycleRequest, Outcome, ResourceFailure, is_failed_create, previous_properties
from resources.progress import Step

logger = logging.getLogger(__name__)

ATTRIBUTES = frozenset({"CertificateArn", "DomainName", "ValidationRecordName"})

RECORD: Final = "record"
ISSUE: Final = "issue"
RELEASE: Final = "release"
# ACM API reference, CertificateDetail.Status: PENDING_VALIDATION | ISSUED | INACTIVE |
# EXPIRED | VALIDATION_TIMED_OUT | REVOKED | FAILED. Only the first is still on its way.
ON_ITS_WAY = "PENDING_VALIDATION"
# DescribeCertificate: "If you have just created a certificate using the RequestCertificate
# action, there is a delay of several seconds before you can retrieve information about it";
# it answers not found, or no ResourceRecord yet. Waited out up to this many seconds.
SHOWN_WITHIN_SECONDS = 45.0
# A Delete that finds the certificate still in use stops waiting this long before its
# deadline (a poll comes about a minute after the last), and leaves the certificate.
LEAVE_BEFORE_DEADLINE_SECONDS = 120.0


@dataclass(frozen=True)
class CertificateStep(Step):
    """Where a certificate change stands.

    ``record``: wait until ACM shows the validation record ("several seconds" after
    RequestCertificate), then write it (UPSERT); ``issue``: wait until ISSUED;
    ``release``: Delete again, while Cognito's distribution still uses the certificate.
    """

    step: Literal["record", "issue", "release"] = ISSUE
    # The certificate this resource held before the change (none on Create): never removed by it.
    kept: str = ""
    # When (wall clock, seconds) this change requested or found its certificate: how long
    # ACM has had to show it and its record.
    since: str = ""


def create(request: LifecycleRequest, ops: Operations) -> Outcome:
    """Preflight, then this resource's certificate for the name: found again after a lost answer, or requested."""
    wanted = parse_certificate_properties(request.properties)
    return _obtain(request, ops, wanted, kept="")


def update(request: LifecycleRequest, ops: Operations) -> Outcome:
    """What happens on Update, top to bottom.

    1. Same DomainName and HostedZoneId, and the certificate this resource holds is
       still there and still its own: nothing is requested. The validation record
       is written again (UPSERT: it may have been removed by hand) and the answer
       comes once the certificate is ISSUED.
    2. Anything else is a replacement, a new physical id:
       a. a new DomainName or HostedZoneId: preflight, then this resource's
          certificate for the name, requested (or, on the rollback of a
          replacement, the previous certificate, which CloudFormation keeps until
          its cleanup, found again by its tags), waited for until ISSUED. The
          domain moves to it next; the cleanup Delete removes the old certificate;
       b. the held certificate was deleted outside CloudFormation: as a.
    """
    wanted = parse_certificate_properties(request.properties)
    previous = previous_properties(parse_certificate_properties, request.old_properties)
    held = (
        ops.certificates.describe_certificate(request.physical_id)
        if _could_be_certificate(request.physical_id)
        else None
    )
    unchanged = previous is not None and previous.hosted_zone_id == wanted.hosted_zone_id
    if held is not None and unchanged and held.domain_name == wanted.domain_name and held.owner == request.identity:
        return _advance(request, ops, wanted, held.arn, CertificateStep(RECORD, kept=held.arn))
    return _obtain(request, ops, wanted, kept=request.physical_id)


def delete(request: LifecycleRequest, ops: Operations) -> Outcome:
    """Idempotent and conservative: gone is success; a certificate without this resource's tags is left alone.

    With ``RetainOnDelete: true`` nothing is deleted: the certificate and its record stay.

    The certificate goes first, waiting while Cognito's distribution still uses
    it; the validation record last, so a certificate that stays (in use by
    something else for good) keeps the record its renewal needs.
    """
    arn = request.physical_id
    if is_failed_create(arn) or not _could_be_certificate(arn):
        logger.info("Nothing to delete: physical id %r names no certificate this resource requested", arn[:100])
        return Outcome(physical_id=arn)
    raw = request.properties if isinstance(request.properties, dict) else {}
    if retain_requested(raw):
        # Its tags still name the stack and logical id that requested it: the record of whose it was.
        logger.info("RetainOnDelete: certificate %s and its validation record are left in place", arn)
        return Outcome(physical_id=arn)
    return _delete_own(request, ops, arn)


def is_complete(request: LifecycleRequest, ops: Operations) -> Outcome:
    """The next observation of a change in progress; a pending outcome while ACM is still at it."""
    step = CertificateStep.from_progress(request.progress)
    if step.step == RELEASE:
        return delete(request, ops)
    wanted = parse_certificate_properties(request.properties)
    return _advance(request, ops, wanted, request.physical_id, step)


def _obtain(request: LifecycleRequest, ops: Operations, wanted: CertificateProperties, kept: str) -> Outcome:
    check_before_writing(ops, wanted)
    owner = request.identity
    arn = ops.certificates.find_certificate(wanted.domain_name, owner, exclude=kept)
    if arn is None:
        # As the AWS CDK's DNS-validated certificate handler: one token per CloudFormation
        # request, so a repeat of this request (a lost answer) gets this certificate back,
        # and a later request (after a Delete within the hour) never a deleted one.
        token = idempotency_token(request.request_id or "\n".join((*owner, wanted.domain_name)))
        arn = ops.certificates.request_certificate(wanted.domain_name, owner, token)
        logger.info("Requested certificate %s for %s", arn, wanted.domain_name)
    return _advance(request, ops, wanted, arn, CertificateStep(RECORD, kept=kept, since=str(request.clock())))


def _advance(
    request: LifecycleRequest, ops: Operations, wanted: CertificateProperties, arn: str, step: CertificateStep
) -> Outcome:
    """One step towards ISSUED: what ACM shows now decides whether to write the record, wait or answer."""
    found = ops.certificates.describe_certificate(arn)
    if found is None and step.step == RECORD and arn != step.kept:
        # Requested by this change: not found yet is ACM's delay, not a deletion.
        return _wait_to_be_shown(request, arn, step, f"ACM did not find certificate {arn}")
    if found is None:
        raise ResourceFailure(f"Certificate {arn} disappeared from ACM (us-east-1) while it was being validated")
    if step.step == RECORD:
        if found.validation_record is None:
            return _wait_to_be_shown(
                request, arn, step, f"ACM did not show the DNS validation record of certificate {arn}"
            )
        ops.dns.upsert_validation_record(wanted.hosted_zone_id, found.validation_record)
        step = CertificateStep(ISSUE, kept=step.kept)
    if found.status == "ISSUED":
        record_name = found.validation_record.name if found.validation_record is not None else ""
        data = {"CertificateArn": arn, "DomainName": wanted.domain_name, "ValidationRecordName": record_name}
        return Outcome(physical_id=arn, data=data)
    if found.status == ON_ITS_WAY:
        return _pending(arn, step)
    if arn != step.kept:
        # Requested by this attempt: a failed Create's marker physical id means no
        # Delete would ever remove it, so it goes now (if its tags still say it is ours).
        _delete_own(request, ops, arn)
    raise ResourceFailure(
        f"ACM reports certificate {arn} for {wanted.domain_name} as {found.status}: check that hosted zone "
        f"{wanted.hosted_zone_id} is the one the domain's name servers delegate to, and that no CAA record "
        "forbids amazon.com"
    )


def _delete_own(request: LifecycleRequest, ops: Operations, arn: str) -> Outcome:
    """Delete a certificate this resource requested, then its validation record; pending while it is in use.

    Ownership is proved right before the delete, in every invocation (a poll's state
    is input from outside): the certificate must carry this resource's tags. The
    record removed is the one the certificate shows at that moment, in the zone of
    the request's HostedZoneId: the certificate goes first, so one that stays (in use
    by something else for good) keeps the record its renewal needs.
    """
    found = ops.certificates.describe_certificate(arn)
    if found is None:
        return Outcome(physical_id=arn)
    if found.owner != request.identity:
        logger.warning("Leaving certificate %s alone: it does not carry this resource's tags", arn)
        return Outcome(physical_id=arn)
    try:
        ops.certificates.delete_certificate(arn)
    except CertificateInUse:
        # Cognito's CloudFront distribution lets go of the certificate only once the
        # domain's DELETING has ended, and up to an hour after UpdateUserPoolDomain moved
        # the domain to another certificate (ACM DeleteCertificate: a certificate in use
        # by another AWS service cannot be deleted). Waited for until near the deadline.
        if request.clock() + LEAVE_BEFORE_DEADLINE_SECONDS < request.deadline:
            return _pending(arn, CertificateStep(RELEASE))
        return _leave_in_use(arn)
    raw = request.properties if isinstance(request.properties, dict) else {}
    zone_id = str(raw.get("HostedZoneId", "")).removeprefix("/hostedzone/")
    if found.validation_record is not None and zone_id:
        _remove_record_unless_needed(ops, arn, zone_id, found.validation_record)
    return Outcome(physical_id=arn)


def _leave_in_use(arn: str) -> Outcome:
    """The Delete succeeds without the certificate: failing it would fail the stack's cleanup for good."""
    reason = (
        f"Certificate {arn} is still in use by Cognito, so it was left in ACM with its tags and validation "
        "record; delete it once Cognito lets go (up to an hour after a domain moved off it)"
    )
    logger.warning("%s: aws acm delete-certificate --region us-east-1 --certificate-arn %s", reason, arn)
    return Outcome(physical_id=arn, reason=reason)


def _remove_record_unless_needed(ops: Operations, arn: str, zone_id: str, record: ValidationRecord) -> None:
    """Remove the validation record unless another certificate in the account still needs it.

    ACM gives every certificate for a name in an account the same CNAME and checks it
    again at each renewal (ACM user guide, "DNS validation"), so it stays while any
    certificate for the name exists, in any status: another stack's, or this stack's
    own new one after a logical id was renamed.
    """
    needing = ops.certificates.certificates_needing(record, exclude=arn)
    if needing:
        others = ", ".join(f"{other} ({status})" for other, status in needing[:3])
        logger.info(
            "Leaving validation record %s in hosted zone %s: ACM uses one record per name per account, and "
            "certificate %s still needs it to validate or renew",
            record.name,
            zone_id,
            others,
        )
        return
    ops.dns.delete_validation_record(zone_id, record)


def _wait_to_be_shown(request: LifecycleRequest, arn: str, step: CertificateStep, failure: str) -> Outcome:
    """Pending while ACM may still be catching up after RequestCertificate; ``failure`` after that."""
    try:
        waited = request.clock() - float(step.since)
    except ValueError:
        waited = 0.0  # a poll handed over by an earlier version: no start recorded
    if waited < SHOWN_WITHIN_SECONDS:
        return _pending(arn, step)
    raise ResourceFailure(
        f"{failure} within {SHOWN_WITHIN_SECONDS:.0f} seconds of requesting it (ACM documents a delay of "
        "several seconds); try again"
    )


def check_before_writing(ops: Operations, wanted: CertificateProperties) -> None:
    """Raise ``ResourceFailure`` naming every problem with the zone and the parent domain, before any write."""
    zone = ops.dns.hosted_zone(wanted.hosted_zone_id)
    if zone is None:
        raise ResourceFailure(
            f"Hosted zone {wanted.hosted_zone_id} does not exist in Route 53 (or this function may not read it)"
        )
    problems = []
    if zone.private:
        # ACM checks the validation record through public DNS: a private zone never validates.
        problems.append(f"Hosted zone {zone.zone_id} ({zone.name}) is private: give the public zone of the domain")
    if not zone.holds(wanted.domain_name):
        problems.append(
            f"'{wanted.domain_name}' is not in hosted zone {zone.zone_id} ({zone.name}): give the zone that holds it"
        )
    parent = parent_domain(wanted.domain_name)
    if parent is None:
        problems.append(apex_domain_problem(wanted.domain_name))
    elif zone.holds(parent):
        # Developer guide, "Using your own domain": the parent domain "must have a
        # valid DNS A record"; Cognito refuses the domain otherwise ("Custom domain
        # is not a valid subdomain: Was not able to resolve a DNS A record for the
        # parent domain ..."). The parent is in this zone, so the zone says.
        if not ops.dns.has_a_record(zone.zone_id, parent):
            problems.append(
                f"The parent domain '{parent}' of '{wanted.domain_name}' has no A record in hosted zone "
                f"{zone.zone_id}, and Cognito requires one: add a record named {parent} of type A to that zone "
                "(any address, for example your website's, or an alias), then try again"
            )
    elif not ops.dns.resolves(parent):
        problems.append(
            f"The parent domain '{parent}' of '{wanted.domain_name}' has no DNS A record, and Cognito requires "
            f"one: add an A record for {parent} where its DNS is hosted, wait for it to resolve, then try again"
        )
    if problems:
        raise ResourceFailure("; ".join(problems))


def _pending(arn: str, step: CertificateStep) -> Outcome:
    return Outcome(physical_id=arn, pending=True, progress=step.to_progress())


def _could_be_certificate(physical_id: str) -> bool:
    return bool(CERTIFICATE_ARN_PATTERN.match(physical_id))
