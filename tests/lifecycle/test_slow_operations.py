"""Slow changes: waiting inside the invocation, handing over to polling, deadlines.

Real custom domains stay CREATING for minutes (Cognito developer guide, "Using
your own domain": up to an hour to distribute a certificate). The faithful double
models that with a clock the tests control.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

import handler
from cognito_double.clock import FakeClock
from local.lambda_context import FakeLambdaContext
from tests.support.harness import CERT, CloudFormation, UserPool
from tests.support.polling import change_records, poll_schedules, scheduled_polls

DOMAIN = "Custom::CognitoUserPoolDomain"
CUSTOM = {"Domain": "auth.example.com", "CertificateArn": CERT}


@pytest.fixture
def frozen_domains(faithful: Any, clock: FakeClock) -> FakeClock:
    """Custom domains stay CREATING for ten minutes of the test's clock."""
    faithful.custom_domain_delay = 600.0
    return clock


def test_prefix_domain_is_answered_within_a_second_of_turning_active_without_polling(
    cfn: CloudFormation, pool: UserPool, faithful: Any, clock: FakeClock
) -> None:
    # A prefix domain is CREATING briefly (the double: 0.5 s), and the answer waits for it.
    answer = cfn.send(cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, "Domain": "notes-fast"}))

    assert answer["Status"] == "SUCCESS"
    assert faithful.calls[:2] == ["DescribeUserPoolDomain", "CreateUserPoolDomain"]
    assert clock.slept <= faithful.prefix_domain_delay + 1.0
    assert scheduled_polls() == []


def test_custom_domain_is_answered_within_seconds_of_turning_active(
    cfn: CloudFormation, pool: UserPool, faithful: Any, clock: FakeClock
) -> None:
    faithful.custom_domain_delay = 2.0

    answer = cfn.send(cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, **CUSTOM}))

    assert answer["Status"] == "SUCCESS"
    # ACTIVE after 2 s; checks at 1, 2.5 s (interval grows 1 -> 1.5 -> 2.25 ... <= 5 s).
    assert 2.0 <= clock.slept < 2.0 + 5.0
    assert scheduled_polls() == []


def test_domain_that_ends_failed_is_answered_failed(
    cfn: CloudFormation, pool: UserPool, faithful: Any, frozen_domains: FakeClock
) -> None:
    def fail_once_created(operation: str) -> None:
        record = faithful.domains.get(("us-east-1", "auth.example.com"))
        if operation == "DescribeUserPoolDomain" and record is not None and record.status == "CREATING":
            faithful.set_status("us-east-1", "auth.example.com", "FAILED")

    faithful.on_call = fail_once_created

    answer = cfn.send(cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, **CUSTOM}))

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("Cognito reports domain 'auth.example.com' as FAILED")
    # The broken domain this Create made is gone, so it does not hold the pool's custom-domain slot.
    assert faithful.domains_of("us-east-1", pool.id) == []


def test_slow_custom_domain_hands_over_to_a_schedule_and_a_poll_answers_once_active(
    cfn: CloudFormation, pool: UserPool, faithful: Any, frozen_domains: FakeClock
) -> None:
    event = cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, **CUSTOM})

    # 27 s of Lambda time: 2 s of waiting in the invocation, then the hand-over.
    answers = cfn.invoke(event, timeout_seconds=27)

    assert answers == [], "CloudFormation must not be answered while the domain is CREATING"
    (schedule,) = poll_schedules()
    # The poll names its change and step, nothing else: no domain, no deadline, no URL.
    assert set(schedule.payload["CognitoResourcesPoll"]) == {
        "ResourceKey", "ChangeId", "Sequence", "RequestId", "StackId", "LogicalResourceId", "ResourceType"
    }  # fmt: skip
    assert schedule.delete_after
    assert frozen_domains.time() + 59 <= schedule.at <= frozen_domains.time() + 61
    assert len(change_records()) == 1

    frozen_domains.advance(60)
    assert cfn.fire_due_polls() == [], "still CREATING: keep polling"
    frozen_domains.advance(600)
    (answer,) = cfn.fire_due_polls()

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["RequestId"] == event["RequestId"]
    assert answer["PhysicalResourceId"] == "auth.example.com"
    assert answer["Data"]["DomainType"] == "custom"
    assert scheduled_polls() == [], "each schedule deleted itself once it ran"
    assert change_records() == [], "the answered change's record is gone"


def test_polling_answers_failed_at_the_deadline_and_removes_what_the_create_made(
    cfn: CloudFormation, pool: UserPool, faithful: Any, frozen_domains: FakeClock
) -> None:
    event = cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, **CUSTOM})
    event["ResourceProperties"]["ServiceTimeout"] = "300"
    faithful.custom_domain_delay = 3600.0
    cfn.invoke(event, timeout_seconds=27)

    answers = []
    for _ in range(6):
        frozen_domains.advance(60)
        answers += cfn.fire_due_polls()

    (answer,) = answers
    assert answer["Status"] == "FAILED"
    assert "did not finish the change before the deadline" in answer["Reason"]
    assert answer["PhysicalResourceId"].startswith("create-failed:")
    assert scheduled_polls() == []
    assert change_records() == []
    # The marker's Delete will touch nothing, so the Create removed the domain it started.
    frozen_domains.advance(3600)
    assert faithful.domains_of("us-east-1", pool.id) == []


def test_deadline_follows_the_resources_service_timeout(
    cfn: CloudFormation, pool: UserPool, faithful: Any, frozen_domains: FakeClock
) -> None:
    event = cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, **CUSTOM})
    event["ResourceProperties"]["ServiceTimeout"] = "900"

    cfn.invoke(event, timeout_seconds=27)

    (record,) = change_records()
    assert frozen_domains.time() + 800 < record.deadline < frozen_domains.time() + 900


def test_update_that_puts_domain_into_updating_is_waited_for(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    faithful.custom_domain_delay = 1.0
    old = {"UserPoolId": pool.id, **CUSTOM}
    assert cfn.send(cfn.events.create(DOMAIN, "HostedUIDomain", old))["Status"] == "SUCCESS"
    faithful.calls.clear()

    answer = cfn.send(
        cfn.events.update(DOMAIN, "HostedUIDomain", "auth.example.com", {**old, "ManagedLoginVersion": "2"}, old)
    )

    assert answer["Status"] == "SUCCESS"
    # UpdateUserPoolDomain, then DescribeUserPoolDomain while UPDATING and again once ACTIVE.
    assert faithful.calls[0] == "UpdateUserPoolDomain"
    assert faithful.calls.count("DescribeUserPoolDomain") >= 2


@pytest.mark.slow
def test_running_out_of_time_is_answered_exactly_once(cfn: CloudFormation, pool: UserPool, faithful: Any) -> None:
    def slow_cognito(operation: str) -> None:
        if operation == "CreateUserPoolDomain":
            time.sleep(2.0)

    faithful.on_call = slow_cognito
    event = cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, "Domain": "notes-slow"})

    handler.handler(event, FakeLambdaContext(timeout_seconds=1.5))
    time.sleep(0.5)

    answers = cfn.responses.answers_for(event["RequestId"])
    assert len(answers) == 1
    assert answers[0]["Status"] == "FAILED"
    assert answers[0]["Reason"].startswith("The function ran out of time")


def test_update_whose_domain_ends_failed_fails_and_keeps_the_domain(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    faithful.custom_domain_delay = 0.2
    old = {"UserPoolId": pool.id, **CUSTOM}
    assert cfn.send(cfn.events.create(DOMAIN, "HostedUIDomain", old))["Status"] == "SUCCESS"

    def fail_after_update(operation: str) -> None:
        record = faithful.domains.get(("us-east-1", "auth.example.com"))
        updating = record is not None and record.status == "UPDATING"
        if operation == "DescribeUserPoolDomain" and updating:
            faithful.set_status("us-east-1", "auth.example.com", "FAILED")

    faithful.on_call = fail_after_update
    new = {**old, "ManagedLoginVersion": "2"}

    answer = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "auth.example.com", new, old))

    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == "auth.example.com"
    assert [r.domain for r in faithful.domains_of("us-east-1", pool.id)] == ["auth.example.com"]


def test_rollback_of_a_replacement_whose_new_domain_failed_leaves_exactly_the_old_domain(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    faithful.custom_domain_delay = 0.2
    old = {"UserPoolId": pool.id, **CUSTOM}
    new = {"UserPoolId": pool.id, "Domain": "login.example.com", "CertificateArn": CERT}
    assert cfn.send(cfn.events.create(DOMAIN, "HostedUIDomain", old))["Status"] == "SUCCESS"

    def new_domain_fails(operation: str) -> None:
        record = faithful.domains.get(("us-east-1", "login.example.com"))
        if operation == "DescribeUserPoolDomain" and record is not None and record.status == "CREATING":
            faithful.set_status("us-east-1", "login.example.com", "FAILED")

    faithful.on_call = new_domain_fails
    failed = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "auth.example.com", new, old))
    assert (failed["Status"], failed["PhysicalResourceId"]) == ("FAILED", "auth.example.com")
    faithful.on_call = lambda operation: None

    # CloudFormation rolls back: the old properties, to the physical id the failed Update kept.
    rollback = cfn.send(cfn.events.update(DOMAIN, "HostedUIDomain", "auth.example.com", old, new))

    assert (rollback["Status"], rollback["PhysicalResourceId"]) == ("SUCCESS", "auth.example.com")
    assert [r.domain for r in faithful.domains_of("us-east-1", pool.id)] == ["auth.example.com"]


def test_replacement_interrupted_by_the_end_of_the_invocation_continues_on_the_next_polls(
    cfn: CloudFormation, pool: UserPool, faithful: Any, frozen_domains: FakeClock
) -> None:
    faithful.deletion_delay = 300.0
    old = {"UserPoolId": pool.id, **CUSTOM}
    new = {"UserPoolId": pool.id, "Domain": "login.example.com", "CertificateArn": CERT}
    create = cfn.events.create(DOMAIN, "HostedUIDomain", old)
    cfn.invoke(create, timeout_seconds=27)
    frozen_domains.advance(600)
    assert [a["Status"] for a in cfn.fire_due_polls()] == ["SUCCESS"]

    # The old custom domain is deleted; the invocation ends while it is DELETING.
    assert cfn.invoke(cfn.events.update(DOMAIN, "HostedUIDomain", "auth.example.com", new, old), 27) == []
    (record,) = change_records()
    assert record.progress["step"] == "release"

    # Released: this poll creates the new domain, which is CREATING, and hands its step on.
    frozen_domains.advance(300)
    assert cfn.fire_due_polls() == []
    (record,) = change_records()
    assert (record.progress["step"], record.sequence) == ("settle", 1)
    assert faithful.calls.count("CreateUserPoolDomain") == 2

    frozen_domains.advance(600)
    (answer,) = cfn.fire_due_polls()

    assert (answer["Status"], answer["PhysicalResourceId"]) == ("SUCCESS", "login.example.com"), answer["Reason"]
    assert faithful.calls.count("CreateUserPoolDomain") == 2, "the second poll did not create again"
    assert [r.domain for r in faithful.domains_of("us-east-1", pool.id)] == ["login.example.com"]
    assert scheduled_polls() == []
    assert change_records() == []
