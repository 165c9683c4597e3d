"""The three ``Custom::`` types as CloudFormation registry schemas, so cfn-lint catches typos before a deploy.

``python scripts/resource_schemas.py`` (``make schemas``) writes ``schemas/<Type>.json``
from ``TYPES`` below; ``--check`` fails when a written file differs (the tests run it).
``.cfnlintrc`` points cfn-lint's ``registry_schemas`` at ``schemas/``: cfn-lint then
validates a ``Custom::...`` resource of these types against its schema instead of
treating it as an untyped custom resource (cfnlint/schema/manager.py,
``get_resource_schema``: a registry schema wins over the ``Custom::`` fallback).

``TYPES`` is the one place a type's properties are described for tools. The allowed
values come from the property parsers in ``src/properties/``, and the tests check
that every type's property and attribute names are those of its record in
``src/resources/registry.py``, and its attributes are what the function returns. To add a type or a property, add it
here (a ``Prop`` of one of the kinds below) and run ``make schemas``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from properties import client_settings, domain  # noqa: E402

SCHEMAS = ROOT / "cfn-lint" / "schemas"

Kind = Literal["string", "string_list", "choice", "choice_list", "boolean", "object_or_json", "object_list"]


@dataclass(frozen=True)
class Prop:
    """One property, as a template may write it (CloudFormation sends every scalar as a string)."""

    kind: Kind
    description: str
    required: bool = False
    values: tuple[str, ...] = ()  # for choice and choice_list


@dataclass(frozen=True)
class ResourceType:
    description: str
    properties: dict[str, Prop]
    attributes: dict[str, str] = field(default_factory=dict)  # Fn::GetAtt name -> description


_FLOWS = client_settings.OAUTH_FLOWS
_VERSIONS = domain.MANAGED_LOGIN_VERSIONS

TYPES: dict[str, ResourceType] = {
    "Custom::CognitoUserPoolDomain": ResourceType(
        "A Cognito user pool domain: a prefix (<prefix>.auth.<region>.amazoncognito.com) or a custom domain.",
        {
            "UserPoolId": Prop("string", "The user pool the domain belongs to.", required=True),
            "Domain": Prop("string", "A prefix, or a fully qualified custom domain name.", required=True),
            "CertificateArn": Prop("string", "ACM certificate in us-east-1, for a custom domain."),
            "ManagedLoginVersion": Prop("choice", "1: classic hosted UI; 2: managed login.", values=_VERSIONS),
        },
        {
            "Domain": "The domain (prefix or custom name).",
            "UserPoolId": "The user pool.",
            "DomainType": "prefix or custom.",
            "CloudFrontDistribution": "The CloudFront distribution behind the domain.",
            "ManagedLoginVersion": "The domain's managed login version.",
            "BaseUrl": "https://<domain host>.",
            "AuthorizeUrl": "The authorize endpoint.",
            "TokenUrl": "The token endpoint.",
            "UserInfoUrl": "The userInfo endpoint.",
            "RevokeUrl": "The revoke endpoint.",
            "LogoutUrl": "The logout endpoint.",
            "Issuer": "The OIDC issuer of the pool's tokens.",
            "DiscoveryUrl": "The OIDC discovery document.",
            "JwksUrl": "The pool's signing keys.",
            "IdpRedirectUri": "The redirect URI to register with an OIDC or social identity provider.",
            "SamlEntityId": "The SAML service provider entity ID.",
            "SamlAcsUrl": "The SAML assertion consumer service URL.",
            "PasskeyRelyingPartyId": "The passkey relying party ID (the domain host).",
        },
    ),
    "Custom::CognitoUserPoolClientSettings": ResourceType(
        "The OAuth settings of an existing app client.",
        {
            "UserPoolId": Prop("string", "The user pool of the app client.", required=True),
            "ClientId": Prop("string", "The app client.", required=True),
            "CallbackURLs": Prop("string_list", "Allowed redirect URLs after sign-in."),
            "LogoutURLs": Prop("string_list", "Allowed redirect URLs after sign-out."),
            "DefaultRedirectURI": Prop("string", "One of CallbackURLs."),
            "AllowedOAuthFlows": Prop(
                "choice_list", "code, implicit or client_credentials.", required=True, values=_FLOWS
            ),
            "AllowedOAuthScopes": Prop(
                "string_list", "Standard scopes and resource-server/scope names.", required=True
            ),
            "SupportedIdentityProviders": Prop("string_list", "COGNITO and identity provider names."),
            "Domain": Prop("string", "The pool's domain, for the HostedUIUrl and ClientLogoutUrl attributes."),
            "ClientRevision": Prop("string", "Any value; a change applies the settings again."),
            "ManagedLoginBranding": Prop(
                "choice",
                "auto: a branding style with managed login; none: untouched.",
                values=client_settings.BRANDING_CHOICES,
            ),
            "ManagedLoginVersion": Prop("choice", "The domain's ManagedLoginVersion.", values=_VERSIONS),
        },
        {
            "ClientId": "The app client.",
            "UserPoolId": "The user pool.",
            "ManagedLoginBrandingId": "The client's managed login branding style (empty without one).",
            "HostedUIUrl": "The sign-in page for this client (with Domain and a browser flow).",
            "ClientLogoutUrl": "The sign-out URL for this client (with Domain and LogoutURLs).",
        },
    ),
    "Custom::CognitoUserPoolClientURLs": ResourceType(
        "One stack's own callback and sign-out URLs on a shared app client (the client lists every stack's).",
        {
            "UserPoolId": Prop("string", "The user pool of the app client.", required=True),
            "ClientId": Prop("string", "The app client; it may belong to another stack.", required=True),
            "CallbackURLs": Prop("string_list", "This stack's callback URLs."),
            "LogoutURLs": Prop("string_list", "This stack's sign-out URLs."),
        },
        {
            "ClientId": "The app client.",
            "CallbackURLs": "This resource's own callback URLs, normalised, joined by one space.",
            "LogoutURLs": "This resource's own sign-out URLs, normalised, joined by one space.",
            "HostedUIUrl": "The sign-in page for the first callback URL (when the client has a domain and code flow).",
        },
    ),
    "Custom::CognitoDomainCertificate": ResourceType(
        "A DNS-validated ACM certificate in us-east-1 for a custom domain, validated through a Route 53 zone.",
        {
            "DomainName": Prop("string", "The custom domain name, such as auth.example.com.", required=True),
            "HostedZoneId": Prop("string", "The Route 53 public hosted zone that holds the name.", required=True),
        },
        {
            "CertificateArn": "The certificate.",
            "DomainName": "The custom domain name.",
            "ValidationRecordName": "The DNS validation record's name.",
        },
    ),
}

# CloudFormation adds or reads these on every custom resource (User Guide, "Custom resources").
_CLOUDFORMATION_PROPERTIES: dict[str, Any] = {
    "ServiceToken": {"type": "string", "description": "The provider function's ARN (the ServiceToken output)."},
    "ServiceTimeout": {"type": ["string", "integer"], "description": "Seconds CloudFormation waits for an answer."},
}
# A scalar: CloudFormation recasts numbers and booleans as strings, so both are fine here.
_SCALAR = ["string", "integer", "number", "boolean"]


def property_schema(prop: Prop) -> dict[str, Any]:
    """The JSON schema of one property."""
    shapes: dict[str, dict[str, Any]] = {
        "string": {"type": "string"},
        "string_list": {"type": "array", "items": {"type": "string"}},
        "choice": {
            "type": ["string", "integer"],
            "enum": [*prop.values, *(int(v) for v in prop.values if v.isdigit())],
        },
        "choice_list": {"type": "array", "items": {"type": "string", "enum": list(prop.values)}},
        "boolean": {"type": ["boolean", "string"], "enum": [True, False, "true", "false"]},
        "object_or_json": {"type": ["object", "string"]},
        "object_list": {"type": "array", "items": {"type": "object"}},
    }
    return {"description": prop.description, **shapes[prop.kind]}


def registry_schema(type_name: str, resource: ResourceType) -> dict[str, Any]:
    """A registry schema (the CloudFormation resource provider schema) for one type."""
    properties = {**_CLOUDFORMATION_PROPERTIES}
    properties.update({name: property_schema(prop) for name, prop in resource.properties.items()})
    # The attributes are read-only properties: what Fn::GetAtt may name.
    for name, description in resource.attributes.items():
        properties.setdefault(name, {"type": _SCALAR, "description": description})
    required = ["ServiceToken", *(name for name, prop in resource.properties.items() if prop.required)]
    return {
        "typeName": type_name,
        "description": resource.description,
        "sourceUrl": "https://github.com/ (this repository: scripts/resource_schemas.py writes this file)",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        "readOnlyProperties": [
            f"/properties/{name}" for name in resource.attributes if name not in resource.properties
        ],
        "primaryIdentifier": [f"/properties/{next(iter(resource.attributes))}"],
    }


def schema_files() -> dict[Path, str]:
    return {
        SCHEMAS / f"{type_name.replace('::', '-')}.json": json.dumps(registry_schema(type_name, resource), indent=2)
        + "\n"
        for type_name, resource in TYPES.items()
    }


def main(argv: list[str]) -> int:
    files = schema_files()
    stale = [path for path, text in files.items() if not path.exists() or path.read_text() != text]
    extra = sorted(set(SCHEMAS.glob("*.json")) - set(files))
    if "--check" in argv:
        for path in [*stale, *extra]:
            print(f"{path.relative_to(ROOT)} is not what scripts/resource_schemas.py writes: run make schemas")
        return 1 if stale or extra else 0
    SCHEMAS.mkdir(exist_ok=True)
    for path in extra:
        path.unlink()
    for path, text in files.items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
