"""Last school year's final report, renewed after the register's «Учебный год» changed.

«Итоги» of last year's pairs may reach the register after September's workbook moved it to the
new year (a May workbook dropped late, a corrected row). They belong to last year's final report
(docs/intake.md: a term is of the year it began in), not to this year's: while this year has no
«Итоги» of its own, the final report in force is last year's, and it is made again — of last
year, its school, director and figures as its latest version printed them — when last year's
pairs' results are not those it shows. Results it already shows make nothing new. A report
of last year made for the first time takes the school as last year's order on pairs printed
it. A pair continued this year under its code counts with its last year's term (``pair_term``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from service.documents import canonical
from service.documents import context as ctx
from service.documents.replacement import with_mentors
from service.documents.statistics import (
    monitoring_rows,
    organization_stats,
    swot_lists,
    unreported_status,
)
from service.documents.tidy import tidy_context
from service.register import records as r
from service.register.terms import school_year, year_name

if TYPE_CHECKING:
    from service.documents.planning import Register

OFFICES = ("org", "director", "curator", "coordinator")
"""The parts of the common context a report of last year keeps from its latest version."""


def last_year_report(register: Register) -> dict[str, Any] | None:
    """The variables of last year's final report when last year's pairs have «Итоги» it does
    not show yet (none when it shows them, or when the latest report is of a later year)."""
    from service.documents.planning import result_context

    stored = canonical.loads(register.final_report) if register.final_report else None
    first = _earlier_year(register, stored)
    if first is None:
        return None
    year = year_name(first)
    if stored is not None and stored.get("org", {}).get("school_year") != year:
        stored = None  # of an earlier year: the report of ``year`` is made for the first time
    pairs = [p for p in register.every_pair if register.of_year(p, first)]
    results = {p.id: register.results[p.id] for p in pairs if p.id in register.results}
    if not results:
        return None
    shown = {x.get("code"): x for x in (stored or {}).get("pairs", ())}
    listed = {
        p.code: dict(
            with_mentors(register.pair_context(p), p),
            result=_of(result_context, results.get(p.id)),
            left=ctx.left_context(p),
        )
        for p in pairs
    }
    fresh = {code: _comparable(x["result"]) for code, x in listed.items()}
    if stored is not None and {c: (shown.get(c) or {}).get("result") for c in fresh} == fresh:
        return None
    for pair, result in _continued(register, year):
        pairs.append(pair)
        if result is not None:
            results[pair.id] = result
        # as last year's report printed it, else as the register kept its term
        listed[pair.code] = shown.get(pair.code) or dict(
            ctx.pair_context(pair), result=_of(result_context, result), left=ctx.left_context(pair)
        )
    pairs.sort(key=lambda p: (p.start, p.code))
    org = r.OrganizationRecord(**register.org.values())
    org.school_year = year
    offices = {k: v for k, v in ctx.common_context(org, register.named).items() if k in OFFICES}
    # the school as last year's documents printed it: its report, else its order on pairs
    printed = stored
    if printed is None and (order := register.year_contexts.get(year)) is not None:
        printed = canonical.loads(order)
    if printed is not None:
        offices = {k: printed.get(k) for k in OFFICES}
        org.students_total = _number(printed["org"].get("students_total"))
        org.teachers_total = _number(printed["org"].get("teachers_total"))
    chosen = list(results.values())
    approved = register.approved_ends
    shortened = {p.id for p in pairs if (end := approved.get(p.code)) and p.end < end}
    return {
        **offices,
        "stats": organization_stats(
            org, pairs, chosen, shortened, register.approved_groups, register.today
        ),
        "monitoring": monitoring_rows(chosen),
        "swot": swot_lists(chosen),
        "pairs": [
            dict(
                listed[p.code],
                number=i,
                unreported=None
                if p.id in results
                else unreported_status(p, shortened, register.today),
            )
            for i, p in enumerate(pairs, 1)
        ],
    }


def _earlier_year(register: Register, stored: dict[str, Any] | None) -> int | None:
    """The first calendar year of the earlier school year whose final report late «Итоги»
    renew or make: the latest year before the register's with «Итоги» of its pairs, not
    before the year of the report in force (``stored``: a later year's report stands, and the
    intake warns that it is not renewed — service/intake/early.py). It was always the year
    just before the register's: «Итоги» of two years back (a year with no pairs between)
    made the mentor's report alone, with no word."""
    this = register.year_start.year
    printed = (stored or {}).get("org", {}).get("school_year")
    floor = int(printed[:4]) if isinstance(printed, str) and printed[:4].isdigit() else None
    if floor is not None and floor >= this:
        return None  # the report in force is this year's (or a later one's)
    years = {
        school_year(p.start)
        for p in register.every_pair
        if p.id in register.results and not register.of_year(p, this)
    }
    years = {y for y in years if y < this and (floor is None or y >= floor)}
    return max(years, default=None)


def _continued(register: Register, year: str) -> Iterator[tuple[r.PairRecord, Any]]:
    """Each pair continued this year whose earlier term is of ``year``, as that term stood
    (its people, plan and «Итоги»), with its result record (None without «Итоги»)."""
    pairs = {p.id: p for p in register.every_pair}
    people = {x.id: x for p in register.every_pair for x in p.everyone_ever}
    for term in register.earlier_terms:
        pair = pairs.get(term.pair_id)
        if term.school_year != year or pair is None:
            continue
        if term.mentor_id not in people or any(i not in people for i in term.mentee_ids):
            continue
        then = r.PairRecord(**pair.values())
        then.start, then.end, then.form, then.goal = term.start, term.end, term.form, term.goal
        then.mentor_id, then.mentor = term.mentor_id, people[term.mentor_id]
        then.mentee_links = []
        for position, person_id in enumerate(term.mentee_ids):
            link = r.LinkRecord(pair_id=pair.id, person_id=person_id, position=position)
            link.person = people[person_id]
            then.mentee_links.append(link)
        members = {term.mentor_id, *term.mentee_ids}
        then.formers = [
            x
            for x in pair.formers
            if term.start <= x.left_on <= term.end and x.person_id not in members
        ]
        then.plan = [
            r.PlanItemRecord(
                number=item["number"],
                activity=item["activity"],
                term_date=None,
                term_text=item["term"],
                form=item.get("form"),
                responsible=item.get("responsible"),
                expected_result=item.get("expected_result"),
            )
            for item in term.plan
        ]
        result = None
        if term.result is not None:
            result = r.ResultRecord(pair_id=pair.id, **term.result)
            result.pair = then
        yield then, result


def _of(make: Any, result: Any) -> dict[str, Any] | None:
    return make(result) if result is not None else None


def _comparable(value: Any) -> Any:
    """``value`` as a stored context holds it (tidied, through canonical JSON)."""
    return canonical.loads(canonical.dumps({"v": tidy_context(value)}))["v"]


def _number(value: Any) -> int | None:
    return int(value) if isinstance(value, int) or str(value).isdigit() else None
