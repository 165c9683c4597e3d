"""The errors the double answers that moto lacks, one class per AWS error code.

Each carries the code the real service sends; where the message text is public, the
rule that raises it cites it (docs/design/double.md lists every rule and its source).
"""

from __future__ import annotations

from moto.core.exceptions import JsonRESTError, ServiceException


class InvalidOAuthFlowException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidOAuthFlowException", message)


class ScopeDoesNotExistException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("ScopeDoesNotExistException", message)


class FeatureUnavailableInTierException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("FeatureUnavailableInTierException", message)


class ManagedLoginBrandingExistsException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("ManagedLoginBrandingExistsException", message)


class InternalErrorException(JsonRESTError):
    code = 500

    def __init__(self) -> None:
        super().__init__("InternalErrorException", "An internal error occurred (the double lost this answer)")


class TooManyRequestsException(JsonRESTError):
    def __init__(self) -> None:
        super().__init__("TooManyRequestsException", "Rate exceeded")


ACM_IN_USE = (
    "The certificate is in use by another Amazon Web Services service in the caller's account. "
    "Remove the association and try again."
)


class ResourceInUseException(JsonRESTError):
    def __init__(self, arn: str) -> None:
        super().__init__("ResourceInUseException", f"Certificate {arn} is in use. {ACM_IN_USE}")


class Route53Error(ServiceException):
    """A Route 53 refusal (REST-XML, serialized by moto like its own)."""


def invalid_change_batch(name: str, record_type: str, problem: str) -> Route53Error:
    # R1: Route 53's InvalidChangeBatch for a DELETE; the texts: hashicorp/terraform#18509 ("... but the
    # values provided do not match the current values") and boto/boto#2887 ("... but it was not found").
    return Route53Error(
        "InvalidChangeBatch", f"Tried to delete resource record set [name='{name}', type='{record_type}'] but {problem}"
    )


class SsmError(ServiceException):
    """A Systems Manager refusal (JSON), serialized by moto like its own."""


class LimitExceededException(JsonRESTError):
    # Among CreateUserPoolDomain's and CreateManagedLoginBranding's errors (API model); texts the double's own.
    def __init__(self, message: str) -> None:
        super().__init__("LimitExceededException", message)
