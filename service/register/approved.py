"""What the director's signed orders on pairs approved of each pair's present term: the
end its programme was approved with — the latest «Дата окончания» of the pair in a signed
version of the order approving the pairs that lists it (the first, or an extension's) — and
whether it was approved as a group (two mentees or more: seed 000, «наставничество в группе …
от двух и более человек»).

A later workbook that moves a pair's end before this date ends the programme early; until the
director signs the order, a changed date is a correction, and a mentee taken out of a group a
correction too: a group approved as one stays one of the year's groups when a member leaves.
A pair continued next year under its code (a new term) is judged by the orders of its new
term only: an order listing it with an end before the term's start is last year's.
The order's versions keep the context they were rendered from (canonical JSON,
:mod:`service.documents.canonical`: a date is written ``{"$date": "2024-05-31"}``), so the
approved values are read from the signed versions themselves, with no column of their own to
keep in step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from service.register.labels import NOT_DUE_EVENT
from service.register.models import Document, DocumentStatus, Event, Pair, Signature

PAIRS_ORDER = "order_pairs"


@dataclass
class Approved:
    """What the signed orders on pairs approved of the present terms of the pairs."""

    ends: dict[str, date] = field(default_factory=dict)
    """«Код пары» → the latest end a signed order listing its present term gives it."""
    groups: set[str] = field(default_factory=set)
    """The codes of the pairs a signed order listed, in their present term, as groups."""
    listed: dict[str, set[str]] = field(default_factory=dict)
    """«Код пары» → the school years whose orders on pairs (any version, signed or not) list
    its present term: a term that runs into the next school year is that year's only when no
    order of the year it began in listed it (:mod:`service.documents.planning`)."""
    year_contexts: dict[str, str] = field(default_factory=dict)
    """School year → the context (canonical JSON) of the latest order on pairs of that year:
    the school, its director and figures as that year's documents printed them."""
    listed_since: dict[str, date] = field(default_factory=dict)
    """«Код пары» → the day the first order on pairs listing its present term was made: the
    register kept the term from then on (a term first listed after its end was entered late,
    :meth:`~service.documents.final_report_due.FinalReportDue.final_report_due`)."""


def approved_pairs(session: Session) -> Approved:
    """What the signed orders on pairs approved; a pair no signed order lists in its present
    term is in neither."""
    # the tables' columns: a Core statement (a batch configures no ORM mapper)
    document, signature = Document.__table__.c, Signature.__table__.c
    pair = Pair.__table__.c
    starts = {row.code: row.start for row in session.execute(select(pair.code, pair.start))}
    signed = exists().where(signature.document_id == document.id)
    versions = session.execute(
        select(document.context, document.created_at, signed.label("signed"))
        .where(document.kind == PAIRS_ORDER, document.context.is_not(None))
        .order_by(document.version)
    )
    approved = Approved()
    for text, made, is_signed in versions:
        context = json.loads(text)
        year = context.get("org", {}).get("school_year")
        if year:
            approved.year_contexts[year] = text
        for listed in context.get("pairs", ()):
            code, end = str(listed.get("code")), _date(listed.get("end"))
            start = starts.get(code)
            if end is None or start is None or end < start:  # unknown, or an earlier term
                continue
            if year:
                approved.listed.setdefault(code, set()).add(year)
            since = approved.listed_since.get(code)
            if made is not None and (since is None or made.date() < since):
                approved.listed_since[code] = made.date()
            if not is_signed:
                continue
            # an extension the director signed moves it later; an end moved earlier does not
            # (an early end leaves the signed order standing: nothing re-approves it shorter)
            approved.ends[code] = max(end, approved.ends.get(code, end))
            if len(listed.get("mentees") or ()) > 1:
                approved.groups.add(code)
    return approved


def approved_ends(session: Session) -> dict[str, date]:
    """«Код пары» (as registered) → the latest end a signed order on pairs that lists its
    present term gives it; a pair no signed order lists is absent."""
    return approved_pairs(session).ends


def _date(value: object) -> date | None:
    if isinstance(value, dict) and isinstance(value.get("$date"), str):
        return date.fromisoformat(value["$date"])
    return None


def consented_ends(session: Session, mentor_ids: set[int]) -> dict[tuple[int, str], date]:
    """(a mentor's id, «Код пары») → the end her consent to be appointed (``mentor_consent``)
    printed for that pair: the term she consented to — her latest signed consent's (a scan of
    her paper signature), else her latest consent's."""
    if not mentor_ids:
        return {}
    document = Document.__table__.c
    keys = {f"person:{i}": i for i in mentor_ids}
    rows = session.execute(
        select(document.subject_key, document.status, document.context)
        .where(
            document.kind == "mentor_consent",
            document.subject_key.in_(sorted(keys)),
            document.context.is_not(None),
        )
        .order_by(document.version)
    )
    latest: dict[str, str] = {}
    signed: dict[str, str] = {}
    for key, status, text in rows:  # the last version of each wins
        latest[key] = text
        if status in (DocumentStatus.SIGNED, DocumentStatus.ARCHIVED):
            signed[key] = text
    ends: dict[tuple[int, str], date] = {}
    for key, text in {**latest, **signed}.items():
        for listed in json.loads(text).get("pairs", ()):
            if (end := _date(listed.get("end"))) is not None:
                ends[(keys[key], str(listed.get("code")))] = end
    return ends


FINAL_REPORT = "report_final"


def final_report_context(session: Session) -> str | None:
    """The context (canonical JSON) of the final report's latest version, passing over the
    drafts withdrawn as no longer due (:data:`~service.register.labels.NOT_DUE_EVENT`: never
    in force); None before there is one."""
    document, event = Document.__table__.c, Event.__table__.c
    withdrawn = exists().where(event.kind == NOT_DUE_EVENT, event.document_id == document.id)
    return session.scalars(
        select(document.context)
        .where(document.kind == FINAL_REPORT, document.context.is_not(None), ~withdrawn)
        .order_by(document.version.desc())
        .limit(1)
    ).first()


def final_report_year(session: Session) -> str | None:
    """The school year of the final report in force (its latest version's)."""
    text = final_report_context(session)
    return json.loads(text).get("org", {}).get("school_year") if text else None


def signed_event_order_context(session: Session) -> str | None:
    """The context (canonical JSON) of the newest version of the order on the final event
    that the director signed (or archived), or None: what the signed order counted
    (:func:`service.documents.kinds.organization._plan_order_final_event`)."""
    return _newest_signed_context(session, "order_final_event")


def signed_pairs_order_context(session: Session) -> str | None:
    """The context (canonical JSON) of the newest signed (or archived) version of the order
    on pairs, or None: the pairs it approved stand after an early end
    (:mod:`service.documents.pairs_order`)."""
    return _newest_signed_context(session, PAIRS_ORDER)


def _newest_signed_context(session: Session, kind: str) -> str | None:
    document = Document.__table__.c
    return session.scalars(
        select(document.context)
        .where(
            document.kind == kind,
            document.status.in_((DocumentStatus.SIGNED, DocumentStatus.ARCHIVED)),
            document.context.is_not(None),
        )
        .order_by(document.version.desc())
        .limit(1)
    ).first()


def signed_programme_contexts(session: Session) -> dict[str, str]:
    """Subject («pair:7») → the context (canonical JSON) of its programme's current version (the
    newest not superseded) when that version is signed or archived: what a pair that ended
    keeps (:meth:`service.documents.planning.Register.program_context`)."""
    document = Document.__table__.c
    current: dict[str, tuple[int, str, str | None]] = {}
    for subject, version, status, context in session.execute(
        select(document.subject_key, document.version, document.status, document.context).where(
            document.kind == "program", document.status != DocumentStatus.SUPERSEDED
        )
    ):
        if subject not in current or current[subject][0] < version:
            current[subject] = (version, status, context)
    signed = (DocumentStatus.SIGNED, DocumentStatus.ARCHIVED)
    return {
        subject: context
        for subject, (_version, status, context) in current.items()
        if status in signed and context
    }
