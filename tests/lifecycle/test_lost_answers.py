"""Answers lost on the wire (the double's ``drop_connection``): reads are asked again, writes are read back.

botocore reports a connection closed before the answer as ``ConnectionClosedError``
(an ``HTTPClientError``); the call may or may not have acted. A read is simply
repeated; a write is never replayed blindly: the client settings write reads the
client again and recomputes, a branding style is looked for before another is made,
and an owner record written without overwrite meets its own record.
"""

from __future__ import annotations

from typing import Any

import pytest

from cognito_double.faithful_cognito import FaithfulCognito
from tests.support.harness import CloudFormation, UserPool
from tests.support.harness import code_flow_settings as settings

SETTINGS = "Custom::CognitoUserPoolClientSettings"
DOMAIN = "Custom::CognitoUserPoolDomain"


@pytest.mark.parametrize(
    ("operation", "when"),
    [
        ("DescribeUserPoolClient", "before"),
        ("DescribeUserPoolClient", "after"),
        ("GetParameter", "after"),
        ("PutParameter", "before"),
        ("PutParameter", "after"),
        ("UpdateUserPoolClient", "before"),
        ("UpdateUserPoolClient", "after"),
    ],
)
def test_settings_create_survives_a_dropped_connection(
    cfn: CloudFormation, pool: UserPool, cognito: Any, faithful: FaithfulCognito, operation: str, when: str
) -> None:
    faithful.drop_connection(operation, when=when)  # type: ignore[arg-type]

    answer = cfn.send(cfn.events.create(SETTINGS, "AppClientSettings", settings(pool)))

    assert answer["Status"] == "SUCCESS", answer.get("Reason")
    client = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id)["UserPoolClient"]
    assert client["CallbackURLs"] == ["https://app.example.com/"]
    assert faithful.transport.drops[operation][1] == 0, "the connection was dropped"


def test_a_write_whose_answer_was_lost_is_read_back_not_replayed(
    cfn: CloudFormation, pool: UserPool, faithful: FaithfulCognito
) -> None:
    faithful.drop_connection("UpdateUserPoolClient", when="after")

    answer = cfn.send(cfn.events.create(SETTINGS, "AppClientSettings", settings(pool)))

    assert answer["Status"] == "SUCCESS", answer.get("Reason")
    # The retry read the client again, found it as wanted, and wrote nothing more.
    assert faithful.calls.count("UpdateUserPoolClient") == 1


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_branding_style_whose_answer_was_lost_is_looked_for_before_another_is_made(
    cfn: CloudFormation, pool: UserPool, cognito: Any, faithful: FaithfulCognito, when: str
) -> None:
    domain = {"UserPoolId": pool.id, "Domain": "notes-managed", "ManagedLoginVersion": "2"}
    assert cfn.send(cfn.events.create(DOMAIN, "D", domain))["Status"] == "SUCCESS"
    faithful.drop_connection("CreateManagedLoginBranding", when=when)  # type: ignore[arg-type]

    answer = cfn.send(cfn.events.create(SETTINGS, "S", settings(pool, Domain="notes-managed", ManagedLoginVersion="2")))

    assert answer["Status"] == "SUCCESS", answer.get("Reason")
    style = cognito.describe_managed_login_branding_by_client(UserPoolId=pool.id, ClientId=pool.client_id)
    assert style["ManagedLoginBranding"]["ManagedLoginBrandingId"]
    # Reached Cognito once: dropped "before", the first never arrived; "after", it was found, not made again.
    assert faithful.calls.count("CreateManagedLoginBranding") == 1
