"""Issue 19: a slow change cannot be forged, jammed or orphaned.

A poll carries only a reference to a change the function recorded; a hand-over that
fails leaves nothing behind; a poll for a change that is over does nothing. Each test
checks what CloudFormation was told, and what is left in Cognito, in the record store
and in EventBridge Scheduler.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from aws.operations import SlowPath
from aws.retry import RetryPolicy
from cfn.driver import default_slow_path
from cognito_double.clock import FakeClock
from tests.support.harness import CERT, CloudFormation, UserPool
from tests.support.polling import change_records, scheduled_polls

DOMAIN = "Custom::CognitoUserPoolDomain"
CUSTOM = {"Domain": "auth.example.com", "CertificateArn": CERT}


@pytest.fixture
def slow_domains(faithful: Any, clock: FakeClock) -> FakeClock:
    """Custom domains stay CREATING for ten minutes of the test's clock."""
    faithful.custom_domain_delay = 600.0
    return clock


def handed_over(cfn: CloudFormation, pool: UserPool, logical_id: str = "HostedUIDomain") -> dict[str, Any]:
    """A Create of a custom domain whose invocation ends while it is CREATING; the poll it scheduled."""
    event = cfn.events.create(DOMAIN, logical_id, {"UserPoolId": pool.id, **CUSTOM})
    assert cfn.invoke(event, timeout_seconds=27) == []
    (poll,) = [p for p in scheduled_polls() if p["CognitoResourcesPoll"]["LogicalResourceId"] == logical_id]
    return poll


def state(faithful: Any, pool: UserPool) -> tuple[Any, ...]:
    domains = [(d.domain, d.status) for d in faithful.domains_of("us-east-1", pool.id)]
    return domains, sorted(map(str, scheduled_polls())), sorted(r.to_document() for r in change_records())


def forged(poll: dict[str, Any], **changes: Any) -> dict[str, Any]:
    event = copy.deepcopy(poll)
    event["CognitoResourcesPoll"].update(changes)
    return event


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda poll: forged(poll, ChangeId="0" * 32), id="another-change-id"),
        pytest.param(lambda poll: forged(poll, ResourceKey="f" * 32), id="another-resource-key"),
        pytest.param(lambda poll: forged(poll, Sequence=poll["CognitoResourcesPoll"]["Sequence"] + 1), id="step-ahead"),
        pytest.param(lambda poll: forged(poll, RequestId="not-the-request"), id="another-request"),
        pytest.param(lambda poll: forged(poll, LogicalResourceId="OtherDomain"), id="another-logical-id"),
        pytest.param(lambda poll: forged(poll, ResourceType="Custom::CognitoDomainCertificate"), id="another-type"),
        pytest.param(
            lambda poll: forged(poll, StackId=poll["CognitoResourcesPoll"]["StackId"] + "x"), id="another-stack"
        ),
        pytest.param(lambda poll: forged(poll, ChangeId="../client-owners"), id="path-in-the-key"),
        pytest.param(lambda poll: {"CognitoResourcesPoll": "auth.example.com"}, id="not-a-reference"),
    ],
)
def test_a_forged_poll_changes_nothing_and_answers_nothing(
    cfn: CloudFormation, pool: UserPool, faithful: Any, slow_domains: FakeClock, forge: Callable[[Any], Any]
) -> None:
    poll = handed_over(cfn, pool)
    before = state(faithful, pool)
    calls = len(faithful.calls)

    assert cfn.invoke(forge(poll), timeout_seconds=60) == []

    assert state(faithful, pool) == before
    assert faithful.calls[calls:] == [], "not even a look at Cognito"


def test_a_poll_carrying_state_of_its_own_is_read_for_its_reference_only(
    cfn: CloudFormation, pool: UserPool, faithful: Any, slow_domains: FakeClock
) -> None:
    victim = {"UserPoolId": pool.id, "Domain": "victim-prefix"}
    assert cfn.send(cfn.events.create(DOMAIN, "Victim", victim))["Status"] == "SUCCESS"
    poll = handed_over(cfn, pool)
    # The deadline in the past, the domain swapped, another step: none of it is read.
    poll["CognitoResourcesPollState"] = {"Deadline": 0, "PhysicalResourceId": "victim-prefix", "Progress": {}}
    poll["CognitoResourcesPoll"]["Deadline"] = 0
    poll["CognitoResourcesPoll"]["Progress"] = {"step": "gone", "release": "victim-prefix"}

    slow_domains.advance(60)
    assert cfn.invoke(poll, timeout_seconds=60) == [], "the real change is still CREATING"

    assert ("victim-prefix", "ACTIVE") in [(d.domain, d.status) for d in faithful.domains_of("us-east-1", pool.id)]
    (record,) = [r for r in change_records() if r.logical_id == "HostedUIDomain"]
    assert record.physical_id == "auth.example.com"


def test_a_replayed_poll_of_an_earlier_step_does_nothing(
    cfn: CloudFormation, pool: UserPool, faithful: Any, slow_domains: FakeClock
) -> None:
    first = handed_over(cfn, pool)
    slow_domains.advance(60)
    assert cfn.fire_due_polls() == []  # step 0 ran and handed over step 1
    before = state(faithful, pool)

    assert cfn.invoke(first, timeout_seconds=60) == []

    assert state(faithful, pool) == before


def test_a_poll_of_the_previous_versions_kind_is_refused_without_touching_what_it_names(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    victim = {"UserPoolId": pool.id, "Domain": "victim-prefix"}
    assert cfn.send(cfn.events.create(DOMAIN, "Victim", victim))["Status"] == "SUCCESS"
    event = cfn.events.create(DOMAIN, "HostedUIDomain", victim)
    event.update(
        CrHelperPoll=True,
        CrHelperRule="arn:aws:events:us-east-1:123456789012:rule/OtherResource12345678",
        CognitoResourcesPollState={"Deadline": 0, "PhysicalResourceId": "victim-prefix", "Progress": {}},
    )

    answer = cfn.send(event)

    assert answer["Status"] == "FAILED"
    assert "earlier version of this function" in answer["Reason"]
    assert [(d.domain, d.status) for d in faithful.domains_of("us-east-1", pool.id)] == [("victim-prefix", "ACTIVE")]


@pytest.mark.parametrize("fire_at", ["start", "end"])
def test_twin_deliveries_of_each_poll_end_in_one_answer_and_one_schedule_per_step(
    cfn: CloudFormation, pool: UserPool, faithful: Any, slow_domains: FakeClock, fire_at: str
) -> None:
    # Both readings the double offers (ledger E1, E4): a schedule fires at the start or the
    # end of its minute, and may be delivered twice.
    handed_over(cfn, pool)

    slow_domains.advance(120)
    assert cfn.fire_due_polls(twice=True, fire_at=fire_at) == []
    assert len(scheduled_polls()) == 1
    slow_domains.advance(600)
    answers = cfn.fire_due_polls(twice=True, fire_at=fire_at)

    assert [a["Status"] for a in answers] == ["SUCCESS"]
    assert scheduled_polls() == []
    assert change_records() == []


def test_a_poll_after_the_resource_was_deleted_does_nothing(
    cfn: CloudFormation, pool: UserPool, faithful: Any, slow_domains: FakeClock
) -> None:
    properties = {"UserPoolId": pool.id, **CUSTOM}
    handed_over(cfn, pool)
    # CloudFormation gave up on the Create and deletes the resource (a rollback).
    delete = cfn.events.delete(DOMAIN, "HostedUIDomain", "auth.example.com", properties)
    slow_domains.advance(600)
    assert cfn.send(delete)["Status"] == "SUCCESS"
    assert change_records() == []
    calls = len(faithful.calls)

    slow_domains.advance(3600)
    assert cfn.fire_due_polls() == []

    assert faithful.calls[calls:] == []
    assert scheduled_polls() == []


@dataclass
class RefusingSchedules:
    """Scheduler as the test wants it to fail: refused, throttled for good, or slow and then lost."""

    error: Exception
    clock: FakeClock
    delay: float = 0.0

    def schedule(self, name: str, at: float, payload: dict[str, Any]) -> bool:
        self.clock.sleep(self.delay)
        raise self.error

    def cancel(self, name: str) -> None:
        return None


def refused(code: str, message: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "CreateSchedule")


@pytest.mark.parametrize(
    ("error", "delay", "said"),
    [
        (refused("AccessDeniedException", "not authorized to perform: scheduler:CreateSchedule"), 0.0, "AccessDenied"),
        (refused("ServiceQuotaExceededException", "schedules per account"), 0.0, "ServiceQuotaExceeded"),
        (refused("ThrottlingException", "Rate exceeded"), 0.0, "Rate exceeded"),
        (ReadTimeoutError(endpoint_url="https://scheduler.us-east-1.amazonaws.com"), 30.0, "Read timeout"),
    ],
    ids=["access-denied", "quota", "throttled-for-good", "30-s-slow-then-lost"],
)
def test_a_refused_hand_over_leaves_nothing_and_says_why(
    cfn: CloudFormation,
    pool: UserPool,
    faithful: Any,
    slow_domains: FakeClock,
    error: Exception,
    delay: float,
    said: str,
) -> None:
    def failing(retry: RetryPolicy, target_arn: str) -> SlowPath:
        real = default_slow_path(retry, target_arn)
        return SlowPath(changes=real.changes, schedules=RefusingSchedules(error, slow_domains, delay))

    cfn.slow_path_factory = failing

    answer = cfn.send(cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, **CUSTOM}), 27)

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("The change was still in progress and could not be handed over")
    assert said in answer["Reason"]
    assert answer["PhysicalResourceId"].startswith("create-failed:")
    slow_domains.advance(3600)
    assert faithful.domains_of("us-east-1", pool.id) == [], "the custom domain the Create made is gone"
    assert change_records() == []
    assert scheduled_polls() == []


def test_a_refused_record_write_leaves_nothing_and_says_why(
    cfn: CloudFormation, pool: UserPool, faithful: Any, slow_domains: FakeClock
) -> None:
    class RefusingChanges:
        def save(self, resource_key: str, change_id: str, document: str) -> None:
            raise refused("AccessDeniedException", "not authorized to perform: ssm:PutParameter")

        def load(self, resource_key: str, change_id: str) -> str | None:
            return None

        def forget(self, resource_key: str, change_id: str) -> None:
            return None

        def change_ids(self, resource_key: str) -> list[str]:
            return []

    def failing(retry: RetryPolicy, target_arn: str) -> SlowPath:
        return SlowPath(changes=RefusingChanges(), schedules=default_slow_path(retry, target_arn).schedules)

    cfn.slow_path_factory = failing

    answer = cfn.send(cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, **CUSTOM}), 27)

    assert answer["Status"] == "FAILED"
    assert "ssm:PutParameter" in answer["Reason"]
    slow_domains.advance(3600)
    assert faithful.domains_of("us-east-1", pool.id) == []
    assert scheduled_polls() == []


def test_a_service_timeout_shorter_than_the_invocation_is_answered_failed_at_its_deadline_not_handed_over(
    cfn: CloudFormation, pool: UserPool, faithful: Any, slow_domains: FakeClock
) -> None:
    event = cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, **CUSTOM})
    event["ResourceProperties"]["ServiceTimeout"] = "120"
    started = slow_domains.time()

    answer = cfn.send(event, timeout_seconds=600)

    assert answer["Status"] == "FAILED"
    assert "did not finish the change before the deadline" in answer["Reason"]
    # Answered by the deadline (a minute short of the 120 s ServiceTimeout), before CloudFormation gives up.
    assert slow_domains.time() - started <= 120 - 60 + 5
    assert scheduled_polls() == []
    assert change_records() == []


def test_a_poll_that_cannot_read_its_record_fails_so_that_lambda_runs_it_again(
    cfn: CloudFormation, pool: UserPool, faithful: Any, slow_domains: FakeClock
) -> None:
    poll = handed_over(cfn, pool)

    def unreadable(retry: RetryPolicy, target_arn: str) -> SlowPath:
        real = default_slow_path(retry, target_arn)

        class Throttled:
            def load(self, resource_key: str, change_id: str) -> str | None:
                raise refused("ThrottlingException", "Rate exceeded")

        return SlowPath(changes=Throttled(), schedules=real.schedules)  # type: ignore[arg-type]

    cfn.slow_path_factory = unreadable
    with pytest.raises(ClientError, match="Rate exceeded"):
        cfn.invoke(poll, timeout_seconds=60)
    cfn.slow_path_factory = default_slow_path

    # Lambda's retry of the same poll then finds the record and carries on.
    slow_domains.advance(600)
    (answer,) = cfn.invoke(poll, timeout_seconds=60)
    assert answer["Status"] == "SUCCESS"


def test_a_poll_whose_change_was_answered_meanwhile_by_a_twin_records_nothing_again(
    cfn: CloudFormation, pool: UserPool, faithful: Any, slow_domains: FakeClock
) -> None:
    poll = handed_over(cfn, pool)
    loads: list[str] = []

    def twin_answers_meanwhile(retry: RetryPolicy, target_arn: str) -> SlowPath:
        real = default_slow_path(retry, target_arn)

        class Records:
            """The poll reads its record; by its next read a twin delivery has answered and removed it."""

            def load(self, resource_key: str, change_id: str) -> str | None:
                loads.append(change_id)
                if len(loads) == 1:
                    return real.changes.load(resource_key, change_id)
                real.changes.forget(resource_key, change_id)
                return None

            def __getattr__(self, name: str) -> Any:
                return getattr(real.changes, name)

        return SlowPath(changes=Records(), schedules=real.schedules)

    cfn.slow_path_factory = twin_answers_meanwhile
    assert cfn.invoke(poll, timeout_seconds=50) == []

    assert change_records() == [], "the record the twin removed stays removed"
    assert scheduled_polls() == [poll], "only the schedule that brought this poll (it deletes itself once run)"


def test_a_change_record_too_large_for_parameter_store_fails_the_hand_over_cleanly(
    cfn: CloudFormation, pool: UserPool, faithful: Any, slow_domains: FakeClock
) -> None:
    event = cfn.events.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool.id, **CUSTOM})
    event["ResponseURL"] += "&padding=" + "x" * 9000

    answer = cfn.send(event, timeout_seconds=50)

    assert answer["Status"] == "FAILED"
    assert "over Parameter Store's 8192" in answer["Reason"]
    slow_domains.advance(3600)
    assert faithful.domains_of("us-east-1", pool.id) == []
    assert scheduled_polls() == []
