"""Checks of one exported document without the register: its CMS signatures against the
school's CA, the PAdES signatures of its PDF rendition (pyHanko), and its ledger proof against
the bag's checkpoint, tied to the files by their hashes.

Signatures are judged as of their signing time, corroborated by the ledger entry the proof
includes (the checkpoint is signed by the CA), so an archive still verifies after the
certificates' year is over; a certificate on the CA's revocation list is bad for signatures made
after its revocation. The chain of each distinct certificate is validated once by pyHanko
(:func:`service.signing.cms.verify_detached`); each further CMS signature by the same certificate
is checked by its digest and signature value alone — two thousand full path validations would
add nothing but time.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from asn1crypto import cms as asn1_cms
from asn1crypto import parser as asn1_parser
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.serialization import pkcs7
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from service.signing.ca import serial_hex
from service.signing.cms import verify_detached
from service.signing.status import SignatureStatus

ParsedSignature = tuple[bytes, datetime | None, bytes, bytes, bytes, x509.Certificate]
"""A plain CMS as :func:`_parse` reads it: certificate DER, signingTime, signed attributes as
DER SET, signature value, claimed SHA-256, certificate."""
CLOCK_SLACK = timedelta(hours=36)
"""The ledger keeps local time without a zone; the signature's own time is UTC."""


@dataclass
class Verdict:
    """The verdict on one file."""

    path: str
    what: str
    """What the file is, in Russian («подпись CMS», «PDF/A-копия»…)."""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Trust:
    """What the verifier knows: the CA, its revocations, the checkpoint."""

    ca: tuple[x509.Certificate, ...]
    revoked: dict[int, datetime]
    """Serial → revocation time (UTC), from the CA's revocation list."""
    tree_size: int
    root: str


class CmsChecker:
    """Checks detached CMS signatures, validating each certificate's chain once."""

    def __init__(self, trust: Trust):
        self.trust = trust
        self._chains: dict[bytes, SignatureStatus] = {}
        self._certificates: dict[bytes, list[x509.Certificate]] = {}
        """The certificate set of a signature (its DER) → the certificates read from it."""

    def parse(self, signature: bytes) -> ParsedSignature | None:
        """:func:`_parse` of ``signature``, each distinct certificate set read once: every
        signature of one signer carries the same set, and reading it took half the parse."""
        return _parse(signature, self._certificates)

    def check(
        self,
        data: bytes,
        digest: bytes,
        signature: bytes,
        ledger_time: datetime | None,
        parsed: ParsedSignature | None | Literal[False] = False,
    ) -> SignatureStatus:
        """The verdict on ``signature`` over ``data`` (whose SHA-256 is ``digest``), as of its
        signing time when the ledger confirms it, else now. ``parsed``: the caller's
        :meth:`parse` of ``signature``, when it has one."""
        if parsed is False:
            parsed = self.parse(signature)
        moment = _moment(parsed[1] if parsed else None, ledger_time)
        if parsed is None:
            return verify_detached(data, signature, self.trust.ca, at=moment)
        cert_der, signing_time, attrs, value, digest_claimed, cert = parsed
        known = self._chains.get(cert_der)
        if known is None:
            status = verify_detached(data, signature, self.trust.ca, at=moment)
            if status.valid and status.trusted:
                self._chains[cert_der] = status
            return self._revocation(status, cert, moment)
        intact = digest_claimed == digest
        valid = _signature_ok(cert, attrs, value)
        in_force = cert.not_valid_before_utc <= moment <= cert.not_valid_after_utc
        problems = []
        if not intact:
            problems.append("Подпись не соответствует документу: документ изменён")
        if not valid:
            problems.append("Значение подписи не сходится с сертификатом: подпись повреждена")
        if not in_force:
            problems.append("Сертификат не действовал в момент подписания")
        status = SignatureStatus(
            intact=intact,
            valid=valid,
            trusted=valid and in_force,
            revoked=False,
            signer_name=known.signer_name,
            signer_position=known.signer_position,
            serial=known.serial,
            signing_time=signing_time,
            not_before=known.not_before,
            not_after=known.not_after,
            problems=tuple(problems),
        )
        return self._revocation(status, cert, moment)

    def _revocation(
        self, status: SignatureStatus, cert: x509.Certificate, moment: datetime
    ) -> SignatureStatus:
        revoked_at = self.trust.revoked.get(cert.serial_number)
        if revoked_at is None or revoked_at > moment:
            return status
        problem = f"Сертификат № {serial_hex(cert)} отозван {revoked_at:%d.%m.%Y} — до подписания"
        return SignatureStatus(
            **{
                **status.__dict__,
                "revoked": True,
                "problems": (*status.problems, problem),
            }
        )


def _moment(signing_time: datetime | None, ledger_time: datetime | None) -> datetime:
    """The signing time when the ledger confirms it (within the zone slack); the ledger's time
    when the signature states none (PAdES keeps it outside the signed attributes); else now."""
    if ledger_time is None:
        return datetime.now(UTC)
    if signing_time is None:
        return ledger_time.astimezone(UTC)
    if abs(signing_time.replace(tzinfo=None) - ledger_time) <= CLOCK_SLACK:
        return signing_time
    return datetime.now(UTC)


def _parse(signature: bytes, certificates: dict[bytes, list[x509.Certificate]] | None = None):
    """(certificate DER, signingTime, signed attributes as DER SET, signature value, claimed
    SHA-256, certificate) of a plain one-signer RSA/ECDSA SHA-256 CMS, or None for anything
    else (left to pyHanko in full). ``certificates``: the certificates already read, by the
    DER of the set they came in (filled here).

    The raw bytes are taken before any field is read: asn1crypto marks a structure changed when
    its algorithm fields are read and then re-encodes it on ``dump()`` — slowly, and not always
    to the bytes that were signed. Certificates are read by ``cryptography``.
    """
    try:
        info = asn1_cms.ContentInfo.load(signature, strict=True)
        signed_data = info["content"]
        (signer,) = signed_data["signer_infos"]
        attrs_der = _signed_attrs(signature)
        sid = signer["sid"].chosen
        if not isinstance(sid, asn1_cms.IssuerAndSerialNumber):
            return None
        issuer, serial = sid["issuer"].dump(), sid["serial_number"].native
        value = signer["signature"].native
        if signer["digest_algorithm"]["algorithm"].native != "sha256":
            return None
        attrs = {a["type"].native: a["values"][0] for a in signer["signed_attrs"]}
        claimed = attrs["message_digest"].native
        signing_time = attrs["signing_time"].native if "signing_time" in attrs else None
        for cert in _certificates(signature, signed_data, certificates):
            if cert.serial_number == serial and cert.issuer.public_bytes() == issuer:
                der = cert.public_bytes(serialization.Encoding.DER)
                return der, signing_time, attrs_der, value, claimed, cert
    except Exception:  # noqa: BLE001 - damaged input is judged by pyHanko, which says how
        return None
    return None


def _certificates(
    signature: bytes,
    signed_data: asn1_cms.SignedData,
    known: dict[bytes, list[x509.Certificate]] | None,
) -> list[x509.Certificate]:
    """The certificates ``signature`` carries, read by ``cryptography`` (from ``known`` when
    the same set was read before)."""
    if known is None:
        return pkcs7.load_der_pkcs7_certificates(signature)
    key = signed_data["certificates"].contents
    if not key:  # no set (or an empty one): nothing worth keeping
        return pkcs7.load_der_pkcs7_certificates(signature)
    if key not in known:
        known[key] = pkcs7.load_der_pkcs7_certificates(signature)
    return known[key]


def _tlvs(contents: bytes) -> list[bytes]:
    """The encoded values one after another in ``contents``."""
    values, pos = [], 0
    while pos < len(contents):
        size = asn1_parser.peek(contents[pos:])
        values.append(contents[pos : pos + size])
        pos += size
    return values


def _signed_attrs(signature: bytes) -> bytes:
    """The signer's signed attributes exactly as they were signed (re-tagged as a SET), cut
    from the DER: ContentInfo → [0] → SignedData → signerInfos (its last field) → the first
    SignerInfo → its [0] field."""
    explicit = _tlvs(asn1_parser.parse(signature)[4])[1]
    signed_data = asn1_parser.parse(asn1_parser.parse(explicit)[4])[4]
    signer_infos = asn1_parser.parse(_tlvs(signed_data)[-1])[4]
    for value in _tlvs(asn1_parser.parse(_tlvs(signer_infos)[0])[4]):
        class_, _, tag, *_ = asn1_parser.parse(value)
        if class_ == 2 and tag == 0:
            return b"\x31" + value[1:]
    raise ValueError("no signed attributes")


def _signature_ok(cert: x509.Certificate, attrs: bytes, value: bytes) -> bool:
    key = cert.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(value, attrs, PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(value, attrs, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class PadesResult:
    signers: tuple[str, ...]
    problems: tuple[str, ...]


_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


class PadesChecker:
    """Checks the PAdES signatures of PDF copies. The first PDF signed with each certificate
    is validated by pyHanko in full (structure, changes between revisions, the chain); later
    ones by the same certificates get the cryptographic check — the digest of the signed byte
    range, the signature value, the last signature covering the whole file — unless ``full``
    asks for pyHanko on every PDF."""

    def __init__(self, trust: Trust, cms: CmsChecker, full: bool = False):
        self.trust, self.cms, self.full = trust, cms, full
        self._validated: set[bytes] = set()

    def check(self, pdf: bytes, ledger_time: datetime | None) -> PadesResult:
        signatures = _byte_ranges(pdf)
        certs = [self.cms.parse(der) for _, der, _ in signatures or []]
        if (
            self.full
            or not signatures
            or any(c is None or c[0] not in self._validated for c in certs)
        ):
            result = check_pdf(pdf, self.trust, ledger_time)
            if not result.problems and signatures:
                self._validated.update(c[0] for c in certs if c is not None)
            return result
        names, problems = [], []
        for number, ((signed, der, _), parsed) in enumerate(zip(signatures, certs, strict=True), 1):
            digest = hashlib.sha256(signed).digest()
            status = self.cms.check(signed, digest, der, ledger_time, parsed)
            names.append(status.signer_name or "?")
            if not status.bottom_line:
                problems.append(
                    f"подпись {number} в PDF недействительна: " + "; ".join(status.problems)
                )
        if signatures[-1][2] != len(pdf):
            problems.append("после последней подписи в PDF что-то дописано")
        return PadesResult(tuple(names), tuple(problems))


def _byte_ranges(pdf: bytes) -> list[tuple[bytes, bytes, int]] | None:
    """(signed bytes, CMS DER, end of the range) of each signature found by its /ByteRange,
    or None when a range is malformed."""
    found = []
    for match in _BYTE_RANGE.finditer(pdf):
        a, b, c, d = (int(g) for g in match.groups())
        hole = pdf[a + b : c]
        if a != 0 or not a + b < c <= c + d <= len(pdf) or hole[:1] != b"<" or hole[-1:] != b">":
            return None
        try:
            der = bytes.fromhex(hole[1:-1].decode("ascii"))
        except ValueError:
            return None
        found.append((pdf[a : a + b] + pdf[c : c + d], _der_only(der), c + d))
    return found


def _der_only(data: bytes) -> bytes:
    """The DER structure at the start of ``data`` without the zero padding after it."""
    if len(data) < 2 or data[0] != 0x30:
        return data
    if data[1] < 0x80:
        return data[: 2 + data[1]]
    width = data[1] & 0x7F
    return data[: 2 + width + int.from_bytes(data[2 : 2 + width], "big")]


def check_pdf(pdf: bytes, trust: Trust, ledger_time: datetime | None) -> PadesResult:
    """Validate every PAdES signature of a rendition with pyHanko, as of its signing time
    when the ledger confirms the PDF existed then."""
    roots = [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in trust.ca
    ]
    try:
        signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    except Exception as exc:  # noqa: BLE001 - a damaged PDF is a verdict, not a crash
        return PadesResult((), (f"PDF повреждён и не читается ({type(exc).__name__})",))
    if not signatures:
        return PadesResult((), ("в PDF нет электронной подписи",))
    names, problems = [], []
    for number, embedded in enumerate(signatures, 1):
        try:
            moment = _moment(embedded.self_reported_timestamp, ledger_time)
            context = ValidationContext(trust_roots=roots, allow_fetching=False, moment=moment)
            status = validate_pdf_signature(embedded, context)
        except Exception as exc:  # noqa: BLE001
            problems.append(f"подпись {number} в PDF повреждена ({type(exc).__name__})")
            continue
        cert = x509.load_der_x509_certificate(status.signing_cert.dump())
        names.append(_name(cert))
        if not status.bottom_line:
            problems.append(f"подпись {number} в PDF недействительна ({_why(status)})")
        revoked_at = trust.revoked.get(cert.serial_number)
        if revoked_at is not None and revoked_at <= moment:
            problems.append(f"сертификат подписи {number} в PDF отозван до подписания")
    last = signatures[-1]
    try:
        covered = last.evaluate_signature_coverage() == SignatureCoverageLevel.ENTIRE_FILE
    except Exception:  # noqa: BLE001
        covered = False
    if not covered:
        problems.append("после последней подписи в PDF что-то дописано")
    return PadesResult(tuple(names), tuple(problems))


def _why(status) -> str:
    if not status.intact:
        return "PDF изменён после подписания"
    if not status.valid:
        return "значение подписи неверно"
    if not status.trusted:
        return "сертификат не выдан УЦ школы или не действовал"
    return "недопустимые изменения после подписания"


def _name(cert: x509.Certificate) -> str:
    surname = cert.subject.get_attributes_for_oid(x509.NameOID.SURNAME)
    given = cert.subject.get_attributes_for_oid(x509.NameOID.GIVEN_NAME)
    if surname and given:
        return f"{surname[0].value} {given[0].value}"
    cn = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(cn[0].value) if cn else "?"


def ledger_time(entry: dict) -> datetime | None:
    """The time a ledger entry was recorded (local, without a zone)."""
    try:
        return datetime.fromisoformat(entry["at"])
    except (KeyError, TypeError, ValueError):
        return None
