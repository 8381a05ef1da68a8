"""The school's certificate authority: its root certificate, signer certificates, key files.

Keys are RSA-3072: accepted by pyHanko, ``openssl cms`` and every stock verifier. Names are
UTF8String, so the Cyrillic organization and person names survive every tool.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from asn1crypto import algos as asn1_algos
from asn1crypto import keys as asn1_keys
from asn1crypto import pem as asn1_pem
from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from service.errors import BadInput
from service.signing.errors import UnusableKeyFile, WeakPassword, WrongPassword

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
"""Key types the CMS signature builder accepts."""

KEY_SIZE = 3072
KDF_ROUNDS = 600_000
"""PBKDF2-HMAC-SHA256 rounds of a stored key (OWASP 2023): a copied database costs a guesser
about 0.2 s per password per core instead of a millisecond."""
MIN_KEY_PASSWORD = 10
"""Characters of a key password at least (the CA's and every signer's)."""
CA_COMMON_NAME = "Удостоверяющий центр"
_CN_MAX_BYTES = 64  # RFC 5280 ub-common-name; cryptography counts it in UTF-8 bytes


def _now(now: datetime | None) -> datetime:
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def _fit(text: str, limit: int = _CN_MAX_BYTES) -> str:
    """``text`` cut at a character boundary (with an ellipsis) to ``limit`` UTF-8 bytes."""
    text = " ".join(text.split())
    if len(text.encode()) <= limit:
        return text
    while len((text + "…").encode()) > limit:
        text = text[:-1]
    return text.rstrip() + "…"


def _short_name(full_name: str) -> str:
    """«Иванова Мария Петровна» → «Иванова М. П.», for a common name that must stay short."""
    surname, *rest = full_name.split()
    return " ".join([surname, *(f"{part[0]}." for part in rest)])


def _person_name(full_name: str) -> list[x509.NameAttribute]:
    """CN (short enough for RFC 5280) plus surname and given names, which keep the full ФИО."""
    parts = full_name.split()
    if not parts:
        raise BadInput("Не указаны ФИО владельца сертификата: сертификат не выпущен.")
    cn = " ".join(parts)
    if len(cn.encode()) > _CN_MAX_BYTES:
        cn = _fit(_short_name(cn))
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if len(parts) > 1:
        attrs.append(x509.NameAttribute(NameOID.SURNAME, parts[0]))
        attrs.append(x509.NameAttribute(NameOID.GIVEN_NAME, " ".join(parts[1:])))
    return attrs


def _ca_common_name(org_name: str) -> str:
    """The CA's CN: «Удостоверяющий центр <org>», else «УЦ <org>», else the bare words — the
    first that fits in a CN (O= keeps the full name in every case)."""
    org = " ".join(org_name.split())
    for cn in (f"{CA_COMMON_NAME} {org}", f"УЦ {org}"):
        if len(cn.encode()) <= _CN_MAX_BYTES:
            return cn
    return CA_COMMON_NAME


def create_ca(
    org_name: str, valid_years: int = 10, now: datetime | None = None
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A new key and self-signed root certificate of the school's certificate authority."""
    start = _now(now)
    key = _new_key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, " ".join(org_name.split())),
            x509.NameAttribute(NameOID.COMMON_NAME, _ca_common_name(org_name)),
        ]
    )
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * valid_years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _authority_key_id(ca_cert: x509.Certificate) -> x509.AuthorityKeyIdentifier:
    try:
        ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    except x509.ExtensionNotFound:
        return x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key())  # type: ignore[arg-type]
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)


def issue_signer(
    ca_key: PrivateKey,
    ca_cert: x509.Certificate,
    full_name: str,
    position: str,
    org_name: str,
    login: str,
    valid_days: int = 365,
    now: datetime | None = None,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A new key and a signature certificate for one person, issued by the school's CA.

    The certificate never outlives the CA's own certificate.
    """
    start = _now(now)
    end = min(start + timedelta(days=valid_days), ca_cert.not_valid_after_utc)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, " ".join(org_name.split())),
            x509.NameAttribute(NameOID.TITLE, " ".join(position.split())),
            *_person_name(full_name),  # refused before the slow key generation
            x509.NameAttribute(NameOID.USER_ID, login),
        ]
    )
    key = _new_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        # emailProtection: the purpose `openssl cms -verify` checks (smimesign) by default
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(_authority_key_id(ca_cert), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def check_key_password(password: str, label: str = "Пароль ключа") -> None:
    """Refuse a key password shorter than :data:`MIN_KEY_PASSWORD` (:class:`WeakPassword`);
    ``label`` names it in the message («Новый пароль ключа», «Пароль удостоверяющего центра»)."""
    if len(password or "") < MIN_KEY_PASSWORD:
        raise WeakPassword(
            f"{label} должен быть не короче {MIN_KEY_PASSWORD} символов: ключ можно "
            "унести вместе с копией базы, и короткий пароль подбирается."
        )


def encrypt_private_key(key: PrivateKey, password: str) -> bytes:
    """The key as PKCS#8 PEM encrypted under ``password`` (PBES2: PBKDF2-HMAC-SHA256 with
    :data:`KDF_ROUNDS` rounds, AES-256-CBC), for storing on disk.

    Hand-written with asn1crypto because cryptography's ``BestAvailableEncryption`` uses 2,048
    PBKDF2 rounds for PKCS#8 and offers no way to raise them; the result is standard PKCS#8,
    read back by cryptography and by ``openssl pkcs8``."""
    if not password:
        raise ValueError("password must not be empty")
    plain = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    salt, iv = os.urandom(16), os.urandom(16)
    secret = PBKDF2HMAC(hashes.SHA256(), 32, salt, KDF_ROUNDS).derive(password.encode())
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(secret), modes.CBC(iv)).encryptor()
    data = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
    info = asn1_keys.EncryptedPrivateKeyInfo(
        {
            "encryption_algorithm": {
                "algorithm": "pbes2",
                "parameters": {
                    "key_derivation_func": {
                        "algorithm": "pbkdf2",
                        "parameters": {
                            "salt": asn1_algos.Pbkdf2Salt(name="specified", value=salt),
                            "iteration_count": KDF_ROUNDS,
                            "prf": {"algorithm": "sha256", "parameters": None},
                        },
                    },
                    "encryption_scheme": {"algorithm": "aes256_cbc", "parameters": iv},
                },
            },
            "encrypted_data": data,
        }
    )
    return asn1_pem.armor("ENCRYPTED PRIVATE KEY", info.dump())


def key_rounds(pem: bytes) -> int:
    """PBKDF2 rounds of a stored key (0 when it is not PBES2/PBKDF2): a key stored with fewer
    than :data:`KDF_ROUNDS` is re-encrypted at its next successful use."""
    try:
        _, _, der = asn1_pem.unarmor(pem)
        algorithm = asn1_keys.EncryptedPrivateKeyInfo.load(der)["encryption_algorithm"]
        if algorithm["algorithm"].native != "pbes2":
            return 0
        kdf = algorithm["parameters"]["key_derivation_func"]
        if kdf["algorithm"].native != "pbkdf2":
            return 0
        return int(kdf["parameters"]["iteration_count"].native)
    except (ValueError, TypeError, KeyError):
        return 0


def key_is_outdated(pem: bytes) -> bool:
    """True for a key stored under a weaker encryption than today's."""
    return key_rounds(pem) < KDF_ROUNDS


def load_private_key(pem: bytes, password: str) -> PrivateKey:
    """Open a key written by :func:`encrypt_private_key`; a wrong password raises WrongPassword."""
    if b"-----BEGIN ENCRYPTED PRIVATE KEY-----" not in pem:
        raise UnusableKeyFile("Файл ключа не является зашифрованным ключом PKCS#8")
    if not password:
        raise WrongPassword()
    try:
        key = serialization.load_pem_private_key(pem, password.encode())
    except ValueError as exc:
        # the structure was checked above: a failure to decrypt means the password is wrong
        raise WrongPassword() from exc
    return _signing_key(key)


def _signing_key(key: object) -> PrivateKey:
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise UnusableKeyFile("Ключ этого типа не подходит для подписи CMS (нужен RSA или EC)")
    return key


def import_pkcs12(
    data: bytes, password: str
) -> tuple[PrivateKey, x509.Certificate, list[x509.Certificate]]:
    """Key, certificate and the other certificates (the chain) from a PKCS#12 (.p12/.pfx) file."""
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode())
    except ValueError as exc:
        if _is_pkcs12(data):
            raise WrongPassword("Неверный пароль файла PKCS#12") from exc
        raise UnusableKeyFile("Файл не является контейнером PKCS#12") from exc
    if key is None or cert is None:
        raise UnusableKeyFile("В файле PKCS#12 нет ключа или сертификата")
    return _signing_key(key), cert, list(extra)


def _is_pkcs12(data: bytes) -> bool:
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["auth_safe"]["content_type"].native == "data"
    except (ValueError, TypeError, KeyError):
        return False


def cert_to_pem(cert: x509.Certificate) -> bytes:
    """The certificate as PEM."""
    return cert.public_bytes(serialization.Encoding.PEM)


def cert_from_pem(data: bytes) -> x509.Certificate:
    """One certificate from PEM."""
    return x509.load_pem_x509_certificate(data)


def certs_to_pem(certs: list[x509.Certificate]) -> bytes:
    """Several certificates as one PEM bundle (for ``-CAfile``)."""
    return b"".join(cert_to_pem(c) for c in certs)


def certs_from_pem(data: bytes) -> list[x509.Certificate]:
    """All certificates of a PEM bundle."""
    return x509.load_pem_x509_certificates(data)


def serial_hex(cert: x509.Certificate) -> str:
    """The serial number in upper-case hex, as ``openssl x509 -serial`` prints it."""
    digits = format(cert.serial_number, "X")
    return digits.zfill(len(digits) + len(digits) % 2)
