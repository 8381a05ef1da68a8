"""The register's rows as plain objects, read and written with SQLAlchemy Core.

A batch reads the register, changes some of it and plans its documents; it needs the rows'
values and their links (a pair's mentor, mentees and plan, a person's guardian), not the ORM's
unit of work. Building the ORM's objects cost the first batch of every process the mappers'
configuration (~25 ms) and each ORM statement's compilation (1–2 ms against 0.2–0.5 for Core),
and every object its instrumented state. A :class:`Record` is a row's columns as attributes,
with the values it was read with, so that only what changed is written back
(:meth:`Record.changes`); the links are plain attributes set by the readers here. The
objects answer what the code that plans documents asks of the ORM's (``pair.mentees``,
``person.guardian``…), so that code is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, TypeVar

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from service.register import models as m
from service.register.ids import first_new_id

R = TypeVar("R", bound="Record")


class Record:
    """One row of :attr:`table`: its columns as attributes (``None`` until given)."""

    table: ClassVar[Table]
    columns: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "table" in cls.__dict__:
            cls.columns = tuple(cls.table.c.keys())

    def __init__(self, **values: Any):
        for name in self.columns:
            setattr(self, name, None)
        self.__dict__.update(values)
        self._saved: dict[str, Any] = {}

    @classmethod
    def loaded(cls: type[R], row: Any) -> R:
        """The record of a row just read (its values are what the register holds)."""
        record = cls.__new__(cls)
        values = dict(row._mapping)
        record.__dict__.update(values)
        record._saved = values
        return record

    def values(self) -> dict[str, Any]:
        """Every column's value, as written."""
        return {name: getattr(self, name) for name in self.columns}

    def changes(self) -> dict[str, Any]:
        """The columns whose value differs from what the register holds (every column of a
        row not written yet)."""
        saved = self._saved
        return {
            name: value
            for name in self.columns
            if (value := getattr(self, name)) != saved.get(name, _NOTHING) or name not in saved
        }

    def mark_saved(self) -> None:
        """What the record holds is now what the register holds."""
        self._saved = self.values()


_NOTHING = object()


class OrganizationRecord(Record):
    table = m.Organization.__table__


class PersonRecord(Record):
    table = m.Person.__table__
    guardian: PersonRecord | None = None


class LinkRecord(Record):
    """A pair's link to one of its mentees."""

    table = m.PairMentee.__table__
    person: PersonRecord


class PlanItemRecord(Record):
    table = m.PlanItem.__table__


class FormerRecord(Record):
    """A pair's former mentor or mentee (:class:`~service.register.models.FormerMember`)."""

    table = m.FormerMember.__table__
    person: PersonRecord


class PairTermRecord(Record):
    """A pair's earlier term (:class:`~service.register.models.PairTerm`)."""

    table = m.PairTerm.__table__


class PairRecord(Record):
    table = m.Pair.__table__
    mentor: PersonRecord
    mentee_links: list[LinkRecord]
    plan: list[PlanItemRecord]
    formers: list[FormerRecord]
    """Its people who left it: a mentor replaced, mentees who left — in this term and in
    earlier terms of the same code (dated within them: see :attr:`formers_now`)."""

    @property
    def mentees(self) -> list[PersonRecord]:
        return [link.person for link in self.mentee_links]

    @property
    def formers_now(self) -> list[FormerRecord]:
        """Those who left it during its present term (a pair continued next year under its
        code starts a new term: who left before it began took part in earlier years)."""
        return [x for x in self.formers if x.left_on >= self.start]

    def former(self, role: str) -> list[PersonRecord]:
        """Its former people of ``role`` (``mentor``, ``mentee``) of this term, in the order
        they left."""
        return [x.person for x in self.formers_now if x.role == role]

    @property
    def all_mentors(self) -> list[PersonRecord]:
        """Its mentor now and those replaced: who led it during the term."""
        return [self.mentor, *self.former("mentor")]

    @property
    def all_mentees(self) -> list[PersonRecord]:
        """Its mentees now and those who left: who were mentored in it during the term."""
        return [*self.mentees, *self.former("mentee")]

    @property
    def everyone(self) -> list[PersonRecord]:
        """Everyone who took part in its present term: its mentor and mentees, now and
        earlier in the term."""
        return [self.mentor, *self.mentees, *(x.person for x in self.formers_now)]

    @property
    def everyone_ever(self) -> list[PersonRecord]:
        """Everyone who ever took part in it, in any term."""
        return [self.mentor, *self.mentees, *(x.person for x in self.formers)]


class ResultRecord(Record):
    table = m.Result.__table__
    pair: PairRecord


class TrainingRecord(Record):
    table = m.Training.__table__


class RoadmapRecord(Record):
    table = m.RoadmapItem.__table__


class FinalEventRecord(Record):
    table = m.FinalEvent.__table__


def read_rows(session: Session, record: type[R], statement: Any = None) -> list[R]:
    """``statement`` (by default every row of the record's table) as records."""
    if statement is None:
        statement = select(record.table)
    return [record.loaded(row) for row in session.execute(statement)]


def read_one(session: Session, record: type[R], row_id: int) -> R | None:
    """The row of ``record``'s table with this id, if any."""
    table = record.table
    row = session.execute(select(table).where(table.c.id == row_id)).first()
    return record.loaded(row) if row is not None else None


def read_people(session: Session, statement: Any = None) -> list[PersonRecord]:
    """People (by default all, by id) with their guardians linked (the guardians read with
    them when ``statement`` leaves them out)."""
    person = m.Person.__table__
    if statement is None:
        statement = select(person).order_by(person.c.id)
    people = read_rows(session, PersonRecord, statement)
    link_guardians(session, people)
    return people


def link_guardians(session: Session, people: Sequence[PersonRecord]) -> None:
    """Set each person's :attr:`~PersonRecord.guardian` (reading those not among ``people``)."""
    by_id = {p.id: p for p in people}
    missing = {p.guardian_id for p in people if p.guardian_id and p.guardian_id not in by_id}
    if missing:
        person = m.Person.__table__
        others = read_rows(session, PersonRecord, select(person).where(person.c.id.in_(missing)))
        by_id.update((p.id, p) for p in others)
    for p in people:
        p.guardian = by_id.get(p.guardian_id) if p.guardian_id else None


def read_pairs(
    session: Session, people: dict[int, PersonRecord], statement: Any = None
) -> list[PairRecord]:
    """Pairs (by default all, in the table's order) with their mentor, mentee links (by
    position) and plans (by number): a query each for the links and the plans."""
    pairs = read_rows(session, PairRecord, statement)
    by_id = {pair.id: pair for pair in pairs}
    for pair in pairs:
        pair.mentee_links, pair.plan, pair.formers = [], [], []
    if pairs:
        link, item = m.PairMentee.__table__, m.PlanItem.__table__
        ids = list(by_id)
        links = select(link).where(link.c.pair_id.in_(ids)).order_by(link.c.position)
        for row in read_rows(session, LinkRecord, links):
            by_id[row.pair_id].mentee_links.append(row)
        plan = select(item).where(item.c.pair_id.in_(ids)).order_by(item.c.number)
        for row in read_rows(session, PlanItemRecord, plan):
            by_id[row.pair_id].plan.append(row)
        former = m.FormerMember.__table__
        earlier = select(former).where(former.c.pair_id.in_(ids)).order_by(former.c.left_on)
        for row in read_rows(session, FormerRecord, earlier):
            by_id[row.pair_id].formers.append(row)
        wanted = {pair.mentor_id for pair in pairs}
        wanted |= {row.person_id for pair in pairs for row in pair.mentee_links}
        wanted |= {row.person_id for pair in pairs for row in pair.formers}
        absent = wanted - people.keys()
        if absent:
            person = m.Person.__table__
            statement = select(person).where(person.c.id.in_(absent))
            people = {**people, **{p.id: p for p in read_people(session, statement)}}
        for pair in pairs:
            pair.mentor = people[pair.mentor_id]
            for row in [*pair.mentee_links, *pair.formers]:
                row.person = people[row.person_id]
    return pairs


def by_id(records: Iterable[R]) -> dict[int, R]:
    return {record.id: record for record in records}


def insert_records(session: Session, records: Sequence[Record], omit_none: bool = False) -> None:
    """Write new ``records`` (all of one table) in their order, in one ``executemany``, each
    given the id one ``INSERT`` each would have given it: on SQLite numbered beforehand
    (:func:`~service.register.ids.first_new_id`), elsewhere returned in the rows' order.
    ``omit_none``: the columns a single record leaves None are not written (a JSON column
    given None would hold JSON's ``null``, not SQL's NULL)."""
    if not records:
        return
    table = records[0].table
    rows = [record.values() for record in records]
    if omit_none:
        (row,) = rows
        rows = [{name: value for name, value in row.items() if value is not None}]
    if "id" not in table.c:
        session.execute(insert(table), rows)
    elif (first := first_new_id(session, table)) is not None:
        for number, (record, row) in enumerate(zip(records, rows, strict=True), first):
            record.id = row["id"] = number
        session.execute(insert(table), rows)
    else:
        for row in rows:
            row.pop("id", None)
        returned = session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
        )
        for record, (number,) in zip(records, returned, strict=True):
            record.id = number
    for record in records:
        record.mark_saved()


def update_records(session: Session, records: Iterable[Record]) -> None:
    """Write what changed in ``records`` (rows already in the register), by id; the records
    changing the same columns in one ``executemany``."""
    groups: dict[tuple[Table, tuple[str, ...]], list[dict[str, Any]]] = {}
    for record in sorted(records, key=lambda r: r.id):
        changed = record.changes()
        if changed:
            key = (record.table, tuple(changed))
            groups.setdefault(key, []).append(
                {"_id": record.id, **{f"new_{k}": v for k, v in changed.items()}}
            )
            record.mark_saved()
    for (table, names), rows in groups.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({name: bindparam(f"new_{name}") for name in names})
        )
        session.execute(statement, rows)


def save_record(session: Session, record: Record) -> None:
    """Insert ``record`` if it is not in the register yet (read with the values it holds),
    else write what changed."""
    if record._saved:
        update_records(session, [record])
    else:
        session.execute(insert(record.table), [record.values()])
        record.mark_saved()


def delete_ids(session: Session, table: Table, ids: Sequence[int]) -> None:
    """Delete the rows of ``table`` with these ids."""
    if ids:
        session.execute(delete(table).where(table.c.id.in_(ids)))
