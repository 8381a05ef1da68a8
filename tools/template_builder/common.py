"""Building blocks for the DOCX templates: page setup, paragraphs, requisites, tables.

The templates in ``templates_docx/`` are ordinary Word files with docxtpl (Jinja) tags and the
source of truth: they are shipped as they are and may be edited as files (Word, LibreOffice).
This tool made them and keeps the layout rules (ГОСТ Р 7.0.97: Times New Roman 14, A4, margins
30/10/20/20 mm, page numbers from page 2) in one place for changes across all kinds:
``python -m tools.template_builder templates_docx`` (``make templates``) writes every template
again, over any edit made in Word, so compare the result (``git diff --stat``, the tests) before
committing it. It is not part of the installed service.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from tools.template_builder.text import typography

FONT = "Times New Roman"
BODY_SIZE = 14
TABLE_SIZE = 12

SIGN_ROOM = 26
"""Height (mm) of a signature row a key signs: the electronic signature mark of the PDF copy
(service/archive/mark.py, 22.6 mm) stands there, on the line, where the pen would."""
SIGN_ROOM_PT = 70
"""Space (pt) above the signature line of an «УТВЕРЖДАЮ» stamp, for the same mark."""

LEFT = WD_ALIGN_PARAGRAPH.LEFT
CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

Doc = type(Document())


def new_document() -> Doc:
    """An empty A4 document in the house layout, page numbers centred at the top from page 2."""
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance = section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "ru-RU")
    lang.set(qn("w:eastAsia"), "ru-RU")
    rpr.append(lang)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0

    header_par = section.header.paragraphs[0]
    header_par.alignment = CENTER
    _add_field(header_par, "PAGE")
    return doc


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)


def para(
    doc: Doc,
    text: str = "",
    *,
    align=JUSTIFY,
    bold: bool = False,
    italic: bool = False,
    size: int | None = None,
    indent: bool = True,
    before: int = 0,
    after: int = 0,
    keep_with_next: bool = False,
) -> Paragraph:
    """One paragraph of body text (first-line indent 1.25 cm unless ``indent=False``)."""
    p = doc.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    if indent and align in (JUSTIFY, LEFT):
        fmt.first_line_indent = Mm(12.5)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if keep_with_next:
        fmt.keep_with_next = True
    if text:
        run = p.add_run(typography(text))
        run.bold = bold
        run.italic = italic
        if size:
            run.font.size = Pt(size)
    return p


def tag(doc: Doc, statement: str) -> Paragraph:
    """A paragraph holding only a docxtpl paragraph tag, e.g. ``tag(doc, "for t in tasks")``.

    docxtpl removes the whole paragraph when it renders ``{%p … %}``.
    """
    return para(doc, "{%p " + statement + " %}", indent=False, align=LEFT)


def title(doc: Doc, text: str, *, before: int = 12, after: int = 12, size: int | None = None):
    """A centred bold heading (document kind or section title)."""
    return para(
        doc,
        text,
        align=CENTER,
        bold=True,
        indent=False,
        before=before,
        after=after,
        size=size,
        keep_with_next=True,
    )


def section_heading(doc: Doc, text: str) -> Paragraph:
    """A numbered section heading inside a long document («1. Общие положения»)."""
    return para(
        doc, text, align=CENTER, bold=True, indent=False, before=12, after=6, keep_with_next=True
    )


def org_header(doc: Doc) -> None:
    """Organization name requisite: full name, short name in brackets, centred."""
    para(doc, "{{ org.full_name }}", align=CENTER, indent=False, bold=True)
    para(doc, "({{ org.short_name }})", align=CENTER, indent=False, after=12)


def order_header(doc: Doc, heading: str) -> None:
    """The head of an order as in order 93/24 (seed 001): organization, ПРИКАЗ, date and
    number, place, title «О …»."""
    org_header(doc)
    title(doc, "ПРИКАЗ", before=6, after=12, size=16)
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(85), Mm(85)
    _cell_text(
        left,
        "{% if doc.date %}{{ doc.date | date }}{% else %}«____» ____________ 20___ г.{% endif %}",
        align=LEFT,
        size=BODY_SIZE,
    )
    _cell_text(
        right,
        "№ {% if doc.number %}{{ doc.number }}{% else %}_______{% endif %}",
        align=RIGHT,
        size=BODY_SIZE,
    )
    para(doc, "{{ org.locality }}", align=CENTER, indent=False, before=6, after=12)
    para(doc, heading, align=LEFT, bold=True, indent=False, after=12)


def approval_stamp(doc: Doc, what: str = "") -> None:
    """The «УТВЕРЖДАЮ» stamp at the top right of an approved document (ГОСТ Р 7.0.97, req. 16)."""
    lines = [
        "УТВЕРЖДАЮ",
        "{{ director.position | capfirst }} {{ org.short_name }}",
        "____________ {{ director.name | initials_first }}",
        "{% if doc.date %}{{ doc.date | date('form') }}{% else %}«____» ____________ 20___ г."
        "{% endif %}",
    ]
    if what:
        lines.insert(1, what)
    for i, line in enumerate(lines):
        p = para(doc, line, align=LEFT, indent=False, bold=(i == 0))
        p.paragraph_format.left_indent = text_width(doc) - Mm(90)
        p.paragraph_format.keep_with_next = True
        if line.startswith("____"):
            p.paragraph_format.space_before = Pt(SIGN_ROOM_PT)
    para(doc, "", after=6)


def text_width(doc: Doc) -> int:
    """The width of the text column (EMU): page width less the side margins."""
    section = doc.sections[-1]
    return section.page_width - section.left_margin - section.right_margin


def order_points_intro(doc: Doc) -> None:
    para(doc, "ПРИКАЗЫВАЮ:", align=LEFT, indent=False, bold=True, before=6, after=6)


def signature_block(
    doc: Doc, who: str = "director", *, before: int = 24, keep_with_next: bool = False
) -> None:
    """Position on the left, a line for the signature, «И.О. Фамилия» on the right;
    ``keep_with_next``: on the page of what follows (the next signature block)."""
    table = doc.add_table(rows=1, cols=3)
    _no_borders(table)
    # the signature mark of the PDF copy (70 mm) stands on the middle cell and the blank edges
    # of its neighbours, slid off a long name (service/archive/mark.py); the name cell holds
    # «А.В. Салтыкова-Щедрина», «Ю.А. Голенищева-Кутузова» (up to ~26 characters) on one line;
    # the position cell the last words of a school's name, unbreakable «им. А. М. Матросова»»
    # (46.5 mm: a 50-mm cell put its closing quote alone on the line)
    set_widths(table, (55, 45, 70))
    _cant_split(table.rows[0])
    tall_row(table.rows[0])
    a, b, c = table.rows[0].cells
    _cell_text(
        a, "{{ " + who + ".position | capfirst }} {{ org.short_name }}", align=LEFT, size=BODY_SIZE
    )
    _cell_text(b, "_____________", align=CENTER, size=BODY_SIZE)
    _cell_text(c, "{{ " + who + ".name | initials_first }}", align=RIGHT, size=BODY_SIZE)
    for cell in (a, b, c):
        cell.paragraphs[0].paragraph_format.space_before = Pt(before)
        cell.paragraphs[0].paragraph_format.keep_with_next = keep_with_next or None
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM


def tall_row(row) -> None:
    """Room in a signature row for the mark of an electronic signature (:data:`SIGN_ROOM`)."""
    row.height = Mm(SIGN_ROOM)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def acquaintance_list(doc: Doc) -> None:
    """«С приказом ознакомлены:» with one line per person of ``acquainted`` (the school's
    employees the order names, prepared by :mod:`service.documents.derived`): name, signature,
    date. None when no one is (the director is the curator the order names): the heading and
    an empty table stood under the signature (reader22)."""
    tag(doc, "if acquainted")
    para(
        doc,
        "С приказом ознакомлены:",
        align=LEFT,
        indent=False,
        before=18,
        after=6,
        keep_with_next=True,
    )
    table(
        doc,
        ["ФИО", "Подпись", "Дата"],
        ["{{ person.name | initials }}", "", ""],
        loop="for person in acquainted",
        widths=(80, 45, 45),
        numbered=False,
    )
    # the «endif» before the empty paragraph the table ends with: a document ends with one
    doc.paragraphs[-1]._p.addprevious(tag(doc, "endif")._p)


def table(
    doc: Doc,
    headers: Sequence[str],
    cells: Sequence[str],
    *,
    loop: str | None = None,
    widths: Sequence[int] | None = None,
    numbered: bool = False,
) -> Table:
    """A bordered table, header row repeated on every page, 12 pt.

    ``cells`` are the Jinja texts of one data row; with ``loop`` (e.g. ``"for p in pairs"``)
    the row repeats via docxtpl's ``{%tr %}`` rows. ``numbered`` adds «№ п/п» = ``loop.index``.
    """
    headers = list(headers)
    cells = list(cells)
    if numbered:
        headers.insert(0, "№ п/п")
        cells.insert(0, "{{ loop.index }}")
        if widths:
            widths = [12, *widths]
    rows = 1 + (3 if loop else 1)
    t = doc.add_table(rows=rows, cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _narrow_cell_margins(t)
    header_row = t.rows[0]
    _repeat_header(header_row)
    for row in t.rows:
        _cant_split(row)
    for cell, text in zip(header_row.cells, headers, strict=True):
        _cell_text(cell, text, bold=True, align=CENTER)
    if loop:
        _cell_text(t.rows[1].cells[0], "{%tr " + loop + " %}")
        for cell, text in zip(t.rows[2].cells, cells, strict=True):
            _cell_text(cell, text)
        _cell_text(t.rows[3].cells[0], "{%tr endfor %}")
    else:
        for cell, text in zip(t.rows[1].cells, cells, strict=True):
            _cell_text(cell, text)
    if widths:
        set_widths(t, widths)
    para(doc, "", after=6)
    return t


def set_widths(t: Table, widths: Sequence[int]) -> None:
    """Column widths in mm, fixed layout: both the grid (read by LibreOffice) and the cells
    (read by Word) carry them."""
    t.autofit = False
    for column, width in zip(t.columns, widths, strict=True):
        column.width = Mm(width)
    for row in t.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)


def end_after_table(doc: Doc) -> Doc:
    """The empty paragraph a document ends with after its last table (Word and LibreOffice
    need one) made 1 pt high: at 14 pt with 6 pt after it, it went over when the table ended
    at the foot of a page, and printed a sheet with only its page number (reader22: the order
    on implementation of a school with a long name, «С приказом ознакомлены» its last line)."""
    body = [e for e in doc.element.body if e.tag != qn("w:sectPr")]
    if not body or body[-1].tag != qn("w:p"):
        return doc
    last = doc.paragraphs[-1]
    before = body[-2::-1]  # back from the last paragraph, over docxtpl's tag paragraphs
    while before and before[0].tag == qn("w:p") and _is_tag(Paragraph(before[0], last._parent)):
        before = before[1:]
    if last.text or not before or before[0].tag != qn("w:tbl"):
        return doc
    fmt = last.paragraph_format
    fmt.first_line_indent = None
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    last._p.get_or_add_pPr().append(mark)
    return doc


def _is_tag(paragraph: Paragraph) -> bool:
    """Whether ``paragraph`` holds only a docxtpl paragraph tag (:func:`tag`)."""
    return paragraph.text.startswith("{%p ")


def page_break(doc: Doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _cell_text(cell, text: str, *, bold: bool = False, align=LEFT, size: int = TABLE_SIZE) -> None:
    p = cell.paragraphs[0]
    p.alignment = align
    run = p.add_run(typography(text))
    run.bold = bold
    run.font.size = Pt(size)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _cant_split(row) -> None:
    """A table row is never broken across two pages."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    tr_pr.insert(0, el)


# the elements that follow w:tblBorders and w:tblCellMar in w:tblPr (ECMA-376 order, which
# Word checks)
_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
_AFTER_CELL_MAR = ("w:tblLook", "w:tblCaption", "w:tblDescription")


def _no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.insert_element_before(borders, *_AFTER_BORDERS)


def _narrow_cell_margins(table: Table, mm: float = 1.0) -> None:
    """Left and right cell padding of ``mm`` (Word's default is 1.9 mm): narrow columns keep
    whole words."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(mm * 1440 / 25.4)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.insert_element_before(margins, *_AFTER_CELL_MAR)


def fields_table(
    doc: Doc,
    rows: Sequence[tuple[str, ...]],
    *,
    widths: Sequence[int] = (60, 110),
) -> Table:
    """A bordered «label | value» table, 12 pt, without a header row.

    Each row is ``(label, value)`` or ``(label, value, condition)``: with a Jinja condition the
    row appears only when it holds (docxtpl ``{%tr if … %}`` rows around it).
    """
    count = sum(3 if len(row) > 2 else 1 for row in rows)
    t = doc.add_table(rows=count, cols=2)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _narrow_cell_margins(t)
    for table_row in t.rows:
        _cant_split(table_row)
    i = 0
    for row in rows:
        label, value, *condition = row
        if condition:
            _cell_text(t.rows[i].cells[0], "{%tr if " + condition[0] + " %}")
            i += 1
        _cell_text(t.rows[i].cells[0], label)
        _cell_text(t.rows[i].cells[1], value)
        i += 1
        if condition:
            _cell_text(t.rows[i].cells[0], "{%tr endif %}")
            i += 1
    set_widths(t, widths)
    para(doc, "", after=6)
    return t


def signature_lines(
    doc: Doc,
    rows: Sequence[tuple[str, ...]],
    *,
    before: int = 18,
    widths: Sequence[int] = (70, 37, 63),
    tall: Sequence[int] = (),
) -> Table:
    """Borderless signature lines «who | _____________ | name», body size.

    The first cell holds a blank date ««____» ____________ 20___ г.», the last one a double
    surname («/ Салтыкова-Щедрина А.В.», «Н.А. Римская-Корсакова») on one line.

    Each row is ``(left, right)`` or ``(left, right, loop)``; ``loop`` (e.g. ``"for m in
    pair.mentees"``) repeats the row. ``left`` is a role or a date, ``right`` a Jinja text such
    as ``"{{ mentor.name | initials_first }}"``.
    """
    count = sum(3 if len(row) > 2 else 1 for row in rows)
    t = doc.add_table(rows=count, cols=3)
    _no_borders(t)
    i = 0
    for n, row in enumerate(rows):
        left, right, *loop = row
        if loop:
            _cell_text(t.rows[i].cells[0], "{%tr " + loop[0] + " %}")
            i += 1
        a, b, c = t.rows[i].cells
        if n in tall:
            tall_row(t.rows[i])
        _cell_text(a, left, align=LEFT, size=BODY_SIZE)
        _cell_text(b, "_____________", align=CENTER, size=BODY_SIZE)
        _cell_text(c, right, align=LEFT, size=BODY_SIZE)
        for cell in (a, b, c):
            fmt = cell.paragraphs[0].paragraph_format
            fmt.space_before = Pt(before if n == 0 else 12)
            fmt.keep_with_next = n < len(rows) - 1 or bool(loop)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        i += 1
        if loop:
            _cell_text(t.rows[i].cells[0], "{%tr endfor %}")
            i += 1
    set_widths(t, widths)
    return t
