"""The README's «Как проверить документ — для проверяющего», run as written by an inspector
years later (play22: the section-12 set of 2026–2027 checked in March 2028). Its command had no
-attime: once the signer's certificate (issued for a year) had expired, OpenSSL answered
«certificate has expired … Verification failure» for every signature of the year, though the
set's ПРОВЕРКА.txt checks each as of its signing. Real CA, real openssl."""

from __future__ import annotations

import re
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from service.signing import ca, cms

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Как проверить документ — для проверяющего"


def readme_commands() -> str:
    """The first ``sh`` block of the inspector's section of README.md."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def test_the_readme_command_verifies_a_signature_whose_certificate_has_since_expired(tmp_path):
    ca_key, ca_cert = ca.create_ca("МКОУ «ООШ с. Верхние Ключи»")
    # issued a year ago, for a year: it expires three seconds from now
    issued = datetime.now(UTC) - timedelta(days=365) + timedelta(seconds=3)
    key, cert = ca.issue_signer(
        ca_key, ca_cert, "Белая Светлана Фёдоровна", "Директор", "МКОУ", "belaya", now=issued
    )
    document = "Приказ № 5/26 от 08.12.2026".encode()
    (tmp_path / "приказ.docx").write_bytes(document)
    (tmp_path / "приказ.docx.p7s").write_bytes(cms.sign_detached(document, key, cert, [ca_cert]))
    (tmp_path / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    time.sleep(max(0.0, (cert.not_valid_after_utc - datetime.now(UTC)).total_seconds()) + 1.5)
    done = subprocess.run(
        ["bash", "-c", readme_commands()], cwd=tmp_path, capture_output=True, text=True
    )
    out = done.stdout + done.stderr
    assert "certificate has expired" not in out
    assert "CMS Verification successful" in out
    assert "Белая Светлана Фёдоровна" in out
    # a byte changed: the same command says so
    (tmp_path / "приказ.docx").write_bytes(document.replace(b"5/26", b"6/26"))
    done = subprocess.run(
        ["bash", "-c", readme_commands()], cwd=tmp_path, capture_output=True, text=True
    )
    assert "Verification failure" in done.stdout + done.stderr
