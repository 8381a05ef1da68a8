"""Tracked changes (Word's «Рецензирование → Исправления», LibreOffice's «Запись изменений») of
a school's template accepted before it is checked and compiled (:func:`accept_revisions`).

A template saved with changes not accepted passed the check and gave every document made from
it the revisions: the director's page showed the text as accepted, while LibreOffice's archive
PDF printed the deleted words as well («ПРИКАЗЫВАЮ: (дополнено) старое») and Word shows and
prints them struck out in red with the reviewer's name (template16). The administrator who
saved the file sees the text as accepted, so that is what the documents now hold.
"""

from __future__ import annotations

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_KEPT = {"ins", "moveTo"}
"""Revisions whose content stays (unwrapped) — or, as a mark in properties, just the mark."""
_GONE = {"del", "moveFrom"}
"""Revisions whose content goes — as a mark in a row's properties, the row with it."""
_MARKS = {
    "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
    "cellIns", "cellDel", "cellMerge", "customXmlInsRangeStart", "customXmlInsRangeEnd",
    "customXmlDelRangeStart", "customXmlDelRangeEnd",
}  # fmt: skip
"""Marks with no content of their own: dropped."""
_PROPERTIES = {"rPr", "pPr", "trPr", "tcPr", "tblPr", "sectPr", "numPr"}
MARKERS = (b":ins", b":del", b":move", b"Change", b":cell")
"""Bytes a part with revisions holds (a quick test before it is parsed)."""


def accept_revisions(root: etree._Element) -> bool:
    """Accept every tracked change of the XML part ``root``: inserted text kept, deleted text
    and rows removed, the formatting as it now is (``w:rPrChange`` and the like dropped).
    Returns whether anything changed."""
    changed = False
    for element in list(root.iter(f"{{{W}}}*")):
        name = etree.QName(element).localname
        parent = element.getparent()
        if parent is None:
            continue
        in_properties = etree.QName(parent).localname in _PROPERTIES
        if name.endswith("Change") or name in _MARKS:
            remove_element(element)
        elif name in _GONE and in_properties and etree.QName(parent).localname == "trPr":
            row = parent.getparent()
            if row is not None and row.getparent() is not None:
                remove_element(row)
        elif (name in _GONE or name in _KEPT) and in_properties:
            remove_element(element)  # a paragraph mark's or a row's mark: the element stays
        elif name in _GONE:
            remove_element(element)
        elif name in _KEPT:
            _unwrap(element)
        else:
            continue
        changed = True
    return changed


def remove_element(element: etree._Element) -> None:
    """``element`` taken out with its content, the text after it kept (nothing for an element
    without a parent). :mod:`service.documents.comments` takes out comment marks so."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _unwrap(element: etree._Element) -> None:
    """``element`` replaced by its children."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    remove_element(element)
