"""Last school year's final report, renewed after the register's «Учебный год» changed.

«Итоги» of last year's pairs may reach the register after September's workbook moved it to the
new year (a May workbook dropped late, a corrected row). They belong to last year's final report
(docs/intake.md: a term is of the year it began in), not to this year's: while this year has no
«Итоги» of its own, the final report in force is last year's, and it is made again — of last
year, its school, director and figures as its latest version printed them — when last year's
pairs' results are not those it shows. Results it already shows make nothing new. A report
of last year made for the first time takes the school as last year's order on pairs printed
it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.documents import canonical
from service.documents import context as ctx
from service.documents.statistics import monitoring_rows, organization_stats, swot_lists
from service.documents.tidy import tidy_context
from service.register import records as r
from service.register.terms import year_name

if TYPE_CHECKING:
    from service.documents.planning import Register

OFFICES = ("org", "director", "curator", "coordinator")
"""The parts of the common context a report of last year keeps from its latest version."""


def last_year_report(register: Register) -> dict[str, Any] | None:
    """The variables of last year's final report when last year's pairs have «Итоги» it does
    not show yet (none when it shows them, or when the latest report is of a later year)."""
    first = register.year_start.year - 1
    year = year_name(first)
    stored = canonical.loads(register.final_report) if register.final_report else None
    if stored is not None and stored.get("org", {}).get("school_year") != year:
        return None  # the latest final report is of another year: not renewed from here
    pairs = [p for p in register.every_pair if register.of_year(p, first)]
    results = {p.id: register.results[p.id] for p in pairs if p.id in register.results}
    if not results:
        return None
    listed = [
        dict(register.pair_context(p), number=i, result=_result(register, p, results))
        for i, p in enumerate(pairs, 1)
    ]
    fresh = {x["code"]: _comparable(x["result"]) for x in listed}
    shown = _shown(stored) if stored is not None else {}
    # a pair continued this year under its code is this year's now (its last term's «Итоги»
    # are kept in pair_term): the report shows it as it was, nothing to compare
    if stored is not None and {code: shown.get(code) for code in fresh} == fresh:
        return None
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
        "stats": organization_stats(org, pairs, chosen, shortened, register.approved_groups),
        "monitoring": monitoring_rows(chosen),
        "swot": swot_lists(chosen),
        "pairs": listed,
    }


def _result(register: Register, pair: Any, results: dict[int, Any]) -> dict[str, Any] | None:
    return register.result_context(pair) if pair.id in results else None


def _comparable(value: Any) -> Any:
    """``value`` as a stored context holds it (tidied, through canonical JSON)."""
    return canonical.loads(canonical.dumps({"v": tidy_context(value)}))["v"]


def _shown(stored: dict[str, Any]) -> dict[str, Any]:
    """The «Итоги» a stored report shows, by «Код пары» (None: a pair without them)."""
    return {x.get("code"): x.get("result") for x in stored.get("pairs", ())}


def _number(value: Any) -> int | None:
    return int(value) if isinstance(value, int) or str(value).isdigit() else None
