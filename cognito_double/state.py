"""The double's state: its knobs (what a test may set) and its memory (what exists).

The rules (``cognito_domains``, ``cognito_clients``, ``managed_login_branding``,
``acm``, ``route53``) read and change this; ``faithful_cognito.install`` wires them
into moto. This module imports none of them.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from cognito_double.certificates import self_signed_pem
from cognito_double.errors import InternalErrorException, TooManyRequestsException
from cognito_double.knobs import CertificateRules, DropWhen, Route53Rules, SsmRules, TransportRules
from cognito_double.quotas import CATEGORY_RATES, PER_POOL_CATEGORIES, PER_POOL_RATE, QUOTA_CATEGORIES, RateWindow
from cognito_double.zones import zone_has_a_record

T = TypeVar("T")

FOREIGN_POOL_ID = "us-east-1_SomeoneElse"
TAKEN_BY_OTHERS = ("notes-app",)
# Parent domains that have a DNS A record unless a test says otherwise.
RESOLVABLE_BY_DEFAULT = ("example.com", "example.org", "example.test")


@dataclass
class DomainRecord:
    domain: str
    user_pool_id: str
    account_id: str
    certificate_arn: str | None
    managed_login_version: int
    status: str = "ACTIVE"
    ready_at: float = 0.0
    fails: bool = False

    @property
    def is_custom(self) -> bool:
        return self.certificate_arn is not None


@dataclass
class BrandingStyle:
    """One managed login branding style, keyed in the state by (region, ManagedLoginBrandingId)."""

    branding_id: str
    user_pool_id: str
    client_id: str
    use_cognito_provided_values: bool
    settings: dict[str, Any] | None
    assets: list[dict[str, Any]]
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    modified: datetime = field(default_factory=lambda: datetime.now(UTC))

    def describe(self) -> dict[str, Any]:
        description: dict[str, Any] = {
            "ManagedLoginBrandingId": self.branding_id,
            "UserPoolId": self.user_pool_id,
            "UseCognitoProvidedValues": self.use_cognito_provided_values,
            "Assets": copy.deepcopy(self.assets),
            "CreationDate": self.created,
            "LastModifiedDate": self.modified,
        }
        if self.settings is not None:
            description["Settings"] = copy.deepcopy(self.settings)
        return description


class FaithfulCognito:
    """The state and settings of the double; ``install()`` returns one."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.custom_domain_delay = 1.5
        self.prefix_domain_delay = 0.5
        self.deletion_delay = 2.0
        self.resolvable: set[str] = set()
        self.clock: Callable[[], float] = time.monotonic
        self._lost_answers: dict[str, int] = {}
        self._fail_next_custom = False
        self.future_client_fields: dict[str, dict[str, Any]] = {}
        self.domains: dict[tuple[str, str], DomainRecord] = {}
        # (region, ManagedLoginBrandingId) -> style.
        self.branding_styles: dict[tuple[str, str], BrandingStyle] = {}
        self.calls: list[str] = []
        self.throttled = 0
        self._quotas: dict[str, int] | None = None
        # Q5 and Q6: resource quotas ("Quotas in Amazon Cognito", not adjustable).
        self.custom_domains_per_region = 4
        self.branding_styles_per_pool = 20
        self._windows: dict[str, RateWindow] = {}
        # Called with the operation name as each call arrives: lets a test make
        # something happen at an exact moment (another account claiming a name).
        self.on_call: Callable[[str], None] = lambda operation: None
        # The services around Cognito (knobs.py): acm.py, route53.py, ssm.py, transport.py.
        self.certificates = CertificateRules()
        self.route53 = Route53Rules()
        self.ssm = SsmRules()
        self.transport = TransportRules()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.domains.clear()
            self.branding_styles.clear()
            self.calls.clear()
            self._windows.clear()
            self.throttled = 0
            self._quotas = None
            self.custom_domains_per_region, self.branding_styles_per_pool = 4, 20
            self.custom_domain_delay = 1.5
            self.prefix_domain_delay = 0.5
            self.deletion_delay = 2.0
            self.resolvable = set(RESOLVABLE_BY_DEFAULT)
            self.clock = time.monotonic
            self._lost_answers = {}
            self._fail_next_custom = False
            self.future_client_fields = {}
            self.on_call = lambda operation: None
            self.certificates, self.route53 = CertificateRules(), Route53Rules()
            self.ssm, self.transport = SsmRules(), TransportRules()
            for region in ("us-east-1", "eu-west-1", "us-west-2", "eu-central-1"):
                for name in TAKEN_BY_OTHERS:
                    self.claim_elsewhere(name, region)

    def claim_elsewhere(self, domain: str, region: str = "us-east-1") -> None:
        """Model a domain that another AWS account already uses in ``region``."""
        self.domains[(region, domain)] = DomainRecord(domain, FOREIGN_POOL_ID, "999999999999", None, 1)

    def set_status(self, region: str, domain: str, status: str) -> None:
        with self.lock:
            record = self.domains[(region, domain)]
            record.status, record.ready_at = status, float("inf") if status != "ACTIVE" else 0.0

    def issue_certificate(
        self, arn: str, *names: str, status: str = "ISSUED", valid_days: int = 90, account_id: str = "123456789012"
    ) -> str:
        """Put a certificate for ``names`` into moto's ACM in us-east-1 at a fixed ``arn``."""
        from moto.acm.models import CertBundle, acm_backends

        certificate, key = self_signed_pem(names, valid_days)
        bundle = CertBundle(account_id, certificate, key, region="us-east-1", arn=arn, cert_status=status)
        acm_backends[account_id]["us-east-1"]._certificates[arn] = bundle
        return arn

    def add_future_client_field(self, client_id: str, name: str, value: Any) -> None:
        """A setting newer than the caller's SDK: DescribeUserPoolClient answers it, and
        UpdateUserPoolClient resets it unless sent (as it does every field not sent)."""
        self.future_client_fields.setdefault(client_id, {})[name] = value

    def resolves(self, host: str) -> bool:
        """DNS as the double answers it: the ``resolvable`` set, and A records in public hosted zones."""
        return host in self.resolvable or zone_has_a_record(host)

    def lose_answer(self, operation: str, times: int = 1) -> None:
        """The next ``times`` calls of ``operation`` act, then answer HTTP 500 (the answer is lost)."""
        self._lost_answers[operation] = times

    def drop_connection(self, operation: str, when: DropWhen = "after", times: int = 1) -> None:
        """The next ``times`` calls of ``operation`` lose their answer: the connection closes ``before``
        the operation acts or ``after`` it acted (botocore raises ConnectionClosedError either way)."""
        with self.lock:
            self.transport.drops[operation] = (when, times)

    def fail_next_custom_domain(self) -> None:
        """The next custom domain created ends FAILED instead of ACTIVE (a certificate CloudFront rejects)."""
        self._fail_next_custom = True

    def takes_failure(self) -> bool:
        """Whether the custom domain being created is the one ``fail_next_custom_domain`` meant (once)."""
        failing, self._fail_next_custom = self._fail_next_custom, False
        return failing

    def answered(self, operation: str, result: T) -> T:
        """``result``, or HTTP 500 after acting when ``lose_answer`` asked for this call's answer to be lost."""
        # T1: a knob, not an AWS rule: any answer can be lost in transit.
        left = self._lost_answers.get(operation, 0)
        if left:
            self._lost_answers[operation] = left - 1
            raise InternalErrorException()
        return result

    def scale_time(self, factor: float) -> None:
        """Make every modelled wait ``factor`` times as long (tests of the local run use 0.1)."""
        with self.lock:
            self.prefix_domain_delay *= factor
            self.custom_domain_delay *= factor
            self.deletion_delay *= factor
            rules = self.certificates
            rules.validation_delay *= factor
            rules.describe_not_found_for *= factor
            rules.record_missing_for *= factor
            rules.rotation_hold *= factor

    def stop_enforcing_quotas(self) -> None:
        with self.lock:
            self._quotas = None
            self._windows.clear()

    def enforce_quotas(self, per_pool: int = PER_POOL_RATE, per_account: int | None = None) -> None:
        """Cognito's request-rate quotas: ``per_account`` overrides every category's own rate."""
        rates = {category: per_account or rate for category, rate in CATEGORY_RATES.items()}
        self._quotas = {**rates, "pool": per_pool}

    def domains_of(self, region: str, user_pool_id: str) -> list[DomainRecord]:
        with self.lock:
            records = [self.refresh(reg, name) for (reg, name) in list(self.domains) if reg == region]
            return [r for r in records if r is not None and r.user_pool_id == user_pool_id]

    # --- behaviour, called from the patched request handlers --------------------

    def record(self, operation: str) -> None:
        self.calls.append(operation)
        self.on_call(operation)

    def admit(self, account_id: str, user_pool_id: str | None, operation: str) -> None:
        """Throttle past the operation's category rate per account, or its own rate per pool."""
        # Q1: developer guide, "Quotas in Amazon Cognito" (off unless enforce_quotas()).
        if self._quotas is None:
            return
        now = self.clock()  # the double's clock: a test's second passes when its FakeClock says so
        category = QUOTA_CATEGORIES[operation]
        with self.lock:
            account = self._windows.setdefault(f"{category}@{account_id}", RateWindow(self._quotas[category]))
            pool = (
                self._windows.setdefault(f"{operation}@{user_pool_id}", RateWindow(self._quotas["pool"]))
                if user_pool_id is not None and category in PER_POOL_CATEGORIES
                else RateWindow(per_second=1_000_000)  # no per-pool rule, or a call that names no pool
            )
            if not (account.admit(now) and pool.admit(now)):
                self.throttled += 1
                raise TooManyRequestsException()

    def refresh(self, region: str, domain: str) -> DomainRecord | None:
        """The domain as it is now: transitions whose time has come have happened."""
        record = self.domains.get((region, domain))
        if record is None or self.clock() < record.ready_at:
            return record
        if record.status == "DELETING":
            del self.domains[(region, domain)]
            return None
        if record.status in ("CREATING", "UPDATING"):
            record.status = "FAILED" if record.fails else "ACTIVE"
        return record

    def start(self, record: DomainRecord, status: str) -> None:
        delay = {
            "DELETING": self.deletion_delay,
            "CREATING": self.custom_domain_delay if record.is_custom else self.prefix_domain_delay,
            "UPDATING": self.custom_domain_delay if record.is_custom else self.prefix_domain_delay,
        }[status]
        record.status, record.ready_at = status, self.clock() + delay
