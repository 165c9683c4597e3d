"""Writes template.yaml as plain CloudFormation for StackSets with service-managed permissions.

Such StackSets cannot use templates that reference macros, and the
AWS::Serverless transform is one (CloudFormation user guide, "Overview of
CloudFormation macros"). So the SAM template is transformed here, offline, with
the same translator CloudFormation runs, and the function's code is read from a
bucket in each target region (Lambda reads code only from a bucket in its own
region): ``<CodeBucketPrefix>-<region>`` / ``<CodeKey>``.

Usage: python scripts/stackset_template.py [OUTPUT]   (default .aws-sam/stackset-template.json)
"""

from __future__ import annotations

import copy
import json
import os
import sys
from pathlib import Path
from typing import Any

from samtranslator.translator.transform import transform

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from local.cfn_yaml import load_template  # noqa: E402

CODE_PARAMETERS = {
    "CodeBucketPrefix": {
        "Type": "String",
        "Description": "The function package is read from <CodeBucketPrefix>-<region> in every target region",
    },
    "CodeKey": {"Type": "String", "Description": "S3 key of the function package (make build writes it)"},
}


class NoManagedPolicies:
    """The template names no AWS managed policy, so the translator never needs to look one up."""

    def load(self) -> dict[str, str]:
        return {}


def plain_template(sam_template: dict[str, Any]) -> dict[str, Any]:
    # The translator asks for a region only to name the partition (aws); the
    # template itself stays free of any region.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    document = copy.deepcopy(sam_template)
    document["Parameters"] = {**document.get("Parameters", {}), **CODE_PARAMETERS}
    for resource in document["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = {
                "Bucket": {"Fn::Sub": "${CodeBucketPrefix}-${AWS::Region}"},
                "Key": {"Ref": "CodeKey"},
            }
    translated: dict[str, Any] = transform(document, {}, NoManagedPolicies())
    return translated


def main() -> int:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".aws-sam" / "stackset-template.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(plain_template(load_template(ROOT / "template.yaml")), indent=2) + "\n")
    print(f"wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
