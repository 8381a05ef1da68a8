"""The catalogue of document kinds (DESIGN.md), as data.

Adding a kind means adding a template in ``templates_docx/`` and one entry here, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Subject(StrEnum):
    """What one document is about: one per organization, per person, or per pair."""

    ORGANIZATION = "organization"
    PERSON = "person"
    PAIR = "pair"


@dataclass(frozen=True)
class Kind:
    id: str
    """Identifier, e.g. ``order_pairs``."""
    title: str
    """Russian title as it appears in file names and lists."""
    template: str
    """File name inside ``templates_docx/``."""
    subject: Subject
    signers: tuple[str, ...]
    """Who must sign: ``director``, ``curator``, ``participant``, ``guardian``, ``mentor``,
    ``mentee``."""
    section12: int | None = None
    """Position in the archive set of seed 001 §12, or None."""
    is_order: bool = False
    """Orders take a registration number from the order journal when signed."""
    approved: bool = False
    """Carries the director's «УТВЕРЖДАЮ»: its date is the date the director signs."""
    appendix_of: str | None = None
    """The order this document is an appendix of («Приложение N к приказу от … № …»): it is
    signed with that order or after it and carries its number and date."""
    appendix_number: int | None = None
    """N in «Приложение N»."""
    dated_at_signing: bool = False
    """Its date line is the date of its first electronic signature (the final report: the
    curator signs it, then the director; the contract: the director, before the mentor's pen) —
    no blank date in what a key signs."""


KINDS: tuple[Kind, ...] = (
    Kind(
        "regulation",
        "Положение о наставничестве",
        "regulation.docx",
        Subject.ORGANIZATION,
        ("director",),
        1,
        approved=True,
        appendix_of="order_implementation",
        appendix_number=2,
    ),
    Kind(
        "order_implementation",
        "Приказ о внедрении целевой модели наставничества",
        "order_implementation.docx",
        Subject.ORGANIZATION,
        ("director",),
        2,
        True,
    ),
    Kind(
        "target_model",
        "Программа целевой модели наставничества",
        "target_model.docx",
        Subject.ORGANIZATION,
        ("director",),
        3,
        approved=True,
        appendix_of="order_implementation",
        appendix_number=3,
    ),
    Kind(
        "roadmap",
        "Дорожная карта внедрения системы наставничества",
        "roadmap.docx",
        Subject.ORGANIZATION,
        ("director",),
        4,
        approved=True,
        appendix_of="order_implementation",
        appendix_number=1,
    ),
    Kind(
        "order_coordinators",
        "Приказ о назначении координатора и кураторов",
        "order_coordinators.docx",
        Subject.ORGANIZATION,
        ("director",),
        5,
        True,
    ),
    Kind(
        "order_training",
        "Приказ об организации обучения наставников",
        "order_training.docx",
        Subject.ORGANIZATION,
        ("director",),
        6,
        True,
    ),
    Kind(
        "order_pairs",
        "Приказ об утверждении наставников и наставнических пар",
        "order_pairs.docx",
        Subject.ORGANIZATION,
        ("director",),
        7,
        True,
    ),
    Kind(
        "order_final_event",
        "Приказ о проведении итогового мероприятия",
        "order_final_event.docx",
        Subject.ORGANIZATION,
        ("director",),
        8,
        True,
    ),
    Kind(
        "consent_adult",
        "Согласие на обработку персональных данных",
        "consent_adult.docx",
        Subject.PERSON,
        ("participant",),
    ),
    Kind(
        "consent_guardian",
        "Согласие законного представителя",
        "consent_guardian.docx",
        Subject.PERSON,
        ("guardian",),
    ),
    Kind(
        "consent_dissemination",
        "Согласие на распространение персональных данных",
        "consent_dissemination.docx",
        Subject.PERSON,
        ("participant",),
    ),
    Kind(
        "mentor_consent",
        "Согласие на назначение наставником",
        "mentor_consent.docx",
        Subject.PERSON,
        ("mentor",),
    ),
    Kind(
        "contract_external",
        "Договор о сотрудничестве",
        "contract_external.docx",
        Subject.PERSON,
        ("director", "mentor"),
        dated_at_signing=True,
    ),
    Kind(
        "program",
        "Персонализированная программа наставничества",
        "program.docx",
        Subject.PAIR,
        ("mentor", "mentee", "curator", "director"),
        approved=True,
    ),
    Kind(
        "report_pair",
        "Отчёт наставника",
        "report_pair.docx",
        Subject.PAIR,
        ("mentor", "curator"),
        dated_at_signing=True,
    ),
    Kind(
        "report_final",
        "Итоговый аналитический отчёт",
        "report_final.docx",
        Subject.ORGANIZATION,
        ("curator", "director"),
        dated_at_signing=True,
    ),
)

SIGNER_NAMES: dict[str, str] = {
    "director": "руководитель",
    "curator": "куратор",
    "participant": "участник",
    "guardian": "законный представитель",
    "mentor": "наставник",
    "mentee": "наставляемый",
}
"""Who signs, in Russian, for lists and verdicts."""

BY_ID: dict[str, Kind] = {kind.id: kind for kind in KINDS}
