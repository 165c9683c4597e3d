"""A stand-in for the Lambda runtime's context object."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class FakeLambdaContext:
    timeout_seconds: float = 300.0
    function_name: str = "cognito-resources-provider"
    memory_limit_in_mb: int = 256
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    # The clock the remaining time is read from: a test's fake clock makes the
    # invocation's time pass as the code under test "sleeps".
    clock: Callable[[], float] = time.monotonic
    started: float | None = None

    def __post_init__(self) -> None:
        if self.started is None:
            self.started = self.clock()

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        elapsed = self.clock() - (self.started or 0.0)
        return max(0, int((self.timeout_seconds - elapsed) * 1000))
