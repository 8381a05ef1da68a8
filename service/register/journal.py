"""The order journal (журнал регистрации приказов): the next registration number of the year,
taken when the director signs an order. Numbers restart each calendar year; the format is a
setting (default ``{n}/{yy}``, as «93/24» in seed 001). The journal's questions (an order's
entry, the entries with a number) are here too."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from service.register.models import Document, JournalEntry

DEFAULT_FORMAT = "{n}/{yy}"


def format_number(sequence: int, day: date, pattern: str = DEFAULT_FORMAT) -> str:
    """``{n}`` sequence, ``{yy}``/``{yyyy}`` year, ``{mm}`` month: «93/24»."""
    return pattern.format(
        n=sequence, yy=f"{day.year % 100:02d}", yyyy=day.year, mm=f"{day.month:02d}"
    )


def register_order(
    session: Session, document: Document, title: str, day: date, pattern: str = DEFAULT_FORMAT
) -> JournalEntry:
    """Take the next number of ``day``'s year for ``document`` (once: a second call returns
    the entry already taken)."""
    existing = entry_of(session, document.id)
    if existing is not None:
        return existing
    last = (
        session.scalar(select(func.max(JournalEntry.sequence)).where(JournalEntry.year == day.year))
        or 0
    )
    entry = JournalEntry(
        year=day.year,
        sequence=last + 1,
        date=day,
        document_id=document.id,
        number=format_number(last + 1, day, pattern),
        title=title,
    )
    session.add(entry)
    session.flush()
    return entry


def entry_of(session: Session, document_id: int) -> JournalEntry | None:
    """The journal entry of an order, if it has its number."""
    return session.scalars(
        select(JournalEntry).where(JournalEntry.document_id == document_id)
    ).first()


def entries_numbered(session: Session, number: str) -> list[JournalEntry]:
    """Every entry that carries ``number`` (one, unless the journal was tampered with)."""
    return list(session.scalars(select(JournalEntry).where(JournalEntry.number == number)))


def journal_entries(session: Session) -> list[JournalEntry]:
    """The whole journal, in the order the numbers were taken."""
    return list(session.scalars(select(JournalEntry).order_by(JournalEntry.id)))


def last_signed_order(session: Session, kind: str, subject_key: str) -> Row | None:
    """The number, date and stored context of the newest version of the order ``kind`` about
    ``subject_key`` that the director signed (it has its number and date from the journal),
    or None. A Core statement: a batch configures no ORM mapper."""
    document = Document.__table__.c
    return session.execute(
        select(document.number, document.reg_date, document.context)
        .where(
            document.kind == kind,
            document.subject_key == subject_key,
            document.number.is_not(None),
            document.reg_date.is_not(None),
        )
        .order_by(document.version.desc())
        .limit(1)
    ).first()
