"""Template: Положение о наставничестве (seed 001, sections 1–12), approved by the director.

Also holds :func:`render_text`, the small markup used for the long seed texts of this and the
target-model template (the texts themselves live in the ``*_text.py`` modules beside it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Mm, Pt

from tools.template_builder.common import (
    BODY_SIZE,
    CENTER,
    LEFT,
    SIGN_ROOM_PT,
    TABLE_SIZE,
    Doc,
    _cant_split,
    _narrow_cell_margins,
    _no_borders,
    _repeat_header,
    new_document,
    org_header,
    para,
    section_heading,
    set_widths,
    tag,
    text_width,
    title,
)
from tools.template_builder.regulation_text import REGULATION_TEXT
from tools.template_builder.text import DATE_OR_BLANK, ORDER_REF, appendix_lines, typography

DOC_DATE = DATE_OR_BLANK
DOC_NUMBER = "№\u00a0{% if doc.number %}{{ doc.number }}{% else %}_______{% endif %}"
DASH = "–\u00a0"
IMPLEMENTATION = "О внедрении целевой модели наставничества"
# a row of a static table with less text than this is never broken across pages; a longer one
# (a third of a page and more) may be, rather than leave half a page empty
SHORT_ROW = 600


def render_text(doc: Doc, text: str, inserts: Mapping[str, Callable[[Doc], None]] | None = None):
    """Render a seed text written in a small markup into ``doc``.

    Blocks are separated by blank lines; the lines of a block are joined with spaces. A block
    starting with ``= `` is a section heading, ``== `` a subheading, ``=== `` a table caption,
    ``- `` a dash list item, ``^ `` a paragraph kept on the page of the next one (a sentence
    introducing a list, «… следующие понятия и термины.»), ``%p `` a docxtpl paragraph tag
    (``%p if …``), ``@name`` calls
    ``inserts[name](doc)``. ``@table 50 120`` opens a table (column widths in mm): each following
    block is a row (the first one is the header), cells separated by `` | ``, paragraphs inside a
    cell by `` // ``; ``@end`` closes it. Any other block is a paragraph of body text.
    """
    inserts = inserts or {}
    rows: list[list[list[str]]] | None = None
    widths: list[int] = []
    for block in (" ".join(b.split()) for b in re.split(r"\n\s*\n", text.strip())):
        if rows is not None:
            if block == "@end":
                static_table(doc, rows, widths)
                rows = None
            else:
                rows.append([cell.split(" // ") for cell in block.split(" | ")])
        elif block.startswith("@table"):
            widths = [int(w) for w in block.split()[1:]]
            rows = []
        elif block.startswith("@"):
            inserts[block[1:]](doc)
        elif block.startswith("%p "):
            tag(doc, block[3:])
        elif block.startswith("=== "):
            para(doc, block[4:], align=CENTER, indent=False, before=6, after=6, keep_with_next=True)
        elif block.startswith("== "):
            para(
                doc,
                block[3:],
                bold=True,
                indent=False,
                align=LEFT,
                before=6,
                after=3,
                keep_with_next=True,
            )
        elif block.startswith("= "):
            section_heading(doc, block[2:])
        elif block.startswith("- "):
            para(doc, DASH + block[2:])
        elif block.startswith("^ "):
            para(doc, block[2:], keep_with_next=True)
        else:
            para(doc, block, keep_with_next=block.endswith(":"))
    if rows is not None:
        raise ValueError("@table without @end")


def static_table(doc: Doc, rows: Sequence[Sequence[Sequence[str]]], widths: Sequence[int]):
    """A bordered table with fixed content: ``rows[0]`` is the header (repeated on each page);
    every cell is a list of paragraphs, a paragraph starting with ``- `` is a dash item."""
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _narrow_cell_margins(t)
    _repeat_header(t.rows[0])
    for r, (row, cells) in enumerate(zip(t.rows, rows, strict=True)):
        if sum(len(text) for texts in cells for text in texts) < SHORT_ROW:
            _cant_split(row)
        for cell, texts in zip(row.cells, cells, strict=True):
            for i, text in enumerate(texts):
                p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                p.alignment = CENTER if r == 0 else LEFT
                if text.startswith("- "):
                    text = DASH + text[2:]
                run = p.add_run(typography(text))
                run.bold = r == 0
                run.font.size = Pt(TABLE_SIZE)
    set_widths(t, widths)
    para(doc, "", after=6)
    return t


def right_block(doc: Doc, lines: Sequence[str], *, size: int = TABLE_SIZE) -> None:
    """Lines aligned with the approval stamp at the right (e.g. «Приложение 1 к приказу …»)."""
    for i, line in enumerate(lines):
        p = para(
            doc, line, align=LEFT, indent=False, size=size, after=6 if i == len(lines) - 1 else 0
        )
        p.paragraph_format.left_indent = text_width(doc) - Mm(90)  # aligned with «УТВЕРЖДАЮ»


ADOPTED_IF = "{% if org.regulation_adopted_on or org.regulation_protocol %}"
ADOPTED = (
    ADOPTED_IF + "ПРИНЯТО{% endif %}",
    ADOPTED_IF + "на заседании педагогического совета {{ org.short_name }}{% endif %}",
    ADOPTED_IF + "протокол{% if org.regulation_adopted_on %} от "
    "{{ org.regulation_adopted_on | date('numeric') }}{% endif %}"
    "{% if org.regulation_protocol %} № {{ org.regulation_protocol }}{% endif %}{% endif %}",
)
"""«ПРИНЯТО» on the left when the workbook names the council's date or protocol; left out
otherwise (a blank here would stay blank in the signed version)."""
APPROVED = (
    "УТВЕРЖДАЮ",
    "{{ director.position | capfirst }} {{ org.short_name }}",
    "____________ {{ director.name | initials_first }}",
    "{% if doc.date %}{{ doc.date | date('form') }}{% else %}«____» ____________ 20___ г."
    "{% endif %}",
)


def adoption_and_approval(doc: Doc) -> None:
    """«ПРИНЯТО на заседании педагогического совета» on the left (as in seed 000), when the
    workbook gives it, and the director's «УТВЕРЖДАЮ» on the right, side by side in a
    borderless table."""
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    set_widths(t, (80, 90))
    _cant_split(t.rows[0])
    for cell, lines in zip(t.rows[0].cells, (ADOPTED, APPROVED), strict=True):
        for i, line in enumerate(lines):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            if line.startswith("____"):
                p.paragraph_format.space_before = Pt(SIGN_ROOM_PT)
            run = p.add_run(typography(line))
            run.bold = i == 0
            run.font.size = Pt(BODY_SIZE)
    para(doc, "", after=6)


def build_regulation() -> Doc:
    doc = new_document()
    org_header(doc)
    right_block(doc, appendix_lines(2, IMPLEMENTATION))
    adoption_and_approval(doc)
    para(
        doc,
        f"Введено в действие приказом {{{{ org.short_name }}}} {ORDER_REF}",
        align=LEFT,
        indent=False,
        after=6,
    )
    title(doc, "ПОЛОЖЕНИЕ О НАСТАВНИЧЕСТВЕ", before=12, after=0)
    title(doc, "в {{ org.short_name }} на {{ org.school_year }} учебный год", before=0, after=12)
    render_text(doc, REGULATION_TEXT)
    return doc


BUILDERS = {"regulation": build_regulation}
