"""The registry is the one list of resource types: routing, messages, properties and attributes derive from it."""

from __future__ import annotations

from pathlib import Path

from resources.registry import REGISTRY, RESOURCE_TYPES, lifecycle_of, supported_types

ROOT = Path(__file__).resolve().parents[2]


def test_the_unsupported_type_message_names_every_type_in_order() -> None:
    # Spelled out here on purpose: a type dropped from (or renamed in) the registry fails this.
    assert supported_types() == (
        "Custom::CognitoDomainCertificate, Custom::CognitoUserPoolClientSettings, "
        "Custom::CognitoUserPoolClientURLs or Custom::CognitoUserPoolDomain"
    )


def test_routing_finds_each_type_and_nothing_else() -> None:
    for resource_type in REGISTRY:
        assert lifecycle_of(resource_type.name) is resource_type.lifecycle
    assert lifecycle_of("Custom::CognitoUserPool") is None
    assert lifecycle_of("AWS::Cognito::UserPoolDomain") is None


def test_every_type_declares_properties_and_attributes() -> None:
    for resource_type in REGISTRY:
        assert resource_type.properties, resource_type.name
        assert resource_type.attributes, resource_type.name


def test_no_module_outside_the_registry_spells_the_list_of_types() -> None:
    # A second list in code drifts from the registry; the properties modules each own their one name.
    for path in (ROOT / "src").rglob("*.py"):
        text = path.read_text()
        named = [name for name in RESOURCE_TYPES if f'"{name}"' in text]
        assert len(named) <= 1 or path.name == "registry.py", f"{path} lists {named}"
