"""``AdoptExisting`` and ``RetainOnDelete``: the two yes/no properties every resource type reads.

CloudFormation recasts every scalar as a string before it reaches a custom resource,
so a template's ``true`` arrives as ``"true"`` (cloudformation-coverage-roadmap #1037).
``bool("false")`` is true, so the text is compared, strictly: ``"true"`` or ``"false"``
(or a JSON boolean, as a hand-written event carries it); anything else is a problem
naming the value, never a silent default.
"""

from __future__ import annotations

from dataclasses import dataclass

from properties.parsing import PropertyReader, shown

ADOPT_EXISTING = "AdoptExisting"
RETAIN_ON_DELETE = "RetainOnDelete"
LIFECYCLE_FLAG_PROPERTIES = frozenset({ADOPT_EXISTING, RETAIN_ON_DELETE})

_TEXT_VALUES = {"true": True, "false": False}


@dataclass(frozen=True)
class LifecycleFlags:
    # Create takes over what already exists (same pool, exactly what was asked for).
    adopt_existing: bool = False
    # Delete leaves the AWS resource in place and records that it did.
    retain_on_delete: bool = False


def read_boolean(reader: PropertyReader, name: str, *, default: bool) -> bool:
    """``"true"``/``"false"`` (or a JSON boolean); absent or empty is ``default``."""
    value = reader.raw.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in _TEXT_VALUES:
        return _TEXT_VALUES[value]
    reader.problems.append(f"{name} must be true or false, got {shown(value)}")
    return default


def read_lifecycle_flags(reader: PropertyReader, *, adoptable: bool) -> LifecycleFlags:
    """Both flags; ``AdoptExisting`` only on the types that can take something over."""
    adopt = read_boolean(reader, ADOPT_EXISTING, default=False)
    if adopt and not adoptable:
        reader.problems.append(f"{ADOPT_EXISTING} is not supported by {reader.resource_type}")
        adopt = False
    return LifecycleFlags(adopt_existing=adopt, retain_on_delete=read_boolean(reader, RETAIN_ON_DELETE, default=False))


def retain_requested(raw: object) -> bool:
    """``RetainOnDelete`` as a Delete reads it: only an exact true counts.

    A Delete must act even on properties that no longer parse (the rollback of a
    refused Update sends them), so this reads the one flag alone; its value was
    checked strictly when the resource was created or updated.
    """
    return isinstance(raw, dict) and raw.get(RETAIN_ON_DELETE) in ("true", True)
