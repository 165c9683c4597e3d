"""Two of moto's costs paid once instead of on every call; nothing a test sees changes.

- moto 5 imports the same fixed signing key (``cognitoidp/resources/jwks-private.json``)
  in every ``CognitoIdpUserPool.__init__``. The import recovers the RSA primes in pure
  Python, about 0.1 s of CPU per pool; the key is imported once and shared.
- moto's server asks ``backends.list_of_moto_modules()`` on every request, which lists
  moto's folder and stats each entry (about 200). The installed modules do not change
  while a process runs, so the list is read once.
"""

from __future__ import annotations

import functools
import json
import types
from typing import Any
from unittest import mock

from joserfc import jwk
from moto import backends
from moto.cognitoidp import models


@functools.lru_cache(maxsize=4)
def _import_once(key_json: str) -> jwk.RSAKey:
    return jwk.RSAKey.import_key(json.loads(key_json))


def _import_key(value: Any, *args: Any, **kwargs: Any) -> jwk.RSAKey:
    if args or kwargs or not isinstance(value, dict):
        return jwk.RSAKey.import_key(value, *args, **kwargs)
    return _import_once(json.dumps(value, sort_keys=True))


def moto_cost_patches() -> list[Any]:
    """Patches that make moto remember its signing key and its list of modules."""
    modules = tuple(backends.list_of_moto_modules())
    cached_rsa_key = types.SimpleNamespace(import_key=_import_key)
    return [
        mock.patch.object(models, "jwk", types.SimpleNamespace(RSAKey=cached_rsa_key)),
        mock.patch.object(backends, "list_of_moto_modules", return_value=modules),
    ]
