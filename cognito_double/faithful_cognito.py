"""moto, with the double's rules installed: the entry point of the local Cognito.

``install()`` patches moto's request handlers (so it works the same in-process and in
moto's server mode) with the rules of ``cognito_domains``, ``cognito_clients``,
``managed_login_branding``, ``acm``, ``route53``, ``ssm`` and ``transport``, all sharing one ``FaithfulCognito``
state. The rules, their sources and their tests: docs/design/double.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from moto.cognitoidp.responses import CognitoIdpResponse

from cognito_double.acm import acm_patches
from cognito_double.cognito_clients import make_client_handlers
from cognito_double.cognito_domains import make_domain_handlers
from cognito_double.managed_login_branding import make_branding_handlers
from cognito_double.moto_costs import moto_cost_patches
from cognito_double.route53 import route53_patches
from cognito_double.ssm import ssm_patches
from cognito_double.state import FaithfulCognito
from cognito_double.transport import transport_patches

__all__ = ["FaithfulCognito", "install"]


@contextmanager
def install() -> Iterator[FaithfulCognito]:
    """Patch moto for the duration of the block; yields the double's state."""
    state = FaithfulCognito()
    handlers = {**make_domain_handlers(state), **make_client_handlers(state), **make_branding_handlers(state)}
    # create=True: moto has no branding methods; call_action finds the added ones by name.
    patches = [mock.patch.object(CognitoIdpResponse, name, handler, create=True) for name, handler in handlers.items()]
    patches += acm_patches(state) + route53_patches(state) + ssm_patches(state) + transport_patches(state)
    patches += moto_cost_patches()
    for patch in patches:
        patch.start()
    try:
        yield state
    finally:
        for patch in reversed(patches):
            patch.stop()
