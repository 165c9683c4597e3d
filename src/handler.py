"""The CloudFormation entry point: one Lambda serving every custom resource type here.

It checks that the request could only have come from CloudFormation (or is a poll
that names a change this function recorded), picks the resource module by
``ResourceType`` and lets crhelper run the request. A fresh responder per invocation
means a warm Lambda carries nothing from one event into the next.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from aws.retry import RetryPolicy
from cfn.driver import LambdaContextLike, LifecycleDriver, OpsFactory, SlowPathFactory, default_ops, default_slow_path
from cfn.logs import install_redaction, log_level, use_request_ids
from cfn.responder import CloudFormationResponder
from cfn.response_url_guard import response_url_problem, without_query
from cfn.slow_changes import POLL_KEY, PendingChange, PollReference
from clock import SYSTEM_CLOCK, Clock
from resources.registry import lifecycle_of

logger = logging.getLogger(__name__)

# What crhelper reads with event[...] before it runs anything (CloudFormation always sends them).
REQUIRED_FIELDS = ("RequestType", "StackId", "RequestId", "LogicalResourceId")
# Seconds a poll may spend finding its record before it gives up (it sends no answer either way).
_POLL_LOOKUP_SECONDS = 20.0


def handler(
    event: dict[str, Any],
    context: LambdaContextLike,
    ops_factory: OpsFactory = default_ops,
    clock: Clock = SYSTEM_CLOCK,
    slow_path_factory: SlowPathFactory = default_slow_path,
) -> None:
    install_redaction()
    continuing = None
    if isinstance(event, dict) and POLL_KEY in event:
        continuing = recorded_change(event, context, clock, slow_path_factory)
        if continuing is None:
            return
        event = continuing.cloudformation_event()
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
    driver = LifecycleDriver(
        lifecycle_of(resource_type), resource_type, responder, ops_factory, clock, slow_path_factory, continuing
    )
    responder.create(driver.create)
    responder.update(driver.update)
    responder.delete(driver.delete)
    logger.info(
        "%s %s %s%s",
        event.get("RequestType"),
        resource_type[:100],
        str(event.get("LogicalResourceId", ""))[:100],
        f" (poll, step {continuing.sequence})" if continuing is not None else "",
    )
    responder(event, context)
    driver.after_answer(context)


def recorded_change(
    event: dict[str, Any], context: LambdaContextLike, clock: Clock, slow_path_factory: SlowPathFactory
) -> PendingChange | None:
    """The change a poll names, when this function recorded it and the poll is its current step; else ``None``.

    Nothing but the reference is read from a poll event: the change itself comes from
    the function's own store, so a forged or replayed poll cannot name what to touch.
    """
    try:
        poll = PollReference.from_event(event)
    except ValueError as error:
        logger.warning("Ignoring a poll this function did not schedule: %s", error)
        return None
    retry = RetryPolicy(deadline=clock.monotonic() + _POLL_LOOKUP_SECONDS, sleep=clock.sleep, clock=clock.monotonic)
    target_arn = str(getattr(context, "invoked_function_arn", ""))
    try:
        document = slow_path_factory(retry, target_arn).changes.load(poll.resource_key, poll.change_id)
        change = PendingChange.from_document(document) if document is not None else None
    except ValueError as error:
        logger.error("Ignoring a poll whose change record is unreadable (%s): %s", poll.change_id, error)
        return None
    except Exception as error:
        # Raised, so that Lambda runs the poll again (asynchronous invocation: two retries,
        # Lambda developer guide, "Error handling ... asynchronous invocation"): returning would
        # leave the change with no poll to come and CloudFormation waiting for its timeout.
        logger.error("Could not read the change this poll names (%s): %s", poll.change_id, error)
        raise
    if change is None:
        logger.info("Ignoring a poll for change %s: no such change is in flight (answered already?)", poll.change_id)
        return None
    if not change.answers(poll):
        logger.warning(
            "Ignoring a poll that does not match the change it names (%s, step %d)", poll.change_id, poll.sequence
        )
        return None
    return change


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
        # Polls of crhelper's own kind come only from the previous version's EventBridge
        # rules, whose state travelled in the event and cannot be trusted.
        return (
            "This poll was scheduled by an earlier version of this function, whose polling is gone; "
            "nothing was done. Run the stack operation again, and delete the EventBridge rule named in "
            "CrHelperRule (README, troubleshooting)"
        )
    return None
