"""The examples are brought up by the local engine exactly as written, and don't collide."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from local.local_cloudformation import LocalCloudFormation, StackError
from tests.support.harness import CloudFormation

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def engine(cfn: CloudFormation, cognito: Any) -> LocalCloudFormation:
    return LocalCloudFormation(cognito, cfn.responses, cfn.run_handler, report=lambda line: None)


def test_embed_example_adds_domain_and_settings_to_an_existing_pool_through_the_export(
    engine: LocalCloudFormation, cognito: Any, faithful: Any
) -> None:
    provider = engine.create_stack("notes-app-auth", ROOT / "template.yaml")
    assert engine.exports["notes-app-auth-ServiceToken"] == provider.outputs["ServiceToken"]

    embedded = engine.create_stack(
        "team-stack", ROOT / "examples" / "embed" / "template.yaml", {"DomainPrefix": "team-notes-7c1d"}
    )

    pool_id = embedded.resource("TeamUserPool").physical_id
    client_id = embedded.resource("TeamAppClient").physical_id
    assert embedded.outputs["HostedUIBaseUrl"] == "https://team-notes-7c1d.auth.us-east-1.amazoncognito.com"
    assert f"client_id={client_id}" in embedded.outputs["HostedUIUrl"]
    client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]

    assert engine.delete_stack(embedded) == []
    assert engine.delete_stack(provider) == []
    assert cognito.list_user_pools(MaxResults=10)["UserPools"] == []


def test_embed_example_without_a_provider_stack_fails_on_the_import(engine: LocalCloudFormation) -> None:
    with pytest.raises(StackError, match="No stack exports 'notes-app-auth-ServiceToken'"):
        engine.create_stack("team-stack", ROOT / "examples" / "embed" / "template.yaml", {"DomainPrefix": "team-x1"})


def test_two_nested_copies_in_one_parent_do_not_collide(
    engine: LocalCloudFormation, cognito: Any, faithful: Any
) -> None:
    parent = engine.create_stack("notes-platform", ROOT / "examples" / "nested" / "template.yaml")

    outputs = parent.outputs
    assert outputs["DevUserPoolId"] != outputs["ProdUserPoolId"]
    assert outputs["DevAppClientId"] != outputs["ProdAppClientId"]
    assert outputs["DevHostedUIBaseUrl"].startswith("https://notes-dev-")
    assert outputs["ProdHostedUIBaseUrl"].startswith("https://notes-prod-")
    assert len([name for name in engine.exports if name.endswith("-ServiceToken")]) == 2
    pools = cognito.list_user_pools(MaxResults=10)["UserPools"]
    assert len({pool["Name"] for pool in pools}) == 2

    # Prod has DeletionProtection ACTIVE, so (as in real Cognito) its pool survives
    # the delete until protection is turned off.
    failures = engine.delete_stack(parent)
    assert len(failures) == 1
    assert "deletion protection is activated" in failures[0]
    prod_pool = outputs["ProdUserPoolId"]
    cognito.update_user_pool(UserPoolId=prod_pool, DeletionProtection="INACTIVE")
    cognito.delete_user_pool(UserPoolId=prod_pool)
    assert cognito.list_user_pools(MaxResults=10)["UserPools"] == []
    assert [r for r in faithful.domains.values() if r.user_pool_id != "us-east-1_SomeoneElse"] == []
