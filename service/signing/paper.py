"""Who signs a document on paper: the people of the document itself, by role — the person of a
consent, the guardian of a minor (never the minor), the mentor and the mentee(s) of a pair's
programme. A scan records these names, chosen from this list and never typed, so the register
cannot say that a child signed as his own guardian."""

from __future__ import annotations

import json
from typing import NamedTuple

from sqlalchemy.orm import Session

from service.documents.catalogue import BY_ID, SIGNER_NAMES, Kind, given_by_guardian
from service.documents.context import age_on
from service.documents.gender import is_female
from service.errors import BadInput
from service.intake.normalise import alphabetical
from service.register.labels import ELECTRONIC_ROLES
from service.register.models import Document, DocumentStatus, Pair, Person
from service.register.queries import current_documents, document_by_id
from service.register.succession import superseded_by_later_years, year_of
from service.register.terms import EarlierTerm, earlier_terms


def initial_status(kind: Kind) -> DocumentStatus:
    """Documents someone signs electronically wait for that signature from the start. (Here,
    not in :mod:`service.signing.workflow`, so that processing a workbook loads no signing
    cryptography.)"""
    return (
        DocumentStatus.AWAITING_SIGNATURE
        if ELECTRONIC_ROLES & set(kind.signers)
        else DocumentStatus.GENERATED
    )


def _subject(session: Session, document: Document) -> Person | Pair | None:
    kind, _, ident = document.subject_key.partition(":")
    if not ident.isdigit():
        return None
    model = {"person": Person, "pair": Pair}.get(kind)
    return session.get(model, int(ident)) if model else None


def through_guardian(document: Document, role: str) -> bool:
    """Whether the participant of ``document`` gives it through his guardian: a minor's
    consent to dissemination is written in the guardian's name (its context names him) and
    signed by him, not by the child."""
    if role != "participant" or document.context is None:
        return False
    return given_by_guardian(json.loads(document.context))


def signs_as(document: Document, role: str) -> str:
    """Who signs ``document`` on paper as ``role``, in Russian: «законный представитель» for
    the participant of a minor's consent given by his guardian."""
    return role_name("guardian" if through_guardian(document, role) else role)


def signed_as(document: Document, role: str, signer_name: str) -> str:
    """The role of a recorded signature in Russian: the guardian's paper signature of a
    minor's consent to dissemination (role «participant», signed in the guardian's name) is
    «законный представитель», not «участник». The context is read only for a participant's
    signature under another name than the document's own."""
    if role == "participant" and signer_name != document.subject_label:
        return signs_as(document, role)
    return agreed(role_name(role), signer_name)


AMONG: dict[str, str] = {
    "наставляемый": "наставляемых",
    "законный представитель": "законных представителей",
}
"""A role in Russian as «кто из …» asks it of several people (genitive plural), for the roles
whose people are ticked one by one (:data:`EVERY_ONE`, :data:`BESIDE_MINOR`)."""


PLURAL: dict[str, str] = {
    "наставляемый": "наставляемые",
    "законный представитель": "законные представители",
}
"""The same roles before a list of several people."""


def who_signed(document: Document, role: str, names: list[str]) -> str:
    """The question the scan form asks for ``role``: «Кто подписал как наставляемая» when the
    one expected is a girl (as :func:`signed_as` and the documents agree it), «Кто из
    наставляемых подписал» when several may have (a group's mentees, of either sex)."""
    said = signs_as(document, role)
    if len(names) > 1 and said in AMONG:
        return f"Кто из {AMONG[said]} подписал"
    return f"Кто подписал как {agreed(said, names[0]) if names else said}"


def expected_as(document: Document, role: str, names: list[str]) -> str:
    """``role`` in Russian before the list of ``names`` who sign as it: agreeing with the one
    person, plural («наставляемые») for several."""
    said = signs_as(document, role)
    if len(names) > 1:
        return PLURAL.get(said, said)
    return agreed(said, names[0]) if names else said


def agreed(role: str, signer_name: str) -> str:
    """A role in Russian agreeing with the signer: «наставляемая» of a woman or a girl (the
    ФИО tells, as the documents decide; play10: «Ершова Полина Артёмовна (наставляемый)»)."""
    return "наставляемая" if role == "наставляемый" and is_female(signer_name) else role


def _people(subject: Person | Pair | None, role: str) -> list[Person]:
    if isinstance(subject, Pair):
        if role == "mentor":
            return [subject.mentor]
        if role in ("mentee", "participant"):
            return list(subject.mentees)
        return []
    if isinstance(subject, Person):
        if role == "guardian":
            return [subject.guardian] if subject.guardian is not None else []
        return [subject]
    return []


def _term_of(session: Session, document: Document, subject: object) -> EarlierTerm | None:
    """The earlier term of the pair ``subject`` that ``document`` was made for: a document
    of last year (its context's school year) of a pair continued this year under its code is
    signed on paper by that term's people, not by the present term's."""
    if not isinstance(subject, Pair):
        return None
    year = year_of(document)
    terms = [t for t in earlier_terms(session, subject.id) if t.school_year == year]
    return terms[-1] if year and terms else None


def _names(session: Session, document: Document, subject: object, role: str) -> list[str]:
    """Who may sign ``document`` on paper as ``role``, by ФИО."""
    term = _term_of(session, document, subject)
    if isinstance(subject, Person) and through_guardian(document, role):
        role = "guardian"
    if term is None:
        return [p.full_name for p in _people(subject, role) if p is not None]
    if role == "mentor":
        return [term.mentor]
    return list(term.mentees) if role in ("mentee", "participant") else []


EVERY_ONE = frozenset({"mentee"})
"""Roles of a pair's document that every one of its people signs: each mentee of a group's
programme has his own line on the paper, and the scan records each who signed it."""

BESIDE_MINOR = "guardian"
"""The role of a minor mentee's guardian who signs the paper programme beside his child (as
a minor's consents are the guardian's): recorded when he signed, never required."""


def _signed_names(document: Document, role: str) -> set[str]:
    return {s.signer_name for s in document.signatures if s.role == role}


def _guardians(session: Session, document: Document, subject: object) -> list[str]:
    """The guardians of the minor mentees (on the pair's start) of a pair's programme; none
    for a programme of an earlier term (the register keeps only its people's names)."""
    if not isinstance(subject, Pair) or "mentee" not in BY_ID[document.kind].signers:
        return []
    if _term_of(session, document, subject) is not None:
        return []
    return [
        m.guardian.full_name
        for m in subject.mentees
        if m.guardian is not None
        and m.birth_date is not None
        and age_on(m.birth_date, subject.start) < 18
    ]


def paper_candidates(session: Session, document: Document) -> dict[str, list[str]]:
    """For each role of the document's kind that signs on paper and has not signed yet, the
    ФИО of the people who may sign as that role, the expected one first (empty list: the
    register does not know him — e.g. a minor without a guardian). A role every one of
    whose people signs (:data:`EVERY_ONE`) lists those who have not signed yet; a group's
    programme also lists the guardians of its minor mentees (:data:`BESIDE_MINOR`)."""
    kind = BY_ID[document.kind]
    signed = {s.role for s in document.signatures}
    subject = _subject(session, document)
    found: dict[str, list[str]] = {}
    for role in kind.signers:
        if role in ELECTRONIC_ROLES:
            continue
        names = list(dict.fromkeys(_names(session, document, subject, role)))
        if role in EVERY_ONE and isinstance(subject, Pair):
            done = _signed_names(document, role)
            names = [n for n in names if n not in done]
            if names or role not in signed:
                found[role] = names
        elif role not in signed:
            found[role] = names
    done = _signed_names(document, BESIDE_MINOR)
    guardians = [n for n in dict.fromkeys(_guardians(session, document, subject)) if n not in done]
    if guardians:
        found[BESIDE_MINOR] = guardians
    return found


def unsigned_paper(session: Session, document: Document) -> list[str]:
    """The paper roles, sorted, whose required signatures the document still lacks: a role
    not signed yet, or one of :data:`EVERY_ONE` some of whose people have not signed."""
    required = BY_ID[document.kind].signers
    return sorted(r for r in paper_candidates(session, document) if r in required)


def roles_of(session: Session, document_id: int, name: str) -> dict[str, str]:
    """The paper roles of the document that ``name`` may sign as (role → ``name``): a scan
    named only by its signer. Refused when he is none of the document's people."""
    document = document_by_id(session, document_id)
    candidates = paper_candidates(session, document)
    found = {role: name for role, names in candidates.items() if name in names}
    if not found:
        known = sorted({n for names in candidates.values() for n in names}, key=alphabetical)
        raise BadInput(
            f"«{name}» не подписывает этот документ на бумаге"
            + (f": выберите из: {', '.join(known)}." if known else ".")
        )
    return found


def role_name(role: str) -> str:
    return SIGNER_NAMES.get(role, role)


class Awaiting(NamedTuple):
    """A document on the secretary's list of scans to attach."""

    document: Document
    roles: list[str]
    """Who has yet to sign it on paper, in Russian (by role, sorted): :func:`signs_as`, the
    mentees agreeing with who they are (:func:`_listed_as`)."""
    year: str | None
    """The school year it is of (its context's), None for a version made before contexts."""
    last_year: bool
    """Last year's version, superseded by this year's, whose paper may still be scanned."""
    in_force: str | None = None
    """For ``last_year``: the school year of the version that replaced it."""

    @property
    def replaced(self) -> str:
        """«прошлого года; действует документ нового года» beside a ``last_year`` version's
        year, or, for one two or more years older than the version in force, «прежнего
        учебного года; действует документ 2025–2026 учебного года»."""
        if not self.last_year:
            return ""
        if self.year and self.in_force and int(self.in_force[:4]) - int(self.year[:4]) > 1:
            return f"прежнего учебного года; действует документ {self.in_force} учебного года"
        return "прошлого года; действует документ нового года"


def _listed_as(session: Session, document: Document, role: str) -> str:
    """``role`` in the list of scans: agreeing with the mentees who have yet to sign a pair's
    document («наставляемая» of a girl, «наставляемые» of several), as the scan form asks."""
    if role not in EVERY_ONE:
        return signs_as(document, role)
    done = _signed_names(document, role)
    names = _names(session, document, _subject(session, document), role)
    return expected_as(document, role, [n for n in dict.fromkeys(names) if n not in done])


def awaiting_paper(session: Session) -> list[Awaiting]:
    """The documents still missing a paper signature, by id — the secretary's list of scans
    to attach: the current ones (neither returned nor superseded) and last year's versions
    superseded by this year's (:func:`~service.register.succession.superseded_by_later_year`),
    which take last year's paper."""
    paper_kinds = {k.id for k in BY_ID.values() if set(k.signers) - ELECTRONIC_ROLES}
    latest = current_documents(session)
    in_force = {(d.kind, d.subject_key): year_of(d) for d in latest}
    current = [
        d for d in latest if d.status not in (DocumentStatus.RETURNED, DocumentStatus.SUPERSEDED)
    ]
    last_year = superseded_by_later_years(session, paper_kinds)
    last_ids = {d.id for d in last_year}
    found = []
    for document in sorted([*current, *last_year], key=lambda d: d.id):
        signed = {s.role for s in document.signatures}
        missing = set(BY_ID[document.kind].signers) - ELECTRONIC_ROLES - signed
        if signed & EVERY_ONE:  # one mentee of a group signed: the others may not have yet
            missing = set(unsigned_paper(session, document))
        if missing:
            found.append(
                Awaiting(
                    document,
                    [_listed_as(session, document, r) for r in sorted(missing)],
                    year_of(document),
                    document.id in last_ids,
                    in_force.get((document.kind, document.subject_key)),
                )
            )
    return found
