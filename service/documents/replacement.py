"""The programme of a pair whose mentor was replaced during its term (docs/intake.md, «Замена
наставника»): the new mentor's version runs from the day the register learnt of the change —
the day the workbook naming the new mentor was taken (the «Пары» sheet has no column for it) —
to the pair's end. It printed the pair's whole term, from its start («на период с 09 октября»),
and the plan's first meetings, long past, as the new mentor's to do, for her to sign."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from service.documents import canonical
from service.documents import context as ctx
from service.documents.defaults import MONTHS_NOMN, default_plan

_MONTH_TERM = re.compile(r"^\s*(" + "|".join(MONTHS_NOMN) + r")\s+(\d{4})(?:\s*г\.?)?\s*$", re.I)
"""A «Срок» that is one month: «октябрь 2026», «Октябрь 2026 г.»."""


def replaced_on(pair: Any) -> date | None:
    """The day the register learnt that ``pair``'s mentor of now took over, if that was
    after the pair's start and before its end (a change before the start is no replacement:
    the programme begins with the new mentor)."""
    days = [x.left_on for x in pair.formers_now if x.role == "mentor"]
    since = max(days, default=None)
    return since if since is not None and pair.start < since < pair.end else None


def replaced_mentors(pair: Any) -> list[dict[str, Any]]:
    """The mentors replaced within ``pair``'s present term (after its start, before its end),
    the latest first, each as a person of the pair's context with ``since`` (the day she took
    the pair over: its start for the first) and ``until`` (the day the register learnt that the
    next one took over); empty when none was. The pair's report, the order on pairs made again
    and the final report named only the mentor of now, for the pair's whole term."""
    formers = sorted(
        (x for x in pair.formers_now if x.role == "mentor" and pair.start < x.left_on < pair.end),
        key=lambda x: x.left_on,
    )
    rows, came = [], pair.start
    for former in formers:
        rows.append(dict(ctx.person_context(former.person, pair.start), since=came))
        rows[-1]["until"] = came = former.left_on
    return rows[::-1]


def with_mentors(shown: dict[str, Any], pair: Any) -> dict[str, Any]:
    """``shown`` (a pair's context) with :func:`replaced_mentors` as ``replaced_mentors`` when
    its mentor was replaced in its term; as it is otherwise (a pair's documents keep the
    context, and its digest, they had)."""
    earlier = replaced_mentors(pair)
    return dict(shown, replaced_mentors=earlier) if earlier else shown


def _before(item: Any, since: date) -> bool:
    """Whether a plan item's «Срок» ends before ``since``: a date, or a month («октябрь 2026»)."""
    if item.term_date is not None:
        return item.term_date < since
    match = _MONTH_TERM.match(str(item.term_text or ""))
    if match is None:
        return False
    month = MONTHS_NOMN.index(match[1].lower()) + 1
    return (int(match[2]), month) < (since.year, since.month)


def from_replacement(shown: dict[str, Any], pair: Any, since: date) -> dict[str, Any]:
    """``shown`` (the pair's programme context) as of ``since``: its period from that day, its
    months counted from it, its plan without the items whose term ended before it (numbered
    again) — or, with no plan given or none left, the five stages dated over the rest."""
    end = shown["end"]
    shown = dict(shown, start=since, months=ctx.months_between(since, end))
    left = [item for item in pair.plan if not _before(item, since)]
    if left:
        numbered = {id(item): number for number, item in enumerate(left, 1)}
        plan = [
            dict(row, number=numbered[id(item)])
            for row, item in zip(shown["plan"], pair.plan, strict=True)
            if id(item) in numbered
        ]
    else:
        plan = default_plan(since, end, group=len(pair.mentee_links) > 1)
    return dict(shown, plan=plan)


def kept_signed(signed: str | None, shown: dict[str, Any]) -> dict[str, Any] | None:
    """The pair's context of its signed programme (``signed``, canonical JSON) when it is of
    the same term as ``shown`` (the same code and end) — what a pair that ended keeps, as the
    order on pairs stands after an early end — else None."""
    if not signed:
        return None
    kept = canonical.loads(signed).get("pair")
    if not isinstance(kept, dict):
        return None
    if (kept.get("code"), kept.get("end")) != (shown.get("code"), shown.get("end")):
        return None
    return kept
