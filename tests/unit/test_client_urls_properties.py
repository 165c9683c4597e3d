"""The properties of ``Custom::CognitoUserPoolClientURLs``, as CloudFormation sends them.

The URL rules are the settings resource's: one table below runs both parsers on the
same bad URL and expects the same words from each.
"""

from __future__ import annotations

from typing import Any

import pytest

from properties.app_client import normalised_redirect_url
from properties.client_settings import parse_client_settings
from properties.client_urls import ClientURLs, parse_client_urls
from properties.parsing import InvalidPropertiesError

POOL = "us-east-1_NotesPool"
CLIENT = "webclient1234567890abcdefgh"
PREVIEW = "https://pr-42.preview.example.com/callback"


def urls() -> dict[str, Any]:
    return {"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:f", "UserPoolId": POOL, "ClientId": CLIENT}


def props(**overrides: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {**urls(), "CallbackURLs": [PREVIEW]}
    raw.update(overrides)
    return {key: value for key, value in raw.items() if value is not None}


@pytest.mark.parametrize(
    ("overrides", "callback_urls", "logout_urls"),
    [
        pytest.param({}, (PREVIEW,), (), id="callback only, LogoutURLs absent"),
        pytest.param(
            {"CallbackURLs": [], "LogoutURLs": [PREVIEW]}, (), (PREVIEW,), id="logout only, CallbackURLs empty"
        ),
        pytest.param(
            {"CallbackURLs": None, "LogoutURLs": [PREVIEW]}, (), (PREVIEW,), id="logout only, CallbackURLs absent"
        ),
        pytest.param(
            {"CallbackURLs": ["HTTPS://PR-42.Preview.Example.COM/Callback?Next=/Home", "myapp://Callback"]},
            ("https://pr-42.preview.example.com/Callback?Next=/Home", "myapp://Callback"),
            (),
            id="scheme and web host in lower case, path, query and app target as given",
        ),
        pytest.param(
            {"CallbackURLs": ["http://localhost:3000/", "http://127.0.0.1:8080/cb", "com.example.app:/oauth2redirect"]},
            ("http://localhost:3000/", "http://127.0.0.1:8080/cb", "com.example.app:/oauth2redirect"),
            (),
            id="loopback http and an app scheme without host",
        ),
    ],
)
def test_accepted_urls_are_returned_normalised_in_template_order(
    overrides: dict[str, Any], callback_urls: tuple[str, ...], logout_urls: tuple[str, ...]
) -> None:
    assert parse_client_urls(props(**overrides)) == ClientURLs(POOL, CLIENT, callback_urls, logout_urls)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        pytest.param({"UserPoolId": None}, "UserPoolId is required", id="no pool"),
        pytest.param({"ClientId": None}, "ClientId is required", id="no client"),
        pytest.param({"UserPoolId": "notes"}, "UserPoolId 'notes' is not a user pool id", id="not a pool id"),
        pytest.param({"ClientId": "a b"}, "ClientId 'a b' is not an app client id", id="not a client id"),
        pytest.param(
            {"CallbackURLs": [], "LogoutURLs": []}, "CallbackURLs and LogoutURLs are both empty", id="both empty"
        ),
        pytest.param({"CallbackURLs": None}, "CallbackURLs and LogoutURLs are both empty", id="both absent"),
        pytest.param(
            {"CallbackURLs": PREVIEW}, "CallbackURLs must be a list of strings, got the single string", id="a string"
        ),
        pytest.param({"CallbackURLs": [PREVIEW, PREVIEW]}, "more than once", id="the same URL twice"),
        pytest.param(
            {"CallbackURLs": [PREVIEW, PREVIEW.replace("preview", "PREVIEW")]},
            "the same URL (scheme and host are not case-sensitive)",
            id="the same URL twice, once in upper case",
        ),
        pytest.param({"LogoutURLs": ["https://app.example.com/#top"]}, "must not contain a fragment", id="fragment"),
        pytest.param(
            {"CallbackURLs": ["http://app.example.com/"]}, "must use https:// (plain http:// is allowed only", id="http"
        ),
        pytest.param({"CallbackURLs": ["javascript:alert(1)"]}, "uses the javascript: scheme", id="javascript"),
        pytest.param(
            {"CallbackURLs": [f"https://pr-{n}.example.com/" for n in range(101)]},
            "CallbackURLs has 101 URLs; Cognito allows at most 100",
            id="101 URLs in one list",
        ),
        pytest.param({"CallbackURLs": ["https://app.example.com/" + "a" * 1024]}, "is longer than 1024", id="too long"),
        pytest.param({"Scopes": ["openid"]}, "unknown property 'Scopes'", id="a settings property"),
    ],
)
def test_each_refusal_names_the_property(overrides: dict[str, Any], reason: str) -> None:
    with pytest.raises(InvalidPropertiesError, match="Invalid properties for Custom::CognitoUserPoolClientURLs") as e:
        parse_client_urls(props(**overrides))
    assert reason in str(e.value)


def test_every_problem_is_reported_at_once() -> None:
    raw = props(UserPoolId="notes", CallbackURLs=["http://app.example.com/"], LogoutURLs=["https://a.example.com/#x"])
    with pytest.raises(InvalidPropertiesError) as e:
        parse_client_urls(raw)
    message = str(e.value)
    assert "UserPoolId 'notes'" in message
    assert "CallbackURLs entry 'http://app.example.com/' must use https://" in message
    assert "LogoutURLs entry 'https://a.example.com/#x' must not contain a fragment" in message
    assert "both empty" not in message


def test_a_list_refused_for_its_form_is_not_also_called_empty() -> None:
    with pytest.raises(InvalidPropertiesError) as e:
        parse_client_urls(props(CallbackURLs=PREVIEW))
    assert "both empty" not in str(e.value)


@pytest.mark.parametrize(
    "bad_url",
    [
        "https://app.example.com/#top",
        "http://app.example.com/",
        "ftp://files.example.com/",
        "/callback",
        "https:///callback",
        "https://app.example.com/a b",
    ],
)
def test_both_resources_refuse_a_bad_url_in_the_same_words(bad_url: str) -> None:
    settings = {**urls(), "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"], "CallbackURLs": [bad_url]}
    with pytest.raises(InvalidPropertiesError) as from_settings:
        parse_client_settings(settings)
    with pytest.raises(InvalidPropertiesError) as from_urls:
        parse_client_urls(props(CallbackURLs=[bad_url]))
    settings_reason = str(from_settings.value).split(": ", 1)[1]
    assert settings_reason == str(from_urls.value).split(": ", 1)[1]


def test_the_settings_resource_keeps_its_urls_exactly_as_given() -> None:
    """Normalising is the contribution's: the settings resource writes what the template says, as before."""
    settings = {
        **urls(),
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid"],
        "CallbackURLs": ["HTTPS://App.Example.com/cb"],
    }
    assert parse_client_settings(settings).callback_urls == ("HTTPS://App.Example.com/cb",)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://App.Example.COM", "https://app.example.com"),
        ("https://App.Example.com?Q=1", "https://app.example.com?Q=1"),
        ("https://app.example.com/?", "https://app.example.com/?"),
        ("https://User@App.Example.com:8443/P", "https://User@app.example.com:8443/P"),
        ("https://[::1]:3000/", "https://[::1]:3000/"),
        ("MyApp://Callback/Path", "myapp://Callback/Path"),
        ("Com.Example.App:/OAuth", "com.example.app:/OAuth"),
    ],
)
def test_normalising_lowers_only_the_scheme_and_a_web_host(url: str, expected: str) -> None:
    assert normalised_redirect_url(url) == expected
