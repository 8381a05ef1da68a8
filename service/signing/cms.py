"""Detached CMS (PKCS#7) signatures over the exact bytes of a document, and their verification.

A signature made here is checked by anyone with stock OpenSSL::

    openssl cms -verify -binary -inform DER -in doc.p7s -content doc.docx -CAfile ca.pem
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

from asn1crypto import cms as asn1_cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.validation import async_validate_detached_cms
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import StandardCMSSignatureStatus
from pyhanko_certvalidator import ValidationContext

from service.signing.ca import PrivateKey, serial_hex
from service.signing.status import SignatureStatus

__all__ = ["SignatureStatus", "sign_detached", "verify_detached"]

CORRUPT = "Файл подписи повреждён или не является подписью CMS"
CHANGED = "Подпись не соответствует документу: документ изменён после подписания"
BAD_VALUE = (
    "Значение подписи не сходится с сертификатом подписанта: файл подписи повреждён или подделан"
)
NOT_OURS = "Сертификат не выдан удостоверяющим центром школы"
EXPIRED = "Срок действия сертификата истёк {date}"
NOT_YET = "Сертификат ещё не действовал на момент проверки (действует с {date})"
WRONG_USAGE = "Сертификат не предназначен для электронной подписи документов"
UNTRUSTED = (
    "Сертификат подписанта не прошёл проверку цепочки доверия: он повреждён, подделан "
    "или выдан с нарушениями (код {code})"
)
REVOKED = "Сертификат отозван (серийный номер {serial}): подпись недействительна"

# Either key usage lets `openssl cms -verify` accept the signer; demand the same here.
_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})

_DIGESTS = {"sha224", "sha256", "sha384", "sha512"}

T = TypeVar("T")


def sign_detached(
    data: bytes, key: PrivateKey, cert: x509.Certificate, ca_certs: Iterable[x509.Certificate]
) -> bytes:
    """A detached CMS signature (DER) over ``data`` with SHA-256, carrying the signer's and the
    CA certificates and the signingTime attribute (the current clock)."""
    builder = pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(cert, key, hashes.SHA256())
    # add_certificate must come last: set_data and add_signer drop the extra certificates
    # added before them (cryptography 50)
    for ca_cert in ca_certs:
        builder = builder.add_certificate(ca_cert)
    return builder.sign(
        serialization.Encoding.DER,
        [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
    )


def verify_detached(
    data: bytes,
    signature: bytes,
    trust_roots: Iterable[x509.Certificate],
    *,
    revoked_serials: Iterable[int] = frozenset(),
    at: datetime | None = None,
) -> SignatureStatus:
    """Check a detached signature over ``data``: returns the verdict, never raises for a bad one.

    ``at`` is the moment the certificate must have been in force (default: now); pass the time
    the ledger recorded the signing to check an old signature after its certificate expired.
    No network is used; revocation is ``revoked_serials`` (serial numbers as integers).
    """
    if at is not None and at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    signed_data = _parse(signature)
    if signed_data is None:
        return _corrupt()
    context = ValidationContext(
        trust_roots=[_to_asn1(c) for c in trust_roots], moment=at, allow_fetching=False
    )
    try:
        result = _run(
            async_validate_detached_cms(
                data, signed_data, signer_validation_context=context, key_usage_settings=_KEY_USAGE
            )
        )
    except ValueError:  # pyHanko's CMS structure and validation errors are ValueErrors
        return _corrupt()
    return _status(result, set(revoked_serials), at or datetime.now(UTC))


def _parse(signature: bytes) -> asn1_cms.SignedData | None:
    """The SignedData of a DER ContentInfo with everything pyHanko will read already parsed,
    or None if it is not one. asn1crypto and pyHanko raise assorted exceptions (even
    AttributeError) on damaged input, so the damage is found here, in one guarded place."""
    try:
        info = asn1_cms.ContentInfo.load(signature, strict=True)
        if info["content_type"].native != "signed_data":
            return None
        signed_data = info["content"]
        signed_data.native  # noqa: B018 - parses every field
        (signer_info,) = signed_data["signer_infos"]
        if signer_info["digest_algorithm"]["algorithm"].native not in _DIGESTS:
            return None
        for choice in signed_data["certificates"] or ():
            cert = choice.chosen
            if not isinstance(cert, asn1_x509.Certificate):
                continue
            cert.public_key.bit_size  # noqa: B018 - pyHanko's algorithm policy reads it
            x509.load_der_x509_certificate(cert.dump()).public_key()
    except Exception:  # noqa: BLE001 - any failure to read untrusted bytes means "damaged"
        return None
    return signed_data


def _status(
    result: StandardCMSSignatureStatus, revoked_serials: set[int], moment: datetime
) -> SignatureStatus:
    cert = x509.load_der_x509_certificate(result.signing_cert.dump())
    revoked = cert.serial_number in revoked_serials
    # pyHanko's own `trusted` is false for a changed document; here it answers only whether the
    # certificate chains to a trust root (known only when the signature value is correct)
    trusted = (
        result.valid and result.trust_problem_indic is None and result.validation_path is not None
    )
    problems: list[str] = []
    if not result.intact:
        problems.append(CHANGED)
    if not result.valid:
        problems.append(BAD_VALUE)
    elif not trusted:
        problems.extend(_trust_problems(result, cert, moment))
    if revoked:
        problems.append(REVOKED.format(serial=serial_hex(cert)))
    return SignatureStatus(
        intact=result.intact,
        valid=result.valid,
        trusted=trusted,
        revoked=revoked,
        signer_name=person_of(cert.subject),
        signer_position=_attribute(cert.subject, NameOID.TITLE),
        serial=serial_hex(cert),
        signing_time=result.signer_reported_dt,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        problems=tuple(problems),
    )


def _trust_problems(
    result: StandardCMSSignatureStatus, cert: x509.Certificate, moment: datetime
) -> list[str]:
    indication = result.trust_problem_indic
    problems = []
    if indication is AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        problems.append(NOT_OURS)
    if moment > cert.not_valid_after_utc:
        problems.append(EXPIRED.format(date=f"{cert.not_valid_after_utc:%d.%m.%Y}"))
    elif moment < cert.not_valid_before_utc:
        problems.append(NOT_YET.format(date=f"{cert.not_valid_before_utc:%d.%m.%Y}"))
    if not problems:
        if indication is AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE:
            problems.append(WRONG_USAGE)
        else:
            code = indication.name if indication is not None else "NO_PATH"
            problems.append(UNTRUSTED.format(code=code))
    return problems


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


def person_of(name: x509.Name) -> str | None:
    """The full ФИО a certificate's subject names: surname + given names when present (the
    CN may be shortened)."""
    surname = _attribute(name, NameOID.SURNAME)
    given = _attribute(name, NameOID.GIVEN_NAME)
    if surname and given:
        return f"{surname} {given}"
    return _attribute(name, NameOID.COMMON_NAME)


def _corrupt() -> SignatureStatus:
    return SignatureStatus(
        intact=False, valid=False, trusted=False, revoked=False, problems=(CORRUPT,)
    )


def _to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run pyHanko's coroutine to the end, also when called from inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        in_loop = False
    else:
        in_loop = True
    if not in_loop:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
