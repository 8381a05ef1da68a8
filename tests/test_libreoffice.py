"""A generated document opens in a real word processor: LibreOffice converts it to PDF."""

from __future__ import annotations

import subprocess

from service.intake.demo import write_demo_workbook
from service.pipeline import process_workbook


def test_an_order_converts_to_pdf_with_its_text(settings, tmp_path):
    workbook = tmp_path / "школа.xlsx"
    write_demo_workbook(workbook)
    result = process_workbook(settings, workbook)
    order = next(e for e in result.entries if e.kind == "order_pairs")
    out = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(result.folder / order.file),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out / (order.file.removesuffix(".docx") + ".pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "ПРИКАЗ" in text
    assert "ПРИКАЗЫВАЮ" in text
    assert "МБОУ Идринская СОШ" in text
