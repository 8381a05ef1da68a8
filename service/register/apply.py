"""Apply a validated workbook to the register (inside the caller's transaction).

A sheet present in the workbook is the current state of that sheet: people and pairs are
updated or added (never removed), and lists that belong together — a pair's plan, the roadmap,
the trainings — are replaced as a whole when the workbook carries them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.intake import model as wb
from service.register.models import (
    FinalEvent,
    Organization,
    Pair,
    PairMentee,
    Person,
    PlanItem,
    Result,
    RoadmapItem,
    Role,
    Training,
)


def name_key(text: str) -> str:
    """How names and codes are compared: case, ё/е and spacing do not matter."""
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").casefold().split())


class RegisterLookup:
    """Answers the intake's questions about what the register already knows."""

    def __init__(self, session: Session):
        self.session = session

    def has_person(self, ref: str, role: str) -> bool:
        return find_person(self.session, ref, role) is not None

    def ambiguous(self, ref: str, role: str) -> bool:
        return len(people_matching(self.session, ref, role)) > 1

    def has_pair(self, code: str) -> bool:
        return find_pair(self.session, code) is not None

    def has_organization(self) -> bool:
        return self.session.get(Organization, 1) is not None


_DATED_REF = re.compile(
    r"^(?P<name>.*?\S)\s*\(\s*(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\s*\)$"
)


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


def people_matching(session: Session, ref: str, role: str) -> list[Person]:
    """The people of ``role`` that ``ref`` can mean: the one whose Код it is, else those with
    this ФИО (and date of birth, when the reference gives one), the most recent first."""
    key = name_key(ref)
    people = list(
        session.scalars(select(Person).where(Person.role == role).order_by(Person.id.desc()))
    )
    for person in people:
        if person.code and name_key(person.code) == key:
            return [person]
    name, born = split_ref(ref)
    key = name_key(name)
    return [
        p for p in people if name_key(p.full_name) == key and (born is None or p.birth_date == born)
    ]


def find_person(session: Session, ref: str, role: str) -> Person | None:
    """The person of ``role`` whose Код or ФИО is ``ref``; None if there is none or if two
    share that ФИО (a guardian: the most recently added one)."""
    found = people_matching(session, ref, role)
    if len(found) == 1 or (found and role == Role.GUARDIAN):
        return found[0]
    return None


def find_pair(session: Session, code: str) -> Pair | None:
    key = name_key(code)
    for pair in session.scalars(select(Pair)):
        if name_key(pair.code) == key:
            return pair
    return None


def apply_workbook(session: Session, book: wb.Workbook) -> None:
    """Write everything ``book`` carries into the register."""
    if book.organization is not None:
        _apply_organization(session, book.organization)
    mentors = {row: _upsert_person(session, Role.MENTOR, row) for row in book.mentors}
    mentees = {row: _upsert_person(session, Role.MENTEE, row) for row in book.mentees}
    session.flush()
    pairs = {p.code: _upsert_pair(session, p, mentors, mentees) for p in book.pairs}
    session.flush()
    _apply_plan(session, book.plan, pairs)
    if book.roadmap:
        session.execute(delete(RoadmapItem))
        for number, item in enumerate(book.roadmap, 1):
            term_date, term_text = _split_term(item.term)
            session.add(
                RoadmapItem(
                    number=number,
                    stage=item.stage,
                    activities=item.activities,
                    term_date=term_date,
                    term_text=term_text,
                    responsible=item.responsible,
                    result=item.result,
                )
            )
    if book.trainings:
        session.execute(delete(Training))
        for number, item in enumerate(sorted(book.trainings, key=lambda t: t.date), 1):
            session.add(
                Training(
                    number=number,
                    topic=item.topic,
                    date=item.date,
                    hours=item.hours,
                    form=item.form,
                    responsible=item.responsible,
                )
            )
    if book.final_event is not None:
        _apply_final_event(session, book.final_event)
    for result in book.results:
        _apply_result(session, result, pairs)
    session.flush()


def _apply_organization(session: Session, org: wb.Organization) -> None:
    row = session.get(Organization, 1) or Organization(id=1)
    for field in (
        "full_name",
        "short_name",
        "locality",
        "address",
        "inn",
        "head_name",
        "head_position",
        "curator_name",
        "curator_position",
        "coordinator_name",
        "coordinator_position",
        "school_year",
        "students_total",
        "teachers_total",
        "website",
        "regulation_adopted_on",
        "regulation_protocol",
    ):
        setattr(row, field, getattr(org, field))
    session.add(row)


def _find_same_person(session: Session, role: str, row: wb.Mentor | wb.Mentee) -> Person | None:
    if row.code:
        found = session.scalars(
            select(Person).where(Person.role == role, Person.code == row.code)
        ).first()
        if found:
            return found
    key = name_key(row.full_name)
    for person in session.scalars(
        select(Person).where(Person.role == role, Person.birth_date == row.birth_date)
    ):
        if name_key(person.full_name) == key:
            return person
    return None


def _guardian(session: Session, name: str | None, phone: str | None = None) -> Person | None:
    if not name:
        return None
    found = find_person(session, name, Role.GUARDIAN)
    if found is None:
        found = Person(role=Role.GUARDIAN, full_name=name)
        session.add(found)
    if phone:
        found.phone = phone
    return found


def _upsert_person(session: Session, role: str, row: wb.Mentor | wb.Mentee) -> Person:
    person = _find_same_person(session, role, row)
    if person is None:
        person = Person(role=role)
        session.add(person)
    person.code = row.code or person.code
    person.full_name = row.full_name
    person.birth_date = row.birth_date
    person.category = row.category
    person.position = row.position
    if isinstance(row, wb.Mentor):
        person.is_external = row.is_external
        for field in (
            "workplace",
            "experience_years",
            "competences",
            "phone",
            "email",
            "address",
            "identity_document",
        ):
            setattr(person, field, getattr(row, field))
        person.guardian = _guardian(session, row.guardian_name)
    else:
        person.is_external = False
        person.request = row.request
        person.guardian = _guardian(session, row.guardian_name, row.guardian_phone)
    return person


def _resolve(session: Session, ref: str, role: str, fresh: dict) -> Person:
    key = name_key(ref)
    for row, person in fresh.items():
        if (row.code and name_key(row.code) == key) or name_key(row.full_name) == key:
            return person
    person = find_person(session, ref, role)
    if person is None:  # intake has checked every reference; this is a bug if reached
        raise LookupError(f"participant not found: {ref!r} ({role})")
    return person


def _upsert_pair(session: Session, row: wb.Pair, mentors: dict, mentees: dict) -> Pair:
    """Update or add the pair ``row``; a new pair is added to the session only when complete
    (the look-ups below query, and an autoflush of a half-built pair breaks NOT NULL)."""
    mentor = _resolve(session, row.mentor_ref, Role.MENTOR, mentors)
    people: list[Person] = []
    for ref in row.mentee_refs:
        person = _resolve(session, ref, Role.MENTEE, mentees)
        if person not in people:
            people.append(person)
    pair = find_pair(session, row.code) or Pair(code=row.code)
    pair.mentor = mentor
    for field in ("form", "variant", "mode", "start", "end", "goal", "expected_results"):
        setattr(pair, field, getattr(row, field))
    pair.tasks = list(row.tasks)
    links = {link.person_id: link for link in pair.mentee_links if link.person_id}
    pair.mentee_links = [_link(links.get(p.id), p, i) for i, p in enumerate(people)]
    session.add(pair)
    return pair


def _link(link: PairMentee | None, person: Person, position: int) -> PairMentee:
    """The pair's link to ``person`` (kept when it exists: re-creating it would clash with the
    old row's primary key)."""
    if link is None:
        return PairMentee(person=person, position=position)
    link.position = position
    return link


def _apply_plan(session: Session, items: Iterable[wb.PlanItem], pairs: dict[str, Pair]) -> None:
    by_pair: dict[str, list[wb.PlanItem]] = {}
    for item in items:
        by_pair.setdefault(item.pair_code, []).append(item)
    for code, rows in by_pair.items():
        pair = pairs.get(code) or find_pair(session, code)
        assert pair is not None, code
        pair.plan = []
        session.flush()
        for number, item in enumerate(rows, 1):
            term_date, term_text = _split_term(item.term)
            pair.plan.append(
                PlanItem(
                    number=number,
                    activity=item.activity,
                    term_date=term_date,
                    term_text=term_text,
                    form=item.form,
                    responsible=item.responsible,
                    expected_result=item.expected_result,
                )
            )


def _apply_final_event(session: Session, event: wb.FinalEvent) -> None:
    row = session.get(FinalEvent, 1) or FinalEvent(id=1)
    row.date, row.form, row.place, row.responsible = (
        event.date,
        event.form,
        event.place,
        event.responsible,
    )
    session.add(row)


SCORE_FIELDS = (
    "engagement_in",
    "engagement_out",
    "self_esteem_in",
    "self_esteem_out",
    "anxiety_in",
    "anxiety_out",
)
SWOT_FIELDS = ("strengths", "weaknesses", "opportunities", "threats")


def _apply_result(session: Session, row: wb.Result, pairs: dict[str, Pair]) -> None:
    pair = pairs.get(row.pair_code) or find_pair(session, row.pair_code)
    assert pair is not None, row.pair_code
    result = session.scalars(select(Result).where(Result.pair_id == pair.id)).first()
    if result is None:
        result = Result(pair=pair)
        session.add(result)
    result.status, result.reason, result.achieved = row.status, row.reason, row.achieved
    result.conclusions, result.proposals = row.conclusions, row.proposals
    result.scores = {f: getattr(row, f) for f in SCORE_FIELDS if getattr(row, f) is not None}
    result.swot = {f: getattr(row, f) for f in SWOT_FIELDS if getattr(row, f)}


def _split_term(term: date | str) -> tuple[date | None, str | None]:
    return (term, None) if isinstance(term, date) else (None, term)
