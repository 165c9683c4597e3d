"""Runs one CloudFormation request against one resource module, within the time it has.

A change that Cognito finishes at once (app client settings) is answered straight
away. One that Cognito is still working on (a domain CREATING or DELETING) is
waited for inside the invocation, checking at a short, growing interval, and
answered within seconds of being done. Only when the Lambda's time runs short
does the wait move to crhelper's polling, which re-invokes the function every
minute until the change is done or the overall deadline, set below the resource's
``ServiceTimeout``, has passed.

What a poll needs travels in one explicit key of the event, ``POLL_STATE_KEY``:
the deadline, the physical id and the resource's ``progress``. When a poll moves
the change on (a domain released, its successor created), the schedule's input
is rewritten, so the next poll starts where this one stopped.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from aws.operations import Operations, aws_operations
from aws.retry import RetryPolicy
from cfn.responder import CloudFormationResponder
from clock import SYSTEM_CLOCK, Clock
from resources.lifecycle import LifecycleRequest, Outcome, ResourceFailure, ResourceLifecycle
from resources.registry import supported_types

logger = logging.getLogger(__name__)

# Time kept back at the end of an invocation to hand over to polling and answer.
HANDOVER_MARGIN_SECONDS = 25.0
# Time kept back for answering after the last Cognito call's retries.
ANSWER_MARGIN_SECONDS = 10.0
# A poll invocation waits at most this long, so that two scheduled polls (one a
# minute) never run at once.
POLL_WAIT_SECONDS = 40.0
FIRST_CHECK_INTERVAL = 1.0
MAX_CHECK_INTERVAL = 5.0
# CloudFormation's default ServiceTimeout for custom resources is one hour; the
# overall deadline stays a minute short of it so FAILED arrives before CloudFormation gives up.
DEFAULT_SERVICE_TIMEOUT_SECONDS = 3600
DEADLINE_MARGIN_SECONDS = 60
# The one key of the event that carries state from the hand-over to each poll.
POLL_STATE_KEY = "CognitoResourcesPollState"


class LambdaContextLike(Protocol):
    def get_remaining_time_in_millis(self) -> int: ...


OpsFactory = Callable[[RetryPolicy], Operations]


def default_ops(retry: RetryPolicy) -> Operations:
    return aws_operations(retry)


class LifecycleDriver:
    """The crhelper create/update/delete/poll functions for one invocation."""

    def __init__(
        self,
        resource: ResourceLifecycle | None,
        resource_type: str,
        responder: CloudFormationResponder,
        ops_factory: OpsFactory = default_ops,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._resource = resource
        self._resource_type = resource_type
        self._responder = responder
        self._ops_factory = ops_factory
        self._clock = clock

    def create(self, event: dict[str, Any], context: LambdaContextLike) -> str:
        return self._start(event, context, lambda resource, request, ops: resource.create(request, ops))

    def update(self, event: dict[str, Any], context: LambdaContextLike) -> str:
        return self._start(event, context, lambda resource, request, ops: resource.update(request, ops))

    def delete(self, event: dict[str, Any], context: LambdaContextLike) -> str:
        return self._start(event, context, lambda resource, request, ops: resource.delete(request, ops))

    def poll(self, event: dict[str, Any], context: LambdaContextLike) -> str | None:
        """A scheduled re-invocation: the physical id when done, ``None`` to be asked again."""
        resource = self._known_resource()
        state = poll_state(event)
        request = _request(event, state["PhysicalResourceId"], state["Progress"])
        ops = self._ops(context)
        wait_seconds = min(POLL_WAIT_SECONDS, _seconds_left(context) - HANDOVER_MARGIN_SECONDS)
        try:
            outcome = self._wait(resource, request, ops, self._clock.monotonic() + wait_seconds)
        except Exception:
            _abandon_failed_create(resource, request, ops)
            raise
        if not outcome.pending:
            self._responder.Data = dict(outcome.data)
            return outcome.physical_id
        if self._clock.time() >= state["Deadline"]:
            _abandon_failed_create(resource, request, ops)
            raise ResourceFailure(
                "Cognito did not finish the change before the deadline set below the resource's "
                "ServiceTimeout; check the domain's status in the Cognito console"
            )
        if dict(outcome.progress) != dict(state["Progress"]) or outcome.physical_id != state["PhysicalResourceId"]:
            event[POLL_STATE_KEY] = {**state, "PhysicalResourceId": outcome.physical_id, "Progress": outcome.progress}
            self._responder.reschedule_poll(event, context)
        return None

    def _start(
        self,
        event: dict[str, Any],
        context: LambdaContextLike,
        start: Callable[[ResourceLifecycle, LifecycleRequest, Operations], Outcome],
    ) -> str:
        started = self._clock.time()
        resource = self._known_resource()
        request = _request(event, str(event.get("PhysicalResourceId", "")), {})
        ops = self._ops(context)
        outcome = start(resource, request, ops)
        if outcome.pending:
            in_invocation_until = self._clock.monotonic() + _seconds_left(context) - HANDOVER_MARGIN_SECONDS
            started_request = request.continuing(outcome)
            try:
                outcome = self._wait(resource, started_request, ops, in_invocation_until)
            except Exception:
                _abandon_failed_create(resource, started_request, ops)
                raise
            if outcome.pending:
                event[POLL_STATE_KEY] = {
                    "Deadline": started + _service_timeout(event) - DEADLINE_MARGIN_SECONDS,
                    "PhysicalResourceId": outcome.physical_id,
                    "Progress": dict(outcome.progress),
                }
                self._responder.hand_over_requested = True
                logger.info("Still in progress; handing over to polling for %s", outcome.physical_id)
                return outcome.physical_id
        self._responder.Data.update(outcome.data)
        return outcome.physical_id

    def _wait(self, resource: ResourceLifecycle, request: LifecycleRequest, ops: Operations, until: float) -> Outcome:
        """Ask ``is_complete`` at a growing interval until done or ``until`` (monotonic); the last outcome."""
        interval = FIRST_CHECK_INTERVAL
        outcome = Outcome(physical_id=request.physical_id, pending=True, progress=request.progress)
        while self._clock.monotonic() + interval < until:
            self._clock.sleep(interval)
            outcome = resource.is_complete(request, ops)
            if not outcome.pending:
                return outcome
            # A new step (the old domain released, the new one created) is watched
            # closely again: it is usually as quick as the first.
            moved_on = dict(outcome.progress) != dict(request.progress)
            request = request.continuing(outcome)
            interval = FIRST_CHECK_INTERVAL if moved_on else min(interval * 1.5, MAX_CHECK_INTERVAL)
        return outcome

    def _ops(self, context: LambdaContextLike) -> Operations:
        deadline = self._clock.monotonic() + _seconds_left(context) - ANSWER_MARGIN_SECONDS
        return self._ops_factory(
            RetryPolicy(
                deadline=deadline,
                sleep=self._clock.sleep,
                clock=self._clock.monotonic,
                stopped=lambda: self._responder.answered,
            )
        )

    def _known_resource(self) -> ResourceLifecycle:
        if self._resource is None:
            raise ResourceFailure(f"Unsupported resource type {self._resource_type[:100]!r}: use {supported_types()}")
        return self._resource


def _request(event: dict[str, Any], physical_id: str, progress: dict[str, str]) -> LifecycleRequest:
    """The CloudFormation request as the resource modules see it."""
    return LifecycleRequest(
        request_type=str(event.get("RequestType", "")),
        physical_id=physical_id,
        properties=event.get("ResourceProperties"),
        old_properties=event.get("OldResourceProperties"),
        progress=progress,
        stack_id=str(event.get("StackId", "")),
        logical_id=str(event.get("LogicalResourceId", "")),
    )


def _abandon_failed_create(resource: ResourceLifecycle, request: LifecycleRequest, ops: Operations) -> None:
    """A Create that fails after it started something removes it again, as far as it can.

    Its FAILED answer carries the failed-create marker, and the Delete CloudFormation
    sends for a marker touches nothing: what was left now (a domain still CREATING, a
    certificate still validating) would hold the pool's slot or the name for good.
    The resource's own Delete decides what is its to remove.
    """
    if request.request_type != "Create" or not request.physical_id:
        return
    try:
        resource.delete(replace(request, request_type="Delete", progress={}), ops)
    except Exception as error:  # the Create's own failure is the answer; this is best effort
        logger.warning("Could not remove what the failed Create started (%s): %s", request.physical_id, error)


# Where version 0.1 kept the deadline: a poll it scheduled before an upgrade still
# carries it, with the physical id in crhelper's CrHelperData, and no progress.
LEGACY_DEADLINE_KEY = "CognitoResourcesDeadline"


def poll_state(event: dict[str, Any]) -> dict[str, Any]:
    """The state a hand-over left in a poll event; ``ResourceFailure`` when there is none (a forged poll)."""
    state = event.get(POLL_STATE_KEY)
    if state is None and LEGACY_DEADLINE_KEY in event:
        # A poll scheduled by the previous version: it is continued, not left to fire forever.
        state = {
            "Deadline": event[LEGACY_DEADLINE_KEY],
            "PhysicalResourceId": (event.get("CrHelperData") or {}).get("PhysicalResourceId"),
        }
        if not state["PhysicalResourceId"]:
            state = None
    try:
        if not isinstance(state, dict):
            raise TypeError(POLL_STATE_KEY)
        deadline = state["Deadline"]
        if isinstance(deadline, bool) or not isinstance(deadline, int | float) or not math.isfinite(deadline):
            raise TypeError("Deadline")
        physical_id = str(state["PhysicalResourceId"])
        progress = {str(key): str(value) for key, value in dict(state.get("Progress") or {}).items()}
    except (KeyError, TypeError, ValueError):
        raise ResourceFailure(
            "This poll request was not handed over by this function (its poll state is missing or malformed); "
            "nothing was done"
        ) from None
    return {"Deadline": float(deadline), "PhysicalResourceId": physical_id, "Progress": progress}


def _seconds_left(context: LambdaContextLike) -> float:
    return context.get_remaining_time_in_millis() / 1000.0


def _service_timeout(event: dict[str, Any]) -> float:
    raw = (event.get("ResourceProperties") or {}).get("ServiceTimeout")
    try:
        return float(raw) if raw is not None else DEFAULT_SERVICE_TIMEOUT_SECONDS
    except (TypeError, ValueError):
        return DEFAULT_SERVICE_TIMEOUT_SECONDS
