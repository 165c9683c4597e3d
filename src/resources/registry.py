"""The one list of resource types this function serves; everything else derives from it."""

from __future__ import annotations

from properties import certificate as certificate_properties
from properties import client_settings as client_settings_properties
from properties import domain as domain_properties
from resources import certificate, client_settings, domain
from resources.lifecycle import ResourceLifecycle

RESOURCE_TYPES: dict[str, ResourceLifecycle] = {
    domain_properties.RESOURCE_TYPE: domain,
    client_settings_properties.RESOURCE_TYPE: client_settings,
    certificate_properties.RESOURCE_TYPE: certificate,
}
# The property names each type accepts (besides ServiceToken and ServiceTimeout).
PROPERTY_NAMES: dict[str, frozenset[str]] = {
    domain_properties.RESOURCE_TYPE: domain_properties.KNOWN_PROPERTIES,
    client_settings_properties.RESOURCE_TYPE: client_settings_properties.KNOWN_PROPERTIES,
    certificate_properties.RESOURCE_TYPE: certificate_properties.KNOWN_PROPERTIES,
}


def supported_types() -> str:
    """The types, as a reason names them: "A or B"."""
    names = sorted(RESOURCE_TYPES)
    return " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
