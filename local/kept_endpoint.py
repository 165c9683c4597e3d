"""The endpoint that ``make local KEEP=1`` leaves running: its state in .local-run/, and ``make local-stop``.

``python -m local.kept_endpoint stop`` stops it (by the pid it saved, and only that
process) and removes the state.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATE_DIR = ROOT / ".local-run"
STATE_FILE = STATE_DIR / "state.json"
PID_FILE = STATE_DIR / "endpoint.pid"


class NoKeptEndpoint(Exception):
    """Nothing was kept running (or its state is gone)."""


@dataclass
class KeptEndpoint:
    url: str
    pid: int
    outputs: dict[str, str]
    # The pool and client that `make invoke` runs sample events against, made on first use.
    sandbox: dict[str, str] = field(default_factory=dict)

    def save(self) -> None:
        STATE_DIR.mkdir(exist_ok=True)
        STATE_FILE.write_text(json.dumps(asdict(self), indent=2))
        PID_FILE.write_text(str(self.pid))

    @classmethod
    def load(cls) -> KeptEndpoint:
        if not STATE_FILE.exists():
            raise NoKeptEndpoint("no endpoint is kept running: start one with `make local KEEP=1`")
        endpoint = cls(**json.loads(STATE_FILE.read_text()))
        if not _running(endpoint.pid):
            raise NoKeptEndpoint(f"the kept endpoint (pid {endpoint.pid}) is no longer running: `make local KEEP=1`")
        return endpoint


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop() -> str:
    """Stop the kept endpoint's process and forget its state; says what it did."""
    if not PID_FILE.exists():
        return "no endpoint is kept running"
    pid = int(PID_FILE.read_text())
    message = f"stopped the local endpoint (pid {pid})"
    if _running(pid):
        os.kill(pid, signal.SIGTERM)
    else:
        message = f"the local endpoint (pid {pid}) had already stopped"
    PID_FILE.unlink()
    STATE_FILE.unlink(missing_ok=True)
    return message


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments != ["stop"]:
        print("usage: python -m local.kept_endpoint stop", file=sys.stderr)
        return 2
    print(f"make local-stop: {stop()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
