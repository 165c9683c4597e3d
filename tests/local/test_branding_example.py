"""examples/branding brought up by the local engine as written: the style applied, then changed in place.

The command that shows it (docs/branding.md, "See it locally"):

    .venv/bin/python -m pytest tests/local/test_branding_example.py -v -s
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import boto3
import pytest

from local.local_cloudformation import LocalCloudFormation
from tests.support.harness import CloudFormation

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "branding"
BUCKET = "notes-branding-assets"
PNG = (EXAMPLE / "background.png").read_bytes()
# Another image for the same slot: the example's PNG with a different ending.
OTHER_PNG = PNG + b"another background"


@pytest.fixture
def engine(cfn: CloudFormation, cognito: Any, monkeypatch: pytest.MonkeyPatch) -> LocalCloudFormation:
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="branding/background.png", Body=PNG)
    s3.put_object(Bucket=BUCKET, Key="branding/other.png", Body=OTHER_PNG)
    # What the provider stack's BrandingAssetBuckets parameter puts in the function's environment.
    monkeypatch.setenv("BRANDING_ASSET_BUCKETS", BUCKET)
    return LocalCloudFormation(cognito, cfn.responses, cfn.run_handler, report=print)


def style(cognito: Any, pool_id: str, client_id: str) -> dict[str, Any]:
    answer = cognito.describe_managed_login_branding_by_client(UserPoolId=pool_id, ClientId=client_id)
    return dict(answer["ManagedLoginBranding"])


def test_branding_example_is_applied_and_changed_in_place(engine: LocalCloudFormation, cognito: Any) -> None:
    provider = engine.create_stack("notes-app-auth", ROOT / "template.yaml", {"BrandingAssetBuckets": BUCKET})
    stack = engine.create_stack(
        "notes-branding", EXAMPLE / "template.yaml", {"DomainPrefix": "notes-brand-5e2a", "AssetBucket": BUCKET}
    )
    pool_id = stack.resource("NotesUserPool").physical_id
    client_id = stack.resource("NotesAppClient").physical_id

    applied = style(cognito, pool_id, client_id)
    print(f"\n  style {applied['ManagedLoginBrandingId']} applied: {len(applied['Assets'])} images")
    assert stack.outputs["ManagedLoginBrandingId"] == applied["ManagedLoginBrandingId"]
    assert applied["Settings"]["componentClasses"]["buttons"]["borderRadius"] == 16.0
    assert {a["Category"]: a["Bytes"] for a in applied["Assets"]}["PAGE_BACKGROUND"] == PNG

    engine.update_stack(stack, {"BackgroundKey": "branding/other.png"})

    changed = style(cognito, pool_id, client_id)
    print(f"  style {changed['ManagedLoginBrandingId']} changed in place: new background")
    assert changed["ManagedLoginBrandingId"] == applied["ManagedLoginBrandingId"]
    assert {a["Category"]: a["Bytes"] for a in changed["Assets"]}["PAGE_BACKGROUND"] == OTHER_PNG

    assert engine.delete_stack(stack) == []
    assert engine.delete_stack(provider) == []
