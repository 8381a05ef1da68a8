"""How a document's text looks, compared before and after signing: the formatting of each run
of text and of each paragraph and table, in order (:func:`look_changed`).

The signing guard (:mod:`service.documents.unchanged`) compares the words the signature adds,
and the director's page shows the text without its formatting. A school's template could keep
the words and change their look at signing: ``{% if doc.number %}`` before a run formatted
struck out (or white, or one point high) and ``{% else %}`` before the same words plain — the
director read «Приказ вводится в действие», the signed order has it struck out (review15; a
tag inside the markup itself is refused by :func:`~service.documents.appearance.
markup_tag_problem`). The shipped templates look the same before and after signing.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from service.documents.normalise import PARTS, SAFE_XML, W

_HOLDERS = {"p": "pPr", "r": "rPr", "tbl": "tblPr", "tr": "trPr", "tc": "tcPr"}
"""Each element whose look is compared, and its properties' element."""

LOOK_CHANGE = (
    "Шаблон меняет оформление текста, когда при подписи в него вписываются номер и дата: от "
    "doc.number, doc.date… зависит, каким будет текст — зачёркнутым, белым, другого размера. "
    "Директор читает документ перед подписью без оформления, а подписанный выглядел бы иначе. "
    "От номера и даты может зависеть только их собственная запись."
)
"""The template check's refusal of a template whose look changes at signing."""


def look(data: bytes) -> list[tuple[str, bytes]]:
    """The look of a DOCX's text: each paragraph, table, row and cell, and each run with text,
    as (element, its properties in canonical XML), in document order; runs that look alike
    one after another count once (a template's branches may cut the same text into runs
    otherwise)."""
    found: list[tuple[str, bytes]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(n for n in archive.namelist() if PARTS.fullmatch(n)):
            root = etree.fromstring(archive.read(name), SAFE_XML)
            for element in root.iter(*(f"{{{W}}}{tag}" for tag in _HOLDERS)):
                tag = etree.QName(element).localname
                if tag == "r" and not "".join(element.itertext()).strip():
                    continue
                props = element.find(f"{{{W}}}{_HOLDERS[tag]}")
                token = (tag, b"" if props is None else etree.tostring(props, method="c14n"))
                if not found or found[-1] != token:
                    found.append(token)
    return found


def look_changed(template: bytes, shipped: Path, before: bytes, after: bytes) -> bool:
    """Whether the signed version (``after``) looks otherwise than the version the signer read
    (``before``); never for the shipped template itself."""
    if shipped.is_file() and template == shipped.read_bytes():
        return False
    return look(before) != look(after)


_STRUCK = {f"{{{W}}}strike", f"{{{W}}}dstrike"}
_OFF = {"0", "false", "off"}


def struck_text_problem(parts: dict[str, bytes]) -> str | None:
    """Text formatted struck out (Word's «Шрифт → зачёркнутый», single or double, in the text
    or in a style): the director's page shows it as any other text, while Word and the
    printed document show it struck out — deleted, to whoever reads it (review15)."""
    for name, part in parts.items():
        if not name.endswith(".xml") or b"strike" not in part:
            continue
        for element in etree.fromstring(part, SAFE_XML).iter(*_STRUCK):
            if element.get(f"{{{W}}}val", "true").lower() not in _OFF:
                return (
                    "В шаблоне есть зачёркнутый текст (Шрифт → «зачёркнутый»): на странице "
                    "директора перед подписью он виден как обычный, а в Word и в напечатанном "
                    "документе — зачёркнутым, то есть удалённым. Снимите зачёркивание (в тексте "
                    "и в стилях) или удалите этот текст."
                )
    return None
