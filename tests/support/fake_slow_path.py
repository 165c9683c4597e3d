"""The slow path's store and scheduler in memory, for tests that must not reach AWS."""

from __future__ import annotations

from typing import Any

from aws.operations import SlowPath
from aws.retry import RetryPolicy


class InMemoryChangeRecords:
    def __init__(self) -> None:
        self.records: dict[tuple[str, str], str] = {}

    def save(self, resource_key: str, change_id: str, document: str) -> None:
        self.records[(resource_key, change_id)] = document

    def load(self, resource_key: str, change_id: str) -> str | None:
        return self.records.get((resource_key, change_id))

    def forget(self, resource_key: str, change_id: str) -> None:
        self.records.pop((resource_key, change_id), None)

    def change_ids(self, resource_key: str) -> list[str]:
        return [change_id for key, change_id in self.records if key == resource_key]


class InMemoryPollSchedules:
    def __init__(self) -> None:
        self.schedules: dict[str, tuple[float, dict[str, Any]]] = {}

    def schedule(self, name: str, at: float, payload: dict[str, Any]) -> bool:
        if name in self.schedules:
            return False
        self.schedules[name] = (at, payload)
        return True

    def cancel(self, name: str) -> None:
        self.schedules.pop(name, None)


class InMemorySlowPath:
    """One store and one scheduler shared by every invocation of a test."""

    def __init__(self) -> None:
        self.changes = InMemoryChangeRecords()
        self.schedules = InMemoryPollSchedules()

    def __call__(self, retry: RetryPolicy, target_arn: str) -> SlowPath:
        return SlowPath(changes=self.changes, schedules=self.schedules)
