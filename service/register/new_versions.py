"""A batch's new document versions, written as rows with SQLAlchemy Core.

A batch makes hundreds of versions and needs none of them as ORM objects: the unit of work
spent about 0.1 ms on each (its state, its flush, expiring its context), an ``executemany``
of plain rows about a fiftieth of that. :class:`NewVersion` carries one row and answers what
the batch asks of a latest version (:func:`~service.versions.generate_all` compares a document
planned twice with the version it has just made)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from service.register.ids import first_new_id
from service.register.models import Document, DocumentStatus

_DOCUMENT = Document.__table__


def _column(name: str) -> property:
    """A read-only attribute answering the row's ``name`` (what a :class:`Document` would)."""
    return property(lambda self: self.row[name])


class NewVersion:
    """One version this batch made: its ``document`` row, its id once written."""

    has_signatures = False
    """A version just made has no signatures."""
    context_missing = False
    """It is made from a context, which is kept with it."""

    def __init__(self, row: dict[str, Any]):
        self.row = row
        self.id: int | None = None

    version = _column("version")
    status = _column("status")
    sha256 = _column("sha256")
    context_sha256 = _column("context_sha256")
    template_sha256 = _column("template_sha256")


def insert_versions(session: Session, versions: list[NewVersion]) -> None:
    """Write ``versions`` in their order in one ``executemany``, with the ids one ``INSERT``
    each would have given them (on SQLite numbered beforehand,
    :func:`~service.register.ids.first_new_id`; elsewhere returned in the rows' order), and
    let go of their contexts (a batch of 15,000 documents would hold them all, ~100 MB)."""
    if not versions:
        return
    rows = [version.row for version in versions]
    first = first_new_id(session, Document)
    if first is not None:
        for number, row in enumerate(rows, first):
            row["id"] = number
        session.execute(insert(_DOCUMENT), rows)
    else:
        returned = session.execute(
            insert(_DOCUMENT).returning(_DOCUMENT.c.id, sort_by_parameter_order=True), rows
        )
        for row, (number,) in zip(rows, returned, strict=True):
            row["id"] = number
    for version in versions:
        version.id = version.row.pop("id")
        del version.row["context"]


def supersede(session: Session, version: NewVersion) -> None:
    """Mark a version this batch made as superseded (a document planned twice): in its row
    when not written yet, else by an ``UPDATE``."""
    version.row["status"] = DocumentStatus.SUPERSEDED
    if version.id is not None:
        session.execute(
            update(_DOCUMENT)
            .where(_DOCUMENT.c.id == version.id)
            .values(status=DocumentStatus.SUPERSEDED)
        )
