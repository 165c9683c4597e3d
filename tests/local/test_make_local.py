"""``make local`` end to end (its Python entry point, in a fresh process as make runs it)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest

from local.run import with_url
from tests.support.fresh_process import run_module

ROOT = Path(__file__).resolve().parents[2]

# Seconds each, mostly waiting: scheduled first, so that other workers run meanwhile.
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def quicker_local_cognito(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local Cognito's modelled waits at a tenth: the output is what is checked, not the timing."""
    monkeypatch.setenv("LOCAL_COGNITO_TIME_SCALE", "0.1")


def run_local(*arguments: str) -> subprocess.CompletedProcess[str]:
    return run_module("local.run", *arguments, timeout=240)


@pytest.mark.timeout(300)
def test_the_readme_command_creates_signs_in_updates_rolls_back_and_tears_down() -> None:
    # README, "Quick start": the command with DomainPrefix and the callback URL the runner's
    # own update adds too. With managed login: one run also shows that the app client gets
    # its branding style (each make local costs seconds; the classic hosted UI is covered by
    # the lifecycle tests, the default parameters by the KEEP=1 and PREVIEWS runs).
    completed = run_local(
        "--parameter", "DomainPrefix=my-app-dev", "--parameter", "CallbackURLs=http://localhost:5173/",
        "--parameter", "ManagedLoginVersion=2",
    )  # fmt: skip

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
        "ManagedLoginBrandingId",
        "Issuer",
        "DiscoveryUrl",
        "JwksUrl",
        "IdpRedirectUri",
        "SamlEntityId",
        "SamlAcsUrl",
        "PasskeyRelyingPartyId",
    ):
        assert f"  {output_name} " in output
    assert "https://my-app-dev.auth.us-east-1.amazoncognito.com" in output
    assert ".auth.us-east-1.amazoncognito.com/login?client_id=" in output
    assert "AccessToken: eyJ" in output
    assert "IdToken: eyJ" in output
    assert "the IdToken's RS256 signature verifies with these keys" in output
    assert "equals the Issuer output" in output
    assert "DELETE_COMPLETE                      HostedUIDomain (Custom::CognitoUserPoolDomain)" in output
    assert "nothing left: no user pool" in output
    assert "nothing left: no owner record of an app client's settings" in output
    assert "make local: all steps succeeded in " in output
    assert "Local-Passw0rd" not in output
    style = re.search(r"has managed login branding style ([0-9a-f-]{36}) \(Cognito's provided values: True\)", output)
    assert style is not None
    assert re.search(rf"ManagedLoginBrandingId +{style.group(1)}", output)
    # The same run's update phases (one run serves both: each make local costs seconds).
    update, rollback = output.split("[5/8]")[1].split("[6/8]")
    assert "a replacement; the old one is deleted in the cleanup" in update
    assert update.index("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS") < update.index("DELETE_COMPLETE")
    assert "more than once" not in output
    assert "App client CallbackURLs: http://localhost:5173/\n" in update
    assert "Domain my-app-dev: does not exist" in update
    assert "UPDATE_FAILED                        HostedUIDomain" in rollback
    assert "reserved word 'aws'" in rollback
    assert "The following resource(s) failed to update: [HostedUIDomain]." in rollback
    assert "UPDATE_ROLLBACK_COMPLETE " in rollback
    assert "Domain notes-aws-demo: does not exist" in rollback
    # The planned failure is one line; its traceback is kept in the function's log file.
    assert "Traceback" not in completed.stdout + completed.stderr
    # The planned failure, as Lambda logs it: one JSON line, its trace kept in the file.
    assert re.search(
        r'\n  \{"timestamp": [^\n]*"level": "ERROR", "message": "Invalid properties[^\n]*'
        r'"stackTrace": "in \.local-run/function\.log"[^\n]*\}\n',
        rollback,
    )
    assert "Domain my-app-dev-v2: ACTIVE in " in rollback


def test_the_runner_adds_its_callback_url_once() -> None:
    assert with_url(["http://localhost:5173/"], "http://localhost:5173/") == "http://localhost:5173/"
    assert with_url(["http://localhost:3000/"], "http://localhost:5173/") == (
        "http://localhost:3000/,http://localhost:5173/"
    )


@pytest.mark.timeout(300)
def test_make_local_fails_clearly_and_rolls_back_when_a_resource_fails() -> None:
    completed = run_local("--parameter", "DomainPrefix=notes-app")

    assert completed.returncode == 1
    assert (
        "make local FAILED: HostedUIDomain: Domain 'notes-app' is already used by another user pool" in completed.stderr
    )
    assert "ROLLBACK_IN_PROGRESS" in completed.stdout
    assert "DELETE_COMPLETE                      UserPool (AWS::Cognito::UserPool)" in completed.stdout


@pytest.mark.timeout(300)
def test_make_local_brings_the_nested_example_up_and_signs_in_through_a_nested_stack() -> None:
    completed = run_local("--template", "examples/nested/template.yaml")

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "through the outputs of DevAuth (nested stack notes-app-local-DevAuth-" in completed.stdout
    assert "AccessToken: eyJ" in completed.stdout
    assert "Skipping the update steps 5 and 6: the template has no DomainPrefix" in completed.stdout
    assert "has DeletionProtection ACTIVE (the template sets it), so its" in completed.stdout
    failed = completed.stdout.index("DELETE_FAILED                        UserPool (AWS::Cognito::UserPool)")
    explained = completed.stdout.index("The DELETE_FAILED above was that planned deletion-protection step")
    assert failed < explained
    assert "has DeletionProtection ACTIVE, so its delete failed" in completed.stdout
    assert "Traceback" not in completed.stdout + completed.stderr
    assert "nothing left: no user pool" in completed.stdout


@pytest.mark.timeout(300)
def test_make_local_keep_then_invoke_sample_events_then_local_stop() -> None:
    completed = run_local("--keep")
    pid_file = ROOT / ".local-run" / "endpoint.pid"
    try:
        assert completed.returncode == 0, completed.stdout + completed.stderr
        assert "export AWS_ENDPOINT_URL=http://127.0.0.1:" in completed.stdout
        # The default parameters: a prefix made from the stack id, so that two stacks never collide.
        assert re.search(r"https://notes-app-[0-9a-f]{12}\.auth\.us-east-1\.amazoncognito\.com", completed.stdout)
        assert "make invoke EVENT=events/domain-create.json" in completed.stdout
        endpoint = completed.stdout.split("export AWS_ENDPOINT_URL=")[1].split()[0]
        with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=10) as response:
            assert response.status == 200

        # The kept endpoint's state carries from one invoke to the next; every sample event
        # runs in process in tests/local/test_sample_events.py.
        for name in ("domain-create", "client-settings-create", "domain-delete"):
            invoked = run_module("local.invoke", f"events/{name}.json", timeout=120)
            assert invoked.returncode == 0, f"{name}: {invoked.stdout}{invoked.stderr}"
            assert "rewrote UserPoolId us-east-1_EXAMPLE01 -> us-east-1_" in invoked.stdout
            assert "ResponseURL -> https://127.0.0.1:" in invoked.stdout
            assert '"Status": "SUCCESS"' in invoked.stdout
        pid = int(pid_file.read_text())

        stopped = run_module("local.kept_endpoint", "stop", timeout=30)

        assert f"make local-stop: stopped the local endpoint (pid {pid})" in stopped.stdout
        assert not pid_file.exists()
        refused = run_module("local.invoke", "events/domain-create.json", timeout=60)
        assert refused.returncode == 1
        assert "no endpoint is kept running" in refused.stderr
    finally:
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGTERM)
            pid_file.unlink()


@pytest.mark.timeout(300)
def test_make_local_custom_domain_runs_the_whole_chain_and_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # At a fiftieth of Cognito's pace, with the domain CREATING for a (scaled) minute: 1.2 s
    # of real time against the 0.1 s the first invocation waits before it hands over.
    monkeypatch.setenv("LOCAL_COGNITO_TIME_SCALE", "0.02")
    monkeypatch.setenv("LOCAL_CUSTOM_DOMAIN_SECONDS", "60")
    completed = run_local("--custom-domain", "auth.example.test")

    assert completed.returncode == 0, completed.stdout + completed.stderr
    output = completed.stdout
    assert "with the A record example.test -> 192.0.2.10 the parent needs" in output
    # The custom domain outlives the function's first invocation: handed over, then a poll answers.
    assert "is looked at again in a minute (step 0 of the change)" in output
    assert "(EventBridge Scheduler: a poll of the change in flight fired, " in output
    assert '"message": "Create Custom::CognitoUserPoolDomain HostedUIDomain (poll, step 0)"' in output
    assert "Traceback" not in output + completed.stderr
    # Each step carries its time: the certificate is answered (ISSUED) before the domain starts.
    certificate_line = output.index("DomainCertificate (Custom::CognitoDomainCertificate)")
    domain_line = output.index("HostedUIDomain (Custom::CognitoUserPoolDomain)")
    alias_line = output.index("CustomDomainAliasIPv4 (AWS::Route53::RecordSet)")
    assert certificate_line < domain_line < alias_line
    assert re.search(r"s\]  [0-9:.]+  CREATE_COMPLETE +HostedUIDomain", output)
    assert "in us-east-1: ISSUED" in output
    assert "domain auth.example.test: ACTIVE, distribution " in output
    assert "record auth.example.test. A" in output
    assert "record auth.example.test. AAAA" in output
    assert "https://auth.example.test/login?client_id=" in output
    assert "AccessToken: eyJ" in output
    assert re.search(r"DELETE_COMPLETE +DomainCertificate \(Custom::CognitoDomainCertificate\)", output)
    assert "nothing left: no certificate for auth.example.test, no validation or alias record in " in output
    assert "make local: all steps succeeded in " in output


@pytest.mark.timeout(300)
def test_make_local_previews_share_the_app_client_and_a_deleted_one_leaves_the_others() -> None:
    completed = run_local("--previews", "2")

    assert completed.returncode == 0, completed.stdout + completed.stderr
    output = completed.stdout
    assert "Creating stack notes-app-local-pr-1 from examples/preview-environment/template.yaml" in output
    assert "    https://pr-1.preview.example.com/callback\n    https://pr-2.preview.example.com/callback" in output
    assert "redirect_uri https://pr-1.preview.example.com/callback is one of the client's callback URLs" in output
    assert re.search(r"IdToken: eyJ.*\n\n  Deleting notes-app-local-pr-1", output)
    assert "https://pr-1.preview.example.com/callback is gone; kept: " in output
    kept = output.split("is gone; kept: ", 1)[1].splitlines()[0]
    assert "https://pr-2.preview.example.com/callback" in kept
    assert "Every preview deleted; the client lists the owner's URLs again" in output
