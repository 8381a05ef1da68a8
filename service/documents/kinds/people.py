"""Kinds with one document per participant: the consents and the external mentor's
contract. A participant's context is decided on the start of his first programme (else on
1 September): a minor's consents are given by the guardian."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from service.documents.kind import Kind, Subject, Variables

if TYPE_CHECKING:  # listing the catalogue does not load the register
    from service.register import models as m

MENTOR = "mentor"
"""The register's role of a mentor (``Role.MENTOR``)."""

TEACHER_CATEGORIES = frozenset({"педагог"})


def _role(person: m.Person) -> str:
    return "наставник" if person.role == MENTOR else "наставляемый"


def _plan_consent_adult(register: Any, person: m.Person) -> Variables | None:
    context = register.person_context(person)
    if context["is_minor"]:
        return None
    return {"person": context, "role": _role(person)}


def _sample_consent_adult(samples: Any) -> Variables:
    return {"person": samples.people["teacher"], "role": "наставник"}


def _plan_consent_guardian(register: Any, person: m.Person) -> Variables | None:
    context = register.person_context(person)
    if not context["is_minor"] or context["guardian"] is None:
        return None
    return {"child": context, "guardian": context["guardian"], "role": _role(person)}


def _sample_consent_guardian(samples: Any) -> Variables:
    student = samples.people["student"]
    return {"child": student, "guardian": student["guardian"], "role": "наставляемый"}


def _plan_consent_dissemination(register: Any, person: m.Person) -> Variables | None:
    # publication on the site needs its own consent (152-ФЗ, art. 10.1)
    context = register.person_context(person)
    if context["is_minor"] and context["guardian"] is None:
        return None
    guardian = context["guardian"] if context["is_minor"] else None
    return {"person": context, "guardian": guardian, "role": _role(person)}


def _sample_consent_dissemination(samples: Any) -> Variables:
    student = samples.people["student"]
    return {"person": student, "guardian": student["guardian"], "role": "наставляемый"}


def _plan_mentor_consent(register: Any, person: m.Person) -> Variables | None:
    internal_teacher = not person.is_external and person.category in TEACHER_CATEGORIES
    if person.role != MENTOR or not internal_teacher:
        return None
    if register.is_director(person):  # «Директору … от директора …»: she appoints herself
        return None
    return {"mentor": register.person_context(person), "pairs": register.led_by(person)}


def _sample_mentor_consent(samples: Any) -> Variables:
    return {"mentor": samples.people["teacher"], "pairs": samples.pairs[:1]}


def _plan_contract_external(register: Any, person: m.Person) -> Variables | None:
    if person.role != MENTOR or not person.is_external:
        return None
    return {
        "mentor": register.person_context(person),
        "contract": {"start": register.year_start, "end": register.year_end},
    }


def _sample_contract_external(samples: Any) -> Variables:
    return {
        "mentor": samples.people["external"],
        "contract": {"start": date(2023, 9, 1), "end": date(2024, 8, 31)},
    }


KINDS: tuple[Kind, ...] = (
    Kind(
        "consent_adult",
        "Согласие на обработку персональных данных",
        "consent_adult.docx",
        Subject.PERSON,
        ("participant",),
        plan=_plan_consent_adult,
        sample=_sample_consent_adult,
    ),
    Kind(
        "consent_guardian",
        "Согласие законного представителя",
        "consent_guardian.docx",
        Subject.PERSON,
        ("guardian",),
        plan=_plan_consent_guardian,
        sample=_sample_consent_guardian,
    ),
    Kind(
        "consent_dissemination",
        "Согласие на распространение персональных данных",
        "consent_dissemination.docx",
        Subject.PERSON,
        ("participant",),
        plan=_plan_consent_dissemination,
        sample=_sample_consent_dissemination,
    ),
    Kind(
        "mentor_consent",
        "Согласие на назначение наставником",
        "mentor_consent.docx",
        Subject.PERSON,
        ("mentor",),
        plan=_plan_mentor_consent,
        sample=_sample_mentor_consent,
    ),
    Kind(
        "contract_external",
        "Договор о сотрудничестве",
        "contract_external.docx",
        Subject.PERSON,
        ("director", "mentor"),
        dated_at_signing=True,
        plan=_plan_contract_external,
        sample=_sample_contract_external,
    ),
)
"""In the order each person's documents are planned."""
