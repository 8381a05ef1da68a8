"""A content control bound to custom XML shows in Word and LibreOffice the value of its XML
part, not its own text: in a school's template it is unbound, so every reader sees the text
the director read."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from service.documents.check import check_template_data
from service.documents.render import render_template_file
from service.documents.sample import sample_context
from service.documents.text import docx_text
from tests.libreoffice_print import libreoffice_lines

TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"
STORE = "{11111111-2222-3333-4444-555555555555}"
SHOWN = "Наставником назначить: Петрова Анна Сергеевна"
BOUND = "Наставником назначить: Иванов Иван Иванович"
PARAGRAPH = (
    '<w:p><w:r><w:t xml:space="preserve">Наставником назначить: </w:t></w:r><w:sdt><w:sdtPr>'
    '<w:dataBinding w:prefixMappings="" w:xpath="/nastavnik[1]/mentor[1]" '
    f'w:storeItemID="{STORE}"/>'
    "<w:text/></w:sdtPr><w:sdtContent><w:r><w:t>Петрова Анна Сергеевна</w:t></w:r></w:sdtContent>"
    "</w:sdt></w:p>"
)
PARTS = {
    "customXml/item2.xml": '<?xml version="1.0" encoding="UTF-8"?><nastavnik><mentor>'
    "Иванов Иван Иванович</mentor></nastavnik>",
    "customXml/itemProps2.xml": '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
    f'<ds:datastoreItem ds:itemID="{STORE}" xmlns:ds="http://schemas.openxmlformats.org/'
    'officeDocument/2006/customXml"><ds:schemaRefs/></ds:datastoreItem>',
    "customXml/_rels/item2.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/customXmlProps" Target="itemProps2.xml"/></Relationships>',
}
LINK = (
    b'<Relationship Id="rIdB1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/customXml" Target="../customXml/item2.xml"/>'
)
TYPE = (
    b'<Override PartName="/customXml/itemProps2.xml" ContentType="application/vnd.'
    b'openxmlformats-officedocument.customXmlProperties+xml"/>'
)


def bound_template() -> bytes:
    """The order on pairs with a last paragraph whose name is a content control bound, as
    Word binds one, to a custom XML part holding another name."""
    out = io.BytesIO()
    source = (TEMPLATES / "order_pairs.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                text = data.decode()
                end = text.rindex("<w:sectPr")
                data = (text[:end] + PARAGRAPH + text[end:]).encode()
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", LINK + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", TYPE + b"</Types>")
            dst.writestr(info, data)
        for name, text in PARTS.items():
            dst.writestr(name, text)
    return out.getvalue()


def test_a_bound_content_control_shows_the_text_the_director_read(tmp_path):
    """attack17: the template passed the check; the director's page showed «Петрова Анна
    Сергеевна», LibreOffice's PDF for the archive (and Word) «Иванов Иван Иванович», the
    value of the custom XML part the control was bound to."""
    template = bound_template()
    assert BOUND in libreoffice_lines(template, tmp_path / "template")
    assert check_template_data(template, "order_pairs") == []
    path = tmp_path / "order_pairs.docx"
    path.write_bytes(template)
    made = render_template_file(path, sample_context("order_pairs"))
    assert SHOWN in docx_text(made).splitlines()
    read = libreoffice_lines(made, tmp_path / "made")
    assert (SHOWN in read, BOUND in read) == (True, False)
    with zipfile.ZipFile(io.BytesIO(made)) as archive:
        assert b"dataBinding" not in archive.read("word/document.xml")
