"""A pair's terms and the people who left it.

A pair keeps its code from year to year: next school year's continuation is a new term of the
same pair, with its own people, plan and «Итоги». The previous term is kept as it stood at its
end (``pair_term``: dates, people, plan, «Итоги»), out of the new term's documents. Within a
term a replaced mentor or a mentee who left stays the pair's former member, counted in the
year's orders and reports (``pair_former_member``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.intake.years import school_year
from service.register import records as r
from service.register.models import Person, Result, Role

Pair = r.PairRecord


def is_new_term(registered: Pair, start: date) -> bool:
    """Whether a pair registered as ``registered`` and now starting on ``start`` begins a new
    term: it starts after the registered term ended, in a later school year. Dates moved later
    within the same school year are a correction of the same term."""
    return start > registered.end and school_year(start) > school_year(registered.start)


def year_name(first: int) -> str:
    """2023 → «2023–2024»."""
    return f"{first}–{first + 1}"


def term_of(pair: Pair) -> r.PairTermRecord:
    """The term ``pair`` (as registered, before a workbook changes it) stands in now, its
    «Итоги» to be added (:func:`start_new_terms`)."""
    return r.PairTermRecord(
        pair_id=pair.id,
        school_year=year_name(school_year(pair.start)),
        start=pair.start,
        end=pair.end,
        mentor_id=pair.mentor.id,
        mentee_ids=[link.person_id for link in pair.mentee_links],
        form=pair.form,
        goal=pair.goal,
        plan=[_plan_item(item) for item in pair.plan],
        result=None,
    )


def _plan_item(item: r.PlanItemRecord) -> dict[str, Any]:
    term = item.term_date.strftime("%d.%m.%Y") if item.term_date else item.term_text
    return {
        "number": item.number,
        "activity": item.activity,
        "term": term,
        "form": item.form,
        "responsible": item.responsible,
        "expected_result": item.expected_result,
    }


RESULT_FIELDS = ("status", "reason", "achieved", "conclusions", "proposals", "scores", "swot")


def start_new_terms(session: Session, pairs: list[Pair]) -> None:
    """A pair continued under its code for a new term (next school year): its previous
    term — dates, people, plan and «Итоги» — is kept as an earlier term (``pair_term``), and
    the pair's plan and result are the new term's (none yet); those who left it are dated
    within that term (:func:`write_formers`): people of earlier years, not of this one."""
    ids = [pair.id for pair in pairs]
    plan, result, former = r.PlanItemRecord.table, r.ResultRecord.table, r.FormerRecord.table
    results = {
        row.pair_id: {name: getattr(row, name) for name in RESULT_FIELDS}
        for row in session.execute(select(result).where(result.c.pair_id.in_(ids)))
    }
    earlier = []
    for pair in pairs:
        term = pair.previous_term
        term.result = results.get(pair.id)
        earlier.append(term)
    r.insert_records(session, earlier)
    session.execute(delete(plan).where(plan.c.pair_id.in_(ids)))
    session.execute(delete(result).where(result.c.pair_id.in_(ids)))
    for pair in pairs:
        pair.plan = []
        end = pair.previous_end
        session.execute(
            former.update()
            .where(former.c.pair_id == pair.id, former.c.left_on > end)
            .values(left_on=end)
        )
        for x in pair.formers:
            x.left_on = min(x.left_on, end)


def write_formers(session: Session, pairs: list[Pair]) -> None:
    """Keep a replaced mentor and the mentees who left as the pair's former people (dated the
    day the register learnt it): the year's training order, final-event order and final report
    count everyone who took part. One listed again is a current member, not a former one."""
    table = r.FormerRecord.table
    today = date.today()
    for pair in pairs:
        # who left at a new term's start left the previous term (PairRecord.formers_now)
        left_on = pair.previous_end if pair.new_term else today
        current = {(pair.mentor.id, Role.MENTOR)} | {(p.id, Role.MENTEE) for p in pair.mentees}
        left = {(person.id, role) for person, role in pair.left}
        stale = [x for x in pair.formers if (x.person_id, x.role) in current | left]
        for x in stale:
            session.execute(
                delete(table).where(
                    table.c.pair_id == x.pair_id,
                    table.c.person_id == x.person_id,
                    table.c.role == x.role,
                )
            )
        new = []
        for person, role in pair.left:
            new.append(
                r.FormerRecord(
                    pair_id=pair.id, person_id=person.id, role=str(role), left_on=left_on
                )
            )
            new[-1].person = person
        r.insert_records(session, new)
        pair.formers = [x for x in pair.formers if x not in stale] + new
        pair.left = []


@dataclass
class EarlierTerm:
    """A pair's earlier term, as its page shows it."""

    school_year: str
    start: date
    end: date
    mentor: str
    mentees: list[str]
    form: str
    goal: str
    plan: list[dict[str, Any]]
    result: dict[str, Any] | None


def earlier_terms(session: Session, pair_id: int) -> list[EarlierTerm]:
    """The pair's earlier terms, the earliest first (its present term is the pair itself)."""
    table = r.PairTermRecord.table
    rows = r.read_rows(
        session,
        r.PairTermRecord,
        select(table).where(table.c.pair_id == pair_id).order_by(table.c.start),
    )
    ids = {x.mentor_id for x in rows} | {i for x in rows for i in x.mentee_ids}
    person = Person.__table__
    found = session.execute(select(person.c.id, person.c.full_name).where(person.c.id.in_(ids)))
    names = {row.id: row.full_name for row in found}
    return [
        EarlierTerm(
            school_year=x.school_year,
            start=x.start,
            end=x.end,
            mentor=names[x.mentor_id],
            mentees=[names[i] for i in x.mentee_ids],
            form=x.form,
            goal=x.goal,
            plan=list(x.plan),
            result=x.result,
        )
        for x in rows
    ]


def present_result(session: Session, pair_id: int) -> dict[str, Any] | None:
    """The «Итоги» of the pair's present term (status, reason, achieved), as its page shows
    them beside its earlier terms'; None before they are given."""
    result = session.scalars(select(Result).where(Result.pair_id == pair_id)).first()
    if result is None:
        return None
    return {"status": result.status, "reason": result.reason, "achieved": result.achieved}
