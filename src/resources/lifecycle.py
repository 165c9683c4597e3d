"""What every resource module offers the CloudFormation entry point, and what it returns.

A resource type is a module with ``create``, ``update``, ``delete`` and
``is_complete``. ``create``/``update`` start a change; when Cognito is still
working on it they return a pending ``Outcome`` and the entry point asks
``is_complete`` until it is done (the CDK provider framework's onEvent /
isComplete split).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from cognito_ops import CognitoOps

# A Create that failed answers with this physical id, so the Delete that
# CloudFormation sends next is recognised and touches nothing. ':' cannot occur in
# a domain name or an app client id, so it never names a real resource.
FAILED_CREATE_MARKER = "create-failed:"


class ResourceFailure(Exception):
    """The change cannot be made; the message is the reason CloudFormation shows."""


@dataclass(frozen=True)
class LifecycleRequest:
    """A CloudFormation request, reduced to what a lifecycle decision needs."""

    physical_id: str
    properties: Any
    old_properties: Any = None


@dataclass(frozen=True)
class Outcome:
    physical_id: str
    data: dict[str, str] = field(default_factory=dict)
    pending: bool = False


class ResourceLifecycle(Protocol):
    def create(self, request: LifecycleRequest, ops: CognitoOps) -> Outcome: ...

    def update(self, request: LifecycleRequest, ops: CognitoOps) -> Outcome: ...

    def delete(self, request: LifecycleRequest, ops: CognitoOps) -> None: ...

    def is_complete(self, request: LifecycleRequest, ops: CognitoOps) -> Outcome | None: ...


def is_failed_create(physical_id: str) -> bool:
    return physical_id.startswith(FAILED_CREATE_MARKER)
