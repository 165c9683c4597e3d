"""moto's costs paid once (cognito_double/moto_costs.py) without changing what moto does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from moto.cognitoidp.models import CognitoIdpBackend
from moto.core.base_backend import BackendDict
from moto.ssm.models import SimpleSystemManagerBackend

from cognito_double import moto_costs

ROOT = Path(__file__).resolve().parents[2]

# A fresh interpreter: the test session has imported moto.ssm long before this test.
_SSM_WITHOUT_EC2 = """
import sys
import cognito_double.ssm
import moto.ssm.models as ssm_models

assert "moto.ec2" not in sys.modules, "moto.ec2 was imported with moto.ssm"
# SendCommand reads EC2's backends through the stand-in: the real ones, imported now.
backend = ssm_models.ec2_backends["123456789012"]["us-east-1"]
assert type(backend).__name__ == "EC2Backend", type(backend)
import moto.ec2
assert hasattr(moto.ec2, "__path__"), "a later import of moto.ec2 got the stand-in"
assert backend is moto.ec2.ec2_backends["123456789012"]["us-east-1"]
print("ok")
"""


def test_moto_ssm_is_imported_without_ec2_and_reads_the_real_ec2_on_first_use() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", _SSM_WITHOUT_EC2], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "ok"


def test_backends_made_after_a_reset_are_in_the_regions_moto_works_out_for_their_service(faithful: Any) -> None:
    ssm_first = BackendDict(SimpleSystemManagerBackend, "ssm")["111122223333"]
    ssm_again = BackendDict(SimpleSystemManagerBackend, "ssm")["111122223333"]
    cognito = BackendDict(CognitoIdpBackend, "cognito-idp")["111122223333"]

    assert ssm_first.regions == ssm_again.regions == moto_costs._generate_regions(ssm_first, "ssm")
    assert cognito.regions == moto_costs._generate_regions(cognito, "cognito-idp")
    # Cognito is in fewer regions than Parameter Store (none in China): each service has its own list.
    assert "cn-north-1" in ssm_first.regions
    assert "cn-north-1" not in cognito.regions
