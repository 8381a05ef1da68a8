"""The register as document planning reads it, in one go: the school, its pairs, results,
trainings, roadmap, final event and participants, each in the order the documents list them
(:mod:`service.register.records`: plain rows read with SQLAlchemy Core, no ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.intake.normalise import alphabetical
from service.register import models as m
from service.register import records as r
from service.register.approved import (
    approved_pairs,
    consented_ends,
    final_report_context,
    signed_event_order_context,
    signed_pairs_order_context,
    signed_programme_contexts,
)


@dataclass
class Programme:
    """The school year's programme as the register holds it."""

    org: r.OrganizationRecord
    pairs: list[r.PairRecord]
    """By start, then code."""
    results: dict[int, r.ResultRecord]
    """By pair id."""
    trainings: list[r.TrainingRecord]
    """By number."""
    roadmap: list[r.RoadmapRecord]
    """By number."""
    event: r.FinalEventRecord | None
    people: list[r.PersonRecord]
    """Mentors, then mentees, each by ФИО."""
    approved_ends: dict[str, date]
    """«Код пары» → the end the signed orders on pairs approved (:mod:`.approved`)."""
    approved_groups: set[str]
    """The codes of the pairs a signed order on pairs approved as groups (:mod:`.approved`)."""
    listed_years: dict[str, set[str]]
    """«Код пары» → the school years whose orders on pairs list its present term."""
    listed_since: dict[str, date]
    """«Код пары» → the day an order on pairs first listed its present term (:mod:`.approved`)."""
    year_contexts: dict[str, str]
    """School year → the context of that year's latest order on pairs (:mod:`.approved`)."""
    earlier_terms: list[r.PairTermRecord]
    """The pairs' earlier terms (pairs continued under their codes), by start."""
    final_report: str | None
    """The context (canonical JSON) of the final report's latest version, if any: a late
    «Итоги» of last year renews last year's report from it."""
    consented_ends: dict[tuple[int, str], date]
    """(a mentor's id, «Код пары») → the end her latest consent printed, read for the mentors
    of the pairs whose end moved before the approved one only (:func:`.consented_ends`)."""
    signed_event_order: str | None
    """The context (canonical JSON) of the newest signed order on the final event, if any
    (:func:`.signed_event_order_context`): what it counted stands after an early end."""
    signed_pairs_order: str | None
    """The context (canonical JSON) of the newest signed order on pairs, if any
    (:func:`.signed_pairs_order_context`): the pairs it approved stand after an early end."""
    signed_programmes: dict[str, str]
    """«pair:7» → the context of the pair's programme in force when it is signed
    (:func:`.signed_programme_contexts`): a pair that ended keeps it."""


def read_programme(session: Session) -> Programme | None:
    """The programme; None before the school is known (no workbook yet). The pairs' mentees
    and plans and the participants' guardians are read with them (a query each, not one per
    pair and per guardian as the documents are planned: 180 queries for 60 pairs)."""
    org = r.read_one(session, r.OrganizationRecord, 1)
    if org is None:
        return None
    person, pair = m.Person.__table__, m.Pair.__table__
    training, roadmap = m.Training.__table__, m.RoadmapItem.__table__
    term = m.PairTerm.__table__
    people = r.read_people(
        session,
        select(person)
        .where(person.c.role.in_([m.Role.MENTOR, m.Role.MENTEE]))
        .order_by(person.c.role, person.c.id),
    )
    # mentees, then mentors, each in alphabetical order (SQL's would put «Ё» before «А»)
    people.sort(key=lambda p: (p.role, alphabetical(p.full_name)))
    # a pair withdrawn as entered by mistake is no pair of the programme (:mod:`service.
    # pair_withdrawal`): no document names it, no report counts it
    kept = select(pair).where(pair.c.withdrawn_at.is_(None)).order_by(pair.c.start, pair.c.code)
    pairs = r.read_pairs(session, r.by_id(people), kept)
    pairs_by_id = r.by_id(pairs)
    results = {
        x.pair_id: x for x in r.read_rows(session, r.ResultRecord) if x.pair_id in pairs_by_id
    }
    for result in results.values():
        result.pair = pairs_by_id[result.pair_id]
    approved = approved_pairs(session)
    shortened = [p for p in pairs if (end := approved.ends.get(p.code)) and p.end < end]
    mentors = {p.mentor.id for p in shortened}
    mentors |= {x.person_id for p in shortened for x in p.formers if x.role == m.Role.MENTOR}
    return Programme(
        org=org,
        pairs=pairs,
        results=results,
        trainings=r.read_rows(
            session, r.TrainingRecord, select(training).order_by(training.c.number)
        ),
        roadmap=r.read_rows(session, r.RoadmapRecord, select(roadmap).order_by(roadmap.c.number)),
        event=r.read_one(session, r.FinalEventRecord, 1),
        people=people,
        approved_ends=approved.ends,
        approved_groups=approved.groups,
        listed_years=approved.listed,
        listed_since=approved.listed_since,
        year_contexts=approved.year_contexts,
        earlier_terms=r.read_rows(
            session,
            r.PairTermRecord,
            select(term)
            .where(term.c.pair_id.in_(select(pair.c.id).where(pair.c.withdrawn_at.is_(None))))
            .order_by(term.c.start, term.c.id),
        ),
        final_report=final_report_context(session),
        consented_ends=consented_ends(session, mentors),
        signed_event_order=signed_event_order_context(session),
        signed_pairs_order=signed_pairs_order_context(session),
        signed_programmes=signed_programme_contexts(session),
    )
