"""The two virtual environments agree on every package they share, or say why not.

``.venv`` (requirements-dev.txt) runs the tests, the linters and the local runner;
``.venv-sam`` (requirements-sam.txt) runs the AWS SAM CLI, which declares its own
dependency ranges. The packages both sides name must be compatible: each version
pinned in requirements-dev.txt must satisfy the range the pinned SAM CLI declares
for it, unless ``DELIBERATE_DIFFERENCES`` lists it with the reason.

What the SAM CLI declares is read from a committed snapshot of its package
metadata (``requirements-sam.declared.txt``), so the check runs on a fresh clone,
offline, without building ``.venv-sam``. ``make pins`` writes the snapshot again
(from ``.venv-sam`` when it is installed, otherwise with ``pip download --no-deps``).
When ``.venv-sam`` is installed, the check also compares the snapshot with what is
really installed there, so a stale snapshot cannot pass.

``python scripts/check_pins.py`` prints each disagreement and exits 1, or prints a
summary and exits 0. ``python scripts/check_pins.py --write-snapshot`` is ``make pins``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
DEV_REQUIREMENTS = ROOT / "requirements-dev.txt"
SAM_REQUIREMENTS = ROOT / "requirements-sam.txt"
SNAPSHOT = ROOT / "requirements-sam.declared.txt"
SAM_VENV = ROOT / ".venv-sam"
SAM_CLI = "aws-sam-cli"

# Packages where .venv deliberately leaves the SAM CLI's range, and why.
DELIBERATE_DIFFERENCES: dict[str, str] = {
    "boto3": (
        "the SAM CLI pins boto3 exactly for its own use (build, package, publish), and never runs "
        "this project's code; .venv follows the boto3 that the mypy stubs describe and the awscli is built on"
    ),
    "botocore": "follows boto3 (see boto3)",
}

_PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(?P<version>[^\s;#]+)")


@dataclass(frozen=True)
class Disagreement:
    package: str
    text: str

    def __str__(self) -> str:
        return f"{self.package}: {self.text}"


def read_pins(path: Path) -> dict[str, Version]:
    """``name==version`` lines of a requirements file (following ``-r``), by canonical name."""
    pins: dict[str, Version] = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins.update(read_pins((path.parent / line[3:].strip()).resolve()))
            continue
        if not line:
            continue
        match = _PIN.match(line)
        if match is None:
            raise ValueError(f"{path.name}: {raw!r} is not pinned with ==")
        pins[canonicalize_name(match["name"])] = Version(match["version"])
    return pins


def read_snapshot(path: Path = SNAPSHOT) -> tuple[Version, list[Requirement]]:
    """The SAM CLI version the snapshot was taken from, and the requirements it declares."""
    lines = [line.strip() for line in path.read_text().splitlines()]
    header = next(line for line in lines if line.startswith(f"# {SAM_CLI}=="))
    requirements = [Requirement(line) for line in lines if line and not line.startswith("#")]
    return Version(header.split("==", 1)[1]), requirements


def runtime_requirements(declared: list[str]) -> list[str]:
    """Requires-Dist entries without extras markers: what ``pip install aws-sam-cli`` installs."""
    requirements = [Requirement(text) for text in declared]
    return sorted(str(r) for r in requirements if r.marker is None or "extra" not in str(r.marker))


def disagreements(
    dev: dict[str, Version],
    sam: dict[str, Version],
    sam_cli_version: Version,
    declared: list[Requirement],
    deliberate: dict[str, str] = DELIBERATE_DIFFERENCES,
) -> tuple[list[Disagreement], list[str]]:
    """Every package the two sides share that they disagree on; and the notes on the deliberate ones."""
    problems: list[Disagreement] = []
    notes: list[str] = []
    if sam.get(canonicalize_name(SAM_CLI)) != sam_cli_version:
        problems.append(
            Disagreement(
                SAM_CLI,
                f"the snapshot is of {sam_cli_version}, {SAM_REQUIREMENTS.name} pins "
                f"{sam.get(canonicalize_name(SAM_CLI))}: run `make pins`",
            )
        )
    for requirement in declared:
        name: str = canonicalize_name(requirement.name)
        if name not in dev:
            continue
        inside = requirement.specifier.contains(dev[name], prereleases=True)
        if name in deliberate:
            state = "inside" if inside else "outside"
            notes.append(f"{name}: .venv {dev[name]}, SAM CLI {requirement.specifier} ({state}): {deliberate[name]}")
        elif not inside:
            problems.append(
                Disagreement(
                    name,
                    f"{DEV_REQUIREMENTS.name} pins {dev[name]}, but {SAM_CLI} {sam_cli_version} "
                    f"requires {requirement.specifier}",
                )
            )
    for name in sorted(set(dev) & set(sam)):
        if dev[name] != sam[name] and name not in deliberate:
            problems.append(
                Disagreement(name, f"{DEV_REQUIREMENTS.name} pins {dev[name]}, {SAM_REQUIREMENTS.name} {sam[name]}")
            )
    return problems, notes


def stub_disagreements(dev: dict[str, Version]) -> list[Disagreement]:
    """boto3 and botocore are the release the boto3 stubs describe; no stub package is newer than boto3."""
    problems: list[Disagreement] = []
    boto3 = dev["boto3"]
    if dev.get("boto3-stubs") != boto3:
        problems.append(
            Disagreement("boto3-stubs", f"is {dev.get('boto3-stubs')}, boto3 is {boto3}: mypy checks another API")
        )
    if dev.get("botocore") != boto3:
        problems.append(Disagreement("botocore", f"is {dev.get('botocore')}, boto3 is {boto3}"))
    for stubs in ("botocore-stubs", "mypy-boto3-cognito-idp"):
        if stubs in dev and dev[stubs] > boto3:
            problems.append(Disagreement(stubs, f"{dev[stubs]} describes a newer API than boto3 {boto3}"))
    return problems


def installed_sam_cli(venv: Path = SAM_VENV) -> tuple[Version, list[str]] | None:
    """The SAM CLI installed in .venv-sam (its version and declared requirements), if it is."""
    if not (venv / ".installed").exists():
        return None
    for site_packages in venv.glob("lib/python*/site-packages"):
        for distribution in metadata.distributions(path=[str(site_packages)]):
            if canonicalize_name(distribution.metadata["Name"]) == SAM_CLI:
                return Version(distribution.version), runtime_requirements(distribution.requires or [])
    return None


def downloaded_sam_cli(version: Version) -> tuple[Version, list[str]]:
    """The declared requirements of a SAM CLI release, from its wheel on PyPI (needs the network)."""
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run(  # noqa: S603 (a fixed pip command line)
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--only-binary=:all:",
                f"{SAM_CLI}=={version}",
                "-d",
                directory,
            ],
            check=True,
        )
        (wheel,) = Path(directory).glob("*.whl")
        with zipfile.ZipFile(wheel) as archive:
            name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            text = archive.read(name).decode()
    declared = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Requires-Dist:")]
    return version, runtime_requirements(declared)


def write_snapshot(version: Version, declared: list[str], path: Path = SNAPSHOT) -> None:
    lines = [
        "# What the pinned AWS SAM CLI declares (Requires-Dist of its package metadata, without extras).",
        "# Written by `make pins`; read by scripts/check_pins.py (make pins-check) so that",
        "# the check runs offline, without .venv-sam. Do not edit by hand.",
        f"# {SAM_CLI}=={version}",
        *declared,
    ]
    path.write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write-snapshot", action="store_true", help="write requirements-sam.declared.txt again")
    args = parser.parse_args(argv)
    dev, sam = read_pins(DEV_REQUIREMENTS), read_pins(SAM_REQUIREMENTS)
    if args.write_snapshot:
        version, requires = installed_sam_cli() or downloaded_sam_cli(sam[canonicalize_name(SAM_CLI)])
        write_snapshot(version, requires)
        print(f"check_pins: wrote {SNAPSHOT.name} from {SAM_CLI} {version} ({len(requires)} requirements)")
        return 0
    sam_cli_version, declared = read_snapshot()
    problems, notes = disagreements(dev, sam, sam_cli_version, declared)
    problems += stub_disagreements(dev)
    installed = installed_sam_cli()
    if installed is not None and installed != (sam_cli_version, sorted(str(r) for r in declared)):
        problems.append(
            Disagreement(SAM_CLI, f"{SNAPSHOT.name} differs from .venv-sam ({installed[0]}): run `make pins`")
        )
    for problem in problems:
        print(f"check_pins: {problem}")
    if problems:
        return 1
    for note in notes:
        print(f"check_pins: deliberate difference, {note}")
    source = ".venv-sam and the snapshot" if installed else SNAPSHOT.name
    print(f"check_pins: {len(dev)} dev pins agree with {SAM_CLI} {sam_cli_version} ({source})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
