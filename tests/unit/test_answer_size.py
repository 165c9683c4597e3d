"""The size of an answer, known before any write: settings whose answer would not fit are refused first."""

from __future__ import annotations

import pytest

from cfn.delivery import MAX_RESPONSE_BYTES, encode
from resources import client_settings
from resources.lifecycle import MAX_ANSWER_BYTES, LifecycleRequest, Outcome, ResourceFailure, answer_bytes
from tests.unit.test_client_settings_decisions import PLAIN_CLIENT, WEB_CLIENT, cognito_with, settings

STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/notes/5b0d2ec0-8a4e-11ef-a1b2-0a1b2c3d4e5f"


def long_url(length: int = 1000) -> str:
    return ("https://notes.example.com/" + "a/" * length)[:length]


def request(request_type: str, raw: dict[str, object], physical_id: str = "") -> LifecycleRequest:
    return LifecycleRequest(
        request_type, physical_id, raw, stack_id=STACK, logical_id="AppClientSettings", request_id="r-1"
    )


def test_the_answer_size_is_the_body_the_responder_sends() -> None:
    req = request("Create", {})
    outcome = Outcome(physical_id=WEB_CLIENT, data={"ClientId": WEB_CLIENT, "HostedUIUrl": "https://x/?a=%2F"})
    body = {
        "Status": "SUCCESS",
        "PhysicalResourceId": WEB_CLIENT,
        "StackId": STACK,
        "RequestId": "r-1",
        "LogicalResourceId": "AppClientSettings",
        "Reason": "",
        "Data": outcome.data,
        "NoEcho": False,
    }

    assert answer_bytes(req, outcome) == len(encode(body))
    assert MAX_ANSWER_BYTES == MAX_RESPONSE_BYTES


@pytest.mark.parametrize("request_type", ["Create", "Update"])
def test_settings_whose_answer_would_not_fit_are_refused_before_any_call_that_writes(request_type: str) -> None:
    cognito = cognito_with({WEB_CLIENT: PLAIN_CLIENT})
    raw = settings(CallbackURLs=[long_url()], LogoutURLs=[long_url()], Domain="notes-auth")
    start = client_settings.create if request_type == "Create" else client_settings.update

    with pytest.raises(ResourceFailure, match="over CloudFormation's 4096; nothing was written"):
        start(request(request_type, raw, WEB_CLIENT if request_type == "Update" else ""), cognito.operations)
    assert cognito.calls == []


def test_the_same_urls_without_a_domain_answer_no_url_and_fit() -> None:
    cognito = cognito_with({WEB_CLIENT: PLAIN_CLIENT})
    raw = settings(CallbackURLs=[long_url()], LogoutURLs=[long_url()], Domain=None)

    outcome = client_settings.create(request("Create", raw), cognito.operations)

    assert "HostedUIUrl" not in outcome.data
    assert cognito.client("us-east-1_NotesPool", WEB_CLIENT)["CallbackURLs"] == [long_url()]
