"""How a workbook's people and pairs are found in the register: names compared ignoring case,
ё/е and spacing (:func:`name_key`), the register's people and pairs read once into dictionaries
(:class:`RegisterIndex`), and «ФИО (дата рождения)» references split (:func:`split_ref`). The
intake's questions are answered from the index by :mod:`service.register.lookup`; writing is in
:mod:`service.register.apply`."""

from __future__ import annotations

import re
from datetime import date
from typing import TypeVar

from sqlalchemy.orm import Session

from service.intake.lookalikes import latin_key
from service.intake.normalise import SURNAME_PARTICLES, code_key, spelled_otherwise, unglued
from service.register.models import Role
from service.register.records import PairRecord as Pair
from service.register.records import PersonRecord as Person
from service.register.records import read_pairs, read_people


def name_key(text: str) -> str:
    """How names and codes are compared: case, ё/е, spacing, «-оглы»/« оглы» and Latin
    look-alikes do not matter (a code typed on the English layout, «P-01», is the register's
    «Р-01»)."""
    text = unglued(text).replace("ё", "е").replace("Ё", "Е")
    return " ".join(latin_key(text.casefold()).split())


def keep_yo(old: str | None, new: str | None) -> str | None:
    """``new``, with «ё» wherever ``old`` had it when the two differ only in ё/е: a later
    workbook typed «Федоров» for the register's «Фёдоров» (keyboards make «е» the easy letter)
    must not rename him — that would make new versions of his documents to sign again — while
    a workbook that adds the «ё» («Федоров» → «Фёдоров») does rename. Likewise ``old`` stays
    when the two differ only in a particle glued or apart («Ильхам-оглы», «Ильхам оглы»), or in
    a particle the register has capitalised and ``new`` in lower case: the same workbook's «фон
    Визин» was read «Фон Визин» before particles kept their case."""
    if old and new and old != new and (unglued(old) == unglued(new) or _particle_lowered(old, new)):
        return old
    if not old or not new or len(old) != len(new) or old == new:
        return new
    if old.replace("ё", "е").replace("Ё", "Е") != new.replace("ё", "е").replace("Ё", "Е"):
        return new
    return "".join(o if o in "ёЁ" else n for o, n in zip(old, new, strict=True))


def _particle_lowered(old: str, new: str) -> bool:
    """Whether ``new`` is ``old`` with some of its :data:`SURNAME_PARTICLES` in lower case."""
    olds, news = re.split(r"([\s-])", old), re.split(r"([\s-])", new)
    return len(olds) == len(news) and all(
        o == n or (n in SURNAME_PARTICLES and o == n.capitalize())
        for o, n in zip(olds, news, strict=True)
    )


class RegisterIndex:
    """The register's people of each role by Код and by ФИО, and its pairs by code — the keys
    of :func:`name_key` — read with one query each, so that a workbook of N rows costs N
    dictionary look-ups instead of N scans of the register (issue 15: the scans made a
    500-pair workbook quadratic). People added or renamed while a workbook is applied are
    filed again by :meth:`remember`, pairs added by :meth:`remember_pair`."""

    def __init__(self, session: Session):
        self._rank: dict[Person, int] = {}  # its id; after every id for one not yet flushed
        self._filed: dict[Person, list[tuple[str, str, str]]] = {}
        self._people: dict[tuple[str, str, str], list[Person]] = {}
        self._pairs: dict[str, list[Pair]] = {}
        self.withdrawn: dict[str, Pair] = {}
        """The pairs the secretary withdrew as entered by mistake, by :func:`code_key`: never
        found by :meth:`pair` (their code is not used again: :meth:`service.register.lookup.
        RegisterLookup.withdrawn_on`)."""
        self._added = 0
        self.new_people: list[Person] = []
        """The people added while a workbook is applied, in the order they were added."""
        # plain rows (:mod:`service.register.records`), the pairs with what a workbook
        # replaces (their mentee links and plans), read at once
        people = read_people(session)
        for person in people:
            self.remember(person)
        for pair in read_pairs(session, {p.id: p for p in people}):
            if pair.withdrawn_at is None:
                self.remember_pair(pair)
            else:
                self.withdrawn[code_key(pair.code)] = pair

    def remember(self, person: Person) -> None:
        """File ``person`` under its current role, Код and ФИО (again, when they changed)."""
        if person not in self._rank:
            self._added += 1
            self._rank[person] = person.id if person.id is not None else 10**12 + self._added
        for key in self._filed.pop(person, []):
            self._people[key].remove(person)
        keys = [(person.role, "name", name_key(person.full_name or ""))]
        if person.code:
            keys += [(person.role, "code", code_key(person.code))]
        for key in keys:
            self._people.setdefault(key, []).append(person)
        self._filed[person] = keys

    def remember_pair(self, pair: Pair) -> None:
        filed = self._pairs.setdefault(code_key(pair.code), [])
        if all(other is not pair for other in filed):
            filed.append(pair)

    def _filed_under(self, role: str, how: str, key: str) -> list[Person]:
        """The people filed under ``key``, the earliest added first."""
        return sorted(self._people.get((role, how, key), []), key=self._rank.__getitem__)

    def by_code(self, role: str, code: str) -> list[Person]:
        """The people of ``role`` whose Код ``code`` is (:func:`code_key`), the earliest added
        first: one, or none. A register made before «Н01» and «Н-01» were one code may hold
        them as two people: then the one spelling it as ``code`` does, else all of them."""
        return _spelled_as(code, self._filed_under(role, "code", code_key(code)))

    def matching(self, ref: str, role: str) -> list[Person]:
        """The people of ``role`` that ``ref`` can mean: the one whose Код it is, else those
        with this ФИО (and date of birth, when the reference gives one), the most recent
        first."""
        by_code = self.by_code(role, ref)
        if by_code:
            return by_code[-1:] if len(by_code) == 1 else by_code
        name, born = split_ref(ref)
        found = self._filed_under(role, "name", name_key(name))
        return [p for p in reversed(found) if born is None or p.birth_date == born]

    def person(self, ref: str, role: str) -> Person | None:
        """The person of ``role`` whose Код or ФИО is ``ref``; None if there is none or if two
        share that ФИО (a guardian: the most recently added one)."""
        found = self.matching(ref, role)
        if len(found) == 1 or (found and role == Role.GUARDIAN):
            return found[0]
        return None

    def same(
        self, role: str, code: str | None, full_name: str, birth: date | None
    ) -> Person | None:
        """The registered person a workbook row (its Код, ФИО and date of birth) is: the same
        Код (:func:`code_key`: «Н01» is «Н-01»), else the same ФИО and date of birth."""
        if code:
            found = self.by_code(role, code)
            if len(found) > 1:  # «Н 01» for a registered «Н01» and «Н-01»: the one it renames
                same = name_key(full_name)
                found = [
                    p
                    for p in found
                    if name_key(p.full_name or "") == same
                    or (birth is not None and p.birth_date == birth)
                ]
            if found:
                return found[0]
        for person in self._filed_under(role, "name", name_key(full_name)):
            if person.birth_date == birth:
                return person
        return None

    def everyone(self) -> list[Person]:
        """Every person filed, registered or added."""
        return list(self._filed)

    def pair(self, code: str) -> Pair | None:
        """The pair of «Код пары» ``code`` (:func:`code_key`; of two registered as «П01» and
        «П-01» before they were one code, the one spelled as ``code``, else the earliest)."""
        found = _spelled_as(code, self._pairs.get(code_key(code), []))
        return found[0] if found else None

    def people(self, role: str) -> list[Person]:
        """Every registered person of ``role``, the earliest added first."""
        return sorted((p for p in self._filed if p.role == role), key=self._rank.__getitem__)

    def pairs(self) -> list[Pair]:
        """Every registered pair."""
        return [pair for pairs in self._pairs.values() for pair in pairs]


_DATED_REF = re.compile(
    r"^(?P<name>.*?\S)\s*\(\s*(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\s*\)$"
)


_Coded = TypeVar("_Coded", Person, Pair)


def _spelled_as(code: str, found: list[_Coded]) -> list[_Coded]:
    """Of several people or pairs whose codes are one code (:func:`code_key`), those whose code
    is spelled as ``code`` is, if any; else all of them."""
    exact = [x for x in found if not spelled_otherwise(code, x.code or "")]
    return exact if len(found) > 1 and exact else found


def split_ref(ref: str) -> tuple[str, date | None]:
    """«Иванов Иван Иванович (12.03.2010)» → the ФИО and the date of birth (None if absent or
    not a date): how a workbook names one of two people who share a name."""
    match = _DATED_REF.match(ref.strip())
    if match:
        try:
            born = date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            return ref, None
        return match["name"], born
    return ref, None
