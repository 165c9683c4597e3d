"""What a warm Lambda remembers (nothing) and what its logs show (no secrets)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from tests.support.harness import CloudFormation, UserPool, make_user_pool

DOMAIN = "Custom::CognitoUserPoolDomain"
SETTINGS = "Custom::CognitoUserPoolClientSettings"


def test_warm_lambda_carries_nothing_from_one_event_into_the_next(
    cfn: CloudFormation, pool: UserPool, faithful: Any
) -> None:
    first = cfn.send(cfn.events.create(DOMAIN, "First", {"UserPoolId": pool.id, "Domain": "notes-warm"}))
    second = cfn.send(cfn.events.create(DOMAIN, "Second", {"UserPoolId": pool.id, "Domain": "Bad!"}))
    third = cfn.send(
        cfn.events.create(
            SETTINGS,
            "Third",
            {
                "UserPoolId": pool.id,
                "ClientId": pool.client_id,
                "AllowedOAuthFlows": ["code"],
                "AllowedOAuthScopes": ["openid"],
                "CallbackURLs": ["https://app.example.com/"],
            },
        )
    )

    assert first["Status"] == "SUCCESS"
    assert first["Data"]["Domain"] == "notes-warm"
    assert (second["Status"], second["Data"], second["LogicalResourceId"]) == ("FAILED", {}, "Second")
    assert second["PhysicalResourceId"].startswith("create-failed:Second:")
    assert third["Status"] == "SUCCESS"
    assert set(third["Data"]) == {"ClientId", "UserPoolId", "ManagedLoginBrandingId"}
    assert third["PhysicalResourceId"] == pool.client_id


def test_logs_never_show_the_response_url_signature_or_a_client_secret(
    cfn: CloudFormation, cognito: Any, faithful: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    machine = make_user_pool(cognito, "machine", generate_secret=True)
    cognito.create_resource_server(
        UserPoolId=machine.id, Identifier="api", Name="api", Scopes=[{"ScopeName": "w", "ScopeDescription": "w"}]
    )
    secret = cognito.describe_user_pool_client(UserPoolId=machine.id, ClientId=machine.client_id)["UserPoolClient"][
        "ClientSecret"
    ]
    caplog.set_level(logging.DEBUG)

    answer = cfn.send(
        cfn.events.create(
            SETTINGS,
            "Machine",
            {
                "UserPoolId": machine.id,
                "ClientId": machine.client_id,
                "AllowedOAuthFlows": ["client_credentials"],
                "AllowedOAuthScopes": ["api/w"],
            },
        )
    )

    assert answer["Status"] == "SUCCESS"
    text = "\n".join(handler.format(record) for record in caplog.records for handler in [logging.Formatter()])
    assert "Answering CloudFormation" in text, "the test must see the handler's own logs"
    assert "secret-signature" not in text
    assert secret not in text
    assert secret not in json.dumps(answer)


def test_logs_are_structured_json_at_info_by_default(
    cfn: CloudFormation, pool: UserPool, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    stream = logging.StreamHandler()
    logging.root.addHandler(stream)
    try:
        cfn.send(cfn.events.create(DOMAIN, "D", {"UserPoolId": pool.id, "Domain": "notes-logs"}))
    finally:
        logging.root.removeHandler(stream)

    lines = [line for line in capsys.readouterr().err.splitlines() if '"location": "cfn.responder' in line]
    assert lines, "the handler logged nothing through the root handler"
    record = json.loads(lines[0])
    assert record["level"] == "INFO"
    assert record["LogicalResourceId"] == "D"
    assert logging.root.level == logging.INFO


def test_warm_lambda_logs_each_request_with_its_own_ids(
    cfn: CloudFormation, pool: UserPool, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = logging.StreamHandler()
    logging.root.addHandler(stream)
    try:
        cfn.send(cfn.events.create(DOMAIN, "First", {"UserPoolId": pool.id, "Domain": "notes-first"}))
        capsys.readouterr()
        second = cfn.events.delete(
            DOMAIN, "Second%s%d", "notes-first", {"UserPoolId": pool.id, "Domain": "notes-first"}
        )
        answer = cfn.send(second)
    finally:
        logging.root.removeHandler(stream)

    err = capsys.readouterr().err
    assert "Logging error" not in err
    records = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert answer["Status"] == "SUCCESS"
    assert records, "the second request logged nothing through the root handler"
    assert {(r.get("RequestId"), r.get("LogicalResourceId")) for r in records} == {(second["RequestId"], "Second%s%d")}
