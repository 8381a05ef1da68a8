"""docxtpl's own text steps, done as docxtpl does them and quicker where a document needs
none of their work: which XML renders differently (:func:`is_templated`), the steps after
Jinja in ``render_xml_part`` (:func:`finish_part`), its table fix (:func:`fix_tables`) and
python-docx's serialisation of a part (:func:`serialize`). The compile-once renderer
(:mod:`service.documents.fast_render`) uses them for every document; ``DOCXTPL`` gives it
docxtpl's own ``patch_xml`` and the rest for compiling.
"""

from __future__ import annotations

import io
import re

from docxtpl import DocxTemplate
from lxml import etree

_TEMPLATE_MARKS = ("{{", "{%", "{#", "}_}", "{_%", "%_}", "{_{")
_LISTING = re.compile("[\t\a\n\f]")
PARAGRAPH_OPEN = re.compile(r"<w:p([ >])")

DOCXTPL = DocxTemplate(io.BytesIO())
"""Only docxtpl's text-processing methods are used (patch_xml, resolve_listing, fix_tables):
they do not touch the instance, and calling them keeps the installed version's behaviour."""


def is_templated(xml: str) -> bool:
    """True if ``xml`` (after docxtpl's patching) changes when rendered: it holds a Jinja tag,
    one of docxtpl's ``{_{`` escapes or a character ``resolve_listing`` rewrites."""
    return any(mark in xml for mark in _TEMPLATE_MARKS) or bool(_LISTING.search(xml))


def serialize(element: etree._Element) -> bytes:
    """An XML part as python-docx saves it (``serialize_part_xml``)."""
    return etree.tostring(element, encoding="UTF-8", standalone=True)


def finish_part(xml: str) -> str:
    """docxtpl's steps after Jinja in ``render_xml_part``, in its order. Its
    ``re.sub(r"\\n<w:p([ >])", r"<w:p\\1")`` is made by two plain replacements (the same
    text: a removed line break cannot make another match), without the regular expression's
    template expanded in Python for each of a document's ~40 paragraphs (100 µs of a
    2.5 ms render); its escapes are replaced only where there is one."""
    xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    if "{_" in xml or "_}" in xml:  # every escape holds one of them
        xml = (
            xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        )
    if _LISTING.search(xml):  # resolve_listing changes nothing else
        xml = DOCXTPL.resolve_listing(xml)
    return xml


def fix_tables(xml: str) -> etree._Element:
    """The body ``xml`` parsed as docxtpl's :meth:`~DocxTemplate.fix_tables` parses it, with
    its tables' grids fixed as it fixes them. It changes a table only when a row has more
    cells than the grid has columns (a ``{%tc for %}`` loop widened it) or no row fills the
    grid (spans counted): that is checked here (:func:`_grids_fit`), and only such a document
    is given to docxtpl's own method. Its walk, a path lookup for every row and cell, took
    as long as the parse when it changed nothing."""
    tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
    return tree if _grids_fit(tree, "gridSpan" in xml) else DOCXTPL.fix_tables(xml)


def _grids_fit(tree: etree._Element, spans: bool) -> bool:
    """True when docxtpl's ``fix_tables`` would change no table of ``tree``: each has its
    ``w:tblGrid``, no row (nested tables' rows too, as it counts them) has more cells than
    the grid has columns and some row's cells fill all of them. ``spans``: the text has a
    ``w:gridSpan`` (then every row's cells are counted with their spans, as docxtpl counts
    them); without one, a row's cells span one column each, and once a row fills the grid a
    row with no more elements than the grid has columns is not looked into. Anything
    else (no grid, a span that is not a number) is left to docxtpl, which fixes it or raises
    as it always did."""
    w = tree.nsmap.get("w")
    if w is None:
        return False
    ns = "{" + w + "}"
    grid_tag, column_tag, row_tag, cell_tag = ns + "tblGrid", ns + "gridCol", ns + "tr", ns + "tc"
    for table in tree.iter(ns + "tbl"):
        grid = next(table.iterchildren(grid_tag), None)
        if grid is None:
            return False
        columns = sum(1 for _ in grid.iterchildren(column_tag))
        filled = False
        for row in table.iter(row_tag):
            if spans:
                cells, spanned = _cells(row, ns)
            elif filled and len(row) <= columns:
                continue
            else:
                cells = spanned = sum(1 for _ in row.iterchildren(cell_tag))
            if cells > columns or spanned < 0:
                return False
            filled = filled or spanned >= columns
        if not filled:
            return False
    return True


def _cells(row: etree._Element, ns: str) -> tuple[int, int]:
    """How many ``w:tc`` ``row`` has, and how many grid columns they span as docxtpl counts
    them (the first ``w:gridSpan`` of a cell's first ``w:tcPr``); -1 spanned for a span that
    is not a number."""
    cells = spanned = 0
    properties_tag, span_tag, value = ns + "tcPr", ns + "gridSpan", ns + "val"
    for cell in row.iterchildren(ns + "tc"):
        cells += 1
        properties = next(cell.iterchildren(properties_tag), None)
        span = None if properties is None else next(properties.iterchildren(span_tag), None)
        if span is None:
            spanned += 1
            continue
        try:
            spanned += int(span.get(value))
        except (TypeError, ValueError):
            return cells, -1
    return cells, spanned
