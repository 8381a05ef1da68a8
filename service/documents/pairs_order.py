"""Which pairs the order on pairs lists when a pair has ended early.

An early end alone leaves the signed order standing (seed 000 §7 counts it among the ways a
programme is completed and asks for no order; the mentor's report from «Итоги» records it):
the order keeps the pair with the term it approved
(:meth:`service.documents.planning.Register.approved_context`). But an order made again for a
reason of its own — a pair added in December, a term extended — is the director's order of its
own day, and it declares the signed one void («Признать утратившим силу»): it approved again
the pair that had ended, with its whole term, a week after its mentee had moved to another
school (play22). Such an order lists the pairs of its day, leaving out the ones ended early,
as the order on the final event counts them (:mod:`service.documents.event_count`); the
earlier order approved them for the time they worked.

The signed order stands when it lists today's pairs as it printed them: the same codes, terms,
forms, mentors and mentees — compared by what the order prints of each pair, so that a signed
version an earlier release made with other context fields is not taken for another order. A
position or class changed since (printed, not compared) makes the order again as before, the
ended pair kept in it.
"""

from __future__ import annotations

from typing import Any

from service.documents import canonical
from service.documents.replacement import with_mentors
from service.documents.tidy import tidy_context

COMPARED = ("code", "form", "variant", "mode", "start", "end")
"""What the order prints of a pair, beside its people's names."""


def ordered_pairs(register: Any) -> list[dict[str, Any]]:
    """The pairs of the order on pairs, numbered, each with the term the order approves."""
    everyone = register.as_ordered
    early = {p.id for p in register.pairs if register.ended_early(p)}
    signed = _signed_pairs(register) if early else None
    if signed is None:
        return everyone
    # the signed order stands when it lists today's pairs, and of those ended early the ones
    # it listed before they ended (or when it was made: an order signed after an early end
    # left it out)
    codes = {str(x.get("code")) for x in signed}
    standing = _numbered(
        register, [p for p in register.pairs if p.id not in early or p.code in codes]
    )
    if _printed(signed) == _printed(tidy_context(standing)):
        return standing
    return _numbered(register, [p for p in register.pairs if p.id not in early])


def _numbered(register: Any, pairs: list[Any]) -> list[dict[str, Any]]:
    return [
        dict(with_mentors(register.approved_context(p), p), number=i)
        for i, p in enumerate(pairs, 1)
    ]


def _signed_pairs(register: Any) -> list[dict[str, Any]] | None:
    """The pairs of the newest signed order on pairs when it is this school year's."""
    text = register.signed_pairs_order
    if not text:
        return None
    signed = canonical.loads(text)
    if (signed.get("org") or {}).get("school_year") != register.org.school_year:
        return None
    pairs = signed.get("pairs")
    return pairs if isinstance(pairs, list) else None


def _printed(pairs: list[dict[str, Any]]) -> str:
    """The pairs as the order prints them, comparable across releases."""

    def name(person: Any) -> str:
        return str(person.get("name")) if isinstance(person, dict) else ""

    return canonical.dumps(
        {
            "pairs": [
                {
                    **{key: pair.get(key) for key in COMPARED},
                    "mentor": name(pair.get("mentor")),
                    "mentees": [name(x) for x in pair.get("mentees") or ()],
                }
                for pair in pairs
            ]
        }
    )
