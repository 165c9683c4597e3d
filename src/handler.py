"""The CloudFormation entry point: one Lambda serving every custom resource type here.

It checks that the request could only have come from CloudFormation, picks the
resource module by ``ResourceType`` and lets crhelper run the request. A fresh
responder per invocation means a warm Lambda carries nothing from one event into
the next. Nothing Cognito-specific lives here.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from cfn.driver import LambdaContextLike, LifecycleDriver, OpsFactory, default_ops, poll_state
from cfn.logs import install_redaction, log_level, use_request_ids
from cfn.responder import CloudFormationResponder
from cfn.response_url_guard import response_url_problem, without_query
from clock import SYSTEM_CLOCK, Clock
from resources.lifecycle import ResourceFailure
from resources.registry import lifecycle_of

logger = logging.getLogger(__name__)

# What crhelper reads with event[...] before it runs anything (CloudFormation always sends them).
REQUIRED_FIELDS = ("RequestType", "StackId", "RequestId", "LogicalResourceId")


def handler(
    event: dict[str, Any],
    context: LambdaContextLike,
    ops_factory: OpsFactory = default_ops,
    clock: Clock = SYSTEM_CLOCK,
) -> None:
    install_redaction()
    responder = CloudFormationResponder()
    # From here on every line carries this request's ids, not the previous invocation's.
    use_request_ids(event, getattr(context, "aws_request_id", ""), log_level(), "WARNING")
    response_url = event.get("ResponseURL") if isinstance(event, dict) else None
    problem = response_url_problem(response_url, os.environ.get("AWS_ENDPOINT_URL"))
    if problem:
        # Nothing is sent: answering would hand our data to whoever forged the event.
        logger.error(
            "Refusing a request that did not come from CloudFormation: %s (ResponseURL %s)",
            problem,
            without_query(response_url),
        )
        return
    malformed = malformed_event_problem(event)
    if malformed:
        # crhelper reads these fields with event[...] before running anything.
        logger.error("Answering FAILED without running: %s", malformed)
        responder.answer_failed_without_running(event, malformed)
        return
    refusal = request_refusal(event)
    if refusal:
        # crhelper answers FAILED with this reason instead of running any handler.
        responder.init_failure(ValueError(refusal))
    resource_type = str(event.get("ResourceType", ""))
    driver = LifecycleDriver(lifecycle_of(resource_type), resource_type, responder, ops_factory, clock)
    responder.create(driver.create)
    responder.update(driver.update)
    responder.delete(driver.delete)
    responder.poll_create(driver.poll)
    responder.poll_update(driver.poll)
    responder.poll_delete(driver.poll)
    logger.info(
        "%s %s %s", event.get("RequestType"), resource_type[:100], str(event.get("LogicalResourceId", ""))[:100]
    )
    responder(event, context)


def malformed_event_problem(event: dict[str, Any]) -> str | None:
    """Why crhelper cannot even start on the event: a field every request carries is missing."""
    missing = [field for field in REQUIRED_FIELDS if not isinstance(event.get(field), str) or not event.get(field)]
    if missing:
        return f"The request is missing {', '.join(missing)} (or they are not strings); it cannot be processed"
    return None


def request_refusal(event: dict[str, Any]) -> str | None:
    """Why a well-formed event must be answered FAILED without running any handler."""
    if event["RequestType"] not in ("Create", "Update", "Delete"):
        return f"Unsupported RequestType {event['RequestType'][:50]!r}: expected Create, Update or Delete"
    if "CrHelperPoll" in event:
        # Only LifecycleDriver hands a request over to polling, and it always writes
        # its poll state before crhelper copies the event into the EventBridge rule's
        # input. A poll marker without it would otherwise answer SUCCESS with no work done.
        try:
            poll_state(event)
        except ResourceFailure as refusal:
            return str(refusal)
    return None
