"""``CallbackURLs`` problems are reported once, as what they are (issue 21, item 2)."""

from __future__ import annotations

from typing import Any

import pytest

from properties.client_settings import parse_client_settings
from properties.parsing import InvalidPropertiesError

REQUIRED_MESSAGE = "CallbackURLs is required for the code and implicit flows"


def properties(**overrides: Any) -> dict[str, Any]:
    return {
        "UserPoolId": "us-east-1_AbC123",
        "ClientId": "abc123",
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid"],
        "CallbackURLs": ["http://localhost:3000/"],
        **overrides,
    }


@pytest.mark.parametrize(
    ("callback_urls", "reported"),
    [
        (
            ["http://localhost:5173/", "http://localhost:5173/"],
            "CallbackURLs lists 'http://localhost:5173/' more than once",
        ),
        ("http://localhost:5173/", "CallbackURLs must be a list of strings, got the single string"),
    ],
)
def test_a_refused_callback_list_is_reported_without_calling_it_missing(callback_urls: Any, reported: str) -> None:
    with pytest.raises(InvalidPropertiesError) as refused:
        parse_client_settings(properties(CallbackURLs=callback_urls))

    assert reported in str(refused.value)
    assert REQUIRED_MESSAGE not in str(refused.value)


@pytest.mark.parametrize("callback_urls", [[], None])
def test_an_empty_or_absent_callback_list_is_required_for_browser_flows(callback_urls: Any) -> None:
    raw = {key: value for key, value in properties(CallbackURLs=callback_urls).items() if value is not None}

    with pytest.raises(InvalidPropertiesError, match=REQUIRED_MESSAGE):
        parse_client_settings(raw)
