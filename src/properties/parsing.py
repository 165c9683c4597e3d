"""Readers for raw CloudFormation ``ResourceProperties``.

CloudFormation recasts every scalar as a string before it reaches a custom
resource ("2", "true"), and passes lists as lists of strings. These helpers turn
those raw values into typed ones or record one readable problem per property, so
that a caller can report every mistake in a template at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# CloudFormation adds these to ResourceProperties itself; they are never the
# user's typo.
CLOUDFORMATION_PROPERTIES = frozenset({"ServiceToken", "ServiceTimeout"})

_MAX_SHOWN_VALUE = 80


class InvalidPropertiesError(ValueError):
    """The template's properties cannot be used; the message says why."""


def shown(value: Any) -> str:
    """A value quoted for an error message, cut so a huge input stays readable."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > _MAX_SHOWN_VALUE:
        text = text[:_MAX_SHOWN_VALUE] + "…"
    return f"'{text}'" if isinstance(value, str) else text


class PropertyReader:
    """Reads one resource's properties and collects every problem it finds."""

    def __init__(self, resource_type: str, raw: Any) -> None:
        self.resource_type = resource_type
        self.problems: list[str] = []
        if isinstance(raw, Mapping):
            self.raw: Mapping[str, Any] = raw
        else:
            self.raw = {}
            self.problems.append(f"ResourceProperties must be an object, got {shown(raw)}")

    def reject_unknown(self, known: frozenset[str]) -> None:
        unknown = sorted(str(key) for key in self.raw if key not in known | CLOUDFORMATION_PROPERTIES)
        if unknown:
            allowed = ", ".join(sorted(known))
            self.problems.append(
                f"unknown propert{'y' if len(unknown) == 1 else 'ies'} "
                f"{', '.join(shown(name) for name in unknown)} (allowed: {allowed})"
            )

    def string(self, name: str, *, required: bool) -> str | None:
        value = self.raw.get(name)
        if value is None or value == "":
            if required:
                self.problems.append(f"{name} is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.problems.append(f"{name} must be a string, got {shown(value)}")
            return None
        return str(value)

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        """A scalar from a fixed set; CloudFormation sends 2 as "2", both are accepted.

        Only an absent property takes the default: an empty string (a template's
        ``!If`` or parameter left blank) is a value like any other, and not one of the set.
        """
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value) not in allowed:
            self.problems.append(f"{name} must be one of {', '.join(allowed)}, got {shown(value)}")
            return default
        return str(value)

    def string_list(self, name: str) -> tuple[str, ...] | None:
        """A list of strings; ``None`` when the property is absent."""
        value = self.raw.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            self.problems.append(
                f"{name} must be a list of strings, got the single string {shown(value)}; "
                f"write it as a list, for example [{shown(value)}]"
            )
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problems.append(f"{name} must be a list of strings, got {shown(value)}")
            return None
        repeated = sorted({item for item in value if value.count(item) > 1})
        if repeated:
            # Cognito's lists are sets (AllowedOAuthFlows holds at most its 3 values);
            # a repeat is a template mistake, refused rather than silently merged.
            self.problems.append(f"{name} lists {', '.join(shown(item) for item in repeated)} more than once")
            return None
        return tuple(value)

    def fail_if_problems(self) -> None:
        if self.problems:
            raise InvalidPropertiesError(f"Invalid properties for {self.resource_type}: " + "; ".join(self.problems))
