"""Parameter Store as the ownership records meet it: moto, with throughput and concurrent updates.

moto answers every PutParameter, GetParameter and DeleteParameter at once. Here a
test can hold them to a throughput (``ssm.enforced``, ``ssm.per_second``, on the
double's clock) and make the next PutParameter calls of a parameter answer TooManyUpdates.
Rules and sources: docs/design/double.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

from cognito_double.errors import SsmError
from cognito_double.moto_costs import moto_ssm_models
from cognito_double.quotas import RateWindow
from cognito_double.state import FaithfulCognito

moto_ssm_models()  # before moto.ssm.responses, which imports it (and would import moto.ec2)
from moto.ssm.responses import SimpleSystemManagerResponse  # noqa: E402

OPERATIONS = {
    "put_parameter": "PutParameter",
    "get_parameter": "GetParameter",
    "get_parameters_by_path": "GetParametersByPath",
    "delete_parameter": "DeleteParameter",
}
# S3: the reads share Parameter Store's standard throughput of 40 transactions per second
# (Systems Manager endpoints and quotas, "Throughput for GetParameter, GetParameters and
# GetParametersByPath": 40 by default; seen quoted, not read on the page itself).
READS = ("GetParameter", "GetParametersByPath")
# Only PutParameter lists TooManyUpdates among its errors (DeleteParameter: InternalServerError, ParameterNotFound).
WRITES = ("PutParameter",)


def _admit(state: FaithfulCognito, account_id: str, operation: str, name: str) -> None:
    rules = state.ssm
    with state.lock:
        # S2: PutParameter errors, TooManyUpdates: "There are concurrent updates for a resource that
        # supports one update at a time." (SSM API reference); when it happens is a knob.
        left = rules.too_many_updates.get(name, 0)
        if operation in WRITES and left > 0:
            rules.too_many_updates[name] = left - 1
            raise SsmError(
                "TooManyUpdates", "There are concurrent updates for a resource that supports one update at a time."
            )
        # S1: ThrottlingException, "Rate exceeded" (aws-ia/terraform-aws-control_tower_account_factory#271);
        # 3 per second: a support answer quoted in github-aws-runners/terraform-aws-github-runner#2944 (unconfirmed).
        if rules.enforced:
            reads = operation in READS
            key = f"reads@{account_id}" if reads else f"{operation}@{account_id}"
            window = rules.windows.setdefault(key, RateWindow(rules.reads_per_second if reads else rules.per_second))
            if not window.admit(state.clock()):
                rules.throttled += 1
                raise SsmError("ThrottlingException", "Rate exceeded")


# S4: a standard parameter's value holds 4 KB, an advanced one 8 KB; Intelligent-Tiering picks
# Advanced when the value needs it (Systems Manager user guide, "Managing parameter tiers").
# moto takes any size. The refusal's code and text follow the API's length validation
# (PutParameter, Value: "Length Constraints: Minimum length of 0"), the text itself unconfirmed.
TIER_MAX_BYTES = {"Standard": 4096, "Advanced": 8192, "Intelligent-Tiering": 8192}


def _check_size(value: str, tier: str) -> None:
    limit = TIER_MAX_BYTES.get(tier, 4096)
    if len(value.encode()) > limit:
        raise SsmError(
            "ValidationException",
            f"1 validation error detected: Value at 'value' failed to satisfy constraint: "
            f"Member must have length less than or equal to {limit}",
        )


def ssm_patches(state: FaithfulCognito) -> list[Any]:
    """The patches (not started) that give moto's Parameter Store the double's rules."""
    patches = []
    for method_name, operation in OPERATIONS.items():
        original: Callable[[SimpleSystemManagerResponse], Any] = getattr(SimpleSystemManagerResponse, method_name)

        def handler(
            response: SimpleSystemManagerResponse,
            original: Callable[[SimpleSystemManagerResponse], Any] = original,
            operation: str = operation,
        ) -> Any:
            _admit(state, response.current_account, operation, str(response._get_param("Name") or ""))
            if operation == "PutParameter":
                _check_size(str(response._get_param("Value") or ""), str(response._get_param("Tier") or "Standard"))
            return original(response)

        patches.append(mock.patch.object(SimpleSystemManagerResponse, method_name, handler))
    return patches
