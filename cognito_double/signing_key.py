"""moto's user pools all sign with one fixed key; import it once, not per pool.

moto 5 reads ``cognitoidp/resources/jwks-private.json`` and imports it with joserfc in
every ``CognitoIdpUserPool.__init__``. The import recovers the RSA primes in pure
Python (about 0.1 s of CPU), which made pool creation the costliest thing in the test
suite. Every pool gets the same key either way, so nothing a test can see changes.
"""

from __future__ import annotations

import functools
import json
import types
from typing import Any
from unittest import mock

from joserfc import jwk
from moto.cognitoidp import models


@functools.lru_cache(maxsize=4)
def _import_once(key_json: str) -> jwk.RSAKey:
    return jwk.RSAKey.import_key(json.loads(key_json))


def _import_key(value: Any, *args: Any, **kwargs: Any) -> jwk.RSAKey:
    if args or kwargs or not isinstance(value, dict):
        return jwk.RSAKey.import_key(value, *args, **kwargs)
    return _import_once(json.dumps(value, sort_keys=True))


def signing_key_patches() -> list[Any]:
    """A ``jwk`` for moto's Cognito models whose ``RSAKey.import_key`` remembers its keys."""
    cached_rsa_key = types.SimpleNamespace(import_key=_import_key)
    return [mock.patch.object(models, "jwk", types.SimpleNamespace(RSAKey=cached_rsa_key))]
