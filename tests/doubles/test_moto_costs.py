"""moto's costs paid once (cognito_double/moto_costs.py) without changing what moto does."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwk, jwt
from joserfc._rfc7518 import rsa_key
from moto.cognitoidp.models import CognitoIdpBackend
from moto.core.base_backend import BackendDict
from moto.ssm import models as ssm_models
from moto.ssm.models import SimpleSystemManagerBackend
from moto.utilities.utils import load_resource

from cognito_double import moto_costs

ROOT = Path(__file__).resolve().parents[2]
MOTO_SIGNING_KEY = "cognitoidp/resources/jwks-private.json"  # the one moto imports for every user pool


def test_moto_ssm_holds_a_stand_in_for_ec2_that_reads_the_real_module_on_first_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The session imported the double (tests/conftest.py), and moto.ssm with it.
    stand_in = ssm_models.ec2_backends
    assert isinstance(stand_in, moto_costs._Ec2BackendsOnFirstUse)
    # No stand-in module is left behind: whatever imports moto.ec2 later gets the package.
    assert "moto.ec2" not in sys.modules or hasattr(sys.modules["moto.ec2"], "__path__")
    # SendCommand's read goes to moto.ec2 as it is then (a small one here: the real one costs 0.6 s).
    ec2 = types.ModuleType("moto.ec2")
    ec2.ec2_backends = {"111122223333": {"us-east-1": "one"}, "444455556666": {"us-east-1": "another"}}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "moto.ec2", ec2)
    assert stand_in["111122223333"]["us-east-1"] == "one"
    assert stand_in["444455556666"]["us-east-1"] == "another"


def test_the_double_imports_without_moto_ec2() -> None:
    # A fresh interpreter: this session's own imports say nothing of what the double needs.
    completed = subprocess.run(
        [sys.executable, "-c", "import sys, cognito_double.ssm; print('moto.ec2' in sys.modules)"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "False"


def test_backends_made_after_a_reset_are_in_the_regions_moto_works_out_for_their_service(faithful: Any) -> None:
    ssm_first = BackendDict(SimpleSystemManagerBackend, "ssm")["111122223333"]
    ssm_again = BackendDict(SimpleSystemManagerBackend, "ssm")["111122223333"]
    cognito = BackendDict(CognitoIdpBackend, "cognito-idp")["111122223333"]

    assert ssm_first.regions == ssm_again.regions == moto_costs._generate_regions(ssm_first, "ssm")
    assert cognito.regions == moto_costs._generate_regions(cognito, "cognito-idp")
    # Cognito is in fewer regions than Parameter Store (none in China): each service has its own list.
    assert "cn-north-1" in ssm_first.regions
    assert "cn-north-1" not in cognito.regions


def _recovering_primes(**kwargs: Any) -> Any:
    """Watches joserfc's call that recovers p and q from n, e and d (the slow step)."""
    return mock.patch.object(rsa_key, "rsa_recover_prime_factors", **kwargs)


def _import_without_cache(key: dict[str, Any]) -> jwk.RSAKey:
    return moto_costs._import_once.__wrapped__(json.dumps(key, sort_keys=True))


def test_moto_signing_key_is_imported_with_its_stored_crt_parameters_and_signs_as_moto_key() -> None:
    moto_key = load_resource(MOTO_SIGNING_KEY)
    # moto_signing_key.json belongs to this key: a moto release with another key fails here.
    stored = json.loads(moto_costs._SIGNING_KEY.read_text())
    assert {name: stored[name] for name in ("n", "e", "d")} == {name: moto_key[name] for name in ("n", "e", "d")}

    with _recovering_primes(side_effect=AssertionError("primes recovered")):
        imported = _import_without_cache(moto_key)

    assert imported.as_dict(private=False)["n"] == moto_key["n"]
    token = jwt.encode({"alg": "RS256"}, {"sub": "someone"}, imported)
    assert jwt.decode(token, jwk.RSAKey.import_key({"kty": "RSA", "n": moto_key["n"], "e": moto_key["e"]})).claims == {
        "sub": "someone"
    }


def test_any_other_key_is_imported_as_given() -> None:
    generated = jwk.RSAKey.generate_key(2048, private=True).as_dict(private=True)
    without_crt = {name: generated[name] for name in ("kty", "n", "e", "d")}
    with _recovering_primes(side_effect=rsa.rsa_recover_prime_factors) as recovered:
        imported = _import_without_cache(without_crt)

    recovered.assert_called_once()
    assert imported.as_dict(private=True)["d"] == generated["d"]
    with pytest.raises(ValueError, match="don't match"):  # moto's n and e with another d: refused as it is
        _import_without_cache({**load_resource(MOTO_SIGNING_KEY), "d": generated["d"]})
