"""A pair's terms and the people who left it.

A pair keeps its code from year to year: next school year's continuation is a new term of the
same pair, with its own people, plan and «Итоги» (last term's stay in last term's signed
documents). Within a term a replaced mentor or a mentee who left stays the pair's former
member, counted in the year's orders and reports (``pair_former_member``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete
from sqlalchemy.orm import Session

from service.register import records as r
from service.register.models import Role

Pair = r.PairRecord


def school_year(day: date) -> int:
    """The first calendar year of the school year ``day`` falls in (it begins on 1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def is_new_term(registered: Pair, start: date) -> bool:
    """Whether a pair registered as ``registered`` and now starting on ``start`` begins a new
    term: it starts after the registered term ended, in a later school year. Dates moved later
    within the same school year are a correction of the same term."""
    return start > registered.end and school_year(start) > school_year(registered.start)


def start_new_terms(session: Session, pairs: list[Pair]) -> None:
    """A pair continued under its code for a new term (next school year): its previous
    term's plan and «Итоги» stay in that term's documents only; those who left it are dated
    within that term (:func:`write_formers`): people of earlier years, not of this one."""
    ids = [pair.id for pair in pairs]
    plan, result, former = r.PlanItemRecord.table, r.ResultRecord.table, r.FormerRecord.table
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
