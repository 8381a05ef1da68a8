"""What a workbook changes in the register, field by field, for the dry run.

:func:`snapshot` reads the register into plain values (labelled with the workbook's own
column headers); :func:`compare` lists what was added and what changed between two snapshots
— a pair by its code («П-02: дата окончания 30.05.2025 → 28.02.2025»), a person by Код, or by
ФИО when there is no code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.intake import schema
from service.register import records as r
from service.register.models import Role

Record = dict[str, str]
"""One row of the register as the workbook shows it: column header → printed value."""


@dataclass(frozen=True)
class Section:
    """One part of the register as a workbook sheet shows it."""

    title: str
    """The sheet's name: «Пары»."""
    added: str
    """How a new row is announced: «новая пара»."""
    removed: str = "запись удаляется"
    """How a row the workbook replaces is announced (trainings and roadmap are replaced as a
    whole)."""


ORGANIZATION = Section(schema.ORGANIZATION.name, "сведения внесены впервые")
MENTORS = Section(schema.MENTORS.name, "новая запись")
MENTEES = Section(schema.MENTEES.name, "новая запись")
PAIRS = Section(schema.PAIRS.name, "новая пара")
TRAININGS = Section(schema.TRAININGS.name, "новое обучение")
ROADMAP = Section(schema.ROADMAP.name, "новый этап")
FINAL_EVENT = Section(schema.FINAL_EVENT.name, "сведения внесены впервые")
RESULTS = Section(
    schema.RESULTS.name,
    "итоги внесены впервые",
    # a workbook removes no «Итоги»: they leave the pair's row when it begins a new term
    "итоги остаются за прежним сроком пары (в документах его учебного года)",
)
SECTIONS = (ORGANIZATION, MENTORS, MENTEES, PAIRS, TRAININGS, ROADMAP, FINAL_EVENT, RESULTS)

Snapshot = dict[str, dict[str, tuple[str, Record]]]
"""Section title → row key → (how the row is named, its record)."""


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


PLAIN = re.compile(r"[\d.,:+ -]+")
"""A printed value shown without quotes: a date, a number, a time."""


@dataclass(frozen=True)
class RowChange:
    """A row the workbook adds to the register, or one whose fields it changes."""

    section: str
    name: str
    """The pair's code, the person's Код (else ФИО), the training's topic…"""
    added: str | None = None
    """The announcement of a new or removed row («новая пара»); None for a changed one."""
    fields: tuple[FieldChange, ...] = ()

    def to_text(self) -> str:
        """«П-02: дата окончания 30.05.2025 → 28.02.2025; цель …»."""
        if self.added:
            return f"{self.name} — {self.added}"
        parts = [f"{_lower(f.label)} {_quoted(f.before)} → {_quoted(f.after)}" for f in self.fields]
        return f"{self.name}: " + "; ".join(parts)


def _quoted(value: str) -> str:
    """A printed text in «»: its words (and its own «;») apart from the field's name and from
    the next change; a date, a number, «—», «да» or «нет» as it is."""
    if value in ("—", "да", "нет") or PLAIN.fullmatch(value):
        return value
    return f"«{value}»"


def printed(value: Any) -> str:
    """A value as the dry run prints it: dates ДД.ММ.ГГГГ, «да»/«нет», «—» for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, list | tuple):
        return "; ".join(printed(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {printed(v)}" for k, v in sorted(value.items()))
    text = " ".join(str(value).split())
    return text if len(text) <= 120 else text[:119] + "…"


def snapshot(session: Session) -> Snapshot:
    """The register's rows that a workbook can add or change, as printed values (read with
    SQLAlchemy Core into plain rows, :mod:`service.register.records`)."""
    found: Snapshot = {section.title: {} for section in SECTIONS}
    org = r.read_one(session, r.OrganizationRecord, 1)
    if org is not None:
        found[ORGANIZATION.title]["organization"] = (
            org.short_name,
            _record(schema.ORGANIZATION, org),
        )
    people = r.read_people(session)
    for person in people:
        if person.role == Role.GUARDIAN:
            continue
        sheet = schema.MENTORS if person.role == Role.MENTOR else schema.MENTEES
        record = _record(sheet, person, skip={"guardian_name", "guardian_phone", "mentor_ref"})
        guardian = person.guardian
        record[sheet.column("guardian_name").header] = printed(guardian and guardian.full_name)
        if person.role == Role.MENTEE:
            record[sheet.column("guardian_phone").header] = printed(guardian and guardian.phone)
        name = f"{person.code} ({person.full_name})" if person.code else person.full_name
        section = MENTORS if person.role == Role.MENTOR else MENTEES
        found[section.title][f"person:{person.id}"] = (name, record)
    pair_table = r.PairRecord.table
    pairs = r.read_pairs(session, r.by_id(people), select(pair_table).order_by(pair_table.c.code))
    for pair in pairs:
        record = _record(schema.PAIRS, pair, skip={"mentor_ref", "mentee_refs"})
        record[schema.PAIRS.column("mentor_ref").header] = printed(pair.mentor.full_name)
        record[schema.PAIRS.column("mentee_refs").header] = printed(
            [p.full_name for p in pair.mentees]
        )
        record[schema.PLAN.name] = printed(
            [f"{i.number}. {i.activity} ({printed(i.term_date or i.term_text)})" for i in pair.plan]
        )
        found[PAIRS.title][f"pair:{pair.id}"] = (pair.code, record)
    training = r.TrainingRecord.table
    trainings = select(training).order_by(training.c.date, training.c.id)
    for training in r.read_rows(session, r.TrainingRecord, trainings):
        found[TRAININGS.title][f"{training.date}|{training.topic}"] = (
            f"«{training.topic}» ({printed(training.date)})",
            _record(schema.TRAININGS, training, skip={"topic", "date"}),
        )
    roadmap = r.RoadmapRecord.table
    for item in r.read_rows(session, r.RoadmapRecord, select(roadmap).order_by(roadmap.c.number)):
        found[ROADMAP.title][item.stage] = (
            f"«{item.stage}»",
            _record(schema.ROADMAP, item, skip={"stage", "term"})
            | {"Срок": printed(item.term_date or item.term_text)},
        )
    events = r.read_rows(session, r.FinalEventRecord)
    event = events[0] if events else None
    if event is not None:
        found[FINAL_EVENT.title]["event"] = (
            "Итоговое мероприятие",
            _record(schema.FINAL_EVENT, event),
        )
    result_table, pairs_by_id = r.ResultRecord.table, r.by_id(pairs)
    for result in r.read_rows(
        session, r.ResultRecord, select(result_table).order_by(result_table.c.pair_id)
    ):
        result.pair = pairs_by_id[result.pair_id]
        record = {  # scores and SWOT are kept in two dicts under the columns' fields
            column.header: printed(
                getattr(result, column.field)
                if hasattr(result, column.field)
                else (result.scores or {}).get(column.field, (result.swot or {}).get(column.field))
            )
            for column in schema.RESULTS.columns
            if column.field != "pair_code"
        }
        found[RESULTS.title][f"pair:{result.pair_id}"] = (result.pair.code, record)
    return found


def compare(before: Snapshot, after: Snapshot) -> list[RowChange]:
    """Rows of ``after`` that ``before`` lacks, then rows whose fields differ, section by
    section in the workbook's order. Rows a workbook removes (a replaced plan) show as
    changed fields of their pair."""
    changes: list[RowChange] = []
    for section in SECTIONS:
        old, new = before.get(section.title, {}), after.get(section.title, {})
        for key, (name, record) in new.items():
            if key not in old:
                changes.append(RowChange(section.title, name, section.added))
                continue
            fields = tuple(
                FieldChange(label, old[key][1].get(label, "—"), value)
                for label, value in record.items()
                if old[key][1].get(label, "—") != value
            )
            if fields:
                changes.append(RowChange(section.title, name, fields=fields))
        for key, (name, _row) in old.items():
            if key not in new:
                changes.append(RowChange(section.title, name, section.removed))
    return changes


def _record(
    sheet: schema.Sheet, row: object, skip: frozenset[str] | set[str] = frozenset()
) -> Record:
    """The sheet's columns that ``row`` has an attribute for, printed."""
    return {
        column.header: printed(getattr(row, column.field))
        for column in sheet.columns
        if column.field not in skip and hasattr(row, column.field)
    }


def _lower(label: str) -> str:
    """«Дата окончания» → «дата окончания»; «ИНН» and «E-mail» stay as they are."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label
