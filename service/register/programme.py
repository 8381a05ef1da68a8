"""The register as document planning reads it, in one go: the school, its pairs, results,
trainings, roadmap, final event and participants, each in the order the documents list them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from service.register import models as m
from service.register.approved import approved_ends
from service.register.school import the_school


@dataclass
class Programme:
    """The school year's programme as the register holds it."""

    org: m.Organization
    pairs: list[m.Pair]
    """By start, then code."""
    results: dict[int, m.Result]
    """By pair id."""
    trainings: list[m.Training]
    """By number."""
    roadmap: list[m.RoadmapItem]
    """By number."""
    event: m.FinalEvent | None
    people: list[m.Person]
    """Mentors, then mentees, each by ФИО."""
    approved_ends: dict[str, date]
    """«Код пары» → the end its first signed order on pairs approved (:mod:`.approved`)."""


def read_programme(session: Session) -> Programme | None:
    """The programme; None before the school is known (no workbook yet). The pairs' mentees
    and plans and the participants' guardians are loaded with them (a query each, not one
    per pair and per guardian as the documents are planned: 180 queries for 60 pairs)."""
    org = the_school(session)
    if org is None:
        return None
    return Programme(
        org=org,
        pairs=list(
            session.scalars(
                select(m.Pair)
                .options(selectinload(m.Pair.mentee_links), selectinload(m.Pair.plan))
                .order_by(m.Pair.start, m.Pair.code)
            )
        ),
        results={r.pair_id: r for r in session.scalars(select(m.Result))},
        trainings=list(session.scalars(select(m.Training).order_by(m.Training.number))),
        roadmap=list(session.scalars(select(m.RoadmapItem).order_by(m.RoadmapItem.number))),
        event=session.get(m.FinalEvent, 1),
        people=list(
            session.scalars(
                select(m.Person)
                .options(selectinload(m.Person.guardian))
                .where(m.Person.role.in_([m.Role.MENTOR, m.Role.MENTEE]))
                .order_by(m.Person.role, m.Person.full_name)
            )
        ),
        approved_ends=approved_ends(session),
    )
