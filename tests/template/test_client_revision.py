"""ClientRevision carries every property of the native app client it protects.

CloudFormation updates an AWS::Cognito::UserPoolClient with UpdateUserPoolClient and
the template's properties alone, which resets the OAuth settings this project
manages (API reference: "If you don't provide a value for an attribute, Amazon
Cognito sets it to its default value"). The settings resource puts them back only
if it is updated too, which happens only if its ClientRevision changes: so every
property of the client must feed it. These tests fail when one does not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from local.cfn_yaml import load_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [ROOT / "template.yaml", *sorted((ROOT / "examples").glob("*/template.yaml"))]


def leaves(value: Any, path: str = "") -> dict[str, Any]:
    """``{"TokenValidityUnits.AccessToken": "minutes", ...}``: nested property maps flattened."""
    if isinstance(value, dict) and not any(key.startswith("Fn::") or key == "Ref" for key in value):
        return {name: leaf for key, item in value.items() for name, leaf in leaves(item, f"{path}{key}.").items()}
    return {path.rstrip("."): value}


def normalised(value: Any) -> str:
    """The same value, however it is spelled: a list or its comma join, true or "true"."""
    if isinstance(value, bool):
        return json.dumps(str(value).lower())
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return json.dumps(",".join(value))
    if isinstance(value, dict) and list(value) == ["Fn::Join"] and value["Fn::Join"][0] == ",":
        joined = value["Fn::Join"][1]
        return normalised(joined) if isinstance(joined, list) else json.dumps(joined, sort_keys=True)
    return json.dumps(value, sort_keys=True)


def revision_entries(revision: Any) -> dict[str, Any]:
    """The ``Name=value`` entries of a ClientRevision written as ``!Join ["|", [!Join ["=", [Name, value]], ...]]``."""
    assert isinstance(revision, dict), "ClientRevision must be a Join of Name=value entries"
    assert list(revision) == ["Fn::Join"], "ClientRevision must be a Join of Name=value entries"
    separator, entries = revision["Fn::Join"]
    assert separator == "|"
    pairs = {}
    for entry in entries:
        name, value = entry["Fn::Join"][1] if entry["Fn::Join"][0] == "=" else (None, None)
        assert isinstance(name, str), f"entry {entry} is not a Name=value Join"
        pairs[name] = value
    return pairs


def protected_clients(path: Path) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(settings resource, native client properties, ClientRevision entries) for each pair in the template."""
    resources = load_template(path)["Resources"]
    pairs = []
    for name, resource in resources.items():
        if resource["Type"] != "Custom::CognitoUserPoolClientSettings":
            continue
        client_ref = resource["Properties"]["ClientId"]
        client = resources.get(client_ref.get("Ref")) if isinstance(client_ref, dict) else None
        if client is not None and client["Type"] == "AWS::Cognito::UserPoolClient":
            revision = revision_entries(resource["Properties"].get("ClientRevision"))
            pairs.append((name, client["Properties"], revision))
    return pairs


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_native_client_property_feeds_client_revision(path: Path) -> None:
    pairs = protected_clients(path)
    for settings_name, client_properties, revision in pairs:
        expected = {name: normalised(value) for name, value in leaves(client_properties).items()}
        given = {name: normalised(value) for name, value in revision.items()}

        assert given == expected, f"{settings_name}.ClientRevision differs from its client's properties"


def test_the_main_template_protects_its_client() -> None:
    assert [name for name, _, _ in protected_clients(ROOT / "template.yaml")] == ["AppClientSettings"]


def test_a_client_property_missing_from_the_revision_is_caught() -> None:
    client = {"UserPoolId": {"Ref": "Pool"}, "EnableTokenRevocation": True}
    revision = {"UserPoolId": {"Ref": "Pool"}}

    assert {k: normalised(v) for k, v in leaves(client).items()} != {k: normalised(v) for k, v in revision.items()}
