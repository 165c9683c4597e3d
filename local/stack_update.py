"""UpdateStack for the local CloudFormation: update, cleanup, and the rollback of a failed update.

As CloudFormation runs it (User Guide, "Update behaviors of stack resources" and
"Custom resources", request types Update and Delete):

1. the new parameters are resolved (previous values for those not given, as
   ``sam deploy`` passes them) and every resource whose resolved properties
   changed is sent an Update, in dependency order, with ``OldResourceProperties``
   and its current ``PhysicalResourceId``;
2. an answer with another physical id is a replacement: the old physical
   resource stays until every update succeeded, then the cleanup phase
   (``UPDATE_COMPLETE_CLEANUP_IN_PROGRESS``) sends it a Delete with its old properties;
3. when an update fails, every resource sent an Update (the failed one too) is
   sent an Update back to its old properties, in reverse order; a new physical id
   that the rollback moved away from is deleted in
   ``UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS``, and the old ones stay.

Only custom resources are updated locally; a change to a native resource is
refused (and rolled back) with a message that says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from local.intrinsics import ResolutionContext, resolve
from local.stack_model import FUNCTION_TYPES, PASSIVE_TYPES, EventLog, LocalStack, StackError, is_custom


class StackEngine(Protocol):
    """What an update needs of the local CloudFormation (local/local_cloudformation.py provides it).

    Stated here, so that this module depends on the engine's shape and not on the
    engine module, which imports this one.
    """

    log: EventLog

    def new_context(
        self, template: dict[str, Any], name: str, stack_id: str, overrides: dict[str, str]
    ) -> ResolutionContext: ...

    def creation_order(self, template: dict[str, Any], context: ResolutionContext) -> list[str]: ...

    def outputs_of(self, stack: LocalStack) -> dict[str, str]: ...

    def send(
        self,
        stack: LocalStack,
        request_type: str,
        logical_id: str,
        resource_type: str,
        properties: dict[str, Any],
        physical_id: str | None = None,
        old_properties: dict[str, Any] | None = None,
    ) -> dict[str, Any]: ...

    def delete_resource(
        self, stack: LocalStack, logical_id: str, resource_type: str, physical_id: str, properties: dict[str, Any]
    ) -> str: ...


@dataclass(frozen=True)
class PhysicalResource:
    logical_id: str
    resource_type: str
    physical_id: str
    properties: dict[str, Any]


@dataclass
class UpdateProgress:
    """What the update did so far: what a rollback or the cleanup needs."""

    before: dict[str, PhysicalResource]
    attributes_before: dict[str, dict[str, Any]]
    attempted: dict[str, dict[str, Any]] = field(default_factory=dict)  # sent an Update, in order
    replaced: list[PhysicalResource] = field(default_factory=list)  # old physical resources to clean up


def update_stack(engine: StackEngine, stack: LocalStack, overrides: dict[str, str]) -> None:
    parameters = {**stack.parameters, **overrides}
    # A parameter that breaks its AllowedPattern is refused before anything starts,
    # as UpdateStack refuses it with a ValidationError.
    context = engine.new_context(stack.template, stack.name, stack.stack_id, parameters)
    context.physical_ids.update(stack.context.physical_ids)
    context.attributes = lambda logical_id, attribute: stack.resource(logical_id).attributes.get(attribute)
    order = engine.creation_order(stack.template, context)
    if set(order) != {r.logical_id for r in stack.resources}:
        raise StackError("the update adds or removes resources, which the local engine does not do")
    progress = UpdateProgress(
        before={
            r.logical_id: PhysicalResource(r.logical_id, r.resource_type, r.physical_id, dict(r.properties))
            for r in stack.resources
        },
        attributes_before={r.logical_id: dict(r.attributes) for r in stack.resources},
    )
    engine.log.stack(stack, "UPDATE_IN_PROGRESS", "User Initiated")
    try:
        for logical_id in order:
            properties = _resolved(stack, logical_id, context)
            if properties is not None:
                _update_resource(engine, stack, logical_id, properties, progress)
                context.physical_ids[logical_id] = stack.resource(logical_id).physical_id
    except Exception as failure:
        failed = next(reversed(progress.attempted), str(failure).split(":", 1)[0])
        engine.log.stack(
            stack, "UPDATE_ROLLBACK_IN_PROGRESS", f"The following resource(s) failed to update: [{failed}]."
        )
        _roll_back(engine, stack, progress)
        raise StackError(str(failure)) from failure
    old_context, stack.context, stack.parameters = stack.context, context, parameters
    try:
        stack.outputs = engine.outputs_of(stack)
    except Exception:
        stack.context = old_context
        raise
    _clean_up(engine, stack, progress)


def _resolved(stack: LocalStack, logical_id: str, context: Any) -> dict[str, Any] | None:
    """The resource's new properties, or None when it does not change (or is not a thing the update touches)."""
    resource = stack.resource(logical_id)
    if resource.resource_type in PASSIVE_TYPES or resource.resource_type in FUNCTION_TYPES:
        return None
    properties: dict[str, Any] = resolve(stack.template["Resources"][logical_id].get("Properties", {}), context)
    return None if properties == resource.properties else properties


def _update_resource(
    engine: StackEngine,
    stack: LocalStack,
    logical_id: str,
    properties: dict[str, Any],
    progress: UpdateProgress,
) -> None:
    resource = stack.resource(logical_id)
    engine.log.resource(stack, logical_id, resource.resource_type, "UPDATE_IN_PROGRESS")
    try:
        if not is_custom(resource.resource_type):
            raise StackError(
                f"{logical_id}: its properties would change, and the local engine updates custom resources only"
            )
        progress.attempted[logical_id] = properties
        answer = engine.send(
            stack, "Update", logical_id, resource.resource_type, properties, resource.physical_id, resource.properties
        )
    except Exception as failure:
        engine.log.resource(stack, logical_id, resource.resource_type, "UPDATE_FAILED", str(failure))
        raise
    reason = ""
    if answer["PhysicalResourceId"] != resource.physical_id:
        progress.replaced.append(progress.before[logical_id])
        reason = (
            f"physical id {resource.physical_id} -> {answer['PhysicalResourceId']}: a replacement; "
            "the old one is deleted in the cleanup"
        )
    resource.physical_id, resource.attributes = answer["PhysicalResourceId"], answer.get("Data", {})
    resource.properties = properties
    engine.log.resource(stack, logical_id, resource.resource_type, "UPDATE_COMPLETE", reason)


def _clean_up(engine: StackEngine, stack: LocalStack, progress: UpdateProgress) -> None:
    """After every update succeeded: Delete the old physical resources of replacements."""
    engine.log.stack(stack, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
    for old in reversed(progress.replaced):
        # A failed cleanup Delete does not fail the update (CloudFormation only reports it).
        engine.delete_resource(stack, old.logical_id, old.resource_type, old.physical_id, old.properties)
    engine.log.stack(stack, "UPDATE_COMPLETE")


def _roll_back(engine: StackEngine, stack: LocalStack, progress: UpdateProgress) -> None:
    """Update back to the old properties (reverse order), then Delete the new physical ids left behind."""
    abandoned: list[PhysicalResource] = []
    failed = False
    for logical_id, attempted in reversed(progress.attempted.items()):
        resource, before = stack.resource(logical_id), progress.before[logical_id]
        engine.log.resource(stack, logical_id, resource.resource_type, "UPDATE_IN_PROGRESS", "rollback")
        try:
            answer = engine.send(
                stack, "Update", logical_id, resource.resource_type, before.properties, resource.physical_id, attempted
            )
        except Exception as failure:
            failed = True
            engine.log.resource(stack, logical_id, resource.resource_type, "UPDATE_FAILED", str(failure))
            continue
        if answer["PhysicalResourceId"] != resource.physical_id:
            abandoned.append(PhysicalResource(logical_id, resource.resource_type, resource.physical_id, attempted))
        resource.physical_id, resource.properties = answer["PhysicalResourceId"], before.properties
        resource.attributes = answer.get("Data", progress.attributes_before[logical_id])
        engine.log.resource(stack, logical_id, resource.resource_type, "UPDATE_COMPLETE", "rollback")
    if failed:
        engine.log.stack(stack, "UPDATE_ROLLBACK_FAILED")
        return
    engine.log.stack(stack, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
    for new in abandoned:
        engine.delete_resource(stack, new.logical_id, new.resource_type, new.physical_id, new.properties)
    engine.log.stack(stack, "UPDATE_ROLLBACK_COMPLETE")
