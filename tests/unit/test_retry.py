"""RetryPolicy: what is retried, how long it backs off, and that it never outlives the deadline."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError, ReadTimeoutError

from aws.errors import AnswerLost, call_translated
from aws.retry import RetryPolicy, WorkStopped, is_retryable


def client_error(code: str, status: int = 400) -> ClientError:
    response: Any = {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return ClientError(response, "UpdateUserPoolClient")


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def policy(fake: FakeTime, deadline: float = 60.0) -> RetryPolicy:
    return RetryPolicy(deadline=deadline, sleep=fake.sleep, clock=fake.clock, jitter=lambda ceiling: ceiling)


def failing(errors: list[Exception], result: str = "done") -> Any:
    def operation() -> str:
        if errors:
            raise errors.pop(0)
        return result

    return operation


@pytest.mark.parametrize(
    "error",
    [
        client_error("TooManyRequestsException"),
        client_error("ConcurrentModificationException"),
        client_error("InternalErrorException", 500),
        client_error("SomethingNew", 503),
        EndpointConnectionError(endpoint_url="https://cognito-idp.us-east-1.amazonaws.com"),
    ],
)
def test_throttling_conflicts_and_server_errors_are_retried(error: Exception) -> None:
    assert is_retryable(error)
    fake = FakeTime()

    assert policy(fake).call(failing([error, error])) == "done"
    assert len(fake.sleeps) == 2


@pytest.mark.parametrize("code", ["InvalidParameterException", "ResourceNotFoundException", "NotAuthorizedException"])
def test_real_answers_are_not_retried(code: str) -> None:
    fake = FakeTime()

    with pytest.raises(ClientError):
        policy(fake).call(failing([client_error(code)]))
    assert fake.sleeps == []


def test_backoff_grows_exponentially_up_to_the_cap() -> None:
    fake = FakeTime()
    errors: list[Exception] = [client_error("InternalErrorException") for _ in range(7)]

    policy(fake, deadline=1000).call(failing(errors))

    assert fake.sleeps == [0.2, 0.4, 0.8, 1.6, 3.2, 5.0, 5.0]


def test_throttling_backoff_stays_within_about_a_second() -> None:
    # Cognito's quotas are rates per second: the next window has room again soon.
    fake = FakeTime()
    errors: list[Exception] = [client_error("TooManyRequestsException") for _ in range(6)]

    policy(fake, deadline=1000).call(failing(errors))

    assert fake.sleeps == [0.2, 0.4, 0.8, 1.0, 1.0, 1.0]


def test_full_jitter_draws_below_the_ceiling() -> None:
    fake = FakeTime()
    ceilings: list[float] = []

    def half_of_ceiling(ceiling: float) -> float:
        ceilings.append(ceiling)
        return ceiling / 2

    retry = RetryPolicy(deadline=100, sleep=fake.sleep, clock=fake.clock, jitter=half_of_ceiling)

    retry.call(failing([client_error("TooManyRequestsException")] * 3))

    assert fake.sleeps == [c / 2 for c in ceilings]


def test_no_retry_starts_that_would_end_past_the_deadline() -> None:
    fake = FakeTime()
    errors: list[Exception] = [client_error("TooManyRequestsException") for _ in range(50)]

    with pytest.raises(ClientError):
        policy(fake, deadline=3.0).call(failing(errors))
    assert fake.now < 3.0


def test_no_call_starts_once_cloudformation_was_answered() -> None:
    calls: list[str] = []
    answered = [False]
    retry = RetryPolicy(deadline=100, stopped=lambda: answered[0])

    retry.call(lambda: calls.append("first"))
    answered[0] = True  # the timeout timer answered FAILED meanwhile
    with pytest.raises(WorkStopped):
        retry.call(lambda: calls.append("second"))

    assert calls == ["first"]


@pytest.mark.parametrize(
    "error",
    [
        ConnectionClosedError(endpoint_url="https://ssm.us-east-1.amazonaws.com"),
        ReadTimeoutError(endpoint_url="https://ssm.us-east-1.amazonaws.com"),
    ],
    ids=["connection-closed", "read-timeout"],
)
def test_a_lost_answer_is_retried_for_a_repeatable_call_only(error: Exception) -> None:
    # botocore's HTTPClientError family: the request went out, its answer did not come back.
    fake = FakeTime()

    assert policy(fake).call(failing([error])) == "done"
    with pytest.raises(type(error)):
        policy(fake).call(failing([error]), repeatable=False)


@pytest.mark.parametrize("code", ["PriorRequestNotComplete", "Throttling"])
def test_route53_refusals_before_acting_are_retried_even_for_a_write(code: str) -> None:
    fake = FakeTime()

    assert policy(fake).call(failing([client_error(code, 400)]), repeatable=False) == "done"


def test_a_lost_answer_of_a_write_that_must_not_be_replayed_is_answer_lost() -> None:
    fake = FakeTime()
    lost = ConnectionClosedError(endpoint_url="https://cognito-idp.us-east-1.amazonaws.com")

    with pytest.raises(AnswerLost, match="answer was lost"):
        call_translated(policy(fake), failing([lost]), repeatable=False)
    assert fake.sleeps == []
