"""The archive's tables: an archived document version with everything that proves it, and the
act of destruction of documents whose retention has ended (:mod:`service.archive`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.register.models import Base, Document


class ArchiveItem(Base):
    """One archived document version: everything that proves it, stored read-only by hash in
    ``var/archive/`` (see :mod:`service.archive.store`)."""

    __tablename__ = "archive_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), unique=True)
    school_year: Mapped[str] = mapped_column(String(20), index=True)
    """The school year the document belongs to («2023–2024»)."""
    archived_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    files: Mapped[list] = mapped_column(JSON, default=list)
    """``[{"role": "docx"|"signature"|"scan"|"pdf"|"proof", "sha256": …, "signature_id": …}]``."""
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    """The PDF/A rendition (with the PAdES mark of every electronic signature)."""
    pages: Mapped[int] = mapped_column(Integer, default=0)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id"))
    """The ``document_archived`` ledger entry."""
    retain_until: Mapped[date | None] = mapped_column(Date)
    """The first day the document may be destroyed; None keeps it for ever."""
    destroyed_at: Mapped[datetime | None] = mapped_column(DateTime)
    act_id: Mapped[int | None] = mapped_column(ForeignKey("destruction_act.id"))

    document: Mapped[Document] = relationship()


class DestructionAct(Base):
    """«Акт о выделении к уничтожению документов, не подлежащих хранению»: the generated
    DOCX and the signature of the official who approved it."""

    __tablename__ = "destruction_act"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(50))
    made_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    signature_sha256: Mapped[str | None] = mapped_column(String(64))
    documents: Mapped[list] = mapped_column(JSON, default=list)
    """``[{"document": id, "kind": …, "title": …, "sha256": …}]``."""
