"""Validated properties of ``Custom::CognitoUserPoolClientSettings``.

The rules are the ones real Cognito applies to an app client's OAuth settings
(API reference, UpdateUserPoolClient; developer guide, "Application-specific
settings with app clients"). Rules that depend on the pool (does the client have
a secret, does a scope or identity provider exist) are checked in the resource
module, still before any write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from properties.app_client import client_reference_problems, url_list_problems
from properties.domain import domain_name_problems
from properties.parsing import PropertyReader, shown

RESOURCE_TYPE = "Custom::CognitoUserPoolClientSettings"

KNOWN_PROPERTIES = frozenset(
    {
        "UserPoolId",
        "ClientId",
        "CallbackURLs",
        "LogoutURLs",
        "DefaultRedirectURI",
        "AllowedOAuthFlows",
        "AllowedOAuthScopes",
        "SupportedIdentityProviders",
        "Domain",
        "ClientRevision",
        "ManagedLoginBranding",
        "ManagedLoginVersion",
    }
)

OAUTH_FLOWS = ("code", "implicit", "client_credentials")
BRANDING_CHOICES = ("auto", "none")
STANDARD_SCOPES = frozenset({"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"})
# UpdateUserPoolClient API reference: AllowedOAuthScopes holds at most 50 scopes.
MAX_SCOPES = 50
# A custom scope is "resource-server-identifier/scope-name". The identifier may be
# a URL ("You can also set an API URL like https://solar-system-data-api.example.com
# as your identifier"; ResourceServerType.Identifier [\x21\x23-\x5B\x5D-\x7E]+, slashes
# allowed), the scope name has no slash (ResourceServerScopeType.ScopeName
# [\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+): the scope name is what follows the last slash.
CUSTOM_SCOPE_PATTERN = re.compile(r"^[\x21\x23-\x5B\x5D-\x7E]+/[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$")
# ProviderNameType: 1 to 32 characters without white space.
IDENTITY_PROVIDER_PATTERN = re.compile(r"^\S{1,32}$")


@dataclass(frozen=True)
class ClientSettings:
    user_pool_id: str
    client_id: str
    callback_urls: tuple[str, ...]
    logout_urls: tuple[str, ...]
    default_redirect_uri: str | None
    allowed_oauth_flows: tuple[str, ...]
    allowed_oauth_scopes: tuple[str, ...]
    supported_identity_providers: tuple[str, ...]
    domain: str | None
    # auto: the client gets a branding style when its domain uses managed login; none: untouched.
    managed_login_branding: str = "auto"
    # The domain's ManagedLoginVersion, when the template passes it (a change re-applies the settings).
    managed_login_version: int | None = None

    @property
    def custom_scopes(self) -> frozenset[str]:
        return frozenset(scope for scope in self.allowed_oauth_scopes if scope not in STANDARD_SCOPES)

    @property
    def external_identity_providers(self) -> frozenset[str]:
        return frozenset(name for name in self.supported_identity_providers if name != "COGNITO")

    @property
    def login_response_type(self) -> str | None:
        """``code`` or ``token`` for the managed login URL; ``None`` when no browser flow is allowed."""
        if "code" in self.allowed_oauth_flows:
            return "code"
        if "implicit" in self.allowed_oauth_flows:
            return "token"
        return None

    @property
    def redirect_uri(self) -> str | None:
        return self.default_redirect_uri or (self.callback_urls[0] if self.callback_urls else None)


def parse_client_settings(raw: Any) -> ClientSettings:
    """Typed settings, or ``InvalidPropertiesError`` naming every offending value."""
    reader = PropertyReader(RESOURCE_TYPE, raw)
    reader.reject_unknown(KNOWN_PROPERTIES)
    user_pool_id = reader.string("UserPoolId", required=True)
    client_id = reader.string("ClientId", required=True)
    given_callback_urls = reader.string_list("CallbackURLs")
    callback_urls = given_callback_urls or ()
    # Given but refused (a repeat, a single string): that problem is reported, not "required".
    callback_urls_refused = given_callback_urls is None and reader.raw.get("CallbackURLs") is not None
    logout_urls = reader.string_list("LogoutURLs") or ()
    default_redirect_uri = reader.string("DefaultRedirectURI", required=False)
    flows = reader.string_list("AllowedOAuthFlows")
    scopes = reader.string_list("AllowedOAuthScopes")
    providers = reader.string_list("SupportedIdentityProviders")
    domain = reader.string("Domain", required=False)
    reader.string("ClientRevision", required=False)  # only its changes matter: they re-apply the settings
    branding = reader.choice("ManagedLoginBranding", BRANDING_CHOICES, default="auto")
    version = reader.choice("ManagedLoginVersion", ("1", "2"), default="")

    problems = reader.problems
    problems.extend(client_reference_problems(user_pool_id, client_id))
    for name, urls in (("CallbackURLs", callback_urls), ("LogoutURLs", logout_urls)):
        problems.extend(url_list_problems(name, urls))
    if default_redirect_uri is not None and default_redirect_uri not in callback_urls:
        problems.append(f"DefaultRedirectURI {shown(default_redirect_uri)} must be one of CallbackURLs")
    problems.extend(_flow_problems(flows, callback_urls, callback_urls_refused))
    problems.extend(_scope_problems(scopes, flows or ()))
    if providers is not None:
        problems.extend(_provider_problems(providers))
    if domain is not None:
        problems.extend(domain_name_problems(domain))
        if flows is not None and not {"code", "implicit"} & set(flows):
            problems.append("Domain is given, but without a code or implicit flow there is no login page to link to")
    reader.fail_if_problems()
    return ClientSettings(
        user_pool_id=str(user_pool_id),
        client_id=str(client_id),
        callback_urls=callback_urls,
        logout_urls=logout_urls,
        default_redirect_uri=default_redirect_uri,
        allowed_oauth_flows=tuple(flows or ()),
        allowed_oauth_scopes=tuple(scopes or ()),
        supported_identity_providers=tuple(providers) if providers is not None else ("COGNITO",),
        domain=domain,
        managed_login_branding=branding,
        managed_login_version=int(version) if version else None,
    )


def _flow_problems(
    flows: tuple[str, ...] | None, callback_urls: tuple[str, ...], callback_urls_refused: bool
) -> list[str]:
    if flows is None:
        return ["AllowedOAuthFlows is required (a list of code, implicit, client_credentials)"]
    problems = [
        f"AllowedOAuthFlows entry {shown(flow)} is not one of {', '.join(OAUTH_FLOWS)}"
        for flow in flows
        if flow not in OAUTH_FLOWS
    ]
    if not flows:
        problems.append("AllowedOAuthFlows must name at least one flow")
    if "client_credentials" in flows and len(set(flows)) > 1:
        problems.append(
            "AllowedOAuthFlows cannot combine client_credentials with code or implicit; use a separate app client"
        )
    if {"code", "implicit"} & set(flows) and not callback_urls and not callback_urls_refused:
        problems.append("CallbackURLs is required for the code and implicit flows")
    return problems


def _scope_problems(scopes: tuple[str, ...] | None, flows: tuple[str, ...]) -> list[str]:
    if scopes is None:
        return ["AllowedOAuthScopes is required (for example [openid, email])"]
    problems = []
    if not scopes:
        problems.append("AllowedOAuthScopes must name at least one scope")
    if len(scopes) > MAX_SCOPES:
        problems.append(f"AllowedOAuthScopes has {len(scopes)} scopes; Cognito allows at most {MAX_SCOPES}")
    for scope in scopes[: MAX_SCOPES + 1]:
        if scope not in STANDARD_SCOPES and not CUSTOM_SCOPE_PATTERN.match(scope):
            problems.append(
                f"AllowedOAuthScopes entry {shown(scope)} is neither a standard scope "
                f"({', '.join(sorted(STANDARD_SCOPES))}) nor resource-server-identifier/scope"
            )
    if "client_credentials" in flows and STANDARD_SCOPES & set(scopes):
        problems.append("the client_credentials flow allows only custom scopes (resource-server-identifier/scope)")
    return problems


def _provider_problems(providers: tuple[str, ...]) -> list[str]:
    return [
        f"SupportedIdentityProviders entry {shown(name)} is not a provider name"
        for name in providers
        if not IDENTITY_PROVIDER_PATTERN.match(name)
    ]
