"""EventBridge Scheduler's one-time schedules as the double fires them (cognito_double/scheduler.py).

Each test is one rule of the ledger (docs/design/double.md, E1 to E4).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from cognito_double.clock import FakeClock
from cognito_double.scheduler import OneTimeSchedule, ScheduleRunner, parse_at

GROUP = "polls"
TARGET = "arn:aws:lambda:us-east-1:123456789012:function:provider"


@pytest.fixture
def scheduler(faithful: Any) -> Any:
    client = boto3.client("scheduler", region_name="us-east-1", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    client.create_schedule_group(Name=GROUP)
    return client


def schedule(scheduler: Any, name: str, at: str, delete_after: bool = True) -> None:
    scheduler.create_schedule(
        Name=name,
        GroupName=GROUP,
        ScheduleExpression=f"at({at})",
        FlexibleTimeWindow={"Mode": "OFF"},
        ActionAfterCompletion="DELETE" if delete_after else "NONE",
        Target={"Arn": TARGET, "RoleArn": "arn:aws:iam::123456789012:role/r", "Input": f'{{"name": "{name}"}}'},
    )


def epoch(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC).timestamp()


def runner(scheduler: Any, now: list[float], fired: list[OneTimeSchedule], **knobs: Any) -> ScheduleRunner:
    return ScheduleRunner(lambda: scheduler, clock=lambda: now[0], invoke=fired.append, **knobs)


def test_e1_a_schedule_fires_within_the_minute_it_names_possibly_before_the_named_second(scheduler: Any) -> None:
    schedule(scheduler, "p", "2026-11-30T18:00:45")
    fired: list[OneTimeSchedule] = []
    now = [epoch("2026-11-30T17:59:59")]
    double = runner(scheduler, now, fired)

    assert double.fire_due(GROUP) == 0
    now[0] = epoch("2026-11-30T18:00:00")
    assert double.fire_due(GROUP) == 1, "the start of the minute counts, before :45"
    assert [s.payload for s in fired] == [{"name": "p"}]


def test_e1_the_end_of_the_minute_is_the_other_reading(scheduler: Any) -> None:
    schedule(scheduler, "p", "2026-11-30T18:00:45")
    fired: list[OneTimeSchedule] = []
    now = [epoch("2026-11-30T18:00:58")]
    double = runner(scheduler, now, fired, fire_at="end")

    assert double.fire_due(GROUP) == 0
    now[0] = epoch("2026-11-30T18:00:59")
    assert double.fire_due(GROUP) == 1


def test_e2_the_target_gets_the_input_and_the_arn_it_names(scheduler: Any) -> None:
    schedule(scheduler, "p", "2026-11-30T18:00:00")
    fired: list[OneTimeSchedule] = []
    now = [epoch("2026-11-30T18:01:00")]

    runner(scheduler, now, fired).fire_due(GROUP)

    ((only,),) = [fired]
    assert (only.target_arn, only.payload) == (TARGET, {"name": "p"})


def test_e3_action_after_completion_delete_removes_it_once_it_has_run(scheduler: Any) -> None:
    schedule(scheduler, "deleted", "2026-11-30T18:00:00")
    schedule(scheduler, "kept", "2026-11-30T18:00:00", delete_after=False)
    fired: list[OneTimeSchedule] = []
    now = [epoch("2026-11-30T18:01:00")]

    runner(scheduler, now, fired).fire_due(GROUP)

    names = [s["Name"] for s in scheduler.list_schedules(GroupName=GROUP)["Schedules"]]
    assert names == ["kept"]


def test_e4_a_twin_delivery_is_a_knob(scheduler: Any) -> None:
    schedule(scheduler, "p", "2026-11-30T18:00:00")
    fired: list[OneTimeSchedule] = []
    now = [epoch("2026-11-30T18:01:00")]

    runner(scheduler, now, fired, deliver_twice=True).fire_due(GROUP)

    assert [s.name for s in fired] == ["p", "p"]


def test_at_expressions_are_read_in_utc() -> None:
    assert parse_at("at(2026-11-30T18:00:00)") == epoch("2026-11-30T18:00:00")
    with pytest.raises(ValueError, match="not a one-time schedule"):
        parse_at("rate(1 minute)")


def test_the_function_schedules_its_next_look_as_the_double_fires_it(scheduler: Any, clock: FakeClock) -> None:
    from aws.poll_schedules import EventBridgePollSchedules
    from aws.retry import RetryPolicy

    polls = EventBridgePollSchedules(
        RetryPolicy(deadline=clock.monotonic() + 30), GROUP, "arn:aws:iam::1:role/r", TARGET
    )
    at = clock.time() + 60

    assert polls.schedule("change-0", at, {"CognitoResourcesPoll": {"Sequence": 0}}) is True
    assert polls.schedule("change-0", at, {"CognitoResourcesPoll": {"Sequence": 0}}) is False, (
        "a twin: ConflictException"
    )
    fired: list[OneTimeSchedule] = []
    ScheduleRunner(lambda: scheduler, clock=lambda: at + 60, invoke=fired.append).fire_due(GROUP)
    assert [s.payload for s in fired] == [{"CognitoResourcesPoll": {"Sequence": 0}}]
    polls.cancel("change-0")  # gone already: no error
