"""URLs of a user pool domain's hosted UI / managed login, its OAuth and federation endpoints.

Pure functions of the domain, the user pool id and the region: nothing here calls
AWS. Where each URL lives (the domain, or the Cognito endpoint of the pool), and the
FIPS prefix domains of GovCloud, with sources: docs/design/resources.md, "Hosted UI URLs".
"""

from __future__ import annotations

from urllib.parse import quote

from aws.partitions import Partition, region_partition

# The partitions whose prefix-domain parent is documented (see the module docstring).
# aws-cn and the isolated partitions: not confirmed by a public source; their prefix
# domains are assumed to follow the commercial form ``auth.<region>.amazoncognito.com``.
_PREFIX_DOMAIN_PARENT = {"aws-us-gov": "auth-fips"}

__all__ = ["Partition", "region_partition"]


def is_custom_domain(domain: str) -> bool:
    """A prefix is one DNS label; a custom domain is fully qualified."""
    return "." in domain


def domain_host(domain: str, region: str) -> str:
    """``<prefix>.auth.<region>.amazoncognito.com`` (``auth-fips`` in GovCloud) for a prefix, else the custom domain.

    A prefix domain lives in the user pool's own region.
    """
    if is_custom_domain(domain):
        return domain
    parent = _PREFIX_DOMAIN_PARENT.get(region_partition(region).name, "auth")
    return f"{domain}.{parent}.{region}.amazoncognito.com"


def domain_base_url(domain: str, region: str) -> str:
    """``https://<prefix>.auth.<region>.amazoncognito.com`` for a prefix, ``https://<domain>`` for a custom domain."""
    return f"https://{domain_host(domain, region)}"


def issuer_url(user_pool_id: str, region: str) -> str:
    """The OIDC issuer (the ``iss`` of the pool's tokens): ``https://cognito-idp.<region>.<dns suffix>/<pool id>``.

    This is the ``ORIGINAL`` issuer (API reference, IssuerConfigurationType); a pool
    switched to the ``UPDATED`` issuer uses ``https://issuer-cognito-idp.<region>.amazonaws.com/<pool id>``
    instead, which this function does not know about. The host in aws-cn
    (``amazonaws.com.cn``) and in GovCloud (``cognito-idp.``, not ``cognito-idp-fips.``)
    follows the partition's DNS suffix: not confirmed by a public source.
    """
    return f"https://cognito-idp.{region}.{region_partition(region).dns_suffix}/{user_pool_id}"


ENDPOINT_URL_NAMES = frozenset({"BaseUrl", "AuthorizeUrl", "TokenUrl", "UserInfoUrl", "RevokeUrl", "LogoutUrl"})
FEDERATION_URL_NAMES = frozenset(
    {"Issuer", "DiscoveryUrl", "JwksUrl", "IdpRedirectUri", "SamlEntityId", "SamlAcsUrl", "PasskeyRelyingPartyId"}
)


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


def federation_urls(domain: str, user_pool_id: str, region: str) -> dict[str, str]:
    """What an integrator copies into an IdP, an API's token check or a passkey setup.

    - ``IdpRedirectUri``: the callback URL to register with Google, Facebook, Apple
      and OIDC IdPs; ``SamlEntityId`` / ``SamlAcsUrl``: the service provider's
      entity ID ("Integrating third-party SAML identity providers with Amazon Cognito
      user pools": ``urn:amazon:cognito:sp:<yourUserPoolID>``) and assertion consumer
      service URL ("The IdP SAML assertion endpoint").
    - ``PasskeyRelyingPartyId``: the domain host. The API reference says the RP ID is
      "typically your user pool domain", must be the custom domain whenever the pool
      has one and authenticates through managed login or the hosted UI
      (WebAuthnConfigurationType.RelyingPartyId), and "When you create a custom
      domain, the passkey RP ID defaults to the custom domain"
      (UpdateUserPoolDomain, CustomDomainConfig). That a prefix domain's default RP ID
      is its full host name is not stated in those words: not confirmed.
    """
    issuer = issuer_url(user_pool_id, region)
    host = domain_host(domain, region)
    return {
        "Issuer": issuer,
        "DiscoveryUrl": f"{issuer}/.well-known/openid-configuration",
        "JwksUrl": f"{issuer}/.well-known/jwks.json",
        "IdpRedirectUri": f"https://{host}/oauth2/idpresponse",
        "SamlEntityId": f"urn:amazon:cognito:sp:{user_pool_id}",
        "SamlAcsUrl": f"https://{host}/saml2/idpresponse",
        "PasskeyRelyingPartyId": host,
    }


def _query(pairs: tuple[tuple[str, str], ...]) -> str:
    return "&".join(f"{name}={quote(value, safe='')}" for name, value in pairs)


def login_url(base_url: str, client_id: str, response_type: str, scopes: tuple[str, ...], redirect_uri: str) -> str:
    """The managed login page for one app client, every query value URL-encoded."""
    query = _query(
        (
            ("client_id", client_id),
            ("response_type", response_type),
            ("scope", " ".join(scopes)),
            ("redirect_uri", redirect_uri),
        )
    )
    return f"{base_url}/login?{query}"


def client_logout_url(base_url: str, client_id: str, logout_uri: str) -> str:
    """The logout endpoint for one app client, sending the user to ``logout_uri`` afterwards.

    Developer guide, "Logout endpoint": ``GET /logout?client_id=…&logout_uri=…``, where
    ``logout_uri`` must be one of the client's sign-out URLs (``LogoutURLs``); both
    values URL-encoded.
    """
    return f"{base_url}/logout?{_query((('client_id', client_id), ('logout_uri', logout_uri)))}"
