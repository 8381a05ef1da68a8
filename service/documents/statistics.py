"""Figures of the final analytical report: participants by form and category, results,
entry/exit monitoring averages, the SWOT lists and the share of students involved against the
70 % target of the regional project (order 93/24, seed 001)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from service.intake.normalise import person_key
from service.register import models as m

TARGET_PERCENT = 70
STUDENT = "обучающийся"
INDICATORS = (
    ("Вовлечённость", "engagement"),
    ("Самооценка", "self_esteem"),
    ("Тревожность", "anxiety"),
)
SWOT = ("strengths", "weaknesses", "opportunities", "threats")
EARLY = "завершена досрочно"
"""The «Итоги» status of a programme not carried to its approved end."""
EXPIRED = "срок истёк"
"""Of a pair without «Итоги» whose «Дата окончания» has passed."""


def people_count(persons: Iterable[Any]) -> int:
    """How many people ``persons`` (register rows) are: a mentor who is also a mentee (a pupil
    mentoring, a young teacher mentored while she mentors) is two rows of the register, one
    person — the same ФИО and date of birth, as intake tells them (``both_roles``)."""
    return len({(person_key(x.full_name), x.birth_date) for x in persons})


def rounded(value: float | Decimal) -> Decimal:
    """One decimal, half up as people round (4,25 → 4,3; Python's ``round`` gives 4,2)."""
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def decimal(value: float | Decimal) -> str:
    """4.25 → «4,3» (half up, Russian decimal comma, no grouping: Babel's ``0.0`` pattern in
    ``ru``, written out — its first call in a process loads the CLDR data, ~20 ms of a small
    batch; ``tests/test_russian.py`` compares the two)."""
    return f"{rounded(value):f}".replace(".", ",")


def signed(value: float | Decimal) -> str:
    """+2,5 / −1,0 / 0,0 with a true minus sign."""
    value = rounded(value)
    if value == 0:
        return "0,0"
    return ("+" if value > 0 else "\u2212") + decimal(abs(value))


def score_rows(scores: dict[str, int]) -> list[dict[str, Any]]:
    """One pair's monitoring scores as table rows (only indicators with both values)."""
    rows = []
    for label, key in INDICATORS:
        entry, exit_ = scores.get(f"{key}_in"), scores.get(f"{key}_out")
        if entry is not None and exit_ is not None:
            rows.append(
                {"label": label, "entry": entry, "exit": exit_, "delta": signed(exit_ - entry)}
            )
    return rows


def monitoring_rows(results: list[m.Result]) -> list[dict[str, Any]]:
    """Average entry/exit score per indicator across all pairs that have both."""
    rows = []
    for label, key in INDICATORS:
        pairs = [(r.scores.get(f"{key}_in"), r.scores.get(f"{key}_out")) for r in results]
        pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
        if pairs:
            # the difference is taken between the printed (rounded) means, so a reader who
            # subtracts the two figures gets the third
            entry = rounded(Decimal(sum(a for a, _ in pairs)) / len(pairs))
            exit_ = rounded(Decimal(sum(b for _, b in pairs)) / len(pairs))
            rows.append(
                {
                    "label": label,
                    "entry": decimal(entry),
                    "exit": decimal(exit_),
                    "delta": signed(exit_ - entry),
                }
            )
    return rows


def swot_lists(results: list[m.Result]) -> dict[str, list[str]]:
    """Every pair's SWOT text split into items («;» or new lines), without repeats."""
    lists: dict[str, list[str]] = {key: [] for key in SWOT}
    for result in results:
        for key in SWOT:
            for item in re.split(r"[;\n]+", (result.swot or {}).get(key, "") or ""):
                item = item.strip(" .")
                if item and item.casefold() not in {x.casefold() for x in lists[key]}:
                    lists[key].append(item)
    return lists


def _unreported(pair: m.Pair, shortened: frozenset[int] | set[int], today: date) -> str:
    """The status of a pair without «Итоги»: ended early (its end moved before the approved
    one), its term over (a report made after the school year, play12: it said «реализуется»
    of pairs ended half a year before), or still at work."""
    if pair.id in shortened:
        return EARLY
    return EXPIRED if pair.end < today else "реализуется"


def unreported_status(
    pair: m.Pair, shortened: frozenset[int] | set[int], today: date | None = None
) -> str:
    """A pair without «Итоги» as the final report names it — in 1.3's count and in its row of
    section 5 alike: «завершена досрочно (итоги не представлены)», «срок истёк (…)»,
    «реализуется (…)»."""
    return f"{_unreported(pair, shortened, today or date.today())} (итоги не представлены)"


def organization_stats(
    org: m.Organization,
    pairs: list[m.Pair],
    results: list[m.Result],
    shortened: frozenset[int] | set[int] = frozenset(),
    approved_groups: frozenset[str] | set[str] = frozenset(),
    today: date | None = None,
) -> dict[str, Any]:
    """The ``stats`` block of report_final (docs/template-context.md); ``shortened``: the ids of
    pairs whose end was moved before the approved one (a pair of them without «Итоги» ended
    early, it is not running); ``approved_groups``: the codes of the pairs a signed order
    approved as groups (a group that lost a member is still one of the year's groups);
    ``today``: the day a pair's end is judged by (the batch's; by default the calendar's)."""
    # everyone who took part in the year, a mentor replaced or a mentee who left included
    mentors = {x.id: x for p in pairs for x in p.all_mentors}
    mentees = {x.id: x for p in pairs for x in p.all_mentees}
    # a student may be both a mentor and a mentee: count people, not register rows
    students = {
        (p.full_name, p.birth_date)
        for p in [*mentors.values(), *mentees.values()]
        if p.category == STUDENT
    }
    by_form = []
    for form in sorted({p.form for p in pairs}):
        chosen = [p for p in pairs if p.form == form]
        by_form.append(
            {
                "form": form,
                "pairs": len(chosen),
                "mentors": len({x.id for p in chosen for x in p.all_mentors}),
                "mentees": len({x.id for p in chosen for x in p.all_mentees}),
            }
        )
    categories = Counter(("наставник", p.category or "") for p in mentors.values())
    categories.update(("наставляемый", p.category or "") for p in mentees.values())
    by_category = [
        {"role": role, "category": category, "count": count}
        for (role, category), count in sorted(categories.items())
    ]
    statuses = Counter(r.status for r in results)
    reported = {r.pair_id for r in results}
    today = today or date.today()
    for pair in pairs:  # every pair is counted, those without «Итоги» too
        if pair.id not in reported:
            statuses[unreported_status(pair, shortened, today)] += 1
    share: Any = ""
    target_met = None
    if org.students_total:
        share_value = 100 * len(students) / org.students_total
        share = decimal(share_value)
        target_met = share_value >= TARGET_PERCENT
    return {
        "pairs_total": len(pairs),
        "groups_total": sum(1 for p in pairs if len(p.mentees) > 1 or p.code in approved_groups),
        "mentors_total": len(mentors),
        "mentees_total": len(mentees),
        "participants_total": people_count([*mentors.values(), *mentees.values()]),
        "students_involved": len(students),
        "students_total": org.students_total or "",
        "share_percent": share,
        "target_percent": TARGET_PERCENT,
        "target_met": target_met,
        "by_form": by_form,
        "by_category": by_category,
        "by_status": [{"status": s, "count": c} for s, c in sorted(statuses.items())],
    }
