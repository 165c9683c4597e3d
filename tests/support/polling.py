"""The polls the function has scheduled in the local EventBridge Scheduler, and the group they go to."""

from __future__ import annotations

import os
from typing import Any

from cfn.slow_changes import PendingChange
from cognito_double.scheduler import OneTimeSchedule, ScheduleRunner
from tests.support.clients import local_client

POLL_GROUP = "cognito-resources-polls"
POLL_ROLE_ARN = "arn:aws:iam::123456789012:role/cognito-resources-poll-scheduler"


def scheduler() -> Any:
    return local_client("scheduler")


def prepare_poll_group() -> None:
    """The template's schedule group and role, as the function finds them in its environment."""
    scheduler().create_schedule_group(Name=POLL_GROUP)
    os.environ["POLL_SCHEDULE_GROUP"] = POLL_GROUP
    os.environ["POLL_SCHEDULER_ROLE_ARN"] = POLL_ROLE_ARN


def poll_schedules() -> list[OneTimeSchedule]:
    return ScheduleRunner(scheduler, clock=lambda: 0.0, invoke=lambda _schedule: None).schedules(POLL_GROUP)


def scheduled_polls() -> list[dict[str, Any]]:
    """The events Scheduler would deliver to the function: one per pending schedule."""
    return [schedule.payload for schedule in poll_schedules()]


def change_records() -> list[PendingChange]:
    """Every change in flight the function has recorded (SSM, under changes/)."""
    pages = (
        local_client("ssm")
        .get_paginator("get_parameters_by_path")
        .paginate(Path="/cognito-hosted-ui-resources/changes", Recursive=True, WithDecryption=True)
    )
    return [PendingChange.from_document(p["Value"]) for page in pages for p in page.get("Parameters", [])]
