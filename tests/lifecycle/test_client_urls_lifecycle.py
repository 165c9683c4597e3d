"""Custom::CognitoUserPoolClientURLs through every lifecycle path, against the faithful double.

Several stacks add their redirect URLs to one app client. Each test asserts what
CloudFormation was told, and what the client and the records hold after.
"""

from __future__ import annotations

import hashlib
import json
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest

from aws.contributions import CONTRIBUTION_PREFIX, SETTLE_SECONDS
from aws.records import parameter_name
from local.cfn_events import EventFactory
from resources.url_union import record_key
from tests.support.harness import CloudFormation, UserPool, make_user_pool
from tests.support.ssm_faults import faulty_ssm, ops_factory_with_ssm

URLS = "Custom::CognitoUserPoolClientURLs"
SETTINGS = "Custom::CognitoUserPoolClientSettings"
MAIN_STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/notes-app/11111111-2222-3333-4444-555555555555"


def stack_id(name: str) -> str:
    return (
        f"arn:aws:cloudformation:us-east-1:123456789012:stack/{name}/{hashlib.sha256(name.encode()).hexdigest()[:12]}"
    )


def in_stack(cfn: CloudFormation, name: str) -> CloudFormation:
    """The same CloudFormation, sending events for the stack ``name``."""
    stack = MAIN_STACK if name == "notes-app" else stack_id(name)
    return replace(cfn, events=EventFactory(cfn.responses.url_for, stack_id=stack))


def preview(pool: UserPool, n: int, **overrides: Any) -> dict[str, Any]:
    return {
        "UserPoolId": pool.id,
        "ClientId": pool.client_id,
        "CallbackURLs": [f"https://pr-{n}.preview.example.com/callback"],
        "LogoutURLs": [f"https://pr-{n}.preview.example.com/"],
        **overrides,
    }


def owner_settings(pool: UserPool, **overrides: Any) -> dict[str, Any]:
    return {
        "UserPoolId": pool.id,
        "ClientId": pool.client_id,
        "CallbackURLs": ["https://app.example.com/callback"],
        "LogoutURLs": ["https://app.example.com/"],
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid", "email"],
        **overrides,
    }


def describe(cognito: Any, pool: UserPool) -> dict[str, Any]:
    client: dict[str, Any] = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id)[
        "UserPoolClient"
    ]
    return client


def records(pool: UserPool) -> dict[str, dict[str, Any]]:
    ssm = boto3.client("ssm", region_name="us-east-1")
    pages = ssm.get_paginator("get_parameters_by_path").paginate(
        Path=f"{CONTRIBUTION_PREFIX}/{pool.id}", Recursive=True
    )
    return {p["Name"].rsplit("/", 1)[1]: json.loads(p["Value"]) for page in pages for p in page["Parameters"]}


def create(cfn: CloudFormation, stack: str, logical_id: str, properties: dict[str, Any]) -> dict[str, Any]:
    return in_stack(cfn, stack).send(in_stack(cfn, stack).events.create(URLS, logical_id, properties))


def delete(cfn: CloudFormation, stack: str, logical_id: str, answer: dict[str, Any], properties: Any) -> dict[str, Any]:
    sender = in_stack(cfn, stack)
    return sender.send(sender.events.delete(URLS, logical_id, answer["PhysicalResourceId"], properties))


@pytest.fixture
def owned(cfn: CloudFormation, pool: UserPool) -> UserPool:
    """The main stack owns the client's settings (Custom::CognitoUserPoolClientSettings)."""
    sender = in_stack(cfn, "notes-app")
    answer = sender.send(sender.events.create(SETTINGS, "AppClientSettings", owner_settings(pool)))
    assert answer["Status"] == "SUCCESS", answer["Reason"]
    return pool


# --- Create -------------------------------------------------------------------


def test_create_adds_its_urls_after_the_owners_and_keeps_the_owners_flows(
    cfn: CloudFormation, owned: UserPool, cognito: Any
) -> None:
    answer = create(cfn, "preview-pr-1", "PreviewURLs", preview(owned, 1))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert (
        answer["PhysicalResourceId"]
        == f"{owned.id}/{owned.client_id}/{record_key(stack_id('preview-pr-1'), 'PreviewURLs')}"
    )
    assert answer["Data"] == {
        "ClientId": owned.client_id,
        "CallbackURLs": "https://pr-1.preview.example.com/callback",
        "LogoutURLs": "https://pr-1.preview.example.com/",
    }
    client = describe(cognito, owned)
    assert client["CallbackURLs"] == ["https://app.example.com/callback", "https://pr-1.preview.example.com/callback"]
    assert client["LogoutURLs"] == ["https://app.example.com/", "https://pr-1.preview.example.com/"]
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["AllowedOAuthScopes"] == ["openid", "email"]
    assert list(records(owned).values()) == [
        {
            "StackId": stack_id("preview-pr-1"),
            "LogicalResourceId": "PreviewURLs",
            "CallbackURLs": ["https://pr-1.preview.example.com/callback"],
            "LogoutURLs": ["https://pr-1.preview.example.com/"],
        }
    ]


def test_create_returns_the_hosted_ui_url_for_its_first_callback_when_the_pool_has_a_domain(
    cfn: CloudFormation, owned: UserPool, cognito: Any
) -> None:
    cognito.create_user_pool_domain(UserPoolId=owned.id, Domain="notes-previews")

    answer = create(
        cfn,
        "preview-pr-2",
        "PreviewURLs",
        preview(
            owned, 2, CallbackURLs=["https://PR-2.Preview.example.com/cb", "https://pr-2.preview.example.com/other"]
        ),
    )

    url = urlsplit(answer["Data"]["HostedUIUrl"])
    assert url.netloc == "notes-previews.auth.us-east-1.amazoncognito.com"
    assert parse_qs(url.query) == {
        "client_id": [owned.client_id],
        "response_type": ["code"],
        "scope": ["openid email"],
        "redirect_uri": ["https://pr-2.preview.example.com/cb"],
    }
    # Normalised (scheme and host in lower case), joined by one space.
    assert (
        answer["Data"]["CallbackURLs"] == "https://pr-2.preview.example.com/cb https://pr-2.preview.example.com/other"
    )


def test_two_stacks_list_the_union_and_a_shared_url_once(cfn: CloudFormation, owned: UserPool, cognito: Any) -> None:
    shared = "https://shared.preview.example.com/"
    create(cfn, "preview-pr-1", "PreviewURLs", preview(owned, 1, LogoutURLs=[shared]))
    create(cfn, "preview-pr-2", "PreviewURLs", preview(owned, 2, LogoutURLs=[shared]))

    client = describe(cognito, owned)
    assert client["CallbackURLs"] == [
        "https://app.example.com/callback",
        "https://pr-1.preview.example.com/callback",
        "https://pr-2.preview.example.com/callback",
    ]
    assert client["LogoutURLs"] == ["https://app.example.com/", shared]


def test_a_client_without_an_owner_gets_the_contributions_alone(
    cfn: CloudFormation, pool: UserPool, cognito: Any
) -> None:
    answer = create(cfn, "preview-pr-1", "PreviewURLs", preview(pool, 1))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert describe(cognito, pool)["CallbackURLs"] == ["https://pr-1.preview.example.com/callback"]


# --- refusals, before any write -----------------------------------------------------


def test_invalid_input_is_refused_before_any_write(cfn: CloudFormation, owned: UserPool, cognito: Any) -> None:
    before = describe(cognito, owned)
    answer = create(
        cfn,
        "preview-pr-1",
        "PreviewURLs",
        preview(owned, 1, CallbackURLs=["http://pr-1.preview.example.com/", "https://x/#frag"]),
    )

    assert answer["Status"] == "FAILED"
    assert "must use https://" in answer["Reason"]
    assert "must not contain a f" in answer["Reason"]  # both named, within the 256 characters shown
    assert answer["PhysicalResourceId"].startswith("create-failed:")
    assert describe(cognito, owned) == before
    assert records(owned) == {}


def test_the_limit_is_counted_over_the_union_and_names_each_holders_count(
    cfn: CloudFormation, owned: UserPool, cognito: Any
) -> None:
    create(
        cfn,
        "preview-pr-1",
        "PreviewURLs",
        preview(owned, 1, CallbackURLs=[f"https://a.example.com/{n}" for n in range(60)]),
    )
    before = describe(cognito, owned)

    answer = create(
        cfn,
        "preview-pr-2",
        "PreviewURLs",
        preview(owned, 2, CallbackURLs=[f"https://b.example.com/{n}" for n in range(40)]),
    )

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("CallbackURLs would hold 101 URLs, over Cognito's 100 per app client")
    assert (
        "preview-pr-1/PreviewURLs 60, preview-pr-2/PreviewURLs 40, notes-app/AppClientSettings (owner) 1"
        in (answer["Reason"])
    )
    assert describe(cognito, owned) == before
    assert len(records(owned)) == 1


def test_a_client_with_urls_no_stack_recorded_is_refused_naming_them(
    cfn: CloudFormation, pool: UserPool, cognito: Any
) -> None:
    cognito.update_user_pool_client(
        UserPoolId=pool.id, ClientId=pool.client_id, CallbackURLs=["https://by-hand.example.com/"]
    )

    answer = create(cfn, "preview-pr-1", "PreviewURLs", preview(pool, 1))

    assert answer["Status"] == "FAILED"
    assert "lists URLs that no stack has recorded (CallbackURLs https://by-hand.example.com/)" in answer["Reason"]
    assert describe(cognito, pool)["CallbackURLs"] == ["https://by-hand.example.com/"]
    assert records(pool) == {}
    # Its marker Delete touches nothing: the URL set by hand stays.
    cleanup = delete(cfn, "preview-pr-1", "PreviewURLs", answer, preview(pool, 1))
    assert cleanup["Status"] == "SUCCESS"
    assert describe(cognito, pool)["CallbackURLs"] == ["https://by-hand.example.com/"]


def test_an_owner_record_without_settings_is_refused_naming_the_owner(
    cfn: CloudFormation, pool: UserPool, cognito: Any
) -> None:
    boto3.client("ssm", region_name="us-east-1").put_parameter(
        Name=parameter_name(pool.id, pool.client_id),
        Value=json.dumps({"StackId": MAIN_STACK, "LogicalResourceId": "AppClientSettings"}),
        Type="String",
    )

    answer = create(cfn, "preview-pr-1", "PreviewURLs", preview(pool, 1))

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith(
        f"The owner of app client {pool.client_id}, notes-app/AppClientSettings, recorded itself without its settings"
    )
    assert "change its ClientRevision" in answer["Reason"]
    assert records(pool) == {}


def test_a_client_that_does_not_exist_is_refused(cfn: CloudFormation, pool: UserPool) -> None:
    answer = create(cfn, "preview-pr-1", "PreviewURLs", preview(pool, 1, ClientId="nosuchclient1"))

    assert answer["Status"] == "FAILED"
    assert "App client nosuchclient1 does not exist" in answer["Reason"]


# --- the owner, before and after ------------------------------------------------------


def test_a_settings_resource_created_later_adopts_the_contributions(
    cfn: CloudFormation, pool: UserPool, cognito: Any
) -> None:
    create(cfn, "preview-pr-1", "PreviewURLs", preview(pool, 1))
    sender = in_stack(cfn, "notes-app")

    answer = sender.send(sender.events.create(SETTINGS, "AppClientSettings", owner_settings(pool)))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert describe(cognito, pool)["CallbackURLs"] == [
        "https://app.example.com/callback",
        "https://pr-1.preview.example.com/callback",
    ]


def test_an_owner_update_keeps_the_contributions_and_an_owner_delete_resets_only_its_fields(
    cfn: CloudFormation, owned: UserPool, cognito: Any
) -> None:
    create(cfn, "preview-pr-1", "PreviewURLs", preview(owned, 1))
    sender = in_stack(cfn, "notes-app")
    new = owner_settings(owned, CallbackURLs=["https://app.example.com/v2"])

    sender.send(sender.events.update(SETTINGS, "AppClientSettings", owned.client_id, new, owner_settings(owned)))
    assert describe(cognito, owned)["CallbackURLs"] == [
        "https://app.example.com/v2",
        "https://pr-1.preview.example.com/callback",
    ]

    sender.send(sender.events.delete(SETTINGS, "AppClientSettings", owned.client_id, new))
    client = describe(cognito, owned)
    assert client["CallbackURLs"] == ["https://pr-1.preview.example.com/callback"]
    assert client["LogoutURLs"] == ["https://pr-1.preview.example.com/"]
    assert not client.get("AllowedOAuthFlows")
    assert not client.get("AllowedOAuthFlowsUserPoolClient")


def test_an_owner_update_past_the_limit_with_the_contributions_is_refused(
    cfn: CloudFormation, owned: UserPool, cognito: Any
) -> None:
    create(
        cfn,
        "preview-pr-1",
        "PreviewURLs",
        preview(owned, 1, CallbackURLs=[f"https://a.example.com/{n}" for n in range(90)]),
    )
    sender = in_stack(cfn, "notes-app")
    new = owner_settings(owned, CallbackURLs=[f"https://app.example.com/{n}" for n in range(11)])

    answer = sender.send(
        sender.events.update(SETTINGS, "AppClientSettings", owned.client_id, new, owner_settings(owned))
    )

    assert answer["Status"] == "FAILED"
    assert "would hold 101 URLs" in answer["Reason"]
    assert len(describe(cognito, owned)["CallbackURLs"]) == 91


# --- Update and Delete --------------------------------------------------------------


def test_update_in_place_replaces_only_its_own_urls(cfn: CloudFormation, owned: UserPool, cognito: Any) -> None:
    first = create(cfn, "preview-pr-1", "PreviewURLs", preview(owned, 1))
    create(cfn, "preview-pr-2", "PreviewURLs", preview(owned, 2))
    sender = in_stack(cfn, "preview-pr-1")
    new = preview(owned, 1, CallbackURLs=["https://pr-1b.preview.example.com/callback"])

    answer = sender.send(sender.events.update(URLS, "PreviewURLs", first["PhysicalResourceId"], new, preview(owned, 1)))

    assert answer["PhysicalResourceId"] == first["PhysicalResourceId"]
    assert describe(cognito, owned)["CallbackURLs"] == [
        "https://app.example.com/callback",
        "https://pr-1b.preview.example.com/callback",
        "https://pr-2.preview.example.com/callback",
    ]


def test_update_to_another_client_moves_the_urls_and_the_cleanup_takes_them_off_the_old_one(
    cfn: CloudFormation, owned: UserPool, cognito: Any
) -> None:
    other = cognito.create_user_pool_client(UserPoolId=owned.id, ClientName="other")["UserPoolClient"]["ClientId"]
    first = create(cfn, "preview-pr-1", "PreviewURLs", preview(owned, 1))
    sender = in_stack(cfn, "preview-pr-1")
    new = preview(owned, 1, ClientId=other)

    moved = sender.send(sender.events.update(URLS, "PreviewURLs", first["PhysicalResourceId"], new, preview(owned, 1)))
    assert moved["PhysicalResourceId"] != first["PhysicalResourceId"]
    cleanup = sender.send(sender.events.delete(URLS, "PreviewURLs", first["PhysicalResourceId"], preview(owned, 1)))

    assert cleanup["Status"] == "SUCCESS"
    assert describe(cognito, owned)["CallbackURLs"] == ["https://app.example.com/callback"]
    moved_to = cognito.describe_user_pool_client(UserPoolId=owned.id, ClientId=other)["UserPoolClient"]
    assert moved_to["CallbackURLs"] == ["https://pr-1.preview.example.com/callback"]


def test_a_renamed_logical_id_keeps_the_urls_on_the_client(cfn: CloudFormation, owned: UserPool, cognito: Any) -> None:
    old = create(cfn, "preview-pr-1", "PreviewURLs", preview(owned, 1))
    create(cfn, "preview-pr-1", "RenamedURLs", preview(owned, 1))
    assert describe(cognito, owned)["CallbackURLs"][1:] == ["https://pr-1.preview.example.com/callback"]

    cleanup = delete(cfn, "preview-pr-1", "PreviewURLs", old, preview(owned, 1))

    assert cleanup["Status"] == "SUCCESS"
    assert describe(cognito, owned)["CallbackURLs"] == [
        "https://app.example.com/callback",
        "https://pr-1.preview.example.com/callback",
    ]
    assert [r["LogicalResourceId"] for r in records(owned).values()] == ["RenamedURLs"]


def test_delete_removes_only_urls_no_one_else_lists_and_is_idempotent(
    cfn: CloudFormation, owned: UserPool, cognito: Any
) -> None:
    also_the_owners = "https://app.example.com/callback"
    first = create(
        cfn,
        "preview-pr-1",
        "PreviewURLs",
        preview(owned, 1, CallbackURLs=[also_the_owners, "https://pr-1.preview.example.com/cb"]),
    )
    create(cfn, "preview-pr-2", "PreviewURLs", preview(owned, 2))

    for _ in range(2):
        answer = delete(cfn, "preview-pr-1", "PreviewURLs", first, preview(owned, 1))
        assert answer["Status"] == "SUCCESS", answer["Reason"]

    assert describe(cognito, owned)["CallbackURLs"] == [also_the_owners, "https://pr-2.preview.example.com/callback"]
    assert len(records(owned)) == 1


def test_delete_when_the_client_is_gone_succeeds(cfn: CloudFormation, owned: UserPool, cognito: Any) -> None:
    first = create(cfn, "preview-pr-1", "PreviewURLs", preview(owned, 1))
    cognito.delete_user_pool_client(UserPoolId=owned.id, ClientId=owned.client_id)

    answer = delete(cfn, "preview-pr-1", "PreviewURLs", first, preview(owned, 1))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert records(owned) == {}


# --- lost answers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "operation"),
    [("ssm", "put_parameter"), ("ssm", "delete_parameter"), ("cognito", "UpdateUserPoolClient")],
)
def test_a_lost_answer_never_duplicates_or_loses_a_url(
    cfn: CloudFormation, owned: UserPool, cognito: Any, faithful: Any, clock: Any, service: str, operation: str
) -> None:
    ssm = faulty_ssm(clock.monotonic)
    cfn = replace(cfn, ops_factory=ops_factory_with_ssm(faithful, ssm))
    create(cfn, "preview-pr-2", "PreviewURLs", preview(owned, 2))
    lose = ssm.lose_answer if service == "ssm" else faithful.lose_answer

    lose(operation)
    created = create(cfn, "preview-pr-1", "PreviewURLs", preview(owned, 1))
    lose(operation)
    deleted = delete(cfn, "preview-pr-1", "PreviewURLs", created, preview(owned, 1))

    assert created["Status"] == deleted["Status"] == "SUCCESS", (created["Reason"], deleted["Reason"])
    assert describe(cognito, owned)["CallbackURLs"] == [
        "https://app.example.com/callback",
        "https://pr-2.preview.example.com/callback",
    ]
    assert len(records(owned)) == 1


# --- the race --------------------------------------------------------------------

RACE_ROUNDS = 3


def expected_union(owner_urls: list[str], contributions: dict[str, list[str]]) -> list[str]:
    """The test's own union: the owner's URLs, then each stack's in stack-name order, each URL once."""
    ordered = [*owner_urls, *(url for stack in sorted(contributions) for url in contributions[stack])]
    return list(dict.fromkeys(ordered))


@pytest.mark.parametrize(
    "lag", [0.0, SETTLE_SECONDS], ids=["linearizable SSM", "SSM reads lagging by up to the settle time"]
)
@pytest.mark.slow
def test_racing_creates_updates_and_deletes_end_with_exactly_the_union(
    cfn: CloudFormation, cognito: Any, faithful: Any, clock: Any, lag: float
) -> None:
    ssm = faulty_ssm(clock.monotonic, lag=lag)
    cfn = replace(cfn, ops_factory=ops_factory_with_ssm(faithful, ssm))
    for round_number in range(RACE_ROUNDS):
        pool = make_user_pool(cognito, f"race-{round_number}")
        owner = in_stack(cfn, "notes-app")
        owner.send(owner.events.create(SETTINGS, "AppClientSettings", owner_settings(pool)))
        existing = {name: create(cfn, name, "PreviewURLs", preview(pool, n)) for n, name in ((1, "pr-a"), (2, "pr-b"))}
        moved_owner = owner_settings(pool, CallbackURLs=["https://app.example.com/v2"])
        changed_a = preview(pool, 1, CallbackURLs=["https://pr-a2.preview.example.com/", "https://shared.example.com/"])
        requests = [
            (
                owner,
                owner.events.update(SETTINGS, "AppClientSettings", pool.client_id, moved_owner, owner_settings(pool)),
            ),
            (
                in_stack(cfn, "pr-a"),
                in_stack(cfn, "pr-a").events.update(
                    URLS, "PreviewURLs", existing["pr-a"]["PhysicalResourceId"], changed_a, preview(pool, 1)
                ),
            ),
            (
                in_stack(cfn, "pr-b"),
                in_stack(cfn, "pr-b").events.delete(
                    URLS, "PreviewURLs", existing["pr-b"]["PhysicalResourceId"], preview(pool, 2)
                ),
            ),
            (
                in_stack(cfn, "pr-c"),
                in_stack(cfn, "pr-c").events.create(
                    URLS, "PreviewURLs", preview(pool, 3, CallbackURLs=["https://shared.example.com/"])
                ),
            ),
            (in_stack(cfn, "pr-d"), in_stack(cfn, "pr-d").events.create(URLS, "PreviewURLs", preview(pool, 4))),
        ]
        random.shuffle(requests)

        with ThreadPoolExecutor(max_workers=len(requests)) as lambdas:
            answers = list(lambdas.map(lambda request: request[0].send(request[1]), requests))

        assert [a["Status"] for a in answers] == ["SUCCESS"] * len(requests), [a["Reason"] for a in answers]
        client = describe(cognito, pool)
        assert client["CallbackURLs"] == expected_union(
            ["https://app.example.com/v2"],
            {
                "pr-a": ["https://pr-a2.preview.example.com/", "https://shared.example.com/"],
                "pr-c": ["https://shared.example.com/"],
                "pr-d": ["https://pr-4.preview.example.com/callback"],
            },
        ), f"round {round_number}"
        assert client["LogoutURLs"] == expected_union(
            ["https://app.example.com/"],
            {stack: [f"https://pr-{n}.preview.example.com/"] for n, stack in ((1, "pr-a"), (3, "pr-c"), (4, "pr-d"))},
        )
        assert client["AllowedOAuthFlows"] == ["code"]
        assert sorted(r["LogicalResourceId"] + "@" + r["StackId"].split("/")[1] for r in records(pool).values()) == [
            "PreviewURLs@pr-a",
            "PreviewURLs@pr-c",
            "PreviewURLs@pr-d",
        ]


def test_racing_creates_on_a_client_without_an_owner_are_never_refused_as_unrecorded(
    cfn: CloudFormation, cognito: Any
) -> None:
    # Each writer records its URLs before writing them to the client; the check before any
    # write reads the client first, so another writer's fresh URLs are always in the records.
    for round_number in range(2):
        pool = make_user_pool(cognito, f"unowned-{round_number}")
        stacks = [f"pr-{n}" for n in range(6)]
        requests = [(stack, preview(pool, n)) for n, stack in enumerate(stacks)]
        with ThreadPoolExecutor(max_workers=len(stacks)) as lambdas:
            answers = list(lambdas.map(lambda request: create(cfn, request[0], "PreviewURLs", request[1]), requests))

        assert [a["Status"] for a in answers] == ["SUCCESS"] * len(stacks), [a["Reason"] for a in answers]
        assert describe(cognito, pool)["CallbackURLs"] == [
            f"https://pr-{n}.preview.example.com/callback" for n in range(len(stacks))
        ]
