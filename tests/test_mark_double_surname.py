"""The PDF copy's signature mark finds the signer's line when the name cell wrapped a double
surname at its hyphen («А.В. Салтыкова-» over «Щедрина», seen on the orders of a school whose
director has one): before, the mark found no line and went under the last text instead."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from service.archive.mark import _placements, _signature_line, _words
from service.archive.rendition import Converter, convert_file
from service.documents.render import render_template_file
from tools.template_builder.common import new_document, signature_block

OWNER = "Салтыкова-Щедрина Алёна Вячеславовна"


def test_the_mark_stands_on_the_line_of_a_double_surname_wrapped_at_its_hyphen(tmp_path: Path):
    template = tmp_path / "block.docx"
    doc = new_document()
    signature_block(doc)  # the orders' own block, as the template builder makes it
    doc.save(template)
    context = {
        "director": {"position": "директор", "name": OWNER},
        "org": {"short_name": "МБОУ «СОШ № 12» г. Белгорода"},
    }
    source = tmp_path / "order.docx"
    source.write_bytes(render_template_file(template, context))
    pdf_path = tmp_path / "order.pdf"
    convert_file(source, pdf_path, Converter())  # real LibreOffice
    pdf = pdf_path.read_bytes()
    words, _ = _words(pdf)
    texts = [w.text for w in words]
    # the case itself: LibreOffice wrapped the name at the hyphen
    assert texts[-2:] == ["Салтыкова-", "Щедрина"], texts
    line, name = _signature_line(words, "Салтыкова-Щедрина")
    assert (line.text, name.text) == ("_____________", "Щедрина")
    (placed,), add_page = _placements(pdf, [SimpleNamespace(owner=OWNER)])
    assert add_page is False
    page, box = placed
    assert page == 0  # on the signature line's page, not under the last text
    height = 841.89  # A4 in points; the box is in PDF coordinates (from the bottom)
    line_from_bottom = height - line.bottom
    assert line_from_bottom - 3 <= box[1] <= line_from_bottom + 30, (box, line)
