"""Runs one CloudFormation request against one resource module, within the time it has.

A change that Cognito finishes at once (prefix domains, app client settings) is
answered straight away. One that Cognito is still working on (a custom domain
is ``CREATING`` for minutes) is waited for inside the invocation, checking at a
short, growing interval, and answered within seconds of being done. Only when
the Lambda's time runs short does the wait move to crhelper's polling, which
re-invokes the function every minute until the change is done or the overall
deadline, set below the resource's ``ServiceTimeout``, has passed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from botocore.exceptions import ClientError

from cfn_responder import CloudFormationResponder
from cognito_ops import CognitoOps, cognito_client, error_code, error_message
from properties.parsing import InvalidPropertiesError
from resources.lifecycle import LifecycleRequest, Outcome, ResourceFailure, ResourceLifecycle
from retry import RetryPolicy

logger = logging.getLogger(__name__)
T = TypeVar("T")

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
# Where the absolute deadline travels with the event from poll to poll.
DEADLINE_KEY = "CognitoResourcesDeadline"


class LambdaContextLike(Protocol):
    def get_remaining_time_in_millis(self) -> int: ...


OpsFactory = Callable[[float], CognitoOps]


def default_ops(retry_deadline: float) -> CognitoOps:
    return CognitoOps(cognito_client(), RetryPolicy(deadline=retry_deadline))


class LifecycleDriver:
    """The crhelper create/update/delete/poll functions for one invocation."""

    def __init__(
        self,
        resource: ResourceLifecycle | None,
        resource_type: str,
        responder: CloudFormationResponder,
        ops_factory: OpsFactory = default_ops,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._resource = resource
        self._resource_type = resource_type
        self._responder = responder
        self._ops_factory = ops_factory
        self._sleep = sleep

    def create(self, event: dict[str, Any], context: LambdaContextLike) -> str:
        return self._start(event, context, lambda resource, request, ops: resource.create(request, ops))

    def update(self, event: dict[str, Any], context: LambdaContextLike) -> str:
        return self._start(event, context, lambda resource, request, ops: resource.update(request, ops))

    def delete(self, event: dict[str, Any], context: LambdaContextLike) -> str:
        physical_id = str(event.get("PhysicalResourceId", ""))
        resource = self._known_resource()
        request = LifecycleRequest(physical_id=physical_id, properties=event.get("ResourceProperties"))
        self._guarded(lambda: resource.delete(request, self._ops(context)))
        return physical_id

    def poll(self, event: dict[str, Any], context: LambdaContextLike) -> str | None:
        """A scheduled re-invocation: the physical id when done, ``None`` to be asked again."""
        resource = self._known_resource()
        request = LifecycleRequest(
            physical_id=str(self._responder.Data.get("PhysicalResourceId", "")),
            properties=event.get("ResourceProperties"),
            old_properties=event.get("OldResourceProperties"),
        )
        wait_seconds = min(POLL_WAIT_SECONDS, _seconds_left(context) - HANDOVER_MARGIN_SECONDS)
        outcome = self._guarded(
            lambda: self._wait(resource, request, self._ops(context), time.monotonic() + wait_seconds)
        )
        if outcome is not None:
            self._responder.Data = dict(outcome.data)
            return outcome.physical_id
        if time.time() >= float(event.get(DEADLINE_KEY, 0)):
            raise ResourceFailure(
                "Cognito did not finish the change before the deadline set below the resource's "
                "ServiceTimeout; check the domain's status in the Cognito console"
            )
        return None

    def _start(
        self,
        event: dict[str, Any],
        context: LambdaContextLike,
        start: Callable[[ResourceLifecycle, LifecycleRequest, CognitoOps], Outcome],
    ) -> str:
        started = time.time()
        resource = self._known_resource()
        request = LifecycleRequest(
            physical_id=str(event.get("PhysicalResourceId", "")),
            properties=event.get("ResourceProperties"),
            old_properties=event.get("OldResourceProperties"),
        )
        ops = self._ops(context)
        outcome = self._guarded(lambda: start(resource, request, ops))
        if outcome.pending:
            in_invocation_until = time.monotonic() + _seconds_left(context) - HANDOVER_MARGIN_SECONDS
            done = self._guarded(
                lambda: self._wait(resource, _with_physical_id(request, outcome), ops, in_invocation_until)
            )
            if done is None:
                event[DEADLINE_KEY] = started + _service_timeout(event) - DEADLINE_MARGIN_SECONDS
                self._responder.hand_over_requested = True
                logger.info("Still in progress; handing over to polling for %s", outcome.physical_id)
                return outcome.physical_id
            outcome = done
        self._responder.Data.update(outcome.data)
        return outcome.physical_id

    def _wait(
        self, resource: ResourceLifecycle, request: LifecycleRequest, ops: CognitoOps, until: float
    ) -> Outcome | None:
        """Ask ``is_complete`` at a growing interval until done or ``until`` (monotonic)."""
        interval = FIRST_CHECK_INTERVAL
        while time.monotonic() + interval < until:
            self._sleep(interval)
            outcome = resource.is_complete(request, ops)
            if outcome is not None:
                return outcome
            interval = min(interval * 1.5, MAX_CHECK_INTERVAL)
        return None

    def _ops(self, context: LambdaContextLike) -> CognitoOps:
        return self._ops_factory(time.monotonic() + _seconds_left(context) - ANSWER_MARGIN_SECONDS)

    def _known_resource(self) -> ResourceLifecycle:
        if self._resource is None:
            raise ResourceFailure(
                f"Unsupported resource type {self._resource_type[:100]!r}: use "
                "Custom::CognitoUserPoolDomain or Custom::CognitoUserPoolClientSettings"
            )
        return self._resource

    def _guarded(self, action: Callable[[], T]) -> T:
        """Turn every failure into one readable reason, the fact first, then the AWS error code."""
        try:
            return action()
        except (ResourceFailure, InvalidPropertiesError):
            raise
        except ClientError as error:
            operation = error.operation_name
            raise ResourceFailure(f"{error_message(error)} ({error_code(error)} from {operation})") from error


def _with_physical_id(request: LifecycleRequest, outcome: Outcome) -> LifecycleRequest:
    return LifecycleRequest(
        physical_id=outcome.physical_id, properties=request.properties, old_properties=request.old_properties
    )


def _seconds_left(context: LambdaContextLike) -> float:
    return context.get_remaining_time_in_millis() / 1000.0


def _service_timeout(event: dict[str, Any]) -> float:
    raw = (event.get("ResourceProperties") or {}).get("ServiceTimeout")
    try:
        return float(raw) if raw is not None else DEFAULT_SERVICE_TIMEOUT_SECONDS
    except (TypeError, ValueError):
        return DEFAULT_SERVICE_TIMEOUT_SECONDS
