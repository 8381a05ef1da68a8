"""Signatories whose surname has particles: a director «фон Визин Денис Иванович» and a curator
«фон Мекк Анна Карловна». The archive's PDF copy looked for each signer's line by the first word
of his ФИО, «фон» for both: the pair's programme, which both sign, got the curator's mark on the
curator's line and the director's on a page added at the end, his «УТВЕРЖДАЮ» line left bare.
A key asked for «Д.И. фон Визин», as the documents print him, was refused as another person's
(the name was read surname «Д.»). Real workbook, real SQLite, real LibreOffice, real CA."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import select

from service.archive.mark import _placements
from service.archive.rendition import Converter, convert_to_pdfa
from service.archive.signature_line import Word, signature_line, words_of
from service.config import Settings, load_settings
from service.home import initialise_home
from service.intake.demo import ORGANIZATION, write_filled_workbook
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Document
from service.signing.authority import ensure_ca
from service.signing.signers import add_signer
from service.store import FileStore
from tests.names_school import mentee_row, mentor_row, pair_row
from tests.test_signing_workflow import CA_PASSWORD

DIRECTOR = "фон Визин Денис Иванович"
CURATOR = "фон Мекк Анна Карловна"
MENTOR, MENTEE = "Петров Пётр Петрович", "Лев Михаил Аркадьевич"
HEIGHT = 841.89  # A4 in points; placements are in PDF coordinates (from the bottom)


def _school(tmp_path: Path) -> Settings:
    settings = load_settings({"home": tmp_path / "home", "database_url": ""})
    initialise_home(settings)
    write_filled_workbook(
        tmp_path / "a.xlsx",
        organization={**ORGANIZATION, "Руководитель (ФИО)": DIRECTOR, "Куратор (ФИО)": CURATOR},
        mentors=[mentor_row("Н-01", MENTOR, date(1976, 6, 30), "педагог", "учитель физики")],
        mentees=[mentee_row("У-01", MENTEE, date(2001, 3, 3), "педагог", "учитель")],
        pairs=[pair_row("П-01", MENTOR, MENTEE, "Учитель – учитель")],
    )
    result = process_workbook(settings, tmp_path / "a.xlsx")
    assert result.outcome == Outcome.DONE, result.message
    return settings


def test_the_director_and_the_curator_of_one_particle_get_their_marks_on_their_lines(tmp_path):
    settings = _school(tmp_path)
    with session_scope(settings.database_url) as s:
        sha = s.scalars(select(Document.sha256).where(Document.kind == "program")).one()
    docx = FileStore(settings.store_dir).path_for(sha).read_bytes()
    pdf = convert_to_pdfa({"program": docx}, Converter())["program"]
    words, _ = words_of(pdf)

    director = signature_line(words, "фон Визин")
    curator = signature_line(words, "фон Мекк")
    assert director is not None and curator is not None
    on_line = [
        [w.text for w in words if w.page == line.page and abs(w.bottom - line.bottom) < 4]
        for line, _ in (director, curator)
    ]
    assert on_line == [
        ["____________", "Д.И.", "фон", "Визин"],  # «УТВЕРЖДАЮ», the first page
        ["Куратор", "_____________", "А.К.", "фон", "Мекк"],  # the last page
    ]
    assert (director[0].page, curator[0].page) == (0, 1)

    placed, add_page = _placements(
        pdf, [SimpleNamespace(owner=CURATOR), SimpleNamespace(owner=DIRECTOR)]
    )
    assert add_page is False  # no page added for a mark that found no line
    for (page, (x0, y0, x1, _top)), (line, _) in zip(placed, (curator, director), strict=True):
        assert page == line.page
        assert x0 <= line.x0 and line.x1 <= x1  # over the whole «____»
        assert line.top - 3 <= HEIGHT - y0 <= line.bottom  # resting on it


def test_a_surname_wrapped_after_its_particle_is_found_by_the_particle():
    """«Д.И. фон» at the end of a narrow cell's line, «Визин» below: the line is beside «фон»;
    «А.К. фон Мекк» on a later line is not «фон Визин»."""

    def word(text: str, x0: float, top: float) -> Word:
        return Word(0, text, x0, top, x0 + 10 * len(text), top + 12)

    line = word("_" * 12, 100, 100)
    words = [line, word("Д.И.", 230, 100), word("фон", 270, 100), word("Визин", 230, 114)]
    other = word("_" * 12, 100, 200)
    words += [other, word("А.К.", 230, 200), word("фон", 270, 200), word("Мекк", 310, 200)]
    assert signature_line(words, "фон Визин") == (line, words[2])
    assert signature_line(words, "фон Мекк") == (other, words[6])
    assert signature_line(words, "фон Ляйен") is None


def test_a_key_asked_for_the_name_as_the_documents_print_it_gets_the_full_name(tmp_path):
    settings = _school(tmp_path)
    ensure_ca(settings.var, ORGANIZATION["Полное наименование"], CA_PASSWORD)
    with session_scope(settings.database_url) as s:
        made = add_signer(
            s,
            settings.var,
            login="director",
            full_name="Д.И. фон Визин",
            position=None,
            role="director",
            org_name="Школа",
            password="выдал-админ-0",
            ca_password=CA_PASSWORD,
        )
        assert (made.full_name, made.position) == (DIRECTOR, "Директор")
