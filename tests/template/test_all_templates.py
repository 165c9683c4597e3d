"""Every template transforms cleanly with the SAM translator; the StackSet form is plain and safe.

(cfn-lint runs on every template in `make test` itself.)
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from samtranslator.translator.transform import transform

from local.cfn_yaml import load_template
from scripts.stackset_template import NoManagedPolicies, plain_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [ROOT / "template.yaml", *sorted((ROOT / "examples").glob("*/*.yaml"))]


def with_packaged_code(template: dict[str, Any]) -> dict[str, Any]:
    """As after `sam package`: local CodeUri replaced by an S3 location."""
    document = copy.deepcopy(template)
    for resource in document.get("Resources", {}).values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://artifacts-bucket/provider.zip"
    return document


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_transforms_cleanly(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    template = load_template(path)

    translated = transform(with_packaged_code(template), {}, NoManagedPolicies())

    assert "Transform" not in translated
    assert not [r for r in translated["Resources"].values() if r["Type"].startswith("AWS::Serverless::")]


@pytest.mark.slow
def test_stackset_template_is_plain_cloudformation_reading_code_from_each_region(tmp_path: Path) -> None:
    output = tmp_path / "stackset.json"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "stackset_template.py"), str(output)], check=True, cwd=ROOT)
    template = json.loads(output.read_text())

    assert "Transform" not in template
    assert template["Resources"]["ProviderFunction"]["Properties"]["Code"] == {
        "S3Bucket": {"Fn::Sub": "${CodeBucketPrefix}-${AWS::Region}"},
        "S3Key": {"Ref": "CodeKey"},
    }
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    lint = subprocess.run([str(cfn_lint), str(output)], capture_output=True, text=True, check=False)
    assert lint.returncode == 0, lint.stdout


def values_outside_descriptions(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for key, item in node.items() if "Description" not in key for v in values_outside_descriptions(item)]
    if isinstance(node, list):
        return [v for item in node for v in values_outside_descriptions(item)]
    return [str(node)]


def test_template_hard_codes_no_account_or_region() -> None:
    # StackSets deploy the same template to every account and region.
    template = load_template(ROOT / "template.yaml")
    values = values_outside_descriptions({k: v for k, v in template.items() if k != "Metadata"})
    region = re.compile(r"\b[a-z]{2}(-gov)?-(east|west|north|south|central|northeast|southeast)-\d\b")

    assert [v for v in values if re.search(r"\b\d{12}\b", v)] == []
    # The one region named on purpose: Cognito takes custom-domain certificates from
    # us-east-1 only (developer guide, "Using your own domain"), whatever the stack's region.
    # The ACM requests are held there by aws:RequestedRegion conditions, for the same reason.
    statements = template["Resources"]["ProviderCertificatePolicy"]["Properties"]["PolicyDocument"]["Statement"]
    held = [s["Condition"]["StringEquals"]["aws:RequestedRegion"] for s in statements if "Condition" in s]
    assert [v for v in values if region.search(v) and ":acm:us-east-1:" not in v] == held == ["us-east-1"] * 2
    assert template["Outputs"]["ServiceToken"]["Export"]["Name"] == {"Fn::Sub": "${AWS::StackName}-ServiceToken"}


def test_plain_template_keeps_every_resource_and_output() -> None:
    sam = load_template(ROOT / "template.yaml")
    plain = plain_template(sam)

    assert set(sam["Resources"]) <= set(plain["Resources"])
    assert set(plain["Outputs"]) == set(sam["Outputs"])
    assert {"CodeBucketPrefix", "CodeKey"} <= set(plain["Parameters"])
