"""Custom managed login branding, adoption and RetainOnDelete of client settings, decided in memory.

Each test states the client's style before, the request, and what exists after
(the style's id and content, the owner record), and checks that every refusal comes
before any write. The rules are in ``resources/managed_login.py`` and
``resources/branding_style.py``; the research in ``docs/design/branding.md``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from aws.records import MAX_RECORD_CHARS
from resources import client_settings
from resources.lifecycle import LifecycleRequest, ResourceFailure
from tests.support.branding_samples import BACKGROUND, BLUE, BUCKET, GREEN, LOGO, PNG, SVG
from tests.support.fake_ops import InMemoryCognito
from tests.unit.test_client_settings_decisions import (
    OLD_OAUTH,
    PLAIN_CLIENT,
    POOL,
    WEB_CLIENT,
    WEB_OAUTH,
    client,
    settings,
)

STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/notes/5b0d2ec0-8a4e-11ef-a1b2-0a1b2c3d4e5f"
OTHER_STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/other/6c1e3fd1-9b5f-11ef-b2c3-1b2c3d4e5f60"
BRANDING_WRITES = ("create_branding", "update_branding", "reset_branding", "delete_branding")


def custom(
    document: dict[str, Any] = GREEN, assets: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    return settings(
        ManagedLoginVersion="2",
        ManagedLoginBranding="custom",
        BrandingSettings=json.dumps(document),
        BrandingAssets=assets,
        **extra,
    )


def run(
    request_type: str, raw: dict[str, Any], cognito: InMemoryCognito, old: Any = None, logical_id: str = "S"
) -> Any:
    request = LifecycleRequest(
        request_type,
        physical_id="" if request_type == "Create" else WEB_CLIENT,
        properties=raw,
        old_properties=old,
        stack_id=STACK,
        logical_id=logical_id,
    )
    lifecycle = {"Create": client_settings.create, "Update": client_settings.update, "Delete": client_settings.delete}
    return lifecycle[request_type](request, cognito.operations)


def fake(**existing: Any) -> InMemoryCognito:
    cognito = InMemoryCognito(readable_buckets={BUCKET}, **existing)
    cognito.add_client(POOL, WEB_CLIENT, PLAIN_CLIENT)
    cognito.s3_objects[(BUCKET, "bg.png")] = PNG
    return cognito


def branding_calls(cognito: InMemoryCognito) -> list[str]:
    return [name for name, _ in cognito.write_attempts if name in BRANDING_WRITES]


def style(cognito: InMemoryCognito) -> Any:
    return cognito.style_contents.get(cognito.branding.get((POOL, WEB_CLIENT), ""))


def test_create_with_custom_branding_creates_the_style_with_its_settings_and_images() -> None:
    cognito = fake()

    outcome = run("Create", custom(assets=[LOGO, BACKGROUND]), cognito)

    made = cognito.branding[(POOL, WEB_CLIENT)]
    assert outcome.data["ManagedLoginBrandingId"] == made
    assert "HostedUIUrl" in outcome.data
    assert branding_calls(cognito) == ["create_branding"]
    assert style(cognito).settings == GREEN
    assert {(a["Category"], a["Bytes"]) for a in style(cognito).assets} == {
        ("FORM_LOGO", SVG),
        ("PAGE_BACKGROUND", PNG),
    }
    assert cognito.owners[(POOL, WEB_CLIENT)].created_branding_id == made


def test_update_of_the_settings_changes_the_same_style_in_place() -> None:
    cognito = fake()
    run("Create", custom(assets=[LOGO]), cognito)
    made = cognito.branding[(POOL, WEB_CLIENT)]

    outcome = run("Update", custom(BLUE, assets=[LOGO]), cognito, old=custom(assets=[LOGO]))

    assert outcome.data["ManagedLoginBrandingId"] == made
    assert branding_calls(cognito) == ["create_branding", "update_branding"]
    assert style(cognito).settings == BLUE


def test_update_that_removes_an_image_resets_the_same_style_then_writes_it() -> None:
    cognito = fake()
    run("Create", custom(assets=[LOGO, BACKGROUND]), cognito)

    run("Update", custom(assets=[LOGO]), cognito, old=custom(assets=[LOGO, BACKGROUND]))

    assert branding_calls(cognito) == ["create_branding", "reset_branding", "update_branding"]
    assert [a["Category"] for a in style(cognito).assets] == ["FORM_LOGO"]


def test_update_with_nothing_changed_writes_no_branding() -> None:
    cognito = fake()
    run("Create", custom(assets=[LOGO]), cognito)

    run("Update", custom(assets=[LOGO]), cognito, old=custom(assets=[LOGO]))

    assert branding_calls(cognito) == ["create_branding"]


def test_switching_auto_to_custom_and_back_updates_then_resets_the_same_style() -> None:
    cognito = fake()
    auto = settings(ManagedLoginVersion="2")
    run("Create", auto, cognito)
    made = cognito.branding[(POOL, WEB_CLIENT)]

    run("Update", custom(), cognito, old=auto)
    assert (cognito.branding[(POOL, WEB_CLIENT)], style(cognito).settings) == (made, GREEN)

    run("Update", auto, cognito, old=custom())
    assert cognito.branding[(POOL, WEB_CLIENT)] == made
    assert style(cognito) is None  # Cognito's provided values again
    assert branding_calls(cognito) == ["create_branding", "update_branding", "reset_branding"]


def test_delete_removes_the_style_this_resource_created_and_resets_the_settings() -> None:
    cognito = fake()
    run("Create", custom(), cognito)

    run("Delete", custom(), cognito)

    assert cognito.branding == {}
    assert cognito.client(POOL, WEB_CLIENT) == client(PLAIN_CLIENT)
    assert cognito.owners == {}


def test_a_style_this_resource_did_not_create_is_refused_naming_it_before_any_write() -> None:
    cognito = fake()
    console_style = cognito.add_style(POOL, WEB_CLIENT, BLUE)

    with pytest.raises(ResourceFailure) as refusal:
        run("Create", custom(), cognito)

    assert console_style in str(refusal.value)
    assert "set AdoptExisting: true" in str(refusal.value)
    assert cognito.write_attempts == []
    assert cognito.owners == {}
    assert style(cognito).settings == BLUE


def test_an_adopted_style_is_changed_in_place_and_kept_on_delete() -> None:
    cognito = fake()
    console_style = cognito.add_style(POOL, WEB_CLIENT, BLUE)

    outcome = run("Create", custom(AdoptExisting="true"), cognito)
    assert outcome.data["ManagedLoginBrandingId"] == console_style
    assert style(cognito).settings == GREEN
    assert cognito.owners[(POOL, WEB_CLIENT)].adopted_branding_id == console_style

    run("Delete", custom(AdoptExisting="true"), cognito)

    assert cognito.branding == {(POOL, WEB_CLIENT): console_style}
    assert branding_calls(cognito) == ["update_branding"]


def test_an_adopted_style_changed_by_a_later_update_is_the_stacks_and_deleted_with_it() -> None:
    cognito = fake()
    console_style = cognito.add_style(POOL, WEB_CLIENT, BLUE)
    run("Create", custom(AdoptExisting="true"), cognito)

    run("Update", custom(BLUE, AdoptExisting="true"), cognito, old=custom(AdoptExisting="true"))
    record = cognito.owners[(POOL, WEB_CLIENT)]
    assert (record.created_branding_id, record.adopted_branding_id) == (console_style, "")

    run("Delete", custom(BLUE), cognito)
    assert cognito.branding == {}


def test_an_image_in_a_bucket_the_function_may_not_read_is_refused_before_any_read_or_write() -> None:
    cognito = fake()
    elsewhere = {**BACKGROUND, "S3Uri": "s3://someone-elses-bucket/bg.png"}

    with pytest.raises(ResourceFailure) as refusal:
        run("Create", custom(assets=[elsewhere]), cognito)

    assert "BrandingAssetBuckets" in str(refusal.value)
    assert [name for name, _ in cognito.calls if name == "read_object"] == []
    assert cognito.write_attempts == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"", "is an empty file", id="empty"),
        pytest.param(SVG, "but the file is a SVG file", id="not-a-png"),
        pytest.param(PNG + b"\0" * 1_000_000, "larger than 1000000 bytes", id="too-large"),
        pytest.param(None, "does not exist", id="missing"),
    ],
)
def test_an_image_in_s3_that_cognito_would_not_take_is_refused_before_any_write(
    content: bytes | None, expected: str
) -> None:
    cognito = fake()
    if content is None:
        del cognito.s3_objects[(BUCKET, "bg.png")]
    else:
        cognito.s3_objects[(BUCKET, "bg.png")] = content

    with pytest.raises(ResourceFailure) as refusal:
        run("Create", custom(assets=[BACKGROUND]), cognito)

    assert expected in str(refusal.value)
    assert cognito.write_attempts == []
    assert cognito.owners == {}


def test_custom_branding_on_a_lite_pool_is_refused_before_any_write() -> None:
    cognito = fake(feature_plans={POOL: "LITE"})

    with pytest.raises(ResourceFailure, match="on Lite"):
        run("Create", custom(), cognito)

    assert cognito.write_attempts == []


def test_adopted_client_settings_are_put_back_on_delete_instead_of_reset() -> None:
    cognito = fake()
    cognito.add_client(POOL, WEB_CLIENT, {**PLAIN_CLIENT, **OLD_OAUTH})

    run("Create", settings(AdoptExisting="true"), cognito)
    assert cognito.client(POOL, WEB_CLIENT) == client({**PLAIN_CLIENT, **WEB_OAUTH})

    run("Delete", settings(AdoptExisting="true"), cognito)

    assert cognito.client(POOL, WEB_CLIENT) == client({**PLAIN_CLIENT, **OLD_OAUTH})
    assert cognito.owners == {}


def test_adoption_whose_settings_the_record_cannot_hold_is_refused_before_any_write() -> None:
    cognito = fake()
    many = [f"https://app{n}.example.com/callback/{'x' * 40}" for n in range(100)]
    cognito.add_client(POOL, WEB_CLIENT, {**PLAIN_CLIENT, **OLD_OAUTH, "CallbackURLs": many})

    with pytest.raises(ResourceFailure, match=f"holds {MAX_RECORD_CHARS - 200}"):
        run("Create", settings(AdoptExisting="true"), cognito)

    assert cognito.write_attempts == []
    assert cognito.owners == {}


def test_retain_on_delete_leaves_settings_and_style_and_the_record_says_so() -> None:
    cognito = fake()
    run("Create", custom(RetainOnDelete="true"), cognito)
    made = cognito.branding[(POOL, WEB_CLIENT)]

    run("Delete", custom(RetainOnDelete="true"), cognito)

    assert cognito.client(POOL, WEB_CLIENT) == client({**PLAIN_CLIENT, **WEB_OAUTH})
    assert cognito.branding == {(POOL, WEB_CLIENT): made}
    record = cognito.owners[(POOL, WEB_CLIENT)]
    assert (record.retained, record.created_branding_id) == (True, made)


def test_a_retained_client_binds_nobody_but_its_style_must_be_adopted() -> None:
    cognito = fake()
    run("Create", custom(RetainOnDelete="true"), cognito)
    run("Delete", custom(RetainOnDelete="true"), cognito)
    retained_style = cognito.branding[(POOL, WEB_CLIENT)]
    other = LifecycleRequest("Create", "", custom(), stack_id=OTHER_STACK, logical_id="S")

    with pytest.raises(ResourceFailure, match=retained_style):
        client_settings.create(other, cognito.operations)

    adopting = LifecycleRequest("Create", "", custom(AdoptExisting="true"), stack_id=OTHER_STACK, logical_id="S")
    client_settings.create(adopting, cognito.operations)
    record = cognito.owners[(POOL, WEB_CLIENT)]
    assert (record.stack_id, record.adopted_branding_id, record.created_branding_id) == (
        OTHER_STACK,
        retained_style,
        "",
    )
    assert json.loads(record.adopted_settings) == WEB_OAUTH


def full_pool(cognito: InMemoryCognito) -> None:
    """The pool holds Cognito's 20 managed login branding styles, each on another client."""
    for n in range(cognito.branding_styles_per_pool):
        cognito.add_style(POOL, f"other-client-{n:02d}")


@pytest.mark.parametrize(
    "raw",
    [pytest.param(settings(ManagedLoginVersion="2"), id="auto"), pytest.param(custom(), id="custom")],
)
def test_a_new_style_in_a_pool_with_20_is_refused_naming_the_limit_and_nothing_stays_written(
    raw: dict[str, Any],
) -> None:
    cognito = fake()
    full_pool(cognito)
    styles_before = dict(cognito.branding)

    with pytest.raises(ResourceFailure) as refusal:
        run("Create", raw, cognito)

    reason = str(refusal.value)
    assert reason.startswith(f"User pool {POOL} already has 20 managed login branding styles, Cognito's limit")
    assert "ManagedLoginBranding: none" in reason
    assert "describe-managed-login-branding-by-client" in reason
    assert reason.endswith("(LimitExceededException)")
    assert cognito.writes == []
    assert cognito.branding == styles_before
    assert cognito.client(POOL, WEB_CLIENT) == client(PLAIN_CLIENT)
    assert cognito.owners == {}


def test_auto_on_a_client_that_has_a_style_needs_no_new_one_in_a_full_pool() -> None:
    cognito = fake()
    full_pool(cognito)
    del cognito.branding[(POOL, "other-client-00")]
    console_style = cognito.add_style(POOL, WEB_CLIENT)

    outcome = run("Create", settings(ManagedLoginVersion="2"), cognito)

    assert outcome.data["ManagedLoginBrandingId"] == console_style
    assert branding_calls(cognito) == []


def test_delete_leaves_a_recorded_style_that_is_not_the_clients_own_and_logs_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    cognito = fake()
    run("Create", custom(), cognito)
    made = cognito.branding[(POOL, WEB_CLIENT)]
    someone_elses = cognito.add_style(POOL, "other-client", BLUE)
    record = cognito.owners[(POOL, WEB_CLIENT)]
    cognito.owners[(POOL, WEB_CLIENT)] = replace(record, created_branding_id=someone_elses)

    run("Delete", custom(), cognito)

    assert cognito.branding == {(POOL, WEB_CLIENT): made, (POOL, "other-client"): someone_elses}
    assert "delete_branding" not in branding_calls(cognito)
    assert f"Branding style {someone_elses} of the owner record is not app client {WEB_CLIENT}'s style" in caplog.text
    assert cognito.owners == {}


def test_cleanup_after_a_failed_create_leaves_a_recorded_style_that_is_not_the_clients_own() -> None:
    cognito = fake()
    someone_elses = cognito.add_style(POOL, "other-client", BLUE)

    def tamper_then_fail(operation: str) -> None:
        # The record is edited meanwhile (it is an SSM parameter), then the client write fails.
        if operation == "write_client":
            key = (POOL, WEB_CLIENT)
            cognito.owners[key] = replace(cognito.owners[key], created_branding_id=someone_elses)
            raise RuntimeError("connection reset")

    cognito.on_call = tamper_then_fail

    with pytest.raises(RuntimeError):
        run("Create", custom(), cognito)

    assert cognito.branding[(POOL, "other-client")] == someone_elses
    assert "delete_branding" not in branding_calls(cognito)
