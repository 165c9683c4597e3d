"""Rules shared by the resources that write an app client: its id, and its redirect URLs.

``Custom::CognitoUserPoolClientSettings`` and ``Custom::CognitoUserPoolClientURLs``
apply the same rules to CallbackURLs and LogoutURLs, so they live here, once.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from properties.domain import USER_POOL_ID_PATTERN
from properties.parsing import shown

# UpdateUserPoolClient API reference: CallbackURLs and LogoutURLs hold at most 100
# URLs of at most 1024 characters.
MAX_URLS = 100
MAX_URL_LENGTH = 1024
# RFC 3986 scheme: a letter, then letters, digits, "+", "-" or ".".
APP_SCHEME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*$")
NOT_APP_SCHEMES = frozenset({"file", "ftp", "data", "javascript", "vbscript"})
CLIENT_ID_PATTERN = re.compile(r"^[\w+]{1,128}$")


def client_reference_problems(user_pool_id: str | None, client_id: str | None) -> list[str]:
    """Problems with UserPoolId and ClientId as read (``None``: missing, already reported)."""
    problems = []
    if user_pool_id is not None and not USER_POOL_ID_PATTERN.match(user_pool_id):
        problems.append(f"UserPoolId {shown(user_pool_id)} is not a user pool id (expected the form us-east-1_AbC123)")
    if client_id is not None and not CLIENT_ID_PATTERN.match(client_id):
        problems.append(f"ClientId {shown(client_id)} is not an app client id")
    return problems


def url_list_problems(name: str, urls: tuple[str, ...]) -> list[str]:
    """One problem per offending URL of the list ``name``, and one if it holds more than Cognito allows."""
    problems = []
    if len(urls) > MAX_URLS:
        problems.append(f"{name} has {len(urls)} URLs; Cognito allows at most {MAX_URLS}")
    for url in urls[: MAX_URLS + 1]:
        problem = redirect_url_problem(url)
        if problem:
            problems.append(f"{name} entry {shown(url)} {problem}")
    return problems


def redirect_url_problem(url: str) -> str | None:
    """Cognito's rules for callback and sign-out URLs (API reference, UpdateUserPoolClient, CallbackURLs).

    "Be an absolute URI ... Not include a fragment component ... Amazon Cognito
    requires HTTPS over HTTP except for http://localhost for testing purposes only.
    App callback URLs such as myapp://example are also supported." So: HTTPS with a
    host; plain HTTP only for localhost and the loopback addresses; and an app's own
    scheme (``myapp://callback``, ``com.example.app:/oauth2redirect``), which needs no
    host. Schemes that name no app (file, ftp, data, javascript, vbscript) are refused:
    whether Cognito refuses them too is not documented.
    """
    if len(url) > MAX_URL_LENGTH:
        return f"is longer than {MAX_URL_LENGTH} characters"
    if any(character.isspace() for character in url):
        return "contains white space"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "is not a valid URL"
    if "#" in url:
        return "must not contain a fragment (#)"
    scheme = parts.scheme.lower()
    if not APP_SCHEME_PATTERN.match(parts.scheme):
        return "must be an absolute URL such as https://app.example.com/callback or myapp://callback"
    if scheme in ("https", "http") and not host:
        return "must be an absolute URL such as https://app.example.com/callback"
    if scheme == "https" or (scheme == "http" and _is_loopback_host(host)):
        return None
    if scheme == "http":
        return "must use https:// (plain http:// is allowed only for localhost, 127.0.0.1 and [::1])"
    if scheme in NOT_APP_SCHEMES:
        return f"uses the {scheme}: scheme; use https://, or your app's own scheme such as myapp://callback"
    if not (parts.netloc or parts.path):
        return "names no target after its scheme (for example myapp://callback)"
    return None


def _is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalised_redirect_url(url: str) -> str:
    """``url`` with its scheme, and an http(s) URL's host, in lower case; every other character as given.

    RFC 3986, 6.2.2.1: "the scheme and host are case-insensitive and therefore should
    be normalized to lowercase". Only those: a path and a query are case-sensitive,
    what follows an app's own scheme (``myapp://Callback``) is the app's to match,
    and the URL is otherwise kept byte for byte (``urlunsplit`` would drop an empty
    query's "?"). Call it on a URL that ``redirect_url_problem`` accepts.
    """
    scheme, colon, rest = url.partition(":")
    scheme = scheme.lower()
    if scheme not in ("http", "https") or not rest.startswith("//"):
        return scheme + colon + rest
    authority_end = next((at for at, character in enumerate(rest[2:], 2) if character in "/?"), len(rest))
    userinfo, at_sign, host_and_port = rest[2:authority_end].rpartition("@")
    return f"{scheme}://{userinfo}{at_sign}{host_and_port.lower()}{rest[authority_end:]}"
