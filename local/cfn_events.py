"""CloudFormation-shaped custom resource events, built the way CloudFormation builds them.

CloudFormation recasts every scalar property as a string ("2", "true"), sends
``ServiceToken`` (and ``ServiceTimeout`` when set) inside ``ResourceProperties``,
and adds ``PhysicalResourceId`` and ``OldResourceProperties`` where the request
type calls for them.
"""

from __future__ import annotations

import uuid
from typing import Any

STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/notes-app-dev/5b0d2ec0-8a4e-11ef-a1b2-0a1b2c3d4e5f"
SERVICE_TOKEN = "arn:aws:lambda:us-east-1:123456789012:function:cognito-resources-provider"


def as_cloudformation_sends(value: Any) -> Any:
    """Scalars become strings, as CloudFormation passes them to a custom resource."""
    if isinstance(value, dict):
        return {key: as_cloudformation_sends(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_cloudformation_sends(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


class EventFactory:
    def __init__(self, response_url_for: Any, stack_id: str = STACK_ID, service_timeout: int | None = None) -> None:
        self._response_url_for = response_url_for
        self._stack_id = stack_id
        self._service_timeout = service_timeout

    def _event(self, request_type: str, resource_type: str, logical_id: str, properties: Any) -> dict[str, Any]:
        request_id = str(uuid.uuid4())
        resource_properties = as_cloudformation_sends(properties)
        if isinstance(resource_properties, dict):
            resource_properties = {"ServiceToken": SERVICE_TOKEN, **resource_properties}
            if self._service_timeout is not None:
                resource_properties["ServiceTimeout"] = str(self._service_timeout)
        return {
            "RequestType": request_type,
            "ServiceToken": SERVICE_TOKEN,
            "ResponseURL": self._response_url_for(request_id),
            "StackId": self._stack_id,
            "RequestId": request_id,
            "LogicalResourceId": logical_id,
            "ResourceType": resource_type,
            "ResourceProperties": resource_properties,
        }

    def create(self, resource_type: str, logical_id: str, properties: Any) -> dict[str, Any]:
        return self._event("Create", resource_type, logical_id, properties)

    def update(
        self, resource_type: str, logical_id: str, physical_id: str, properties: Any, old_properties: Any
    ) -> dict[str, Any]:
        event = self._event("Update", resource_type, logical_id, properties)
        event["PhysicalResourceId"] = physical_id
        old = as_cloudformation_sends(old_properties)
        event["OldResourceProperties"] = {"ServiceToken": SERVICE_TOKEN, **old} if isinstance(old, dict) else old
        return event

    def delete(self, resource_type: str, logical_id: str, physical_id: str, properties: Any) -> dict[str, Any]:
        event = self._event("Delete", resource_type, logical_id, properties)
        event["PhysicalResourceId"] = physical_id
        return event
