"""Keeps the example snippets in README.md and docs/ the same text as the example files.

A block in a document between ``<!-- example: PATH -->`` and ``<!-- /example -->``
is the content of PATH in a fenced code block. ``--check`` fails when any block
differs (the test suite runs it); without it, the blocks are rewritten (``make readme``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCUMENTS = [README, *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"(<!-- example: (?P<path>[^ ]+) -->\n)(?P<body>.*?)(<!-- /example -->)", re.DOTALL)


def rendered(path: str) -> str:
    language = {".yaml": "yaml", ".json": "json", ".sh": "bash"}.get(Path(path).suffix, "")
    return f"```{language}\n{(ROOT / path).read_text().rstrip()}\n```\n"


def synced(text: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + rendered(m.group("path")) + m.group(4), text)


def main() -> int:
    stale = []
    for document in DOCUMENTS:
        text = document.read_text()
        expected = synced(text)
        if expected == text:
            continue
        stale.append(document.relative_to(ROOT))
        if "--check" not in sys.argv:
            document.write_text(expected)
    if stale and "--check" in sys.argv:
        print(f"example blocks differ from the example files in {', '.join(map(str, stale))}; run: make readme")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
