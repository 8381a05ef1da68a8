"""The school's certificate authority on disk: ``var/ca/ca.pem`` (public) and
``var/ca/ca-key.pem`` (PKCS#8, encrypted under the CA password, which is never stored). The
key is opened by :func:`service.signing.signer.open_ca`."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from cryptography import x509

from service.signing.ca import (
    cert_from_pem,
    cert_to_pem,
    check_key_password,
    create_ca,
    encrypt_private_key,
)
from service.store import atomic_write


def ca_dir(var: Path) -> Path:
    return var / "ca"


def ca_cert_path(var: Path) -> Path:
    return ca_dir(var) / "ca.pem"


def ca_key_path(var: Path) -> Path:
    return ca_dir(var) / "ca-key.pem"


def has_ca(var: Path) -> bool:
    return ca_cert_path(var).is_file() and ca_key_path(var).is_file()


def ensure_ca(var: Path, org_name: str, password: str) -> bool:
    """Create the school's CA unless one exists; True when it was created now. Two at once (a
    double click, ``init`` beside the page) make one: each made its own and wrote it over the
    other's, and a key of one beside the certificate of the other would sign nothing that
    verifies. The check and the writing hold a lock file, ``var/ca/ca.lock``."""
    if has_ca(var):
        return False
    check_key_password(password, "Пароль удостоверяющего центра")
    ca_dir(var).mkdir(parents=True, exist_ok=True)
    lock = os.open(ca_dir(var) / "ca.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if has_ca(var):  # made by the other meanwhile
            return False
        key, cert = create_ca(org_name)
        atomic_write(ca_key_path(var), encrypt_private_key(key, password))
        os.chmod(ca_key_path(var), 0o600)
        atomic_write(ca_cert_path(var), cert_to_pem(cert))
        return True
    finally:
        os.close(lock)  # the lock goes with the descriptor


def load_ca_certificate(var: Path) -> x509.Certificate:
    """The CA certificate (what an inspector verifies signatures against)."""
    return cert_from_pem(ca_cert_path(var).read_bytes())
