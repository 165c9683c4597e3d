"""README.md stays short and docs/ stays in step with the code.

The lists come from the code, never from the documents: the resource types and their
property names from src/resources/registry.py, the attributes from
scripts/resource_schemas.py (whose attributes tests/template/test_custom_type_schemas.py
checks against the function's answers), the troubleshooting messages from src/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from resources.registry import RESOURCE_TYPES
from scripts.sync_readme import BLOCK, DOCUMENTS, synced

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
REFERENCE = ROOT / "docs" / "reference.md"
TROUBLESHOOTING = ROOT / "docs" / "troubleshooting.md"


def source_text() -> str:
    """Every string of src/, literals joined ("a " "b" -> "a b"), and each f-string field as PLACEHOLDER_MARK."""
    text = "\n".join(path.read_text() for path in sorted((ROOT / "src").rglob("*.py")))
    text = re.sub(r"[\"']\s*\n\s*f?[\"']", "", text)
    return re.sub(r"\{[^{}\n]*\}", PLACEHOLDER_MARK, text)


PLACEHOLDER_MARK = "\x00"


def said_by_the_code(fragment: str, code: str) -> bool:
    """Whether the code says ``fragment``, a word of it possibly being an f-string field there."""
    words = [rf"(?:{re.escape(word)}|\S*{PLACEHOLDER_MARK}\S*)" for word in fragment.split()]
    return re.search(r"\s+".join(words), code) is not None


def test_readme_is_at_most_300_lines_and_links_only_to_files_that_exist() -> None:
    text = README.read_text()

    assert len(text.splitlines()) <= 300
    for link in re.findall(r"\]\(((?:docs/|CHANGELOG)[^)#]*)", text):
        assert (ROOT / link).is_file(), link


def test_example_blocks_are_the_example_files() -> None:
    blocks = {m.group("path") for document in DOCUMENTS for m in BLOCK.finditer(document.read_text())}

    assert {"examples/embed/template.yaml", "examples/nested/template.yaml", "examples/nested/packaged-form.yaml",
            "examples/stackset/deploy.sh"} <= blocks  # fmt: skip
    for document in DOCUMENTS:
        assert synced(document.read_text()) == document.read_text(), f"{document.name} is stale: run `make readme`"


def reference_section(resource_type: str) -> str:
    text = REFERENCE.read_text()
    heading = f"### `{resource_type}`"
    assert heading in text, f"{resource_type} has no section in docs/reference.md"
    return text.split(heading, 1)[1].split("\n### ", 1)[0]


@pytest.mark.parametrize("resource_type", sorted(RESOURCE_TYPES))
def test_the_reference_documents_every_property_and_attribute_of_each_type(resource_type: str) -> None:
    section = reference_section(resource_type)

    for name in sorted(RESOURCE_TYPES[resource_type].properties):
        assert f"| `{name}` |" in section, f"{resource_type}: property {name} is not in docs/reference.md"
    for attribute in sorted(RESOURCE_TYPES[resource_type].attributes):
        assert f"`{attribute}`" in section, f"{resource_type}: attribute {attribute} is not in docs/reference.md"


def troubleshooting_messages() -> list[str]:
    """The quoted messages in the first column of docs/troubleshooting.md's table."""
    rows = [line for line in TROUBLESHOOTING.read_text().splitlines() if line.startswith("| `")]
    return [message for row in rows for message in re.findall(r"`([^`]+)`", row.split(" | ")[0])]


# A placeholder in a documented message: a quoted value, an id, an ellipsis.
PLACEHOLDER = re.compile(r"'[^']*'|…|\b(?:[A-Z]|Z…|api/x|Custom::X|V)\b|\bx\b")
# Messages that AWS itself gives, quoted in the table for what to do about them.
AWS_MESSAGES = {"User pool cannot be deleted. It has a domain configured"}


@pytest.mark.parametrize("message", troubleshooting_messages())
def test_each_troubleshooting_message_is_the_codes_text(message: str) -> None:
    if message in AWS_MESSAGES:
        return
    code = source_text()
    for piece in PLACEHOLDER.split(message):
        fragment = piece.strip(" .:/")
        if len(fragment.split()) >= 2:
            assert said_by_the_code(fragment, code), (
                f"docs/troubleshooting.md quotes {fragment!r}; src/ does not say it"
            )
