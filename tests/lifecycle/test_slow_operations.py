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
from cfn.driver import POLL_STATE_KEY
from cognito_double.clock import FakeClock
from local.lambda_context import FakeLambdaContext
from tests.support.harness import CERT, CloudFormation, UserPool
from tests.support.polling import scheduled_polls

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


def test_slow_custom_domain_hands_over_to_polling_and_poll_answers_once_active(
    cfn: CloudFormation, pool: UserPool, faithful: Any, frozen_domains: FakeClock, provider_function: str
) -> None:
    event = cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, **CUSTOM})

    # 27 s of Lambda time: 2 s of waiting in the invocation, then the hand-over.
    answers = cfn.invoke(event, timeout_seconds=27)

    assert answers == [], "CloudFormation must not be answered while the domain is CREATING"
    (poll,) = scheduled_polls()
    assert poll["CrHelperPoll"] is True
    assert poll["RequestId"] == event["RequestId"]
    assert poll[POLL_STATE_KEY]["Deadline"] > frozen_domains.time() + 3000

    assert cfn.invoke(poll, timeout_seconds=60) == [], "still CREATING: keep polling"
    frozen_domains.advance(600)
    answer = cfn.send(poll, timeout_seconds=60)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == "auth.example.com"
    assert answer["Data"]["DomainType"] == "custom"
    assert "PhysicalResourceId" not in answer["Data"]
    assert scheduled_polls() == [], "the polling schedule is removed once answered"


def test_polling_answers_failed_at_the_deadline(
    cfn: CloudFormation, pool: UserPool, faithful: Any, frozen_domains: FakeClock, provider_function: str
) -> None:
    cfn.invoke(cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, **CUSTOM}), timeout_seconds=27)
    (poll,) = scheduled_polls()
    poll[POLL_STATE_KEY]["Deadline"] = frozen_domains.time() - 1

    answer = cfn.send(poll, timeout_seconds=60)

    assert answer["Status"] == "FAILED"
    assert "did not finish the change before the deadline" in answer["Reason"]
    assert answer["PhysicalResourceId"].startswith("create-failed:")
    assert scheduled_polls() == []
    # The marker's Delete will touch nothing, so the Create removed the domain it started.
    cfn.send(
        cfn.events.delete(DOMAIN, "HostedUIDomain", answer["PhysicalResourceId"], {"UserPoolId": pool.id, **CUSTOM})
    )
    frozen_domains.advance(3600)
    assert faithful.domains_of("us-east-1", pool.id) == []


def test_deadline_follows_the_resources_service_timeout(
    cfn: CloudFormation, pool: UserPool, faithful: Any, frozen_domains: FakeClock, provider_function: str
) -> None:
    event = cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, **CUSTOM})
    event["ResourceProperties"]["ServiceTimeout"] = "900"

    cfn.invoke(event, timeout_seconds=27)

    (poll,) = scheduled_polls()
    assert frozen_domains.time() + 800 < poll[POLL_STATE_KEY]["Deadline"] < frozen_domains.time() + 900


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
    cfn: CloudFormation, pool: UserPool, faithful: Any, frozen_domains: FakeClock, provider_function: str
) -> None:
    faithful.deletion_delay = 300.0
    old = {"UserPoolId": pool.id, **CUSTOM}
    new = {"UserPoolId": pool.id, "Domain": "login.example.com", "CertificateArn": CERT}
    create = cfn.events.create(DOMAIN, "HostedUIDomain", old)
    cfn.invoke(create, timeout_seconds=27)
    frozen_domains.advance(600)
    assert cfn.send(scheduled_polls()[0], timeout_seconds=60)["Status"] == "SUCCESS"

    # The old custom domain is deleted; the invocation ends while it is DELETING.
    assert cfn.invoke(cfn.events.update(DOMAIN, "HostedUIDomain", "auth.example.com", new, old), 27) == []
    (poll,) = scheduled_polls()
    assert poll[POLL_STATE_KEY]["Progress"]["step"] == "release"

    # Released: this poll creates the new domain, which is CREATING, and hands its step on.
    frozen_domains.advance(300)
    assert cfn.invoke(poll, timeout_seconds=60) == []
    (next_poll,) = scheduled_polls()
    assert next_poll[POLL_STATE_KEY]["Progress"]["step"] == "settle"
    assert faithful.calls.count("CreateUserPoolDomain") == 2

    frozen_domains.advance(600)
    answer = cfn.send(next_poll, timeout_seconds=60)

    assert (answer["Status"], answer["PhysicalResourceId"]) == ("SUCCESS", "login.example.com"), answer["Reason"]
    assert faithful.calls.count("CreateUserPoolDomain") == 2, "the second poll did not create again"
    assert [r.domain for r in faithful.domains_of("us-east-1", pool.id)] == ["login.example.com"]
    assert scheduled_polls() == []
