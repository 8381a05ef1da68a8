"""The end date each pair's programme was approved with: the «Дата окончания» of the pair in
the first signed version of the order approving the pairs that lists it.

A later workbook that moves a pair's end before this date ends the programme early; until the
director signs the order, a changed date is a correction. The order's versions keep the context
they were rendered from (canonical JSON, :mod:`service.documents.canonical`: a date is written
``{"$date": "2024-05-31"}``), so the approved date is read from the signed version itself,
with no column of its own to keep in step.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from service.register.models import Document, Signature

PAIRS_ORDER = "order_pairs"


def approved_ends(session: Session) -> dict[str, date]:
    """«Код пары» (as registered) → the end in the first signed order on pairs that lists it;
    a pair no signed order lists is absent."""
    # the tables' columns: a Core statement (a batch configures no ORM mapper)
    document, signature = Document.__table__.c, Signature.__table__.c
    signed = exists().where(signature.document_id == document.id)
    texts = session.scalars(
        select(document.context)
        .where(document.kind == PAIRS_ORDER, document.context.is_not(None), signed)
        .order_by(document.version)
    )
    ends: dict[str, date] = {}
    for text in texts:
        for pair in json.loads(text).get("pairs", ()):
            end = pair.get("end")
            if isinstance(end, dict) and isinstance(end.get("$date"), str):
                ends.setdefault(str(pair.get("code")), date.fromisoformat(end["$date"]))
    return ends
