"""Retention periods (the school's номенклатура дел) and what may be destroyed.

Orders on core activity, the Положение and the other programme documents are kept
``retention_years`` (5) from 1 January of the year after the document's; consents and contracts
of participants ``retention_consent_years`` (3) from 1 January of the year after the
participant's programme ends. Destroying is an act (:mod:`service.archive.destruction`), never
a silent delete.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from service.config import Settings
from service.register.archive import pair_ends_of_person
from service.register.models import Document

PARTICIPANT_KINDS = frozenset(
    {
        "consent_adult",
        "consent_guardian",
        "consent_dissemination",
        "mentor_consent",
        "contract_external",
    }
)
"""Kinds kept for a period after the participant's programme ends."""


def document_date(document: Document) -> date:
    """The date a document is known by: its registration date, else its last signature's,
    else the day it was made."""
    if document.reg_date:
        return document.reg_date
    if document.signatures:
        return max(s.signed_at for s in document.signatures).date()
    return document.created_at.date()


def programme_end(session: Session, document: Document) -> date | None:
    """The last day of the programmes of the person a participant's document is about."""
    kind, _, raw_id = document.subject_key.partition(":")
    if kind != "person" or not raw_id.isdigit():
        return None
    ends = pair_ends_of_person(session, int(raw_id))
    return max(ends) if ends else None


def retain_until(session: Session, settings: Settings, document: Document) -> date:
    """The first day the document may be destroyed."""
    if document.kind in PARTICIPANT_KINDS:
        base = programme_end(session, document) or document_date(document)
        years = settings.retention_consent_years
    else:
        base = document_date(document)
        years = settings.retention_years
    return date(base.year + 1 + years, 1, 1)


def retention_text(document_kind: str, settings: Settings) -> str:
    """The period in words, for the act and the sheets."""
    if document_kind in PARTICIPANT_KINDS:
        return f"{settings.retention_consent_years} г. после окончания программы"
    return f"{settings.retention_years} лет"
