"""examples/adopt brought up by the local engine: a console-made domain and client adopted with no downtime.

The command that shows it (docs/migration.md, "See it locally"):

    .venv/bin/python -m pytest tests/local/test_adopt_example.py -v -s
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cognito_double.clock import FakeClock
from local.local_cloudformation import LocalCloudFormation
from tests.support.harness import CloudFormation, UserPool

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "adopt"
DOMAIN = "notes-console-made"


def test_a_console_made_domain_and_client_are_adopted_kept_and_left_in_place(
    cfn: CloudFormation, cognito: Any, pool: UserPool, faithful: Any, clock: FakeClock
) -> None:
    # What a person made in the console: a domain, and OAuth settings on the app client.
    cognito.create_user_pool_domain(UserPoolId=pool.id, Domain=DOMAIN)
    clock.advance(600)  # the console's domain has long been ACTIVE
    cognito.update_user_pool_client(
        UserPoolId=pool.id,
        ClientId=pool.client_id,
        CallbackURLs=["https://notes.example.com/callback"],
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        AllowedOAuthFlowsUserPoolClient=True,
        SupportedIdentityProviders=["COGNITO"],
    )
    before = cognito.describe_user_pool_domain(Domain=DOMAIN)["DomainDescription"]
    engine = LocalCloudFormation(cognito, cfn.responses, cfn.run_handler, report=print)
    provider = engine.create_stack("notes-app-auth", ROOT / "template.yaml", {"ManagedUserPoolArns": pool.arn})

    parameters = {
        "UserPoolId": pool.id,
        "ClientId": pool.client_id,
        "Domain": DOMAIN,
        "CallbackURLs": "https://notes.example.com/callback",
    }
    calls_before = len(faithful.calls)
    stack = engine.create_stack("notes-adopted", EXAMPLE / "template.yaml", parameters)

    after = cognito.describe_user_pool_domain(Domain=DOMAIN)["DomainDescription"]
    print(f"\n  adopted {DOMAIN}: {after['Status']}, distribution {after['CloudFrontDistribution']} (unchanged)")
    assert (after["Status"], after["CloudFrontDistribution"]) == ("ACTIVE", before["CloudFrontDistribution"])
    assert stack.outputs["CloudFrontDistribution"] == before["CloudFrontDistribution"]
    assert "CreateUserPoolDomain" not in faithful.calls[calls_before:], "adopted, not made again"
    assert "DeleteUserPoolDomain" not in faithful.calls[calls_before:]

    # RetainOnDelete while trying it out: deleting the stack leaves the domain and the settings.
    assert engine.delete_stack(stack) == []
    kept = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id)["UserPoolClient"]
    assert cognito.describe_user_pool_domain(Domain=DOMAIN)["DomainDescription"]["Status"] == "ACTIVE"
    assert kept["CallbackURLs"] == ["https://notes.example.com/callback"]
    print("  stack deleted with RetainOnDelete: the domain and the client's settings are still there")
    assert engine.delete_stack(provider) == []
