"""Reads CloudFormation YAML, short-form intrinsic functions included (!Ref, !GetAtt, !Sub...)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

try:  # libyaml's parser, in PyYAML's wheels: ten times as fast as the pure-Python one
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # a PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class CloudFormationLoader(_SafeLoader):
    """A SafeLoader that turns ``!Name value`` into ``{"Fn::Name": value}`` as CloudFormation does."""


def _construct(loader: _SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if tag_suffix == "Ref":
        return {"Ref": value}
    if tag_suffix == "Condition":
        return {"Condition": value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        resource, _, attribute = value.partition(".")
        return {"Fn::GetAtt": [resource, attribute]}
    return {f"Fn::{tag_suffix}": value}


CloudFormationLoader.add_multi_constructor("!", _construct)  # type: ignore[no-untyped-call]


def load_template(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as stream:
        document = yaml.load(stream, Loader=CloudFormationLoader)  # noqa: S506 (a SafeLoader subclass)
    if not isinstance(document, dict):
        raise ValueError(f"{path} is not a CloudFormation template")
    return document
