"""Validated properties of ``Custom::CognitoUserPoolDomain``.

Every rule here mirrors one that real Cognito enforces, so a template mistake is
answered before any write call instead of half-way through an update.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from properties.parsing import PropertyReader, shown

RESOURCE_TYPE = "Custom::CognitoUserPoolDomain"

KNOWN_PROPERTIES = frozenset({"UserPoolId", "Domain", "CertificateArn", "ManagedLoginVersion"})

# CreateUserPoolDomain API reference: UserPoolId pattern [\w-]+_[0-9a-zA-Z]+, 1-55 chars.
USER_POOL_ID_PATTERN = re.compile(r"^[\w-]+_[0-9a-zA-Z]+$")
# CreateUserPoolDomain API reference: Domain pattern ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$
# for a prefix; a custom domain is a dot-separated name of such labels.
DOMAIN_LABEL_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$")
# CreateUserPoolDomain API reference: "Length Constraints: Minimum length of 1.
# Maximum length of 63." applies to the whole Domain string, custom domains included.
MAX_DOMAIN_LENGTH = 63
# Cognito developer guide, "Using the Amazon Cognito domain": a prefix can't
# contain the reserved words aws, amazon or cognito.
RESERVED_PREFIX_WORDS = ("aws", "amazon", "cognito")
# Cognito developer guide, "Using your own domain": the ACM certificate must be in
# US East (N. Virginia), whatever region the user pool is in.
CERTIFICATE_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate/[A-Za-z0-9-]{1,128}$")
MANAGED_LOGIN_VERSIONS = ("1", "2")

DomainType = Literal["prefix", "custom"]


@dataclass(frozen=True)
class DomainProperties:
    user_pool_id: str
    domain: str
    certificate_arn: str | None
    managed_login_version: int

    @property
    def domain_type(self) -> DomainType:
        return "custom" if "." in self.domain else "prefix"


def parse_domain_properties(raw: Any) -> DomainProperties:
    """Typed properties, or ``InvalidPropertiesError`` naming every problem."""
    reader = PropertyReader(RESOURCE_TYPE, raw)
    reader.reject_unknown(KNOWN_PROPERTIES)
    user_pool_id = reader.string("UserPoolId", required=True)
    domain = reader.string("Domain", required=True)
    certificate_arn = reader.string("CertificateArn", required=False)
    version = reader.choice("ManagedLoginVersion", MANAGED_LOGIN_VERSIONS, default="1")

    if user_pool_id is not None and (len(user_pool_id) > 55 or not USER_POOL_ID_PATTERN.match(user_pool_id)):
        reader.problems.append(
            f"UserPoolId {shown(user_pool_id)} is not a user pool id (expected the form us-east-1_AbC123)"
        )
    if domain is not None:
        reader.problems.extend(_domain_problems(domain, certificate_arn))
    reader.fail_if_problems()
    return DomainProperties(
        user_pool_id=str(user_pool_id),
        domain=str(domain),
        certificate_arn=certificate_arn,
        managed_login_version=int(version),
    )


def _domain_problems(domain: str, certificate_arn: str | None) -> list[str]:
    if "." not in domain:
        return _prefix_problems(domain, certificate_arn)
    return _custom_domain_problems(domain, certificate_arn)


def domain_name_problems(domain: str) -> list[str]:
    """What is wrong with a domain name alone (no certificate rules): for resources that only refer to one."""
    if "." not in domain:
        return _prefix_problems(domain, None)
    return [problem for problem in _custom_domain_problems(domain, "") if not problem.startswith("CertificateArn")]


def _prefix_problems(prefix: str, certificate_arn: str | None) -> list[str]:
    problems = []
    if not DOMAIN_LABEL_PATTERN.match(prefix):
        problems.append(
            f"Domain prefix {shown(prefix)} is invalid: use 1 to 63 lower-case letters, digits "
            "and hyphens, not starting or ending with a hyphen "
            r"(pattern ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$)"
        )
    reserved = [word for word in RESERVED_PREFIX_WORDS if word in prefix]
    if reserved:
        problems.append(
            f"Domain prefix {shown(prefix)} contains the reserved word "
            f"{' and '.join(repr(word) for word in reserved)}, which Cognito refuses in a prefix"
        )
    if certificate_arn is not None:
        problems.append(
            "CertificateArn applies only to a custom domain; remove it, or give Domain "
            "as a fully qualified name such as auth.example.com"
        )
    return problems


def _custom_domain_problems(domain: str, certificate_arn: str | None) -> list[str]:
    problems = []
    labels = domain.split(".")
    if len(domain) > MAX_DOMAIN_LENGTH or not all(DOMAIN_LABEL_PATTERN.match(label) for label in labels):
        problems.append(
            f"Domain {shown(domain)} is not a valid custom domain: use a lower-case fully "
            f"qualified name of at most {MAX_DOMAIN_LENGTH} characters such as auth.example.com, "
            "without scheme, path or trailing dot"
        )
    elif domain.endswith(".amazoncognito.com"):
        problems.append(
            f"Domain {shown(domain)} is a Cognito-hosted name: give only the prefix "
            f"({shown(labels[0])}) for a prefix domain"
        )
    if certificate_arn is None:
        problems.append(
            f"CertificateArn is required for the custom domain {shown(domain)}: "
            "give the ARN of an ACM certificate in us-east-1 that covers it"
        )
    elif not CERTIFICATE_ARN_PATTERN.match(certificate_arn):
        problems.append(
            f"CertificateArn {shown(certificate_arn)} is not an ACM certificate ARN in us-east-1 "
            "(Cognito custom domains need a certificate in US East (N. Virginia), whatever "
            "the pool's region)"
        )
    return problems


def parent_domain(domain: str) -> str | None:
    """A custom domain's parent, one level up; ``None`` for an apex domain, which Cognito refuses.

    Developer guide, "Using your own domain": "Amazon Cognito doesn't support the use
    of top-level domains (TLDs) for custom domains", and the parent domain "must have
    a valid DNS A record": a custom domain is a subdomain, such as auth.example.com.
    """
    labels = domain.split(".")
    return ".".join(labels[1:]) if len(labels) >= 3 else None


def apex_domain_problem(domain: str) -> str:
    """The reason given for an apex domain, by every check that meets one."""
    return (
        f"Domain '{domain}' is an apex domain: Cognito needs a subdomain such as auth.{domain}, "
        "whose parent domain has a DNS A record"
    )
