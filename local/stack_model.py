"""What the local CloudFormation knows about a stack, and the events it prints as CloudFormation does."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from local.intrinsics import ResolutionContext
from local.native_resources import ProvisionedResource

Report = Callable[[str], None]
PASSIVE_TYPES = {"AWS::Logs::LogGroup", "AWS::IAM::Policy", "AWS::IAM::Role"}
FUNCTION_TYPES = {"AWS::Serverless::Function", "AWS::Lambda::Function"}


def is_custom(resource_type: str) -> bool:
    return resource_type.startswith("Custom::") or resource_type == "AWS::CloudFormation::CustomResource"


class StackError(Exception):
    """A stack operation failed; the message says which resource and why."""


@dataclass
class LocalStack:
    name: str
    stack_id: str
    template: dict[str, Any]
    template_path: Path
    context: ResolutionContext
    parameters: dict[str, str] = field(default_factory=dict)
    resources: list[ProvisionedResource] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)

    def resource(self, logical_id: str) -> ProvisionedResource:
        return next(r for r in self.resources if r.logical_id == logical_id)


@dataclass(frozen=True)
class StackEvent:
    """One line of ``aws cloudformation describe-stack-events``: the stack's own, or a resource's."""

    timestamp: datetime
    stack_name: str
    logical_id: str
    resource_type: str
    status: str
    reason: str = ""

    def __str__(self) -> str:
        stamp = self.timestamp.strftime("%H:%M:%S.%f")[:-3]
        line = f"  {stamp}  {self.status:<36} {self.logical_id} ({self.resource_type})"
        return f"{line}  {self.reason}" if self.reason else line


@dataclass
class EventLog:
    """Every event of every stack, in order; each one is also printed as it happens."""

    report: Report
    events: list[StackEvent] = field(default_factory=list)

    def resource(self, stack: LocalStack, logical_id: str, resource_type: str, status: str, reason: str = "") -> None:
        # The engine's errors name the resource; its event does not repeat it.
        reason = reason.removeprefix(f"{logical_id}: ")
        event = StackEvent(datetime.now(UTC), stack.name, logical_id, resource_type, status, reason)
        self.events.append(event)
        self.report(str(event))

    def stack(self, stack: LocalStack, status: str, reason: str = "") -> None:
        self.resource(stack, stack.name, "AWS::CloudFormation::Stack", status, reason)

    def statuses(self, stack_name: str | None = None) -> list[tuple[str, str]]:
        """(logical id, status) of every event so far, of one stack or all: what tests compare."""
        return [(e.logical_id, e.status) for e in self.events if stack_name in (None, e.stack_name)]


def check_parameter(name: str, value: str, definition: dict[str, Any]) -> None:
    allowed = definition.get("AllowedValues")
    if allowed is not None and value not in [str(a) for a in allowed]:
        raise StackError(f"Parameter {name}: {value!r} is not one of {allowed}")
    pattern = definition.get("AllowedPattern")
    if pattern is not None and definition["Type"] == "String" and not re.fullmatch(pattern, value):
        raise StackError(f"Parameter {name}: {value!r} does not match {pattern}")
