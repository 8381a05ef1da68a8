"""The school's CA and detached CMS signatures: real keys, real openssl, real pyHanko."""

from __future__ import annotations

import asyncio
import io
import random
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import docx
import pytest
from asn1crypto import cms as asn1_cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from service.errors import BadInput
from service.signing import ca, cms
from service.signing.errors import UnusableKeyFile, WrongPassword

ORG = "МБОУ «СОШ № 5»"
DIRECTOR = "Иванова Мария Петровна"


@dataclass(frozen=True)
class Pki:
    ca_key: ca.PrivateKey
    ca_cert: x509.Certificate
    key: ca.PrivateKey
    cert: x509.Certificate
    other_ca_cert: x509.Certificate
    other_key: ca.PrivateKey
    other_cert: x509.Certificate


@pytest.fixture(scope="session")
def pki() -> Pki:
    """The school's CA with the director's certificate, and a stranger CA that copies its name."""
    ca_key, ca_cert = ca.create_ca(ORG)
    key, cert = ca.issue_signer(ca_key, ca_cert, DIRECTOR, "Директор", ORG, "ivanova")
    other_ca_key, other_ca_cert = ca.create_ca(ORG)
    other_key, other_cert = ca.issue_signer(
        other_ca_key, other_ca_cert, DIRECTOR, "Директор", ORG, "ivanova"
    )
    return Pki(ca_key, ca_cert, key, cert, other_ca_cert, other_key, other_cert)


@pytest.fixture(scope="session")
def document() -> bytes:
    """A real DOCX of about 40 KB."""
    doc = docx.Document()
    rng = random.Random(5)
    doc.add_heading("Приказ № 17 от 01.09.2025", level=1)
    for i in range(120):
        words = " ".join(
            rng.choice(["наставник", "наставляемый", "программа", "школа"]) for _ in range(40)
        )
        doc.add_paragraph(f"{i}. {words}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def signature(pki: Pki, document: bytes) -> bytes:
    return cms.sign_detached(document, pki.key, pki.cert, [pki.ca_cert])


def openssl_verify(tmp_path: Path, doc: bytes, sig: bytes, ca_cert: x509.Certificate) -> bool:
    """`openssl cms -verify` exactly as the design document tells people to run it."""
    (tmp_path / "doc.docx").write_bytes(doc)
    (tmp_path / "doc.p7s").write_bytes(sig)
    (tmp_path / "ca.pem").write_bytes(ca.cert_to_pem(ca_cert))
    done = subprocess.run(
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "doc.p7s"]
        + ["-content", "doc.docx", "-CAfile", "ca.pem", "-out", "/dev/null"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    return done.returncode == 0


def _signature_value(sig: bytes) -> bytes:
    info = asn1_cms.ContentInfo.load(sig)
    return info["content"]["signer_infos"][0]["signature"].native


def _flip(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


# --- certificates ---------------------------------------------------------------------------


def test_ca_certificate(pki: Pki) -> None:
    cert = pki.ca_cert
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.key_cert_sign and usage.value.crl_sign
    assert not usage.value.digital_signature
    cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    cert.verify_directly_issued_by(cert)
    der = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    types = {
        attr["type"].native: (attr["value"].chosen.__class__.__name__, attr["value"].native)
        for rdn in der.subject.chosen
        for attr in rdn
    }
    assert types["organization_name"] == ("UTF8String", ORG)
    assert types["common_name"] == ("UTF8String", f"УЦ {ORG}")
    assert cert.public_key().key_size == 3072


def test_signer_certificate(pki: Pki) -> None:
    cert = pki.cert
    cert.verify_directly_issued_by(pki.ca_cert)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.EMAIL_PROTECTION]
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = pki.ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    subject = {a.oid: a.value for a in cert.subject}
    assert subject[NameOID.COMMON_NAME] == DIRECTOR
    assert subject[NameOID.TITLE] == "Директор"
    assert subject[NameOID.ORGANIZATION_NAME] == ORG
    assert subject[NameOID.USER_ID] == "ivanova"
    assert subject[NameOID.SURNAME] == "Иванова"
    assert subject[NameOID.GIVEN_NAME] == "Мария Петровна"
    assert cert.serial_number != pki.other_cert.serial_number
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == timedelta(days=365)


def test_cyrillic_subject_survives_openssl(pki: Pki, tmp_path: Path) -> None:
    (tmp_path / "cert.pem").write_bytes(ca.cert_to_pem(pki.cert))
    (tmp_path / "ca.pem").write_bytes(ca.cert_to_pem(pki.ca_cert))
    show = ["openssl", "x509", "-noout", "-subject", "-issuer", "-serial", "-nameopt", "utf8"]
    out = subprocess.run(
        [*show, "-in", "cert.pem"], cwd=tmp_path, capture_output=True, check=True
    ).stdout.decode()
    assert f"CN={DIRECTOR}" in out  # openssl 3 with -nameopt utf8: no spaces
    assert "Директор" in out and ORG in out and "ivanova" in out
    assert f"serial={ca.serial_hex(pki.cert)}" in out
    out = subprocess.run(
        [*show, "-in", "ca.pem"], cwd=tmp_path, capture_output=True, check=True
    ).stdout.decode()
    assert f"CN=УЦ {ORG}" in out


def test_long_names_fit_rfc_5280_and_keep_the_full_name(pki: Pki, document: bytes) -> None:
    org = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 5»"
    ca_key, ca_cert = ca.create_ca(org)
    assert ca_cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == org
    assert ca_cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == (
        "Удостоверяющий центр"
    )
    name = "Воскресенская Александра Вениаминовна"
    key, cert = ca.issue_signer(ca_key, ca_cert, name, "Заместитель директора", org, "kv")
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert cn == "Воскресенская А. В."
    status = cms.verify_detached(
        document, cms.sign_detached(document, key, cert, [ca_cert]), [ca_cert]
    )
    assert status.bottom_line
    assert status.signer_name == name


def test_common_names_are_fitted_to_64_bytes(pki: Pki) -> None:
    name = "Константинопольская-Воскресенская Александра Вениаминовна"
    _, cert = ca.issue_signer(pki.ca_key, pki.ca_cert, name, "Учитель", ORG, "kv")
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert cn.startswith("Константинопольская-Воскрес") and cn.endswith("…")
    assert len(cn.encode()) <= 64
    surname = cert.subject.get_attributes_for_oid(NameOID.SURNAME)[0].value
    assert surname == "Константинопольская-Воскресенская"


def test_a_certificate_without_a_name_is_refused_in_russian(pki: Pki) -> None:
    with pytest.raises(BadInput) as refused:
        ca.issue_signer(pki.ca_key, pki.ca_cert, "  ", "Директор", ORG, "director")
    assert (refused.value.status, refused.value.message) == (
        400,
        "Не указаны ФИО владельца сертификата: сертификат не выпущен.",
    )


def test_signer_certificate_never_outlives_the_ca() -> None:
    start = datetime(2025, 9, 1, tzinfo=UTC)
    ca_key, ca_cert = ca.create_ca("Школа", valid_years=1, now=start)
    _, cert = ca.issue_signer(ca_key, ca_cert, DIRECTOR, "Директор", "Школа", "i", 3650, start)
    assert cert.not_valid_before_utc == start
    assert cert.not_valid_after_utc == ca_cert.not_valid_after_utc


# --- keys -----------------------------------------------------------------------------------


def test_private_key_round_trip_and_wrong_password(pki: Pki) -> None:
    pem = ca.encrypt_private_key(pki.key, "Пароль-директора 1")
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    key = ca.load_private_key(pem, "Пароль-директора 1")
    assert key.private_numbers() == pki.key.private_numbers()
    with pytest.raises(WrongPassword):
        ca.load_private_key(pem, "пароль-директора 1")
    with pytest.raises(WrongPassword):
        ca.load_private_key(pem, "")


def test_unencrypted_or_garbage_key_file_is_refused(pki: Pki) -> None:
    plain = pki.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(UnusableKeyFile):
        ca.load_private_key(plain, "x")
    with pytest.raises(UnusableKeyFile):
        ca.load_private_key(b"not a key", "x")
    with pytest.raises(ValueError):
        ca.encrypt_private_key(pki.key, "")


def test_pkcs12_import_round_trip(pki: Pki, document: bytes) -> None:
    p12 = pkcs12.serialize_key_and_certificates(
        "Иванова".encode(),
        pki.key,
        pki.cert,
        [pki.ca_cert],
        serialization.BestAvailableEncryption(b"p12-secret"),
    )
    key, cert, extra = ca.import_pkcs12(p12, "p12-secret")
    assert key.private_numbers() == pki.key.private_numbers()
    assert cert == pki.cert
    assert extra == [pki.ca_cert]
    status = cms.verify_detached(document, cms.sign_detached(document, key, cert, extra), extra)
    assert status.bottom_line
    with pytest.raises(WrongPassword):
        ca.import_pkcs12(p12, "wrong")
    with pytest.raises(UnusableKeyFile):
        ca.import_pkcs12(b"\x30\x03\x02\x01\x03", "p12-secret")
    with pytest.raises(UnusableKeyFile):
        ca.import_pkcs12(b"garbage", "p12-secret")


def test_pem_helpers(pki: Pki) -> None:
    assert ca.cert_from_pem(ca.cert_to_pem(pki.cert)) == pki.cert
    bundle = ca.certs_to_pem([pki.ca_cert, pki.cert])
    assert ca.certs_from_pem(bundle) == [pki.ca_cert, pki.cert]


# --- signing and verification ---------------------------------------------------------------


def test_openssl_verifies_the_signature(
    pki: Pki, document: bytes, signature: bytes, tmp_path: Path
) -> None:
    assert openssl_verify(tmp_path, document, signature, pki.ca_cert)


def test_service_verifies_the_signature(pki: Pki, document: bytes, signature: bytes) -> None:
    status = cms.verify_detached(document, signature, [pki.ca_cert])
    assert status.bottom_line
    assert (status.intact, status.valid, status.trusted, status.revoked) == (
        True,
        True,
        True,
        False,
    )
    assert status.problems == ()
    assert status.signer_name == DIRECTOR
    assert status.signer_position == "Директор"
    assert status.serial == ca.serial_hex(pki.cert)
    assert status.not_before == pki.cert.not_valid_before_utc
    assert status.not_after == pki.cert.not_valid_after_utc


def test_signature_is_detached_der_with_both_certificates_and_signing_time(
    pki: Pki, document: bytes, tmp_path: Path
) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    sig = cms.sign_detached(document, pki.key, pki.cert, [pki.ca_cert])
    after = datetime.now(UTC)
    info = asn1_cms.ContentInfo.load(sig)
    signed_data = info["content"]
    assert info["content_type"].native == "signed_data"
    assert signed_data["encap_content_info"]["content"].native is None  # detached
    certs = {c.chosen.dump() for c in signed_data["certificates"]}
    assert certs == {c.public_bytes(serialization.Encoding.DER) for c in (pki.cert, pki.ca_cert)}
    attrs = {
        a["type"].native: a["values"][0].native
        for a in signed_data["signer_infos"][0]["signed_attrs"]
    }
    assert before <= attrs["signing_time"] <= after
    assert signed_data["signer_infos"][0]["digest_algorithm"]["algorithm"].native == "sha256"

    (tmp_path / "doc.p7s").write_bytes(sig)
    printed = subprocess.run(
        ["openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", "doc.p7s"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert "signingTime" in printed

    status = cms.verify_detached(document, sig, [pki.ca_cert])
    assert status.signing_time is not None and before <= status.signing_time <= after


def test_one_changed_byte_of_the_document_is_detected(
    pki: Pki, document: bytes, signature: bytes, tmp_path: Path
) -> None:
    changed = _flip(document, len(document) // 2)
    assert not openssl_verify(tmp_path, changed, signature, pki.ca_cert)
    status = cms.verify_detached(changed, signature, [pki.ca_cert])
    assert not status.bottom_line
    assert not status.intact
    assert status.valid and status.trusted  # still the director's genuine signature…
    assert status.problems == (cms.CHANGED,)  # …over other bytes


def test_one_changed_byte_of_the_signature_value_is_detected(
    pki: Pki, document: bytes, signature: bytes, tmp_path: Path
) -> None:
    value = _signature_value(signature)
    start = signature.find(value)
    assert start > 0 and signature.count(value) == 1
    damaged = _flip(signature, start + len(value) // 2)
    assert not openssl_verify(tmp_path, document, damaged, pki.ca_cert)
    status = cms.verify_detached(document, damaged, [pki.ca_cert])
    assert not status.bottom_line
    assert status.intact and not status.valid and not status.trusted
    assert status.problems == (cms.BAD_VALUE,)


def test_edited_signer_certificate_is_not_trusted(
    pki: Pki, document: bytes, signature: bytes, tmp_path: Path
) -> None:
    # someone "promotes" the signer inside the .p7s: Директор → Дирекция (same length)
    before, after = "Директор".encode(), "Дирекция".encode()
    assert signature.count(before) == 1
    forged = signature.replace(before, after)
    assert not openssl_verify(tmp_path, document, forged, pki.ca_cert)
    status = cms.verify_detached(document, forged, [pki.ca_cert])
    assert status.intact and status.valid  # the key inside is still the director's…
    assert not status.trusted and not status.bottom_line  # …but the CA never signed this
    assert status.signer_position == "Дирекция"
    assert status.problems == (cms.UNTRUSTED.format(code="CERTIFICATE_CHAIN_GENERAL_FAILURE"),)


def test_certificate_of_another_ca_is_not_trusted(
    pki: Pki, document: bytes, tmp_path: Path
) -> None:
    # the stranger CA has exactly the school's name; only the key differs
    assert pki.other_ca_cert.subject == pki.ca_cert.subject
    sig = cms.sign_detached(document, pki.other_key, pki.other_cert, [pki.other_ca_cert])
    assert openssl_verify(tmp_path, document, sig, pki.other_ca_cert)
    assert not openssl_verify(tmp_path, document, sig, pki.ca_cert)
    status = cms.verify_detached(document, sig, [pki.ca_cert])
    assert status.intact and status.valid
    assert not status.trusted and not status.bottom_line
    assert status.problems == (cms.NOT_OURS,)


def test_revoked_serial_is_reported(pki: Pki, document: bytes, signature: bytes) -> None:
    status = cms.verify_detached(
        document, signature, [pki.ca_cert], revoked_serials={1, pki.cert.serial_number}
    )
    assert status.revoked and status.trusted and not status.bottom_line
    assert status.problems == (cms.REVOKED.format(serial=ca.serial_hex(pki.cert)),)
    other = cms.verify_detached(document, signature, [pki.ca_cert], revoked_serials={1, 2})
    assert other.bottom_line


def test_validity_period_is_checked_at_the_given_moment(
    pki: Pki, document: bytes, signature: bytes
) -> None:
    late = pki.cert.not_valid_after_utc + timedelta(days=1)
    status = cms.verify_detached(document, signature, [pki.ca_cert], at=late)
    assert not status.trusted and not status.bottom_line
    assert status.problems == (cms.EXPIRED.format(date=f"{pki.cert.not_valid_after_utc:%d.%m.%Y}"),)
    early = pki.cert.not_valid_before_utc - timedelta(days=1)
    status = cms.verify_detached(document, signature, [pki.ca_cert], at=early)
    assert not status.trusted
    assert status.problems == (
        cms.NOT_YET.format(date=f"{pki.cert.not_valid_before_utc:%d.%m.%Y}"),
    )
    inside = pki.cert.not_valid_before_utc + timedelta(days=100)
    assert cms.verify_detached(document, signature, [pki.ca_cert], at=inside).bottom_line
    with pytest.raises(ValueError):
        cms.verify_detached(document, signature, [pki.ca_cert], at=datetime(2026, 1, 1))


def test_no_trust_roots_means_no_trust(pki: Pki, document: bytes, signature: bytes) -> None:
    status = cms.verify_detached(document, signature, [])
    assert status.intact and status.valid and not status.trusted
    assert status.problems == (cms.NOT_OURS,)


@pytest.mark.parametrize(
    "garbage",
    [b"", b"garbage", b"\x30\x00", b"\x30\x80" + b"\x00" * 10],
    ids=["empty", "text", "empty-sequence", "indefinite"],
)
def test_garbage_is_reported_not_raised(pki: Pki, document: bytes, garbage: bytes) -> None:
    status = cms.verify_detached(document, garbage, [pki.ca_cert])
    assert status.problems == (cms.CORRUPT,)
    assert not status.bottom_line and status.signer_name is None


def test_malformed_signatures_are_reported(pki: Pki, document: bytes, signature: bytes) -> None:
    pem = b"-----BEGIN PKCS7-----\n" + signature + b"\n-----END PKCS7-----\n"
    certs_only = pkcs7.serialize_certificates([pki.cert], serialization.Encoding.DER)
    attached = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(document)
        .add_signer(pki.cert, pki.key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )
    for bad in [signature[: len(signature) // 2], signature + b"\x00", pem, certs_only, attached]:
        status = cms.verify_detached(document, bad, [pki.ca_cert])
        assert not status.bottom_line
        assert cms.CORRUPT in status.problems


def test_damage_anywhere_in_the_signature_never_raises(
    pki: Pki, document: bytes, signature: bytes
) -> None:
    rng = random.Random(7)
    positions = sorted(rng.sample(range(len(signature)), 60))
    for position in positions:
        status = cms.verify_detached(document, _flip(signature, position), [pki.ca_cert])
        assert isinstance(status, cms.SignatureStatus)
        if not status.bottom_line:
            assert status.problems
    for _ in range(20):
        noise = rng.randbytes(rng.randrange(1, 3000))
        assert cms.verify_detached(document, noise, [pki.ca_cert]).problems == (cms.CORRUPT,)


def test_verification_works_inside_a_running_event_loop(
    pki: Pki, document: bytes, signature: bytes
) -> None:
    async def check() -> bool:
        return cms.verify_detached(document, signature, [pki.ca_cert]).bottom_line

    assert asyncio.run(check())
