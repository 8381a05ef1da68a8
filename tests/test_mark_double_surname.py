"""Double surnames in the orders' signature block: «А.В. Салтыкова-Щедрина» (a director seen on a
school's orders) stays on one line beside the «____», and the PDF copy's mark stands on that
line covering no word; a name too long even for the wider cell («А.П. Гольденвейзер-
Ковалевская») wraps at its hyphen, and the mark still finds the signer's line by its tail. The
signature lines of consents and programmes keep such a name on one line too."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from service.archive.mark import _placements, _signature_line, _words
from service.archive.rendition import Converter, convert_to_pdfa
from service.documents.render import render_template_file
from tools.template_builder.common import new_document, para, signature_block, signature_lines
from tools.template_builder.text import DATE_OR_BLANK

ONE_LINE = "Салтыкова-Щедрина Алёна Вячеславовна"
WRAPPED = "Гольденвейзер-Ковалевская Анна Павловна"
HEIGHT = 841.89  # A4 in points; placements are in PDF coordinates (from the bottom)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, bytes]:
    """Two orders' signature blocks and a consent's and programme's signature lines, rendered
    by the templates' own builder and converted by real LibreOffice in one call."""
    tmp = tmp_path_factory.mktemp("double-surname")
    order, lines = tmp / "block.docx", tmp / "lines.docx"
    doc = new_document()
    para(doc, "Контроль за исполнением настоящего приказа возложить на директора школы.")
    signature_block(doc)  # the orders' own block, as the template builder makes it
    doc.save(order)
    doc = new_document()
    rows = [(DATE_OR_BLANK, "/ {{ director.name | initials }}")]
    signature_lines(doc, [*rows, ("Куратор", "{{ director.name | initials_first }}")], tall=(1,))
    doc.save(lines)
    org = {"short_name": "МАОУ «Лицей № 110 им. Л.К. Гришиной»"}
    sources = {
        key: render_template_file(
            template,
            {
                "director": {"position": "директор", "name": owner},
                "org": org,
                "doc": {"date": None},
            },
        )
        for key, template, owner in (
            ("one_line", order, ONE_LINE),
            ("wrapped", order, WRAPPED),
            ("lines", lines, ONE_LINE),
        )
    }
    return convert_to_pdfa(sources, Converter())


def test_a_double_surname_stays_on_one_line_and_the_mark_covers_no_word(pdfs):
    one_line, wrapped = pdfs["one_line"], pdfs["wrapped"]

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


def test_the_signature_lines_keep_a_double_surname_on_one_line(pdfs):
    words, _ = _words(pdfs["lines"])
    lines = {}
    for word in words:
        lines.setdefault(round(word.bottom), []).append(word.text)
    assert list(lines.values()) == [
        [
            "«____»",
            "____________",
            "20___",
            "г.",
            "_____________",
            "/",
            "Салтыкова-Щедрина",
            "А.В.",
        ],
        ["Куратор", "_____________", "А.В.", "Салтыкова-Щедрина"],
    ]
