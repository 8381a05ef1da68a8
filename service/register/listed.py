"""Who a workbook's «Наставники» and «Наставляемые» make this school year's participants
(``person.listed_year``): one listed again before the year's pairs is the year's (seed 001
§4.11–4.12: the consents come before the pairs); once the year has pairs, one of an earlier
year in none of them is not — the September list sent again in January with a new pair made
last year's unpaired mentees this year's, with the new year's consents."""

from __future__ import annotations

from datetime import date

from service.register import records as r
from service.register.index import RegisterIndex

Pair = r.PairRecord
Person = r.PersonRecord


def this_years_pairs(index: RegisterIndex, year: str | None) -> list[Pair]:
    """The pairs of ``index`` whose term begins in the school year ``year`` («2024–2025»)."""
    if year is None or not year[:4].isdigit():
        return []
    first = date(int(year[:4]), 9, 1)
    return [pair for pair in index.pairs() if pair.start >= first]


def not_listed_again(
    index: RegisterIndex, year: str | None, before: dict[int, str | None], listed: list[Person]
) -> list[Person]:
    """The registered people ``listed`` again who stay of the year they were listed in (their
    ``listed_year`` put back), when the register had pairs of the school year ``year`` before
    the workbook: a participant of an earlier year in none of the year's pairs (after the
    workbook) is not this year's for being on the sheet — the September list sent again in
    January with a new pair made last year's unpaired mentees this year's, with the new
    year's consents. Before the year's pairs (September's workbook forming them included), a
    participant listed again is this year's: the consents come before the pairs (seed 001
    §4.11–4.12)."""
    this_years = this_years_pairs(index, year)
    paired = {id(pair.mentor) for pair in this_years}
    paired |= {id(link.person) for pair in this_years for link in pair.mentee_links}
    kept = []
    for person in listed:
        earlier = before.get(id(person), year)  # one the workbook added is listed this year
        if earlier != year and id(person) not in paired:
            person.listed_year = earlier
            kept.append(person)
    return kept


def listed_before(index: RegisterIndex, person: Person | None, year: str | None) -> str | None:
    """The school year ``person`` was last listed in, when a workbook listing him now would
    not make him ``year``'s (:func:`not_listed_again`): listed in an earlier year, the
    register has pairs of ``year`` and he is in none of them; else None."""
    if person is None or person.listed_year is None or person.listed_year == year:
        return None
    pairs = this_years_pairs(index, year)
    if not pairs:
        return None
    if any(p.mentor is person or any(x.person is person for x in p.mentee_links) for p in pairs):
        return None
    return person.listed_year
