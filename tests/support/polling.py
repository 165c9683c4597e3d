"""What crhelper's polling left in the local EventBridge: the events it would deliver to the function."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3


def scheduled_polls() -> list[dict[str, Any]]:
    """The events EventBridge would deliver to the function: one per polling rule."""
    events = boto3.client("events", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    polls = []
    for rule in events.list_rules()["Rules"]:
        assert rule["ScheduleExpression"] == "rate(1 minute)"
        for target in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]:
            polls.append(json.loads(target["Input"]))
    return polls
