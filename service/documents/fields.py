"""Word fields of a template that reach outside the document, and template tags in a field's
code (:func:`fields_problem`, part of the template check, :mod:`service.documents.check`).

A field such as ``INCLUDEPICTURE "http://…" \\d`` has Word fetch an address at every reader of
every document made from the template, so the check refuses it. It read the field's code as
the template has it, before rendering: ``{{ 'INCLUDEPICTURE' }} "http://…" \\d`` passed, and
every document made carried the field (attack15). A template tag inside a field's code is now
refused — the code would be whatever the data makes it — and the codes of the document the
check renders with sample data are read as well.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from service.documents.normalise import SAFE_XML, W

OUTSIDE_FIELDS = {
    "INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "LINK", "DDE", "DDEAUTO", "IMPORT", "DATABASE"
}  # fmt: skip
"""Word fields that bring in a file, an address, a program's data or a database."""
_TAG_MARKS = ("{{", "{%", "}}", "%}")
_FIELD = f"{{{W}}}fldChar"
_CODE = f"{{{W}}}instrText"
_SIMPLE = f"{{{W}}}fldSimple"
_TEXT = f"{{{W}}}t"
LAYOUT_FIELDS = {
    "PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "PAGEREF", "TOC", "SEQ", "NOTEREF", "HYPERLINK"
}  # fmt: skip
"""Word fields a template may keep: page numbers, the table of contents, numbering of
captions, a link. Any other field's text is computed anew by Word (at printing, on F9) and by
LibreOffice (the archive's PDF) — ``QUOTE "отменяется"`` shown as «вводится», a ``DATE`` —
while the director's page shows the text the file keeps, so what is printed or archived was
not what she read (attack15). ``IF`` and ``=`` are not kept even when they test another
field: ``IF { PAGE } > 0 "ПРИКАЗ ОТМЕНЯЕТСЯ" "ПРИКАЗ ВВОДИТСЯ"`` prints what it likes (review15);
a first page's own header is Word's «Особый колонтитул для первой страницы»."""
NUMBER_FIELDS = LAYOUT_FIELDS - {"TOC", "HYPERLINK"}
"""The layout fields that print a number (a page's, a caption's, a note's)."""
_LETTER = re.compile(r"[^\W\d_]")
_ROMAN = re.compile(r"[ivxlcdm]", re.IGNORECASE)
NESTED = "\x00"
"""Where a field nested in another's code stands in that code (:func:`field_codes`)."""


def fields_problem(parts: dict[str, bytes]) -> str | None:
    """A field that takes a picture, text or data from another file or address
    (``INCLUDEPICTURE "http://…" \\d``, ``INCLUDETEXT``, ``LINK``, ``DDEAUTO``…): Word
    fetches or runs it at every reader of every document made from the template; or a
    template tag in a field's code, which makes the code whatever the data makes it."""
    for name, part in parts.items():
        if not name.endswith(".xml") or b"instr" not in part:
            continue
        root = etree.fromstring(part, SAFE_XML)
        if _tag_in_code(root):
            return (
                "В коде поля Word стоит тег шаблона ({{ … }} или {% … %}): код поля получался "
                "бы из данных, и Word выполнял бы то, что получится, у каждого читателя "
                "документа. Уберите тег из кода поля (Alt+F9 показывает коды полей) — значения "
                "вставляйте в текст документа, а не в поле."
            )
        for code, kept in read_fields(root):
            words = code.split()
            if words and NESTED in words[0]:
                return (
                    "Вид поля Word задаёт другое поле, вложенное в его код: Word выполнял бы то, "
                    "что получится (так прячут поля, которые берут рисунок, текст или данные из "
                    "другого файла или адреса). Напишите вид поля в его коде сами или удалите "
                    "поле (Alt+F9 показывает коды полей)."
                )
            if words and words[0].strip('"').upper() in OUTSIDE_FIELDS:
                return (
                    f"В шаблоне есть поле «{words[0].upper()}», которое берёт рисунок, текст или "
                    "данные из другого файла или адреса: Word обращался бы к нему у каждого "
                    "читателя документа. Вставьте рисунок или текст в документ, а поле удалите "
                    "(Alt+F9 показывает коды полей)."
                )
            if words and (refused := _number_problem(words[0], code, kept)):
                return refused
            if words and not _layout(words[0]):
                return (
                    f"В шаблоне есть поле «{words[0].upper()}»: Word при печати или обновлении "
                    "полей и LibreOffice в архивной копии PDF вычисляют его текст заново, и он "
                    "мог бы не совпасть с текстом, который директор прочитал перед подписью. В "
                    "шаблоне можно оставить только поля номеров страниц, оглавления, нумерации и "
                    "гиперссылок. Замените поле его текстом (выделите и нажмите Ctrl+Shift+F9)."
                )
    return None


def _layout(kind: str) -> bool:
    """Whether a field of this ``kind`` is one a template may keep (:data:`LAYOUT_FIELDS`)."""
    return kind.upper() in LAYOUT_FIELDS


def _number_problem(kind: str, code: str, kept: str) -> str | None:
    """Why a number field (:data:`NUMBER_FIELDS`) could print another text than the one it
    keeps, which the director's page shows: a number picture with text in quotes
    (``PAGE \\# "'ПРИКАЗ ОТМЕНЯЕТСЯ' 0"`` prints the words), or kept text that is no number
    («ПРИКАЗ ВВОДИТСЯ» kept by a ``PAGE``: the page shows it, Word prints «1»)."""
    kind = kind.upper()
    if kind not in NUMBER_FIELDS:
        return None
    if '"' in code or "'" in code or _LETTER.search(_ROMAN.sub("", kept)):
        shown = " ".join(kept.split())
        shown = shown if len(shown) <= 60 else shown[:59] + "…"
        return (
            f"Поле «{kind}» показывает номер, но в его коде есть текст в кавычках или он хранит "
            f"не номер («{shown}»): Word напечатал бы другое, чем прочитал директор перед "
            "подписью. Уберите из кода поля текст в кавычках (Alt+F9 показывает коды полей) и "
            "обновите поля (F9) перед сохранением шаблона."
        )
    return None


def rendered_fields_problem(document: bytes) -> str | None:
    """:func:`fields_problem` of a document made from the template (the sample the check
    renders): a code put together by tags outside it is read as Word will read it."""
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if name.endswith(".xml")}
    return fields_problem(parts)


def field_codes(root: etree._Element) -> list[str]:
    """The codes of the fields of a part (:func:`read_fields`)."""
    return [code for code, _ in read_fields(root)]


def read_fields(root: etree._Element) -> list[tuple[str, str]]:
    """The fields of a part: (code, the text it keeps). A simple field's code is its
    ``instr``; a complex field's, its ``instrText`` from its «begin» to its «separate» (Word
    cuts one code into several runs), and the text it keeps what stands from there to its
    «end». A field nested in another's code stands in that code as :data:`NESTED`: Word puts
    the nested field's result there before it reads the code, so a code starting with one
    («{ {QUOTE 73 78 …} "http://…" \\d }») is of a kind the template does not say."""
    codes: list[str] = []
    kept: list[str] = []
    open_fields: list[tuple[int, bool]] = []  # (index in codes, still in its code), innermost last
    simple: dict[etree._Element, int] = {}
    for element in root.iter(_SIMPLE, _FIELD, _CODE, _TEXT):
        tag = etree.QName(element).localname
        kind = element.get(f"{{{W}}}fldCharType")
        starts = tag == "fldSimple" or kind == "begin"
        if starts and open_fields and open_fields[-1][1]:  # a field nested in a code
            codes[open_fields[-1][0]] += NESTED
        if tag == "t":
            for index, in_code in open_fields:
                if not in_code:
                    kept[index] += element.text or ""
            for field in element.iterancestors(_SIMPLE):
                kept[simple[field]] += element.text or ""
            continue
        if tag == "fldSimple":
            simple[element] = len(codes)
            codes.append(element.get(f"{{{W}}}instr", ""))
            kept.append("")
        elif tag == "fldChar":
            if kind == "begin":
                open_fields.append((len(codes), True))
                codes.append("")
                kept.append("")
            elif kind == "separate" and open_fields:
                open_fields[-1] = (open_fields[-1][0], False)
            elif kind == "end" and open_fields:
                open_fields.pop()
        elif open_fields and open_fields[-1][1]:
            codes[open_fields[-1][0]] += element.text or ""
        else:  # a code outside any field's: read as one of its own
            codes.append(element.text or "")
            kept.append("")
    return list(zip(codes, kept, strict=True))


def _tag_in_code(root: etree._Element) -> bool:
    """Whether a template tag stands in a field's code: in a simple field's ``instr``, in an
    ``instrText``, or in the text between a complex field's «begin» and its «separate» (a tag
    there could remove or add parts of the code)."""
    fields: list[bool] = []  # the fields open here, innermost last: True while in its code
    for element in root.iter(_SIMPLE, _FIELD, _CODE, _TEXT):
        tag = etree.QName(element).localname
        if tag == "fldSimple":
            if _has_tag(element.get(f"{{{W}}}instr", "")):
                return True
        elif tag == "fldChar":
            kind = element.get(f"{{{W}}}fldCharType")
            if kind == "begin":
                fields.append(True)
            elif kind == "separate" and fields:
                fields[-1] = False
            elif kind == "end" and fields:
                fields.pop()
        elif (tag == "instrText" or (fields and fields[-1])) and _has_tag(element.text or ""):
            return True
    return False


def _has_tag(text: str) -> bool:
    return any(mark in text for mark in _TAG_MARKS)
