"""Parameter Store as it may behave in AWS, around moto's: answers lost after acting, and reads that lag.

moto's SSM is linearizable and always answers. AWS documents no read-after-write
guarantee for Parameter Store (docs/design/client-urls.md, "SSM consistency"), and
any answer can be lost on the way back. These wrappers sit test-side, between the
function's record stores and moto, so the double itself stays as it is.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from botocore.exceptions import ClientError

from aws.clients import aws_client
from aws.contributions import SsmUrlContributions
from aws.operations import Operations, aws_operations
from aws.records import SsmOwnerRecords
from aws.retry import RetryPolicy
from cfn.driver import OpsFactory
from cognito_double.faithful_cognito import FaithfulCognito

_WRITES = ("put_parameter", "delete_parameter")
_READS = ("get_parameter", "get_parameters_by_path")


class FaultySsm:
    """An SSM client whose next writes may act and then lose their answer, and whose reads may lag.

    ``lose_answer("put_parameter")``: the next put acts, then answers HTTP 500.
    ``lag``: every read sees the store as it was up to ``lag`` seconds ago (on ``clock``),
    a random amount per read: the writes made since are undone in the answer.
    """

    def __init__(self, real: Any, clock: Callable[[], float], lag: float = 0.0) -> None:
        self._real = real
        self._clock = clock
        self.lag = lag
        self._lost: dict[str, int] = {}
        # (when, name, value before the write or None): what a lagging read undoes.
        self._history: list[tuple[float, str, str | None]] = []
        self._lock = threading.Lock()

    def lose_answer(self, operation: str, times: int = 1) -> None:
        self._lost[operation] = self._lost.get(operation, 0) + times

    def __getattr__(self, name: str) -> Any:
        if name in _WRITES:
            return lambda **request: self._write(name, request)
        if name in _READS:
            return lambda **request: self._read(name, request)
        return getattr(self._real, name)

    def _write(self, operation: str, request: dict[str, Any]) -> Any:
        name = request["Name"]
        with self._lock:
            before = self._value(name)
            answer = getattr(self._real, operation)(**request)
            self._history.append((self._clock(), name, before))
            if self._lost.get(operation):
                self._lost[operation] -= 1
                lost: Any = {"Error": {"Code": "InternalServerError"}, "ResponseMetadata": {"HTTPStatusCode": 500}}
                raise ClientError(lost, operation)
        return answer

    def _value(self, name: str) -> str | None:
        try:
            return str(self._real.get_parameter(Name=name)["Parameter"]["Value"])
        except ClientError:
            return None

    def _read(self, operation: str, request: dict[str, Any]) -> Any:
        with self._lock:
            answer = getattr(self._real, operation)(**request)
            if not self.lag:
                return answer
            cutoff = self._clock() - random.uniform(0, self.lag)
            undone: dict[str, str | None] = {}
            for when, name, before in reversed(self._history):
                if when > cutoff:
                    undone[name] = before
        if operation == "get_parameter":
            name = request["Name"]
            if name not in undone:
                return answer
            if undone[name] is None:
                raise ClientError({"Error": {"Code": "ParameterNotFound"}}, operation)
            return {"Parameter": {**answer.get("Parameter", {"Name": name}), "Value": undone[name]}}
        parameters = {p["Name"]: p for p in answer.get("Parameters", [])}
        path = request["Path"].rstrip("/") + "/"
        last_page = not answer.get("NextToken")
        for name, before in undone.items():
            if name.startswith(path) and "/" not in name[len(path) :]:
                if before is None:
                    parameters.pop(name, None)
                elif name in parameters or last_page:  # a record deleted since shows up once, on the last page
                    parameters[name] = {"Name": name, "Value": before}
        return {**answer, "Parameters": list(parameters.values())}


def ops_factory_with_ssm(faithful: FaithfulCognito, ssm: FaultySsm) -> OpsFactory:
    """The handler's operations, with both record stores going through ``ssm``."""

    def make(retry: RetryPolicy) -> Operations:
        ops = aws_operations(retry, resolver=faithful.resolves)
        return replace(
            ops,
            records=SsmOwnerRecords(retry, ssm=lambda: ssm),
            contributions=SsmUrlContributions(retry, ssm=lambda: ssm),
        )

    return make


def faulty_ssm(clock: Callable[[], float], lag: float = 0.0) -> FaultySsm:
    return FaultySsm(aws_client("ssm"), clock, lag)
