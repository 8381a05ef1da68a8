"""A complete sample context for every kind: a small school with every optional value filled.

Used to build and check templates (``nastavnik check-template``) without a register; the real
contexts come from :mod:`service.documents.context` and have exactly the same shape
(docs/template-context.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from service.documents.catalogue import BY_ID
from service.documents.context import EMPTY_DOC, STAFF_CATEGORIES, post_phrase
from service.documents.derived import derived_values
from service.documents.gender import is_female
from service.documents.values import PersonName, Position


def _person(name, birth, category, position, **extra) -> dict[str, Any]:
    post = post_phrase(position, category, extra.get("workplace"), extra.get("is_external", False))
    person = {
        "name": PersonName(name),
        "female": is_female(name),
        "is_staff": not extra.get("is_external") and category in STAFF_CATEGORIES,
        "post": post,
        "birth_date": birth,
        "category": category,
        "position": Position(position),
        "is_external": False,
        "is_minor": False,
        "workplace": "",
        "experience_years": "",
        "competences": "",
        "phone": "",
        "email": "",
        "address": "",
        "identity_document": "",
        "request": "",
        "guardian": None,
    }
    person.update(extra)
    return person


def sample_common() -> dict[str, Any]:
    return {
        "org": {
            "full_name": "Муниципальное бюджетное общеобразовательное учреждение "
            "Идринская средняя общеобразовательная школа",
            "short_name": "МБОУ Идринская СОШ",
            "locality": "с. Идринское",
            "address": "662680, Красноярский край, с. Идринское, ул. Мира, 1",
            "inn": "2415001234",
            "ogrn": "1022401000000",
            "website": "idr-school.ru",
            "school_year": "2023–2024",
            "year_start": date(2023, 9, 1),
            "year_end": date(2024, 8, 31),
            "students_total": 412,
            "teachers_total": 38,
            "regulation_adopted_on": date(2023, 8, 30),
            "regulation_protocol": "1",
        },
        "director": {
            "name": PersonName("Кинякина Татьяна Игоревна"),
            "position": Position("директор"),
        },
        "curator": {
            "name": PersonName("Бутрина Ольга Николаевна"),
            "position": Position("заместитель директора по учебно-воспитательной работе"),
        },
        "coordinator": {
            "name": PersonName("Соколова Мария Петровна"),
            "position": Position("педагог-психолог"),
        },
        "doc": dict(EMPTY_DOC),
    }


def sample_people() -> dict[str, dict[str, Any]]:
    guardian = {"name": PersonName("Зуева Ирина Викторовна"), "phone": "+7 913 000-00-01"}
    return {
        "teacher": _person(
            "Петрова Анна Сергеевна",
            date(1980, 3, 14),
            "педагог",
            "учитель математики",
            experience_years=22,
            competences="подготовка к олимпиадам",
            phone="+7 913 111-22-33",
            email="petrova@example.ru",
            address="с. Идринское, ул. Лесная, 4",
        ),
        "external": _person(
            "Орлов Дмитрий Андреевич",
            date(1975, 7, 2),
            "сотрудник предприятия",
            "инженер-технолог",
            is_external=True,
            workplace="ООО «Агро-Идра»",
            phone="+7 913 222-33-44",
            address="с. Идринское, ул. Советская, 12",
            identity_document="паспорт 04 12 345678, выдан ГУ МВД России по "
            "Красноярскому краю 01.02.2020",
        ),
        "young": _person(
            "Смирнов Илья Олегович",
            date(1999, 11, 20),
            "молодой специалист",
            "учитель истории",
            request="дисциплина на уроке",
        ),
        "student": _person(
            "Зуев Никита Андреевич",
            date(2009, 5, 17),
            "обучающийся",
            "8 Б",
            is_minor=True,
            guardian=guardian,
            request="подготовка к ОГЭ",
        ),
    }


def sample_pairs() -> list[dict[str, Any]]:
    people = sample_people()
    plan = [
        {
            "number": 1,
            "activity": "Первая, организационная, встреча наставника и наставляемого",
            "term": "01 октября 2023 г.",
            "form": "беседа",
            "responsible": "наставник",
            "expected_result": "знакомство, согласованы цели",
        },
        {
            "number": 2,
            "activity": "Регулярные встречи наставника и наставляемого",
            "term": "в течение года",
            "form": "консультации",
            "responsible": "наставник",
            "expected_result": "решены затруднения",
        },
    ]
    return [
        {
            "number": 1,
            "code": "П-01",
            "mentor": people["teacher"],
            "mentees": [people["young"]],
            "is_group": False,
            "form": "Учитель – учитель",
            "variant": "Опытный педагог – молодой специалист",
            "mode": "традиционная",
            "start": date(2023, 10, 1),
            "end": date(2024, 5, 31),
            "months": 8,
            "goal": "Адаптация молодого специалиста в коллективе",
            "tasks": ["освоить методику урока", "выстроить дисциплину"],
            "expected_results": "уверенное ведение уроков",
            "plan": plan,
            "replaced_mentors": [],
        },
        {
            "number": 2,
            "code": "П-02",
            "mentor": people["external"],
            "mentees": [people["student"]],
            "is_group": False,
            "form": "Работодатель – ученик",
            "variant": "",
            "mode": "традиционная",
            "start": date(2023, 10, 1),
            "end": date(2024, 4, 30),
            "months": 7,
            "goal": "Профессиональная ориентация",
            "tasks": [],
            "expected_results": "",
            "plan": plan,
            "replaced_mentors": [],
        },
    ]


@dataclass(frozen=True)
class Samples:
    """What the kinds' sample contexts are made of (see :attr:`Kind.sample
    <service.documents.kind.Kind.sample>`)."""

    people: dict[str, dict[str, Any]] = field(default_factory=sample_people)
    pairs: list[dict[str, Any]] = field(default_factory=sample_pairs)
    scores: list[dict[str, Any]] = field(
        default_factory=lambda: [
            {"label": "Вовлечённость", "entry": 5, "exit": 8, "delta": "+3"},
            {"label": "Самооценка", "entry": 4, "exit": 7, "delta": "+3"},
            {"label": "Тревожность", "entry": 7, "exit": 4, "delta": "−3"},
        ]
    )

    @property
    def result(self) -> dict[str, Any]:
        return {
            "status": "завершена",
            "reason": "",
            "achieved": "Проведено 12 встреч",
            "conclusions": "Программа выполнена",
            "proposals": "Продолжить работу",
            "scores": self.scores,
        }


def sample_context(kind: str) -> dict[str, Any]:
    """A full context for ``kind`` (see docs/template-context.md); an unknown kind gets the
    common variables only."""
    ctx = sample_common()
    found = BY_ID.get(kind)
    if found is not None and found.sample is not None:
        ctx.update(found.sample(Samples()))
    if found is not None and found.is_order:
        # an order made again after an earlier version was signed names the one it replaces
        # (service.versions); a first order has no ``doc.replaces``
        ctx["doc"]["replaces"] = {"number": "12/23", "date": date(2023, 9, 1)}
    if found is not None and found.cites:
        # the order it names, as the director's signature fills it (service.signing.requisites)
        ctx["doc"]["cited"] = {"number": "1/23", "date": date(2023, 9, 1)}
    ctx.update(derived_values(kind, ctx))
    return ctx
