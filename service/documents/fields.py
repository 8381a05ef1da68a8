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
            if words and words[0].upper() in OUTSIDE_FIELDS:
                return (
                    f"В шаблоне есть поле «{words[0].upper()}», которое берёт рисунок, текст или "
                    "данные из другого файла или адреса: Word обращался бы к нему у каждого "
                    "читателя документа. Вставьте рисунок или текст в документ, а поле удалите "
                    "(Alt+F9 показывает коды полей)."
                )
    return None


def rendered_fields_problem(document: bytes) -> str | None:
    """:func:`fields_problem` of a document made from the template (the sample the check
    renders): a code put together by tags outside it is read as Word will read it."""
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if name.endswith(".xml")}
    return fields_problem(parts)


def field_codes(root: etree._Element) -> list[str]:
    """The codes of the fields of a part: each simple field's, and each complex field's
    ``instrText`` from its «begin» on (Word cuts one code into several runs)."""
    codes: list[str] = []
    for element in root.iter(_SIMPLE, _FIELD, _CODE):
        tag = etree.QName(element).localname
        if tag == "fldSimple":
            codes.append(element.get(f"{{{W}}}instr", ""))
        elif tag == "fldChar":
            if element.get(f"{{{W}}}fldCharType") == "begin":
                codes.append("")
        elif codes:
            codes[-1] += element.text or ""
        else:
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
