"""Double surnames in the orders' signature block: «А.В. Салтыкова-Щедрина» (a director seen on a
school's orders) stays on one line beside the «____», and the PDF copy's mark stands on that
line covering no word; a name too long even for the wider cell («А.П. Гольденвейзер-
Ковалевская») wraps at its hyphen, and the mark still finds the signer's line by its tail."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from service.archive.mark import _placements, _signature_line, _words
from service.archive.rendition import Converter, convert_to_pdfa
from service.documents.render import render_template_file
from tools.template_builder.common import new_document, para, signature_block

ONE_LINE = "Салтыкова-Щедрина Алёна Вячеславовна"
WRAPPED = "Гольденвейзер-Ковалевская Анна Павловна"
HEIGHT = 841.89  # A4 in points; placements are in PDF coordinates (from the bottom)


def _orders_of(tmp_path: Path, *owners: str) -> list[bytes]:
    template = tmp_path / "block.docx"
    doc = new_document()
    para(doc, "Контроль за исполнением настоящего приказа возложить на директора школы.")
    signature_block(doc)  # the orders' own block, as the template builder makes it
    doc.save(template)
    sources = {
        f"o{i}": render_template_file(
            template,
            {
                "director": {"position": "директор", "name": owner},
                "org": {"short_name": "МАОУ «Лицей № 110 им. Л.К. Гришиной»"},
            },
        )
        for i, owner in enumerate(owners)
    }
    pdfs = convert_to_pdfa(sources, Converter())  # real LibreOffice, both in one call
    return [pdfs[f"o{i}"] for i in range(len(owners))]


def test_a_double_surname_stays_on_one_line_and_the_mark_covers_no_word(tmp_path: Path):
    one_line, wrapped = _orders_of(tmp_path, ONE_LINE, WRAPPED)

    words, _ = _words(one_line)
    texts = [w.text for w in words]
    assert texts[-3:] == ["_____________", "А.В.", "Салтыкова-Щедрина"], texts
    line, name = _signature_line(words, "Салтыкова-Щедрина")
    assert name.text == "Салтыкова-Щедрина" and abs(name.bottom - line.bottom) < 1
    (placed,), add_page = _placements(one_line, [SimpleNamespace(owner=ONE_LINE)])
    assert add_page is False
    page, (x0, y0, x1, y1) = placed
    assert page == 0
    box = (x0, HEIGHT - y1, x1, HEIGHT - y0)  # top-left coordinates, as the words'
    assert box[0] <= line.x0 and line.x1 <= box[2]  # over the whole «____»
    assert line.top - 3 <= box[3] <= line.bottom  # resting on it
    covered = [
        w.text
        for w in words
        if w is not line
        and w.x0 < box[2]
        and box[0] < w.x1
        and w.top < box[3]
        and box[1] < w.bottom
    ]
    assert covered == []

    words, _ = _words(wrapped)
    texts = [w.text for w in words]
    assert texts[-2:] == ["Гольденвейзер-", "Ковалевская"], texts
    line, name = _signature_line(words, "Гольденвейзер-Ковалевская")
    assert (line.text, name.text) == ("_____________", "Ковалевская")
    (placed,), add_page = _placements(wrapped, [SimpleNamespace(owner=WRAPPED)])
    assert add_page is False
    page, box = placed
    assert page == 0  # on the signature line's page, not under the last text
    line_from_bottom = HEIGHT - line.bottom
    assert line_from_bottom - 3 <= box[1] <= line_from_bottom + 30, (box, line)
