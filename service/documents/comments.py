"""Word's comments (notes in the margin: «Рецензирование → Создать примечание», LibreOffice's
«Вставка → Комментарий») taken out of a school's template before it is checked and compiled.

A template saved with a comment passed the check and gave it to every document made from it:
the director's page showed no comment, while Word shows every reader of the signed document
the note in the margin with its author's name («Завуч Петрова: Иванова не согласна, спросить
директора») and prints it by default. A comment is a note to whoever edits the template, never
part of a document, so it goes: the comment parts and whatever names them (their relationship,
their content type, the marks of the commented text and the reference's run).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable

from lxml import etree

from service.documents.revisions import remove_element

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_KINDS = {"comments", "commentsExtended", "commentsIds", "commentsExtensible", "people"}
"""The last word of a relationship type naming a comment part (Word 2007 to 365, strict or
transitional) or the list of the people who commented (``word/people.xml``)."""
_ROOTS = {"comments", "commentsEx", "commentsIds", "commentsExtensible", "people"}
"""The root element such a part has: a relationship of a comment type leading to any other
part (``document.xml``, ``styles.xml``) does not make the service drop that part."""
_MARKS = {"commentRangeStart", "commentRangeEnd", "commentReference"}
"""Elements of the text tied to a comment."""
_RPR = f"{{{W}}}rPr"
COMMENTED = b"comment"
"""Bytes a part with comment marks holds (a quick test before it is parsed)."""


def comment_parts(names: Iterable[str], read: Callable[[str], bytes | None]) -> set[str]:
    """Names of the comment parts of a package whose parts are ``names`` and of their own
    ``.rels``, found by the relationships of its ``.rels`` parts, never guessed; ``read`` gives
    a part's bytes by name (None if there is no such part)."""
    found: set[str] = set()
    for name in [name for name in names if name.endswith(".rels")]:
        data = read(name)
        if data is None or b"omment" not in data and b"people" not in data:
            continue
        folder = name.rpartition("_rels/")[0]
        for link in etree.fromstring(data, SAFE_XML).iter(f"{{{RELS}}}Relationship"):
            if link.get("TargetMode") == "External" or _kind(link) not in _KINDS:
                continue
            target = _part_name(folder, link.get("Target", ""))
            if _root_name(read(target)) in _ROOTS:
                found.add(target)
                where, _, part = target.rpartition("/")
                found.add(f"{where}/_rels/{part}.rels" if where else f"_rels/{part}.rels")
    return found


def drop_comment_links(data: bytes, gone: set[str], folder: str) -> bytes | None:
    """The ``.rels`` part ``data`` (of a part in ``folder``) without its relationships to the
    parts ``gone``, or None if it has none."""
    root = etree.fromstring(data, SAFE_XML)
    links = [
        link
        for link in root.iter(f"{{{RELS}}}Relationship")
        if link.get("TargetMode") != "External"
        and _part_name(folder, link.get("Target", "")) in gone
    ]
    return _without(root, links)


def drop_comment_types(data: bytes, gone: set[str]) -> bytes | None:
    """``[Content_Types].xml`` without the content types of the parts ``gone``, or None."""
    root = etree.fromstring(data, SAFE_XML)
    overrides = [
        override
        for override in root.iter(f"{{{TYPES}}}Override")
        if override.get("PartName", "").lstrip("/") in gone
    ]
    return _without(root, overrides)


def drop_comment_marks(root: etree._Element) -> bool:
    """Remove from the XML part ``root`` the marks of commented text and the runs holding
    only a comment's reference; whether anything was removed."""
    marks = [element for element in root.iter(f"{{{W}}}*") if _local(element) in _MARKS]
    for mark in marks:
        parent = mark.getparent()
        if parent is None:
            continue
        remove_element(mark)
        if etree.QName(parent).localname == "r" and all(child.tag == _RPR for child in parent):
            remove_element(parent)
    return bool(marks)


def _without(root: etree._Element, elements: list[etree._Element]) -> bytes | None:
    if not elements:
        return None
    for element in elements:
        element.getparent().remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _kind(link: etree._Element) -> str:
    return link.get("Type", "").rstrip("/").rpartition("/")[2]


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _root_name(data: bytes | None) -> str:
    if data is None:
        return ""
    try:
        return etree.QName(etree.fromstring(data, SAFE_XML)).localname
    except etree.XMLSyntaxError:
        return ""


def _part_name(folder: str, target: str) -> str:
    """The part a relationship of a part in ``folder`` names by ``target`` («../» goes up,
    «/» starts at the top), as python-docx finds it."""
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))
