"""Costs of moto's paid once instead of on every call; nothing a test sees changes.

- moto 5 imports the same fixed signing key (``cognitoidp/resources/jwks-private.json``)
  in every ``CognitoIdpUserPool.__init__``. The key holds n, e and d only, so the import
  recovers the primes with big-number powers: about 0.25 s of CPU. The key is imported
  once per process and shared, and with its CRT parameters (``moto_signing_key.json``,
  worked out from moto's key once), which the import then checks instead of recovering.
- moto's server asks ``backends.list_of_moto_modules()`` on every request, which lists
  moto's folder and stats each entry (about 200). The installed modules do not change
  while a process runs, so the list is read once.
- moto's ACM makes a new 2048-bit RSA key for every requested certificate, and loads
  (and checks) the key of every certificate it stores. Requested certificates share one
  key per process, and a key already loaded is not loaded again. No test, and no code
  of the project's, reads a certificate's private key: ACM never hands it out.
- moto works out the regions a service is in (from botocore's endpoint data, for every
  partition) each time it makes an account's backend for it, which a reset makes happen
  again in every test; the list is worked out once per service.
- ``moto.ssm.models`` imports ``moto.ec2`` (0.6 s of data tables, over half of the
  endpoint's start) for one name, read only by SendCommand. It is imported with a
  stand-in for that name, which reads the real ``moto.ec2`` on first use.
"""

from __future__ import annotations

import functools
import importlib
import json
import sys
import types
from pathlib import Path
from typing import Any
from unittest import mock

from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwk
from moto import backends
from moto.acm.models import CertBundle
from moto.cognitoidp import models
from moto.core.base_backend import AccountSpecificBackend

_generate_rsa_key = rsa.generate_private_key
_load_key = CertBundle.validate_pk
# moto's own cache is per backend object (its lru_cache keys on self): none is ever reused.
_generate_regions = AccountSpecificBackend._generate_regions.__wrapped__


_SIGNING_KEY = Path(__file__).with_name("moto_signing_key.json")
_CRT_PARAMETERS = ("p", "q", "dp", "dq", "qi")


@functools.lru_cache(maxsize=4)
def _import_once(key_json: str) -> jwk.RSAKey:
    key = json.loads(key_json)
    known = json.loads(_SIGNING_KEY.read_text())
    if all(key.get(name) == known[name] for name in ("n", "e", "d")) and not set(_CRT_PARAMETERS) & set(key):
        # cryptography checks the parameters against n, e and d as it loads them.
        key |= {name: known[name] for name in _CRT_PARAMETERS}
    return jwk.RSAKey.import_key(key)


def _import_key(value: Any, *args: Any, **kwargs: Any) -> jwk.RSAKey:
    if args or kwargs or not isinstance(value, dict):
        return jwk.RSAKey.import_key(value, *args, **kwargs)
    return _import_once(json.dumps(value, sort_keys=True))


@functools.lru_cache(maxsize=4)
def _rsa_key_once(public_exponent: int, key_size: int) -> rsa.RSAPrivateKey:
    return _generate_rsa_key(public_exponent=public_exponent, key_size=key_size)


def _generate_rsa_key_once(public_exponent: int, key_size: int, backend: Any = None) -> rsa.RSAPrivateKey:
    return _rsa_key_once(public_exponent, key_size)


_loaded_keys: dict[bytes, Any] = {}


def _validate_pk_once(bundle: CertBundle) -> Any:
    key = bytes(bundle.key)
    if key not in _loaded_keys:
        _loaded_keys[key] = _load_key(bundle)  # raises moto's own refusal for a bad key
    return _loaded_keys[key]


_regions: dict[str, list[str]] = {}


def _generate_regions_once(backend: AccountSpecificBackend, service_name: str) -> list[str]:
    if service_name not in _regions:
        _regions[service_name] = _generate_regions(backend, service_name)
    return _regions[service_name]


class _Ec2BackendsOnFirstUse:
    """``moto.ec2.ec2_backends`` as ``moto.ssm.models`` sees it: imported when first read."""

    def __getitem__(self, account_id: str) -> Any:
        from moto.ec2 import ec2_backends

        return ec2_backends[account_id]


def moto_ssm_models() -> types.ModuleType:
    """``moto.ssm.models``, imported without importing ``moto.ec2`` (done once per process)."""
    if "moto.ssm.models" in sys.modules or "moto.ec2" in sys.modules:
        return importlib.import_module("moto.ssm.models")
    stand_in = types.ModuleType("moto.ec2")
    stand_in.ec2_backends = _Ec2BackendsOnFirstUse()  # type: ignore[attr-defined]
    sys.modules["moto.ec2"] = stand_in
    try:
        return importlib.import_module("moto.ssm.models")
    finally:
        # Anything that imports moto.ec2 from now on gets the real module.
        if sys.modules.get("moto.ec2") is stand_in:
            del sys.modules["moto.ec2"]


def moto_cost_patches() -> list[Any]:
    """Patches that make moto remember its signing key, its list of modules, its certificates' keys and regions."""
    modules = tuple(backends.list_of_moto_modules())
    cached_rsa_key = types.SimpleNamespace(import_key=_import_key)
    return [
        mock.patch.object(models, "jwk", types.SimpleNamespace(RSAKey=cached_rsa_key)),
        mock.patch.object(backends, "list_of_moto_modules", return_value=modules),
        mock.patch.object(rsa, "generate_private_key", _generate_rsa_key_once),
        mock.patch.object(CertBundle, "validate_pk", _validate_pk_once),
        mock.patch.object(AccountSpecificBackend, "_generate_regions", _generate_regions_once),
    ]
