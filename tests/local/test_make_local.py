"""``make local`` end to end (its Python entry point, in a fresh process as make runs it)."""

from __future__ import annotations

import os
import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.support.fresh_process import run_module

ROOT = Path(__file__).resolve().parents[2]


def run_local(*arguments: str) -> subprocess.CompletedProcess[str]:
    return run_module("local.run", *arguments, timeout=240)


@pytest.mark.timeout(300)
def test_make_local_brings_the_stack_up_signs_a_user_in_and_tears_it_down() -> None:
    completed = run_local()

    assert completed.returncode == 0, completed.stdout + completed.stderr
    output = completed.stdout
    for output_name in (
        "UserPoolId",
        "UserPoolArn",
        "Region",
        "AppClientId",
        "Domain",
        "HostedUIBaseUrl",
        "HostedUIUrl",
        "ClientLogoutUrl",
        "Issuer",
        "DiscoveryUrl",
        "JwksUrl",
        "IdpRedirectUri",
        "SamlEntityId",
        "SamlAcsUrl",
        "PasskeyRelyingPartyId",
    ):
        assert f"  {output_name} " in output
    assert "https://notes-app-" in output
    assert ".auth.us-east-1.amazoncognito.com/login?client_id=" in output
    assert "AccessToken: eyJ" in output
    assert "IdToken: eyJ" in output
    assert "the IdToken's RS256 signature verifies with these keys" in output
    assert "equals the Issuer output" in output
    assert "DELETE HostedUIDomain (Custom::CognitoUserPoolDomain)" in output
    assert "nothing left: no user pool" in output
    assert "make local: all steps succeeded." in output
    assert "Local-Passw0rd" not in output


@pytest.mark.timeout(300)
def test_make_local_fails_clearly_and_rolls_back_when_a_resource_fails() -> None:
    completed = run_local("--parameter", "DomainPrefix=notes-app")

    assert completed.returncode == 1
    assert (
        "make local FAILED: HostedUIDomain: Domain 'notes-app' is already used by another user pool" in completed.stderr
    )
    assert "DELETE UserPool (AWS::Cognito::UserPool)" in completed.stdout


@pytest.mark.timeout(300)
def test_make_local_keep_leaves_the_endpoint_running_and_says_how_to_use_it() -> None:
    completed = run_local("--keep")
    pid_file = ROOT / ".local-run" / "endpoint.pid"
    try:
        assert completed.returncode == 0, completed.stdout + completed.stderr
        assert "export AWS_ENDPOINT_URL=http://127.0.0.1:" in completed.stdout
        endpoint = completed.stdout.split("export AWS_ENDPOINT_URL=")[1].split()[0]
        with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=10) as response:
            assert response.status == 200
    finally:
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGTERM)
            pid_file.unlink()


@pytest.mark.timeout(300)
def test_make_local_custom_domain_runs_the_whole_chain_and_leaves_nothing() -> None:
    completed = run_local("--custom-domain", "auth.example.test")

    assert completed.returncode == 0, completed.stdout + completed.stderr
    output = completed.stdout
    assert "with the A record example.test -> 192.0.2.10 the parent needs" in output
    # Each step carries its time: the certificate is answered (ISSUED) before the domain starts.
    certificate_line = output.index("CREATE DomainCertificate (Custom::CognitoDomainCertificate)")
    domain_line = output.index("CREATE HostedUIDomain (Custom::CognitoUserPoolDomain)")
    alias_line = output.index("CREATE CustomDomainAliasIPv4 (AWS::Route53::RecordSet)")
    assert certificate_line < domain_line < alias_line
    assert "s]  CREATE HostedUIDomain" in output
    assert "in us-east-1: ISSUED" in output
    assert "domain auth.example.test: ACTIVE, distribution " in output
    assert "record auth.example.test. A" in output
    assert "record auth.example.test. AAAA" in output
    assert "https://auth.example.test/login?client_id=" in output
    assert "AccessToken: eyJ" in output
    assert "DELETE DomainCertificate (Custom::CognitoDomainCertificate)" in output
    assert "nothing left: no certificate for auth.example.test, no validation or alias record in " in output
    assert "make local: all steps succeeded." in output
