"""Runs one CloudFormation request against one resource module, within the time it has.

A change Cognito finishes at once (app client settings) is answered straight away.
One still in progress (a domain CREATING, a certificate validating) is waited for
inside the invocation, at a short, growing interval, and answered within seconds of
being done. Only when the Lambda's time runs short is the change handed over: its
record goes to the function's own store and a one-time schedule invokes the function
again a minute later with nothing but a reference to that record (cfn/slow_changes.py).
Each poll continues from the record, waits a while, then answers or hands over again,
until the change is done or its deadline, set below the resource's ``ServiceTimeout``,
has passed. A hand-over that fails removes what the request made and answers FAILED.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from aws.operations import Operations, SlowPath, aws_operations, aws_slow_path
from aws.retry import RetryPolicy
from cfn.responder import CloudFormationResponder
from cfn.slow_changes import PendingChange, resource_key
from clock import SYSTEM_CLOCK, Clock
from resources.lifecycle import LifecycleRequest, Outcome, ResourceFailure, ResourceLifecycle
from resources.registry import supported_types

logger = logging.getLogger(__name__)

# Time kept back at the end of an invocation to hand over and answer: recording the
# change is a Parameter Store write, and many stacks handing over at once queue for its
# throughput (make bench: 50 hand-overs at a modelled 3 writes per second take ~17 s).
HANDOVER_MARGIN_SECONDS = 45.0
# Time kept back for answering after the last AWS call's retries.
ANSWER_MARGIN_SECONDS = 10.0
# When the next poll is scheduled, after a hand-over (Scheduler fires within the minute it names).
NEXT_POLL_AFTER_SECONDS = 60.0
FIRST_CHECK_INTERVAL = 1.0
# At most 2 s between looks: CloudFormation hears of a finished change within 2 s of it.
MAX_CHECK_INTERVAL = 2.0
# CloudFormation's default ServiceTimeout for custom resources is one hour; the
# deadline stays a minute short of it so FAILED arrives before CloudFormation gives up.
DEFAULT_SERVICE_TIMEOUT_SECONDS = 3600
DEADLINE_MARGIN_SECONDS = 60


class LambdaContextLike(Protocol):
    def get_remaining_time_in_millis(self) -> int: ...


OpsFactory = Callable[[RetryPolicy], Operations]
# (retry policy, the ARN the next poll invokes) -> the store and the scheduler.
SlowPathFactory = Callable[[RetryPolicy, str], SlowPath]


def default_ops(retry: RetryPolicy) -> Operations:
    return aws_operations(retry)


def default_slow_path(retry: RetryPolicy, target_arn: str) -> SlowPath:
    return aws_slow_path(retry, target_arn)


class LifecycleDriver:
    """The crhelper create/update/delete functions for one invocation: a new request, or a poll's continuation."""

    def __init__(  # noqa: PLR0917 (the handler and tests pass them in this order)
        self,
        resource: ResourceLifecycle | None,
        resource_type: str,
        responder: CloudFormationResponder,
        ops_factory: OpsFactory = default_ops,
        clock: Clock = SYSTEM_CLOCK,
        slow_path_factory: SlowPathFactory = default_slow_path,
        continuing: PendingChange | None = None,
    ) -> None:
        self._resource = resource
        self._resource_type = resource_type
        self._responder = responder
        self._ops_factory = ops_factory
        self._clock = clock
        self._slow_path_factory = slow_path_factory
        self._continuing = continuing
        # The change this invocation answered, whose record goes once the answer is sent.
        self._answered_change: PendingChange | None = None

    def create(self, event: dict[str, Any], context: LambdaContextLike) -> str:
        return self._run(event, context, lambda resource, request, ops: resource.create(request, ops))

    def update(self, event: dict[str, Any], context: LambdaContextLike) -> str:
        return self._run(event, context, lambda resource, request, ops: resource.update(request, ops))

    def delete(self, event: dict[str, Any], context: LambdaContextLike) -> str:
        return self._run(event, context, lambda resource, request, ops: resource.delete(request, ops))

    def _run(
        self,
        event: dict[str, Any],
        context: LambdaContextLike,
        start: Callable[[ResourceLifecycle, LifecycleRequest, Operations], Outcome],
    ) -> str:
        if self._continuing is not None:
            return self._continue(self._continuing, context)
        return self._start(event, context, start)

    def _start(
        self,
        event: dict[str, Any],
        context: LambdaContextLike,
        start: Callable[[ResourceLifecycle, LifecycleRequest, Operations], Outcome],
    ) -> str:
        started = self._clock.time()
        resource = self._known_resource()
        deadline = started + _service_timeout(event) - DEADLINE_MARGIN_SECONDS
        request = _request(event, clock=self._clock.time, deadline=deadline)
        ops = self._ops(context)
        if request.request_type == "Delete":
            # The resource's last request: no change of it may stay recorded.
            self._forget_changes(context, event)
        outcome = start(resource, request, ops)
        if not outcome.pending:
            return self._answer(outcome)
        request = request.continuing(outcome)
        in_invocation_until = self._wait_until(context, deadline)
        try:
            outcome = self._wait(resource, request, ops, in_invocation_until)
            if outcome.pending and self._too_late_to_hand_over(deadline):
                raise _past_deadline()
        except Exception:
            _abandon(resource, request, str(event.get("PhysicalResourceId", "")), ops)
            raise
        if not outcome.pending:
            return self._answer(outcome)
        change = PendingChange.begin(event, deadline, outcome.physical_id, outcome.progress)
        self._hand_over(context, change, resource, request.continuing(outcome), ops)
        return outcome.physical_id

    def _answer(self, outcome: Outcome) -> str:
        """A finished outcome's attributes (and reason, when it has one to tell) for the SUCCESS answer."""
        self._responder.Data.update(outcome.data)
        if outcome.reason:
            self._responder.Reason = outcome.reason
        return outcome.physical_id

    def _continue(self, change: PendingChange, context: LambdaContextLike) -> str:
        """A poll: look at the recorded change again, then answer or hand over the next step."""
        resource = self._known_resource()
        request = _request(
            change.cloudformation_event(), change.physical_id, change.progress, self._clock.time, change.deadline
        )
        ops = self._ops(context)
        # A poll waits as long as its invocation allows: the next one is scheduled only when
        # this one hands over, so two never run at once, and fewer polls mean fewer writes.
        until = self._wait_until(context, change.deadline)
        try:
            outcome = self._wait(resource, request, ops, until, look_first=True)
            if outcome.pending and self._too_late_to_hand_over(change.deadline):
                raise _past_deadline()
        except Exception:
            _abandon(resource, request, change.event_physical_id, ops)
            self._answered_change = change
            raise
        if not outcome.pending:
            self._answered_change = change
            return self._answer(outcome)
        if not self._still_current(context, change):
            # A twin delivery of this poll answered the change, or a Delete ended it, meanwhile:
            # recording the next step would bring its record back.
            logger.info("Change %s moved on while this poll looked at it; nothing more to do", change.change_id)
            self._responder.hand_over_requested = True
            return outcome.physical_id
        moved_on = change.moved_on(outcome.physical_id, outcome.progress)
        self._hand_over(context, moved_on, resource, request.continuing(outcome), ops)
        return outcome.physical_id

    def _wait_until(self, context: LambdaContextLike, deadline: float) -> float:
        """Monotonic time to wait until: the invocation's time less the hand-over's, and never past the deadline."""
        invocation = _seconds_left(context) - HANDOVER_MARGIN_SECONDS
        return self._clock.monotonic() + min(invocation, deadline - self._clock.time())

    def _too_late_to_hand_over(self, deadline: float) -> bool:
        """Whether the next poll would come after the deadline: answer FAILED now, not later than CloudFormation."""
        return deadline - self._clock.time() < NEXT_POLL_AFTER_SECONDS

    def _still_current(self, context: LambdaContextLike, change: PendingChange) -> bool:
        document = self._slow_path(context).changes.load(change.resource_key, change.change_id)
        if document is None:
            return False
        try:
            return PendingChange.from_document(document).sequence == change.sequence
        except ValueError:
            return False

    def _hand_over(
        self,
        context: LambdaContextLike,
        change: PendingChange,
        resource: ResourceLifecycle,
        request: LifecycleRequest,
        ops: Operations,
    ) -> None:
        """Record the change, then schedule the next look at it; on any failure leave nothing behind."""
        slow = self._slow_path(context)
        try:
            slow.changes.save(change.resource_key, change.change_id, change.to_document())
            payload = change.reference().to_event()
            if not slow.schedules.schedule(change.schedule_name, self._clock.time() + NEXT_POLL_AFTER_SECONDS, payload):
                logger.info(
                    "Step %d of this change was scheduled already (a twin delivery of the poll)", change.sequence
                )
        except Exception as error:
            logger.error("Handing the change over failed: %s", error)
            # Nothing will look at the change again: an Update's new physical resource goes
            # too. With retries that go on even if the timer has answered meanwhile: what
            # this request made must not outlive it.
            cleanup = self._cleanup_retry(context)
            _abandon(resource, request, change.event_physical_id, self._ops_factory(cleanup), replacements_too=True)
            slow = self._slow_path_factory(cleanup, _target_arn(context))
            with contextlib.suppress(Exception):
                slow.changes.forget(change.resource_key, change.change_id)
            with contextlib.suppress(Exception):
                slow.schedules.cancel(change.schedule_name)
            raise ResourceFailure(
                f"The change was still in progress and could not be handed over to a later check ({error}); "
                "what this request started was removed and nothing is left scheduled: try again"
            ) from error
        self._responder.hand_over_requested = True
        logger.info(
            "Still in progress; %s is looked at again in a minute (step %d of the change)",
            change.physical_id,
            change.sequence,
        )

    def after_answer(self, context: LambdaContextLike) -> None:
        """Once CloudFormation has its answer, the change's record goes (the schedule deleted itself).

        After the answer, not before: when many changes end at once, their record deletes
        queue for Parameter Store's throughput, and CloudFormation should not wait on them.
        """
        change = self._answered_change
        if change is None or not self._responder.delivered:
            # Not delivered (the bucket refused or never answered): the record stays for the
            # resource's Delete to remove; CloudFormation's timeout ends the request.
            return
        try:
            slow = self._slow_path_factory(
                self._cleanup_retry(context), str(getattr(context, "invoked_function_arn", ""))
            )
            slow.changes.forget(change.resource_key, change.change_id)
        except Exception as error:  # a stale record only makes a later poll a no-op, and Delete removes it
            logger.warning("Could not remove the record of the answered change %s: %s", change.change_id, error)

    def _forget_changes(self, context: LambdaContextLike, event: dict[str, Any]) -> None:
        """Remove the records of this resource's earlier changes: CloudFormation has moved on from them.

        Only a hand-over cut short (the function killed between recording and answering)
        leaves one; its polls would find the resource deleted and do nothing anyway.
        """
        key = resource_key(str(event.get("StackId", "")), str(event.get("LogicalResourceId", "")))
        try:
            changes = self._slow_path(context).changes
            for change_id in changes.change_ids(key):
                if change_id:
                    logger.info("Removing the record of an earlier change of this resource (%s)", change_id)
                    changes.forget(key, change_id)
        except Exception as error:  # best effort: a record left only makes its polls no-ops
            logger.warning("Could not look for earlier changes of this resource: %s", error)

    def _wait(
        self,
        resource: ResourceLifecycle,
        request: LifecycleRequest,
        ops: Operations,
        until: float,
        look_first: bool = False,
    ) -> Outcome:
        """Ask ``is_complete`` at a growing interval until done or ``until`` (monotonic); the last outcome."""
        interval = 0.0 if look_first else FIRST_CHECK_INTERVAL
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
            interval = FIRST_CHECK_INTERVAL if moved_on or interval == 0.0 else min(interval * 1.5, MAX_CHECK_INTERVAL)
        return outcome

    def _cleanup_retry(self, context: LambdaContextLike) -> RetryPolicy:
        """Retries for clean-up, which goes on after CloudFormation was answered, until the Lambda's end."""
        return self._retry(context, margin=1.0, after_the_answer=True)

    def _retry(
        self, context: LambdaContextLike, margin: float = ANSWER_MARGIN_SECONDS, after_the_answer: bool = False
    ) -> RetryPolicy:
        """Retries until ``margin`` before the Lambda's end; none once answered, unless ``after_the_answer``."""
        return RetryPolicy(
            deadline=self._clock.monotonic() + _seconds_left(context) - margin,
            sleep=self._clock.sleep,
            clock=self._clock.monotonic,
            stopped=(lambda: False) if after_the_answer else (lambda: self._responder.answered),
        )

    def _ops(self, context: LambdaContextLike) -> Operations:
        return self._ops_factory(self._retry(context))

    def _slow_path(self, context: LambdaContextLike) -> SlowPath:
        return self._slow_path_factory(self._retry(context), _target_arn(context))

    def _known_resource(self) -> ResourceLifecycle:
        if self._resource is None:
            raise ResourceFailure(f"Unsupported resource type {self._resource_type[:100]!r}: use {supported_types()}")
        return self._resource


def _request(
    event: dict[str, Any],
    physical_id: str | None = None,
    progress: Any = None,
    clock: Callable[[], float] = SYSTEM_CLOCK.time,
    deadline: float = float("inf"),
) -> LifecycleRequest:
    """The CloudFormation request as the resource modules see it, with the time it has (``deadline``, on ``clock``)."""
    return LifecycleRequest(
        request_type=str(event.get("RequestType", "")),
        physical_id=str(event.get("PhysicalResourceId", "")) if physical_id is None else physical_id,
        properties=event.get("ResourceProperties"),
        old_properties=event.get("OldResourceProperties"),
        progress=dict(progress or {}),
        stack_id=str(event.get("StackId", "")),
        logical_id=str(event.get("LogicalResourceId", "")),
        request_id=str(event.get("RequestId", "")),
        clock=clock,
        deadline=deadline,
    )


def _abandon(
    resource: ResourceLifecycle,
    request: LifecycleRequest,
    event_physical_id: str,
    ops: Operations,
    replacements_too: bool = False,
) -> None:
    """What a request that will answer FAILED started (a new physical resource) is removed again, as far as it can.

    A failed Create answers with the failed-create marker, and the Delete CloudFormation
    sends for a marker touches nothing; a failed Update keeps the old physical id. So
    what was left now (a domain still CREATING, a certificate still validating) would
    hold the pool's slot or the name for good. The resource's own Delete decides what
    is its to remove. An Update's own failures are the resource module's to settle (it
    puts the old domain back); only a hand-over that failed leaves its replacement alone.
    """
    started_new = request.request_type == "Create" or (
        replacements_too and request.request_type == "Update" and request.physical_id != event_physical_id
    )
    if not started_new or not request.physical_id:
        return
    try:
        resource.delete(replace(request, request_type="Delete", progress={}), ops)
    except Exception as error:  # the request's own failure is the answer; this is best effort
        logger.warning("Could not remove what the failed request started (%s): %s", request.physical_id, error)


def _past_deadline() -> ResourceFailure:
    return ResourceFailure(
        "Cognito did not finish the change before the deadline set below the resource's "
        "ServiceTimeout; check the domain's status in the Cognito console"
    )


def _target_arn(context: LambdaContextLike) -> str:
    """The function a scheduled poll invokes: this one, as Lambda names it in the context."""
    return str(getattr(context, "invoked_function_arn", ""))


def _seconds_left(context: LambdaContextLike) -> float:
    return context.get_remaining_time_in_millis() / 1000.0


def _service_timeout(event: dict[str, Any]) -> float:
    raw = (event.get("ResourceProperties") or {}).get("ServiceTimeout")
    try:
        return float(raw) if raw is not None else DEFAULT_SERVICE_TIMEOUT_SECONDS
    except (TypeError, ValueError):
        return DEFAULT_SERVICE_TIMEOUT_SECONDS
