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

from cfn_responder import CloudFormationResponder
from lifecycle_driver import LambdaContextLike, LifecycleDriver, OpsFactory, default_ops
from log_setup import install_redaction, log_level
from properties import client_settings as client_settings_properties
from properties import domain as domain_properties
from resources import client_settings, domain
from resources.lifecycle import ResourceLifecycle
from response_url_guard import response_url_problem, without_query

logger = logging.getLogger(__name__)

RESOURCE_TYPES: dict[str, ResourceLifecycle] = {
    domain_properties.RESOURCE_TYPE: domain,
    client_settings_properties.RESOURCE_TYPE: client_settings,
}


def handler(event: dict[str, Any], context: LambdaContextLike, ops_factory: OpsFactory = default_ops) -> None:
    logging.root.setLevel(log_level())
    install_redaction()
    problem = response_url_problem(
        event.get("ResponseURL") if isinstance(event, dict) else None, os.environ.get("AWS_ENDPOINT_URL")
    )
    if problem:
        # Nothing is sent: answering would hand our data to whoever forged the event.
        logger.error(
            "Refusing a request that did not come from CloudFormation: %s (ResponseURL %s)",
            problem,
            without_query(event.get("ResponseURL") if isinstance(event, dict) else None),
        )
        return
    resource_type = str(event.get("ResourceType", ""))
    responder = CloudFormationResponder()
    if event.get("RequestType") not in ("Create", "Update", "Delete"):
        # crhelper answers FAILED with this reason instead of running any handler.
        responder.init_failure(
            ValueError(
                f"Unsupported RequestType {str(event.get('RequestType'))[:50]!r}: expected Create, Update or Delete"
            )
        )
    driver = LifecycleDriver(RESOURCE_TYPES.get(resource_type), resource_type, responder, ops_factory)
    responder.create(driver.create)
    responder.update(driver.update)
    responder.delete(driver.delete)
    responder.poll_create(driver.poll)
    responder.poll_update(driver.poll)
    logger.info(
        "%s %s %s", event.get("RequestType"), resource_type[:100], str(event.get("LogicalResourceId", ""))[:100]
    )
    responder(event, context)
