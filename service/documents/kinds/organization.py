"""Kinds with one document per school: the §12 set of seed 001 (the regulation, the orders,
the target model, the roadmap) and the final analytical report."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from service.documents.kind import Kind, Subject, Variables
from service.documents.values import PersonName
from service.intake.normalise import alphabetical

if TYPE_CHECKING:  # the planners import what they use when they run: listing the catalogue
    from service.register import models as m  # loads neither the register nor the grammar


def _always(register: Any, org: m.Organization) -> Variables:
    return {}


def _nothing(samples: Any) -> Variables:
    return {}


def _plan_target_model(register: Any, org: m.Organization) -> Variables:
    from service.intake.vocabulary import FORMS

    pairs = register.pairs
    used = [f for f in FORMS if any(p.form == f for p in pairs)] or list(FORMS)
    used += sorted({p.form for p in pairs} - set(used))
    forms = [
        {
            "name": form,
            "variants": sorted({p.variant for p in pairs if p.form == form and p.variant}),
            "pairs": sum(1 for p in pairs if p.form == form),
        }
        for form in used
    ]
    return {"forms": forms}


def _sample_target_model(samples: Any) -> Variables:
    return {
        "forms": [
            {
                "name": "Учитель – учитель",
                "variants": ["Опытный педагог – молодой специалист"],
                "pairs": 1,
            },
            {"name": "Работодатель – ученик", "variants": [], "pairs": 1},
        ]
    }


def _plan_roadmap(register: Any, org: m.Organization) -> Variables:
    from service.documents import context as ctx

    # a pair ended early keeps the end its signed order approved: no new roadmap to sign
    approved = register.approved_ends
    planned = {p.id: approved[p.code] for p in register.pairs if p.id in register.shortened}
    roadmap = ctx.roadmap_context(
        register.roadmap, org, register.pairs, register.trainings, register.event, planned
    )
    return {"roadmap": roadmap}


def _sample_roadmap(samples: Any) -> Variables:
    return {
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
    }


def _plan_order_training(register: Any, org: m.Organization) -> Variables | None:
    from service.documents import context as ctx
    from service.documents.responsible import KnownPeople
    from service.documents.russian import quantity
    from service.register.models import Role

    trainings = register.trainings
    if not trainings:
        return None
    # a mentor replaced during the year was trained too: she stays on the list; a mentor who
    # came after the last session — a pair begun then (a new pupil mentor in December, the
    # sessions in October: play15), or one taking over a pair then (review15) — goes to no
    # session of the schedule, and a new order voiding the signed one would send him to
    # sessions held before he came
    last = max(t.date for t in trainings)
    mentors = _unique_people(_mentors_by(register.pairs, last)) or [
        p for p in register.people if p.role == Role.MENTOR
    ]
    # «Зуев Н.С.» and «Зуев Николай Сергеевич» in one table: a person the register knows is
    # printed by his ФИО, as appendix 2 prints the mentors; any other text as typed
    offices = [org.head_name, org.curator_name, org.coordinator_name]
    event = [register.event.responsible] if register.event is not None else []
    known = KnownPeople([*offices, *event, *(p.full_name for p in register.people)])
    rows = [
        dict(row, responsible=known.full(row["responsible"]))
        for row in ctx.training_context(trainings)
    ]
    return {
        "trainings": rows,
        "total_hours": quantity(sum(t.hours for t in trainings)),
        "mentors": [ctx.person_context(p, register.year_start) for p in mentors],
    }


def _sample_order_training(samples: Any) -> Variables:
    return {
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
        "mentors": [samples.people["teacher"], samples.people["external"]],
    }


def _plan_order_pairs(register: Any, org: m.Organization) -> Variables | None:
    from service.documents.pairs_order import ordered_pairs

    # an order made again after an early end lists the pairs of its day (signed, it stands)
    return {"pairs": ordered_pairs(register)} if register.pairs else None


def _sample_order_pairs(samples: Any) -> Variables:
    return {"pairs": samples.pairs}


def _plan_order_final_event(register: Any, org: m.Organization) -> Variables | None:
    from service.documents.event_count import event_variables

    event = register.event
    if event is None:
        return None
    # those who ended early present no results: «всех пар (групп)» are the others, as of the
    # day the director signs the order (an early end after it leaves it standing)
    return event_variables(
        register,
        {
            "date": event.date,
            "form": event.form,
            "place": event.place,
            "responsible": register.named(event.responsible),
        },
    )


def _sample_order_final_event(samples: Any) -> Variables:
    return {
        "event": {
            "date": date(2024, 5, 25),
            "form": "круглый стол",
            "place": "актовый зал",
            "responsible": PersonName("Бутрина Ольга Николаевна"),
        },
        "pairs_count": 2,
        "participants_count": 4,
        "mentors": [samples.people["teacher"], samples.people["external"]],
    }


def _plan_report_final(register: Any, org: m.Organization) -> Variables | None:
    from service.documents.context import left_context
    from service.documents.statistics import (
        monitoring_rows,
        organization_stats,
        swot_lists,
        unreported_status,
    )

    results = register.year_results
    if not results or not register.final_report_due():
        # the report in force is last year's: late «Итоги» of it renew it
        from service.documents.last_year import last_year_report

        return last_year_report(register)
    chosen = list(results.values())
    return {
        "stats": organization_stats(
            org,
            register.pairs,
            chosen,
            register.shortened,
            register.approved_groups,
            register.today,
        ),
        "monitoring": monitoring_rows(chosen),
        "swot": swot_lists(chosen),
        "pairs": [
            dict(
                pc,
                result=register.result_context(p) if p.id in results else None,
                left=left_context(p),
                unreported=None
                if p.id in results
                else unreported_status(p, register.shortened, register.today),
            )
            for p, pc in zip(register.pairs, register.numbered, strict=True)
        ],
    }


def _sample_report_final(samples: Any) -> Variables:
    return {
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
        "monitoring": samples.scores,
        "swot": {
            "strengths": ["опытные наставники"],
            "weaknesses": ["мало времени"],
            "opportunities": ["сетевое взаимодействие"],
            "threats": ["нагрузка"],
        },
        "pairs": [
            dict(samples.pairs[0], result=samples.result),
            dict(samples.pairs[1], result=None, unreported="реализуется (итоги не представлены)"),
        ],
    }


def _mentors_by(pairs: list[Any], day: date) -> list[m.Person]:
    """The mentors who led a pair by ``day``: each from the day he took it over (the pair's
    start, or the day his predecessor left it); all the pairs' mentors when none had begun."""
    found = []
    for pair in pairs:
        came = pair.start
        for former in sorted(pair.formers_now, key=lambda x: x.left_on):
            if former.role == "mentor":
                if came <= day:
                    found.append(former.person)
                came = former.left_on
        if came <= day:
            found.append(pair.mentor)
    return found or [x for p in pairs for x in p.all_mentors]


def _unique_people(people: list[m.Person]) -> list[m.Person]:
    seen: dict[int, m.Person] = {}
    for person in people:
        seen.setdefault(person.id, person)
    return sorted(seen.values(), key=lambda p: alphabetical(p.full_name))


SECTION12: tuple[Kind, ...] = (
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
        plan=_always,
        sample=_nothing,
    ),
    Kind(
        "order_implementation",
        "Приказ о внедрении целевой модели наставничества",
        "order_implementation.docx",
        Subject.ORGANIZATION,
        ("director",),
        2,
        True,
        plan=_always,
        sample=_nothing,
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
        plan=_plan_target_model,
        sample=_sample_target_model,
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
        plan=_plan_roadmap,
        sample=_sample_roadmap,
    ),
    Kind(
        "order_coordinators",
        "Приказ о назначении координатора и кураторов",
        "order_coordinators.docx",
        Subject.ORGANIZATION,
        ("director",),
        5,
        True,
        cites="order_implementation",
        plan=_always,
        sample=_nothing,
    ),
    Kind(
        "order_training",
        "Приказ об организации обучения наставников",
        "order_training.docx",
        Subject.ORGANIZATION,
        ("director",),
        6,
        True,
        plan=_plan_order_training,
        sample=_sample_order_training,
    ),
    Kind(
        "order_pairs",
        "Приказ об утверждении наставников и наставнических пар",
        "order_pairs.docx",
        Subject.ORGANIZATION,
        ("director",),
        7,
        True,
        plan=_plan_order_pairs,
        sample=_sample_order_pairs,
    ),
    Kind(
        "order_final_event",
        "Приказ о проведении итогового мероприятия",
        "order_final_event.docx",
        Subject.ORGANIZATION,
        ("director",),
        8,
        True,
        plan=_plan_order_final_event,
        sample=_sample_order_final_event,
    ),
)
"""The §12 set, in its order (planned first, once per school)."""

REPORTS: tuple[Kind, ...] = (
    Kind(
        "report_final",
        "Итоговый аналитический отчёт",
        "report_final.docx",
        Subject.ORGANIZATION,
        ("curator", "director"),
        dated_at_signing=True,
        plan=_plan_report_final,
        sample=_sample_report_final,
    ),
)
"""Planned last, after every person's and pair's documents."""
