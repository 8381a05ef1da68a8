"""The section-12 completeness sheet (seed 001 §12): for each of the eight documents of the
archive set, whether it exists, whether it is signed, by whom, when, and its number."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from service.documents.catalogue import KINDS, Kind
from service.register.archive import archived_years, live_versions_of_kind
from service.register.models import Document, DocumentStatus
from service.register.queries import current_documents
from service.register.school import the_school
from service.register.succession import year_of

SECTION12_KINDS: tuple[Kind, ...] = tuple(
    sorted((k for k in KINDS if k.section12), key=lambda k: k.section12 or 0)
)


@dataclass(frozen=True)
class SignatureLine:
    name: str
    role: str
    method: str
    signed_at: datetime


@dataclass
class Section12Row:
    position: int
    kind: Kind
    document: Document | None = None
    signatures: list[SignatureLine] = field(default_factory=list)
    pending: Document | None = None
    """This year's newer version awaiting signature while :attr:`document`, signed, stands."""

    @property
    def present(self) -> bool:
        return self.document is not None

    @property
    def signed(self) -> bool:
        return self.document is not None and self.document.status in (
            DocumentStatus.SIGNED,
            DocumentStatus.ARCHIVED,
        )

    @property
    def number(self) -> str | None:
        return self.document.number if self.document else None

    @property
    def reg_date(self) -> date | None:
        return self.document.reg_date if self.document else None


def section12_documents(session: Session, year: str | None = None) -> list[Document]:
    """The version of each section-12 document of ``year`` (default: the register's) that
    exists, in §12 order."""
    return [row.document for row in completeness(session, year) if row.document is not None]


def current_year(session: Session) -> str | None:
    """The register's school year (None before the school is known)."""
    org = the_school(session)
    return org.school_year if org else None


def completeness(session: Session, year: str | None = None) -> list[Section12Row]:
    """One row per document of the section-12 set of ``year`` (default: the register's
    school year), in its order. This year's: the latest version of each kind — a kind whose
    latest version is of an earlier year (last year's training order before this year's
    training) is missing from it — or, while that one awaits signature, the year's latest
    signed version (the newer one in :attr:`Section12Row.pending`). An earlier year's: the
    latest signed (else the latest) version of each kind made for that year."""
    now = current_year(session)
    year = year or now
    if year == now:
        current = {
            d.kind: d
            for d in current_documents(session, {"organization"})
            if d.kind in _IDS and of_year(d, year)
        }
    else:
        current = {
            kind.id: document
            for kind in SECTION12_KINDS
            if (document := signed_or_latest(session, kind.id, year)) is not None
        }
    rows = []
    for kind in SECTION12_KINDS:
        document = current.get(kind.id)
        pending = None
        if document is not None and document.status not in _DONE:
            # a new version awaits the director: the signed one of the year stands till then
            # (play12: a roadmap signed, then made again with the training's months, was
            # «нет (ожидает подписи)» with no .p7s, and the §12 pack held the draft)
            signed = signed_or_latest(session, kind.id, year)
            if signed is not None and signed.status in _DONE:
                document, pending = signed, document
        row = Section12Row(kind.section12 or 0, kind, document, pending=pending)
        if document is not None:
            row.signatures = [
                SignatureLine(s.signer_name, s.role, s.method, s.signed_at)
                for s in document.signatures
            ]
        rows.append(row)
    return rows


_IDS = {k.id for k in SECTION12_KINDS}
_DONE = (DocumentStatus.SIGNED, DocumentStatus.ARCHIVED)


def signed_or_latest(session: Session, kind_id: str, year: str | None) -> Document | None:
    """The version of ``kind_id`` that stands for ``year`` (:func:`of_year`): its latest signed
    or archived one, else its latest (being signed) — last year's signed order is not this
    year's. The inspector's page and ``nastavnik archive status`` of a year alike."""
    found = [d for d in live_versions_of_kind(session, kind_id) if of_year(d, year)]
    done = [d for d in found if d.status in (DocumentStatus.SIGNED, DocumentStatus.ARCHIVED)]
    return (done or found or [None])[0]


def of_year(document: Document, year: str | None) -> bool:
    """Whether ``document`` belongs to the school year ``year`` (:func:`year_of`). A version
    that tells no year, or a register with no year, tells nothing: it counts."""
    own = year_of(document)
    return year is None or own is None or own == year


def section12_years(session: Session) -> list[str]:
    """The school years with a section-12 set to show: those of the archive, of the §12
    documents in the register, and the register's own year, in order."""
    years = set(archived_years(session))
    for kind in SECTION12_KINDS:
        years |= {y for d in live_versions_of_kind(session, kind.id) if (y := year_of(d))}
    now = current_year(session)
    return sorted(years | ({now} if now else set()))
