"""After the timeout timer has answered CloudFormation, the driver starts no Cognito write."""

from __future__ import annotations

from typing import Any

import pytest

from aws.operations import Operations
from aws.retry import RetryPolicy, WorkStopped
from cfn.driver import LifecycleDriver
from cognito_double.clock import FakeClock
from local.cfn_events import EventFactory
from local.lambda_context import FakeLambdaContext
from resources import domain
from tests.support.fake_ops import InMemoryCognito

POOL = "us-east-1_NotesPool"


class AnsweredResponder:
    """The part of the responder the driver reads: answered by the timer before the work began."""

    def __init__(self) -> None:
        self.answered = True
        self.hand_over_requested = False
        self.Data: dict[str, Any] = {}


class RetryingFake(InMemoryCognito):
    """The fake, with every call going through the driver's retry policy as CognitoOps' do."""

    def __init__(self, retry: RetryPolicy) -> None:
        super().__init__()
        self._retry = retry

    def describe_domain(self, name: str) -> Any:
        return self._retry.call(lambda: super(RetryingFake, self).describe_domain(name))


def test_a_request_answered_by_the_timer_writes_nothing() -> None:
    made: list[RetryingFake] = []

    def ops_factory(retry: RetryPolicy) -> Operations:
        made.append(RetryingFake(retry))
        return made[-1].operations

    clock = FakeClock()
    driver = LifecycleDriver(domain, "Custom::CognitoUserPoolDomain", AnsweredResponder(), ops_factory, clock)  # type: ignore[arg-type]
    event = EventFactory(lambda request_id: "https://127.0.0.1/" + request_id).create(
        "Custom::CognitoUserPoolDomain", "D", {"UserPoolId": POOL, "Domain": "notes-late"}
    )

    with pytest.raises(WorkStopped):
        driver.create(event, FakeLambdaContext(clock=clock.monotonic))

    assert made[0].write_attempts == []
