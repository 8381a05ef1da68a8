"""A document of a school year already over, which signing would date today.

Orders take their number and date from the order journal when the director signs, and the
«УТВЕРЖДАЮ» of approved documents, the final report, a mentor's report and the contract the
day of the first electronic signature (docs/documents.md). A document of last year still in
the queue in December (its year's order on the final event, a late «Итоги»'s report) is
dated that December day: a date is never given back to a document (ГОСТ Р 7.0.97: the date
of a document is the day it is signed). The director reads so before he signs
(:func:`past_year_warning`); what the office does: docs/documents.md, «A document of a past
school year».
"""

from __future__ import annotations

import json
from datetime import date

from service.documents import russian
from service.documents.catalogue import BY_ID
from service.documents.context import school_year_bounds
from service.register.models import Document
from service.signing.workflow import signed_roles


def dated_at_signing(document: Document) -> bool:
    """Whether the next electronic signature gives ``document`` its date (and an order its
    number), as :func:`service.signing.workflow.sign_documents` does."""
    kind = BY_ID.get(document.kind)
    if kind is None:
        return False
    if kind.is_order:
        return not document.signatures
    if kind.approved and "director" in kind.signers:
        return "director" not in signed_roles(document)
    return kind.dated_at_signing and not any(s.method == "cms" for s in document.signatures)


def school_year_of(document: Document) -> str | None:
    """The school year ``document`` was made for («2023–2024»), from its kept context."""
    if not document.context:
        return None
    year = json.loads(document.context).get("org", {}).get("school_year")
    return year if isinstance(year, str) and year[:4].isdigit() else None


def past_year_warning(document: Document, today: date) -> str | None:
    """The warning for a document of a school year over before ``today`` that signing now
    would date ``today``; None for any other."""
    year = school_year_of(document)
    if year is None or not dated_at_signing(document):
        return None
    end = school_year_bounds(year)[1]
    if end >= today:
        return None
    day = russian.format_date(today)
    if BY_ID[document.kind].is_order:
        dated = f"сегодняшнюю дату — {day} — и очередной номер журнала приказов"
    else:
        dated = f"сегодняшнюю дату — {day}"
    return (
        f"Это документ {year} учебного года (он закончился {russian.format_date(end)}). "
        f"Подписанный сейчас, он получит {dated}: задним числом документ не датируется. Если "
        "он был подписан на бумаге в своё время, не подписывайте его, а верните с "
        "комментарием о бумажном подлиннике."
    )
