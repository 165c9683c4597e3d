"""The one list of resource types this function serves: name, lifecycle module, properties, attributes.

Routing (handler.py), the unsupported-type message, the hostile-input tests, the
cfn-lint schemas and the reference docs all read it; nothing else lists the types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from properties import certificate as certificate_properties
from properties import client_settings as client_settings_properties
from properties import client_urls as client_urls_properties
from properties import domain as domain_properties
from resources import certificate, client_settings, client_urls, domain
from resources.lifecycle import ResourceLifecycle


@dataclass(frozen=True)
class ResourceType:
    name: str
    lifecycle: ResourceLifecycle
    # Property names it accepts (besides ServiceToken and ServiceTimeout, which every type takes).
    properties: frozenset[str]
    # Names the answer's Data may carry, for Fn::GetAtt.
    attributes: frozenset[str]


REGISTRY: tuple[ResourceType, ...] = (
    ResourceType(domain_properties.RESOURCE_TYPE, domain, domain_properties.KNOWN_PROPERTIES, domain.ATTRIBUTES),
    ResourceType(
        client_settings_properties.RESOURCE_TYPE,
        client_settings,
        client_settings_properties.KNOWN_PROPERTIES,
        client_settings.ATTRIBUTES,
    ),
    ResourceType(
        client_urls_properties.RESOURCE_TYPE,
        client_urls,
        client_urls_properties.KNOWN_PROPERTIES,
        client_urls.ATTRIBUTES,
    ),
    ResourceType(
        certificate_properties.RESOURCE_TYPE,
        certificate,
        certificate_properties.KNOWN_PROPERTIES,
        certificate.ATTRIBUTES,
    ),
)
RESOURCE_TYPES: Mapping[str, ResourceType] = {resource_type.name: resource_type for resource_type in REGISTRY}


def lifecycle_of(name: str) -> ResourceLifecycle | None:
    resource_type = RESOURCE_TYPES.get(name)
    return resource_type.lifecycle if resource_type is not None else None


def supported_types() -> str:
    """The types, as a reason names them: "A or B"."""
    names = sorted(RESOURCE_TYPES)
    return " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
