"""The registration number an order carries in its own signed text, and how it agrees with
the journal of orders: what verification lists about an order of the register (the number as
signed, not as a row says — a row can be edited, the signed bytes cannot)."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from service.documents.russian import MONTHS_GENITIVE
from service.documents.text import text_lines
from service.register.journal import entries_numbered
from service.register.models import Document


def signed_order_number(data: bytes) -> tuple[str, str] | None:
    """(number, date as written) from an order's own text — the signed bytes — or None when
    the order carries no number yet."""
    try:
        lines = text_lines(data)
    except Exception:  # not a DOCX at all: nothing to read (the signatures say the rest)
        return None
    for line in lines[lines.index("ПРИКАЗ") + 1 :] if "ПРИКАЗ" in lines else []:
        match = _NUMBER_LINE.search(line)
        if match:
            number = match.group("number").strip()
            if not number or set(number) <= {"_"}:
                return None
            return number, match.group("date").strip(" |")
    return None


_MONTHS = MONTHS_GENITIVE
"""«января» … «декабря», as dates are written in documents (the renderer's own list)."""


def _written_date(text: str) -> date | None:
    """«30 ноября 2026 г.» (or «30.11.2026») as a date; None when it is not one."""
    words = re.search(r"(\d{1,2})\D{0,3}?\s*([а-я]+)\s+(\d{4})", text)
    try:
        if words and words.group(2) in _MONTHS:
            return date(int(words.group(3)), _MONTHS.index(words.group(2)) + 1, int(words.group(1)))
        digits = re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        if digits:
            return date(int(digits.group(3)), int(digits.group(2)), int(digits.group(1)))
    except ValueError:
        return None
    return None


_NUMBER_LINE = re.compile(r"^(?P<date>.*?)\s*\|?\s*№\s*(?P<number>\S+)\s*$")


def order_number_lines(session: Session, document: Document, data: bytes) -> list[str]:
    """The order's number as its signed text has it, and where the journal disagrees."""
    found = signed_order_number(data)
    if found is None:
        return ["регистрационного номера в тексте нет"]
    number, written = found
    day = _written_date(written)
    lines = [f"регистрационный номер {number} от {f'{day:%d.%m.%Y}' if day else written}"]
    entries = entries_numbered(session, number)
    own = [e for e in entries if e.document_id == document.id]
    others = [e.document_id for e in entries if e.document_id != document.id]
    if not own:
        lines.append("ВНИМАНИЕ: в журнале приказов этот номер записан не за этим документом")
    if others:
        lines.append(
            "ВНИМАНИЕ: этот номер в журнале приказов записан и за другим документом "
            f"(№ {', '.join(map(str, others))})"
        )
    return lines
