"""Bullets of the Symbol and Wingdings fonts are shown on the director's page as Word prints
them. template18: a template saved by LibreOffice keeps a Symbol bullet as the text U+F0B7 in a
run of the font «Symbol»; the page showed a box where Word and LibreOffice print «•». Word's own
``w:sym`` bullet was not shown at all."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

from service.documents.check import check_template_data
from service.documents.render import render_template_file
from service.documents.sample import sample_context
from service.documents.symbol_fonts import printed
from service.web.preview import text_blocks
from tests.test_template_office import TEMPLATES, W, with_paragraph

BULLETS = [
    ("Symbol", "F0B7", "ознакомить наставников"),
    ("Wingdings", "F0A7", "провести встречу"),
    ("Wingdings", "F0D8", "подвести итоги"),
    ("Wingdings", "F076", "отчитаться"),
]
SHOWN = [
    ("p", "• ознакомить наставников"),
    ("p", "▪ провести встречу"),
    ("p", "➢ подвести итоги"),
    ("p", "❖ отчитаться"),
]


def with_bullets(folder) -> bytes:
    """order_pairs.docx with four lines, each after a bullet as Word's «Вставка → Символ»
    writes it (``w:sym``)."""
    data = (TEMPLATES / "order_pairs.docx").read_bytes()
    for font, char, text in BULLETS:
        (folder / "step.docx").write_bytes(data)
        paragraph = (
            f'<w:p xmlns:w="{W}"><w:r><w:sym w:font="{font}" w:char="{char}"/></w:r><w:r>'
            f'<w:t xml:space="preserve"> {text}</w:t></w:r></w:p>'
        )
        data = with_paragraph(folder / "step.docx", paragraph)
    return data


def saved_by_libreoffice(data: bytes, folder) -> bytes:
    """``data`` opened and saved again as DOCX by LibreOffice, as a school's secretary would."""
    (folder / "word.docx").write_bytes(data)
    (folder / "lo").mkdir()
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
         "--convert-to", "docx", "--outdir", str(folder / "lo"), str(folder / "word.docx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return (folder / "lo" / "word.docx").read_bytes()


def test_symbol_bullets_of_a_template_saved_by_libreoffice_are_shown(tmp_path):
    data = saved_by_libreoffice(with_bullets(tmp_path), tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "<w:sym" not in xml and 'w:ascii="Symbol" w:hAnsi="Symbol"/></w:rPr><w:t>\uf0b7' in xml
    assert check_template_data(data, "order_pairs") == []
    (tmp_path / "order_pairs.docx").write_bytes(data)
    document = render_template_file(tmp_path / "order_pairs.docx", sample_context("order_pairs"))
    # LibreOffice put the page number in the footer (whichever the template's last page is)
    body = [b for b in text_blocks(document) if not re.search(r"колонтитул: \d+$", str(b[1]))]
    assert body[-4:] == SHOWN


def test_words_own_symbol_bullets_are_shown(tmp_path):
    (tmp_path / "order_pairs.docx").write_bytes(with_bullets(tmp_path))
    document = render_template_file(tmp_path / "order_pairs.docx", sample_context("order_pairs"))
    assert text_blocks(document)[-4:] == SHOWN


def test_a_symbol_fonts_codes_read_as_they_print():
    assert printed("Symbol", "\uf0b7 a\uf061\uf02d\uf0b9") == "• αα−≠"
    assert printed("Wingdings", "\uf0fc\uf0fb") == "✓✗"
    assert printed("Times New Roman", "\uf0b7a") == "\uf0b7a"
    assert printed("Symbol", "Кириллица") == "Кириллица"
