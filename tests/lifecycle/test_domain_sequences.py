"""Every CloudFormation sequence of a domain change, against the asynchronous double.

Real Cognito keeps a deleted domain DELETING (holding its name and its pool's slot),
keeps a new one CREATING, and may end a custom domain FAILED (see the double's
docstring for the sources). For each kind of change below, each sequence
CloudFormation can send must end with the pool holding exactly the domain the stack
describes:

- the Update with replacement, then the cleanup Delete of the old physical id;
- the rollback of a replacement that worked (an Update back, then a Delete of the new id);
- an Update that fails, then its rollback (an Update back to the old properties);
- a Create that fails, then the Delete of its marker physical id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from cognito_double.clock import FakeClock
from cognito_double.faithful_cognito import FaithfulCognito
from tests.support.harness import CERT, CloudFormation, UserPool

DOMAIN = "Custom::CognitoUserPoolDomain"
LOGICAL_ID = "HostedUIDomain"


@dataclass(frozen=True)
class Change:
    name: str
    old_domain: str
    new_domain: str
    moves_pool: bool = False

    def props(self, domain: str, pool_id: str) -> dict[str, str]:
        properties = {"UserPoolId": pool_id, "Domain": domain}
        if "." in domain:
            properties["CertificateArn"] = CERT
        return properties


CHANGES = [
    Change("prefix-to-prefix-same-pool", "notes-old", "notes-new"),
    Change("custom-to-custom-same-pool", "auth.example.com", "login.example.com"),
    Change("custom-to-prefix", "auth.example.com", "notes-new"),
    Change("prefix-to-custom", "notes-old", "auth.example.com"),
    Change("same-name-moves-pool", "notes-moving", "notes-moving", moves_pool=True),
]


def held(faithful: FaithfulCognito, *pools: UserPool) -> dict[str, tuple[str, str]]:
    """What exists, across the pools, as CloudFormation's stack would see it: name -> (pool, status)."""
    return {
        record.domain: (record.user_pool_id, record.status)
        for pool in pools
        for record in faithful.domains_of("us-east-1", pool.id)
    }


def steps(change: Change, pool: UserPool, other_pool: UserPool) -> tuple[dict[str, str], dict[str, str]]:
    new_pool = other_pool if change.moves_pool else pool
    return change.props(change.old_domain, pool.id), change.props(change.new_domain, new_pool.id)


def send(cfn: CloudFormation, event: dict[str, Any]) -> dict[str, Any]:
    answer = cfn.send(event)
    assert answer["Status"] == "SUCCESS", answer["Reason"]
    return answer


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.name)
def test_update_with_replacement_then_cleanup_delete_leaves_exactly_the_new_domain(
    cfn: CloudFormation, pool: UserPool, other_pool: UserPool, faithful: FaithfulCognito, change: Change
) -> None:
    old, new = steps(change, pool, other_pool)
    send(cfn, cfn.events.create(DOMAIN, LOGICAL_ID, old))

    answer = send(cfn, cfn.events.update(DOMAIN, LOGICAL_ID, change.old_domain, new, old))
    send(cfn, cfn.events.delete(DOMAIN, LOGICAL_ID, change.old_domain, old))

    assert answer["PhysicalResourceId"] == change.new_domain
    assert answer["Data"]["UserPoolId"] == new["UserPoolId"]
    assert held(faithful, pool, other_pool) == {change.new_domain: (new["UserPoolId"], "ACTIVE")}


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.name)
def test_rollback_of_a_replacement_that_worked_leaves_exactly_the_old_domain(
    cfn: CloudFormation, pool: UserPool, other_pool: UserPool, faithful: FaithfulCognito, change: Change
) -> None:
    old, new = steps(change, pool, other_pool)
    send(cfn, cfn.events.create(DOMAIN, LOGICAL_ID, old))
    send(cfn, cfn.events.update(DOMAIN, LOGICAL_ID, change.old_domain, new, old))

    # A later resource failed: CloudFormation updates back, then deletes the new physical id.
    back = send(cfn, cfn.events.update(DOMAIN, LOGICAL_ID, change.new_domain, old, new))
    send(cfn, cfn.events.delete(DOMAIN, LOGICAL_ID, change.new_domain, new))

    assert back["PhysicalResourceId"] == change.old_domain
    assert held(faithful, pool, other_pool) == {change.old_domain: (pool.id, "ACTIVE")}


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.name)
def test_update_that_fails_then_its_rollback_leave_exactly_the_old_domain(
    cfn: CloudFormation,
    pool: UserPool,
    other_pool: UserPool,
    faithful: FaithfulCognito,
    cognito: Any,
    clock: FakeClock,
    change: Change,
) -> None:
    old, new = steps(change, pool, other_pool)
    send(cfn, cfn.events.create(DOMAIN, LOGICAL_ID, old))
    unmanaged: dict[str, tuple[str, str]] = {}
    if "." in change.new_domain:
        # The new custom domain ends FAILED (a certificate CloudFront rejects).
        faithful.fail_next_custom_domain()
    elif change.moves_pool:
        # The target pool already has a prefix domain this stack does not manage.
        cognito.create_user_pool_domain(UserPoolId=other_pool.id, Domain="notes-unmanaged")
        clock.advance(faithful.prefix_domain_delay)
        unmanaged = {"notes-unmanaged": (other_pool.id, "ACTIVE")}
    elif "." not in change.old_domain:
        # Another account takes the new name while this stack waits for the old one to go.
        def claim_once_deleted(operation: str) -> None:
            if operation == "DeleteUserPoolDomain":
                faithful.claim_elsewhere(change.new_domain)

        faithful.on_call = claim_once_deleted
    else:
        # A custom domain makes way for nothing here: the name is simply someone else's.
        faithful.claim_elsewhere(change.new_domain)

    failed = cfn.send(cfn.events.update(DOMAIN, LOGICAL_ID, change.old_domain, new, old))
    faithful.on_call = lambda operation: None
    rollback = send(cfn, cfn.events.update(DOMAIN, LOGICAL_ID, change.old_domain, old, new))

    assert (failed["Status"], failed["PhysicalResourceId"]) == ("FAILED", change.old_domain)
    assert rollback["PhysicalResourceId"] == change.old_domain
    assert held(faithful, pool, other_pool) == {change.old_domain: (pool.id, "ACTIVE"), **unmanaged}


@pytest.mark.parametrize(
    ("domain", "arrange"),
    [
        ("auth.example.com", "custom domain ends FAILED"),
        ("notes-app", "another account holds the name"),
    ],
)
def test_delete_after_a_failed_create_touches_nothing_and_nothing_is_left(
    cfn: CloudFormation, pool: UserPool, faithful: FaithfulCognito, domain: str, arrange: str
) -> None:
    if arrange == "custom domain ends FAILED":
        faithful.fail_next_custom_domain()
    props = {"UserPoolId": pool.id, "Domain": domain, **({"CertificateArn": CERT} if "." in domain else {})}

    failed = cfn.send(cfn.events.create(DOMAIN, LOGICAL_ID, props))
    deleted = send(cfn, cfn.events.delete(DOMAIN, LOGICAL_ID, failed["PhysicalResourceId"], props))

    assert failed["Status"] == "FAILED"
    assert failed["PhysicalResourceId"].startswith("create-failed:")
    assert deleted["PhysicalResourceId"] == failed["PhysicalResourceId"]
    assert held(faithful, pool) == {}


def test_create_whose_answer_was_lost_succeeds_with_the_one_domain_it_made(
    cfn: CloudFormation, pool: UserPool, faithful: FaithfulCognito
) -> None:
    # CreateUserPoolDomain acts, then answers HTTP 500: the retry meets the domain it made.
    faithful.lose_answer("CreateUserPoolDomain")

    answer = send(cfn, cfn.events.create(DOMAIN, LOGICAL_ID, {"UserPoolId": pool.id, "Domain": "notes-lost"}))

    assert answer["PhysicalResourceId"] == "notes-lost"
    assert faithful.calls.count("CreateUserPoolDomain") == 2
    assert held(faithful, pool) == {"notes-lost": (pool.id, "ACTIVE")}


def test_a_same_pool_prefix_change_creates_nothing_while_the_old_prefix_is_deleting(
    cfn: CloudFormation, pool: UserPool, faithful: FaithfulCognito
) -> None:
    old, new = {"UserPoolId": pool.id, "Domain": "notes-old"}, {"UserPoolId": pool.id, "Domain": "notes-new"}
    send(cfn, cfn.events.create(DOMAIN, LOGICAL_ID, old))
    seen: list[tuple[str, str]] = []

    def watch(operation: str) -> None:
        record = faithful.domains.get(("us-east-1", "notes-old"))
        seen.append((operation, record.status if record is not None else "gone"))

    faithful.on_call = watch
    send(cfn, cfn.events.update(DOMAIN, LOGICAL_ID, "notes-old", new, old))

    creates = [status for operation, status in seen if operation == "CreateUserPoolDomain"]
    assert creates == ["gone"], "the new prefix is created only once Cognito has released the old one"
    assert held(faithful, pool) == {"notes-new": (pool.id, "ACTIVE")}


def test_an_update_never_takes_over_a_domain_of_the_pool_that_it_did_not_make(
    cfn: CloudFormation, pool: UserPool, faithful: FaithfulCognito, cognito: Any, clock: FakeClock
) -> None:
    # Another stack's (or the console's) custom domain in the same pool.
    cognito.create_user_pool_domain(
        UserPoolId=pool.id, Domain="auth.example.com", CustomDomainConfig={"CertificateArn": CERT}
    )
    clock.advance(faithful.custom_domain_delay)
    old = {"UserPoolId": pool.id, "Domain": "notes-old"}
    new = {"UserPoolId": pool.id, "Domain": "auth.example.com", "CertificateArn": CERT}
    send(cfn, cfn.events.create(DOMAIN, LOGICAL_ID, old))

    refused = cfn.send(cfn.events.update(DOMAIN, LOGICAL_ID, "notes-old", new, old))
    rollback = send(cfn, cfn.events.update(DOMAIN, LOGICAL_ID, "notes-old", old, new))

    assert refused["Status"] == "FAILED"
    assert "did not create it" in refused["Reason"]
    assert rollback["PhysicalResourceId"] == "notes-old"
    assert held(faithful, pool) == {"notes-old": (pool.id, "ACTIVE"), "auth.example.com": (pool.id, "ACTIVE")}
