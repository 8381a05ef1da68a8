"""Reading a DOCX back as plain text (body paragraphs and table rows in order), for checks
and tests."""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path

from docx import Document
from lxml import etree

from service.documents import symbol_fonts
from service.documents.normalise import RELS, SAFE_XML, W

_BODY = "word/document.xml"


def docx_text(source: Path | bytes, cell_break: str = "") -> str:
    """All text of a DOCX: body paragraphs and table rows (cells joined by « | ») in document
    order. The paragraphs of one cell are joined by ``cell_break`` (none by default: the text
    the versions compare; the director's page keeps them apart). The body part is parsed alone
    (python-docx would load every part — styles, numbering, settings — first: ten times as
    long, for a bag of 2,000 documents ~25 s); a package without ``word/document.xml`` is read
    by python-docx, which finds its main part."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    xml: bytes | None = None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if _main_part(archive) != _BODY:
                raise KeyError(_BODY)
            xml = archive.read(_BODY)
    except KeyError:
        body = Document(io.BytesIO(data)).element.body
    else:
        body = etree.fromstring(xml, SAFE_XML).find(f"{{{W}}}body")
        if body is None:
            return ""
    _drop_fallbacks(body)
    _print_symbols(body, xml)
    return "\n".join(_lines(body, cell_break))


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _drop_fallbacks(root: etree._Element) -> None:
    """Take out what Word and LibreOffice show only when they cannot show the choice before
    it (``mc:Fallback``: a text box as VML for Word 2007): its text was read as well, so the
    director's page showed every text box twice — and a fallback with other words, which no
    reader sees, as if it were in the document (attack17)."""
    for fallback in list(root.iter(f"{{{MC}}}Fallback")):
        fallback.getparent().remove(fallback)


_SYMBOL_FONT_NAMES = tuple(
    name.encode() for font in symbol_fonts.FONTS for name in (font, font.capitalize())
)
"""The symbol fonts' names as a part may spell them: a part naming none is not walked."""


def _print_symbols(root: etree._Element, xml: bytes | None = None) -> None:
    """Put in each run of a symbol font (its ``w:rFonts``) the characters its codes print, and
    a ``w:sym`` of one as the text it prints (:func:`~service.documents.symbol_fonts.printed`):
    LibreOffice saves a Symbol bullet as the text U+F0B7, which the director's page showed as
    a box where Word prints «•»; Word's own ``w:sym`` was not shown at all. ``xml``: the part
    as read, not walked when it names no symbol font."""
    if xml is not None and not any(name in xml for name in _SYMBOL_FONT_NAMES):
        return
    for fonts in root.iter(f"{{{W}}}rFonts"):
        font = fonts.get(f"{{{W}}}ascii") or fonts.get(f"{{{W}}}hAnsi") or ""
        properties = fonts.getparent()
        run = properties.getparent() if properties is not None else None
        if font.strip().lower() not in symbol_fonts.FONTS or run is None or not _named(run, "r"):
            continue
        for text in run.iterchildren(f"{{{W}}}t"):
            text.text = symbol_fonts.printed(font, text.text or "")
    for sym in list(root.iter(f"{{{W}}}sym")):
        font = sym.get(f"{{{W}}}font", "")
        try:
            char = chr(int(sym.get(f"{{{W}}}char", ""), 16))
        except ValueError:
            continue
        shown = symbol_fonts.printed(font, char)
        if shown != char:
            text = etree.Element(f"{{{W}}}t")
            text.text = shown
            sym.addprevious(text)
            sym.getparent().remove(sym)


MARGINS = {
    "header": "Верхний колонтитул",
    "footer": "Нижний колонтитул",
    "footnotes": "Сноска",
    "endnotes": "Концевая сноска",
}
"""Parts of the text Word shows outside the body, by their relationship's kind."""


def margin_text(data: bytes) -> list[tuple[str, str]]:
    """``(where, line)`` of the text Word shows outside the body — headers, footers, foot- and
    endnotes (:data:`MARGINS`) — in the order the main part names them, each line once,
    empty ones left out. The director's page shows them under the body: a school's template
    could put a clause into every page's header that the page never showed."""
    found: list[tuple[str, str]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        main = _main_part(archive)
        folder, name = posixpath.split(main)
        try:
            rels = etree.fromstring(archive.read(f"{folder}/_rels/{name}.rels"), SAFE_XML)
        except KeyError:
            return []
        for link in rels.iter(f"{{{RELS}}}Relationship"):
            where = MARGINS.get(link.get("Type", "").rsplit("/", 1)[-1])
            if where is None or link.get("TargetMode") == "External":
                continue
            part = posixpath.normpath(posixpath.join(folder, link.get("Target", "")))
            try:
                xml = archive.read(part.lstrip("/"))
            except KeyError:
                continue
            root = etree.fromstring(xml, SAFE_XML)
            _drop_fallbacks(root)
            _print_symbols(root, xml)
            notes = [
                n for n in root.iterchildren() if _named(n, "footnote") or _named(n, "endnote")
            ]
            for holder in notes or [root]:
                for line in _lines(holder):
                    if line.strip() and (where, line) not in found:
                        found.append((where, line))
    return found


def _main_part(archive: zipfile.ZipFile) -> str:
    """The main part the package names (what Word and LibreOffice show), ``word/document.xml``
    as Word writes it: a package naming another part had the service read a text no reader
    sees."""
    try:
        named = main_parts(archive.read("_rels/.rels"))
    except (KeyError, etree.XMLSyntaxError):
        return _BODY
    return named[0] if named else _BODY


def main_parts(package_rels: bytes) -> list[str]:
    """The parts a package's ``_rels/.rels`` names as its main document, in its order (Word
    writes one, ``word/document.xml``); ``XMLSyntaxError`` for damaged XML."""
    return [
        link.get("Target", "").lstrip("/")
        for link in etree.fromstring(package_rels, SAFE_XML).iter(f"{{{RELS}}}Relationship")
        if link.get("Type", "").endswith("/officeDocument")
    ]


def _named(element: etree._Element, name: str) -> bool:
    """Whether ``element`` is a ``name`` of any namespace (``w:t``, and the ``m:t`` of a formula
    and ``a:t`` of a text box: their text is the document's text too)."""
    tag = element.tag
    return isinstance(tag, str) and tag.endswith("}" + name)


def _all(element: etree._Element, name: str) -> list[etree._Element]:
    """Every ``name`` of any namespace within ``element`` (itself included), in document order.
    lxml picks them out in C (``{*}``), a Python test of every element took most of the time;
    ``{*}`` also matches a name in no namespace, which is not the document's."""
    return [e for e in element.iter("{*}" + name) if e.tag != name]


_IN_RUNS = {"tab": " ", "ptab": " ", "br": " ", "cr": " ", "noBreakHyphen": "-"}
"""What a run's tab, line break and non-breaking hyphen (Word's Ctrl+Shift+-) read as: they
were left out, so «выплатить 5‑10 тыс.» read «выплатить 510 тыс.» on the director's page
(attack17). A page break is left out still."""


PICTURE = "[рисунок]"
"""What a picture reads as on the director's page: the page shows text only, and a picture of a
sentence prints without her having read it — she sees that a picture stands there (template18,
the lead's decision)."""
_PICTURES = (
    "{http://schemas.openxmlformats.org/drawingml/2006/picture}pic",
    "{urn:schemas-microsoft-com:vml}imagedata",
    "{http://schemas.openxmlformats.org/drawingml/2006/chart}chart",
    "{http://schemas.openxmlformats.org/drawingml/2006/diagram}relIds",
)
"""A picture (DrawingML, or VML as Word 2003 and an object's preview have it), a chart, a
SmartArt diagram: their content is not text the page reads."""


def text_lines(data: bytes) -> list[str]:
    """The lines of :func:`docx_text` as the program reads them (a signed order's number under
    «ПРИКАЗ», the names on signature lines), without :data:`PICTURE`'s marks, which are for a
    reader: a school's emblem beside «ПРИКАЗ» made it «[рисунок]ПРИКАЗ», and ``verify`` said
    of the signed order «регистрационного номера в тексте нет»; a facsimile after the
    underscores hid the director's name from the archive's signatory check (review19). A
    picture reads as nothing here, as it did before it was marked."""
    return docx_text(data).replace(PICTURE, "").splitlines()


def words_of(element: etree._Element) -> str:
    """The text of every ``t`` within ``element`` — ``w:t``, a formula's ``m:t``, DrawingML's
    ``a:t`` — joined, as the director's page reads it (without tabs, breaks and pictures)."""
    return "".join(t.text or "" for t in _all(element, "t"))


def _text(element: etree._Element) -> str:
    marks = tuple("{*}" + name for name in _IN_RUNS)
    if next(element.iter(*marks, *_PICTURES), None) is None:
        return words_of(element)
    out = []
    for found in element.iter("{*}t", *marks, *_PICTURES):
        name = etree.QName(found).localname
        if found.tag == name:  # no namespace: not the document's
            continue
        if found.tag in _PICTURES:
            out.append(PICTURE)
        elif name == "t":
            out.append(found.text or "")
        elif _named(found.getparent(), "r") and found.get(f"{{{W}}}type") in (None, "textWrapping"):
            out.append(_IN_RUNS[name])
    return "".join(out)


_BLOCK_WRAPPERS = ("sdtContent", "customXml", "ins", "moveTo")
"""Elements that hold paragraphs and tables as the body does, and Word shows their text: a
content control's content (Word's «элемент управления содержимым», in templates made from
forms), custom XML, a paragraph inserted with tracked changes. Their text was not read: the
director's page, which shows this text before signing, left out what Word shows."""


def _cell_text(cell: etree._Element, cell_break: str) -> str:
    if not cell_break:
        return _text(cell)
    return cell_break.join(_text(p) for p in _all(cell, "p"))


def _lines(body: etree._Element, cell_break: str = "") -> list[str]:
    lines: list[str] = []
    for child in body.iterchildren():
        if _named(child, "p"):
            lines.append(_text(child))
        elif _named(child, "tbl"):
            for row in _all(child, "tr"):
                lines.append(" | ".join(_cell_text(c, cell_break) for c in _all(row, "tc")))
        elif _named(child, "sdt"):
            for content in child.iterchildren():
                if _named(content, "sdtContent"):
                    lines += _lines(content, cell_break)
        elif _named(child, "AlternateContent"):  # paragraphs in two versions: the first one's
            choice = next((c for c in child.iterchildren() if _named(c, "Choice")), None)
            lines += _lines(choice, cell_break) if choice is not None else []
        elif any(_named(child, name) for name in _BLOCK_WRAPPERS):
            lines += _lines(child, cell_break)
    return lines
