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
not what she read (attack15). ``IF`` and ``=`` are kept when they test another field
(``IF { PAGE } = 1 "…" ""``, a first page's header)."""
_CONDITIONS = {"IF", "="}
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
        for code in field_codes(root):
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
            if words and not _layout(words[0], code):
                return (
                    f"В шаблоне есть поле «{words[0].upper()}»: Word при печати или обновлении "
                    "полей и LibreOffice в архивной копии PDF вычисляют его текст заново, и он "
                    "мог бы не совпасть с текстом, который директор прочитал перед подписью. В "
                    "шаблоне можно оставить только поля номеров страниц, оглавления, нумерации и "
                    "гиперссылок. Замените поле его текстом (выделите и нажмите Ctrl+Shift+F9)."
                )
    return None


def _layout(kind: str, code: str) -> bool:
    """Whether a field of this ``kind`` is one a template may keep (:data:`LAYOUT_FIELDS`)."""
    kind = kind.upper()
    if kind in LAYOUT_FIELDS:
        return True
    return (kind in _CONDITIONS or kind.startswith("=")) and NESTED in code


def rendered_fields_problem(document: bytes) -> str | None:
    """:func:`fields_problem` of a document made from the template (the sample the check
    renders): a code put together by tags outside it is read as Word will read it."""
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if name.endswith(".xml")}
    return fields_problem(parts)


def field_codes(root: etree._Element) -> list[str]:
    """The codes of the fields of a part: each simple field's, and each complex field's
    ``instrText`` from its «begin» to its «separate» (Word cuts one code into several runs). A
    field nested in another's code stands in that code as :data:`NESTED`: Word puts the nested
    field's result there before it reads the code, so a code starting with one («{ {QUOTE 73 78
    …} "http://…" \\d }») is of a kind the template does not say."""
    codes: list[str] = []
    open_fields: list[tuple[int, bool]] = []  # (index in codes, still in its code), innermost last
    for element in root.iter(_SIMPLE, _FIELD, _CODE):
        tag = etree.QName(element).localname
        kind = element.get(f"{{{W}}}fldCharType")
        starts = tag == "fldSimple" or kind == "begin"
        if starts and open_fields and open_fields[-1][1]:  # a field nested in a code
            codes[open_fields[-1][0]] += NESTED
        if tag == "fldSimple":
            codes.append(element.get(f"{{{W}}}instr", ""))
        elif tag == "fldChar":
            if kind == "begin":
                open_fields.append((len(codes), True))
                codes.append("")
            elif kind == "separate" and open_fields:
                open_fields[-1] = (open_fields[-1][0], False)
            elif kind == "end" and open_fields:
                open_fields.pop()
        elif open_fields and open_fields[-1][1]:
            codes[open_fields[-1][0]] += element.text or ""
        else:  # a code outside any field's: read as one of its own
            codes.append(element.text or "")
    return codes


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
