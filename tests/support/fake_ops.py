"""``InMemoryCognito``: the operations layer in memory, for testing lifecycle decisions in milliseconds.

It implements ``cognito_ops.CognitoOperations`` and applies real Cognito's domain
rules the way ``cognito_double.faithful_cognito`` documents them (that module cites
the sources):

- a domain name is held by one pool at most; creating a held name is refused with
  "Domain already exists." while its holder is DELETING, "Domain already associated
  with another user pool." otherwise;
- a pool holds one prefix (a name without '.') and one custom domain; creating a
  second one is refused with "Domain already exists." while the pool's domain of
  that kind is DELETING, "User pool already has a domain configured." otherwise;
- a prefix matches CreateUserPoolDomain's Domain pattern and holds none of the
  reserved words aws, amazon, cognito (developer guide, "Using the Amazon Cognito
  domain"); a dotted name is a custom domain only with a certificate;
- update and delete name the pool, and are refused for a domain that is not that pool's;
- nothing happens at once: create makes a domain CREATING, a changed update
  UPDATING, delete DELETING. Time is the test's: ``settle()`` moves CREATING and
  UPDATING to ACTIVE (FAILED for a name passed to ``fail_when_settled``),
  ``release()`` removes DELETING domains. Nothing moves on its own.

tests/contract/test_cognito_rules.py runs every one of these rules against this
fake and the double alike. - a client has one branding style at most (ManagedLoginBrandingExistsException), a
  pool ``branding_styles_per_pool`` (20) at most (LimitExceededException);
  UpdateManagedLoginBranding replaces ``Settings`` and merges images by (Category,
  ColorMode), so a removed image stays, as ``cognito_double/managed_login_branding.py``
  documents; a reset (UseCognitoProvidedValues) keeps the id and drops the content;
- S3 objects live in ``s3_objects``; only ``readable_buckets`` may be read (the
  provider stack's BrandingAssetBuckets), and a read past its bound is refused.

The rules Cognito applies to a custom domain's
certificate and DNS are not repeated here: ``resources.domain_preflight`` checks them before any write, and the
tests of those refusals assert that no write is even attempted.

Unlike ``CognitoOps`` it never retries: a fault injected with ``fail_next`` or
``lose_answer`` reaches the decision code as it is.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ConnectionClosedError

from aws.certificates import CertificateDescription
from aws.contributions import Contribution, RecordTooLarge, fits_in_a_record
from aws.errors import (
    BrandingExists,
    BrandingGone,
    BrandingLimitReached,
    ClientGone,
    CognitoError,
    DomainTaken,
    FeatureUnavailableInTier,
    NameOrSlotStillHeld,
    NotThisPoolsDomain,
    PoolSlotTaken,
)
from aws.objects import ObjectDenied, ObjectMissing, ObjectTooLarge
from aws.operations import Operations
from aws.records import ClaimConflict, ResourceOwner
from cognito_ops import BrandingStyle, DomainDescription

COGNITO_ENDPOINT = "https://cognito-idp.us-east-1.amazonaws.com"
# The writes Cognito acts on; ``write_client`` is the write half of ``modify_client``.
WRITE_OPERATIONS = frozenset(
    {
        "create_domain",
        "update_domain",
        "delete_domain",
        "write_client",
        "put_contribution",
        "delete_contribution",
        "create_branding",
        "update_branding",
        "reset_branding",
        "delete_branding",
    }
)
# DescribeUserPoolClient returns them, UpdateUserPoolClient cannot set them.
READ_ONLY_CLIENT_FIELDS = ("ClientSecret", "CreationDate", "LastModifiedDate")
_INVALID = "InvalidParameterException"

Call = tuple[str, tuple[Any, ...]]


@dataclass
class FakeDomain:
    domain: str
    user_pool_id: str
    status: str
    certificate_arn: str | None
    managed_login_version: int

    @property
    def is_custom(self) -> bool:
        return "." in self.domain

    def described(self) -> DomainDescription:
        digest = hashlib.sha256(f"{self.domain}/{self.certificate_arn}".encode()).hexdigest()
        return DomainDescription(
            domain=self.domain,
            user_pool_id=self.user_pool_id,
            status=self.status,
            cloudfront_distribution=f"d{digest[:13]}.cloudfront.net",
            certificate_arn=self.certificate_arn,
            managed_login_version=self.managed_login_version,
        )


class InMemoryCognito:
    """Cognito's domains and app clients in dicts; every call is recorded in ``calls``."""

    def __init__(
        self,
        *,
        region: str = "us-east-1",
        feature_plans: Mapping[str, str] | None = None,
        certificates: Iterable[CertificateDescription] = (),
        resolvable: Iterable[str] = (),
        identity_providers: Mapping[str, Iterable[str]] | None = None,
        resource_server_scopes: Mapping[str, Iterable[str]] | None = None,
        readable_buckets: Iterable[str] = (),
    ) -> None:
        self._region = region
        self.feature_plans = dict(feature_plans or {})
        self.certificates = {certificate.arn: certificate for certificate in certificates}
        self.resolvable = set(resolvable)
        self.identity_providers = {pool: set(names) for pool, names in (identity_providers or {}).items()}
        self.scopes = {pool: set(scopes) for pool, scopes in (resource_server_scopes or {}).items()}
        # (pool, client) -> owner: the SSM parameter of aws/records.py.
        self.owners: dict[tuple[str, str], ResourceOwner] = {}
        # (pool, domain) -> the resource that made it (aws/records.py, domain records).
        self.domain_owners: dict[tuple[str, str], ResourceOwner] = {}
        # (pool, client) -> {key: contribution}: the SSM parameters of aws/contributions.py.
        self.contributions_of: dict[tuple[str, str], dict[str, Contribution]] = defaultdict(dict)
        # How many times a writer waited for the records to settle (reads here are never stale).
        self.settled = 0
        # (pool, client) -> branding style id: one style per client.
        self.branding: dict[tuple[str, str], str] = {}
        # style id -> what it holds (a style made with Cognito's provided values has no entry).
        self.style_contents: dict[str, BrandingStyle] = {}
        # "Managed login branding styles per user pool: 20" (double rule Q6).
        self.branding_styles_per_pool = 20
        self._styles_made = 0
        # (bucket, key) -> bytes: S3, and the buckets the function may read.
        self.s3_objects: dict[tuple[str, str], bytes] = {}
        self._readable_buckets = frozenset(readable_buckets)
        self.domains: dict[str, FakeDomain] = {}
        self.clients: dict[tuple[str, str], dict[str, Any]] = {}
        self.calls: list[Call] = []
        # Writes Cognito acted on, in order (a refused or failed write is only in ``calls``).
        self.writes: list[Call] = []
        # Names whose next setup ends FAILED (a certificate CloudFront rejects); each fails once.
        self.fail_when_settled: set[str] = set()
        # Runs as each call arrives, before it acts: lets a test be "another writer" at an exact moment.
        self.on_call: Callable[[str], None] = lambda operation: None
        self._failures: dict[str, list[Exception]] = defaultdict(list)
        self._lost_answers: dict[str, int] = defaultdict(int)

    @property
    def operations(self) -> Operations:
        """This fake as every service of the bundle the resources are handed."""
        return Operations(
            cognito=self,
            certificates=self,  # type: ignore[arg-type]
            dns=self,  # type: ignore[arg-type]
            records=self,
            contributions=self,
            objects=self,
        )

    # --- set-up and time, for tests ------------------------------------------

    def add_domain(
        self,
        domain: str,
        user_pool_id: str,
        status: str = "ACTIVE",
        certificate_arn: str | None = None,
        managed_login_version: int = 1,
    ) -> None:
        """A domain that exists already (made outside the code under test)."""
        self.domains[domain] = FakeDomain(domain, user_pool_id, status, certificate_arn, managed_login_version)

    def add_client(self, user_pool_id: str, client_id: str, fields: Mapping[str, Any]) -> None:
        self.clients[(user_pool_id, client_id)] = {**fields, "UserPoolId": user_pool_id, "ClientId": client_id}

    def settle(self) -> None:
        """Cognito finishes setting up: CREATING and UPDATING domains become ACTIVE (or FAILED)."""
        for record in self.domains.values():
            if record.status in ("CREATING", "UPDATING"):
                failing = record.domain in self.fail_when_settled
                self.fail_when_settled.discard(record.domain)
                record.status = "FAILED" if failing else "ACTIVE"

    def release(self, *names: str) -> None:
        """Cognito finishes deleting ``names`` (default: all): DELETING domains are gone, names and slots free."""
        self.domains = {
            name: record
            for name, record in self.domains.items()
            if record.status != "DELETING" or (names and name not in names)
        }

    def fail_next(self, operation: str, error: Exception) -> None:
        """The next call of ``operation`` raises ``error`` without acting (queued: two calls fail twice)."""
        self._failures[operation].append(error)

    def lose_answer(self, operation: str) -> None:
        """The next call of the write ``operation`` acts, then its answer is lost on the way back."""
        if operation not in WRITE_OPERATIONS:
            raise ValueError(f"only a write can lose its answer, not {operation!r}")
        self._lost_answers[operation] += 1

    def state(self) -> dict[str, tuple[str, str]]:
        """What exists: domain name → (user pool id, status)."""
        return {name: (record.user_pool_id, record.status) for name, record in sorted(self.domains.items())}

    def client(self, user_pool_id: str, client_id: str) -> dict[str, Any]:
        return dict(self.clients[(user_pool_id, client_id)])

    @property
    def write_attempts(self) -> list[Call]:
        """Every write call made, whether Cognito acted on it or refused it."""
        return [call for call in self.calls if call[0] in WRITE_OPERATIONS]

    # --- CognitoOperations ------------------------------------------------

    @property
    def region(self) -> str:
        return self._region

    def describe_domain(self, domain: str) -> DomainDescription | None:
        self._arrive("describe_domain", domain)
        record = self.domains.get(domain)
        return record.described() if record is not None else None

    def create_domain(
        self, user_pool_id: str, domain: str, certificate_arn: str | None, managed_login_version: int
    ) -> None:
        call = self._arrive("create_domain", user_pool_id, domain, certificate_arn, managed_login_version)
        operation = "CreateUserPoolDomain"
        _check_name(domain, custom=certificate_arn is not None, operation=operation)
        self._check_version(user_pool_id, managed_login_version, operation)
        holder = self.domains.get(domain)
        if holder is not None:
            if holder.status == "DELETING":
                raise NameOrSlotStillHeld(_INVALID, "Domain already exists.", operation)
            raise DomainTaken(_INVALID, _ASSOCIATED, operation)
        same_kind = [
            r for r in self.domains.values() if r.user_pool_id == user_pool_id and r.is_custom == ("." in domain)
        ]
        if any(record.status == "DELETING" for record in same_kind):
            raise NameOrSlotStillHeld(_INVALID, "Domain already exists.", operation)
        if same_kind:
            raise PoolSlotTaken(_INVALID, "User pool already has a domain configured.", operation)
        self.domains[domain] = FakeDomain(domain, user_pool_id, "CREATING", certificate_arn, managed_login_version)
        self._acted(call)

    def update_domain(
        self, user_pool_id: str, domain: str, certificate_arn: str | None, managed_login_version: int
    ) -> None:
        call = self._arrive("update_domain", user_pool_id, domain, certificate_arn, managed_login_version)
        operation = "UpdateUserPoolDomain"
        record = self._owned(user_pool_id, domain, certificate_arn, operation)
        if record.is_custom != (certificate_arn is not None):
            kinds = ("custom", "prefix") if record.is_custom else ("prefix", "custom")
            raise CognitoError(_INVALID, f"Cannot convert {kinds[0]} domain to {kinds[1]} domain", operation)
        self._check_version(user_pool_id, managed_login_version, operation)
        if (record.certificate_arn, record.managed_login_version) != (certificate_arn, managed_login_version):
            record.certificate_arn, record.managed_login_version = certificate_arn, managed_login_version
            record.status = "UPDATING"
        self._acted(call)

    def delete_domain(self, user_pool_id: str, domain: str) -> None:
        call = self._arrive("delete_domain", user_pool_id, domain)
        self._owned(user_pool_id, domain, None, "DeleteUserPoolDomain").status = "DELETING"
        self._acted(call)

    def pool_feature_plan(self, user_pool_id: str) -> str:
        self._arrive("pool_feature_plan", user_pool_id)
        return self.feature_plans.get(user_pool_id, "ESSENTIALS")

    def pool_domain(self, user_pool_id: str) -> str | None:
        self._arrive("pool_domain", user_pool_id)
        mine = sorted((not r.is_custom, r.domain) for r in self.domains.values() if r.user_pool_id == user_pool_id)
        return mine[0][1] if mine else None

    def certificate(self, arn: str) -> CertificateDescription | None:
        self._arrive("certificate", arn)
        return self.certificates.get(arn)

    def resolves(self, host: str) -> bool:
        self._arrive("resolves", host)
        return host in self.resolvable

    def modify_client(
        self,
        user_pool_id: str,
        client_id: str,
        change: Callable[[dict[str, Any]], dict[str, Any] | None],
    ) -> dict[str, Any]:
        """Read → ``change`` → write, once; ``change`` sees the client as it is at this moment."""
        self._arrive("modify_client", user_pool_id, client_id)
        key = (user_pool_id, client_id)
        if key not in self.clients:
            raise ClientGone(
                "ResourceNotFoundException", f"Client {client_id} does not exist.", "DescribeUserPoolClient"
            )
        existing = dict(self.clients[key])
        desired = change(dict(existing))
        if desired is None:
            return existing
        call = self._arrive("write_client", user_pool_id, client_id, dict(desired))
        if key not in self.clients:
            raise ClientGone("ResourceNotFoundException", f"Client {client_id} does not exist.", "UpdateUserPoolClient")
        # UpdateUserPoolClient replaces: a field it is not given is reset, so it is dropped here.
        kept = {name: self.clients[key][name] for name in READ_ONLY_CLIENT_FIELDS if name in self.clients[key]}
        self.clients[key] = {**desired, **kept, "UserPoolId": user_pool_id, "ClientId": client_id}
        self._acted(call)
        return dict(self.clients[key])

    def identity_provider_names(self, user_pool_id: str) -> frozenset[str]:
        self._arrive("identity_provider_names", user_pool_id)
        return frozenset(self.identity_providers.get(user_pool_id, ()))

    def resource_server_scopes(self, user_pool_id: str) -> frozenset[str]:
        self._arrive("resource_server_scopes", user_pool_id)
        return frozenset(self.scopes.get(user_pool_id, ()))

    # --- who made a domain ------------------------------------------------------

    def domain_owner(self, user_pool_id: str, domain: str) -> ResourceOwner | None:
        self._arrive("domain_owner", user_pool_id, domain)
        return self.domain_owners.get((user_pool_id, domain))

    def record_domain_owner(self, user_pool_id: str, domain: str, owner: ResourceOwner) -> None:
        self._arrive("record_domain_owner", user_pool_id, domain, owner)
        self.domain_owners[(user_pool_id, domain)] = owner

    def forget_domain_owner(self, user_pool_id: str, domain: str) -> None:
        self._arrive("forget_domain_owner", user_pool_id, domain)
        self.domain_owners.pop((user_pool_id, domain), None)

    # --- managed login branding -----------------------------------------------

    def client_branding_id(self, user_pool_id: str, client_id: str) -> str | None:
        self._arrive("client_branding_id", user_pool_id, client_id)
        return self.branding.get((user_pool_id, client_id))

    def create_default_branding(self, user_pool_id: str, client_id: str) -> str:
        call = self._arrive("create_branding", user_pool_id, client_id)
        if (user_pool_id, client_id) in self.branding:
            raise BrandingExists("ManagedLoginBrandingExistsException", "exists", "CreateManagedLoginBranding")
        self._refuse_past_the_limit(user_pool_id)
        style = self._new_style_id("style", client_id)
        self.branding[(user_pool_id, client_id)] = style
        self._acted(call)
        return style

    def delete_branding(self, user_pool_id: str, branding_id: str) -> None:
        call = self._arrive("delete_branding", user_pool_id, branding_id)
        del self.branding[self._style_key(user_pool_id, branding_id, "DeleteManagedLoginBranding")]
        self.style_contents.pop(branding_id, None)
        self._acted(call)

    def describe_client_branding(self, user_pool_id: str, client_id: str) -> BrandingStyle | None:
        self._arrive("describe_client_branding", user_pool_id, client_id)
        style = self.branding.get((user_pool_id, client_id))
        if style is None:
            return None
        return self.style_contents.get(style, BrandingStyle(style, True, None, ()))

    def create_branding(
        self, user_pool_id: str, client_id: str, settings: Mapping[str, Any], assets: Sequence[Mapping[str, Any]]
    ) -> str:
        call = self._arrive("create_branding", user_pool_id, client_id, dict(settings), tuple(assets))
        if (user_pool_id, client_id) in self.branding:
            raise BrandingExists("ManagedLoginBrandingExistsException", "exists", "CreateManagedLoginBranding")
        self._refuse_past_the_limit(user_pool_id)
        style = self._new_style_id("style", client_id)
        self.branding[(user_pool_id, client_id)] = style
        self.style_contents[style] = BrandingStyle(style, False, dict(settings), tuple(dict(a) for a in assets))
        self._acted(call)
        return style

    def update_branding(
        self, user_pool_id: str, branding_id: str, settings: Mapping[str, Any], assets: Sequence[Mapping[str, Any]]
    ) -> None:
        """Settings replaced whole; assets merged by (Category, ColorMode): a removed image stays."""
        call = self._arrive("update_branding", user_pool_id, branding_id, dict(settings), tuple(assets))
        self._style_key(user_pool_id, branding_id, "UpdateManagedLoginBranding")
        current = self.style_contents.get(branding_id, BrandingStyle(branding_id, True, None, ()))
        merged = {(a["Category"], a["ColorMode"]): dict(a) for a in current.assets}
        merged.update({(a["Category"], a["ColorMode"]): dict(a) for a in assets})
        self.style_contents[branding_id] = BrandingStyle(branding_id, False, dict(settings), tuple(merged.values()))
        self._acted(call)

    def reset_branding(self, user_pool_id: str, branding_id: str) -> None:
        call = self._arrive("reset_branding", user_pool_id, branding_id)
        self._style_key(user_pool_id, branding_id, "UpdateManagedLoginBranding")
        self.style_contents.pop(branding_id, None)
        self._acted(call)

    def _refuse_past_the_limit(self, user_pool_id: str) -> None:
        if sum(1 for pool, _ in self.branding if pool == user_pool_id) >= self.branding_styles_per_pool:
            raise BrandingLimitReached("LimitExceededException", "20 styles", "CreateManagedLoginBranding")

    def _new_style_id(self, kind: str, client_id: str) -> str:
        self._styles_made += 1
        return f"{kind}-{self._styles_made:04d}-{client_id[:6]}"

    def _style_key(self, user_pool_id: str, branding_id: str, operation: str) -> tuple[str, str]:
        for key, style in self.branding.items():
            if key[0] == user_pool_id and style == branding_id:
                return key
        raise BrandingGone("ResourceNotFoundException", "no such style", operation)

    def add_style(
        self, user_pool_id: str, client_id: str, settings: Mapping[str, Any] | None = None, assets: Sequence[Any] = ()
    ) -> str:
        """A style that exists already (made in the console); Cognito's provided values without ``settings``."""
        style = self._new_style_id("console-style", client_id)
        self.branding[(user_pool_id, client_id)] = style
        if settings is not None:
            self.style_contents[style] = BrandingStyle(style, False, dict(settings), tuple(assets))
        return style

    # --- S3 objects -------------------------------------------------------------

    @property
    def readable_buckets(self) -> frozenset[str]:
        return self._readable_buckets

    def read_object(self, bucket: str, key: str, version_id: str | None, max_bytes: int) -> bytes:
        self._arrive("read_object", bucket, key, version_id)
        if bucket not in self._readable_buckets:
            raise ObjectDenied("NotReadable", f"bucket {bucket} is not readable", "GetObject")
        data = self.s3_objects.get((bucket, key))
        if data is None:
            raise ObjectMissing("NoSuchKey", "The specified key does not exist.", "GetObject")
        if len(data) > max_bytes:
            raise ObjectTooLarge("ObjectTooLarge", f"s3://{bucket}/{key} is {len(data)} bytes", "GetObject")
        return data

    # --- who owns a client's settings ----------------------------------------

    def client_owner(self, user_pool_id: str, client_id: str) -> ResourceOwner | None:
        self._arrive("client_owner", user_pool_id, client_id)
        return self.owners.get((user_pool_id, client_id))

    def record_client_owner(self, user_pool_id: str, client_id: str, owner: ResourceOwner, *, replacing: bool) -> None:
        self._arrive("record_client_owner", user_pool_id, client_id, owner)
        if not replacing and (user_pool_id, client_id) in self.owners:
            raise ClaimConflict(f"{user_pool_id}/{client_id}")
        self.owners[(user_pool_id, client_id)] = owner

    def forget_client_owner(self, user_pool_id: str, client_id: str) -> None:
        self._arrive("forget_client_owner", user_pool_id, client_id)
        self.owners.pop((user_pool_id, client_id), None)

    # --- who lists which URLs on a client --------------------------------------

    def contributions(self, user_pool_id: str, client_id: str) -> tuple[Contribution, ...]:
        self._arrive("contributions", user_pool_id, client_id)
        return tuple(sorted(self.contributions_of[(user_pool_id, client_id)].values(), key=lambda c: c.key))

    def put_contribution(self, user_pool_id: str, client_id: str, contribution: Contribution) -> None:
        call = self._arrive("put_contribution", user_pool_id, client_id, contribution)
        if not fits_in_a_record(contribution):
            raise RecordTooLarge(contribution.key)
        self.contributions_of[(user_pool_id, client_id)][contribution.key] = contribution
        self._acted(call)

    def delete_contribution(self, user_pool_id: str, client_id: str, key: str) -> None:
        call = self._arrive("delete_contribution", user_pool_id, client_id, key)
        self.contributions_of[(user_pool_id, client_id)].pop(key, None)
        self._acted(call)

    def wait_for_settle(self) -> None:
        self._arrive("wait_for_settle")
        self.settled += 1

    # --- the machinery -----------------------------------------------------

    def _arrive(self, operation: str, *args: Any) -> Call:
        """Record the call, let the test interleave, and raise an injected failure."""
        call = (operation, args)
        self.calls.append(call)
        self.on_call(operation)
        if self._failures[operation]:
            raise self._failures[operation].pop(0)
        return call

    def _acted(self, call: Call) -> None:
        self.writes.append(call)
        if self._lost_answers[call[0]]:
            self._lost_answers[call[0]] -= 1
            raise ConnectionClosedError(endpoint_url=COGNITO_ENDPOINT)

    def _owned(self, user_pool_id: str, domain: str, certificate_arn: str | None, operation: str) -> FakeDomain:
        record = self.domains.get(domain)
        if record is None or record.user_pool_id != user_pool_id:
            if certificate_arn is not None:
                raise NotThisPoolsDomain(_INVALID, _NO_CUSTOM_DOMAIN, operation)
            raise NotThisPoolsDomain(_INVALID, "No such domain or user pool exists.", operation)
        return record

    def _check_version(self, user_pool_id: str, managed_login_version: int, operation: str) -> None:
        if managed_login_version == 2 and self.feature_plans.get(user_pool_id, "ESSENTIALS") == "LITE":
            raise FeatureUnavailableInTier(
                "FeatureUnavailableInTierException",
                "Managed login is not available in the LITE feature plan.",
                operation,
            )


_ASSOCIATED = "Domain already associated with another user pool."
_NO_CUSTOM_DOMAIN = "User pool should have a custom domain associated, failed to update the certificate."
# CreateUserPoolDomain API reference, Domain pattern (each label of a custom domain).
_PREFIX_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$")
_INVALID_NAME = (
    "The domain name contains an invalid character. Domain names can only contain lower-case "
    "letters, numbers, and hyphens. Please enter a different name that follows this format: "
    r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$"
)


def _check_name(domain: str, *, custom: bool, operation: str) -> None:
    """Cognito's refusals of a name as such: its pattern, its length, and a prefix's reserved words."""
    labels = domain.split(".") if custom else [domain]
    if len(domain) > 63 or not all(_PREFIX_PATTERN.match(label) for label in labels):
        raise CognitoError(_INVALID, _INVALID_NAME, operation)
    for word in ("aws", "amazon", "cognito"):
        if not custom and word in domain:
            raise CognitoError(_INVALID, f"Domain cannot contain reserved word: {word}", operation)
