"""Apply a validated workbook to the register (inside the caller's transaction).

A sheet present in the workbook is the current state of that sheet: people and pairs are
updated or added (never removed), and lists that belong together — a pair's plan, the roadmap,
the trainings — are replaced as a whole when the workbook carries them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from service.intake import model as wb
from service.register.ids import number_new_rows
from service.register.index import RegisterIndex, keep_yo, name_key
from service.register.models import (
    Base,
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


def apply_workbook(session: Session, book: wb.Workbook) -> None:
    """Write everything ``book`` carries into the register."""
    index = RegisterIndex(session)
    if book.organization is not None:
        _apply_organization(session, book.organization)
    mentors = {row: _upsert_person(session, index, Role.MENTOR, row) for row in book.mentors}
    mentees = {row: _upsert_person(session, index, Role.MENTEE, row) for row in book.mentees}
    number_new_rows(session, Person, index.new_people)  # written in one executemany
    session.flush()
    mentors_by_ref, mentees_by_ref = _by_ref(mentors), _by_ref(mentees)
    pairs = {
        p.code: _upsert_pair(session, index, p, mentors_by_ref, mentees_by_ref) for p in book.pairs
    }
    new_pairs = {pair for pair in pairs.values() if pair.id is None}
    number_new_rows(session, Pair, list(pairs.values()))
    session.flush()
    for pair in new_pairs:  # just written: no plan to read back before giving it one
        set_committed_value(pair, "plan", [])
    _apply_plan(session, index, book.plan, pairs)
    if book.roadmap:
        session.execute(delete(RoadmapItem))
        _add_numbered(
            session, RoadmapItem, _numbered_items(RoadmapItem, book.roadmap, ROADMAP_FIELDS)
        )
    if book.trainings:
        session.execute(delete(Training))
        _add_numbered(
            session,
            Training,
            [
                Training(
                    number=number,
                    topic=item.topic,
                    date=item.date,
                    hours=item.hours,
                    form=item.form,
                    responsible=item.responsible,
                )
                for number, item in enumerate(sorted(book.trainings, key=lambda t: t.date), 1)
            ],
        )
    if book.final_event is not None:
        _apply_final_event(session, book.final_event)
    if book.results:  # the register's results read at once, not with a query per row
        results = {r.pair_id: r for r in session.scalars(select(Result))}
        added = [_apply_result(session, index, result, pairs, results) for result in book.results]
        number_new_rows(session, Result, [result for result in added if result is not None])
    session.flush()


def _add_numbered(session: Session, model: type[Base], rows: list[Base]) -> None:
    """Add new ``rows`` of ``model``, numbered as SQLite would number them written in this
    order (:func:`~service.register.ids.number_new_rows`): one ``executemany`` at the next
    flush instead of an ``INSERT … RETURNING`` each."""
    number_new_rows(session, model, rows)
    session.add_all(rows)


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
        value = getattr(org, field)
        if field in _ORGANIZATION_NAMES:
            value = keep_yo(getattr(row, field), value)
        setattr(row, field, value)
    session.add(row)


_ORGANIZATION_NAMES = frozenset({"head_name", "curator_name", "coordinator_name"})
"""The people's names on «Организация»: a later sheet writing «е» for «ё» keeps the «ё»."""


def _new_person(session: Session, index: RegisterIndex, role: str, **fields: str | bool) -> Person:
    """A new person in the session. People get their ids in the order they are met: one
    flush writes them in the order they were added, since a ward's link to its guardian is
    written after both (``Person.guardian`` is a post-update; otherwise the unit of work
    wrote a new guardian before its ward, and a flush per person kept the order, a third of
    applying a 60-pair school); on SQLite they are numbered in that order before the flush
    (:func:`~service.register.ids.number_new_rows`)."""
    person = Person(role=role, **fields)
    session.add(person)
    index.new_people.append(person)
    return person


def _guardian(
    session: Session, index: RegisterIndex, name: str | None, phone: str | None = None
) -> Person | None:
    if not name:
        return None
    found = index.person(name, Role.GUARDIAN)
    if found is None:
        # is_external given as every other new person has it: rows of one shape are one
        # executemany (a guardian without it split a school's people into a statement each)
        found = _new_person(
            session, index, Role.GUARDIAN, full_name=name, is_external=False, sex=None
        )
        index.remember(found)
    if phone:
        found.phone = phone
    return found


def _upsert_person(
    session: Session, index: RegisterIndex, role: str, row: wb.Mentor | wb.Mentee
) -> Person:
    person = index.same(role, row.code, row.full_name, row.birth_date)
    known = person is not None
    if person is None:
        person = _new_person(session, index, role)
    person.code = row.code or person.code
    person.full_name = keep_yo(person.full_name, row.full_name)
    person.birth_date = row.birth_date
    person.category = row.category
    person.position = row.position
    if row.sex is not None or not known:  # «Пол» left empty keeps the register's
        person.sex = row.sex
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
            value = getattr(row, field)
            if value is not None or not known:  # an empty cell keeps what the register has
                setattr(person, field, value)
        if row.guardian_name or not known:  # a pupil mentor's guardian, kept as the rest
            person.guardian = _guardian(session, index, row.guardian_name)
    else:
        person.is_external = False
        if row.request is not None or not known:
            person.request = row.request
        if row.guardian_name or not known:
            person.guardian = _guardian(session, index, row.guardian_name, row.guardian_phone)
    index.remember(person)
    return person


def _by_ref(fresh: dict[wb.Mentor, Person] | dict[wb.Mentee, Person]) -> dict[str, Person]:
    """The people this workbook wrote, by each key a pair may name them with (Код, ФИО); the
    first row wins, as in the order of the sheet."""
    found: dict[str, Person] = {}
    for row, person in fresh.items():
        if row.code:
            found.setdefault(name_key(row.code), person)
        found.setdefault(name_key(row.full_name), person)
    return found


def _resolve(index: RegisterIndex, ref: str, role: str, fresh: dict[str, Person]) -> Person:
    person = fresh.get(name_key(ref)) or index.person(ref, role)
    if person is None:  # intake has checked every reference; this is a bug if reached
        raise LookupError(f"participant not found: {ref!r} ({role})")
    return person


def _upsert_pair(
    session: Session,
    index: RegisterIndex,
    row: wb.Pair,
    mentors: dict[str, Person],
    mentees: dict[str, Person],
) -> Pair:
    """Update or add the pair ``row``; a new pair is added to the session only when complete
    (a query on the way would autoflush it half-built, and NOT NULL breaks)."""
    mentor = _resolve(index, row.mentor_ref, Role.MENTOR, mentors)
    people: list[Person] = []
    for ref in row.mentee_refs:
        person = _resolve(index, ref, Role.MENTEE, mentees)
        if person not in people:
            people.append(person)
    pair = index.pair(row.code) or Pair(code=row.code)
    pair.mentor = mentor
    for field in ("form", "variant", "mode", "start", "end", "goal", "expected_results"):
        setattr(pair, field, getattr(row, field))
    pair.tasks = list(row.tasks)
    links = {link.person_id: link for link in pair.mentee_links if link.person_id}
    pair.mentee_links = [_link(links.get(p.id), p, i) for i, p in enumerate(people)]
    session.add(pair)
    index.remember_pair(pair)
    return pair


def _link(link: PairMentee | None, person: Person, position: int) -> PairMentee:
    """The pair's link to ``person`` (kept when it exists: re-creating it would clash with the
    old row's primary key)."""
    if link is None:
        return PairMentee(person=person, position=position)
    link.position = position
    return link


def _apply_plan(
    session: Session, index: RegisterIndex, items: Iterable[wb.PlanItem], pairs: dict[str, Pair]
) -> None:
    """Replace the plan of each pair the workbook gives one. When none of those pairs has a
    plan yet (a new school, new pairs), nothing is deleted: the new items are numbered and
    written in one ``executemany``. Otherwise each pair's old plan is deleted and its new one
    added pair by pair, a flush each, as ever: the ids the new items get depend on that order
    of deletes and inserts, and stay the same."""
    by_pair: dict[str, list[wb.PlanItem]] = {}
    for item in items:
        by_pair.setdefault(item.pair_code, []).append(item)
    plans = []
    for code, rows in by_pair.items():
        pair = pairs.get(code) or index.pair(code)
        assert pair is not None, code
        plans.append((pair, rows))
    if not any(pair.plan for pair, _ in plans):
        new_items = []
        for pair, rows in plans:
            pair.plan.extend(_numbered_items(PlanItem, rows, PLAN_FIELDS))
            new_items += pair.plan
        number_new_rows(session, PlanItem, new_items)
        return
    for pair, rows in plans:
        pair.plan = []
        session.flush()
        pair.plan.extend(_numbered_items(PlanItem, rows, PLAN_FIELDS))


PLAN_FIELDS = ("activity", "form", "responsible", "expected_result")
ROADMAP_FIELDS = ("stage", "activities", "responsible", "result")


def _numbered_items(
    model: type[PlanItem] | type[RoadmapItem],
    rows: Iterable[wb.PlanItem] | Iterable[wb.RoadmapItem],
    fields: tuple[str, ...],
) -> list:
    """New rows of ``model`` numbered from 1 in the workbook's order, their term split into
    a date or a text."""
    items = []
    for number, row in enumerate(rows, 1):
        term_date, term_text = _split_term(row.term)
        values = {field: getattr(row, field) for field in fields}
        items.append(model(number=number, term_date=term_date, term_text=term_text, **values))
    return items


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


def _apply_result(
    session: Session,
    index: RegisterIndex,
    row: wb.Result,
    pairs: dict[str, Pair],
    results: dict[int, Result],
) -> Result | None:
    """Write ``row`` into its pair's result (``results``: the register's, by pair id); the
    result when it is new."""
    pair = pairs.get(row.pair_code) or index.pair(row.pair_code)
    assert pair is not None, row.pair_code
    result = results.get(pair.id)
    added = result is None
    if result is None:
        result = results[pair.id] = Result(pair=pair)
        session.add(result)
    result.status, result.reason, result.achieved = row.status, row.reason, row.achieved
    result.conclusions, result.proposals = row.conclusions, row.proposals
    result.scores = {f: getattr(row, f) for f in SCORE_FIELDS if getattr(row, f) is not None}
    result.swot = {f: getattr(row, f) for f in SWOT_FIELDS if getattr(row, f)}
    return result if added else None


def _split_term(term: date | str) -> tuple[date | None, str | None]:
    return (term, None) if isinstance(term, date) else (None, term)
