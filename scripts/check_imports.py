"""Fails when an import runs the wrong way between the project's parts.

The parts, and what each may import of the others:

- ``src/`` (the Lambda package) imports nothing of the rest: it ships alone;
- ``cognito_double/`` (the local Cognito) imports none of ``src``, ``tests``,
  ``local``, ``bench``, ``scripts``: everything else may build on it;
- ``local/`` and ``bench/`` (product tools) never import ``tests``;
- only ``tests/`` imports ``tests``.

Inside ``local/``, ``bench/`` and ``scripts/`` no two modules import each other,
directly or round a longer circle (``CYCLE_FREE_PARTS``): a module that needs
another's shape states it as a Protocol (local/stack_update.py's ``StackEngine``).

Inside ``src/`` the calls run handler → driver → resources → properties /
operations, never back, and the decisions in ``resources/`` read typed errors,
never botocore's. Imports inside functions count too: they are still dependencies.

``python scripts/check_imports.py [ROOT]`` prints each violation and exits 1, or
prints a one-line summary and exits 0.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PARTS = ("src", "cognito_double", "local", "bench", "scripts", "tests")

# What each part must never import (by top-level name).
FORBIDDEN_PARTS: dict[str, frozenset[str]] = {
    "src": frozenset({"cognito_double", "local", "bench", "scripts", "tests"}),
    "cognito_double": frozenset({"src", "local", "bench", "scripts", "tests"}),
    "local": frozenset({"bench", "scripts", "tests"}),
    "bench": frozenset({"scripts", "tests"}),
    "scripts": frozenset({"bench", "tests"}),
    "tests": frozenset(),
}

# Inside src/: a module (or package) and what it must never import. The CloudFormation
# side (cfn/) drives resources/; resources/ decide with properties/ and call the AWS side
# (cognito_ops, aws/) with typed values; the AWS side knows nothing of either above it.
_PROTOCOL = frozenset({"handler", "cfn"})
FORBIDDEN_IN_SRC: dict[str, frozenset[str]] = {
    "cfn": frozenset({"handler"}),
    "resources": _PROTOCOL | {"botocore", "boto3"},
    "properties": _PROTOCOL | {"resources", "cognito_ops", "aws", "botocore", "boto3"},
    "cognito_ops": _PROTOCOL | {"resources", "properties"},
    "aws": _PROTOCOL | {"resources", "properties"},
}


# Parts whose modules must not import each other in a circle.
CYCLE_FREE_PARTS = ("src", "cognito_double", "local", "bench", "scripts", "tests")


@dataclass(frozen=True)
class Violation:
    path: Path
    line: int
    imported: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: imports {self.imported} ({self.rule})"


def imported_names(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, dotted module name) of every absolute import in the module, at any depth."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def src_top_level_names(root: Path) -> frozenset[str]:
    """The import names that ``src/`` provides (its modules and packages)."""
    src = root / "src"
    if not src.is_dir():
        return frozenset()
    return frozenset(path.stem for path in src.iterdir() if path.suffix == ".py" or (path / "__init__.py").exists())


def part_of(name: str, src_names: frozenset[str]) -> str | None:
    top = name.split(".", maxsplit=1)[0]
    if top in src_names:
        return "src"
    return top if top in PARTS else None


def check_file(path: Path, part: str, root: Path, src_names: frozenset[str]) -> list[Violation]:
    tree = ast.parse(path.read_text(), filename=str(path))
    relative = path.relative_to(root)
    own_src_unit = relative.parts[1].removesuffix(".py") if part == "src" and len(relative.parts) > 1 else ""
    violations = []
    for line, name in imported_names(tree):
        target = part_of(name, src_names)
        if target is not None and target != part and target in FORBIDDEN_PARTS[part]:
            violations.append(Violation(relative, line, name, f"{part}/ must not depend on {target}/"))
        if part == "src":
            top = name.split(".")[0]
            if top != own_src_unit and top in FORBIDDEN_IN_SRC.get(own_src_unit, frozenset()):
                violations.append(Violation(relative, line, name, f"src/{own_src_unit} must not depend on {top}"))
    return violations


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_circles(root: Path, part: str) -> list[Violation]:
    """One violation per module circle inside ``part`` (imports inside functions and TYPE_CHECKING count)."""
    paths = {module_name(path, root): path for path in sorted((root / part).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        graph[name] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            else:
                continue
            graph[name].update(target for target in targets if target in paths and target != name)
    violations = []
    reported: set[frozenset[str]] = set()
    for start in graph:
        circle = _circle_from(start, graph)
        if circle and frozenset(circle) not in reported:
            reported.add(frozenset(circle))
            violations.append(
                Violation(paths[start].relative_to(root), 1, " -> ".join([*circle, start]), "an import circle")
            )
    return violations


def _circle_from(start: str, graph: dict[str, set[str]]) -> list[str]:
    """The modules of a shortest import path from ``start`` back to itself (empty when none)."""
    paths: dict[str, list[str]] = {start: [start]}
    queue = [start]
    while queue:
        current = queue.pop(0)
        for following in sorted(graph[current]):
            if following == start:
                return paths[current]
            if following not in paths:
                paths[following] = [*paths[current], following]
                queue.append(following)
    return []


def check(root: Path) -> tuple[int, list[Violation]]:
    src_names = src_top_level_names(root)
    files = 0
    violations: list[Violation] = []
    for part in PARTS:
        for path in sorted((root / part).rglob("*.py")) if (root / part).is_dir() else []:
            files += 1
            violations.extend(check_file(path, part, root, src_names))
        if part in CYCLE_FREE_PARTS and (root / part).is_dir():
            violations.extend(import_circles(root, part))
    return files, violations


def main(argv: list[str]) -> int:
    root = Path(argv[1]).resolve() if len(argv) > 1 else Path(__file__).resolve().parents[1]
    files, violations = check(root)
    for violation in violations:
        print(violation)
    if violations:
        print(f"{len(violations)} import(s) run the wrong way (see scripts/check_imports.py for the rules)")
        return 1
    print(f"imports run one way: {files} files checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
