"""New documents numbered before they are written, as SQLite would number them.

SQLAlchemy writes rows whose ids the database gives one ``INSERT … RETURNING`` at a time on
SQLite: SQLite does not say in which order a multi-row insert returned its ids, and the ORM
must pair each id with its object. A batch of a few hundred documents spent a statement on
each. Given their ids beforehand — the largest id plus one, plus two…, which is what SQLite
gives a table without ``AUTOINCREMENT`` (the register's) — they go in one ``executemany``.
The write lock is taken first, so no other writer can add a document in between. Other
databases keep their own counters (PostgreSQL's sequences): there nothing is given.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import false, func, select, update
from sqlalchemy.orm import Session

from service.register.models import Document


def number_new_documents(session: Session, documents: Sequence[Document]) -> None:
    """Give ``documents`` (new, not yet added) the ids SQLite would give them, in order."""
    if not documents or session.get_bind().dialect.name != "sqlite":
        return
    # SQLite takes its write lock at the first write statement, even one that changes no row
    session.execute(update(Document).where(false()).values(kind=Document.kind))
    last = session.scalar(select(func.max(Document.id))) or 0
    for number, document in enumerate(documents, last + 1):
        document.id = number
