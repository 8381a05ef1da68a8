"""How a workbook's people and pairs are found in the register: names compared ignoring case,
ё/е and spacing (:func:`name_key`), the register's people and pairs read once into dictionaries
(:class:`RegisterIndex`), the intake's questions answered from them (:class:`RegisterLookup`),
and «ФИО (дата рождения)» references split (:func:`split_ref`). Writing is in
:mod:`service.register.apply`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.intake.forms import PUPIL
from service.intake.lookalikes import latin_key
from service.intake.lookup import PairPeople, PairSpan
from service.intake.normalise import SURNAME_PARTICLES, code_key, spelled_otherwise, unglued
from service.register import listed
from service.register.approved import approved_ends, approved_pairs, final_report_year
from service.register.models import PairTerm, Role
from service.register.records import (
    OrganizationRecord,
    TrainingRecord,
    read_one,
    read_pairs,
    read_people,
    read_rows,
)
from service.register.records import PairRecord as Pair
from service.register.records import PersonRecord as Person
from service.register.terms import is_new_term, school_year, year_name


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
        found by :meth:`pair` (their code is not used again: :meth:`RegisterLookup.
        withdrawn_on`)."""
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


class RegisterLookup:
    """Answers the intake's questions about what the register already knows (read once, at
    the first question: the register does not change while a workbook is checked)."""

    def __init__(self, session: Session):
        self.session = session
        self._index: RegisterIndex | None = None
        self._by_people: dict[tuple[int, frozenset[int]], list[PairSpan]] | None = None
        self._by_birth: dict[tuple[str, date], list[tuple[str, str | None]]] = {}
        self._birth_roles: set[str] = set()
        self._approved: dict[str, date] | None = None

    @property
    def index(self) -> RegisterIndex:
        if self._index is None:
            self._index = RegisterIndex(self.session)
        return self._index

    def has_person(self, ref: str, role: str) -> bool:
        return self.index.person(ref, role) is not None

    def ambiguous(self, ref: str, role: str) -> bool:
        return len(self.index.matching(ref, role)) > 1

    def code_of(self, ref: str, role: str) -> str | None:
        person = self.index.person(ref, role)
        return person.code if person is not None else None

    def category_of(self, ref: str, role: str) -> str | None:
        person = self.index.person(ref, role)
        return person.category if person is not None else None

    def has_pair(self, code: str) -> bool:
        return self.index.pair(code) is not None

    def withdrawn_on(self, code: str) -> date | None:
        pair = self.index.withdrawn.get(code_key(code))
        return None if pair is None or pair.withdrawn_at is None else pair.withdrawn_at.date()

    def people_fitting(
        self, fits: Callable[[str], bool], role: str
    ) -> list[tuple[str, str | None, date | None]]:
        found = (p for p in self.index.people(role) if p.full_name and fits(p.full_name))
        return [(p.full_name or "", p.code, p.birth_date) for p in found]

    def code_owners(self, code: str, role: str) -> list[tuple[str, str, date | None]]:
        found = self.index.by_code(role, code)
        return [(p.code or code, p.full_name or "", p.birth_date) for p in found]

    def pair_code(self, code: str) -> str | None:
        pair = self.index.pair(code)
        return None if pair is None else pair.code

    def pairs_with(self, mentor_ref: str, mentee_refs: tuple[str, ...]) -> list[PairSpan]:
        mentor = self.index.person(mentor_ref, Role.MENTOR)
        mentees = [self.index.person(ref, Role.MENTEE) for ref in mentee_refs]
        if mentor is None or any(p is None for p in mentees):
            return []
        if self._by_people is None:  # filed once: a workbook of N pairs asks N times
            self._by_people = {}
            for pair in self.index.pairs():
                people = frozenset(link.person_id for link in pair.mentee_links)
                span = PairSpan(pair.code, pair.start, pair.end)
                self._by_people.setdefault((pair.mentor_id, people), []).append(span)
        key = (mentor.id, frozenset(p.id for p in mentees if p is not None))
        return self._by_people.get(key, [])

    def pair_ends(self, code: str) -> tuple[date, date | None] | None:
        pair = self.index.pair(code)
        if pair is None:
            return None
        if self._approved is None:  # read once: a workbook asks per pair and per result
            self._approved = approved_ends(self.session)
        return pair.end, self._approved.get(pair.code)

    def pair_as_registered(
        self, code: str, start: date, end: date, mentor_ref: str, mentee_refs: tuple[str, ...]
    ) -> bool:
        pair = self.index.pair(code)
        if pair is None or (pair.start, pair.end) != (start, end):
            return False
        if self.index.person(mentor_ref, Role.MENTOR) is not pair.mentor:
            return False
        mentees = [self.index.person(ref, Role.MENTEE) for ref in mentee_refs]
        if any(p is None for p in mentees):
            return False
        return {p.id for p in mentees if p is not None} == {p.id for p in pair.mentees}

    def pair_mode(self, code: str) -> str | None:
        pair = self.index.pair(code)
        return None if pair is None else pair.mode

    def starts_new_term(self, code: str, start: date) -> bool:
        pair = self.index.pair(code)
        return pair is not None and is_new_term(pair, start)

    def registered_term(self, code: str) -> tuple[date, date] | None:
        pair = self.index.pair(code)
        return None if pair is None else (pair.start, pair.end)

    def trainings(self) -> list[tuple[date, str, float]]:
        return [(x.date, x.topic, x.hours) for x in read_rows(self.session, TrainingRecord)]

    def continued_term(self, code: str) -> tuple[date, date, str] | None:
        pair = self.index.pair(code)
        if pair is None:
            return None
        term = PairTerm.__table__.c
        before = self.session.scalars(
            select(term.school_year)
            .where(term.pair_id == pair.id)
            .order_by(term.start.desc())
            .limit(1)
        ).first()
        return None if before is None else (pair.start, pair.end, before)

    def unrenewed_year(self, code: str) -> tuple[str, str] | None:
        pair = self.index.pair(code)
        school = read_one(self.session, OrganizationRecord, 1)
        if pair is None or school is None:
            return None
        began, now = school_year(pair.start), int(school.school_year[:4])
        if began >= now:
            return None
        approved = approved_pairs(self.session)
        if pair.end >= date(now, 9, 1) and year_name(began) not in approved.listed.get(
            pair.code, set()
        ):
            return None  # never in an order of its own year: the register's year counts it
        report = final_report_year(self.session)
        if report is None or report == year_name(began):
            return None
        return year_name(began), report

    def reused_code(
        self, code: str, mentor_ref: str, mentee_refs: tuple[str, ...], start: date
    ) -> PairPeople | None:
        pair = self.index.pair(code)
        if pair is None or not is_new_term(pair, start):
            return None
        then = {(pair.mentor.id, Role.MENTOR)} | {(p.id, Role.MENTEE) for p in pair.mentees}
        then |= {(x.person_id, x.role) for x in pair.formers}
        mentor = self.index.person(mentor_ref, Role.MENTOR)
        now = {(mentor.id, Role.MENTOR)} if mentor is not None else set()
        for ref in mentee_refs:
            if (mentee := self.index.person(ref, Role.MENTEE)) is not None:
                now.add((mentee.id, Role.MENTEE))
        if now & then:
            return None
        names = tuple(p.full_name for p in pair.mentees)
        return PairPeople(pair.code, pair.start, pair.end, pair.mentor.full_name, names)

    def former_mentor(self, code: str, mentor_ref: str) -> str | None:
        pair = self.index.pair(code)
        if pair is None or self.index.person(mentor_ref, Role.MENTOR) is pair.mentor:
            return None
        return pair.mentor.full_name

    def born_on(self, birth: date, role: str) -> list[tuple[str, str | None]]:
        if role not in self._birth_roles:  # filed once per role: a workbook asks per row
            self._birth_roles.add(role)
            for person in self.index.people(role):
                if person.birth_date is not None:
                    entry = (person.full_name or "", person.code)
                    self._by_birth.setdefault((role, person.birth_date), []).append(entry)
        return self._by_birth.get((role, birth), [])

    def births_of(self, full_name: str, role: str) -> list[tuple[date, str | None]]:
        people = self.index.matching(full_name, role)
        return [(p.birth_date, p.code) for p in people if p.birth_date is not None]

    def has_identity_document(self, code: str | None, full_name: str, birth: date | None) -> bool:
        person = self.index.same(Role.MENTOR, code, full_name, birth)
        return person is not None and bool(person.identity_document)

    def has_organization(self) -> bool:
        return read_one(self.session, OrganizationRecord, 1) is not None

    def school_year(self) -> str | None:
        school = read_one(self.session, OrganizationRecord, 1)
        return school.school_year if school is not None else None

    def is_other_school(self, full_name: str, inn: str | None) -> bool:
        from service.register.school import same_school, the_school  # school.py imports from here

        registered = the_school(self.session)
        return registered is not None and not same_school(registered, full_name, inn)

    def student_class(self, ref: str, role: str) -> tuple[str, str, str] | None:
        person = self.index.person(ref, role)
        if person is None or person.category != PUPIL or not person.listed_year:
            return None
        return person.full_name, person.position or "", person.listed_year

    def listed_class(
        self, role: str, code: str | None, full_name: str, birth_date: date
    ) -> tuple[str, str] | None:
        person = self.index.same(role, code, full_name, birth_date)
        if person is None or person.category != PUPIL or not person.listed_year:
            return None
        return person.position or "", person.listed_year

    def sex_of(self, role: str, code: str | None, full_name: str, birth_date: date) -> str | None:
        """The «Пол» held for the person a sheet row is (:meth:`RegisterIndex.same`)."""
        person = self.index.same(role, code, full_name, birth_date)
        return person.sex if person is not None else None

    def registered_name(
        self, role: str, code: str | None, full_name: str, birth_date: date
    ) -> str | None:
        person = self.index.same(role, code, full_name, birth_date)
        return person.full_name if person is not None else None

    def listed_before(
        self, role: str, code: str | None, full_name: str, birth_date: date, year: str
    ) -> str | None:
        person = self.index.same(role, code, full_name, birth_date)
        return listed.listed_before(self.index, person, year)

    def sexes_named(self, full_name: str) -> set[str]:
        """The «Пол» held for the registered mentors and mentees of this ФИО."""
        found = (
            *self.index.matching(full_name, Role.MENTOR),
            *self.index.matching(full_name, Role.MENTEE),
        )
        return {person.sex for person in found if person.sex}

    def signer_standing(self, full_name: str, role: str) -> tuple[str, str] | None:
        from service.register.disabling import signer_standing  # it imports name_key from here

        return signer_standing(self.session, full_name, role)

    def offices(self) -> list[tuple[str, str]]:
        school = read_one(self.session, OrganizationRecord, 1)
        if school is None:
            return []
        names = ("head_name", "curator_name", "coordinator_name")
        return [(office, name) for office in names if (name := getattr(school, office, None))]


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
