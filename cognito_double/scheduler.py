"""EventBridge Scheduler's one-time schedules, run on the double's clock: moto stores them, this fires them.

Rules (each tested in tests/doubles/test_scheduler.py, listed in docs/design/double.md):

- a one-time schedule ``at(yyyy-mm-ddThh:mm:ss)`` fires within the minute it names,
  with one-minute precision: "1:00" runs between 1:00:00 and 1:00:59 (Scheduler user
  guide, "Schedule types"), so possibly before the named second; ``fire_at`` picks
  the start or the end of that minute;
- it invokes its target with ``Target.Input`` as the event, asynchronously (Lambda
  developer guide, "Invoking a Lambda function on a schedule with EventBridge Scheduler");
- with ``ActionAfterCompletion: DELETE`` it is deleted "after the schedule has invoked
  its target once" (Scheduler user guide, "Deleting a schedule");
- delivery more than once: unconfirmed (no AWS page found says either way), so a knob,
  ``deliver_twice``, lets tests run the code under both.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

ONE_MINUTE = 60.0


@dataclass(frozen=True)
class OneTimeSchedule:
    group: str
    name: str
    at: float  # epoch seconds named by the expression
    payload: dict[str, Any]
    delete_after: bool
    target_arn: str = ""

    def fires_at(self, fire_at: str) -> float:
        """When the double fires it: the start or the end of the minute it names."""
        minute = self.at - self.at % ONE_MINUTE
        return minute if fire_at == "start" else minute + ONE_MINUTE - 1


def parse_at(expression: str) -> float:
    """``at(2026-11-30T18:00:00)`` (UTC) -> epoch seconds; ``ValueError`` otherwise."""
    if not (expression.startswith("at(") and expression.endswith(")")):
        raise ValueError(f"not a one-time schedule: {expression}")
    return datetime.strptime(expression[3:-1], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC).timestamp()


class ScheduleRunner:
    """Fires the one-time schedules that are due on ``clock`` (epoch seconds): ``invoke`` runs each target."""

    def __init__(
        self,
        scheduler: Callable[[], Any],
        clock: Callable[[], float],
        invoke: Callable[[OneTimeSchedule], None],
        fire_at: str = "start",
        deliver_twice: bool = False,
    ) -> None:
        self._scheduler = scheduler
        self._clock = clock
        self._invoke = invoke
        self.fire_at = fire_at
        self.deliver_twice = deliver_twice

    def schedules(self, group: str | None = None) -> list[OneTimeSchedule]:
        client = self._scheduler()
        arguments = {"GroupName": group} if group else {}
        found = []
        for summary in client.list_schedules(**arguments).get("Schedules", []):
            details = client.get_schedule(Name=summary["Name"], GroupName=summary["GroupName"])
            found.append(
                OneTimeSchedule(
                    group=str(summary["GroupName"]),
                    name=str(summary["Name"]),
                    at=parse_at(str(details["ScheduleExpression"])),
                    payload=json.loads(details["Target"]["Input"]),
                    delete_after=details.get("ActionAfterCompletion") == "DELETE",
                    target_arn=str(details["Target"]["Arn"]),
                )
            )
        return sorted(found, key=lambda schedule: (schedule.at, schedule.name))

    def due(self, group: str | None = None) -> list[OneTimeSchedule]:
        now = self._clock()
        return [schedule for schedule in self.schedules(group) if schedule.fires_at(self.fire_at) <= now]

    def fire_due(self, group: str | None = None) -> int:
        """Invoke the target of every due schedule (twice with ``deliver_twice``), then delete it if asked."""
        fired = 0
        for schedule in self.due(group):
            for _ in range(2 if self.deliver_twice else 1):
                self._invoke(schedule)
            fired += 1
            if schedule.delete_after:
                self._scheduler().delete_schedule(Name=schedule.name, GroupName=schedule.group)
        return fired
