"""Documents of «МБОУ «СОШ № 17 им. А. М. Матросова»» (tests/matrosov_school.py) as LibreOffice
lays them out, read by reader17 in their signed PDFs: what belongs together stands on one page.

The final report: the curator's block ended page 3 and the director's stood alone at the top of
page 4 — a page holding nothing but a signature. The target model: «В программе используются
следующие понятия и термины.» ended page 2, its terms began page 3."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from service.archive.rendition import Converter, convert_to_pdfa
from service.config import load_settings
from service.home import initialise_home
from service.pipeline import Outcome, process_workbook
from tests.matrosov_school import write_matrosov_workbook

NBSP = "\u00a0"
KINDS = ("report_final", "target_model")


def pages_of(pdf: bytes, folder: Path) -> list[str]:
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.replace(NBSP, " ").split("\f")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, list[str]]:
    """Kind → the text of each page of its document (the last one empty: after the last «\f»),
    the documents converted by real LibreOffice in one call."""
    folder = tmp_path_factory.mktemp("matrosov-pages")
    settings = load_settings({"home": folder / "home", "database_url": ""})
    initialise_home(settings)
    result = process_workbook(settings, write_matrosov_workbook(folder / "школа.xlsx"))
    assert result.outcome == Outcome.DONE, result.message
    sources = {
        entry.kind: (Path(result.folder) / entry.file).read_bytes()
        for entry in result.entries
        if entry.kind in KINDS
    }
    pdfs = convert_to_pdfa(sources, Converter())
    return {kind: pages_of(pdfs[kind], folder) for kind in KINDS}


def page_with(pages: list[str], text: str) -> int:
    (number,) = [n for n, page in enumerate(pages) if text in page]
    return number


def test_the_curators_and_the_directors_signatures_share_a_page(pages):
    report = pages["report_final"]
    curator, director = page_with(report, "Т.Ф. Ильиных"), page_with(report, "А.П. Кравец")
    assert (curator, director) == (len(report) - 2, len(report) - 2)  # the last page
    last = report[curator]
    assert last.index("Ильиных") < last.index("Директор") < last.index("Кравец")


def test_the_sentence_introducing_the_terms_stands_with_the_first_term(pages):
    model = pages["target_model"]
    assert page_with(model, "В программе используются следующие понятия и термины.") == (
        page_with(model, "Наставничество — универсальная технология передачи опыта")
    )
