"""Templates as office suites save them: tags put back together before checking and compiling.

Word and LibreOffice cut a paragraph into runs wherever formatting, spell-checking, revisions or
a bookmark begin, so a tag typed as ``{{ org.short_name }}`` may be stored as ``{{ org.`` in one
run, a ``<w:proofErr/>`` and ``short_name }}`` in the next, perhaps inside a ``<w:ins>`` or a
hyperlink. Word's autocorrect also turns the quotes inside a tag into typographic ones (``«»``,
``“”``, ``‘’``). docxtpl glues simple splits with regular expressions over the XML text, which
leaves unbalanced XML when a tag crosses an element boundary (a revision, a hyperlink, a smart
tag) and does not know Russian quotes.

:func:`normalise_docx` works on the XML tree instead: for each paragraph it joins the text of a
tag into the run where the tag begins (the text around the tag stays where it was, with its
formatting), removes the runs the join emptied, and straightens quotes inside tags. A template
that needs none of it is returned byte for byte, so the shipped templates render as before.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from service.documents.comments import (
    COMMENTED,
    comment_parts,
    drop_comment_links,
    drop_comment_marks,
    drop_comment_types,
)
from service.documents.docx_zip import Member, deflate, member_data, read_members, write_zip
from service.documents.revisions import MARKERS, accept_revisions

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P = f"{{{W}}}p"
_R = f"{{{W}}}r"
_T = f"{{{W}}}t"
_RPR = f"{{{W}}}rPr"
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
"""A whole Jinja tag in a paragraph's text."""
PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
"""The XML parts that may hold tags."""
_CLOSERS = {"«": "»", "“": "”„“", "„": "“”", "”": "”", "‘": "’", "’": "’", "‚": "’‘"}
"""Typographic opening quotes and what may close the string they open (Word's Russian, English
and German autocorrect)."""
_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2007": " "}
ATTACHED_TEMPLATE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
)
"""The relationship naming the Word template (.dotx) a document was made from."""
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
"""The namespace of a package's relationship parts (``*.rels``)."""
SETTINGS_PARTS = ("word/settings.xml", "word/glossary/settings.xml")
"""The settings of the document and of its building blocks (Word names the letterhead in both)."""
SETTINGS_RELS = ("word/_rels/settings.xml.rels", "word/glossary/_rels/settings.xml.rels")
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
"""A parser that expands no entity and fetches nothing (for parts of a file not yet checked)."""


def straighten_quotes(tag: str) -> str:
    """``tag`` with typographic quotes that delimit strings made straight; quotes inside a
    string (``'«нет»'``) are text and stay."""
    out: list[str] = []
    i = 0
    while i < len(tag):
        char = tag[i]
        if char in "'\"":
            end = tag.find(char, i + 1)
            end = len(tag) - 1 if end < 0 else end
            out.append(tag[i : end + 1])
            i = end + 1
            continue
        if char in _CLOSERS:
            closers = _CLOSERS[char]
            end = next((j for j in range(i + 1, len(tag)) if tag[j] in closers), -1)
            if end > 0:
                inner = tag[i + 1 : end]
                quote = "'" if '"' in inner else '"'
                out.append(quote + inner + quote)
                i = end + 1
                continue
        out.append(_SPACES.get(char, char))
        i += 1
    return "".join(out)


def _own_texts(paragraph: etree._Element) -> list[etree._Element]:
    """The ``w:t`` of ``paragraph`` itself (not of paragraphs nested in its text boxes)."""
    texts = []
    for t in paragraph.iter(_T):
        parent = t.getparent()
        while parent is not None and parent.tag != _P:
            parent = parent.getparent()
        if parent is paragraph:
            texts.append(t)
    return texts


def _drop_if_empty(t: etree._Element) -> None:
    """Remove an emptied ``w:t`` and its run if nothing else (a tab, a break) is left in it."""
    run = t.getparent()
    run.remove(t)
    if run.tag == _R and all(child.tag == _RPR for child in run):
        run.getparent().remove(run)


def normalise_paragraph(paragraph: etree._Element) -> bool:
    """Put every tag of ``paragraph`` into one run with straight quotes; True if it changed."""
    texts = _own_texts(paragraph)
    chunks = [t.text or "" for t in texts]
    full = "".join(chunks)
    if "{" not in full:
        return False
    owner = [i for i, chunk in enumerate(chunks) for _ in chunk]
    pieces = list(full)
    changed = False
    for match in TAG.finditer(full):
        start, end = match.span()
        fixed = straighten_quotes(match.group())
        if fixed != match.group():  # as long as the tag: only quotes and spaces change
            pieces[start:end] = list(fixed)
            changed = True
        if owner[end - 1] != owner[start]:
            for k in range(start, end):
                owner[k] = owner[start]
            changed = True
    if not changed:
        return False
    rebuilt = [""] * len(texts)
    for piece, index in zip(pieces, owner, strict=True):
        rebuilt[index] += piece
    for t, text, old in zip(texts, rebuilt, chunks, strict=True):
        if text == old:
            continue
        if text:
            t.text = text
            t.set(_SPACE, "preserve")
        else:
            _drop_if_empty(t)
    return True


def drop_data_bindings(root: etree._Element) -> bool:
    """Unbind the content controls of the XML part ``root`` from custom XML (``w:dataBinding``,
    Word 2013's ``w15:dataBinding``); whether any was bound.

    Word and LibreOffice show in a bound control the value its XML part holds, not the text
    the control keeps in the document: a template whose «Петрова Анна Сергеевна» was bound to
    «Иванов Иван Иванович» in ``customXml/item2.xml`` showed the director Петрова and printed
    Иванов in the archive's PDF (attack17). Unbound, the control shows its own text, the text
    the service renders and shows."""
    bindings = [
        element
        for element in root.iter()
        if isinstance(element.tag, str) and etree.QName(element).localname == "dataBinding"
    ]
    for binding in bindings:
        binding.getparent().remove(binding)
    return bool(bindings)


def normalise_xml(data: bytes) -> bytes | None:
    """The XML part ``data`` with its tracked changes accepted (:mod:`.revisions`), the marks
    of its comments removed (:mod:`.comments`), its content controls unbound
    (:func:`drop_data_bindings`) and its tags joined, or None if it needs nothing."""
    revised = any(marker in data for marker in MARKERS)
    commented = COMMENTED in data
    bound = b"dataBinding" in data
    if b"{" not in data and not revised and not commented and not bound:
        return None
    root = etree.fromstring(data)
    changed = revised and accept_revisions(root)
    changed |= commented and drop_comment_marks(root)
    changed |= bound and drop_data_bindings(root)
    for paragraph in list(root.iter(_P)):
        changed |= normalise_paragraph(paragraph)
    if not changed:
        return None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def detach_template(name: str, data: bytes) -> bytes | None:
    """``data`` of the part ``name`` without the link to the Word template the document was
    made from (a school's letterhead «Бланк.dotx» on the secretary's disk or a server), in the
    document's settings or its building blocks', or None if it has none. The styles are
    already in the file; the link would only make Word look for that template at every reader
    of every document made from it."""
    if name not in SETTINGS_PARTS + SETTINGS_RELS or b"attachedTemplate" not in data:
        return None
    root = etree.fromstring(data, SAFE_XML)
    if name in SETTINGS_PARTS:
        gone = list(root.iter(f"{{{W}}}attachedTemplate"))
    else:
        links = root.iter(f"{{{RELS}}}Relationship")
        gone = [link for link in links if link.get("Type") == ATTACHED_TEMPLATE]
    if not gone:
        return None
    for element in gone:
        element.getparent().remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def normalise_docx(data: bytes) -> bytes:
    """The DOCX ``data`` with the tags of its body, headers, footers and notes joined, without
    its comments (:mod:`.comments`) and without a link to the Word template it was made from
    (:func:`detach_template`); the same bytes when nothing needed changing. Raises
    :class:`zipfile.BadZipFile` for a non-ZIP."""
    members = read_members(data)
    by_name = {member.name: member for member in members}
    gone = comment_parts(
        by_name, lambda name: member_data(by_name[name]) if name in by_name else None
    )
    out = []
    changed = False
    for member in members:
        if member.name in gone:
            changed = True
            continue
        fixed = _normalised_part(member, gone)
        if fixed is None:
            out.append(member)
        else:
            out.append(deflate(member.name, fixed))
            changed = True
    return write_zip(out) if changed else data


def _normalised_part(member: Member, gone: set[str]) -> bytes | None:
    """The part ``member`` as :func:`normalise_docx` writes it, or None if it stays as it is;
    ``gone`` names the comment parts dropped."""
    name = member.name
    if PARTS.fullmatch(name):
        return normalise_xml(member_data(member))
    fixed = None
    if name in SETTINGS_PARTS + SETTINGS_RELS:
        fixed = detach_template(name, member_data(member))
    if gone and name.endswith(".rels"):
        folder = name.rpartition("_rels/")[0]
        fixed = drop_comment_links(fixed or member_data(member), gone, folder) or fixed
    elif gone and name == "[Content_Types].xml":
        fixed = drop_comment_types(member_data(member), gone)
    return fixed


def accepted_docx(data: bytes) -> bytes:
    """The rendered DOCX ``data`` with the tracked changes of its body, headers, footers and
    notes accepted (:mod:`.revisions`), nothing else changed; the same bytes when it has none.
    A draft an earlier release made from a school's template holds the template's revisions,
    which its documents have had accepted since (template16)."""
    members = read_members(data)
    out, changed = [], False
    for member in members:
        part = member_data(member) if PARTS.fullmatch(member.name) else b""
        if not any(marker in part for marker in MARKERS):
            out.append(member)
            continue
        root = etree.fromstring(part, SAFE_XML)
        if not accept_revisions(root):
            out.append(member)
            continue
        xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out.append(deflate(member.name, xml))
        changed = True
    return write_zip(out) if changed else data


def is_docx(data: bytes) -> bool:
    """True if ``data`` is a ZIP holding ``word/document.xml``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def unpacked_size(data: bytes) -> int:
    """The size of the ZIP ``data`` unpacked, from its directory (nothing is unpacked; zipfile
    never reads a part past the size the directory gives)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())
