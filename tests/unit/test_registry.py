"""The registry is the one list of resource types: routing, messages and property names derive from it."""

from __future__ import annotations

from pathlib import Path

from resources.registry import PROPERTY_NAMES, RESOURCE_TYPES, supported_types

ROOT = Path(__file__).resolve().parents[2]


def test_every_type_has_its_property_names() -> None:
    assert set(PROPERTY_NAMES) == set(RESOURCE_TYPES)


def test_the_unsupported_type_message_names_every_type() -> None:
    assert all(name in supported_types() for name in RESOURCE_TYPES)


def test_no_module_outside_the_registry_spells_the_list_of_types() -> None:
    # A second list in code drifts from the registry; the properties modules each own their one name.
    for path in (ROOT / "src").rglob("*.py"):
        text = path.read_text()
        named = [name for name in RESOURCE_TYPES if f'"{name}"' in text]
        assert len(named) <= 1 or path.name == "registry.py", f"{path} lists {named}"
