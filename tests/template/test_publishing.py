"""template.yaml's Serverless Application Repository metadata is what SAR accepts, and `make publish` completes it."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import botocore.loaders
import pytest

from local.cfn_yaml import load_template
from scripts.publish_metadata import SAR, PublishError, completed_metadata, publish_urls, repository_url

ROOT = Path(__file__).resolve().parents[2]
SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)


@pytest.fixture(scope="module")
def metadata() -> dict[str, Any]:
    template = load_template(ROOT / "template.yaml")
    application: dict[str, Any] = template["Metadata"]["AWS::ServerlessRepo::Application"]
    return application


@pytest.fixture(scope="module")
def rules() -> dict[str, dict[str, Any]]:
    """Length limits and patterns of CreateApplication's members, read from the serverlessrepo service model.

    The model states them in each member's documentation ("Minimum length=1. Maximum
    length=127.", 'Pattern "^[a-z0-9]...$";'), not as shape constraints.
    """
    model = botocore.loaders.Loader().load_service_model("serverlessrepo", "service-2")
    members = model["shapes"]["CreateApplicationRequest"]["members"]
    found: dict[str, dict[str, Any]] = {}
    for name, member in members.items():
        text = html.unescape(re.sub(r"<[^>]+>", " ", member.get("documentation", "")))
        rule: dict[str, Any] = {}
        if minimum := re.search(r"Minimum length=(\d+)", text):
            rule["min"] = int(minimum[1])
        if maximum := re.search(r"Maximum length=(\d+)", text):
            rule["max"] = int(maximum[1])
        if count := re.search(r"Maximum number of labels: (\d+)", text):
            rule["max_items"] = int(count[1])
        if pattern := re.search(r'Pattern:? "(.+?)";', text):
            rule["pattern"] = pattern[1].replace("\\\\", "\\")
        found[name] = rule
    return found


def test_the_model_states_the_rules_this_test_relies_on(rules: dict[str, dict[str, Any]]) -> None:
    assert rules["Author"] == {"min": 1, "max": 127, "pattern": "^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$"}
    assert rules["Name"]["max"] == 140
    assert rules["Labels"]["max_items"] == 10
    assert rules["Description"]["max"] == 256


@pytest.mark.parametrize("member", ["Author", "Name", "Description"])
def test_metadata_string_matches_the_serverlessrepo_model(
    member: str, metadata: dict[str, Any], rules: dict[str, dict[str, Any]]
) -> None:
    value, rule = metadata[member], rules[member]

    assert rule.get("min", 1) <= len(value) <= rule["max"]
    if "pattern" in rule:
        assert re.fullmatch(rule["pattern"], value), f"{member} {value!r} breaks {rule['pattern']}"


def test_labels_match_the_serverlessrepo_model(metadata: dict[str, Any], rules: dict[str, dict[str, Any]]) -> None:
    rule = rules["Labels"]

    assert 1 <= len(metadata["Labels"]) <= rule["max_items"]
    for label in metadata["Labels"]:
        assert rule["min"] <= len(label) <= rule["max"]
        assert re.fullmatch(rule["pattern"], label)


def test_version_license_and_files(metadata: dict[str, Any]) -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()

    assert SEMVER.fullmatch(metadata["SemanticVersion"])
    assert f'version = "{metadata["SemanticVersion"]}"' in pyproject
    # An SPDX identifier (https://spdx.org/licenses/), and the one the license file is.
    assert metadata["SpdxLicenseId"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert (ROOT / metadata["LicenseUrl"]).is_file()
    assert (ROOT / metadata["ReadmeUrl"]).is_file()


def test_no_placeholder_urls_in_the_template(metadata: dict[str, Any]) -> None:
    # make publish adds them from the git remote or HOME_PAGE_URL / SOURCE_CODE_URL.
    assert "HomePageUrl" not in metadata
    assert "SourceCodeUrl" not in metadata
    assert "example" not in str(metadata)


@pytest.mark.parametrize(
    ("remote", "url"),
    [
        (
            "git@github.com:octo-org/cognito-hosted-ui-resources.git",
            "https://github.com/octo-org/cognito-hosted-ui-resources",
        ),
        (
            "https://github.com/octo-org/cognito-hosted-ui-resources.git",
            "https://github.com/octo-org/cognito-hosted-ui-resources",
        ),
        ("ssh://git@gitlab.com/team/auth.git", "https://gitlab.com/team/auth"),
        ("https://user:token@github.com/octo-org/auth", "https://github.com/octo-org/auth"),
    ],
)
def test_publish_takes_an_https_repository_url_from_the_git_remote(remote: str, url: str) -> None:
    assert repository_url(remote) == url


def test_publish_completes_the_metadata_with_urls_and_absolute_files(metadata: dict[str, Any]) -> None:
    template = load_template(ROOT / "template.yaml")

    document = completed_metadata(template, "https://github.com/o/r", "https://github.com/o/r/tree/abc123")

    published = document["Metadata"]["AWS::ServerlessRepo::Application"]
    assert published["HomePageUrl"] == "https://github.com/o/r"
    assert published["SourceCodeUrl"] == "https://github.com/o/r/tree/abc123"
    assert Path(published["LicenseUrl"]).is_absolute()
    assert Path(published["ReadmeUrl"]) == ROOT / "README.md"
    assert document["Resources"] == template["Resources"]


def test_publish_refuses_urls_that_are_not_https() -> None:
    with pytest.raises(PublishError, match="HomePageUrl must be an https URL"):
        completed_metadata(load_template(ROOT / "template.yaml"), "http://example.org", "https://github.com/o/r")


def test_given_urls_need_no_git_remote() -> None:
    assert publish_urls("https://a.example/home", "https://a.example/src") == (
        "https://a.example/home",
        "https://a.example/src",
    )


def built_template(tmp_path: Path) -> Path:
    """A checkout in ``tmp_path`` after ``sam build``: template.yaml's shape as sam build writes it.

    sam build moves the template to .aws-sam/build/ and rewrites the relative paths of
    its ServerlessRepo metadata to stay valid from there (aws-sam-cli,
    samcli/commands/_utils/template.py: METADATA_WITH_LOCAL_PATHS), and points CodeUri
    at the built function's folder.
    """
    (tmp_path / "LICENSE").write_text("MIT License\n")
    (tmp_path / "README.md").write_text("# readme\n")
    build = tmp_path / ".aws-sam" / "build"
    (build / "ProviderFunction").mkdir(parents=True)
    template = load_template(ROOT / "template.yaml")
    template["Metadata"]["AWS::ServerlessRepo::Application"].update(
        LicenseUrl="../../LICENSE", ReadmeUrl="../../README.md"
    )
    template["Resources"]["ProviderFunction"]["Properties"]["CodeUri"] = "ProviderFunction"
    (build / "template.yaml").write_text(json.dumps(template))
    return build / "template.yaml"


def test_publish_resolves_license_and_readme_against_the_built_templates_directory(tmp_path: Path) -> None:
    template = built_template(tmp_path)
    output = template.parent / "publish-template.json"

    completed = subprocess.run(
        [sys.executable, "scripts/publish_metadata.py", str(template), str(output),
         "--home-page-url", "https://example.com", "--source-code-url", "https://example.com/src"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip

    assert completed.returncode == 0, completed.stderr
    published = json.loads(output.read_text())["Metadata"]["AWS::ServerlessRepo::Application"]
    assert published["LicenseUrl"] == str(tmp_path / "LICENSE")
    assert published["ReadmeUrl"] == str(tmp_path / "README.md")
    assert published["HomePageUrl"] == "https://example.com"
    assert published["SourceCodeUrl"] == "https://example.com/src"


def test_publish_refuses_a_license_path_that_names_no_file(tmp_path: Path) -> None:
    template = load_template(ROOT / "template.yaml")

    # What the first release did: ../../LICENSE taken from the repository root.
    with pytest.raises(PublishError, match=r"LicenseUrl '../../LICENSE' names no file"):
        completed_metadata(
            {**template, "Metadata": {SAR: {**template["Metadata"][SAR], "LicenseUrl": "../../LICENSE"}}},
            "https://example.com",
            "https://example.com/src",
            tmp_path / "a" / "b",
        )


def make(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", *arguments],  # noqa: S607 (make from PATH, as a user runs it)
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_make_publish_without_a_bucket_stops_before_building() -> None:
    started = time.monotonic()

    completed = make("publish", "HOME_PAGE_URL=https://example.com")

    assert completed.returncode == 2
    assert "usage: make publish S3_BUCKET=<bucket>" in completed.stderr
    assert "sam build" not in completed.stdout + completed.stderr
    assert time.monotonic() - started < 10


def test_make_publish_checks_the_bucket_then_builds_then_packages_the_completed_built_template() -> None:
    # `make -n` prints the commands without running them (sam build needs the SAM CLI
    # and Python 3.13, sam package needs AWS credentials): the recorded argument lists.
    completed = make(
        "-n", "publish", "S3_BUCKET=x", "HOME_PAGE_URL=https://example.com", "SOURCE_CODE_URL=https://example.com/src"
    )

    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    check = next(i for i, line in enumerate(lines) if line.startswith('test -n "x"'))
    build = next(i for i, line in enumerate(lines) if "/bin/sam build --template-file template.yaml" in line)
    metadata = next(i for i, line in enumerate(lines) if "scripts/publish_metadata.py" in line)
    package = next(i for i, line in enumerate(lines) if "/bin/sam package" in line)
    assert check < build < metadata < package
    assert (
        "scripts/publish_metadata.py .aws-sam/build/template.yaml .aws-sam/build/publish-template.json"
        in (lines[metadata])
    )
    assert '--home-page-url "https://example.com" --source-code-url "https://example.com/src"' in lines[metadata + 1]
    assert "--template-file .aws-sam/build/publish-template.json" in lines[package]
    assert '--s3-bucket "x" --output-template-file .aws-sam/packaged.yaml' in lines[package + 1]
