"""The local engine's UpdateStack, as CloudFormation runs it: update, cleanup, rollback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from local.local_cloudformation import LocalCloudFormation, StackError
from tests.support.harness import CloudFormation

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"


@pytest.fixture
def engine(cfn: CloudFormation, cognito: Any) -> LocalCloudFormation:
    return LocalCloudFormation(cognito, cfn.responses, cfn.run_handler, report=lambda line: None)


def domain_of(cognito: Any, name: str) -> dict[str, Any]:
    description: dict[str, Any] = cognito.describe_user_pool_domain(Domain=name)["DomainDescription"]
    return description


def callback_urls(cognito: Any, outputs: dict[str, str]) -> list[str]:
    client = cognito.describe_user_pool_client(UserPoolId=outputs["UserPoolId"], ClientId=outputs["AppClientId"])
    urls: list[str] = client["UserPoolClient"].get("CallbackURLs", [])
    return urls


def resource_events(engine: LocalCloudFormation, start: int) -> list[tuple[str, str]]:
    return engine.log.statuses()[start:]


def test_update_with_new_prefix_replaces_domain_and_cleanup_deletes_the_old_one(
    engine: LocalCloudFormation, cognito: Any, faithful: Any
) -> None:
    stack = engine.create_stack("notes-app-auth", TEMPLATE, {"DomainPrefix": "notes-app-first"})
    start = len(engine.log.events)

    engine.update_stack(
        stack, {"DomainPrefix": "notes-app-second", "CallbackURLs": "http://localhost:3000/,http://localhost:5173/"}
    )

    assert resource_events(engine, start) == [
        ("notes-app-auth", "UPDATE_IN_PROGRESS"),
        ("HostedUIDomain", "UPDATE_IN_PROGRESS"),
        ("HostedUIDomain", "UPDATE_COMPLETE"),
        ("AppClientSettings", "UPDATE_IN_PROGRESS"),
        ("AppClientSettings", "UPDATE_COMPLETE"),
        ("notes-app-auth", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"),
        ("HostedUIDomain", "DELETE_IN_PROGRESS"),
        ("HostedUIDomain", "DELETE_COMPLETE"),
        ("notes-app-auth", "UPDATE_COMPLETE"),
    ]
    assert "a replacement" in engine.log.events[start + 2].reason
    assert stack.outputs["HostedUIBaseUrl"] == "https://notes-app-second.auth.us-east-1.amazoncognito.com"
    assert stack.resource("HostedUIDomain").physical_id == "notes-app-second"
    assert domain_of(cognito, "notes-app-second")["UserPoolId"] == stack.outputs["UserPoolId"]
    assert domain_of(cognito, "notes-app-first") == {}
    assert callback_urls(cognito, stack.outputs) == ["http://localhost:3000/", "http://localhost:5173/"]


def test_update_that_changes_nothing_sends_no_request(engine: LocalCloudFormation, faithful: Any) -> None:
    stack = engine.create_stack("notes-app-auth", TEMPLATE, {"DomainPrefix": "notes-app-first"})
    start = len(engine.log.events)

    engine.update_stack(stack, {})

    assert resource_events(engine, start) == [
        ("notes-app-auth", "UPDATE_IN_PROGRESS"),
        ("notes-app-auth", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"),
        ("notes-app-auth", "UPDATE_COMPLETE"),
    ]


def test_failed_update_rolls_back_the_failed_resource_to_its_old_properties(
    engine: LocalCloudFormation, cognito: Any, faithful: Any
) -> None:
    stack = engine.create_stack("notes-app-auth", TEMPLATE, {"DomainPrefix": "notes-app-first"})
    outputs_before = dict(stack.outputs)
    start = len(engine.log.events)

    # Passes the template's AllowedPattern, refused by the resource: "aws" is reserved.
    with pytest.raises(StackError, match="reserved word 'aws'"):
        engine.update_stack(stack, {"DomainPrefix": "notes-aws-demo", "CallbackURLs": "http://localhost:5173/"})

    assert resource_events(engine, start) == [
        ("notes-app-auth", "UPDATE_IN_PROGRESS"),
        ("HostedUIDomain", "UPDATE_IN_PROGRESS"),
        ("HostedUIDomain", "UPDATE_FAILED"),
        ("notes-app-auth", "UPDATE_ROLLBACK_IN_PROGRESS"),
        ("HostedUIDomain", "UPDATE_IN_PROGRESS"),
        ("HostedUIDomain", "UPDATE_COMPLETE"),
        ("notes-app-auth", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"),
        ("notes-app-auth", "UPDATE_ROLLBACK_COMPLETE"),
    ]
    assert stack.outputs == outputs_before
    assert stack.parameters == {"DomainPrefix": "notes-app-first"}
    assert domain_of(cognito, "notes-app-first")["Status"] == "ACTIVE"
    assert callback_urls(cognito, stack.outputs) == ["http://localhost:3000/"]


def test_failed_update_after_a_replacement_updates_back_and_deletes_the_new_physical_id(
    engine: LocalCloudFormation, cognito: Any, faithful: Any
) -> None:
    stack = engine.create_stack("notes-app-auth", TEMPLATE, {"DomainPrefix": "notes-app-first"})
    start = len(engine.log.events)

    # The domain is replaced first; then the settings refuse a plain-HTTP callback that is not localhost.
    with pytest.raises(StackError, match="https://"):
        engine.update_stack(stack, {"DomainPrefix": "notes-app-second", "CallbackURLs": "http://app.example.com/"})

    assert resource_events(engine, start) == [
        ("notes-app-auth", "UPDATE_IN_PROGRESS"),
        ("HostedUIDomain", "UPDATE_IN_PROGRESS"),
        ("HostedUIDomain", "UPDATE_COMPLETE"),
        ("AppClientSettings", "UPDATE_IN_PROGRESS"),
        ("AppClientSettings", "UPDATE_FAILED"),
        ("notes-app-auth", "UPDATE_ROLLBACK_IN_PROGRESS"),
        ("AppClientSettings", "UPDATE_IN_PROGRESS"),
        ("AppClientSettings", "UPDATE_COMPLETE"),
        ("HostedUIDomain", "UPDATE_IN_PROGRESS"),
        ("HostedUIDomain", "UPDATE_COMPLETE"),
        ("notes-app-auth", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"),
        ("HostedUIDomain", "DELETE_IN_PROGRESS"),
        ("HostedUIDomain", "DELETE_COMPLETE"),
        ("notes-app-auth", "UPDATE_ROLLBACK_COMPLETE"),
    ]
    assert stack.resource("HostedUIDomain").physical_id == "notes-app-first"
    assert domain_of(cognito, "notes-app-first")["Status"] == "ACTIVE"
    assert domain_of(cognito, "notes-app-second") == {}
    assert callback_urls(cognito, stack.outputs) == ["http://localhost:3000/"]
    assert engine.delete_stack(stack) == []


def test_parameter_outside_its_allowed_pattern_is_refused_before_any_event(
    engine: LocalCloudFormation, faithful: Any
) -> None:
    stack = engine.create_stack("notes-app-auth", TEMPLATE, {"DomainPrefix": "notes-app-first"})
    start = len(engine.log.events)

    with pytest.raises(StackError, match="Parameter DomainPrefix: 'Not_Valid' does not match"):
        engine.update_stack(stack, {"DomainPrefix": "Not_Valid"})

    assert resource_events(engine, start) == []
