"""Which documents the register allows now, each with its subject, file name and context.

The rules are DESIGN.md's: organization documents once the organization is known; the
training order once trainings are; pairs bring the pairs order and one programme each; every
participant a consent (a guardian's for a minor); internal teachers the mentor's consent,
external mentors the contract; results the mentor's reports and the final report.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.documents import context as ctx
from service.documents import russian
from service.documents.catalogue import BY_ID, Kind
from service.documents.derived import derived_values
from service.documents.statistics import (
    monitoring_rows,
    organization_stats,
    score_rows,
    swot_lists,
)
from service.documents.tidy import tidy_context
from service.documents.values import PersonName
from service.intake.vocabulary import FORMS
from service.register import models as m

TEACHER_CATEGORIES = frozenset({"педагог"})


@dataclass
class PlannedDocument:
    kind: Kind
    subject_key: str
    """``organization``, ``person:<id>``, ``pair:<id>``."""
    subject_label: str
    """Who or what the document is about, in Russian («Зуев Никита Андреевич», «П-01»)."""
    file_name: str
    """Readable file name in the outbox (without folder)."""
    context: dict[str, Any]


def context_digest(context: dict) -> str:
    """A stable hash of a template context: same data, same digest."""
    text = json.dumps(context, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def safe_file_name(name: str, limit: int = 150) -> str:
    """A name any file system accepts: no path separators or reserved characters."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name)
    name = " ".join(name.split()).strip(" .")
    return name[:limit] or "документ"


def plan_documents(session: Session) -> list[PlannedDocument]:
    """Every document the register allows, in catalogue order."""
    org = session.get(m.Organization, 1)
    if org is None:
        return []
    common = ctx.common_context(org)
    year_start, _ = ctx.school_year_bounds(org.school_year)
    pairs = list(session.scalars(select(m.Pair).order_by(m.Pair.start, m.Pair.code)))
    results = {r.pair_id: r for r in session.scalars(select(m.Result))}
    trainings = list(session.scalars(select(m.Training).order_by(m.Training.number)))
    roadmap = list(session.scalars(select(m.RoadmapItem).order_by(m.RoadmapItem.number)))
    event = session.get(m.FinalEvent, 1)
    people = list(
        session.scalars(
            select(m.Person)
            .where(m.Person.role.in_([m.Role.MENTOR, m.Role.MENTEE]))
            .order_by(m.Person.role, m.Person.full_name)
        )
    )

    planned: list[PlannedDocument] = []

    def add(
        kind_id: str, subject_key: str, label: str, extra: dict[str, Any], suffix: str = ""
    ) -> None:
        kind = BY_ID[kind_id]
        context = tidy_context({**common, **extra})
        context.update(derived_values(kind_id, context))
        context["doc"] = {**common["doc"], "title": kind.title}
        name = kind.title + (f" — {suffix}" if suffix else "")
        planned.append(
            PlannedDocument(kind, subject_key, label, safe_file_name(name) + ".docx", context)
        )

    # a pair's own documents never carry its number in the order's list: adding a pair must
    # not make new versions of the other pairs' programmes
    pair_contexts = [ctx.pair_context(p) for p in pairs]
    numbered = [dict(pc, number=i) for i, pc in enumerate(pair_contexts, 1)]
    forms_in_use = _forms(pairs)

    add("regulation", "organization", org.short_name, {})
    add("order_implementation", "organization", org.short_name, {})
    add("target_model", "organization", org.short_name, {"forms": forms_in_use})
    add(
        "roadmap",
        "organization",
        org.short_name,
        {"roadmap": ctx.roadmap_context(roadmap, org, pairs, trainings, event)},
    )
    add("order_coordinators", "organization", org.short_name, {})
    if trainings:
        mentors = _unique_people([p.mentor for p in pairs]) or [
            p for p in people if p.role == m.Role.MENTOR
        ]
        rows = ctx.training_context(trainings)
        add(
            "order_training",
            "organization",
            org.short_name,
            {
                "trainings": rows,
                "total_hours": _number(sum(t.hours for t in trainings)),
                "mentors": [ctx.person_context(p, year_start) for p in mentors],
            },
        )
    if pairs:
        add("order_pairs", "organization", org.short_name, {"pairs": numbered})
    if event is not None:
        participants = {p.mentor.id for p in pairs} | {x.id for p in pairs for x in p.mentees}
        add(
            "order_final_event",
            "organization",
            org.short_name,
            {
                "event": {
                    "date": event.date,
                    "form": event.form,
                    "place": event.place,
                    "responsible": PersonName(event.responsible),
                },
                "pairs_count": len(pairs),
                "participants_count": len(participants),
            },
        )

    first_start = _first_pair_start(pairs)
    names = [p.full_name for p in people]
    for person in people:
        day = first_start.get(person.id, year_start)
        person_ctx = ctx.person_context(person, day)
        role = "наставник" if person.role == m.Role.MENTOR else "наставляемый"
        label = person.full_name
        if names.count(person.full_name) > 1 and person.birth_date:
            label += f" ({russian.format_date(person.birth_date, 'numeric')})"
        key = f"person:{person.id}"
        if person_ctx["is_minor"]:
            if person_ctx["guardian"] is not None:
                add(
                    "consent_guardian",
                    key,
                    label,
                    {"child": person_ctx, "guardian": person_ctx["guardian"], "role": role},
                    label,
                )
        else:
            add("consent_adult", key, label, {"person": person_ctx, "role": role}, label)
        if not person_ctx["is_minor"] or person_ctx["guardian"] is not None:
            # publication on the site needs its own consent (152-ФЗ, art. 10.1)
            guardian = person_ctx["guardian"] if person_ctx["is_minor"] else None
            add(
                "consent_dissemination",
                key,
                label,
                {"person": person_ctx, "guardian": guardian, "role": role},
                label,
            )
        if person.role != m.Role.MENTOR:
            continue
        if person.is_external:
            add(
                "contract_external",
                key,
                label,
                {
                    "mentor": person_ctx,
                    "contract": {
                        "start": year_start,
                        "end": ctx.school_year_bounds(org.school_year)[1],
                    },
                },
                label,
            )
        elif person.category in TEACHER_CATEGORIES:
            led = [
                pc for p, pc in zip(pairs, pair_contexts, strict=True) if p.mentor.id == person.id
            ]
            add("mentor_consent", key, label, {"mentor": person_ctx, "pairs": led}, label)

    for pair, pair_ctx in zip(pairs, pair_contexts, strict=True):
        label = f"{pair.code} ({russian.initials(pair.mentor.full_name)})"
        add("program", f"pair:{pair.id}", pair.code, {"pair": pair_ctx}, label)
        result = results.get(pair.id)
        if result is not None:
            add(
                "report_pair",
                f"pair:{pair.id}",
                pair.code,
                {"pair": pair_ctx, "result": _result_context(result)},
                label,
            )

    if results:
        chosen = list(results.values())
        add(
            "report_final",
            "organization",
            org.short_name,
            {
                "stats": organization_stats(org, pairs, chosen),
                "monitoring": monitoring_rows(chosen),
                "swot": swot_lists(chosen),
                "pairs": [
                    dict(pc, result=_result_context(results[p.id]) if p.id in results else None)
                    for p, pc in zip(pairs, numbered, strict=True)
                ],
            },
        )
    return planned


def _result_context(result: m.Result) -> dict[str, Any]:
    return {
        "status": result.status,
        "reason": ctx.text(result.reason),
        "achieved": result.achieved,
        "conclusions": ctx.text(result.conclusions),
        "proposals": ctx.text(result.proposals),
        "scores": score_rows(result.scores or {}),
    }


def _forms(pairs: list[m.Pair]) -> list[dict[str, Any]]:
    used = [f for f in FORMS if any(p.form == f for p in pairs)] or list(FORMS)
    used += sorted({p.form for p in pairs} - set(used))
    return [
        {
            "name": form,
            "variants": sorted({p.variant for p in pairs if p.form == form and p.variant}),
            "pairs": sum(1 for p in pairs if p.form == form),
        }
        for form in used
    ]


def _unique_people(people: list[m.Person]) -> list[m.Person]:
    seen: dict[int, m.Person] = {}
    for person in people:
        seen.setdefault(person.id, person)
    return sorted(seen.values(), key=lambda p: p.full_name)


def _first_pair_start(pairs: list[m.Pair]) -> dict[int, date]:
    starts: dict[int, date] = {}
    for pair in pairs:
        for person in [pair.mentor, *pair.mentees]:
            if person.id not in starts or pair.start < starts[person.id]:
                starts[person.id] = pair.start
    return starts


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
