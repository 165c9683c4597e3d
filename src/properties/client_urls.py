"""Validated properties of ``Custom::CognitoUserPoolClientURLs``: one stack's URLs on a shared app client.

The URL rules are the settings resource's (``properties/app_client.py``). The rules
that depend on what other holders list (Cognito's 100 URLs per list, counted over
the whole union) are checked in the resource module, still before any write
(docs/design/client-urls.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from properties.app_client import client_reference_problems, normalised_redirect_url, url_list_problems
from properties.parsing import PropertyReader, shown

RESOURCE_TYPE = "Custom::CognitoUserPoolClientURLs"

KNOWN_PROPERTIES = frozenset({"UserPoolId", "ClientId", "CallbackURLs", "LogoutURLs"})


@dataclass(frozen=True)
class ClientURLs:
    user_pool_id: str
    client_id: str
    # Normalised (scheme and host in lower case), in the order the template gives them.
    callback_urls: tuple[str, ...]
    logout_urls: tuple[str, ...]


def parse_client_urls(raw: Any) -> ClientURLs:
    """Typed URLs, or ``InvalidPropertiesError`` naming every offending value."""
    reader = PropertyReader(RESOURCE_TYPE, raw)
    reader.reject_unknown(KNOWN_PROPERTIES)
    user_pool_id = reader.string("UserPoolId", required=True)
    client_id = reader.string("ClientId", required=True)
    read = {name: reader.string_list(name) for name in ("CallbackURLs", "LogoutURLs")}

    problems = reader.problems
    problems.extend(client_reference_problems(user_pool_id, client_id))
    normalised: dict[str, tuple[str, ...]] = {}
    for name, urls in read.items():
        problems.extend(url_list_problems(name, urls or ()))
        normalised[name] = tuple(normalised_redirect_url(url) for url in urls or ())
        problems.extend(_same_url_problems(name, urls or (), normalised[name]))
    # Absent and [] are alike; a list the reader refused (a string, say) has its own problem already.
    refused = any(reader.raw.get(name) is not None and urls is None for name, urls in read.items())
    if not refused and not any(normalised.values()):
        problems.append(
            "CallbackURLs and LogoutURLs are both empty; give at least one URL "
            "(for example CallbackURLs: [https://pr-42.preview.example.com/callback])"
        )
    reader.fail_if_problems()
    return ClientURLs(
        user_pool_id=str(user_pool_id),
        client_id=str(client_id),
        callback_urls=normalised["CallbackURLs"],
        logout_urls=normalised["LogoutURLs"],
    )


def _same_url_problems(name: str, given: tuple[str, ...], normalised: tuple[str, ...]) -> list[str]:
    """URLs that differ only in the case of their scheme or host are one URL, listed twice."""
    first_seen: dict[str, str] = {}
    problems = []
    for url, key in zip(given, normalised, strict=True):
        if key in first_seen:
            problems.append(
                f"{name} lists {shown(first_seen[key])} and {shown(url)}, the same URL "
                "(scheme and host are not case-sensitive)"
            )
        else:
            first_seen[key] = url
    return problems
