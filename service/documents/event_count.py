"""Which pairs the order on the final event counts («всех наставнических пар (групп) — 3 пары
(группы), 7 участников»), and whose mentors present results (its item 5).

The pairs that ended early present no results: the order counts the others — as of the day the
director signs it. A pair that ends early after that leaves the signed order standing, as the
order on pairs stands (:meth:`service.documents.planning.Register.approved_context`): seed 001
§7 (the Положение, «Обязанности наставника») has the mentor «подводить итоги наставнической
программы, с формированием отчета о проделанной работе с предложениями и выводами», and its
programme's «Завершение программы наставничества» sums up each pair's work, then the school's
(the mentor's report, the final analytical report), and only then holds the public summing-up
the order announces. What records an early end is the mentor's report and the final report;
a new order on the event, for the director to sign again, only because its count changed,
recorded nothing the school needs.

So when the newest signed version of the order is of this school year and announces the same
event, the pairs it counted are found among today's: those not ended early and some of those
that did — the ones whose early end came after the signature, found as the choice that gives
the signed order's figures and mentors. An event moved, or anything that makes the order again
for a reason of its own, counts as of the new version's day: only the early ends are kept as
signed. The event is compared as the order prints it (tidied, :mod:`service.documents.tidy`):
a place typed «актовый зал МАОУ «Гимназия № 3» г. Тюмени» is kept with a no-break space after
«№», and compared as typed it made the order again after the event (play21).
"""

from __future__ import annotations

from itertools import combinations
from math import comb
from typing import Any

from service.documents import canonical
from service.documents.statistics import people_count
from service.documents.tidy import tidy_context
from service.intake.normalise import alphabetical

MOST_CHOICES = 1000
"""Beyond this many ways to choose the pairs ended early since the signature (a school where
dozens ended early at once), the order counts as of today."""


def event_variables(register: Any, event: dict[str, Any]) -> dict[str, Any]:
    """The order's variables: the ``event`` and the counted pairs' figures and mentors."""
    early = [p for p in register.pairs if register.ended_early(p)]
    shown = {p.id for p in register.pairs} - {p.id for p in early}
    found = {"event": event, **_figures(register, shown)}
    signed = _signed(register, event)
    if signed is None or not early:
        return found
    extra = signed["pairs_count"] - len(shown)
    if not 0 < extra <= len(early) or comb(len(early), extra) > MOST_CHOICES:
        return found
    wanted = _summary(signed)
    for chosen in combinations(early, extra):
        figures = _figures(register, shown | {p.id for p in chosen})
        if _summary(figures) == wanted:
            return {"event": event, **figures}
    return found


def _signed(register: Any, event: dict[str, Any]) -> dict[str, Any] | None:
    """The newest signed order's context when it is this year's and announces ``event``."""
    text = register.signed_event_order
    if not text:
        return None
    signed = canonical.loads(text)
    if (signed.get("org") or {}).get("school_year") != register.org.school_year:
        return None
    # the kept context is tidied as printed (planning's ``tidy_context``): «№ 3» of a place
    # with its no-break space; compared so, or every such place made the order again
    if canonical.dumps({"e": signed.get("event")}) != canonical.dumps({"e": tidy_context(event)}):
        return None
    if not isinstance(signed.get("pairs_count"), int):
        return None
    return signed


def _figures(register: Any, ids: set[int]) -> dict[str, Any]:
    from service.documents import context as ctx

    pairs = [p for p in register.pairs if p.id in ids]
    # everyone who took part in the year: a mentor replaced, a mentee who left a group
    participants = people_count({x.id: x for p in pairs for x in p.everyone}.values())
    # item 5 «Наставникам представить … результаты»: the mentors who present them (those of
    # the school's staff acknowledge the order, as on the orders on pairs and on training)
    seen: dict[int, Any] = {}
    for pair in pairs:
        seen.setdefault(pair.mentor.id, pair.mentor)
    mentors = sorted(seen.values(), key=lambda p: alphabetical(p.full_name))
    return {
        "mentors": [ctx.person_context(p, register.year_start) for p in mentors],
        "pairs_count": len(pairs),
        "participants_count": participants,
    }


def _summary(variables: dict[str, Any]) -> tuple[int, int, list[str]]:
    """What the order prints of its count: the figures and the mentors' names."""
    return (
        variables.get("pairs_count"),
        variables.get("participants_count"),
        [str(m.get("name")) for m in variables.get("mentors") or ()],
    )
