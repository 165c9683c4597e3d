"""An owner record nobody can read is neither "no owner" nor an owner: refused, and nothing is reset or deleted.

``aws/records.py`` reads the parameter; the decisions (client_ownership.py, domain.py)
meet ``UnreadableOwnerRecord`` and never reset a client, take it over, or remove a
parameter on the strength of it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from aws.records import PARAMETER_PREFIX, ResourceOwner, SsmOwnerRecords, UnreadableOwnerRecord
from aws.retry import RetryPolicy
from resources import client_settings, domain
from resources.lifecycle import LifecycleRequest
from tests.unit.test_client_settings_decisions import PLAIN_CLIENT, POOL, WEB_CLIENT, WEB_OAUTH, client, cognito_with
from tests.unit.test_client_settings_decisions import settings as client_settings_properties
from tests.unit.test_domain_decisions import cognito_with as domain_cognito_with
from tests.unit.test_domain_decisions import exists, props

STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/notes/5b0d2ec0-8a4e-11ef-a1b2-0a1b2c3d4e5f"
NAME = f"{PARAMETER_PREFIX}/{POOL}/{WEB_CLIENT}"
UNREADABLE = UnreadableOwnerRecord(NAME, "not JSON")


class OneParameter:
    """GetParameter answering one value, as SSM does."""

    def __init__(self, value: str) -> None:
        self.value = value

    def get_parameter(self, Name: str) -> dict[str, Any]:  # noqa: N803 (boto3's spelling)
        return {"Parameter": {"Name": Name, "Value": self.value}}


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("owner: notes", "not JSON"),
        (json.dumps(["StackId", STACK]), "not an object with the strings StackId and LogicalResourceId"),
        (json.dumps({"StackId": STACK}), "not an object with the strings StackId and LogicalResourceId"),
        (json.dumps({"StackId": STACK, "LogicalResourceId": 7}), "not an object"),
        (json.dumps({"StackId": STACK, "LogicalResourceId": "S", "Padding": "x" * 5000}), "larger than any"),
    ],
    ids=["not-json", "a-list", "no-logical-id", "a-number", "oversized"],
)
def test_a_garbled_record_is_unreadable_naming_the_parameter_and_the_fix(value: str, problem: str) -> None:
    records = SsmOwnerRecords(RetryPolicy(deadline=1e12), ssm=lambda: OneParameter(value))

    with pytest.raises(UnreadableOwnerRecord, match=problem) as raised:
        records.client_owner(POOL, WEB_CLIENT)
    assert NAME in str(raised.value)
    assert "delete that parameter, or correct it" in str(raised.value)


def test_a_record_this_function_wrote_is_read() -> None:
    value = json.dumps({"StackId": STACK, "LogicalResourceId": "S", "CreatedBrandingId": "b"})
    records = SsmOwnerRecords(RetryPolicy(deadline=1e12), ssm=lambda: OneParameter(value))

    assert records.client_owner(POOL, WEB_CLIENT) == ResourceOwner(STACK, "S", "b")


def request(request_type: str, raw: Any, physical_id: str = "") -> LifecycleRequest:
    return LifecycleRequest(request_type, physical_id, raw, stack_id=STACK, logical_id="AppClientSettings")


def test_settings_create_over_an_unreadable_record_is_refused_before_any_write() -> None:
    cognito = cognito_with({WEB_CLIENT: PLAIN_CLIENT})
    cognito.fail_next("client_owner", UNREADABLE)

    with pytest.raises(UnreadableOwnerRecord):
        client_settings.create(request("Create", client_settings_properties()), cognito.operations)
    assert cognito.write_attempts == []
    assert cognito.client(POOL, WEB_CLIENT) == client(PLAIN_CLIENT)


def test_settings_delete_over_an_unreadable_record_resets_nothing_and_deletes_no_parameter() -> None:
    cognito = cognito_with({WEB_CLIENT: {**PLAIN_CLIENT, **WEB_OAUTH}})
    cognito.fail_next("client_owner", UNREADABLE)

    with pytest.raises(UnreadableOwnerRecord):
        client_settings.delete(request("Delete", client_settings_properties(), WEB_CLIENT), cognito.operations)
    assert cognito.write_attempts == []
    assert [call for call, _ in cognito.calls if call.startswith(("forget", "record"))] == []


def test_domain_delete_over_an_unreadable_record_leaves_the_domain_and_the_parameter() -> None:
    cognito = domain_cognito_with([exists("notes-auth")])
    cognito.fail_next("domain_owner", UnreadableOwnerRecord(f"/x/{POOL}/notes-auth", "not JSON"))

    outcome = domain.delete(LifecycleRequest("Delete", "notes-auth", props("notes-auth")), cognito.operations)

    # Nothing proves the domain is this resource's: neither it nor the parameter is touched.
    assert [call for call, _ in cognito.calls if call in ("forget_domain_owner", "delete_domain")] == []
    assert not outcome.pending
    assert cognito.state() == {"notes-auth": (POOL, "ACTIVE")}
