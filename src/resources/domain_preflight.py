"""What Cognito will refuse about a domain, found before anything is written.

Each rule is one that real Cognito applies only once the domain is being created,
minutes into a stack update; checked here, the stack fails at once, with a reason
that says what to change, and nothing that exists is touched.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aws.operations import Operations
from properties.domain import DomainProperties, apex_domain_problem, parent_domain
from resources.lifecycle import ResourceFailure


def check_before_writing(ops: Operations, wanted: DomainProperties, now: datetime | None = None) -> None:
    """Raise ``ResourceFailure`` naming every problem, or return when Cognito should accept ``wanted``."""
    problems = [*_feature_plan_problems(ops, wanted)]
    if wanted.certificate_arn is not None:
        problems.extend(_parent_domain_problems(ops, wanted.domain))
        problems.extend(_certificate_problems(ops, wanted.domain, wanted.certificate_arn, now or datetime.now(UTC)))
    if problems:
        raise ResourceFailure("; ".join(problems))


def _feature_plan_problems(ops: Operations, wanted: DomainProperties) -> list[str]:
    # ManagedLoginVersion (API reference, DomainDescriptionType): "Managed login
    # requires that your user pool be configured for any feature plan other than
    # Lite." Cognito answers FeatureUnavailableInTierException.
    if wanted.managed_login_version != 2:
        return []
    plan = ops.cognito.pool_feature_plan(wanted.user_pool_id)
    if plan != "LITE":
        return []
    return [
        f"ManagedLoginVersion 2 (managed login) needs the Essentials or Plus feature plan, and user pool "
        f"{wanted.user_pool_id} is on Lite: set UserPoolTier: ESSENTIALS on the user pool, or use "
        "ManagedLoginVersion 1 (the classic hosted UI)"
    ]


def _parent_domain_problems(ops: Operations, domain: str) -> list[str]:
    # Developer guide, "Using your own domain": the parent domain "must have a valid
    # DNS A record", and "Amazon Cognito doesn't support the use of top-level
    # domains (TLDs) for custom domains". Cognito's refusal: "Custom domain is not a
    # valid subdomain: Was not able to resolve a DNS A record for the parent domain
    # or domain parent is a top-level domain."
    parent = parent_domain(domain)
    if parent is None:
        return [apex_domain_problem(domain)]
    if ops.dns.resolves(parent):
        return []
    return [
        f"The parent domain '{parent}' of '{domain}' has no DNS A record, and Cognito requires one: "
        f"add an A record for {parent} (any address, for example your website's), wait for it to "
        "resolve, then try again"
    ]


def _certificate_problems(ops: Operations, domain: str, arn: str, now: datetime) -> list[str]:
    # Developer guide, "Using your own domain": an ACM certificate in US East
    # (N. Virginia) that covers the domain; Cognito (through CloudFront) refuses any
    # other with "The specified SSL certificate doesn't exist, isn't in us-east-1
    # region, isn't valid, or doesn't include a valid certificate chain."
    certificate = ops.certificates.certificate(arn)
    if certificate is None:
        return [f"CertificateArn {arn} does not exist in ACM in us-east-1 (or this function may not read it)"]
    problems = []
    if certificate.status != "ISSUED":
        problems.append(
            f"Certificate {arn} is {certificate.status}, not ISSUED: finish its validation in ACM "
            "(us-east-1), or give an issued certificate"
        )
    if certificate.not_after is not None and certificate.not_after <= now:
        problems.append(f"Certificate {arn} expired on {certificate.not_after:%Y-%m-%d}: give a current certificate")
    if not covers(certificate.names, domain):
        problems.append(
            f"Certificate {arn} covers {', '.join(certificate.names) or 'no names'}, not '{domain}': "
            f"give a certificate for {domain} or *.{domain.split('.', 1)[1]}"
        )
    return problems


def covers(names: tuple[str, ...], domain: str) -> bool:
    """Whether a certificate for ``names`` serves ``domain``: the exact name, or a wildcard one level up."""
    domain = domain.lower()
    parent = domain.split(".", 1)[1] if "." in domain else ""
    return any(name == domain or (name.startswith("*.") and name[2:] == parent) for name in names)
