"""Where a slow change stands: a frozen dataclass in the code, strings at the edge.

Each resource that waits has one step type (``DomainStep``, ``CertificateStep``).
The CloudFormation side carries it from one invocation to the next as
``Outcome.progress``, a ``Mapping[str, str]``: a poll event is input from outside, so
reading one back is strict, and anything this code did not write is a
``ResourceFailure`` (never a ``KeyError`` half-way through a decision). An empty
mapping, as a poll handed over by an earlier version carries, is the step's defaults.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from collections.abc import Mapping
from typing import Any, Literal, Self

from resources.lifecycle import ResourceFailure


class Step:
    """Base of a frozen step dataclass whose fields are text, a ``Literal`` of texts, flags, or names.

    At the edge the first field (which step) is always written, any other only when
    it differs from its default; text stays text, a flag is ``"true"``, and names (a
    tuple) are a JSON list: domain names may hold any character a template allows,
    so no separator is safe.
    """

    def to_progress(self) -> dict[str, str]:
        progress = {}
        for index, spec in enumerate(dataclasses.fields(self)):  # type: ignore[arg-type]
            value = getattr(self, spec.name)
            if index > 0 and value == spec.default:
                continue
            if isinstance(value, bool):
                progress[spec.name] = "true" if value else "false"
            elif isinstance(value, tuple):
                progress[spec.name] = json.dumps(list(value))
            else:
                progress[spec.name] = str(value)
        return progress

    @classmethod
    def from_progress(cls, progress: Mapping[str, str]) -> Self:
        """The step ``progress`` describes; ``ResourceFailure`` when it is not one this code writes."""
        hints = _field_types(cls)
        try:
            unknown = sorted(str(key) for key in progress if key not in hints)
            if unknown:
                raise ValueError(f"unknown {', '.join(unknown)}")
            return cls(**{name: _read(name, hints[name], text) for name, text in progress.items()})
        except (TypeError, ValueError) as error:
            raise ResourceFailure(
                f"The poll's progress is not a {cls.__name__} this function writes ({error}); nothing was done"
            ) from None


_FIELD_TYPES: dict[type, dict[str, Any]] = {}


def _field_types(step_type: type) -> dict[str, Any]:
    """Each field's name and type, worked out once per step type (it costs more than the rest of a read)."""
    if step_type not in _FIELD_TYPES:
        hints = typing.get_type_hints(step_type)
        _FIELD_TYPES[step_type] = {spec.name: hints[spec.name] for spec in dataclasses.fields(step_type)}
    return _FIELD_TYPES[step_type]


def _read(name: str, kind: Any, text: object) -> object:
    if not isinstance(text, str):
        raise TypeError(f"{name} is not text")
    if kind is bool:
        if text not in ("true", "false"):
            raise ValueError(f"{name} is {text[:40]!r}, not true or false")
        return text == "true"
    if kind is str:
        return text
    if typing.get_origin(kind) is Literal:
        if text not in typing.get_args(kind):
            raise ValueError(f"{name} is {text[:40]!r}, not one of {', '.join(typing.get_args(kind))}")
        return text
    if kind == tuple[str, ...]:
        names = json.loads(text)
        if not isinstance(names, list) or not all(isinstance(item, str) for item in names):
            raise ValueError(f"{name} is not a list of names")
        return tuple(names)
    raise TypeError(f"{name} has a type a step cannot carry: {kind}")
