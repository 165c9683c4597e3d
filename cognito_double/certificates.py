"""ACM certificates for custom domains, made locally and imported into moto's ACM.

Imported certificates are ISSUED at once, with the names and validity given, which
is what a custom domain needs (Cognito developer guide, "Using your own domain").
"""

from __future__ import annotations

import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def self_signed_pem(names: tuple[str, ...], valid_days: int = 90) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=valid_days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name) for name in names]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


def import_certificate(acm_client: Any, *names: str, valid_days: int = 90) -> str:
    """Import a certificate for ``names`` into ACM (the client must be us-east-1's); its ARN."""
    certificate, key = self_signed_pem(names, valid_days)
    return str(acm_client.import_certificate(Certificate=certificate, PrivateKey=key)["CertificateArn"])
