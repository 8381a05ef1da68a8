"""The pages of a school's documents as LibreOffice prints them (the archive's PDF copy is made
so), read page by page (tests/griboedov_school.py: a long full name, names hard to decline).
Each test was a page printed wrong before its fix (reader22)."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from service.config import load_settings
from service.documents.canonical import loads
from service.documents.catalogue import BY_ID
from service.documents.render import render_document
from service.documents.values import PersonName
from service.home import initialise_home
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Document
from tests.griboedov_school import (
    write_griboedov_results,
    write_griboedov_without_coordinator,
    write_griboedov_workbook,
)
from tests.libreoffice_print import _converted

SCHOOL = "МБОУ «СОШ № 7»"


def _pages(data: bytes, folder: Path) -> list[str]:
    """The text of each page of the PDF LibreOffice makes of the DOCX ``data``, its lines
    stripped, empty lines and the page's number left out."""
    pdf = _converted(data, folder, "pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    return [
        "\n".join(
            " ".join(line.split()) for line in page.splitlines() if line.strip() not in ("", str(n))
        )
        for n, page in enumerate(pages, start=1)
    ]


def _made(home: Path, *writers) -> dict[tuple[str, str], bytes]:
    """(kind, subject) → the DOCX of every document the workbooks ``writers`` write make in a
    new home ``home``, the latest of each."""
    settings = load_settings({"home": home, "database_url": ""})
    initialise_home(settings)
    made = {}
    for n, write in enumerate(writers):
        result = process_workbook(settings, write(home / f"книга-{n}.xlsx"))
        assert result.outcome == Outcome.DONE, result.message
        made |= {(e.kind, e.subject): (result.folder / e.file).read_bytes() for e in result.entries}
    return made


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[tuple[str, str], bytes]:
    """(kind, subject) → the DOCX of every document the school's workbooks made."""
    home = tmp_path_factory.mktemp("griboedov")
    return _made(home, write_griboedov_workbook, write_griboedov_results)


def test_an_adults_consent_keeps_its_signature_on_the_page_of_its_last_words(documents, tmp_path):
    """Every adult's consent of this school printed its date and signature line alone on a
    second page: «2 / «____» ____________ 20___ г. _____________ / Гёте В.И.», the text signed
    on another sheet."""
    pages = _pages(documents["consent_adult", "Гёте Вольфганг Иоганнович"], tmp_path)
    assert pages[-1].splitlines()[-1] == "«____» ____________ 20___ г. _____________ / Гёте В.И."
    assert "мне разъяснены." in pages[-1]


def test_an_order_ending_at_the_foot_of_a_page_prints_no_empty_page(documents, tmp_path):
    """The order on implementation filled its first page to the last line of «С приказом
    ознакомлены»; the empty paragraph a document must end with after a table went over: a
    second sheet with only its number «2» (and «листов: 2» in the inventory)."""
    pages = _pages(documents["order_implementation", SCHOOL], tmp_path)
    assert [page.splitlines()[-1:] for page in pages] == [["Петрова-Водкина А.К."]]


def test_an_orders_signature_stays_with_its_last_point(documents, tmp_path):
    """The order approving the pairs ended its second page with «4. Контроль за исполнением
    настоящего приказа оставляю за собой.»; the third began with «Директор МБОУ «СОШ № 7»
    _____________ Г.В. Кузнец»: a signature on a page with none of the order's text."""
    pages = _pages(documents["order_pairs", SCHOOL], tmp_path)
    (signed,) = [page for page in pages if "Г.В. Кузнец" in page]
    assert "4. Контроль за исполнением настоящего приказа оставляю за собой." in signed


def test_the_final_reports_table_of_pairs_keeps_a_name_and_a_form_whole(documents, tmp_path):
    """The final report's table «Реализация персонализированных программ» broke «Бондаренко
    О.Т.» as «Бондаренко О.Т» / «.» and «Руководитель – педагог» as ««Руководитель» / «– педагог»»:
    its columns of 32 mm held neither (30.1 and 30.2 mm in 12 pt Times, 30 mm inside)."""
    pairs = "\n".join(_pages(documents["report_final", SCHOOL], tmp_path))
    assert "П-03, Бондаренко О.Т. Горький М.А., Завершена" in pairs
    assert "П-09, Кузнец Г.В. Гёте В.И. Завершена" in pairs
    assert "«Руководитель –" in pairs


def test_the_final_reports_signatures_stay_with_its_last_words(tmp_path):
    """The final report of the school without a coordinator ended page 3 with its conclusions
    and printed page 4 with only ««____» ____________ 20___ г.» and the curator's and the
    director's signatures."""
    made = _made(tmp_path / "школа", write_griboedov_without_coordinator)
    pages = _pages(made["report_final", SCHOOL], tmp_path / "pdf")
    assert pages[-1].splitlines()[-1] == "«СОШ № 7» _____________ О.П. Шевченко"
    assert "официальном сайте МБОУ «СОШ" in pages[-1]


def test_a_consent_to_dissemination_stretches_no_line_before_its_blank(documents, tmp_path):
    """Point 4 of every consent to dissemination (the same words in every school) was
    justified: its line before the blank «______ (не устанавливаю / устанавливаю — указать
    какие)» printed «передачи      полученных      персональных      данных:», four words
    spread over the width. It is set flush left, as the consents' opening paragraphs with
    their blanks are."""
    pdf = _converted(documents["consent_dissemination", "Маленко Дарья"], tmp_path, "pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    (line,) = [line.strip() for line in text.splitlines() if "передачи" in line]
    assert "   " not in line, line


def test_a_name_wider_than_its_column_breaks_before_its_initials(documents, tmp_path):
    """left22b: «Пономаренко У.Р.» (33.1 mm in 12 pt Times) in the final report's column of
    mentors (33 mm inside) printed «Пономаренко У.Р» / «.»: the no-break space held the name
    whole and LibreOffice broke it where the column ended. Such a name now breaks between
    the surname and the initials; one that fits keeps its no-break space (and its report
    prints as before, so it is not made again: service/retemplated.py)."""
    report = documents["report_final", SCHOOL]
    with zipfile.ZipFile(io.BytesIO(report)) as docx:
        xml = docx.read("word/document.xml").decode()
    # a name that fits, and one breaking after its hyphen, print as before (the same bytes)
    assert "Бондаренко\u00a0О.Т." in xml and "Соколова-Микитова\u00a0В.П." in xml
    settings = load_settings({"home": tmp_path / "школа", "database_url": ""})
    _made(settings.home, write_griboedov_workbook, write_griboedov_results)
    with session_scope(settings.database_url) as s:
        (latest,) = s.scalars(select(Document).where(Document.kind == "report_final")).all()
        context = loads(latest.context)
    context["pairs"][0]["mentor"]["name"] = PersonName("Пономаренко Ульяна Романовна")
    context["pairs"][0]["mentees"][0]["name"] = PersonName("Мельниченко Щука Шалвовна")
    data = render_document(settings, BY_ID["report_final"], context)
    pairs = "\n".join(_pages(data, tmp_path / "pdf"))
    assert "П-01, Пономаренко Мельниченко Срок истёк" in pairs, pairs
    assert "«Учитель – У.Р. Щ.Ш. (итоги не" in pairs
