"""Double surnames in the orders' signature block: «А.В. Салтыкова-Щедрина» (a director seen on a
school's orders) stays on one line beside the «____», and the PDF copy's mark stands on that
line covering no word; a name too long even for the wider cell («А.П. Гольденвейзер-
Ковалевская») wraps at its hyphen, and the mark still finds the signer's line by its tail. The
signature lines of consents and programmes keep such a name on one line too. A name over ~55 mm
(«Ю.А. Голенищева-Кутузова») beside a position of two lines leaves the mark no room on the
line: it is drawn narrower there; wrapped at its hyphen in the «УТВЕРЖДАЮ» stamp, the line is
found by its head («____________ Ю.А. Голенищева-» over «Кутузова»). The contract's framed
«Организация» cell keeps the director's mark inside its borders."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from service.archive.mark import MARK_WIDTH, MM, _placements, _spot_on_line
from service.archive.rendition import Converter, convert_to_pdfa
from service.archive.signature_line import cell_of, signature_line, vertical_rules, words_of
from service.documents.context import glued_initials
from service.documents.render import render_template_file
from tools.template_builder.common import (
    acquaintance_list,
    new_document,
    para,
    signature_block,
    signature_lines,
)
from tools.template_builder.contract import requisites
from tools.template_builder.regulation import adoption_and_approval
from tools.template_builder.text import DATE_OR_BLANK

ONE_LINE = "Салтыкова-Щедрина Алёна Вячеславовна"
WRAPPED = "Гольденвейзер-Ковалевская Анна Павловна"
LONG = "Голенищева-Кутузова Юлия Александровна"
FULL = {
    "full_name": "Муниципальное бюджетное общеобразовательное учреждение Идринская средняя "
    "общеобразовательная школа",
    "address": "с. Идринское, ул. Советская, 1",
    "inn": "2414001234",
    "ogrn": "",
    "website": "",
}
MENTOR = dict.fromkeys(("identity_document", "address", "phone", "email", "workplace"), "")
HEIGHT = 841.89  # A4 in points; placements are in PDF coordinates (from the bottom)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, bytes]:
    """Two orders' signature blocks and a consent's and programme's signature lines, rendered
    by the templates' own builder and converted by real LibreOffice in one call."""
    tmp = tmp_path_factory.mktemp("double-surname")
    order, lines, stamp = tmp / "block.docx", tmp / "lines.docx", tmp / "stamp.docx"
    full = tmp / "order.docx"
    doc = new_document()
    para(doc, "Контроль за исполнением настоящего приказа возложить на директора школы.")
    signature_block(doc)  # the orders' own block, as the template builder makes it
    doc.save(order)
    doc = new_document()
    rows = [(DATE_OR_BLANK, "/ {{ director.name | initials }}")]
    signature_lines(doc, [*rows, ("Куратор", "{{ director.name | initials_first }}")], tall=(1,))
    doc.save(lines)
    doc = new_document()  # an order's end: its last point, the block, the acquaintance list
    para(doc, "5. Контроль за исполнением настоящего приказа оставляю за собой.")
    signature_block(doc)
    acquaintance_list(doc)
    doc.save(full)
    doc = new_document()
    adoption_and_approval(doc)  # the regulation's «ПРИНЯТО» and «УТВЕРЖДАЮ» side by side
    doc.save(stamp)
    contract = tmp / "contract.docx"
    doc = new_document()  # the contract's «5. Реквизиты и подписи сторон»
    para(doc, "4.4. Договор составлен в двух экземплярах, по одному для каждой из Сторон.")
    requisites(doc)
    doc.save(contract)
    lyceum = {"short_name": "МАОУ «Лицей № 110 им. Л.К. Гришиной»"}
    named = {"short_name": glued_initials("МБОУ «СОШ № 17 им. А. М. Матросова»")}
    school = {"short_name": "МБОУ Идринская СОШ", "regulation_protocol": "1"}
    school["regulation_adopted_on"] = ""
    sources = {
        key: render_template_file(
            template,
            {
                "director": {"position": "директор", "name": owner},
                "org": org,
                "doc": {"date": None},
                "acquainted": [],
                "mentor": {**MENTOR, "name": "Петров Пётр Петрович", "birth_date": None},
            },
        )
        for key, template, owner, org in (
            ("one_line", order, ONE_LINE, lyceum),
            ("wrapped", order, WRAPPED, lyceum),
            ("named", order, "Кравец Алёна Петровна", named),
            ("lines", lines, ONE_LINE, lyceum),
            ("long", full, LONG, school),
            ("stamp", stamp, LONG, school),
            ("contract", contract, "Кинякина Татьяна Ивановна", {**school, **FULL}),
        )
    }
    return convert_to_pdfa(sources, Converter())


def test_a_double_surname_stays_on_one_line_and_the_mark_covers_no_word(pdfs):
    one_line, wrapped = pdfs["one_line"], pdfs["wrapped"]

    words, _ = words_of(one_line)
    texts = [w.text for w in words]
    assert texts[-3:] == ["_____________", "А.В.", "Салтыкова-Щедрина"], texts
    line, name = signature_line(words, "Салтыкова-Щедрина")
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

    words, _ = words_of(wrapped)
    texts = [w.text for w in words]
    assert texts[-2:] == ["Гольденвейзер-", "Ковалевская"], texts
    line, name = signature_line(words, "Гольденвейзер-Ковалевская")
    assert (line.text, name.text) == ("_____________", "Ковалевская")
    (placed,), add_page = _placements(wrapped, [SimpleNamespace(owner=WRAPPED)])
    assert add_page is False
    page, box = placed
    assert page == 0  # on the signature line's page, not under the last text
    line_from_bottom = HEIGHT - line.bottom
    assert line_from_bottom - 3 <= box[1] <= line_from_bottom + 30, (box, line)


def test_a_school_named_after_a_person_keeps_its_closing_quote_in_the_signature_cell(pdfs):
    """«Директор МБОУ «СОШ № 17 им. А. М. Матросова»»: the no-break spaces after «им.» and the
    initials make «им. А. М. Матросова»» one unbreakable word of 46.5 mm, wider than the 50-mm
    position cell less its margins; LibreOffice put its closing quote alone on the signature
    line, «»   _____________   А.П. Кравец» (reader17, every order and the final report). The
    cell is 55 mm: the name ends on the line, and the mark covers no word."""
    pdf = pdfs["named"]
    words, _ = words_of(pdf)
    line, name = signature_line(words, "Кравец")
    beside = [w.text for w in words if abs(w.bottom - line.bottom) < 1]
    assert " ".join(beside).replace("\u00a0", " ") == (
        "им. А. М. Матросова» _____________ А.П. Кравец"
    )
    (placed,), add_page = _placements(pdf, [SimpleNamespace(owner="Кравец Алёна Петровна")])
    assert add_page is False
    page, (x0, y0, x1, y1) = placed
    box = (x0, HEIGHT - y1, x1, HEIGHT - y0)
    assert (page, covered_by(box, words, line)) == (0, [])


def test_the_signature_lines_keep_a_double_surname_on_one_line(pdfs):
    words, _ = words_of(pdfs["lines"])
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


def covered_by(box, words, line) -> list[str]:
    """The words a mark's box (top-left coordinates) covers, the signature line aside."""
    return [
        w.text
        for w in words
        if w is not line
        and w.x0 < box[2]
        and box[0] < w.x1
        and w.top < box[3]
        and box[1] < w.bottom
    ]


def test_a_long_name_beside_a_position_of_two_lines_gets_a_narrower_mark_on_the_line(pdfs):
    """«Директор МБОУ / Идринская СОШ» and «Ю.А. Голенищева-Кутузова» leave 71 mm between
    them: the 70-mm mark with its gaps did not fit there, nor above the line (the order's last
    point) nor below it (the acquaintance list), and went to the foot of the last page. A
    narrower mark rests on the line; the block's row is as tall as before."""
    words, sizes = words_of(pdfs["long"])
    line, name = signature_line(words, "Голенищева-Кутузова")
    assert [w.text for w in words if abs(w.bottom - line.bottom) < 1] == [
        "Идринская",
        "СОШ",
        "_____________",
        "Ю.А.",
        "Голенищева-Кутузова",
    ]
    assert _spot_on_line(line, words, [], sizes[0]) is None  # no room for 70 mm
    (placed,), add_page = _placements(pdfs["long"], [SimpleNamespace(owner=LONG)])
    assert add_page is False
    page, (x0, y0, x1, y1) = placed
    assert page == 0
    box = (x0, HEIGHT - y1, x1, HEIGHT - y0)
    assert box[0] <= line.x0 and line.x1 <= box[2]  # over the whole «____»
    assert line.top - 3 <= box[3] <= line.bottom  # resting on it
    assert 60 * MM <= box[2] - box[0] < MARK_WIDTH
    assert covered_by(box, words, line) == []


def test_a_name_wrapped_after_its_head_in_the_approval_stamp_keeps_its_line(pdfs):
    """«____________ Ю.А. Голенищева-» over «Кутузова» (the regulation's «УТВЕРЖДАЮ» beside
    «ПРИНЯТО», and the contract's requisites): the surname's head is beside the line, its tail
    below. The line was not found and the mark went to the foot of the last page."""
    words, _ = words_of(pdfs["stamp"])
    line, name = signature_line(words, "Голенищева-Кутузова")
    assert (line.text, name.text) == ("____________", "Голенищева-")
    (tail,) = [w for w in words if w.text == "Кутузова"]
    assert tail.top > name.top
    (placed,), add_page = _placements(pdfs["stamp"], [SimpleNamespace(owner=LONG)])
    assert add_page is False
    page, (x0, y0, x1, y1) = placed
    assert page == 0
    box = (x0, HEIGHT - y1, x1, HEIGHT - y0)
    assert box[0] <= line.x0 and line.x1 <= box[2]
    assert line.top - 3 <= box[3] <= line.bottom
    assert covered_by(box, words, line) == []


def test_the_directors_mark_stays_inside_the_contracts_organisation_cell(pdfs):
    """The contract's requisites: two framed cells of 85 mm, the director's «____» at the left
    of the «Организация» one. The 70-mm mark centred on that line was pushed to 5 mm into the
    page's left margin, past the cell's left border (page 4 of an archived contract). The
    cell is wide enough: the mark stands inside its borders, covering no word."""
    pdf = pdfs["contract"]
    words, sizes = words_of(pdf)
    line, name = signature_line(words, "Кинякина")
    assert (line.text, name.text) == ("________________", "Кинякина")
    left, right = cell_of(line, vertical_rules(pdf, sizes))
    assert (round(left / MM), round(right / MM)) == (30, 115)  # the cell's drawn borders
    (placed,), add_page = _placements(pdf, [SimpleNamespace(owner="Кинякина Татьяна Ивановна")])
    assert add_page is False
    page, (x0, y0, x1, y1) = placed
    assert page == 0
    box = (x0, HEIGHT - y1, x1, HEIGHT - y0)
    assert left < box[0] and box[2] < right
    assert box[2] - box[0] == pytest.approx(MARK_WIDTH, abs=0.01)
    assert line.top - 3 <= box[3] <= line.bottom  # resting on the line
    assert box[0] <= line.x0
    assert covered_by(box, words, line) == []
