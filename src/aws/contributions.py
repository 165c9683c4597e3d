"""URL contributions in SSM Parameter Store: which stack lists which redirect URLs on a shared app client.

One standard parameter per ``Custom::CognitoUserPoolClientURLs``, so a contribution
only ever writes or deletes its own record and no write needs a condition
(docs/design/client-urls.md):

    /cognito-hosted-ui-resources/client-urls/<user pool id>/<app client id>/<key>

The records are the source of truth; the client's URL lists are recomputed from them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from botocore.exceptions import ClientError

from aws.clients import aws_client
from aws.records import STANDARD_PARAMETER_MAX_BYTES
from aws.retry import RetryPolicy

CONTRIBUTION_PREFIX = "/cognito-hosted-ui-resources/client-urls"
# How long after a record change every read of Parameter Store reflects it. AWS
# documents no read-after-write guarantee for Parameter Store (the design's "SSM
# consistency"), so a writer checks the records again this long after its client
# write. One setting; tests run it on a fake clock.
SETTLE_SECONDS = 1.0
# GetParametersByPath: "MaxResults ... Valid Range: Maximum value of 10."
_PAGE_SIZE = 10


@dataclass(frozen=True)
class Contribution:
    """One stack's URLs on an app client, as its record holds them."""

    key: str
    stack_id: str
    logical_id: str
    callback_urls: tuple[str, ...] = ()
    logout_urls: tuple[str, ...] = ()

    @property
    def stack_name(self) -> str:
        """``arn:aws:cloudformation:<region>:<account>:stack/<name>/<guid>`` -> ``<name>``."""
        parts = self.stack_id.split("/")
        return parts[1] if len(parts) > 2 else self.stack_id


class NoTimeToSettle(Exception):
    """The invocation has less time left than the settle wait: the change must be finished by the next request."""


class RecordTooLarge(Exception):
    """The record would not fit in a standard parameter (4 KB); nothing was written."""


def contribution_path(user_pool_id: str, client_id: str) -> str:
    return f"{CONTRIBUTION_PREFIX}/{user_pool_id}/{client_id}"


def contribution_value(contribution: Contribution) -> str:
    return json.dumps(
        {
            "StackId": contribution.stack_id,
            "LogicalResourceId": contribution.logical_id,
            "CallbackURLs": list(contribution.callback_urls),
            "LogoutURLs": list(contribution.logout_urls),
        }
    )


def fits_in_a_record(contribution: Contribution) -> bool:
    """Whether the record fits in a standard parameter (Systems Manager quotas: 4 KB a value)."""
    return len(contribution_value(contribution).encode()) <= STANDARD_PARAMETER_MAX_BYTES


class UrlContributions(Protocol):
    """What the resources need from the contribution records; ``SsmUrlContributions`` is the real one."""

    def contributions(self, user_pool_id: str, client_id: str) -> tuple[Contribution, ...]: ...

    def put_contribution(self, user_pool_id: str, client_id: str, contribution: Contribution) -> None: ...

    def delete_contribution(self, user_pool_id: str, client_id: str, key: str) -> None: ...

    def wait_for_settle(self) -> None:
        """Wait until every record change made before this call shows in every read."""
        ...


class SsmUrlContributions:
    def __init__(
        self,
        retry: RetryPolicy,
        ssm: Callable[[], Any] = lambda: aws_client("ssm"),
        settle_seconds: float = SETTLE_SECONDS,
    ) -> None:
        self._ssm = ssm
        self._retry = retry
        self._settle_seconds = settle_seconds

    def contributions(self, user_pool_id: str, client_id: str) -> tuple[Contribution, ...]:
        """Every record under the client's path.

        GetParametersByPath: "Request results are returned on a best-effort basis": a
        page may be short and still carry a NextToken, so the pages are followed to
        the last one, never stopped at a short page. Each page is retried on its own.
        """
        path = contribution_path(user_pool_id, client_id)
        found: list[Contribution] = []
        token: str | None = None
        while True:
            request: dict[str, Any] = {"Path": path, "Recursive": False, "MaxResults": _PAGE_SIZE}
            if token:
                request["NextToken"] = token
            page: dict[str, Any] = self._retry.call(partial(self._get_page, request))
            found.extend(
                contribution
                for parameter in page.get("Parameters", [])
                if (contribution := _parsed(parameter)) is not None
            )
            token = page.get("NextToken")
            if not token:
                return tuple(sorted(found, key=lambda contribution: contribution.key))

    def _get_page(self, request: dict[str, Any]) -> dict[str, Any]:
        return dict(self._ssm().get_parameters_by_path(**request))

    def put_contribution(self, user_pool_id: str, client_id: str, contribution: Contribution) -> None:
        # Repeatable: it overwrites with the same value, so a repeat after a lost answer lands in the same state.
        if not fits_in_a_record(contribution):
            raise RecordTooLarge(contribution.key)
        name = f"{contribution_path(user_pool_id, client_id)}/{contribution.key}"
        value = contribution_value(contribution)
        self._retry.call(
            lambda: self._ssm().put_parameter(
                Name=name,
                Value=value,
                Type="String",
                Overwrite=True,
                Description="Redirect URLs one stack adds to this app client (Custom::CognitoUserPoolClientURLs)",
            )
        )

    def delete_contribution(self, user_pool_id: str, client_id: str, key: str) -> None:
        # Repeatable: a repeat after a lost answer meets ParameterNotFound, which is "gone".
        name = f"{contribution_path(user_pool_id, client_id)}/{key}"
        try:
            self._retry.call(lambda: self._ssm().delete_parameter(Name=name))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ParameterNotFound":
                raise

    def wait_for_settle(self) -> None:
        """Sleep the settle time on the retry policy's clock (a fake one in tests); refused past the deadline."""
        if self._retry.time_left() <= self._settle_seconds:
            raise NoTimeToSettle(self._settle_seconds)
        self._retry.sleep(self._settle_seconds)


def _parsed(parameter: dict[str, Any]) -> Contribution | None:
    try:
        record = json.loads(parameter["Value"])
        return Contribution(
            key=str(parameter["Name"]).rsplit("/", 1)[1],
            stack_id=str(record["StackId"]),
            logical_id=str(record["LogicalResourceId"]),
            callback_urls=tuple(str(url) for url in record.get("CallbackURLs") or ()),
            logout_urls=tuple(str(url) for url in record.get("LogoutURLs") or ()),
        )
    except (ValueError, KeyError, TypeError, IndexError):
        return None  # not a record this function wrote: not a holder
