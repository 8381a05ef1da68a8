"""The archive: a signed year archived with PDF/A copies carrying the signature mark, the
section-12 sheet, verification of the school's own archive, retention and destruction acts.
Real LibreOffice, real pyHanko, real openssl; the converted year is shared (see archive_school)."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from service.archive.archiving import archive_documents
from service.archive.destruction import destroy_documents
from service.archive.errors import ArchiveError
from service.archive.integrity import verify_archive
from service.archive.proofs import MerkleLevels
from service.archive.rendition import _parse_pgm
from service.archive.status import section12_status, summary_docx
from service.archive.store import ArchiveStore
from service.cli import main
from service.documents.text import docx_text
from service.register.archive import due_items
from service.register.archive_models import ArchiveItem
from service.register.db import session_factory, session_scope
from service.register.models import Document, DocumentStatus, Event
from service.signing import merkle
from service.signing.ledger import verify_ledger
from service.store import FileStore
from tests.archive_school import DIRECTOR_PASSWORD, YEAR, copy_home, document_id


@pytest.fixture(scope="module")
def school(exported):
    """The archived school (conftest's ``exported``: built once per run)."""
    return exported[0]


def archived(settings) -> list[ArchiveItem]:
    with session_scope(settings.database_url) as s:
        items = list(s.scalars(select(ArchiveItem).order_by(ArchiveItem.document_id)))
        for item in items:
            _ = item.document.signatures
        return items


def pdf_of(settings, kind: str, subject: str | None, folder: Path) -> Path:
    target = document_id(settings, kind, subject)
    item = next(i for i in archived(settings) if i.document_id == target)
    path = folder / f"{kind}.pdf"
    path.write_bytes(ArchiveStore(settings.archive_dir).get(item.pdf_sha256))
    return path


def last_page_text(pdf: Path) -> str:
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    return page_text(pdf, pages)


def test_every_signed_document_is_archived_with_its_proofs(school):
    items = archived(school)
    kinds = [i.document.kind for i in items]
    assert len([k for k in kinds if k.startswith("order_")]) == 5
    assert {"regulation", "target_model", "roadmap", "program", "consent_adult"} <= set(kinds)
    store = ArchiveStore(school.archive_dir)
    for item in items:
        assert item.document.status == DocumentStatus.ARCHIVED
        assert item.school_year == YEAR and item.pages >= 1
        roles = [f["role"] for f in item.files]
        assert roles.count("docx") == roles.count("pdf") == roles.count("proof") == 1
        for file in item.files:
            path = store.path_for(file["sha256"])
            assert path.stat().st_mode & 0o777 == 0o400  # read-only, the owner's only
        proof = json.loads(store.get(next(f["sha256"] for f in item.files if f["role"] == "proof")))
        for entry in proof["entries"]:
            assert json.loads(entry["entry"])["document"] == item.document_id
    with session_scope(school.database_url) as s:
        events = s.scalars(select(Event).where(Event.kind == "document_archived")).all()
        assert len(events) == len(items)
        assert verify_ledger(s, school.var, FileStore(school.store_dir)).ok


def test_the_pdf_copy_is_pdfa_with_the_mark_on_its_last_page(school, tmp_path):
    pdf = pdf_of(school, "order_pairs", None, tmp_path)
    data = pdf.read_bytes()
    assert b"pdfaid:part" in data and b"<pdfaid:part>2</pdfaid:part>" in data.replace(b"\n", b"")
    text = last_page_text(pdf)
    assert "ДОКУМЕНТ ПОДПИСАН" in text and "ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in text
    with session_scope(school.database_url) as s:
        signer = s.get(Document, document_id(school, "order_pairs")).signatures[0].signer
        serial, not_before = signer.serial, signer.not_before
    assert f"Сертификат: {serial}" in text
    assert "Владелец: Кинякина Татьяна Игоревна" in text
    assert f"Действителен: с {not_before:%d.%m.%Y} по" in text and "Подписан:" in text
    assert (
        "ПРИКАЗЫВАЮ"
        in subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    )


def pyhanko_validate(pdf: Path, ca: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(Path(__import__("sys").executable).parent / "pyhanko"),
            "sign",
            "validate",
            "--trust",
            str(ca),
            "--trust-replace",
            "--no-revocation-check",
            "--executive-summary",
            str(pdf),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_pyhanko_cli_accepts_the_marks_with_the_school_ca(school, tmp_path):
    order = pdf_of(school, "order_implementation", None, tmp_path)
    program = pdf_of(school, "program", "П-01", tmp_path)
    done = pyhanko_validate(order, school.ca_certificate)
    assert done.returncode == 0 and done.stdout.count(":VALID") == 1, done.stdout + done.stderr
    both = pyhanko_validate(program, school.ca_certificate)  # the curator's and the director's
    assert both.returncode == 0 and both.stdout.count(":VALID") == 2, both.stdout + both.stderr
    # each mark on its signer's line: the director's in «УТВЕРЖДАЮ» on page 1, the curator's
    # on his line under the plan
    text = last_page_text(program)
    assert text.count("ДОКУМЕНТ ПОДПИСАН") == 1 and "Бутрина Ольга Николаевна" in text
    first = page_text(program, 1)
    assert first.count("ДОКУМЕНТ ПОДПИСАН") == 1 and "Кинякина Татьяна Игоревна" in first


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.parametrize(
    ("kind", "subject", "owner", "left", "right"),
    [
        ("order_implementation", None, "Кинякина", "СОШ", "Т.И."),
        ("regulation", None, "Кинякина", None, "Т.И."),
        ("program", "П-01", "Бутрина", "Куратор", "О.Н."),
    ],
)
def test_the_mark_stands_on_the_signature_line_and_covers_nothing(
    school, tmp_path, kind, subject, owner, left, right
):
    """Where the pen would sign: on the «____» beside «Директор … И.О. Фамилия», legible
    (7 pt and more), over no word of the page."""
    from service.archive.mark import BODY_SIZE
    from service.archive.signature_line import signature_line, words_of

    pdf = pdf_of(school, kind, subject, tmp_path).read_bytes()
    words, _ = words_of(pdf)
    mark = [w for w in words if w.text.startswith("Владелец:") and owner in w.text]
    assert len(mark) == 1
    line, name = signature_line([w for w in words if w not in mark], owner)
    assert name.text == owner
    assert any(
        w.text == right and w.page == name.page and abs(w.bottom - name.bottom) < 2 for w in words
    )
    (owner_line,) = mark
    assert owner_line.page == line.page
    marked = [w for w in words if w.page == line.page and w.x0 >= owner_line.x0 - 20]
    header = next(w for w in marked if w.text.startswith("ДОКУМЕНТ"))
    bottom = next(w for w in marked if w.text.startswith("Подписан:"))
    assert header.top < bottom.top  # one mark, read from top to bottom
    # the mark stands right on or above the «____», not away from it
    assert line.top - 30 <= bottom.bottom <= line.bottom + 1
    # between the position and the name, over no other word of the page
    width = 70 * 72 / 25.4  # the mark's width
    box = (owner_line.x0 - 6, header.top - 6, owner_line.x0 - 6 + width, bottom.bottom + 1)
    mark_words = (
        "ДОКУМЕНТ",
        "ЭЛЕКТРОННОЙ",
        "Сертификат:",
        "Владелец:",
        "Действителен:",
        "Подписан:",
    )
    for word in words:
        if word.page != line.page or word.text.startswith(mark_words):
            continue
        if set(word.text) == {"_"}:
            continue
        overlaps = (
            word.x0 < box[2] and box[0] < word.x1 and word.top < box[3] and box[1] < word.bottom
        )
        assert not overlaps, word
    if left:
        position = next(
            w
            for w in words
            if w.page == line.page and w.text == left and abs(w.bottom - line.bottom) < 20
        )
        assert position.x1 <= box[0]
    assert BODY_SIZE >= 7


def test_a_paper_signed_document_gets_a_copy_without_a_mark(school, tmp_path):
    consent = pdf_of(school, "consent_adult", None, tmp_path)
    assert "ДОКУМЕНТ ПОДПИСАН" not in last_page_text(consent)
    item = next(i for i in archived(school) if i.document.kind == "consent_adult")
    assert [f["role"] for f in item.files].count("scan") == 1


def test_section12_sheet_lists_the_eight_documents(school, tmp_path):
    with session_scope(school.database_url) as s:
        rows = section12_status(s, YEAR)
        assert [r.position for r in rows] == list(range(1, 9))
        assert all(r.present and r.archived_at for r in rows)
        orders = [r for r in rows if r.kind.is_order]
        assert all(r.number and r.reg_date for r in orders)
        assert all("Кинякина Татьяна Игоревна" in r.signatures[0] for r in rows)
        docx = tmp_path / "сводка.docx"
        docx.write_bytes(summary_docx(rows, "МБОУ «Гимназия № 3»", YEAR))
        numbers = [r.number for r in orders]
    text = docx_text(docx)
    assert "Приказ об утверждении наставников и наставнических пар" in text
    # reader22: the columns were equal, «№» a seventh of the page
    from docx import Document as Docx
    from docx.shared import Mm

    (table,) = Docx(str(docx)).tables
    assert [round(c.width / Mm(1)) for c in table.columns] == [10, 92, 22, 20, 40, 53, 30]
    assert {round(c.width / Mm(1)) for c in table.rows[-1].cells} == {10, 92, 22, 20, 40, 53, 30}
    # left22: «№» and the number kept on one line, as in the templates' documents (tidy)
    assert f"МБОУ «Гимназия №\xa03»; учебный год: {YEAR}" in text
    assert re.findall(r"№ (?!\|)", text) == []  # «№ |»: the column «№» of the table
    assert all(f"№\xa0{number} от" in text for number in numbers)
    assert "в архиве с" in text and "Документов в наличии: 8 из 8" in text
    other = CliRunner().invoke(main, ["--home", str(school.home), "archive", "status"])
    assert other.exit_code == 0 and "Итого: есть 8 из 8, в архиве 8." in other.output
    old = CliRunner().invoke(
        main, ["--home", str(school.home), "archive", "status", "--year", "2019-2020"]
    )
    assert old.exit_code == 0 and old.output.count("ОТСУТСТВУЕТ") == 8


def verified(settings):
    """The school's own archive checked, as ``nastavnik archive verify`` does."""
    with session_scope(settings.database_url) as session:
        return verify_archive(session, settings)


def test_archiving_again_archives_nothing_twice(school):
    with session_scope(school.database_url) as session:
        (result,) = archive_documents(
            session, school, [document_id(school, "order_pairs")], {"director": DIRECTOR_PASSWORD}
        )
    assert not result.ok and "Уже в архиве" in result.message


def test_a_changed_or_deleted_archived_file_is_detected(school, tmp_path):
    home = copy_home(school, tmp_path / "home")
    assert verified(home).ok
    store = ArchiveStore(home.archive_dir)
    item = archived(home)[0]
    docx = store.path_for(item.files[0]["sha256"])
    docx.chmod(0o644)
    data = bytearray(docx.read_bytes())
    data[500] ^= 1
    docx.write_bytes(bytes(data))
    pdf = store.path_for(item.pdf_sha256)
    pdf.chmod(0o644)
    pdf.unlink()
    report = verified(home)
    assert not report.ok
    text = report.to_text()
    assert "файл архива изменён" in text and "файл архива удалён" in text
    result = CliRunner().invoke(main, ["--home", str(home.home), "archive", "verify", "--quiet"])
    assert result.exit_code == 1 and "ПРОВЕРКА НЕ ПРОЙДЕНА" in result.output


def test_destroying_is_an_act_in_the_ledger(school, tmp_path):
    home = copy_home(school, tmp_path / "home")
    consent = document_id(home, "consent_adult")
    sessions = session_factory(home.database_url)
    with session_scope(home.database_url) as s:
        item = s.scalars(select(ArchiveItem).where(ArchiveItem.document_id == consent)).one()
        due_day = item.retain_until
        # the demo programmes end in 2024: three years counted from 1 January 2025
        assert due_day == date(2028, 1, 1)
    # the day before: refused (a fixed day — from 2028 on, today would be past it)
    with pytest.raises(ArchiveError, match="не истёк"):
        destroy_documents(
            sessions, home, [consent], "director", DIRECTOR_PASSWORD, today=date(2027, 12, 31)
        )
    with session_scope(home.database_url) as s:
        item = s.scalars(select(ArchiveItem).where(ArchiveItem.document_id == consent)).one()
        assert consent in [i.document_id for i in due_items(s, due_day)]
        own = [f["sha256"] for f in item.files if f["role"] != "scan"]
        (scan,) = [f["sha256"] for f in item.files if f["role"] == "scan"]
    act = destroy_documents(sessions, home, [consent], "director", DIRECTOR_PASSWORD, today=due_day)
    assert act.documents == 1 and act.files_deleted == len(own) == 3
    store = ArchiveStore(home.archive_dir)
    assert not any(store.has(sha) for sha in own)
    assert store.has(scan)  # the same scan bytes belong to documents still kept
    act_docx = tmp_path / "акт.docx"
    act_docx.write_bytes(store.get(act.sha256))
    text = docx_text(act_docx)
    assert f"АКТ №\xa0{act.number}" in text and "Согласие на обработку персональных данных" in text
    assert re.findall(r"№ (?!\|)", text) == []  # left22: «№» kept with its number, «№ п/п» too
    with session_scope(home.database_url) as s:
        kinds = [e.kind for e in s.scalars(select(Event).order_by(Event.id))][-3:]
        assert kinds == ["destruction_act", "document_destroyed", "destroyed_files_removed"]
        assert verify_ledger(s, home.var, FileStore(home.store_dir)).ok
    assert verified(home).ok  # a destroyed document is no longer expected


def test_merkle_levels_give_the_rfc6962_proofs():
    for size in (1, 2, 3, 5, 8, 13, 64, 100):
        entries = [b"entry %d" % i for i in range(size)]
        tree = MerkleLevels(entries)
        assert tree.root == merkle.root(entries)
        for index in range(size):
            assert tree.path(index) == merkle.inclusion_proof(index, entries)


def test_pgm_reader():
    width, height, pixels = _parse_pgm(b"P5\n# comment\n3 2\n255\n" + bytes(range(6)))
    assert (width, height, pixels) == (3, 2, bytes(range(6)))


def test_the_status_of_an_unsigned_set_says_not_signed_once(web_school):
    """`archive status` of a year nobody signed yet read «подписан: не подписан» (play9)."""
    home = web_school.settings.home
    result = CliRunner().invoke(main, ["--home", str(home), "archive", "status"])
    assert result.exit_code == 0, result.output
    assert "   версия 1; —; не подписан; не в архиве\n" in result.output
    assert "подписан: не подписан" not in result.output
