"""A clock whose ``sleep`` moves time on instead of waiting: slow Cognito changes in milliseconds.

Give the same instance to the double (``FaithfulCognito.clock = clock.monotonic``)
and to the code under test, and a domain that is CREATING for ten minutes turns
ACTIVE after the code has "slept" ten minutes, at once.
"""

from __future__ import annotations

import threading


class FakeClock:
    def __init__(self, start: float = 1_000_000.0, wall_offset: float = 1_700_000_000.0) -> None:
        self._now = start
        self._wall_offset = wall_offset
        self._lock = threading.Lock()
        self.slept = 0.0

    def monotonic(self) -> float:
        with self._lock:
            return self._now

    def time(self) -> float:
        with self._lock:
            return self._now + self._wall_offset

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)
        with self._lock:
            self.slept += max(seconds, 0.0)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += max(seconds, 0.0)
