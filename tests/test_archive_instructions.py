"""ПРОВЕРКА.txt followed word for word, as an inspector would years later with nothing but
openssl and bash: the commands run verbatim on the exported files (Cyrillic names with
spaces), check each signature as of its own signing moment (a certificate is issued for a
year), name the holder readably, and tell a key revoked after signing (the signature stands)
from one revoked before it (it does not) — where ``-crl_check`` says «revoked» for both and,
a year after the export, «CRL has expired»."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from service.signing.signer import open_ca
from tests.archive_school import CA_PASSWORD

CA = "data/Удостоверяющий центр/ca.pem"
CRL = "data/Удостоверяющий центр/crl.pem"


def bash(script: str, bag: Path) -> str:
    done = subprocess.run(["bash", "-c", script], cwd=bag, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def instructions(bag: Path) -> str:
    return (bag / "ПРОВЕРКА.txt").read_text(encoding="utf-8")


def signatures(bag: Path) -> list[str]:
    return sorted(p.relative_to(bag).as_posix() for p in (bag / "data").rglob("*.docx*.p7s"))


def holders(bag: Path) -> dict[str, tuple[str, str, datetime]]:
    """Each signature's holder, certificate serial (in hex, as openssl prints it) and signing
    moment, read with the library."""
    from asn1crypto import cms

    found = {}
    for relative in signatures(bag):
        info = cms.ContentInfo.load((bag / relative).read_bytes())["content"]
        (signer,) = info["signer_infos"]
        serial = signer["sid"].chosen["serial_number"].native
        cert = next(c.chosen for c in info["certificates"] if c.chosen.serial_number == serial)
        when = next(
            a["values"][0].native
            for a in signer["signed_attrs"]
            if a["type"].native == "signing_time"
        )
        digits = f"{serial:X}"
        found[relative] = (
            cert.subject.native["common_name"],
            digits.zfill(len(digits) + len(digits) % 2),
            when,
        )
    return found


def test_one_signature_as_the_instructions_show_it(bag):
    text = instructions(bag)
    block = text[
        text.index("     f=$(mktemp); t=$(") : text.index(
            "   «CMS Verification successful» — документ"
        )
    ]
    example = re.search(r'-in "(data/[^"]+\.p7s)"', block).group(1)
    name, serial, when = holders(bag)[example]
    out = bash(block, bag)
    assert f"Подписан: {when:%b %e %H:%M:%S %Y} GMT" in out
    assert "CMS Verification successful" in out
    assert f"CN={name}" in out and f"serial={serial}" in out
    assert "\\D0" not in out  # names readable, not escaped UTF-8
    assert "-print_certs | head -2" not in text and "-crl_check -out" not in text


def revoke(exported, bag: Path, revoked: dict[str, datetime]) -> None:
    """The bag's revocation list replaced by one of the school's CA listing ``revoked``."""
    ca = open_ca(exported[0].var, CA_PASSWORD)
    now = datetime.now(UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(now)
        .next_update(now + timedelta(days=365))
    )
    for serial, at in revoked.items():
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(int(serial, 16))
            .revocation_date(at)
            .build()
        )
    crl = builder.sign(ca.key, hashes.SHA256())
    (bag / CRL).write_bytes(crl.public_bytes(serialization.Encoding.PEM))


def test_every_signature_as_of_its_signing_and_revocations_by_date(exported, bag):
    text = instructions(bag)
    loop = text[text.index("find data -name") : text.index("done\n", text.index("find data")) + 4]
    assert '-attime "$(date -d "$t" +%s)"' in loop  # not today: a year on, it still holds
    found = holders(bag)
    director = next(s for n, s, _ in found.values() if n == "Кинякина Татьяна Игоревна")
    curator = next(s for n, s, _ in found.values() if n == "Бутрина Ольга Николаевна")

    def expected(relative: str, revocation: str) -> str:
        name, serial, when = found[relative]
        return (
            f"{relative}\n  CMS Verification successful; подписано {when:%b %e %H:%M:%S %Y} GMT; "
            f"{name}, сертификат № {serial}; {revocation}"
        )

    out = bash(loop, bag)
    assert out == "".join(expected(r, "не отозван") + "\n" for r in signatures(bag))

    # the director's key revoked after she signed (she left the school), the curator's before
    later = datetime.now(UTC).replace(microsecond=0)
    earlier = datetime(2020, 1, 1, tzinfo=UTC)
    revoke(exported, bag, {director: later, curator: earlier})
    out = bash(loop, bag)
    date = "%b %e %H:%M:%S %Y GMT"
    for relative, (name, _, _) in found.items():
        line = (
            expected(relative, f"отозван {later:{date}} — после подписания: подпись действительна")
            if name == "Кинякина Татьяна Игоревна"
            else expected(
                relative, f"ОТОЗВАН {earlier:{date}} — до подписания: ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА"
            )
        )
        assert line + "\n" in out


def test_the_schools_own_signatures_after_its_ca_expired(bag):
    """The tag manifest and the checkpoint are signed by the CA at the export: the text gives
    the export's moment for -attime, for when the CA's own certificate has expired."""
    text = instructions(bag)
    seconds = re.search(r"-attime (\d+) — момент выгрузки", text).group(1)
    assert (
        bash(
            f"openssl cms -verify -binary -inform DER -in tagmanifest-sha256.txt.p7s "
            f'-content tagmanifest-sha256.txt -CAfile "{CA}" -purpose any -out /dev/null '
            f"-attime {seconds}",
            bag,
        ).strip()
        == "CMS Verification successful"
    )
