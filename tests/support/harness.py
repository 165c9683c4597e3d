"""Drives the handler the way CloudFormation does, and builds the user pools tests act on.

Tests import from here, never from ``conftest.py`` (which only declares fixtures).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import handler
from aws.operations import Operations, aws_operations
from aws.retry import RetryPolicy
from cfn.driver import OpsFactory, SlowPathFactory, default_ops, default_slow_path
from cfn.slow_changes import POLL_KEY
from clock import SYSTEM_CLOCK, Clock
from cognito_double.faithful_cognito import FaithfulCognito
from cognito_double.scheduler import OneTimeSchedule, ScheduleRunner
from local.cfn_events import EventFactory
from local.lambda_context import FakeLambdaContext
from local.response_server import ResponseServer
from resources.registry import RESOURCE_TYPES
from tests.support.polling import POLL_GROUP, scheduler

# Issued certificates for *.example.com in ACM us-east-1, at fixed ARNs (the
# ``faithful`` fixture puts them there): what a custom domain needs to pass preflight.
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
NEW_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
TEST_CERTIFICATES = (CERT, NEW_CERT)


@dataclass
class CloudFormation:
    """Sends events to the handler and reads the answer back from the response URL.

    ``clock`` is the time the handler and its Lambda context see; the ``cfn``
    fixture shares a fake one with the Cognito double, so waits take no real time.
    """

    events: EventFactory
    responses: ResponseServer
    clock: Clock = SYSTEM_CLOCK
    ops_factory: OpsFactory = default_ops
    slow_path_factory: SlowPathFactory = default_slow_path

    def send(self, event: dict[str, Any], timeout_seconds: float = 300.0) -> dict[str, Any]:
        answers = self.invoke(event, timeout_seconds)
        assert len(answers) == 1, f"expected exactly one answer, got {answers}"
        assert_attributes_are_registered(event, answers[0])
        return answers[0]

    def run_handler(self, event: dict[str, Any], context: FakeLambdaContext) -> None:
        """The handler as the local engine invokes it, on this harness's clock and operations."""
        on_our_clock = FakeLambdaContext(timeout_seconds=context.timeout_seconds, clock=self.clock.monotonic)
        handler.handler(
            event,
            on_our_clock,
            ops_factory=self.ops_factory,
            clock=self.clock,
            slow_path_factory=self.slow_path_factory,
        )

    def invoke(self, event: dict[str, Any], timeout_seconds: float = 300.0) -> list[dict[str, Any]]:
        """Invoke without expecting an answer (polling, refused requests); return what was sent."""
        self.run_handler(event, FakeLambdaContext(timeout_seconds=timeout_seconds))
        # A poll carries only a reference to its change; the answer goes to that change's request.
        request_id = event[POLL_KEY].get("RequestId") if isinstance(event.get(POLL_KEY), dict) else None
        return self.responses.answers_for(str(request_id or event.get("RequestId")))

    def fire_due_polls(
        self, timeout_seconds: float = 60.0, twice: bool = False, fire_at: str = "start"
    ) -> list[dict[str, Any]]:
        """What Scheduler does when the clock reaches a poll's minute: invoke, then delete the schedule.

        Returns every answer the polls sent to CloudFormation.
        """
        answers: list[dict[str, Any]] = []

        def invoke(schedule: OneTimeSchedule) -> None:
            request_id = str((schedule.payload.get(POLL_KEY) or {}).get("RequestId", ""))
            already = len(self.responses.answers_for(request_id))
            answers.extend(self.invoke(schedule.payload, timeout_seconds)[already:])

        runner = ScheduleRunner(scheduler, clock=self.clock.time, invoke=invoke, fire_at=fire_at, deliver_twice=twice)
        runner.fire_due(POLL_GROUP)
        return answers


@dataclass
class UserPool:
    id: str
    client_id: str
    arn: str


def make_user_pool(cognito: Any, name: str = "notes-users", generate_secret: bool = False) -> UserPool:
    pool = cognito.create_user_pool(PoolName=name, UsernameAttributes=["email"], AutoVerifiedAttributes=["email"])
    pool_id = pool["UserPool"]["Id"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=f"{name}-client",
        GenerateSecret=generate_secret,
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED",
    )
    return UserPool(pool_id, client["UserPoolClient"]["ClientId"], pool["UserPool"]["Arn"])


def ops_factory_for(faithful: FaithfulCognito) -> OpsFactory:
    """The handler's operations, with DNS answered by the double: what resolves is the test's choice."""

    def make(retry: RetryPolicy) -> Operations:
        return aws_operations(retry, resolver=faithful.resolves)

    return make


def assert_attributes_are_registered(event: dict[str, Any], answer: dict[str, Any]) -> None:
    """Every attribute an answer carries is one the registry (and so the reference docs) declares."""
    resource_type = RESOURCE_TYPES.get(str(event.get("ResourceType")))
    if resource_type is not None and answer.get("Status") == "SUCCESS":
        undeclared = set(answer.get("Data") or {}) - resource_type.attributes
        assert not undeclared, f"{resource_type.name} answered attributes the registry does not declare: {undeclared}"


def code_flow_settings(pool: UserPool, **extra: Any) -> dict[str, Any]:
    """Properties of Custom::CognitoUserPoolClientSettings for the pool's client: the code flow, one URL."""
    return {
        "UserPoolId": pool.id,
        "ClientId": pool.client_id,
        "CallbackURLs": ["https://app.example.com/"],
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid"],
        **extra,
    }
