"""The ``make bench`` row for issue 19: many stacks sharing one function hand slow changes over at once.

Fifty stacks each create a prefix domain that Cognito keeps CREATING for 100 s, on a
clock that runs ``--handover-scale`` times the wall's pace (0.25: four times faster; the double
and the handler share it).
Every first invocation ends after 50 s of that clock, so each change is recorded and handed to
a one-time schedule; the schedules fire as EventBridge Scheduler would (the double's
ScheduleRunner, invoking asynchronously). Printed: failures, what is left (schedules,
records), and how long after its domain turned ACTIVE the answers came (median and
last), in the function's own time (the figure a user waits for in AWS; the target is 2 s,
the longest interval between two looks at a change).
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.rows import Row, progress

DOMAIN = "Custom::CognitoUserPoolDomain"
# Longer than a hand-over plus Scheduler's minute, so a poll is already watching when the
# domain turns ACTIVE (as it is for a real custom domain, CREATING for many minutes).
CREATING_SECONDS = 100.0
# The first invocation's Lambda time: a few seconds of waiting, then the hand-over.
FIRST_INVOCATION_SECONDS = 50.0
GROUP = "bench-polls"
CHANGES = "/cognito-hosted-ui-resources/changes"


def handover_rows(bench: Any, args: argparse.Namespace) -> Iterator[Row]:  # noqa: PLR0915 (one scenario, top to bottom)
    size = int(args.handovers)
    import boto3

    from cognito_double.scheduler import OneTimeSchedule, ScheduleRunner
    from local.cfn_events import EventFactory
    from local.time_scale import ScaledClock

    progress(f"{size} stacks handing a slow change over at once")
    faithful = bench.endpoint.faithful
    clock = ScaledClock(float(args.handover_scale))
    saved = (faithful.clock, faithful.prefix_domain_delay)
    faithful.clock, faithful.prefix_domain_delay = clock.monotonic, CREATING_SECONDS
    scheduler, ssm = boto3.client("scheduler"), boto3.client("ssm")
    scheduler.create_schedule_group(Name=GROUP)
    os.environ.update(POLL_SCHEDULE_GROUP=GROUP, POLL_SCHEDULER_ROLE_ARN="arn:aws:iam::123456789012:role/bench")
    lock = threading.Lock()
    started: dict[str, float] = {}
    answered: dict[str, float] = {}

    def run(event: dict[str, Any], timeout: float) -> None:
        bench.handler.handler(event, clock.context(timeout), ops_factory=bench.ops_factory, clock=clock)

    def note_answers() -> None:
        with lock:
            for request_id in started:
                if request_id not in answered and bench.responses.answers_for(request_id):
                    answered[request_id] = clock.monotonic()

    events = []
    for n in range(size):
        pool_id, _ = bench.pool()
        stack = f"arn:aws:cloudformation:us-east-1:123456789012:stack/bench-{n}/{n:08d}-0000-0000-0000-000000000000"
        factory = EventFactory(bench.responses.url_for, stack_id=stack)
        events.append(factory.create(DOMAIN, "HostedUIDomain", {"UserPoolId": pool_id, "Domain": f"bench-{n}-slow"}))
    try:
        with ThreadPoolExecutor(max_workers=size) as lambdas:

            def first(event: dict[str, Any]) -> None:
                started[event["RequestId"]] = clock.monotonic()
                run(event, FIRST_INVOCATION_SECONDS)

            list(lambdas.map(first, events))
            handed_over = len(scheduler.list_schedules(GroupName=GROUP)["Schedules"])

            def poll(schedule: OneTimeSchedule) -> None:
                run(schedule.payload, 600.0)
                note_answers()

            def invoke(schedule: OneTimeSchedule) -> None:
                lambdas.submit(poll, schedule)

            runner = ScheduleRunner(lambda: scheduler, clock=clock.time, invoke=invoke)
            give_up = clock.monotonic() + 3600
            while len(answered) < size and clock.monotonic() < give_up:
                runner.fire_due(GROUP)
                note_answers()
                clock.sleep(1.0)
        failures = sum(
            1 for e in events if (bench.responses.answers_for(e["RequestId"]) or [{}])[0].get("Status") != "SUCCESS"
        )
        schedules_left = len(scheduler.list_schedules(GroupName=GROUP)["Schedules"])
        records_left = len(ssm.get_parameters_by_path(Path=CHANGES, Recursive=True)["Parameters"])
        delays = sorted(answered[r] - (started[r] + CREATING_SECONDS) for r in answered) or [float("inf")]
    finally:
        faithful.clock, faithful.prefix_domain_delay = saved
        scheduler.delete_schedule_group(Name=GROUP)
    yield Row(
        f"{size} simultaneous hand-overs, {size} stacks",
        f"{failures} failed, {schedules_left + records_left} left",
        f"{handed_over} handed over",
        f"answer after ACTIVE: median {statistics.median(delays):.1f} s, last {delays[-1]:.1f} s",
        # The figures are the function's time on a clock four times the wall's, with every
        # Lambda sharing this machine's CPUs: a failure is a wrong outcome, not a slow one.
        failed=failures > 0 or schedules_left + records_left > 0 or handed_over != size,
    )
