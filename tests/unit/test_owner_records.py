"""The owner record's text in SSM: every field survives the round trip, and foreign text is no owner."""

from __future__ import annotations

import json

from aws.records import ResourceOwner, owner_from_text, record_text

STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/notes/5b0d2ec0-8a4e-11ef-a1b2-0a1b2c3d4e5f"


def test_every_field_of_an_owner_survives_the_record() -> None:
    owner = ResourceOwner(
        STACK,
        "Settings",
        created_branding_id="style-1",
        previous_logical_id="OldSettings",
        adopted_branding_id="style-0",
        adopted_settings=json.dumps({"CallbackURLs": ["https://a.example.com/"]}, sort_keys=True),
        retained=True,
    )

    assert owner_from_text(record_text(owner)) == owner


def test_a_plain_owner_records_only_what_is_set() -> None:
    assert json.loads(record_text(ResourceOwner(STACK, "Settings"))) == {
        "StackId": STACK,
        "LogicalResourceId": "Settings",
    }


def test_text_this_function_did_not_write_is_no_owner() -> None:
    assert owner_from_text("not json") is None
    assert owner_from_text('{"StackId": "x"}') is None
    assert owner_from_text("[1, 2]") is None
