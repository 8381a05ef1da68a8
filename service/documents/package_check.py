"""The DOCX package of a template, before anything of it is parsed as a template.

What makes the file itself unacceptable (:func:`package_problem`): parts named twice or
damaged, macros, a DOCTYPE, too many paragraphs, a main part other than ``word/document.xml``,
anything fetched from outside the file, active content, a mail merge, and the appearance checks
of :mod:`service.documents.appearance`, :mod:`service.documents.fields` and
:mod:`service.documents.look`; and lxml's message on a part that does not parse, told in Russian
(:func:`unreadable_xml`). Part of the template check, :mod:`service.documents.check`.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib

from lxml import etree

from service.documents.appearance import (
    alternate_text_problem,
    embedded_fonts_problem,
    foreign_markup_problem,
    hidden_text_problem,
    margin_parts_problem,
    markup_tag_problem,
    numbering_text_problem,
    symbol_problem,
    word_art_problem,
)
from service.documents.docx_zip import named_twice
from service.documents.fields import fields_problem
from service.documents.look import invisible_text_problem, struck_text_problem
from service.documents.normalise import ATTACHED_TEMPLATE, RELS, SAFE_XML, SETTINGS_RELS, W
from service.documents.sandbox import grouped
from service.documents.text import main_parts

MAX_PARAGRAPHS = 50_000
"""Paragraphs in all the template's parts: a school's template has a few hundred. A million
empty ones (a 49 KB file) took the check 10 s of CPU, the 50 MB limit let 8 million through."""
_PARAGRAPH = re.compile(rb"<w:p[\s/>]")
_HYPERLINKS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink",
)
"""The one kind of link out of a template that is not refused (a link in the text); the other,
the letterhead «.dotx» the template was made from, is dropped from every document made."""
_HYPERLINK_ELEMENTS = {"hyperlink", "hlinkClick", "hlinkHover", "hlinkMouseOver"}
"""Elements whose ``r:id`` is a hyperlink's: followed when the reader clicks, never fetched."""
_LETTERHEAD = {"attachedTemplate"}
"""The element naming the letterhead a document was made from (in the settings of the
document and of its building blocks, ``word/glossary/``): Word opens it for styles only."""
_OFFICE = "urn:schemas-microsoft-com:office:office"
_DOCTYPE_MARKS = tuple(
    "<!DOCTYPE".encode(code)
    for code in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def unreadable_xml(data: bytes, exc: etree.XMLSyntaxError) -> str:
    """lxml's message («Excessive depth in document: 256, use XML_PARSE_HUGE option…», in
    English) told in Russian, with the part it is about."""
    where = "одна из его частей не читается"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                try:
                    etree.fromstring(archive.read(info), _SAFE_PARSER)
                except etree.XMLSyntaxError:
                    where = f"часть «{info.filename}» не читается"
                    break
    why = (
        "элементы вложены глубже 256 уровней (Word столько не пишет)"
        if "depth" in str(exc)
        else "она повреждена"
    )
    return (
        f"Файл не открывается как документ Word (.docx): {where} как XML: {why}. Откройте "
        "файл в Word и сохраните его заново как «Документ Word (*.docx)»."
    )


def package_problem(data: bytes) -> str | None:
    """What makes the package itself unacceptable, in Russian; None when nothing does.

    Every part is read through zipfile, which checks its size and checksum against the
    directory. An XML part must not declare a DOCTYPE (Word never writes one: a template with
    one was made to expand entities or to read a file). The main part must be
    ``word/document.xml``, the part the service shows before signing. Nothing may come from
    outside the file (:func:`_links_problem`, :func:`.fields.fields_problem`): LibreOffice
    fetches it when the PDF is made (the server, from wherever it stands) and Word at every
    reader of every document."""
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if twice := named_twice(archive.namelist()):
            return (
                f"В файле две части с одним именем «{twice}»: по правилам формата .docx так не "
                "бывает, Word считает такой файл повреждённым, а программы могут взять из двух "
                "частей разные — сервис показывал бы перед подписью не тот текст, что Word у "
                "читателя. Откройте файл в Word и сохраните его заново как «Документ Word "
                "(*.docx)»."
            )
        for info in archive.infolist():
            try:
                part = archive.read(info)
            except (zipfile.BadZipFile, zlib.error) as exc:
                raise zipfile.BadZipFile(
                    f"часть «{info.filename}» повреждена: её размер или контрольная сумма не "
                    "совпадают с оглавлением архива"
                ) from exc
            if info.filename.lower().endswith("vbaproject.bin") or (
                info.filename == "[Content_Types].xml" and b"macroEnabled" in part
            ):
                return (
                    "В файле есть макросы (документ Word с макросами, .docm): документы по "
                    "такому шаблону Word не открыл бы. Сохраните шаблон как «Документ Word "
                    "(*.docx)» — без макросов."
                )
            if not info.filename.endswith((".xml", ".rels")):
                continue
            if any(mark in part for mark in _DOCTYPE_MARKS):
                return (
                    f"В части «{info.filename}» объявлен DOCTYPE (сущности XML): Word его не "
                    "пишет, а сущности могут раздуть документ или прочитать файлы сервера. "
                    "Откройте файл в Word и сохраните его заново как «Документ Word (*.docx)»."
                )
            parts[info.filename] = part
    paragraphs = sum(len(_PARAGRAPH.findall(part)) for part in parts.values())
    if paragraphs > MAX_PARAGRAPHS:
        return (
            f"Абзацев в шаблоне — {grouped(paragraphs)}, а допускается не больше "
            f"{grouped(MAX_PARAGRAPHS)} (в обычном шаблоне их несколько сотен): уберите из "
            "файла лишние пустые абзацы."
        )
    return (
        _main_part_problem(parts)
        or margin_parts_problem(parts)
        or _links_problem(parts, names)
        or fields_problem(parts)
        or _active_content_problem(parts)
        or _mail_merge_problem(parts)
        or hidden_text_problem(parts)
        or embedded_fonts_problem(parts)
        or markup_tag_problem(parts)
        or numbering_text_problem(parts)
        or alternate_text_problem(parts)
        or foreign_markup_problem(parts)
        or word_art_problem(parts)
        or symbol_problem(parts)
        or struck_text_problem(parts)
        or invisible_text_problem(parts)
    )


def _main_part_problem(parts: dict[str, bytes]) -> str | None:
    """The package's main part must be ``word/document.xml``: the service reads that part for
    the preview the director signs after, while Word and LibreOffice show the part the
    package names — a template naming another one showed them a text no one had seen."""
    package_rels = parts.get("_rels/.rels")
    if package_rels is None:
        return None
    for target in main_parts(package_rels):
        if target != "word/document.xml":
            return (
                f"Основной текст документа записан в части «{target}», а не в "
                "«word/document.xml», как его пишет Word: сервис показывал бы перед "
                "подписью другой текст, чем Word у читателя. Откройте файл в Word и "
                "сохраните его заново как «Документ Word (*.docx)»."
            )
    return None


def _links_problem(parts: dict[str, bytes], names: set[str]) -> str | None:
    """A relationship may lead outside the file only as a hyperlink that only hyperlinks use
    (a picture pointing at a hyperlink's address was fetched by LibreOffice all the same), or
    as the Word template (letterhead «.dotx») the template was made from that only
    ``w:attachedTemplate`` of the settings uses, the document's or its building blocks'
    (:func:`service.documents.normalise.detach_template` drops both from every document
    made). A fragment of another document pasted in whole (altChunk) is refused too: Word
    shows it, the service reads nothing of it. An internal relationship must name a part the
    file holds."""
    for name, part in parts.items():
        if not name.endswith(".rels"):
            continue
        folder, _, rels_name = name.rpartition("_rels/")
        source = parts.get(folder + rels_name.removesuffix(".rels"))
        for link in etree.fromstring(part, SAFE_XML).iter(f"{{{RELS}}}Relationship"):
            kind = link.get("Type", "")
            if kind.endswith("/aFChunk"):
                return (
                    "В шаблон вставлен целиком другой документ или веб-страница (altChunk): "
                    "Word показывает его текст, а сервис "
                    "его не видит, и перед подписью он не был бы показан. Вставьте текст в "
                    "документ обычным образом (Ctrl+Shift+V, «Сохранить только текст»)."
                )
            if link.get("TargetMode") != "External":
                target = link.get("Target", "")
                if _inside(folder, target) not in names:
                    return (
                        f"В шаблоне есть ссылка на часть «{target}», которой в файле нет: файл "
                        "повреждён или собран не в Word. Откройте его в Word и сохраните заново "
                        "как «Документ Word (*.docx)»."
                    )
                continue
            letterhead = kind == ATTACHED_TEMPLATE and name in SETTINGS_RELS  # detached
            users = _LETTERHEAD if letterhead else _HYPERLINK_ELEMENTS
            if (letterhead or kind in _HYPERLINKS) and not _used_beyond(
                source, link.get("Id", ""), users
            ):
                continue
            return (
                f"В шаблоне есть ссылка на внешний файл «{link.get('Target', '')}» "
                "(рисунок, объект или шаблон Word, связанный с файлом, а не "
                "вставленный в документ): его открывали бы сервер при создании PDF "
                "и Word у каждого читателя документа. Вставьте рисунок в документ "
                "(без «Связать с файлом») или удалите ссылку."
            )
    return None


def _inside(folder: str, target: str) -> str:
    """The part a relationship of a part in ``folder`` names by ``target`` (as python-docx,
    which renders the template, finds it: «../» goes up, «/» starts at the top)."""
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _used_beyond(source: bytes | None, rid: str, users: set[str]) -> bool:
    """Whether anything in the part ``source`` but the ``r:id`` of an element named in
    ``users`` (a hyperlink, the settings' ``w:attachedTemplate``) refers to the relationship
    ``rid`` (a picture's ``r:link``, a VML ``o:relid``, …)."""
    if source is None or not rid or rid.encode() not in source:
        return False
    for element in etree.fromstring(source, SAFE_XML).iter():
        if not isinstance(element.tag, str):
            continue
        for attribute, value in element.attrib.items():
            if value != rid:
                continue
            if etree.QName(element).localname not in users:
                return True
            if etree.QName(attribute).localname != "id":
                return True
    return False


def _active_content_problem(parts: dict[str, bytes]) -> str | None:
    """An ActiveX control or an embedded file of any kind (an OLE «Package»: a program, a
    script, a shortcut under an icon): Word starts the control, or offers to open the file,
    at every reader of every signed document; a document template needs neither."""
    for name, part in parts.items():
        if name.startswith("word/activeX/") or (
            name.endswith(".xml") and b"ProgID" in part and _packaged(part)
        ):
            return (
                "В шаблоне есть элемент управления ActiveX или вложенный файл (объект "
                "«Package» — программа, сценарий или ярлык под значком): Word запускал бы его "
                "или предлагал открыть у каждого читателя документа. Удалите его из шаблона."
            )
    return None


def _mail_merge_problem(parts: dict[str, bytes]) -> str | None:
    """A template saved as a mail merge's main document: Word asks every reader to run its SQL
    query against its data source (a database or a file anywhere on the network) when he opens
    any document made from it."""
    settings_part = parts.get("word/settings.xml")
    if settings_part is None or b"mailMerge" not in settings_part:
        return None
    if etree.fromstring(settings_part, SAFE_XML).find(f"{{{W}}}mailMerge") is None:
        return None
    return (
        "Шаблон сохранён как основной документ слияния (рассылки): Word у каждого читателя "
        "документа спрашивал бы, выполнить ли запрос к источнику данных. В Word: «Рассылки» → "
        "«Начать слияние» → «Обычный документ Word», затем сохраните шаблон и загрузите снова."
    )


def _packaged(part: bytes) -> bool:
    """Whether the XML ``part`` holds an OLE object of the kind «Package» (any file)."""
    for element in etree.fromstring(part, SAFE_XML).iter(f"{{{_OFFICE}}}OLEObject"):
        if element.get("ProgID", "").strip().lower().startswith("package"):
            return True
    return False
