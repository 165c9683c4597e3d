"""The README's snippets are the example files themselves, and it (or docs/reference) documents every property."""

from __future__ import annotations

from pathlib import Path

from resources.registry import REGISTRY, RESOURCE_TYPES
from scripts.sync_readme import BLOCK, README, synced

ROOT = Path(__file__).resolve().parents[2]


def test_readme_example_blocks_are_the_example_files() -> None:
    text = README.read_text()
    blocks = [m.group("path") for m in BLOCK.finditer(text)]

    assert {"examples/embed/template.yaml", "examples/nested/template.yaml", "examples/nested/packaged-form.yaml",
            "examples/stackset/deploy.sh"} <= set(blocks)  # fmt: skip
    assert synced(text) == text, "README example blocks are stale: run `make readme`"


def reference_text() -> str:
    """The README and the reference pages under docs/reference, where newer entries live."""
    pages = sorted((ROOT / "docs" / "reference").glob("*.md"))
    return "\n".join([README.read_text(), *(page.read_text() for page in pages)])


def test_readme_documents_every_property_and_attribute() -> None:
    text = reference_text()

    for name in RESOURCE_TYPES:
        assert f"### `{name}`" in text, f"{name} has no section in the README's reference"
    for registered in REGISTRY:
        for name in sorted(registered.properties):
            assert f"| `{name}` |" in text, f"property {name} is not in the README's reference"
        for attribute in sorted(registered.attributes):
            assert f"`{attribute}`" in text, f"attribute {attribute} is not in the README's reference"
