"""A picture in a document is shown on the director's page as «[рисунок]»: the page shows the
document as text, and a picture of a sentence is printed without her having read it."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from docx import Document
from docx.shared import Cm

from service.documents.check import check_template_data
from service.documents.render import render_template_file
from service.documents.sample import sample_context
from service.documents.text import docx_text
from service.web.preview import text_blocks
from tests.test_template_office import TEMPLATES, W, with_paragraph


def png() -> bytes:
    """A red picture of 40 × 20 points, as a school's logo would be."""
    rows = b"".join(b"\x00" + b"\xc8\x1e\x1e" * 40 for _ in range(20))

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + checksum

    header = struct.pack(">IIBBBBB", 40, 20, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def with_pictures() -> bytes:
    """order_pairs.docx with the school's logo in the header and a picture in a last
    paragraph «Схема: [picture] (см. выше).», inserted as Word's «Вставка → Рисунок» writes it
    (python-docx writes the same ``w:drawing``)."""
    document = Document(str(TEMPLATES / "order_pairs.docx"))
    document.sections[0].header.paragraphs[0].add_run().add_picture(io.BytesIO(png()), Cm(2))
    paragraph = document.add_paragraph("Схема: ")
    paragraph.add_run().add_picture(io.BytesIO(png()), Cm(3))
    paragraph.add_run(" (см. выше).")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_picture_is_shown_as_a_mark_and_rendered(tmp_path):
    """template18 (the lead's decision): the director's page showed «Схема:  (см. выше).»,
    nothing of the picture Word prints between."""
    data = with_pictures()
    assert check_template_data(data, "order_pairs") == []
    (tmp_path / "order_pairs.docx").write_bytes(data)
    document = render_template_file(tmp_path / "order_pairs.docx", sample_context("order_pairs"))
    blocks = text_blocks(document)
    assert blocks[-2:] == [
        ("p", "Схема: [рисунок] (см. выше)."),
        ("p", "Верхний колонтитул: [рисунок]"),
    ]
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        # one picture part for both (python-docx keeps one copy of the same picture)
        assert [n for n in archive.namelist() if n.startswith("word/media/")] == [
            "word/media/image1.png"
        ]


def test_a_word_2003_picture_is_shown_as_a_mark():
    """A picture as VML (Word 2003, a document in compatibility mode, an object's preview)."""
    paragraph = (
        f'<w:p xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:r="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships"><w:r><w:t xml:space="preserve">'
        'Печать: </w:t></w:r><w:r><w:pict><v:shape style="width:60pt;height:60pt"><v:imagedata '
        'r:id="rId1" o:title="" xmlns:o="urn:schemas-microsoft-com:office:office"/></v:shape>'
        "</w:pict></w:r></w:p>"
    )
    data = with_paragraph(TEMPLATES / "order_pairs.docx", paragraph)
    assert docx_text(data).splitlines()[-1] == "Печать: [рисунок]"


def test_a_picture_beside_the_orders_heading_or_a_signature_line_hides_nothing_from_the_program():
    """review19: a school's order with its emblem beside «ПРИКАЗ» read «[рисунок]ПРИКАЗ», and
    ``verify`` said of the signed order «регистрационного номера в тексте нет»; a facsimile
    picture after the underscores of the signature cell hid the director's name from the
    archive's signatory check. The marks are for the director's page only."""
    from service.archive.signatories import names_on_signature_lines
    from service.signing.order_number import signed_order_number

    document = Document()
    heading = document.add_paragraph()
    heading.add_run().add_picture(io.BytesIO(png()), Cm(1))
    heading.add_run("ПРИКАЗ")
    requisites = document.add_table(rows=1, cols=2).rows[0].cells
    requisites[0].text, requisites[1].text = "03\u00a0декабря 2026\u00a0г.", "№\u00a03/26"
    signature = document.add_table(rows=1, cols=3).rows[0].cells
    signature[0].text, signature[1].text, signature[2].text = "Директор", "_____________", ""
    signature[1].paragraphs[0].add_run().add_picture(io.BytesIO(png()), Cm(2))
    signature[2].text = "А.П.\u00a0Кравец"
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    assert docx_text(data).splitlines()[0] == "[рисунок]ПРИКАЗ"  # the page shows it

    assert signed_order_number(data) == ("3/26", "03\u00a0декабря 2026\u00a0г.")
    assert names_on_signature_lines(data) == ["А.П. Кравец"]
