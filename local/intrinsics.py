"""CloudFormation's intrinsic functions and conditions, evaluated the way the service does."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

NO_VALUE = object()  # AWS::NoValue: the property disappears

_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


class TemplateError(Exception):
    """The template asks for something this local engine cannot resolve."""


@dataclass
class ResolutionContext:
    parameters: Mapping[str, Any]
    pseudo: Mapping[str, str]
    mappings: Mapping[str, Any]
    conditions: dict[str, bool] = field(default_factory=dict)
    physical_ids: dict[str, str] = field(default_factory=dict)
    attributes: Callable[[str, str], Any] = lambda resource, attribute: None
    imports: Mapping[str, str] = field(default_factory=dict)


def references(value: Any) -> set[str]:
    """Logical ids that ``value`` refers to through Ref, GetAtt or Sub."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str):
                found.add(item)
            elif key == "Fn::GetAtt":
                target = item[0] if isinstance(item, list) else str(item).split(".")[0]
                found.add(target)
            elif key == "Fn::Sub":
                text = item[0] if isinstance(item, list) else item
                found.update(name.split(".")[0] for name in _SUB_VARIABLE.findall(text))
                if isinstance(item, list):
                    found |= references(item[1])
            else:
                found |= references(item)
    elif isinstance(value, list):
        for item in value:
            found |= references(item)
    return found


def resolve(value: Any, context: ResolutionContext) -> Any:
    """The value with every intrinsic function evaluated; NoValue entries removed."""
    if isinstance(value, list):
        return [item for item in (resolve(v, context) for v in value) if item is not NO_VALUE]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((key, argument),) = value.items()
        function = _FUNCTIONS.get(key)
        if function is not None:
            return function(argument, context)
    return {k: v for k, v in ((k, resolve(v, context)) for k, v in value.items()) if v is not NO_VALUE}


def evaluate_conditions(definitions: Mapping[str, Any], context: ResolutionContext) -> dict[str, bool]:
    for name, definition in definitions.items():
        context.conditions[name] = bool(resolve(definition, context))
    return context.conditions


def _ref(name: str, context: ResolutionContext) -> Any:
    if name == "AWS::NoValue":
        return NO_VALUE
    if name in context.pseudo:
        return context.pseudo[name]
    if name in context.parameters:
        return context.parameters[name]
    if name in context.physical_ids:
        return context.physical_ids[name]
    raise TemplateError(f"Ref to unknown or not yet created {name!r}")


def _get_att(argument: Any, context: ResolutionContext) -> Any:
    resource, attribute = argument if isinstance(argument, list) else str(argument).split(".", 1)
    value = context.attributes(resource, attribute)
    if value is None:
        raise TemplateError(f"{resource} has no attribute {attribute!r}")
    return value


def _sub(argument: Any, context: ResolutionContext) -> str:
    text, variables = (argument[0], resolve(argument[1], context)) if isinstance(argument, list) else (argument, {})

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in variables:
            return str(variables[name])
        if "." in name and not name.startswith("AWS::"):
            return str(_get_att(name.split(".", 1), context))
        return str(_ref(name, context))

    return _SUB_VARIABLE.sub(replace, str(text)).replace("${!", "${")


def _join(argument: Any, context: ResolutionContext) -> str:
    delimiter, items = argument
    resolved = resolve(items, context)
    return str(delimiter).join(str(item) for item in resolved)


def _select(argument: Any, context: ResolutionContext) -> Any:
    index, items = resolve(argument, context)
    return items[int(index)]


def _split(argument: Any, context: ResolutionContext) -> list[str]:
    delimiter, text = resolve(argument, context)
    return str(text).split(delimiter)


def _if(argument: Any, context: ResolutionContext) -> Any:
    condition, when_true, when_false = argument
    return resolve(when_true if context.conditions[condition] else when_false, context)


def _find_in_map(argument: Any, context: ResolutionContext) -> Any:
    name, top, second = resolve(argument, context)
    return context.mappings[name][top][second]


def _import_value(argument: Any, context: ResolutionContext) -> str:
    name = resolve(argument, context)
    if name not in context.imports:
        raise TemplateError(f"No stack exports {name!r}")
    return context.imports[name]


_FUNCTIONS: dict[str, Callable[[Any, ResolutionContext], Any]] = {
    "Ref": _ref,
    "Fn::GetAtt": _get_att,
    "Fn::Sub": _sub,
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::If": _if,
    "Fn::FindInMap": _find_in_map,
    "Fn::ImportValue": _import_value,
    "Fn::Equals": lambda a, c: resolve(a[0], c) == resolve(a[1], c),
    "Fn::Not": lambda a, c: not resolve(a[0], c),
    "Fn::And": lambda a, c: all(resolve(x, c) for x in a),
    "Fn::Or": lambda a, c: any(resolve(x, c) for x in a),
    "Condition": lambda a, c: c.conditions[a],
}
