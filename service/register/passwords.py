"""Password hashes with the standard library's scrypt, no web framework in the domain.

New hashes are PHC strings (``$scrypt$ln=15,r=8,p=1$<salt>$<hash>``, base64 without padding),
the format passlib and others read. Hashes written by earlier releases through
``werkzeug.security`` (``scrypt:32768:8:1$salt$hex`` and ``pbkdf2:sha256:N$salt$hex``) are
still verified, and :func:`needs_rehash` says so, so the login that proves the password
replaces them with a new hash."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCRYPT_LOG2_N = 15
"""scrypt cost: n = 2**15, r = 8, p = 1 (the parameters OWASP and werkzeug use)."""
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 64
_PREFIX = f"$scrypt$ln={SCRYPT_LOG2_N},r={SCRYPT_R},p={SCRYPT_P}$"


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # maxmem: scrypt needs 128·n·r·p bytes; OpenSSL's default limit (32 MiB) is just short.
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=132 * n * r * p, dklen=HASH_BYTES
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str) -> str:
    """A new salted scrypt hash of ``password`` as a PHC string."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, 2**SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)
    return f"{_PREFIX}{_b64(salt)}${_b64(digest)}"


def verify_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches ``stored`` (ours or an earlier werkzeug hash); a malformed
    or unknown hash never matches."""
    try:
        if stored.startswith("$scrypt$"):
            return _verify_phc(stored, password)
        return _verify_werkzeug(stored, password)
    except (ValueError, KeyError, TypeError):  # a damaged stored hash: no password matches it
        return False


def needs_rehash(stored: str) -> bool:
    """True when ``stored`` is not a hash with today's parameters (a werkzeug hash, older
    scrypt costs): after a successful login it is replaced."""
    return not stored.startswith(_PREFIX)


def _verify_phc(stored: str, password: str) -> bool:
    _, _, params, salt, digest = stored.split("$")
    values = dict(item.split("=", 1) for item in params.split(","))
    expected = _unb64(digest)
    actual = hashlib.scrypt(
        password.encode("utf-8"),
        salt=_unb64(salt),
        n=2 ** int(values["ln"]),
        r=int(values["r"]),
        p=int(values["p"]),
        maxmem=132 * 2 ** int(values["ln"]) * int(values["r"]) * int(values["p"]),
        dklen=len(expected),
    )
    return hmac.compare_digest(actual, expected)


def _verify_werkzeug(stored: str, password: str) -> bool:
    """werkzeug's ``method$salt$hexhash``; its salt is used as text (UTF-8), not decoded."""
    method, salt, hexdigest = stored.split("$", 2)
    name, *args = method.split(":")
    if name == "scrypt":
        n, r, p = (int(a) for a in args) if args else (2**15, 8, 1)
        actual = _scrypt(password, salt.encode("utf-8"), n, r, p)
    elif name == "pbkdf2":
        hash_name = args[0] if args else "sha256"
        iterations = int(args[1]) if len(args) > 1 else 1_000_000
        actual = hashlib.pbkdf2_hmac(
            hash_name, password.encode("utf-8"), salt.encode("utf-8"), iterations
        )
    else:
        return False
    return hmac.compare_digest(actual.hex(), hexdigest)
