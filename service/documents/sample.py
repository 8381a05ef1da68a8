"""A complete sample context for every kind: a small school with every optional value filled.

Used to build and check templates (``nastavnik check-template``) without a register; the real
contexts come from :mod:`service.documents.context` and have exactly the same shape
(docs/template-context.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

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
        },
    ]


def sample_context(kind: str) -> dict[str, Any]:
    """A full context for ``kind`` (see docs/template-context.md)."""
    ctx = sample_common()
    people = sample_people()
    pairs = sample_pairs()
    scores = [
        {"label": "Вовлечённость", "entry": 5, "exit": 8, "delta": "+3"},
        {"label": "Самооценка", "entry": 4, "exit": 7, "delta": "+3"},
        {"label": "Тревожность", "entry": 7, "exit": 4, "delta": "−3"},
    ]
    result = {
        "status": "завершена",
        "reason": "",
        "achieved": "Проведено 12 встреч",
        "conclusions": "Программа выполнена",
        "proposals": "Продолжить работу",
        "scores": scores,
    }
    extra: dict[str, Any] = {
        "target_model": {
            "forms": [
                {
                    "name": "Учитель – учитель",
                    "variants": ["Опытный педагог – молодой специалист"],
                    "pairs": 1,
                },
                {"name": "Работодатель – ученик", "variants": [], "pairs": 1},
            ]
        },
        "roadmap": {
            "roadmap": [
                {
                    "number": 1,
                    "stage": "Подготовка условий",
                    "activities": "Издание приказа",
                    "term": "сентябрь 2023",
                    "responsible": "директор",
                    "result": "приказ",
                }
            ]
        },
        "order_training": {
            "trainings": [
                {
                    "number": 1,
                    "topic": "Введение в наставничество",
                    "date": date(2023, 9, 20),
                    "hours": 4,
                    "form": "семинар",
                    "responsible": "Бутрина О.Н.",
                }
            ],
            "total_hours": 4,
            "mentors": [people["teacher"], people["external"]],
        },
        "order_pairs": {"pairs": pairs},
        "order_final_event": {
            "event": {
                "date": date(2024, 5, 25),
                "form": "круглый стол",
                "place": "актовый зал",
                "responsible": PersonName("Бутрина Ольга Николаевна"),
            },
            "pairs_count": 2,
            "participants_count": 4,
        },
        "consent_adult": {"person": people["teacher"], "role": "наставник"},
        "consent_guardian": {
            "child": people["student"],
            "guardian": people["student"]["guardian"],
            "role": "наставляемый",
        },
        "consent_dissemination": {
            "person": people["student"],
            "guardian": people["student"]["guardian"],
            "role": "наставляемый",
        },
        "mentor_consent": {"mentor": people["teacher"], "pairs": pairs[:1]},
        "contract_external": {
            "mentor": people["external"],
            "contract": {"start": date(2023, 9, 1), "end": date(2024, 8, 31)},
        },
        "program": {"pair": pairs[0]},
        "report_pair": {"pair": pairs[0], "result": result},
        "report_final": {
            "stats": {
                "pairs_total": 2,
                "groups_total": 0,
                "mentors_total": 2,
                "mentees_total": 2,
                "participants_total": 4,
                "students_involved": 2,
                "students_total": 412,
                "share_percent": 0.5,
                "target_percent": 70,
                "target_met": False,
                "by_form": [{"form": "Учитель – учитель", "pairs": 1, "mentors": 1, "mentees": 1}],
                "by_category": [{"role": "наставник", "category": "педагог", "count": 1}],
                "by_status": [{"status": "завершена", "count": 1}],
            },
            "monitoring": scores,
            "swot": {
                "strengths": ["опытные наставники"],
                "weaknesses": ["мало времени"],
                "opportunities": ["сетевое взаимодействие"],
                "threats": ["нагрузка"],
            },
            "pairs": [dict(pairs[0], result=result), dict(pairs[1], result=None)],
        },
    }
    ctx.update(extra.get(kind, {}))
    ctx.update(derived_values(kind, ctx))
    return ctx
