"""URLs of a user pool domain's hosted UI / managed login and OAuth endpoints."""

from __future__ import annotations

from urllib.parse import quote


def domain_base_url(domain: str, region: str) -> str:
    """``https://<prefix>.auth.<region>.amazoncognito.com`` for a prefix, ``https://<domain>`` for a custom domain."""
    if "." in domain:
        return f"https://{domain}"
    return f"https://{domain}.auth.{region}.amazoncognito.com"


def endpoint_urls(base_url: str) -> dict[str, str]:
    """The user pool endpoints (Cognito developer guide, "User pool endpoints reference")."""
    return {
        "BaseUrl": base_url,
        "AuthorizeUrl": f"{base_url}/oauth2/authorize",
        "TokenUrl": f"{base_url}/oauth2/token",
        "UserInfoUrl": f"{base_url}/oauth2/userInfo",
        "RevokeUrl": f"{base_url}/oauth2/revoke",
        "LogoutUrl": f"{base_url}/logout",
    }


def login_url(base_url: str, client_id: str, response_type: str, scopes: tuple[str, ...], redirect_uri: str) -> str:
    """The managed login page for one app client, every query value URL-encoded."""
    query = "&".join(
        f"{name}={quote(value, safe='')}"
        for name, value in (
            ("client_id", client_id),
            ("response_type", response_type),
            ("scope", " ".join(scopes)),
            ("redirect_uri", redirect_uri),
        )
    )
    return f"{base_url}/login?{query}"
