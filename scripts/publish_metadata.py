"""Completes the Serverless Application Repository metadata of the built template, for ``make publish``.

``python scripts/publish_metadata.py BUILT_TEMPLATE OUT [--home-page-url URL] [--source-code-url URL]``

- ``HomePageUrl`` is the given URL, or the repository of ``git remote get-url origin``
  as an https URL (``git@github.com:o/r.git`` -> ``https://github.com/o/r``);
- ``SourceCodeUrl`` is the given URL, or that repository at the commit being
  published (``<repository>/tree/<commit>``, as the serverlessrepo API suggests:
  "the URL of a specific GitHub commit");
- ``LicenseUrl`` and ``ReadmeUrl`` become absolute paths, so ``sam package`` uploads
  the repository's LICENSE and README.md whatever directory the template is in. A
  relative path is resolved against the directory of the template it is read from,
  as ``sam package`` resolves it: ``sam build`` rewrites ``LICENSE`` in template.yaml
  to ``../../LICENSE`` in ``.aws-sam/build/template.yaml`` (aws-sam-cli,
  ``samcli/commands/_utils/template.py``, ``METADATA_WITH_LOCAL_PATHS``).

The template is written as JSON (which ``sam package`` reads like YAML) beside
nothing else: OUT should be in the built template's directory, so that its
``CodeUri`` stays valid.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from local.cfn_yaml import load_template  # noqa: E402

SAR = "AWS::ServerlessRepo::Application"


class PublishError(Exception):
    """The metadata cannot be completed; the message says what to set."""


def repository_url(remote: str) -> str:
    """An https URL for a git remote (scp-like ``git@host:owner/repo.git``, ssh:// or https://)."""
    remote = remote.strip()
    scp_like = re.fullmatch(r"[\w.-]+@([\w.-]+):(.+)", remote)
    if scp_like:
        remote = f"https://{scp_like[1]}/{scp_like[2]}"
    remote = re.sub(r"^(ssh|git)://([\w.-]+@)?", "https://", remote)
    remote = re.sub(r"^https://[^@/]+@", "https://", remote)  # no credentials in a published URL
    if not remote.startswith("https://"):
        raise PublishError(
            f"the git remote {remote!r} is not an https or ssh URL: set HOME_PAGE_URL and SOURCE_CODE_URL"
        )
    return remote.removesuffix("/").removesuffix(".git")


def _git(*arguments: str) -> str | None:
    completed = subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603, S607
    return completed.stdout.strip() if completed.returncode == 0 and completed.stdout.strip() else None


def publish_urls(home_page_url: str | None, source_code_url: str | None) -> tuple[str, str]:
    if home_page_url and source_code_url:
        return home_page_url, source_code_url
    remote = _git("remote", "get-url", "origin")
    if remote is None:
        raise PublishError(
            "no git remote 'origin': set HOME_PAGE_URL and SOURCE_CODE_URL (make publish HOME_PAGE_URL=...)"
        )
    repository = repository_url(remote)
    commit = _git("rev-parse", "HEAD")
    return home_page_url or repository, source_code_url or (f"{repository}/tree/{commit}" if commit else repository)


def completed_metadata(
    template: dict[str, Any], home_page_url: str, source_code_url: str, template_directory: Path = ROOT
) -> dict[str, Any]:
    """The template with the URLs set and LicenseUrl/ReadmeUrl absolute (relative to ``template_directory``)."""
    for name, url in (("HomePageUrl", home_page_url), ("SourceCodeUrl", source_code_url)):
        if not url.startswith("https://"):
            raise PublishError(f"{name} must be an https URL, got {url!r}")
    metadata = dict(template["Metadata"][SAR])
    metadata.update(HomePageUrl=home_page_url, SourceCodeUrl=source_code_url)
    for name in ("LicenseUrl", "ReadmeUrl"):
        if name in metadata and "://" not in metadata[name]:
            path = (template_directory / metadata[name]).resolve()
            if not path.is_file():
                raise PublishError(f"{name} {metadata[name]!r} names no file (looked for {path})")
            metadata[name] = str(path)
    return {**template, "Metadata": {**template["Metadata"], SAR: metadata}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("template", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--home-page-url")
    parser.add_argument("--source-code-url")
    args = parser.parse_args(argv)
    try:
        home, source = publish_urls(args.home_page_url, args.source_code_url)
        document = completed_metadata(load_template(args.template), home, source, args.template.resolve().parent)
    except PublishError as problem:
        print(f"publish_metadata: {problem}", file=sys.stderr)
        return 1
    args.output.write_text(json.dumps(document, indent=2))
    print(f"publish_metadata: HomePageUrl {home}, SourceCodeUrl {source} -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
