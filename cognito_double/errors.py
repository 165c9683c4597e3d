"""The errors the double answers that moto lacks, one class per AWS error code.

Each carries the code the real service sends; where the message text is public, the
rule that raises it cites it (docs/design/double.md lists every rule and its source).
"""

from __future__ import annotations

from moto.core.exceptions import JsonRESTError


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
