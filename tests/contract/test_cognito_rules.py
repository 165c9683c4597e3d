"""One table of real Cognito's domain rules, run against both stand-ins for Cognito.

``InMemoryCognito`` (tests/support/fake_ops.py, for the millisecond decision tests)
and the faithful double (cognito_double/, on moto, reached through boto3 and
``aws_operations`` as the lifecycle tests reach it) each restate the same rules.
Each row states one rule and its source, and both must pass it through the
``CognitoOperations`` protocol the resources call, so the two cannot drift apart.

Left out on purpose, as only one of them applies it: a custom domain's certificate
and parent-domain checks (the double applies them; the fake leaves them to
resources/domain_preflight.py, whose tests assert that no write is even tried),
lost answers and request quotas (each stand-in has its own way to inject them).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import boto3
import pytest

from aws.errors import (
    CognitoError,
    DomainTaken,
    FeatureUnavailableInTier,
    NameOrSlotStillHeld,
    NotThisPoolsDomain,
    PoolSlotTaken,
)
from aws.operations import aws_operations
from aws.retry import RetryPolicy
from cognito_double.clock import FakeClock
from cognito_double.faithful_cognito import FaithfulCognito
from cognito_ops import CognitoOperations
from tests.support.fake_ops import InMemoryCognito
from tests.support.harness import CERT

# The certificate a step sends by default: CERT (for *.example.com, issued by the ``faithful``
# fixture) for a custom domain, none for a prefix.
AUTO = "certificate for a custom domain, none for a prefix"

Plan = Literal["ESSENTIALS", "LITE", "PLUS"]


class World(Protocol):
    """One stand-in for Cognito, with its own pools and its own time."""

    cognito: CognitoOperations

    def pool(self, name: str, plan: Plan = "ESSENTIALS") -> str: ...

    def later(self) -> None: ...


class FakeWorld:
    def __init__(self) -> None:
        self.fake = InMemoryCognito()
        self.cognito = self.fake.operations.cognito
        self._pools: dict[str, str] = {}

    def pool(self, name: str, plan: Plan = "ESSENTIALS") -> str:
        if name not in self._pools:
            self._pools[name] = f"us-east-1_Pool{name}"
            self.fake.feature_plans[self._pools[name]] = plan
        return self._pools[name]

    def later(self) -> None:
        self.fake.settle()
        self.fake.release()


class DoubleWorld:
    def __init__(self, faithful: FaithfulCognito, clock: FakeClock) -> None:
        self._faithful, self._clock = faithful, clock
        retry = RetryPolicy(deadline=clock.monotonic() + 10**9, sleep=clock.sleep, clock=clock.monotonic)
        self.cognito = aws_operations(retry, resolver=faithful.resolves).cognito
        self._client = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
        self._pools: dict[str, str] = {}

    def pool(self, name: str, plan: Plan = "ESSENTIALS") -> str:
        if name not in self._pools:
            created = self._client.create_user_pool(PoolName=f"contract-{name}", UserPoolTier=plan)
            self._pools[name] = created["UserPool"]["Id"]
        return self._pools[name]

    def later(self) -> None:
        double = self._faithful
        self._clock.advance(max(double.custom_domain_delay, double.prefix_domain_delay, double.deletion_delay) + 1)


# --- the steps a rule is written in ---------------------------------------------


def _certificate(domain: str, certificate: str | None) -> str | None:
    if certificate != AUTO:
        return certificate
    return CERT if "." in domain else None


def _expect(refused: type[CognitoError] | None, call: Callable[[], object]) -> None:
    if refused is None:
        call()
        return
    with pytest.raises(CognitoError) as error:
        call()
    assert type(error.value) is refused, f"{type(error.value).__name__} ({error.value}), not {refused.__name__}"


@dataclass(frozen=True)
class Create:
    pool: str
    domain: str
    refused: type[CognitoError] | None = None
    version: int = 1
    certificate: str | None = AUTO

    def run(self, world: World) -> None:
        pool, certificate = world.pool(self.pool), _certificate(self.domain, self.certificate)
        write = self.write(world.cognito)
        _expect(self.refused, lambda: write(pool, self.domain, certificate, self.version))

    def write(self, cognito: CognitoOperations) -> Callable[[str, str, str | None, int], None]:
        return cognito.create_domain


class Update(Create):
    """UpdateUserPoolDomain, with the arguments of a create."""

    def write(self, cognito: CognitoOperations) -> Callable[[str, str, str | None, int], None]:
        return cognito.update_domain


@dataclass(frozen=True)
class Delete:
    pool: str
    domain: str
    refused: type[CognitoError] | None = None

    def run(self, world: World) -> None:
        pool = world.pool(self.pool)
        _expect(self.refused, lambda: world.cognito.delete_domain(pool, self.domain))


@dataclass(frozen=True)
class Shows:
    """DescribeUserPoolDomain: the domain's pool and status, or nothing (``pool=None``)."""

    domain: str
    pool: str | None
    status: str = ""
    version: int = 1

    def run(self, world: World) -> None:
        described = world.cognito.describe_domain(self.domain)
        if self.pool is None:
            assert described is None
            return
        assert described is not None
        seen = (described.user_pool_id, described.status, described.managed_login_version)
        assert seen == (world.pool(self.pool), self.status, self.version)


@dataclass(frozen=True)
class LitePool:
    pool: str

    def run(self, world: World) -> None:
        world.pool(self.pool, plan="LITE")


@dataclass(frozen=True)
class Later:
    """Cognito finishes what it is doing: CREATING and UPDATING end, DELETING domains are gone."""

    def run(self, world: World) -> None:
        world.later()


Step = Create | Update | Delete | Shows | LitePool | Later


@dataclass(frozen=True)
class Rule:
    rule: str
    source: str
    steps: tuple[Step, ...]


RULES = {
    "prefix-creating-then-active": Rule(
        "A prefix domain is CREATING at first, then ACTIVE",
        "terraform-provider-aws waitUserPoolDomainCreated (waits through CREATING for prefixes)",
        (Create("A", "notes-a"), Shows("notes-a", "A", "CREATING"), Later(), Shows("notes-a", "A", "ACTIVE")),
    ),
    "custom-creating-then-active": Rule(
        "A custom domain is CREATING (for minutes), then ACTIVE",
        'Developer guide, "Using your own domain": up to an hour to distribute the certificate',
        (
            Create("A", "auth.example.com"),
            Shows("auth.example.com", "A", "CREATING"),
            Later(),
            Shows("auth.example.com", "A", "ACTIVE"),
        ),
    ),
    "unknown-domain-describes-as-none": Rule(
        "An unknown domain describes as nothing, not an error",
        "API reference, DescribeUserPoolDomain: an empty DomainDescription",
        (Shows("notes-nobody", None),),
    ),
    "name-held-by-another-pool": Rule(
        "A name held by another pool is refused: DomainTaken",
        'Cognito\'s text "Domain already associated with another user pool."; names are unique per region',
        (Create("B", "notes-b"), Create("A", "notes-b", DomainTaken), Shows("notes-b", "B", "CREATING")),
    ),
    "deleting-holds-its-name": Rule(
        "A deleted domain is DELETING and still holds its name: NameOrSlotStillHeld, until it is gone",
        'pulumi/pulumi-aws#998, hashicorp/terraform-provider-aws#28124: "Domain already exists."',
        (
            Create("A", "notes-a"),
            Later(),
            Delete("A", "notes-a"),
            Shows("notes-a", "A", "DELETING"),
            Create("B", "notes-a", NameOrSlotStillHeld),
            Later(),
            Shows("notes-a", None),
            Create("B", "notes-a"),
        ),
    ),
    "deleting-holds-its-pools-slot": Rule(
        "A deleted domain still holds its pool's slot for its kind: NameOrSlotStillHeld, until it is gone",
        'The double\'s reading (not documented): the same "Domain already exists."',
        (
            Create("A", "notes-old"),
            Later(),
            Delete("A", "notes-old"),
            Create("A", "notes-new", NameOrSlotStillHeld),
            Later(),
            Create("A", "notes-new"),
        ),
    ),
    "one-prefix-per-pool": Rule(
        "A pool holds one prefix domain: PoolSlotTaken",
        'Cognito\'s text "User pool already has a domain configured."',
        (Create("A", "notes-a"), Create("A", "notes-a2", PoolSlotTaken)),
    ),
    "one-custom-per-pool": Rule(
        "A pool holds one custom domain: PoolSlotTaken",
        'Cognito\'s text "User pool already has a domain configured."',
        (Create("A", "auth.example.com"), Create("A", "login.example.com", PoolSlotTaken)),
    ),
    "one-prefix-and-one-custom": Rule(
        "A pool holds one prefix and one custom domain side by side",
        'Developer guide, "Configuring a user pool domain": a prefix and a custom domain at once',
        (Create("A", "notes-a"), Create("A", "auth.example.com"), Later(), Shows("auth.example.com", "A", "ACTIVE")),
    ),
    "delete-of-another-pools-domain": Rule(
        "Delete names the pool: another pool's domain is refused, and stays",
        'Cognito\'s text "No such domain or user pool exists."',
        (Create("B", "notes-b"), Delete("A", "notes-b", NotThisPoolsDomain), Shows("notes-b", "B", "CREATING")),
    ),
    "delete-of-an-unknown-domain": Rule(
        "Delete of a domain nobody has is refused like another pool's",
        'Cognito\'s text "No such domain or user pool exists."',
        (Delete("A", "notes-nobody", NotThisPoolsDomain),),
    ),
    "delete-of-a-deleting-domain": Rule(
        "Delete of a domain already DELETING is accepted, and it stays DELETING",
        "The double's reading: the repeat of a delete whose answer was lost",
        (
            Create("A", "notes-a"),
            Later(),
            Delete("A", "notes-a"),
            Delete("A", "notes-a"),
            Shows("notes-a", "A", "DELETING"),
        ),
    ),
    "update-of-a-prefix-the-pool-lacks": Rule(
        "Update names the pool: a prefix domain the pool lacks is refused",
        'Cognito\'s text "No such domain or user pool exists."',
        (
            Create("B", "notes-b"),
            Update("A", "notes-b", NotThisPoolsDomain),
            Update("A", "notes-nobody", NotThisPoolsDomain),
        ),
    ),
    "update-of-a-custom-domain-the-pool-lacks": Rule(
        "Update with a certificate, of a custom domain the pool lacks, is refused",
        'aws/aws-cdk#25712: "User pool should have a custom domain associated, failed to update the certificate."',
        (Create("B", "auth.example.com"), Update("A", "auth.example.com", NotThisPoolsDomain)),
    ),
    "update-that-changes-is-updating-then-active": Rule(
        "An update that changes the domain makes it UPDATING, then ACTIVE",
        'API reference, UpdateUserPoolDomain: "up to one minute to take effect for a prefix domain"',
        (
            Create("A", "notes-a"),
            Later(),
            Update("A", "notes-a", version=2),
            Shows("notes-a", "A", "UPDATING", version=2),
            Later(),
            Shows("notes-a", "A", "ACTIVE", version=2),
        ),
    ),
    "update-that-changes-nothing": Rule(
        "An update that changes nothing leaves the domain ACTIVE",
        "The double's reading: nothing to distribute",
        (Create("A", "notes-a"), Later(), Update("A", "notes-a"), Shows("notes-a", "A", "ACTIVE")),
    ),
    "custom-domain-updated-without-certificate": Rule(
        "A custom domain updated without its certificate is refused (not turned into a prefix)",
        'Cognito\'s text "Cannot convert custom domain to prefix domain"',
        (Create("A", "auth.example.com"), Later(), Update("A", "auth.example.com", CognitoError, certificate=None)),
    ),
    "managed-login-on-lite": Rule(
        "ManagedLoginVersion 2 on a Lite pool is refused: FeatureUnavailableInTier",
        "API reference, DomainDescriptionType.ManagedLoginVersion: any feature plan other than Lite",
        (LitePool("L"), Create("L", "notes-l", FeatureUnavailableInTier, version=2), Create("L", "notes-l")),
    ),
    "prefix-reserved-word": Rule(
        "A prefix may not contain aws, amazon or cognito",
        'Developer guide, "Using the Amazon Cognito domain"; Cognito\'s text "Domain cannot contain reserved word"',
        (Create("A", "my-cognito-login", CognitoError), Shows("my-cognito-login", None)),
    ),
    "prefix-pattern": Rule(
        "A prefix matches ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$: a dotted name without a certificate is refused",
        "API reference, CreateUserPoolDomain, Domain pattern",
        (Create("A", "auth.example.com", CognitoError, certificate=None), Shows("auth.example.com", None)),
    ),
}


@pytest.fixture(params=["fake", "double"])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    if request.param == "fake":
        yield FakeWorld()
        return
    faithful: Any = request.getfixturevalue("faithful")
    yield DoubleWorld(faithful, request.getfixturevalue("clock"))


@pytest.mark.parametrize("rule", [pytest.param(rule, id=name) for name, rule in RULES.items()])
def test_rule_holds(world: World, rule: Rule) -> None:
    for step in rule.steps:
        step.run(world)
