"""Cognito's user pool domains, as the real service keeps them: moto, corrected.

moto accepts duplicate and malformed domains, several per pool, another pool's
domain, and is ACTIVE at once; these handlers replace its domain operations (and
DeleteUserPool, which a domain blocks). Rules and sources: docs/design/double.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from moto.cognitoidp.exceptions import InvalidParameterException
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.responses import ActionResult, EmptyResult

from cognito_double.errors import FeatureUnavailableInTierException, LimitExceededException
from cognito_double.state import DomainRecord, FaithfulCognito

PREFIX_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$")
RESERVED_WORDS = ("aws", "amazon", "cognito")
US_EAST_1_CERTIFICATE = re.compile(r"^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate/[A-Za-z0-9-]+$")


def _cloudfront_name(record: DomainRecord) -> str:
    digest = hashlib.sha256(f"{record.domain}/{record.certificate_arn}".encode()).hexdigest()
    return f"d{digest[:13]}.cloudfront.net"


def _describe(record: DomainRecord) -> dict[str, Any]:
    description: dict[str, Any] = {
        "UserPoolId": record.user_pool_id,
        "AWSAccountId": record.account_id,
        "Domain": record.domain,
        "CloudFrontDistribution": _cloudfront_name(record),
        "Version": "20130630",
        "Status": record.status,
        "ManagedLoginVersion": record.managed_login_version,
    }
    if record.certificate_arn is not None:
        description["CustomDomainConfig"] = {"CertificateArn": record.certificate_arn}
    return description


def _validate_domain_name(domain: str, custom: bool) -> None:
    # D3: DomainDescriptionType.Domain pattern; reserved words: developer guide, "Using the prefix domain".
    labels = domain.split(".") if custom else [domain]
    if len(domain) > 63 or not all(PREFIX_PATTERN.match(label) for label in labels):
        raise InvalidParameterException(
            "The domain name contains an invalid character. Domain names can only contain lower-case "
            "letters, numbers, and hyphens. Please enter a different name that follows this format: "
            r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$"
        )
    if not custom:
        for word in RESERVED_WORDS:
            if word in domain:
                raise InvalidParameterException(f"Domain cannot contain reserved word: {word}")


CERTIFICATE_REFUSED = (
    "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, "
    "or doesn't include a valid certificate chain."
)
NOT_A_VALID_SUBDOMAIN = (
    "Custom domain is not a valid subdomain: Was not able to resolve a DNS A record for the parent "
    "domain or domain parent is a top-level domain."
)


def _validate_certificate(config: dict[str, Any] | None, account_id: str) -> str | None:
    """The ARN of an ISSUED certificate in moto's ACM in us-east-1, or Cognito's refusal."""
    # D4: developer guide, "Using your own domain"; the text: aws-amplify/amplify-hosting#2278.
    if config is None:
        return None
    arn = str(config.get("CertificateArn", ""))
    if not US_EAST_1_CERTIFICATE.match(arn):
        raise InvalidParameterException(CERTIFICATE_REFUSED)
    from moto.acm.models import acm_backends

    try:
        certificate = acm_backends[account_id]["us-east-1"].describe_certificate(arn)
    except Exception:
        raise InvalidParameterException(CERTIFICATE_REFUSED) from None
    if certificate.status != "ISSUED":
        raise InvalidParameterException(CERTIFICATE_REFUSED)
    return arn


def _validate_parent(state: FaithfulCognito, domain: str) -> None:
    # D5: "Using your own domain": the parent "must have a valid DNS A record"; no TLDs.
    labels = domain.split(".")
    if len(labels) < 3 or not state.resolves(".".join(labels[1:])):
        raise InvalidParameterException(NOT_A_VALID_SUBDOMAIN)


def _validate_version(value: Any, pool: Any) -> int:
    version = 1 if value is None else value
    if version not in (1, 2):
        raise InvalidParameterException("ManagedLoginVersion must be 1 or 2.")
    # D13: DomainDescriptionType.ManagedLoginVersion: "any feature plan other than Lite".
    if version == 2 and pool.extended_config.get("UserPoolTier") == "LITE":
        raise FeatureUnavailableInTierException("Managed login is not available in the LITE feature plan.")
    return int(version)


def _within_custom_domain_quota(state: FaithfulCognito, region: str, account_id: str) -> None:
    # Q5: "Quotas in Amazon Cognito", "Custom domains per Region: 4", not adjustable (text unconfirmed).
    held = [r for (reg, _), r in state.domains.items() if reg == region and r.account_id == account_id and r.is_custom]
    if len(held) >= state.custom_domains_per_region:
        raise LimitExceededException(f"Custom domains per Region: {state.custom_domains_per_region} already exist.")


# moto's own handler, kept before install() patches it.
moto_describe_user_pool = CognitoIdpResponse.describe_user_pool


def make_domain_handlers(state: FaithfulCognito) -> dict[str, Callable[[CognitoIdpResponse], Any]]:
    def owned(response: CognitoIdpResponse) -> DomainRecord:
        record = state.refresh(response.region, response._get_param("Domain"))
        # D8 (aws/aws-cdk#25712), else D6 (text unconfirmed).
        if record is None or record.user_pool_id != response._get_param("UserPoolId"):
            if response._get_param("CustomDomainConfig") is not None:
                raise InvalidParameterException(
                    "User pool should have a custom domain associated, failed to update the certificate."
                )
            raise InvalidParameterException("No such domain or user pool exists.")
        return record

    def create_user_pool_domain(response: CognitoIdpResponse) -> ActionResult:
        pool_id, domain = response._get_param("UserPoolId"), response._get_param("Domain")
        config = response._get_param("CustomDomainConfig")
        with state.lock:
            state.record("CreateUserPoolDomain")
            state.admit(response.current_account, pool_id, "CreateUserPoolDomain")
            pool = response.backend.describe_user_pool(pool_id)  # ResourceNotFoundException if missing
            certificate_arn = _validate_certificate(config, response.current_account)
            _validate_domain_name(domain, custom=certificate_arn is not None)
            if certificate_arn is not None:
                _validate_parent(state, domain)
            version = _validate_version(response._get_param("ManagedLoginVersion"), pool)
            holder = state.refresh(response.region, domain)
            # D12: a DELETING domain keeps its name (pulumi/pulumi-aws#998); D1: names are unique per Region.
            if holder is not None and holder.status == "DELETING":
                raise InvalidParameterException("Domain already exists.")
            if holder is not None:
                raise InvalidParameterException("Domain already associated with another user pool.")
            same_kind = [r for r in state.domains_of(response.region, pool_id) if r.is_custom == bool(certificate_arn)]
            # D12 (the pool slot of a DELETING domain) and D2: one prefix and one custom domain (aws/aws-cdk#10062).
            if any(r.status == "DELETING" for r in same_kind):
                raise InvalidParameterException("Domain already exists.")
            if same_kind:
                raise InvalidParameterException("User pool already has a domain configured.")
            if certificate_arn is not None:
                _within_custom_domain_quota(state, response.region, response.current_account)
            record = DomainRecord(domain, pool_id, response.current_account, certificate_arn, version)
            record.fails = record.is_custom and state.takes_failure()
            state.start(record, "CREATING")  # D9: CreateUserPoolDomain, "can take up to one hour"
            state.domains[(response.region, domain)] = record
            result: dict[str, Any] = {"CloudFrontDomain": _cloudfront_name(record)} if record.is_custom else {}
            if version != 1:
                result["ManagedLoginVersion"] = version
            return state.answered("CreateUserPoolDomain", ActionResult(result))

    def describe_user_pool_domain(response: CognitoIdpResponse) -> ActionResult:
        with state.lock:
            state.record("DescribeUserPoolDomain")
            state.admit(response.current_account, None, "DescribeUserPoolDomain")
            record = state.refresh(response.region, response._get_param("Domain"))
            if record is None:
                return ActionResult({"DomainDescription": {}})
            return ActionResult({"DomainDescription": _describe(record)})

    def update_user_pool_domain(response: CognitoIdpResponse) -> ActionResult:
        with state.lock:
            state.record("UpdateUserPoolDomain")
            state.admit(response.current_account, response._get_param("UserPoolId"), "UpdateUserPoolDomain")
            record = owned(response)
            pool = response.backend.describe_user_pool(record.user_pool_id)
            config = response._get_param("CustomDomainConfig")
            # D7: UpdateUserPoolDomain "doesn't change the name of your user pool domain".
            if record.is_custom and config is None:
                raise InvalidParameterException("Cannot convert custom domain to prefix domain")
            if not record.is_custom and config is not None:
                raise InvalidParameterException("Cannot convert prefix domain to custom domain")
            version = _validate_version(response._get_param("ManagedLoginVersion"), pool)
            certificate_arn = _validate_certificate(config, response.current_account) if record.is_custom else None
            if certificate_arn != record.certificate_arn and record.certificate_arn is not None:
                # C7: "requires up to 1 hour to distribute your new certificate" (UpdateUserPoolDomain).
                hold = state.clock() + state.certificates.rotation_hold
                state.certificates.held_until[record.certificate_arn] = hold
            if version != record.managed_login_version or certificate_arn != record.certificate_arn:
                record.managed_login_version, record.certificate_arn = version, certificate_arn
                state.start(record, "UPDATING")  # D10: UpdateUserPoolDomain, "up to ... five minutes"
            return state.answered(
                "UpdateUserPoolDomain",
                ActionResult({"CloudFrontDomain": _cloudfront_name(record)} if record.is_custom else {}),
            )

    def delete_user_pool_domain(response: CognitoIdpResponse) -> EmptyResult:
        with state.lock:
            state.record("DeleteUserPoolDomain")
            state.admit(response.current_account, response._get_param("UserPoolId"), "DeleteUserPoolDomain")
            record = owned(response)
            if (
                record.status != "DELETING"
            ):  # D12: DELETING while CloudFront lets go (Terraform waitUserPoolDomainDeleted)
                state.start(record, "DELETING")
            return state.answered("DeleteUserPoolDomain", EmptyResult())

    def delete_user_pool(response: CognitoIdpResponse) -> EmptyResult:
        pool_id = response._get_param("UserPoolId")
        with state.lock:
            # A domain still DELETING counts as configured: not confirmed by a public
            # source; the cautious reading, and the code waits for DELETING to end anyway.
            if state.domains_of(response.region, pool_id):  # D15: hashicorp/terraform-provider-aws#16479
                raise InvalidParameterException(
                    "User pool cannot be deleted. It has a domain configured that should be deleted first."
                )
        pool = response.backend.describe_user_pool(pool_id)
        if pool.extended_config.get("DeletionProtection") == "ACTIVE":  # D16: CreateUserPool, DeletionProtection
            raise InvalidParameterException(
                "The user pool cannot be deleted because deletion protection is activated. "
                "Deletion protection must be inactivated first."
            )
        response.backend.delete_user_pool(pool_id)
        return EmptyResult()

    def describe_user_pool(response: CognitoIdpResponse) -> Any:
        with state.lock:  # not in state.calls: tests count the domain and client calls
            state.admit(response.current_account, response._get_param("UserPoolId"), "DescribeUserPool")
        answer = moto_describe_user_pool(response)
        # UserPoolType.Domain / CustomDomain (API reference, DescribeUserPool): the pool's
        # domains, which the double keeps itself (moto's own are never set).
        pool = dict(answer.result["UserPool"])
        with state.lock:
            for record in state.domains_of(response.region, response._get_param("UserPoolId")):
                if record.status != "DELETING":
                    pool["CustomDomain" if record.is_custom else "Domain"] = record.domain
        return ActionResult({"UserPool": pool})

    return {
        "describe_user_pool": describe_user_pool,
        "create_user_pool_domain": create_user_pool_domain,
        "describe_user_pool_domain": describe_user_pool_domain,
        "update_user_pool_domain": update_user_pool_domain,
        "delete_user_pool_domain": delete_user_pool_domain,
        "delete_user_pool": delete_user_pool,
    }
