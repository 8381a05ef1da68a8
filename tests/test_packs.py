"""Packs and the section-12 sheet as domain functions (no Flask): what goes into the ZIP."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

from openpyxl import load_workbook

from service.archive.packs import PackError, batch_pack, pair_pack, section12_pack
from service.archive.section12 import completeness
from service.register.db import session_scope
from service.store import FileStore
from tests.signing_calls import attach_scan, sign_documents
from tests.web_school import KEY_PASSWORD

PDF = b"%PDF-1.4\n% a scan\n"


def test_pair_pack_has_the_signature_and_the_scan_of_its_programme(web_school):
    settings = web_school.settings
    program = web_school.doc_id("program")
    (result,) = sign_documents(settings, "director", [program], KEY_PASSWORD)
    assert result.ok
    attach_scan(settings, program, PDF)
    with session_scope(settings.database_url) as s:
        pack = pair_pack(s, FileStore(settings.store_dir), settings.var, 1)
    archive = zipfile.ZipFile(pack.path)
    names = archive.namelist()
    assert names == list(pack.members)
    docx = next(n for n in names if n.startswith("Персонализированная") and n.endswith(".docx"))
    assert docx + ".p7s" in names
    scan = docx.removesuffix(".docx") + " — скан.pdf"
    assert archive.read(scan) == PDF
    inventory = load_workbook(io.BytesIO(archive.read("Опись.xlsx"))).active
    assert "пара П-01" in inventory["A1"].value
    files = [row[5] for row in inventory.iter_rows(min_row=3, values_only=True)]
    assert sorted(files) == sorted(n for n in names if n.endswith(".docx"))


def test_section12_pack_and_sheet_follow_the_signatures(web_school):
    settings = web_school.settings
    order = web_school.doc_id("order_pairs")
    sign_documents(settings, "director", [order], KEY_PASSWORD)
    with session_scope(settings.database_url) as s:
        rows = completeness(s)
        assert [r.position for r in rows] == list(range(1, 9))
        signed = [r for r in rows if r.signed]
        assert [r.kind.id for r in signed] == ["order_pairs"]
        assert signed[0].number and signed[0].signatures[0].name.startswith("Кинякина")
        pack = section12_pack(s, FileStore(settings.store_dir), settings.var)
    assert pack.members[0] == "Опись.xlsx" and pack.members[-2:] == ("ca.pem", "ПРОВЕРКА.txt")
    assert len([m for m in pack.members if m.endswith(".docx")]) == 8


def test_nothing_to_pack_is_a_pack_error(web_school):
    settings = web_school.settings
    with session_scope(settings.database_url) as s:
        for make, ident in ((batch_pack, 99), (pair_pack, 99)):
            try:
                make(s, FileStore(settings.store_dir), settings.var, ident)
            except PackError as exc:
                assert "не найден" in str(exc)
            else:
                raise AssertionError("no PackError")


def test_the_pack_says_how_to_check_its_signatures_with_openssl_alone(web_school, tmp_path):
    """ПРОВЕРКА.txt in the ZIP, followed word for word in the unpacked folder: every signature
    checked as of its own signing moment (it holds after the certificate's year), its holder
    named; what the pack cannot check (revocation, the ledger) said, and where to."""
    settings = web_school.settings
    order = web_school.doc_id("order_pairs")
    sign_documents(settings, "director", [order], KEY_PASSWORD)
    with session_scope(settings.database_url) as s:
        pack = section12_pack(s, FileStore(settings.store_dir), settings.var)
    folder = tmp_path / "комплект"
    zipfile.ZipFile(pack.path).extractall(folder)
    text = (folder / "ПРОВЕРКА.txt").read_text(encoding="utf-8")
    assert "openssl x509 -in ca.pem -noout -fingerprint -sha256" in text
    assert "списка отозванных в нём нет" in text and "nastavnik archive export" in text
    assert "пакет учебного года — проверяющий скачивает его\nна странице сервиса «Архив»" in text
    loop = text[text.index("find . -name") : text.index("done\n", text.index("find .")) + 4]
    done = subprocess.run(["bash", "-c", loop], cwd=folder, capture_output=True, text=True)
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("  ")]
    assert done.stdout.startswith(
        "./Приказ об утверждении наставников и наставнических пар.docx.p7s\n"
    )
    assert re.fullmatch(
        r"  CMS Verification successful; подписано \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT; "
        r"Кинякина Татьяна Игоревна, сертификат № [0-9A-F]+",
        line,
    ), done.stdout + done.stderr
