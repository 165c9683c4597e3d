"""A local Amazon Cognito that behaves like the real service: moto, corrected.

Shipped with the project, not hidden in its tests (as httpx ships ``MockTransport``
and botocore ships ``Stubber``): the test suite, ``make local`` and ``make bench``
all run against it. It depends on moto and nothing else of this project's, and
nothing here imports from ``tests/``, ``local/`` or ``bench/`` (``make test``
checks that; see ``scripts/check_imports.py``).
"""
