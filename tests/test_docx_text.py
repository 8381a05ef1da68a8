"""``docx_text`` on a hand-made body: paragraphs whose text is split over runs, a table with
a table nested in a cell, a formula's and a text box's text, what is not text (field codes,
deleted text), block-level content controls, custom XML and tracked insertions (read: Word
shows them, and the director's page shows this text before signing), and a package whose main
part is not ``word/document.xml`` (read by python-docx)."""

from __future__ import annotations

import io
import zipfile

from docx import Document

from service.documents.text import docx_text
from tests.libreoffice_print import printed_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"

BODY = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:m="{M}" xmlns:wps="{WPS}"><w:body>
<w:p><w:r><w:t>Директор</w:t></w:r><w:r><w:t xml:space="preserve">__</w:t></w:r>
<w:r><w:t>__ / Т.И. Кинякина</w:t></w:r></w:p>
<w:p><w:r><w:instrText>PAGE</w:instrText><w:delText>удалено</w:delText><w:t>Стр.</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Куратор</w:t></w:r></w:p></w:tc>
<w:tc><w:p><w:r><w:t>____</w:t></w:r></w:p></w:tc>
<w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>вложенная</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>О.Н. Бутрина</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><m:oMath><m:r><m:t>x=1</m:t></m:r></m:oMath><w:r><wps:txbx><w:txbxContent><w:p><w:r>
<w:t>в рамке</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:r></w:p>
<w:sdt><w:sdtPr><w:alias w:val="не текст"/></w:sdtPr><w:sdtContent>
<w:p><w:r><w:t>в элементе управления</w:t></w:r></w:p><w:sdt><w:sdtContent>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>в таблице</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:sdtContent></w:sdt></w:sdtContent></w:sdt>
<w:customXml w:element="x"><w:p><w:r><w:t>в customXml</w:t></w:r></w:p></w:customXml>
<w:ins w:id="1" w:author="a"><w:p><w:r><w:t>вставлено</w:t></w:r></w:p></w:ins>
<w:p/>
<w:sectPr/></w:body></w:document>"""

EXPECTED = "\n".join(
    [
        "Директор____ / Т.И. Кинякина",
        "Стр.",
        "Куратор | ____ | вложеннаяО.Н. Бутрина | вложенная",
        "вложенная",
        "x=1в рамке",
        "в элементе управления",
        "в таблице",
        "в customXml",
        "вставлено",
        "",
    ]
)


def _docx(document_xml: str) -> bytes:
    """A python-docx blank document with ``document_xml`` as its body part."""
    blank = io.BytesIO()
    Document().save(blank)
    out = io.BytesIO()
    with zipfile.ZipFile(blank) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = document_xml.encode()
            target.writestr(item, data)
    return out.getvalue()


def test_the_text_of_a_hand_made_body():
    assert docx_text(_docx(BODY)) == EXPECTED


def test_a_main_part_elsewhere_is_read_by_python_docx():
    data = _docx(BODY)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            name = item.filename.replace("word/document.xml", "word/main.xml")
            if item.filename in ("[Content_Types].xml", "_rels/.rels"):
                content = content.replace(b"/word/document.xml", b"/word/main.xml")
                content = content.replace(b"word/document.xml", b"word/main.xml")
            target.writestr(name, content)
    moved = out.getvalue()
    assert "word/document.xml" not in zipfile.ZipFile(io.BytesIO(moved)).namelist()
    assert docx_text(moved) == EXPECTED


def test_a_body_part_without_a_body_has_no_text():
    assert docx_text(_docx(f'<w:document xmlns:w="{W}"/>')) == ""


def test_tabs_line_breaks_and_non_breaking_hyphens_are_read(tmp_path):
    """attack17: «выплатить 5‑10 тыс. руб.» typed with Word's non-breaking hyphen read
    «выплатить 510 тыс. руб.» on the director's page, a tab or a line break between two
    numbers glued them the same; LibreOffice's PDF (and Word) print the hyphen and the gap.
    A page break and the tab stops of a paragraph's properties are no text."""
    body = f"""<w:document xmlns:w="{W}"><w:body>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="576"/></w:tabs></w:pPr><w:r>
<w:t xml:space="preserve">выплатить 5</w:t><w:noBreakHyphen/><w:t>10 тыс. руб.</w:t></w:r></w:p>
<w:p><w:r><w:t>Пункт</w:t><w:tab/><w:t>12</w:t><w:br/><w:t>500</w:t><w:br w:type="page"/>
<w:t>.</w:t></w:r></w:p><w:sectPr/></w:body></w:document>"""
    data = _docx(body)
    assert docx_text(data) == "выплатить 5-10 тыс. руб.\nПункт 12 500."
    printed = printed_text(data, tmp_path)
    assert "выплатить 5-10 тыс. руб." in printed
