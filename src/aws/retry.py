"""Retries with exponential backoff and full jitter, bounded by a deadline.

Cognito's request quotas are small and cannot be raised (developer guide,
"Quotas in Amazon Cognito": the UserPoolClient and UserPoolResource categories
allow 15 requests per second per account and 5 per second for one user pool), so
a stack that configures many resources at once is throttled as a matter of course.

What is retried depends on whether repeating the call is safe:

- throttling is always retried: the service refused the call before acting on it
  (Route 53's PriorRequestNotComplete too);
- a lost answer (connection closed or reset, read timeout: botocore's
  ``HTTPClientError`` family; HTTP 5xx) and
  ``ConcurrentModificationException`` are retried only for calls marked
  ``repeatable``: reads, and writes whose repetition lands in the same state
  (each write in cognito_ops.py says why it is or is not repeatable).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

T = TypeVar("T")

# TooManyUpdates: Parameter Store refusing concurrent updates of one parameter (SSM API
# reference, PutParameter errors: "There are concurrent updates for a resource that
# supports one update at a time"); like throttling, it was refused before acting.
# PriorRequestNotComplete: Route 53 still processing an earlier change (Route 53 API
# reference, ChangeResourceRecordSets errors: "wait ... and then resubmit"); also refused
# before acting. Throttling, "Rate exceeded": Route 53's own throttling code.
THROTTLING_ERROR_CODES = frozenset(
    {
        "TooManyRequestsException",
        "ThrottlingException",
        "Throttling",
        "RequestLimitExceeded",
        "TooManyUpdates",
        "PriorRequestNotComplete",
    }
)
# The call may have acted, or conflicted with another writer: safe to repeat only
# when repeating it cannot undo someone else's change.
AMBIGUOUS_ERROR_CODES = frozenset(
    {"ConcurrentModificationException", "InternalErrorException", "ServiceUnavailable", "ServiceUnavailableException"}
)


def is_throttling(error: Exception) -> bool:
    return isinstance(error, ClientError) and error.response.get("Error", {}).get("Code") in THROTTLING_ERROR_CODES


def is_retryable(error: Exception, repeatable: bool = True) -> bool:
    # ConnectionClosedError and ReadTimeoutError are HTTPClientErrors: the request went out
    # and its answer did not come back, so the call may have acted.
    if isinstance(error, (ConnectionError, HTTPClientError)):
        return repeatable
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code in THROTTLING_ERROR_CODES:
            return True
        return repeatable and (code in AMBIGUOUS_ERROR_CODES or status >= 500)
    return False


class WorkStopped(Exception):
    """The request was answered already (the timeout timer fired): nothing more may be changed."""


@dataclass
class RetryPolicy:
    """Retry ``call``s until they succeed, fail for good, or the deadline nears.

    ``deadline`` is a ``clock()`` value; no retry starts whose backoff would end
    after it, so the caller always keeps time to answer CloudFormation.
    """

    deadline: float
    base_delay: float = 0.2
    max_delay: float = 5.0
    throttle_max_delay: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[float], float] = field(default=lambda ceiling: random.uniform(0, ceiling))
    retries_made: int = 0
    # True once CloudFormation has been answered (the timeout timer may answer
    # FAILED while the handler still runs): from then on no call starts.
    stopped: Callable[[], bool] = lambda: False

    def call(self, operation: Callable[[], T], *, repeatable: bool = True) -> T:
        attempt = 0
        while True:
            if self.stopped():
                raise WorkStopped("CloudFormation was already answered for this request; no further Cognito call")
            try:
                return operation()
            except Exception as error:
                if not is_retryable(error, repeatable):
                    raise
                # Cognito's quotas are rates per second: a throttled call is best retried
                # within the next second or so, when the window has room again; longer
                # only leaves capacity unused (measured by make bench's parallel rows).
                ceiling = self.throttle_max_delay if is_throttling(error) else self.max_delay
                delay = self.jitter(min(ceiling, self.base_delay * 2**attempt))
                if self.clock() + delay >= self.deadline:
                    raise
                attempt += 1
                self.retries_made += 1
                self.sleep(delay)

    def time_left(self) -> float:
        return self.deadline - self.clock()
