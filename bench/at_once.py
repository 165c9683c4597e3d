"""Events sent to the handler all at once, as many Lambdas would run them: their answers, and how long."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def answered_at_once(bench: Any, events: list[dict[str, Any]], wait_seconds: float = 120) -> tuple[list[str], float]:
    """Each event's answer Status, in order, and the seconds from the first send to the last answer."""

    def answer_status(event: dict[str, Any]) -> str:
        bench.handler.handler(event, bench.context(timeout_seconds=600), ops_factory=bench.ops_factory)
        return str(bench.responses.wait_for(event["RequestId"], timeout=wait_seconds)["Status"])

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(events)) as lambdas:
        statuses = list(lambdas.map(answer_status, events))
    return statuses, time.perf_counter() - started
