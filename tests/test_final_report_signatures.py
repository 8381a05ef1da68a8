"""The final report of «МБОУ «СОШ № 17 им. А. М. Матросова»» (tests/matrosov_school.py) as
LibreOffice lays it out: the curator's and the director's signatures stand on one page. The
curator's block ended page 3 and the director's stood alone at the top of page 4 (reader17, read
in the signed PDF): a page holding nothing but a signature."""

from __future__ import annotations

import subprocess
from pathlib import Path

from service.archive.rendition import Converter, convert_to_pdfa
from service.config import load_settings
from service.home import initialise_home
from service.pipeline import Outcome, process_workbook
from tests.matrosov_school import write_matrosov_workbook

NBSP = "\u00a0"


def pages_of(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.replace(NBSP, " ").split("\f")


def test_the_curators_and_the_directors_signatures_share_a_page(tmp_path):
    settings = load_settings({"home": tmp_path / "home", "database_url": ""})
    initialise_home(settings)
    result = process_workbook(settings, write_matrosov_workbook(tmp_path / "школа.xlsx"))
    assert result.outcome == Outcome.DONE, result.message
    (report,) = [e for e in result.entries if e.kind == "report_final"]
    data = (Path(result.folder) / report.file).read_bytes()
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(convert_to_pdfa({"report": data}, Converter())["report"])
    pages = pages_of(pdf)
    (curator,) = [n for n, page in enumerate(pages) if "Т.Ф. Ильиных" in page]
    (director,) = [n for n, page in enumerate(pages) if "А.П. Кравец" in page]
    assert (curator, director) == (len(pages) - 2, len(pages) - 2)  # the last page, its «\f»
    last = pages[curator]
    assert last.index("Ильиных") < last.index("Директор") < last.index("Кравец")
