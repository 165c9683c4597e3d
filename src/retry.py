"""Retries with exponential backoff and full jitter, bounded by a deadline.

Cognito's request quotas are small and cannot be raised (for example 5 app client
updates per second per pool; Cognito developer guide, "Quotas in Amazon
Cognito"), so a stack that configures many resources at once is throttled as a
matter of course. Throttling, concurrent modification and transient server errors
are retried; everything else is a real answer and is not.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from botocore.exceptions import ClientError, ConnectionError, ReadTimeoutError

T = TypeVar("T")

RETRYABLE_ERROR_CODES = frozenset(
    {
        "TooManyRequestsException",
        "ThrottlingException",
        "Throttling",
        "RequestLimitExceeded",
        "ConcurrentModificationException",
        "InternalErrorException",
        "ServiceUnavailable",
        "ServiceUnavailableException",
    }
)


def is_retryable(error: Exception) -> bool:
    if isinstance(error, (ConnectionError, ReadTimeoutError)):
        return True
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return code in RETRYABLE_ERROR_CODES or status >= 500
    return False


@dataclass
class RetryPolicy:
    """Retry ``call``s until they succeed, fail for good, or the deadline nears.

    ``deadline`` is a ``time.monotonic()`` value; no retry starts whose backoff
    would end after it, so the caller always keeps time to answer CloudFormation.
    """

    deadline: float
    base_delay: float = 0.2
    max_delay: float = 5.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[float], float] = field(default=lambda ceiling: random.uniform(0, ceiling))
    retries_made: int = 0

    def call(self, operation: Callable[[], T]) -> T:
        attempt = 0
        while True:
            try:
                return operation()
            except Exception as error:
                if not is_retryable(error):
                    raise
                delay = self.jitter(min(self.max_delay, self.base_delay * 2**attempt))
                if self.clock() + delay >= self.deadline:
                    raise
                attempt += 1
                self.retries_made += 1
                self.sleep(delay)
