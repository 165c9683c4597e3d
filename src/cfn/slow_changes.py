"""A change that outlives one invocation: what is recorded about it, and what a poll may carry.

The record (``PendingChange``) is kept by the function in its own store; the poll that
Scheduler delivers carries only a ``PollReference`` to it. A poll is acted on only
when a record exists for it and agrees with it on the request, stack, logical id,
resource type and step (``sequence``): so a forged, replayed or stale poll changes
nothing, and no secret is needed. docs/design/slow-changes.md tells the whole story.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

# The one key of a poll event; everything else in such an event is ignored.
POLL_KEY = "CognitoResourcesPoll"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class PollReference:
    """What a scheduled poll carries: which record, and which step of it."""

    resource_key: str
    change_id: str
    sequence: int
    request_id: str
    stack_id: str
    logical_id: str
    resource_type: str

    def to_event(self) -> dict[str, Any]:
        return {
            POLL_KEY: {
                "ResourceKey": self.resource_key,
                "ChangeId": self.change_id,
                "Sequence": self.sequence,
                "RequestId": self.request_id,
                "StackId": self.stack_id,
                "LogicalResourceId": self.logical_id,
                "ResourceType": self.resource_type,
            }
        }

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> PollReference:
        """The reference in a poll event; ``ValueError`` when it is not one this function writes."""
        body = event.get(POLL_KEY)
        if not isinstance(body, dict):
            raise ValueError("the poll carries no reference")
        texts = {key: body.get(key) for key in ("ResourceKey", "ChangeId", "RequestId", "StackId")}
        texts |= {key: body.get(key) for key in ("LogicalResourceId", "ResourceType")}
        if not all(isinstance(value, str) and 0 < len(value) <= 2048 for value in texts.values()):
            raise ValueError("the poll's reference is malformed")
        sequence = body.get("Sequence")
        if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
            raise ValueError("the poll's sequence is malformed")
        hexdigits = set("0123456789abcdef")
        if not all(
            len(str(texts[key])) == 32 and set(str(texts[key])) <= hexdigits for key in ("ResourceKey", "ChangeId")
        ):
            raise ValueError("the poll's record key is malformed")
        return cls(
            resource_key=str(texts["ResourceKey"]),
            change_id=str(texts["ChangeId"]),
            sequence=sequence,
            request_id=str(texts["RequestId"]),
            stack_id=str(texts["StackId"]),
            logical_id=str(texts["LogicalResourceId"]),
            resource_type=str(texts["ResourceType"]),
        )


def _is_key(text: str) -> bool:
    return len(text) == 32 and set(text) <= set("0123456789abcdef")


def resource_key(stack_id: str, logical_id: str) -> str:
    """One resource of one stack: its changes are recorded under this key."""
    return _digest(stack_id, logical_id)


@dataclass(frozen=True)
class PendingChange:
    """A CloudFormation request whose change is still in progress, as recorded between invocations."""

    request_type: str
    request_id: str
    stack_id: str
    logical_id: str
    resource_type: str
    response_url: str
    # The event's own physical id (Update, Delete); "" for a Create.
    event_physical_id: str
    properties: Any
    old_properties: Any
    # Seconds since the epoch after which the change is given up (below the ServiceTimeout).
    deadline: float
    # What the change holds now, and how far it got (the resource module's step).
    physical_id: str
    progress: Mapping[str, str] = field(default_factory=dict)
    sequence: int = 0

    @classmethod
    def begin(
        cls, event: Mapping[str, Any], deadline: float, physical_id: str, progress: Mapping[str, str]
    ) -> PendingChange:
        return cls(
            request_type=str(event.get("RequestType", "")),
            request_id=str(event.get("RequestId", "")),
            stack_id=str(event.get("StackId", "")),
            logical_id=str(event.get("LogicalResourceId", "")),
            resource_type=str(event.get("ResourceType", "")),
            response_url=str(event.get("ResponseURL", "")),
            event_physical_id=str(event.get("PhysicalResourceId", "") or ""),
            properties=event.get("ResourceProperties"),
            old_properties=event.get("OldResourceProperties"),
            deadline=deadline,
            physical_id=physical_id,
            progress=dict(progress),
        )

    @property
    def resource_key(self) -> str:
        return resource_key(self.stack_id, self.logical_id)

    @property
    def change_id(self) -> str:
        return _digest(self.stack_id, self.logical_id, self.request_id)

    @property
    def schedule_name(self) -> str:
        """Unique per step: a twin delivery of the same poll cannot schedule the next one twice."""
        return f"{self.change_id}-{self.sequence}"

    def moved_on(self, physical_id: str, progress: Mapping[str, str]) -> PendingChange:
        """The record for the next poll."""
        return replace(self, physical_id=physical_id, progress=dict(progress), sequence=self.sequence + 1)

    def reference(self) -> PollReference:
        return PollReference(
            self.resource_key,
            self.change_id,
            self.sequence,
            self.request_id,
            self.stack_id,
            self.logical_id,
            self.resource_type,
        )

    def answers(self, poll: PollReference) -> bool:
        """Whether ``poll`` is the current step of this very change."""
        return poll == self.reference()

    def cloudformation_event(self) -> dict[str, Any]:
        """The request this change answers, as CloudFormation sent it."""
        event: dict[str, Any] = {
            "RequestType": self.request_type,
            "RequestId": self.request_id,
            "StackId": self.stack_id,
            "LogicalResourceId": self.logical_id,
            "ResourceType": self.resource_type,
            "ResponseURL": self.response_url,
            "ResourceProperties": self.properties,
        }
        if self.event_physical_id:
            event["PhysicalResourceId"] = self.event_physical_id
        if self.old_properties is not None:
            event["OldResourceProperties"] = self.old_properties
        return event

    def to_document(self) -> str:
        return json.dumps(
            {
                "RequestType": self.request_type,
                "RequestId": self.request_id,
                "StackId": self.stack_id,
                "LogicalResourceId": self.logical_id,
                "ResourceType": self.resource_type,
                "ResponseURL": self.response_url,
                "EventPhysicalResourceId": self.event_physical_id,
                "ResourceProperties": self.properties,
                "OldResourceProperties": self.old_properties,
                "Deadline": self.deadline,
                "PhysicalResourceId": self.physical_id,
                "Progress": dict(self.progress),
                "Sequence": self.sequence,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_document(cls, text: str) -> PendingChange:
        """The record as saved; ``ValueError`` for anything this function did not write."""
        try:
            record = json.loads(text)
            deadline = record["Deadline"]
            sequence = record["Sequence"]
            if isinstance(deadline, bool) or not isinstance(deadline, int | float) or not math.isfinite(deadline):
                raise ValueError("Deadline")
            if isinstance(sequence, bool) or not isinstance(sequence, int):
                raise ValueError("Sequence")
            progress = record["Progress"]
            if not isinstance(progress, dict):
                raise ValueError("Progress")
            return cls(
                request_type=str(record["RequestType"]),
                request_id=str(record["RequestId"]),
                stack_id=str(record["StackId"]),
                logical_id=str(record["LogicalResourceId"]),
                resource_type=str(record["ResourceType"]),
                response_url=str(record["ResponseURL"]),
                event_physical_id=str(record["EventPhysicalResourceId"]),
                properties=record["ResourceProperties"],
                old_properties=record["OldResourceProperties"],
                deadline=float(deadline),
                physical_id=str(record["PhysicalResourceId"]),
                progress={str(key): str(value) for key, value in progress.items()},
                sequence=sequence,
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a change record: {error}") from error
