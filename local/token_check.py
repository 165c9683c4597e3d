"""``make local`` proves two outputs against the local endpoint: ``JwksUrl`` and ``Issuer``.

The ``JwksUrl`` output names the real host (``cognito-idp.<region>.amazonaws.com``);
locally the same path is asked of the moto endpoint, which serves a pool's keys at
``/<user pool id>/.well-known/jwks.json`` (moto's cognitoidp/urls.py). The IdToken's
signature is verified with those keys by joserfc, a maintained JOSE library (moto
itself signs its tokens with it), and its ``iss`` must equal the ``Issuer`` output.

What this proves, and what not: moto writes ``iss`` as
``https://cognito-idp.<region>.amazonaws.com/<pool id>`` in every region, as real
Cognito does for a pool with the ``ORIGINAL`` issuer in the aws partition (API
reference, IssuerConfigurationType). So the check shows that the output agrees with
the tokens of the pool it describes and that the keys at its path verify them; it
cannot show the host of aws-cn or GovCloud issuers, which moto does not model.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet


class TokenCheckError(Exception):
    """The IdToken does not verify against the outputs; the message says how."""


def local_url(public_url: str, endpoint: str) -> str:
    """The same path on the local endpoint: ``https://cognito-idp…/<pool>/x`` → ``http://127.0.0.1:…/<pool>/x``."""
    return endpoint.rstrip("/") + urlsplit(public_url).path


def fetch_key_set(url: str) -> KeySet:
    # Only ever the local endpoint (http://127.0.0.1), built by local_url.
    with urllib.request.urlopen(url, timeout=10) as response:
        document: Any = json.load(response)
    if not isinstance(document, dict) or not document.get("keys"):
        raise TokenCheckError(f"{url} serves no JSON Web Key Set")
    return KeySet.import_key_set(document)  # type: ignore[arg-type]


def verify_id_token(id_token: str, outputs: dict[str, str], endpoint: str) -> dict[str, Any]:
    """The IdToken's claims, once its signature verified with the keys at ``JwksUrl`` and ``iss`` is ``Issuer``."""
    keys = fetch_key_set(local_url(outputs["JwksUrl"], endpoint))
    try:
        token = jwt.decode(id_token, keys, algorithms=["RS256"])
    except JoseError as error:
        raise TokenCheckError(f"the IdToken's signature does not verify with the keys at JwksUrl ({error})") from error
    claims = dict(token.claims)
    registry = jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": outputs["Issuer"]},
        aud={"essential": True, "value": outputs["AppClientId"]},
        token_use={"essential": True, "value": "id"},
    )
    try:
        registry.validate(claims)
    except JoseError as error:
        raise TokenCheckError(
            f"the IdToken's claims do not match the outputs: iss={claims.get('iss')!r}, "
            f"Issuer output={outputs['Issuer']!r} ({error})"
        ) from error
    return claims
