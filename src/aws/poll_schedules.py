"""The next look at a slow change: an EventBridge Scheduler one-time schedule that invokes this function.

Why this engine (docs/design/slow-changes.md has the comparison): a one-time schedule
(``at()`` expression) deletes itself after it has invoked its target once
(``ActionAfterCompletion: DELETE``, Scheduler user guide, "Deleting a schedule"), and
Scheduler invokes the function through a role of the template's, so no resource
policy is edited per hand-over. Schedules fire within the minute they name
("Schedule types": one-minute precision), asynchronously, and may be delivered more
than once, so a poll is idempotent and a schedule's name is unique per step of a change.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from botocore.exceptions import ClientError

from aws.clients import aws_client
from aws.errors import AwsRefusal, refusal_parts
from aws.retry import RetryPolicy


class SchedulingRefused(AwsRefusal):
    """EventBridge Scheduler refused to schedule or cancel a poll."""


class PollSchedules(Protocol):
    """Where the next look at a change is scheduled; ``EventBridgePollSchedules`` is the real one."""

    def schedule(self, name: str, at: float, payload: dict[str, Any]) -> bool: ...

    def cancel(self, name: str) -> None: ...


def at_expression(epoch_seconds: float) -> str:
    """``at(yyyy-mm-ddThh:mm:ss)`` in UTC, rounded up to the next whole second."""
    moment = datetime.fromtimestamp(int(-(-epoch_seconds // 1)), tz=UTC)
    return f"at({moment.strftime('%Y-%m-%dT%H:%M:%S')})"


class EventBridgePollSchedules:
    def __init__(
        self,
        retry: RetryPolicy,
        group: str,
        role_arn: str,
        target_arn: str,
        scheduler: Callable[[], Any] = lambda: aws_client("scheduler"),
    ) -> None:
        self._retry = retry
        self._group = group
        self._role_arn = role_arn
        self._target_arn = target_arn
        self._scheduler = scheduler

    def schedule(self, name: str, at: float, payload: dict[str, Any]) -> bool:
        """Schedule one invocation; ``False`` when a schedule of that name exists (a twin poll made it)."""
        if not self._group or not self._role_arn:
            raise SchedulingRefused(
                "MissingConfiguration",
                "this function has no poll schedule group or scheduler role (POLL_SCHEDULE_GROUP, "
                "POLL_SCHEDULER_ROLE_ARN); deploy it with template.yaml",
                "CreateSchedule",
            )
        request = {
            "Name": name,
            "GroupName": self._group,
            "ScheduleExpression": at_expression(at),
            "ScheduleExpressionTimezone": "UTC",
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "ActionAfterCompletion": "DELETE",
            "Target": {
                "Arn": self._target_arn,
                "RoleArn": self._role_arn,
                "Input": json.dumps(payload),
                # A poll missed now is worth little a minute later: the change's own
                # deadline, not Scheduler's 24 h default, bounds the wait.
                "RetryPolicy": {"MaximumEventAgeInSeconds": 300, "MaximumRetryAttempts": 3},
            },
            "Description": "The next look at a change of a Cognito custom resource (deletes itself once run)",
        }
        try:
            # Repeatable: a repeat after a lost answer meets ConflictException, read as "scheduled".
            self._retry.call(lambda: self._scheduler().create_schedule(**request))
        except ClientError as error:
            details = error.response.get("Error", {})
            if details.get("Code") == "ConflictException":
                return False
            raise SchedulingRefused(
                str(details.get("Code", "")), str(details.get("Message", "")), "CreateSchedule"
            ) from error
        return True

    def cancel(self, name: str) -> None:
        """Delete a schedule that has not fired; gone already is success."""
        try:
            self._retry.call(lambda: self._scheduler().delete_schedule(Name=name, GroupName=self._group))
        except ClientError as error:
            details = error.response.get("Error", {})
            if details.get("Code") != "ResourceNotFoundException":
                raise SchedulingRefused(
                    str(details.get("Code", "")), str(details.get("Message", "")), "DeleteSchedule"
                ) from error


def _refusal(error: ClientError, operation: str) -> SchedulingRefused:
    code, message, _ = refusal_parts(error)
    return SchedulingRefused(code, message, operation)
