"""moto in server mode on 127.0.0.1 with the faithful Cognito double: ``python -m local.faithful_server PORT``.

It prints ``READY <url>`` once it answers, then serves until it is stopped.
``LOCAL_COGNITO_TIME_SCALE`` scales the double's modelled waits (local/time_scale.py).
"""

from __future__ import annotations

import logging
import os
import sys
import threading

from cognito_double.moto_endpoint import running_moto_endpoint
from local.time_scale import time_scale


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    logging.basicConfig(level=logging.WARNING)
    with running_moto_endpoint(port=port) as endpoint:
        # make local CUSTOM_DOMAIN=...: a custom domain CREATING long enough to be handed over.
        creating = os.environ.get("LOCAL_CUSTOM_DOMAIN_SECONDS")
        if creating:
            endpoint.faithful.custom_domain_delay = float(creating)
        endpoint.faithful.scale_time(time_scale())
        print(f"READY {endpoint.url}", flush=True)
        # Nothing more goes to stdout: the reader may be gone (make local --keep).
        sys.stdout.close()
        threading.Event().wait()


if __name__ == "__main__":
    main()
