"""Arbitrary property maps at both resource types: always one well-formed answer, never a stray write."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resources.registry import REGISTRY, RESOURCE_TYPES
from tests.support.harness import CloudFormation, UserPool

# Every real property name of both types, so examples often get past the unknown-name check.
PROPERTY_NAMES = sorted(frozenset().union(*(resource_type.properties for resource_type in REGISTRY)))
plausible_strings = st.sampled_from(
    [
        "notes-fuzz",
        "auth.example.com",
        "code",
        "openid",
        "https://app.example.com/",
        "http://localhost:3000/",
        "2",
        "COGNITO",
    ]
)
junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=3000) | plausible_strings,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
property_maps = st.dictionaries(st.sampled_from(PROPERTY_NAMES) | st.text(max_size=40), junk, max_size=8)
hostile_properties = property_maps | junk


def assert_well_formed(answer: dict[str, Any], request_id: str) -> None:
    assert answer["Status"] in {"SUCCESS", "FAILED"}
    assert answer["RequestId"] == request_id
    assert isinstance(answer["PhysicalResourceId"], str)
    assert answer["PhysicalResourceId"]
    assert len(json.dumps(answer).encode()) <= 4096
    if answer["Status"] == "FAILED":
        assert answer["Reason"]
        assert "Traceback" not in answer["Reason"]


@pytest.mark.slow
@pytest.mark.parametrize("resource_type", sorted(RESOURCE_TYPES))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(raw=hostile_properties, with_pool=st.booleans(), with_client=st.booleans())
def test_any_create_gets_one_well_formed_answer_and_bad_input_never_writes(
    cfn: CloudFormation, pool: UserPool, faithful: Any, resource_type: str, raw: Any, with_pool: bool, with_client: bool
) -> None:
    if isinstance(raw, dict):
        raw = {
            **raw,
            **({"UserPoolId": pool.id} if with_pool else {}),
            **({"ClientId": pool.client_id} if with_client else {}),
        }
    faithful.calls.clear()
    event = cfn.events.create(resource_type, "Fuzzed", raw)

    answer = cfn.send(event)

    assert_well_formed(answer, event["RequestId"])
    if answer["Reason"].startswith("Invalid properties"):
        assert faithful.calls == [], "invalid input reached Cognito"
    if answer["Status"] == "SUCCESS":
        cleanup = cfn.send(cfn.events.delete(resource_type, "Fuzzed", answer["PhysicalResourceId"], raw))
        assert cleanup["Status"] == "SUCCESS"


@pytest.mark.slow
@pytest.mark.parametrize("resource_type", sorted(RESOURCE_TYPES))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(raw=hostile_properties, old=hostile_properties)
def test_any_update_or_delete_gets_one_well_formed_answer(
    cfn: CloudFormation, pool: UserPool, faithful: Any, resource_type: str, raw: Any, old: Any
) -> None:
    update = cfn.events.update(resource_type, "Fuzzed", "notes-existing", raw, old)
    delete = cfn.events.delete(resource_type, "Fuzzed", "notes-existing", raw)

    assert_well_formed(cfn.send(update), update["RequestId"])
    assert_well_formed(cfn.send(delete), delete["RequestId"])


@pytest.mark.parametrize(
    "event_change",
    [
        {"ResourceType": "Custom::Unknown"},
        {"ResourceType": ["not", "a", "string"]},
        {"RequestType": "Explode"},
        {"ResourceProperties": "not an object"},
    ],
)
def test_malformed_events_are_answered_failed(
    cfn: CloudFormation, pool: UserPool, event_change: dict[str, Any]
) -> None:
    event = {**cfn.events.create("Custom::CognitoUserPoolDomain", "D", {"UserPoolId": pool.id}), **event_change}

    answers = cfn.invoke(event)

    assert len(answers) == 1
    assert answers[0]["Status"] == "FAILED"


def test_unknown_resource_type_names_the_supported_ones(cfn: CloudFormation, pool: UserPool) -> None:
    answer = cfn.send(cfn.events.create("Custom::CognitoUserPool", "D", {"UserPoolId": pool.id}))

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("Unsupported resource type 'Custom::CognitoUserPool'")
    assert "Custom::CognitoUserPoolDomain" in answer["Reason"]


def test_unknown_request_type_is_answered_failed_with_a_clear_reason(cfn: CloudFormation, pool: UserPool) -> None:
    event = {
        **cfn.events.create("Custom::CognitoUserPoolDomain", "D", {"UserPoolId": pool.id}),
        "RequestType": "Replace",
    }

    (answer,) = cfn.invoke(event)

    assert answer["Status"] == "FAILED"
    assert answer["Reason"] == "Unsupported RequestType 'Replace': expected Create, Update or Delete"


def test_request_not_from_cloudformation_is_refused_without_sending_anything(
    cfn: CloudFormation,
    pool: UserPool,
    faithful: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The response server is on loopback; without a local AWS_ENDPOINT_URL that is not
    # CloudFormation's S3, so the request must be refused.
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    event = cfn.events.create("Custom::CognitoUserPoolDomain", "D", {"UserPoolId": pool.id, "Domain": "notes-forged"})

    answers = cfn.invoke(event)

    assert answers == []
    assert faithful.calls == []
    refusal = [r.getMessage() for r in caplog.records if "Refusing a request" in r.getMessage()]
    assert len(refusal) == 1
    assert "ResponseURL is on loopback" in refusal[0]
    assert "secret-signature" not in refusal[0]
