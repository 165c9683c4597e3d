"""One owner per app client's OAuth settings, decided against the in-memory fake in milliseconds.

A renamed logical id (CloudFormation creates the new resource, then deletes the old
one) must keep the settings; a second stack must be refused before it writes; a
Delete resets the settings only while its resource is still the owner.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from aws.records import ResourceOwner
from resources import client_settings
from resources.lifecycle import LifecycleRequest, ResourceFailure
from tests.unit.test_client_settings_decisions import (
    PLAIN_CLIENT,
    POOL,
    WEB_CLIENT,
    WEB_OAUTH,
    client,
    cognito_with,
    settings,
    written,
)

STACK_A = "arn:aws:cloudformation:us-east-1:123456789012:stack/notes-a/5b0d2ec0-8a4e-11ef-a1b2-0a1b2c3d4e5f"
STACK_B = "arn:aws:cloudformation:us-east-1:123456789012:stack/notes-b/6c1e3fd1-9b5f-11ef-b2c3-1b2c3d4e5f60"


def request(request_type: str, stack_id: str, logical_id: str, raw: Any, physical_id: str = "") -> LifecycleRequest:
    return LifecycleRequest(request_type, physical_id, raw, stack_id=stack_id, logical_id=logical_id)


def test_create_records_its_resource_as_the_owner() -> None:
    cognito = cognito_with({WEB_CLIENT: PLAIN_CLIENT})

    client_settings.create(request("Create", STACK_A, "AppClientSettings", settings()), cognito.operations)

    assert cognito.owners == {(POOL, WEB_CLIENT): ResourceOwner(STACK_A, "AppClientSettings")}


def test_renamed_logical_id_in_the_same_stack_takes_over_and_the_old_ones_delete_keeps_the_settings() -> None:
    cognito = cognito_with({WEB_CLIENT: PLAIN_CLIENT})
    client_settings.create(request("Create", STACK_A, "OldName", settings()), cognito.operations)

    client_settings.create(request("Create", STACK_A, "NewName", settings()), cognito.operations)
    client_settings.delete(request("Delete", STACK_A, "OldName", settings(), WEB_CLIENT), cognito.operations)

    assert cognito.client(POOL, WEB_CLIENT) == client({**PLAIN_CLIENT, **WEB_OAUTH})
    assert cognito.owners == {(POOL, WEB_CLIENT): ResourceOwner(STACK_A, "NewName")}


def test_a_resource_of_another_stack_is_refused_before_any_write_naming_the_owner() -> None:
    cognito = cognito_with({WEB_CLIENT: PLAIN_CLIENT})
    client_settings.create(request("Create", STACK_A, "AppClientSettings", settings()), cognito.operations)
    writes_before = list(cognito.writes)

    with pytest.raises(ResourceFailure) as refused:
        client_settings.create(
            request("Create", STACK_B, "TheirSettings", settings(CallbackURLs=["https://b.example.com/"])),
            cognito.operations,
        )

    assert str(refused.value).startswith(f"App client {WEB_CLIENT} already has its OAuth settings managed by stack")
    assert "'notes-a' (resource AppClientSettings)" in str(refused.value)
    assert cognito.writes == writes_before
    assert cognito.client(POOL, WEB_CLIENT) == client({**PLAIN_CLIENT, **WEB_OAUTH})


def test_delete_by_a_resource_that_no_longer_owns_the_client_leaves_the_settings() -> None:
    cognito = cognito_with({WEB_CLIENT: PLAIN_CLIENT})
    client_settings.create(request("Create", STACK_A, "AppClientSettings", settings()), cognito.operations)
    cognito.owners[(POOL, WEB_CLIENT)] = ResourceOwner(STACK_B, "TheirSettings")
    writes_before = list(cognito.writes)

    client_settings.delete(request("Delete", STACK_A, "AppClientSettings", settings(), WEB_CLIENT), cognito.operations)

    assert cognito.writes == writes_before
    assert cognito.owners[(POOL, WEB_CLIENT)] == ResourceOwner(STACK_B, "TheirSettings")


def test_delete_by_the_owner_resets_the_settings_and_forgets_the_record() -> None:
    cognito = cognito_with({WEB_CLIENT: PLAIN_CLIENT})
    client_settings.create(request("Create", STACK_A, "AppClientSettings", settings()), cognito.operations)

    client_settings.delete(request("Delete", STACK_A, "AppClientSettings", settings(), WEB_CLIENT), cognito.operations)

    assert cognito.client(POOL, WEB_CLIENT) == client(PLAIN_CLIENT)
    assert cognito.owners == {}


def test_a_client_without_a_record_is_reset_by_delete_as_before_ownership_was_recorded() -> None:
    cognito = cognito_with({WEB_CLIENT: {**PLAIN_CLIENT, **WEB_OAUTH}})

    client_settings.delete(request("Delete", STACK_A, "AppClientSettings", settings(), WEB_CLIENT), cognito.operations)

    assert written(cognito) == [WEB_CLIENT]
    assert cognito.client(POOL, WEB_CLIENT) == client(PLAIN_CLIENT)


def test_a_create_refused_by_the_checks_leaves_no_owner_record() -> None:
    cognito = cognito_with({WEB_CLIENT: PLAIN_CLIENT})
    machine = settings(CallbackURLs=None, LogoutURLs=None, Domain=None, AllowedOAuthFlows=["client_credentials"])

    with pytest.raises(ResourceFailure):
        client_settings.create(
            request("Create", STACK_A, "Machine", {**machine, "AllowedOAuthScopes": ["notes/read"]}), cognito.operations
        )

    assert cognito.owners == {}
    assert written(cognito) == []


def test_a_create_whose_write_fails_forgets_the_record_it_made() -> None:
    cognito = cognito_with({WEB_CLIENT: PLAIN_CLIENT})
    cognito.fail_next("write_client", ResourceFailure("the write failed"))

    with pytest.raises(ResourceFailure, match="the write failed"):
        client_settings.create(request("Create", STACK_A, "AppClientSettings", settings()), cognito.operations)

    assert cognito.owners == {}


def test_an_update_to_another_client_moves_ownership_and_the_cleanup_resets_the_old_client() -> None:
    other = "otherclient0987654321zyxwv"
    cognito = cognito_with({WEB_CLIENT: PLAIN_CLIENT, other: PLAIN_CLIENT})
    first = request("Create", STACK_A, "AppClientSettings", settings())
    client_settings.create(first, cognito.operations)

    moved = replace(first, request_type="Update", physical_id=WEB_CLIENT, properties=settings(client_id=other))
    client_settings.update(moved, cognito.operations)
    client_settings.delete(request("Delete", STACK_A, "AppClientSettings", settings(), WEB_CLIENT), cognito.operations)

    assert cognito.client(POOL, WEB_CLIENT) == client(PLAIN_CLIENT)
    assert cognito.owners == {(POOL, other): ResourceOwner(STACK_A, "AppClientSettings")}


def test_a_rename_that_is_rolled_back_hands_the_client_back_with_its_settings() -> None:
    cognito = cognito_with({WEB_CLIENT: PLAIN_CLIENT})
    client_settings.create(request("Create", STACK_A, "OldName", settings()), cognito.operations)
    client_settings.create(request("Create", STACK_A, "NewName", settings()), cognito.operations)

    # Another resource failed: CloudFormation deletes the new logical id; the old one stays.
    client_settings.delete(request("Delete", STACK_A, "NewName", settings(), WEB_CLIENT), cognito.operations)

    assert cognito.client(POOL, WEB_CLIENT) == client({**PLAIN_CLIENT, **WEB_OAUTH})
    assert cognito.owners == {(POOL, WEB_CLIENT): ResourceOwner(STACK_A, "OldName")}
    client_settings.delete(request("Delete", STACK_A, "OldName", settings(), WEB_CLIENT), cognito.operations)
    assert cognito.client(POOL, WEB_CLIENT) == client(PLAIN_CLIENT)


def test_after_a_rename_and_its_cleanup_the_new_resource_owns_the_client_outright() -> None:
    cognito = cognito_with({WEB_CLIENT: PLAIN_CLIENT})
    client_settings.create(request("Create", STACK_A, "OldName", settings()), cognito.operations)
    client_settings.create(request("Create", STACK_A, "NewName", settings()), cognito.operations)
    client_settings.delete(request("Delete", STACK_A, "OldName", settings(), WEB_CLIENT), cognito.operations)

    # The stack is deleted later: the settings go with it.
    client_settings.delete(request("Delete", STACK_A, "NewName", settings(), WEB_CLIENT), cognito.operations)

    assert cognito.client(POOL, WEB_CLIENT) == client(PLAIN_CLIENT)
    assert cognito.owners == {}


def test_a_create_whose_branding_style_fails_leaves_no_record_and_writes_nothing() -> None:
    cognito = cognito_with({WEB_CLIENT: PLAIN_CLIENT})
    cognito.fail_next("create_branding", ResourceFailure("CreateManagedLoginBranding failed"))

    with pytest.raises(ResourceFailure, match="CreateManagedLoginBranding failed"):
        client_settings.create(
            request("Create", STACK_A, "AppClientSettings", settings(ManagedLoginVersion="2")), cognito.operations
        )

    assert cognito.owners == {}
    assert written(cognito) == []
    assert cognito.branding == {}
