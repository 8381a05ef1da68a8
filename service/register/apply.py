"""Apply a validated workbook to the register (inside the caller's transaction).

A sheet present in the workbook is the current state of that sheet: people and pairs are
updated or added (never removed), and lists that belong together — a pair's plan, the roadmap,
the trainings — are replaced as a whole when the workbook carries them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete
from sqlalchemy.orm import Session

from service.intake import model as wb
from service.intake.normalise import code_key
from service.intake.vocabulary import DEFAULT_MODE
from service.register import records as r
from service.register import terms
from service.register.index import RegisterIndex, keep_yo, name_key
from service.register.listed import not_listed_again, this_years_pairs
from service.register.models import Role

Pair = r.PairRecord
Person = r.PersonRecord


def apply_workbook(session: Session, book: wb.Workbook) -> None:
    """Write everything ``book`` carries into the register, with SQLAlchemy Core statements
    on plain rows (:mod:`service.register.records`): the ORM's objects and unit of work cost
    a batch more than the writing itself. New rows get the ids one ``INSERT`` each in the
    order below would give them (the order the ORM's flushes wrote them in before)."""
    index = RegisterIndex(session)
    if book.organization is not None:
        _apply_organization(session, book.organization)
    school = r.read_one(session, r.OrganizationRecord, 1)
    year = school.school_year if school is not None else None
    listed_before = {id(person): person.listed_year for person in index.everyone()}
    paired_before = this_years_pairs(index, year)
    mentors = {row: _upsert_person(index, Role.MENTOR, row, year) for row in book.mentors}
    mentees = {row: _upsert_person(index, Role.MENTEE, row, year) for row in book.mentees}
    _write_people(session, index)
    mentors_by_ref, mentees_by_ref = _by_ref(mentors), _by_ref(mentees)
    pairs = {p.code: _upsert_pair(index, p, mentors_by_ref, mentees_by_ref) for p in book.pairs}
    _write_pairs(session, list(pairs.values()))
    listed = [*mentors.values(), *mentees.values()]
    if paired_before:
        r.update_records(session, not_listed_again(index, year, listed_before, listed))
    _apply_plan(session, index, book.plan, pairs)
    if book.roadmap:
        session.execute(delete(r.RoadmapRecord.table))
        r.insert_records(session, _numbered_items(r.RoadmapRecord, book.roadmap, ROADMAP_FIELDS))
    if book.trainings:
        session.execute(delete(r.TrainingRecord.table))
        r.insert_records(
            session,
            [
                r.TrainingRecord(
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
        results = {x.pair_id: x for x in r.read_rows(session, r.ResultRecord)}
        added = [_apply_result(index, result, pairs, results) for result in book.results]
        r.update_records(session, [x for x in results.values() if x not in added])
        r.insert_records(session, [x for x in added if x is not None])


def _write_people(session: Session, index: RegisterIndex) -> None:
    """Write the people the workbook added (in the order they were met: their ids) and what
    it changed in the others; then each one's link to a guardian, which may be one of the new
    people written after its ward (as the ORM's post-update did)."""
    new = index.new_people
    guardians = [person.guardian for person in new]
    for person in new:
        person.guardian_id = None
    r.insert_records(session, new)
    for person, guardian in zip(new, guardians, strict=True):
        person.guardian = guardian
    for person in index.everyone():
        person.guardian_id = person.guardian.id if person.guardian is not None else None
    r.update_records(session, index.everyone())
    index.new_people = []


def _write_pairs(session: Session, pairs: list[Pair]) -> None:
    """Write the workbook's pairs (new ones in its order) and their links to their mentees
    (a link no longer listed deleted)."""
    for pair in pairs:
        pair.mentor_id = pair.mentor.id
    r.insert_records(session, [pair for pair in pairs if not pair._saved])
    r.update_records(session, [pair for pair in pairs if pair._saved])
    link = r.LinkRecord.table
    for pair in pairs:
        gone = [x.person_id for x in pair.dropped_links]
        if gone:
            session.execute(
                delete(link).where(link.c.pair_id == pair.id, link.c.person_id.in_(gone))
            )
        pair.dropped_links = []
    new_links = []
    for pair in pairs:
        for x in pair.mentee_links:
            x.pair_id, x.person_id = pair.id, x.person.id
            if not x._saved:
                new_links.append(x)
    r.insert_records(session, new_links)
    for pair in pairs:
        _update_links(session, [x for x in pair.mentee_links if x._saved and x.changes()])
    terms.write_formers(session, pairs)
    if any(pair.new_term for pair in pairs):
        terms.start_new_terms(session, [pair for pair in pairs if pair.new_term])


def _update_links(session: Session, links: list[r.LinkRecord]) -> None:
    """A kept link's new position (the table's key is the pair and the person)."""
    table = r.LinkRecord.table
    for x in links:
        session.execute(
            table.update()
            .where(table.c.pair_id == x.pair_id, table.c.person_id == x.person_id)
            .values(position=x.position)
        )
        x.mark_saved()


def _apply_organization(session: Session, org: wb.Organization) -> None:
    row = r.read_one(session, r.OrganizationRecord, 1) or r.OrganizationRecord(id=1)
    for field in (
        "full_name",
        "short_name",
        "locality",
        "address",
        "inn",
        "ogrn",
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
    r.save_record(session, row)


_ORGANIZATION_NAMES = frozenset({"head_name", "curator_name", "coordinator_name"})
"""The people's names on «Организация»: a later sheet writing «е» for «ё» keeps the «ё»."""


def _new_person(index: RegisterIndex, role: str, **fields: str | bool) -> Person:
    """A new person. People get their ids in the order they are met: they are written in
    the order they were added, a ward's link to its guardian after both
    (:func:`_write_people`)."""
    person = Person(role=role, **fields)
    index.new_people.append(person)
    return person


def _guardian(index: RegisterIndex, name: str | None, phone: str | None = None) -> Person | None:
    if not name:
        return None
    found = index.person(name, Role.GUARDIAN)
    if found is None:
        # is_external given as every other new person has it: rows of one shape are one
        # executemany (a guardian without it split a school's people into a statement each)
        found = _new_person(index, Role.GUARDIAN, full_name=name, is_external=False, sex=None)
        index.remember(found)
    if phone:
        found.phone = phone
    return found


def _upsert_person(
    index: RegisterIndex, role: str, row: wb.Mentor | wb.Mentee, year: str | None
) -> Person:
    """Update or add the person of ``row``, listed in the school year ``year``."""
    person = index.same(role, row.code, row.full_name, row.birth_date)
    known = person is not None
    if person is None:
        person = _new_person(index, role)
    person.listed_year = year
    if row.code and code_key(row.code) != code_key(person.code or ""):
        person.code = row.code  # «Н01» for the register's «Н-01» keeps the register's spelling
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
            person.guardian = _guardian(index, row.guardian_name)
    else:
        person.is_external = False
        if row.request is not None or not known:
            person.request = row.request
        if row.guardian_name or not known:
            person.guardian = _guardian(index, row.guardian_name, row.guardian_phone)
    index.remember(person)
    return person


def _by_ref(fresh: dict[wb.Mentor, Person] | dict[wb.Mentee, Person]) -> dict[str, Person]:
    """The people this workbook wrote, by each key a pair may name them with (Код, ФИО); the
    first row wins, as in the order of the sheet."""
    found: dict[str, Person] = {}
    for row, person in fresh.items():
        if row.code:
            found.setdefault(code_key(row.code), person)
        found.setdefault(name_key(row.full_name), person)
    return found


def _resolve(index: RegisterIndex, ref: str, role: str, fresh: dict[str, Person]) -> Person:
    person = fresh.get(code_key(ref)) or fresh.get(name_key(ref)) or index.person(ref, role)
    if person is None:  # intake has checked every reference; this is a bug if reached
        raise LookupError(f"participant not found: {ref!r} ({role})")
    return person


def _upsert_pair(
    index: RegisterIndex,
    row: wb.Pair,
    mentors: dict[str, Person],
    mentees: dict[str, Person],
) -> Pair:
    """Update or add the pair ``row`` (written by :func:`_write_pairs`)."""
    mentor = _resolve(index, row.mentor_ref, Role.MENTOR, mentors)
    people: list[Person] = []
    for ref in row.mentee_refs:
        person = _resolve(index, ref, Role.MENTEE, mentees)
        if person not in people:
            people.append(person)
    registered = index.pair(row.code)
    pair = registered or Pair(code=row.code, mentee_links=[], plan=[], formers=[])
    pair.left = []
    pair.new_term = registered is not None and terms.is_new_term(registered, row.start)
    pair.previous_end = registered.end if registered is not None else None
    pair.previous_term = terms.term_of(registered) if pair.new_term else None
    if registered is not None and registered.mentor.id != mentor.id:
        pair.left.append((registered.mentor, Role.MENTOR))
    pair.mentor = mentor
    for field in ("form", "start", "end", "goal"):
        setattr(pair, field, getattr(row, field))
    # an empty optional cell keeps what the register has, as a person's do: a pair listed again
    # to move its end lost its variant, tasks and expected results, and a group became
    # «традиционная», in the order and the programme to sign again
    if row.variant is not None or registered is None:
        pair.variant = row.variant
    if row.expected_results is not None or registered is None:
        pair.expected_results = row.expected_results
    if row.mode is not None or registered is None:
        pair.mode = row.mode or DEFAULT_MODE
    if row.tasks or registered is None:
        pair.tasks = list(row.tasks)
    links = {link.person_id: link for link in pair.mentee_links if link.person_id}
    pair.mentee_links = [_link(links.pop(p.id, None), p, i) for i, p in enumerate(people)]
    pair.dropped_links = list(links.values())
    pair.left += [(link.person, Role.MENTEE) for link in pair.dropped_links]
    index.remember_pair(pair)
    return pair


def _link(link: r.LinkRecord | None, person: Person, position: int) -> r.LinkRecord:
    """The pair's link to ``person`` (kept when it exists: re-creating it would clash with the
    old row's primary key)."""
    if link is None:
        link = r.LinkRecord(position=position)
        link.person = person
        return link
    link.position = position
    return link


def _apply_plan(
    session: Session, index: RegisterIndex, items: Iterable[wb.PlanItem], pairs: dict[str, Pair]
) -> None:
    """Replace the plan of each pair the workbook gives one. When none of those pairs has a
    plan yet (a new school, new pairs), nothing is deleted: the new items are written in one
    ``executemany``. Otherwise pair by pair the previous pair's new plan is written, then
    this pair's old plan deleted (the order the ORM's flush per pair wrote them in: the ids
    the new items get depend on it, and stay the same), the last pair's new plan at the
    end."""
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
            pair.plan = _plan_of(pair, rows)
            new_items += pair.plan
        r.insert_records(session, new_items)
        return
    waiting: list[r.PlanItemRecord] = []
    for pair, rows in plans:
        r.insert_records(session, waiting)
        r.delete_ids(session, r.PlanItemRecord.table, [item.id for item in pair.plan])
        pair.plan = waiting = _plan_of(pair, rows)
    r.insert_records(session, waiting)


def _plan_of(pair: Pair, rows: list[wb.PlanItem]) -> list[r.PlanItemRecord]:
    items = _numbered_items(r.PlanItemRecord, rows, PLAN_FIELDS)
    for item in items:
        item.pair_id = pair.id
    return items


PLAN_FIELDS = ("activity", "form", "responsible", "expected_result")
ROADMAP_FIELDS = ("stage", "activities", "responsible", "result")


def _numbered_items(
    model: type[r.PlanItemRecord] | type[r.RoadmapRecord],
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
    row = r.read_one(session, r.FinalEventRecord, 1) or r.FinalEventRecord(id=1)
    row.date, row.form, row.place, row.responsible = (
        event.date,
        event.form,
        event.place,
        event.responsible,
    )
    r.save_record(session, row)


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
    index: RegisterIndex,
    row: wb.Result,
    pairs: dict[str, Pair],
    results: dict[int, r.ResultRecord],
) -> r.ResultRecord | None:
    """Write ``row`` into its pair's result (``results``: the register's, by pair id); the
    result when it is new."""
    pair = pairs.get(row.pair_code) or index.pair(row.pair_code)
    assert pair is not None, row.pair_code
    result = results.get(pair.id)
    added = result is None
    if result is None:
        result = results[pair.id] = r.ResultRecord(pair_id=pair.id)
        result.pair = pair
    result.status, result.reason, result.achieved = row.status, row.reason, row.achieved
    # an empty optional cell erases nothing, as for people and pairs: a row given again with
    # the columns at hand kept no «Выводы», scores or SWOT (play20)
    result.conclusions = row.conclusions or result.conclusions
    result.proposals = row.proposals or result.proposals
    scores = {f: getattr(row, f) for f in SCORE_FIELDS if getattr(row, f) is not None}
    result.scores = {**(result.scores or {}), **scores}
    result.swot = {
        **(result.swot or {}),
        **{f: getattr(row, f) for f in SWOT_FIELDS if getattr(row, f)},
    }
    return result if added else None


def _split_term(term: date | str) -> tuple[date | None, str | None]:
    return (term, None) if isinstance(term, date) else (None, term)
