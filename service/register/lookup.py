"""The register answering the intake's questions (:class:`service.intake.lookup.RegisterLookup`,
the interface intake checks a workbook through): is this person, pair, school already known, and
how. Read once, through :class:`~service.register.index.RegisterIndex`, at the first question."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.intake.forms import PUPIL
from service.intake.lookup import PairPeople, PairSpan
from service.intake.normalise import code_key
from service.register import disabling, listed
from service.register.approved import approved_ends, approved_pairs, final_report_year
from service.register.index import RegisterIndex
from service.register.models import PairTerm, Role
from service.register.records import OrganizationRecord, TrainingRecord, read_one, read_rows
from service.register.school import same_school, the_school
from service.register.terms import is_new_term, school_year, year_name


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

    def replaced_mentor(self, code: str, mentor_ref: str) -> tuple[str, date] | None:
        pair = self.index.pair(code)
        person = self.index.person(mentor_ref, Role.MENTOR)
        if pair is None or person is None or person is pair.mentor:
            return None
        days = [
            x.left_on
            for x in pair.formers_now
            if x.role == Role.MENTOR and x.person_id == person.id
        ]
        return (person.full_name, max(days)) if days else None

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
        return disabling.signer_standing(self.session, full_name, role)

    def offices(self) -> list[tuple[str, str]]:
        school = read_one(self.session, OrganizationRecord, 1)
        if school is None:
            return []
        names = ("head_name", "curator_name", "coordinator_name")
        return [(office, name) for office in names if (name := getattr(school, office, None))]
