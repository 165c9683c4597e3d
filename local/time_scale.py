"""One time scale for a local run: the local Cognito's modelled waits and the handler's waits.

``LOCAL_COGNITO_TIME_SCALE`` (default 1, real time) shrinks both together: the
double's CREATING / DELETING / validation times (local/faithful_server.py), and the
handler's check intervals, through a clock whose seconds last ``scale`` real seconds.
The test suite runs ``make local`` at 0.1 to check what it prints without waiting as
long as Cognito would; a person running ``make local`` sees Cognito's pace.
"""

from __future__ import annotations

import os
import time

from local.lambda_context import FakeLambdaContext


def time_scale() -> float:
    try:
        scale = float(os.environ.get("LOCAL_COGNITO_TIME_SCALE", "1"))
    except ValueError:
        return 1.0
    return scale if 0 < scale <= 1 else 1.0


class ScaledClock:
    """Time that passes ``1 / scale`` times faster than the wall clock (``src/clock.py``'s Clock)."""

    def __init__(self, scale: float) -> None:
        self._scale = scale
        self._started_wall = time.time()
        self._started = time.monotonic()

    def monotonic(self) -> float:
        return time.monotonic() / self._scale

    def time(self) -> float:
        # Wall time that started now and runs as fast as this clock: a poll scheduled
        # a minute ahead (EventBridge Scheduler, at()) comes due after scale minutes.
        return self._started_wall + (time.monotonic() - self._started) / self._scale

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds * self._scale)

    def context(self, timeout_seconds: float, function_name: str = "cognito-resources-provider") -> FakeLambdaContext:
        """A Lambda context whose remaining time runs on this clock."""
        return FakeLambdaContext(timeout_seconds=timeout_seconds, function_name=function_name, clock=self.monotonic)
