"""Keeps the README's example snippets the same text as the example files.

A block in README.md between ``<!-- example: PATH -->`` and ``<!-- /example -->``
is the content of PATH in a fenced code block. ``--check`` fails when any block
differs (the test suite runs it); without it, the blocks are rewritten.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- example: (?P<path>[^ ]+) -->\n)(?P<body>.*?)(<!-- /example -->)", re.DOTALL)


def rendered(path: str) -> str:
    language = {".yaml": "yaml", ".json": "json", ".sh": "bash"}.get(Path(path).suffix, "")
    return f"```{language}\n{(ROOT / path).read_text().rstrip()}\n```\n"


def synced(text: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + rendered(m.group("path")) + m.group(4), text)


def main() -> int:
    text = README.read_text()
    expected = synced(text)
    if "--check" in sys.argv:
        if expected != text:
            print("README.md example blocks differ from the example files; run: make readme", file=sys.stderr)
            return 1
        return 0
    README.write_text(expected)
    return 0


if __name__ == "__main__":
    sys.exit(main())
