"""What every resource module offers the CloudFormation entry point, and what it returns.

A resource type is a module with ``create``, ``update``, ``delete`` and
``is_complete``. Each starts a change (or checks on one) and returns an
``Outcome``; a pending outcome means Cognito is still working, and the entry point
asks ``is_complete`` again, with the outcome's ``progress``, until it is done
(the CDK provider framework's onEvent / isComplete split). ``progress`` is the only
state that travels from one check to the next, and it travels explicitly.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

from aws.operations import Operations
from aws.records import ResourceOwner
from properties.parsing import InvalidPropertiesError

P = TypeVar("P")

# A Create that failed answers with this physical id, so the Delete that
# CloudFormation sends next is recognised and touches nothing. ':' cannot occur in
# a domain name or an app client id, so it never names a real resource.
FAILED_CREATE_MARKER = "create-failed:"
# CloudFormation, "Custom resource response objects": "The total size of the response body
# can't exceed 4096 bytes" (cfn/delivery.py sends the body; its MAX_RESPONSE_BYTES is this).
MAX_ANSWER_BYTES = 4096


class ResourceFailure(Exception):
    """The change cannot be made; the message is the reason CloudFormation shows."""


@dataclass(frozen=True)
class LifecycleRequest:
    """A CloudFormation request, reduced to what a lifecycle decision needs."""

    request_type: str
    physical_id: str
    properties: Any
    old_properties: Any = None
    progress: Mapping[str, str] = field(default_factory=dict)
    # Which resource of which stack sends the request: the owner of an app client's
    # settings, and a certificate that must recognise its own tag, read them.
    stack_id: str = ""
    logical_id: str = ""
    # CloudFormation's RequestId: the same for every delivery (and poll) of one request,
    # new for the next request; what an idempotency token of one request derives from.
    request_id: str = ""
    # Wall-clock time (the driver's clock: a test's fake one) and when the answer must have
    # been given (set below the resource's ServiceTimeout): a resource that waits on
    # something outside its control reads them to stop waiting in time.
    clock: Callable[[], float] = field(default=time.time, compare=False, repr=False)
    deadline: float = float("inf")

    @property
    def owner(self) -> ResourceOwner:
        """This resource, as an owner record names it (aws/records.py)."""
        return ResourceOwner(stack_id=self.stack_id, logical_id=self.logical_id)

    @property
    def identity(self) -> tuple[str, str]:
        """(stack id, logical id): this resource, as the tags of a certificate it requested name it."""
        return self.stack_id, self.logical_id

    def continuing(self, outcome: Outcome) -> LifecycleRequest:
        """The request as the next ``is_complete`` sees it, after a pending ``outcome``."""
        return replace(self, physical_id=outcome.physical_id, progress=dict(outcome.progress))


@dataclass(frozen=True)
class Outcome:
    physical_id: str
    data: dict[str, str] = field(default_factory=dict)
    pending: bool = False
    progress: Mapping[str, str] = field(default_factory=dict)
    # What CloudFormation shows beside a SUCCESS, when there is something the user must know.
    reason: str = ""


class ResourceLifecycle(Protocol):
    def create(self, request: LifecycleRequest, ops: Operations) -> Outcome: ...

    def update(self, request: LifecycleRequest, ops: Operations) -> Outcome: ...

    def delete(self, request: LifecycleRequest, ops: Operations) -> Outcome: ...

    def is_complete(self, request: LifecycleRequest, ops: Operations) -> Outcome: ...


def is_failed_create(physical_id: str) -> bool:
    return physical_id.startswith(FAILED_CREATE_MARKER)


def answer_bytes(request: LifecycleRequest, outcome: Outcome) -> int:
    """The size of the SUCCESS body CloudFormation would receive for ``outcome`` (cfn/responder.py's fields)."""
    body = {
        "Status": "SUCCESS",
        "PhysicalResourceId": outcome.physical_id,
        "StackId": request.stack_id,
        "RequestId": request.request_id,
        "LogicalResourceId": request.logical_id,
        "Reason": "",
        "Data": outcome.data,
        "NoEcho": False,
    }
    return len(json.dumps(body, default=str).encode())


def previous_properties(parse: Callable[[Any], P], raw: Any) -> P | None:
    """An Update's old properties, or ``None`` when they cannot be read.

    They cannot be read when the previous update was refused for bad input: this
    Update is its rollback, and must not fail for the input it is undoing.
    """
    try:
        return parse(raw)
    except InvalidPropertiesError:
        return None
