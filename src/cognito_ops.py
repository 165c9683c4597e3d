"""Amazon Cognito operations with plain arguments, plain results and typed errors.

Nothing here knows about CloudFormation, nor about the other services (aws/): it is
the one place that calls Cognito, so the calls a change makes can be read, and
counted, here. Every call goes through a ``RetryPolicy``, and every refusal leaves
as one of the exceptions in ``aws/errors.py``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from aws.errors import AnswerLost, BrandingGone, UnknownClientFields, call_translated, translate
from aws.retry import RetryPolicy

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

T = TypeVar("T")

# DomainStatusType: CREATING | DELETING | UPDATING | ACTIVE | FAILED.
IN_PROGRESS_STATUSES = frozenset({"CREATING", "UPDATING", "DELETING"})


_raw_answers = threading.local()
_RAW_CLIENT_EVENT = "response-received.cognito-identity-provider.DescribeUserPoolClient"


def _remember_raw_client_fields(response_dict: dict[str, Any] | None = None, **_: Any) -> None:
    """Keep the field names DescribeUserPoolClient really answered, before botocore drops the unknown ones.

    botocore parses a response with its service model and silently leaves out every
    field the model does not know. The raw body still has them.
    """
    try:
        body = json.loads((response_dict or {}).get("body") or b"{}")
        _raw_answers.client_fields = frozenset((body.get("UserPoolClient") or {}).keys())
    except (ValueError, AttributeError):
        _raw_answers.client_fields = None


@dataclass(frozen=True)
class DomainDescription:
    domain: str
    user_pool_id: str
    status: str
    cloudfront_distribution: str
    certificate_arn: str | None
    managed_login_version: int

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS_STATUSES


@dataclass(frozen=True)
class BrandingStyle:
    """A client's style as DescribeManagedLoginBrandingByClient answers it (only what was customised)."""

    branding_id: str
    use_cognito_provided_values: bool
    settings: Mapping[str, Any] | None
    # AssetType entries, Bytes as bytes.
    assets: tuple[Mapping[str, Any], ...]


class CognitoDomains(Protocol):
    """User pool domains, and the pool facts a domain depends on."""

    @property
    def region(self) -> str: ...

    def describe_domain(self, domain: str) -> DomainDescription | None: ...

    def create_domain(
        self, user_pool_id: str, domain: str, certificate_arn: str | None, managed_login_version: int
    ) -> None: ...

    def update_domain(
        self, user_pool_id: str, domain: str, certificate_arn: str | None, managed_login_version: int
    ) -> None: ...

    def delete_domain(self, user_pool_id: str, domain: str) -> None: ...

    def pool_feature_plan(self, user_pool_id: str) -> str: ...

    def pool_domain(self, user_pool_id: str) -> str | None: ...


class CognitoClients(Protocol):
    """App clients, and the pool's identity providers and scopes."""

    def modify_client(
        self,
        user_pool_id: str,
        client_id: str,
        change: Callable[[dict[str, Any]], dict[str, Any] | None],
    ) -> dict[str, Any]: ...

    def identity_provider_names(self, user_pool_id: str) -> frozenset[str]: ...

    def resource_server_scopes(self, user_pool_id: str) -> frozenset[str]: ...


class CognitoBranding(Protocol):
    """Managed login branding styles: one per app client at most."""

    def client_branding_id(self, user_pool_id: str, client_id: str) -> str | None: ...

    def describe_client_branding(self, user_pool_id: str, client_id: str) -> BrandingStyle | None: ...

    def create_default_branding(self, user_pool_id: str, client_id: str) -> str: ...

    def create_branding(
        self, user_pool_id: str, client_id: str, settings: Mapping[str, Any], assets: Sequence[Mapping[str, Any]]
    ) -> str: ...

    def update_branding(
        self, user_pool_id: str, branding_id: str, settings: Mapping[str, Any], assets: Sequence[Mapping[str, Any]]
    ) -> None: ...

    def reset_branding(self, user_pool_id: str, branding_id: str) -> None: ...

    def delete_branding(self, user_pool_id: str, branding_id: str) -> None: ...


class CognitoOperations(CognitoDomains, CognitoClients, CognitoBranding, Protocol):
    """Everything the resources need from Cognito; ``CognitoOps`` is the real one."""


def _domain_request(
    user_pool_id: str, domain: str, certificate_arn: str | None, managed_login_version: int
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "UserPoolId": user_pool_id,
        "Domain": domain,
        "ManagedLoginVersion": managed_login_version,
    }
    if certificate_arn is not None:
        request["CustomDomainConfig"] = {"CertificateArn": certificate_arn}
    return request


class CognitoOps:
    def __init__(self, client: CognitoIdentityProviderClient, retry: RetryPolicy) -> None:
        self._client = client
        self._retry = retry
        # unique_id: one registration per client, however many CognitoOps share it.
        client.meta.events.register(
            _RAW_CLIENT_EVENT, _remember_raw_client_fields, unique_id="cognito-resources-raw-client-fields"
        )

    @property
    def region(self) -> str:
        return str(self._client.meta.region_name)

    def _call(self, operation: Callable[[], T], *, repeatable: bool = True) -> T:
        return call_translated(self._retry, operation, repeatable=repeatable, translate_error=translate)

    # --- user pool domains -------------------------------------------------

    def describe_domain(self, domain: str) -> DomainDescription | None:
        """The domain, or ``None`` when no pool has it.

        Cognito answers an unknown domain with an empty DomainDescription rather
        than an error (API reference, DescribeUserPoolDomain).
        """
        response = self._call(lambda: self._client.describe_user_pool_domain(Domain=domain))
        description = cast(dict[str, Any], response.get("DomainDescription") or {})
        if not description.get("UserPoolId"):
            return None
        return DomainDescription(
            domain=str(description.get("Domain", domain)),
            user_pool_id=str(description["UserPoolId"]),
            status=str(description.get("Status", "")),
            cloudfront_distribution=str(description.get("CloudFrontDistribution") or ""),
            certificate_arn=(description.get("CustomDomainConfig") or {}).get("CertificateArn"),
            managed_login_version=int(description.get("ManagedLoginVersion") or 1),
        )

    def create_domain(
        self, user_pool_id: str, domain: str, certificate_arn: str | None, managed_login_version: int
    ) -> None:
        # Repeatable: if a lost answer hid a create that succeeded, the repeat is
        # refused with "Domain already ..." and resources/domain.py recognises the
        # domain as this pool's own (it describes the domain before and after).
        request = _domain_request(user_pool_id, domain, certificate_arn, managed_login_version)
        self._call(lambda: self._client.create_user_pool_domain(**request))

    def update_domain(
        self, user_pool_id: str, domain: str, certificate_arn: str | None, managed_login_version: int
    ) -> None:
        # Repeatable: it sets the whole configuration, so a repeat lands in the same state.
        # A custom domain must be sent with its CustomDomainConfig on every update,
        # or Cognito answers "Cannot convert custom domain to prefix domain".
        request = _domain_request(user_pool_id, domain, certificate_arn, managed_login_version)
        self._call(lambda: self._client.update_user_pool_domain(**request))

    def delete_domain(self, user_pool_id: str, domain: str) -> None:
        # Repeatable: a repeat after a lost answer is refused with "No such domain",
        # which the caller already treats as gone.
        self._call(lambda: self._client.delete_user_pool_domain(UserPoolId=user_pool_id, Domain=domain))

    def pool_feature_plan(self, user_pool_id: str) -> str:
        """LITE, ESSENTIALS or PLUS.

        UserPoolType.UserPoolTier (API reference): "The user pool feature plan, or tier
        ... Defaults to ESSENTIALS." An answer without it (an SDK that predates plans,
        or moto) is read as that default.
        """
        response = self._call(lambda: self._client.describe_user_pool(UserPoolId=user_pool_id))
        return str(cast(Mapping[str, Any], response["UserPool"]).get("UserPoolTier") or "ESSENTIALS")

    def pool_domain(self, user_pool_id: str) -> str | None:
        """The pool's custom domain, else its prefix domain, else ``None``.

        UserPoolType (API reference): ``CustomDomain`` "A custom domain name that you
        provide to Amazon Cognito", ``Domain`` "The domain prefix, if the user pool has a domain".
        """
        response = self._call(lambda: self._client.describe_user_pool(UserPoolId=user_pool_id))
        pool = cast(Mapping[str, Any], response["UserPool"])
        return str(pool.get("CustomDomain") or pool.get("Domain") or "") or None

    # --- app clients --------------------------------------------------------

    def modify_client(
        self,
        user_pool_id: str,
        client_id: str,
        change: Callable[[dict[str, Any]], dict[str, Any] | None],
    ) -> dict[str, Any]:
        """Read the client, let ``change`` compute the complete new configuration, write it.

        ``change`` returns ``None`` when the client is already as wanted (nothing is
        written). UpdateUserPoolClient does not merge (API reference: "If you don't
        provide a value for an attribute, Amazon Cognito sets it to its default
        value"), so a write that failed is never replayed: every attempt reads the
        client again and recomputes, so a concurrent change is never undone, and a
        write whose answer was lost is seen as done. The read and the write are
        back to back, with nothing between them but ``change``.
        """

        def attempt() -> dict[str, Any]:
            existing = self._read_client_to_rewrite(user_pool_id, client_id)
            desired = change(existing)
            if desired is None:
                return existing
            return self._write_client(user_pool_id, client_id, desired)

        return self._call(attempt)

    def _read_client(self, user_pool_id: str, client_id: str) -> dict[str, Any]:
        response = self._client.describe_user_pool_client(UserPoolId=user_pool_id, ClientId=client_id)
        return dict(cast(Mapping[str, Any], response["UserPoolClient"]))

    def _read_client_to_rewrite(self, user_pool_id: str, client_id: str) -> dict[str, Any]:
        """The client, refused when it holds a field this SDK could not write back.

        UpdateUserPoolClient resets every field it is not sent, and this SDK can only
        send the fields its model knows. The Lambda runtime's boto3 lags the API (AWS
        Lambda docs, "Runtime-included SDK versions": bundle the SDK when you depend
        on new features), so a field added to Cognito after it would be silently reset.
        """
        _raw_answers.client_fields = None
        existing = self._read_client(user_pool_id, client_id)
        answered = getattr(_raw_answers, "client_fields", None) or frozenset()
        client_shape = self._client.meta.service_model.shape_for("UserPoolClientType")
        known = set(getattr(client_shape, "members", {}))
        unknown = sorted(answered - known)
        if unknown:
            import botocore

            raise UnknownClientFields(unknown, botocore.__version__)
        return existing

    def _write_client(self, user_pool_id: str, client_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        # DescribeUserPoolClient also returns fields that UpdateUserPoolClient refuses
        # (ClientSecret, CreationDate, LastModifiedDate): keep exactly what the
        # update accepts, as the service model lists it.
        input_shape = self._client.meta.service_model.operation_model("UpdateUserPoolClient").input_shape
        writable = input_shape.members if input_shape is not None else {}
        request = {key: value for key, value in fields.items() if key in writable}
        request.update(UserPoolId=user_pool_id, ClientId=client_id)
        response = self._client.update_user_pool_client(**request)
        return dict(cast(Mapping[str, Any], response["UserPoolClient"]))

    def identity_provider_names(self, user_pool_id: str) -> frozenset[str]:
        pages = self._client.get_paginator("list_identity_providers").paginate(
            UserPoolId=user_pool_id, PaginationConfig={"PageSize": 60}
        )
        return frozenset(
            provider["ProviderName"]
            for page in self._call(lambda: list(pages))
            for provider in page.get("Providers", [])
        )

    def resource_server_scopes(self, user_pool_id: str) -> frozenset[str]:
        """Every custom scope of the pool, spelled ``identifier/scope`` as clients use them."""
        pages = self._client.get_paginator("list_resource_servers").paginate(
            UserPoolId=user_pool_id, PaginationConfig={"PageSize": 50}
        )
        return frozenset(
            f"{server['Identifier']}/{scope['ScopeName']}"
            for page in self._call(lambda: list(pages))
            for server in page.get("ResourceServers", [])
            for scope in server.get("Scopes", [])
        )

    # --- managed login branding ---------------------------------------------

    def client_branding_id(self, user_pool_id: str, client_id: str) -> str | None:
        """The id of the client's managed login branding style, or ``None`` when it has none."""
        try:
            response = self._call(
                lambda: self._client.describe_managed_login_branding_by_client(
                    UserPoolId=user_pool_id, ClientId=client_id
                )
            )
        except BrandingGone:
            return None
        return str(response["ManagedLoginBranding"]["ManagedLoginBrandingId"])

    def describe_client_branding(self, user_pool_id: str, client_id: str) -> BrandingStyle | None:
        """The client's style with what was customised (ReturnMergedResources false), or ``None``."""
        try:
            response = self._call(
                lambda: self._client.describe_managed_login_branding_by_client(
                    UserPoolId=user_pool_id, ClientId=client_id, ReturnMergedResources=False
                )
            )
        except BrandingGone:
            return None
        style = cast(Mapping[str, Any], response["ManagedLoginBranding"])
        settings = style.get("Settings")
        return BrandingStyle(
            branding_id=str(style["ManagedLoginBrandingId"]),
            use_cognito_provided_values=bool(style.get("UseCognitoProvidedValues")),
            settings=dict(settings) if isinstance(settings, Mapping) else None,
            assets=tuple(dict(asset) for asset in style.get("Assets") or ()),
        )

    def create_branding(
        self, user_pool_id: str, client_id: str, settings: Mapping[str, Any], assets: Sequence[Mapping[str, Any]]
    ) -> str:
        """A style with the template's settings and images; not repeatable, like ``create_default_branding``."""
        response = self._call(
            lambda: self._client.create_managed_login_branding(
                UserPoolId=user_pool_id,
                ClientId=client_id,
                Settings=dict(settings),
                Assets=[cast(Any, dict(asset)) for asset in assets],
            ),
            repeatable=False,
        )
        return str(response["ManagedLoginBranding"]["ManagedLoginBrandingId"])

    def update_branding(
        self, user_pool_id: str, branding_id: str, settings: Mapping[str, Any], assets: Sequence[Mapping[str, Any]]
    ) -> None:
        # Repeatable: the complete document and every image, so a repeat lands in the same state.
        self._call(
            lambda: self._client.update_managed_login_branding(
                UserPoolId=user_pool_id,
                ManagedLoginBrandingId=branding_id,
                Settings=dict(settings),
                Assets=[cast(Any, dict(asset)) for asset in assets],
            )
        )

    def reset_branding(self, user_pool_id: str, branding_id: str) -> None:
        """The same style back to Cognito's provided values: the client keeps a style, its page keeps working."""
        self._call(
            lambda: self._client.update_managed_login_branding(
                UserPoolId=user_pool_id, ManagedLoginBrandingId=branding_id, UseCognitoProvidedValues=True
            )
        )

    def create_default_branding(self, user_pool_id: str, client_id: str) -> str:
        """A style with Cognito's provided values (CreateManagedLoginBranding, UseCognitoProvidedValues).

        Not repeatable as a whole: after a lost answer the repeat meets BrandingExists,
        which the caller settles by describing the client's style. A connection lost
        before the answer is settled here the same way: read first, create only when
        the read shows the first create did not act.
        """

        def create() -> str:
            response = self._call(
                lambda: self._client.create_managed_login_branding(
                    UserPoolId=user_pool_id, ClientId=client_id, UseCognitoProvidedValues=True
                ),
                repeatable=False,
            )
            return str(response["ManagedLoginBranding"]["ManagedLoginBrandingId"])

        try:
            return create()
        except AnswerLost:
            found = self.client_branding_id(user_pool_id, client_id)
            return found if found is not None else create()

    def delete_branding(self, user_pool_id: str, branding_id: str) -> None:
        # Repeatable: a repeat after a lost answer meets BrandingGone, which is "gone".
        self._call(
            lambda: self._client.delete_managed_login_branding(
                UserPoolId=user_pool_id, ManagedLoginBrandingId=branding_id
            )
        )
