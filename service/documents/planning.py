"""Which documents the register allows now, each with its subject, file name and context.

The register is read once (:class:`Register`); each kind of the catalogue says for itself
whether the register allows its document for a subject and with which variables
(:attr:`Kind.plan <service.documents.kind.Kind.plan>`). The order is the catalogue's: the §12
set, then every participant's documents, every pair's, and the final report.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from service.documents import context as ctx
from service.documents import russian
from service.documents.catalogue import KINDS, Kind, Subject
from service.documents.defaults import default_plan
from service.documents.derived import derived_values
from service.documents.file_names import safe_file_name
from service.documents.final_report_due import FinalReportDue, final_report_note
from service.documents.gender import is_female, person_name
from service.documents.not_due import NotDue, final_report_not_due
from service.documents.replacement import from_replacement, kept_signed, replaced_on, with_mentors
from service.documents.statistics import EARLY, score_rows
from service.documents.tidy import tidy_context
from service.documents.values import PersonName
from service.intake.normalise import person_key
from service.register import models as m
from service.register.programme import Programme, read_programme
from service.register.terms import school_year, year_name


@dataclass
class PlannedDocument:
    kind: Kind
    subject_key: str
    """``organization``, ``person:<id>``, ``pair:<id>``."""
    subject_label: str
    """Who or what the document is about, in Russian («Зуев Никита Андреевич», «П-01»)."""
    file_name: str
    """Readable file name in the outbox (without folder)."""
    context: dict[str, Any]


def context_digest(context: dict) -> str:
    """A stable hash of a template context: same data, same digest."""
    text = json.dumps(context, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Register(FinalReportDue):
    """What planning reads from the register (:class:`Programme`), read once, with the
    contexts several kinds share (a participant, a pair) made once; when the year's final
    report is due is :class:`FinalReportDue`'s."""

    year_start: date = field(init=False)
    year_end: date = field(init=False)
    every_pair: list[m.Pair] = field(init=False)
    """Every pair of the register, this year's and earlier years' (each keeps its own
    programme and report); :attr:`pairs` are this school year's."""
    pair_contexts: list[dict[str, Any]] = field(init=False)
    """A pair's own documents never carry its number in the order's list: adding a pair must
    not make new versions of the other pairs' programmes."""
    numbered: list[dict[str, Any]] = field(init=False)
    """The same, numbered as listed in the order on pairs and the final report, each with the
    mentors replaced in its term (:func:`.replacement.with_mentors`)."""
    _people: dict[int, dict[str, Any]] = field(init=False, default_factory=dict)
    today: date = field(default_factory=date.today)
    """The day the register is planned for: the batch's (its pairs' ends are judged by it)."""

    def __post_init__(self) -> None:
        self.year_start, self.year_end = ctx.school_year_bounds(self.org.school_year)
        self._this_year()
        self.pair_contexts = [ctx.pair_context(p) for p in self.every_pair]
        self._pair_index = {pair.id: index for index, pair in enumerate(self.every_pair)}
        self.numbered = [
            dict(with_mentors(self.pair_context(pair), pair), number=i)
            for i, pair in enumerate(self.pairs, 1)
        ]
        self.shortened = {
            pair.id
            for pair in self.every_pair
            if (approved := self.approved_ends.get(pair.code)) is not None and pair.end < approved
        }
        """Pairs whose end was moved before the approved one: ended early unless «Итоги» say
        «завершена» (see :meth:`ended_early`). Earlier years' too: a programme of last year
        keeps its approved term (play12: the next year's workbook made it again with the
        shortened term, for the new director to sign)."""
        self.as_ordered = [
            dict(with_mentors(self.approved_context(pair), pair), number=i)
            for i, pair in enumerate(self.pairs, 1)
        ]
        """:attr:`numbered` with each pair's term as the signed order on pairs approved it."""
        self._led: dict[int, list[dict[str, Any]]] = {}
        for pair in self.pairs:  # a replaced mentor led the pair too: her consent stands
            for mentor, mentees in mentored_in(pair).items():
                shown = self.pair_context(pair)
                if pair.id in self.shortened:  # her consent was to the approved term (play10)
                    end = self._consented_end(mentor, pair)
                    shown = dict(shown, end=end, months=ctx.months_between(pair.start, end))
                if len(mentees) > len(pair.mentees):  # a mentee left: her consent stands
                    people = [self.person_context_in(pair, x) for x in mentees]
                    shown = dict(shown, mentees=people, is_group=len(people) > 1)
                    shown["mode"] = ctx.mode_of(pair.mode, len(people))
                since = replaced_on(pair) if mentor == pair.mentor.id else None
                if since is not None and since < shown["end"]:  # she took over: as her programme
                    kept = self._kept_programme(pair)  # an ended pair's signed one stands
                    since = kept["start"] if kept and isinstance(kept.get("start"), date) else since
                    shown = dict(shown, start=since, months=ctx.months_between(since, shown["end"]))
                self._led.setdefault(mentor, []).append(shown)
        self._sexes: dict[str, set[str]] = {}
        for person in self.people:
            if person.sex in ("м", "ж"):
                self._sexes.setdefault(person_key(person.full_name), set()).add(person.sex)
        self._first_start: dict[int, date] = {}
        for pair in self.pairs:
            for person in [pair.mentor, *pair.mentees]:
                known = self._first_start.get(person.id)
                if known is None or pair.start < known:
                    self._first_start[person.id] = pair.start

    def _consented_end(self, mentor: int, pair: m.Pair) -> date:
        """The end a mentor's consent names for ``pair``, which ended before its approved end:
        the term she consented to — the one her latest consent printed when it covers the
        pair's present term (an extension the director approved; a consent an earlier release
        made with the shortened term), else the approved one. Printing the approved end again
        made a version equal to her first for her to sign again."""
        printed = self.consented_ends.get((mentor, pair.code))
        if printed is not None and printed >= pair.end:
            return printed
        return self.approved_ends[pair.code]

    def _this_year(self) -> None:
        """Keep in :attr:`pairs`, :attr:`people`, :attr:`trainings` and :attr:`event` what
        belongs to the register's school year: a pair that ended before the year began, the
        training and the final event of an earlier year, a participant listed last year and
        in none of this year's pairs, are last year's — the new year's orders, reports,
        consents and contracts do not name them (their signed documents of that year stay as
        they are). A participant listed this year is this year's before his pair is formed."""
        self.every_pair = list(self.pairs)
        self.pairs = [p for p in self.every_pair if self._of_this_year(p)]
        self.trainings = [t for t in self.trainings if t.date >= self.year_start]
        if self.event is not None and self.event.date < self.year_start:
            self.event = None
        earlier = {x.id for p in self.every_pair for x in p.everyone_ever}
        now = {x.id for p in self.pairs for x in p.everyone}
        year = self.org.school_year
        self.people = [
            p
            for p in self.people
            if p.id in now
            or p.listed_year == year  # listed this year, before this year's pairs
            or (p.listed_year is None and p.id not in earlier)  # listed before release 0008
        ]

    def _of_this_year(self, pair: m.Pair) -> bool:
        return self.of_year(pair, self.year_start.year)

    def of_year(self, pair: m.Pair, first: int) -> bool:
        """Whether ``pair``'s present term is of the school year beginning in ``first``. A
        term is of the year it began in — the order on pairs of that year approved it, and its
        extension past 1 September (seed 000 §7: «продление срока») keeps it that year's
        programme, counted once. A term begun earlier and running into the year is the year's
        only when no order of its own year listed it (a register started that year); going on
        as the next year's programme is a new term under its code
        (:mod:`service.register.terms`). The register's year also has the terms that begin
        later (its «Учебный год» not changed yet)."""
        if pair.end < date(first, 9, 1):
            return False
        began = school_year(pair.start)
        if began >= first:
            return began == first or first == self.year_start.year
        return year_name(began) not in self.listed_years.get(pair.code, set())

    @classmethod
    def read(cls, session: Session, today: date | None = None) -> Register | None:
        """The register as planning sees it on ``today`` (the batch's day; by default the
        calendar's); None before the organization is known."""
        rows = read_programme(session)
        if rows is None:
            return None
        values = {f.name: getattr(rows, f.name) for f in fields(Programme)}
        return cls(**values, today=today or date.today())

    def person_context(self, person: m.Person) -> dict[str, Any]:
        """``person`` as of the start of his first programme (else 1 September)."""
        if person.id not in self._people:
            day = self._first_start.get(person.id, self.year_start)
            self._people[person.id] = ctx.person_context(person, day)
        return self._people[person.id]

    def named(self, full_name: str) -> PersonName:
        """The ФИО of the director, the curator, the coordinator or the final event's
        responsible, with the «Пол» the school gave a participant of the same ФИО: the sheet
        «Организация» has no «Пол», and «Ким Сон Хи» or «Ли Мин» does not tell the sex — the
        contract said «в лице директора Ким Сон Хи, действующего» of a woman whose «Пол» is
        «ж» among the mentors. Two such participants of different «Пол» tell nothing."""
        sexes = self._sexes.get(person_key(full_name), set())
        return person_name(full_name, next(iter(sexes)) if len(sexes) == 1 else None)

    def is_director(self, person: m.Person) -> bool:
        """Whether ``person`` is the school's director (the same ФИО as «Руководитель»): she
        signs the orders, she does not write to herself or acknowledge them."""
        return person_key(person.full_name) == person_key(self.org.head_name)

    def pair_context(self, pair: m.Pair) -> dict[str, Any]:
        return self.pair_contexts[self._pair_index[pair.id]]

    def approved_context(self, pair: m.Pair) -> dict[str, Any]:
        """``pair`` as the signed order on pairs approved its term: a pair that ended before the
        approved end keeps that end (its months, the default plan dated over it) in the order
        on pairs and in its programme. Seed 000 §7 lists the early end among the ways a
        programme is completed («по инициативе наставника или наставляемого … по уважительным
        обстоятельствам») and asks for no new order; what documents it is the mentor's report
        from «Итоги» («завершена досрочно» and the reason; seed 001 §7: «отчета о проделанной
        работе с предложениями и выводами»). Re-issuing the order and the programme with the
        shortened term made the director sign both again."""
        shown = self.pair_context(pair)
        if pair.id not in self.shortened:
            return shown
        end = self.approved_ends[pair.code]
        shown = dict(shown, end=end, months=ctx.months_between(pair.start, end))
        if not pair.plan:
            group = len(pair.mentee_links) > 1
            shown["plan"] = default_plan(pair.start, end, group=group)
        return shown

    def program_context(self, pair: m.Pair) -> dict[str, Any]:
        """``pair`` as its programme shows it: as the order approved it
        (:meth:`approved_context`) — from the day its mentor was replaced, when it was
        (:mod:`service.documents.replacement`). A pair that ended (its «Итоги» in, or its end
        passed) keeps its signed programme's term and plan (:func:`.replacement.kept_signed`):
        a programme signed with the pair's whole term before this release was not to go back
        for signatures after the pair's work was done (play21)."""
        shown = self.approved_context(pair)
        since = replaced_on(pair)
        if since is None:
            return shown
        return self._kept_programme(pair) or from_replacement(shown, pair, since)

    def _kept_programme(self, pair: m.Pair) -> dict[str, Any] | None:
        """The pair's context of its signed programme in force when the pair ended (its
        «Итоги» in, or its end passed) — of the same term — else None."""
        if pair.id not in self.results and pair.end >= self.today:
            return None
        signed = self.signed_programmes.get(f"pair:{pair.id}")
        return kept_signed(signed, self.approved_context(pair))

    def person_context_in(self, pair: m.Pair, person: m.Person) -> dict[str, Any]:
        """``person`` as ``pair``'s context shows its mentees (as of the pair's start)."""
        return ctx.person_context(person, pair.start)

    def led_by(self, mentor: m.Person) -> list[dict[str, Any]]:
        """The contexts of the pairs ``mentor`` leads, in the register's order (filed by
        mentor once: a scan of every pair per mentor made planning quadratic)."""
        return list(self._led.get(mentor.id, ()))

    def ended_early(self, pair: m.Pair) -> bool:
        """Whether ``pair`` did not carry its programme through: its «Итоги» say «завершена
        досрочно», or, without «Итоги», its end was moved before the approved one (a plan done
        in full ahead of time is «завершена», seed 000 §7 — the «Итоги» tell)."""
        result = self.results.get(pair.id)
        if result is not None:
            return result.status == EARLY
        return pair.id in self.shortened

    def result_context(self, pair: m.Pair) -> dict[str, Any]:
        return result_context(self.results[pair.id])


def result_context(result: m.Result) -> dict[str, Any]:
    """A pair's «Итоги» as its report and the final report show them."""
    return {
        "status": result.status,
        "reason": ctx.text(result.reason),
        "achieved": result.achieved,
        "conclusions": ctx.text(result.conclusions),
        "proposals": ctx.text(result.proposals),
        "scores": score_rows(result.scores or {}),
    }


def plan_documents(
    session: Session,
    notes: list[str] | None = None,
    today: date | None = None,
    not_due: list[NotDue] | None = None,
) -> list[PlannedDocument]:
    """Every document the register allows on ``today`` (the batch's day), in the catalogue's
    order; ``notes`` is given the warning of the pairs the year's final report waits for
    (:meth:`Register.final_report_waiting`, :func:`final_report_note`), if any; ``not_due``
    the year's final report made and no longer due (:meth:`Register.final_report_withdrawn`)."""
    register = Register.read(session, today)
    if register is None:
        return []
    if not_due is not None and register.final_report_withdrawn():
        not_due.append(final_report_not_due(register))
    if notes is not None and (waiting := register.final_report_waiting()):
        year = register.org.school_year
        notes.append(final_report_note(waiting, year, register.entered_late()))
    org = register.org
    common = ctx.common_context(org, register.named)
    planned: list[PlannedDocument] = []

    def plan(
        kinds: list[Kind], subject: Any, key: str, label: str, suffix: str = "", **term: Any
    ) -> None:
        for kind in kinds:
            extra = kind.plan(register, subject) if kind.plan else None
            if extra is None:
                continue
            context = tidy_context({**common, **extra, **term})
            context.update(derived_values(kind.id, context))
            context["doc"] = {**common["doc"], "title": kind.title}
            name = kind.title + (f" — {suffix}" if suffix else "")
            planned.append(
                PlannedDocument(kind, key, label, safe_file_name(name) + ".docx", context)
            )

    def of(subject: Subject, in_section12: bool | None = None) -> list[Kind]:
        return [
            k
            for k in KINDS
            if k.subject == subject
            and (in_section12 is None or (k.section12 is not None) == in_section12)
        ]

    plan(of(Subject.ORGANIZATION, True), org, "organization", org.short_name)
    names = Counter(p.full_name for p in register.people)
    born = Counter((p.full_name, p.birth_date) for p in register.people)
    person_kinds = of(Subject.PERSON)
    for person in register.people:
        label = person.full_name
        if names[person.full_name] > 1:
            label += _namesake_note(person, born[person.full_name, person.birth_date] > 1)
        plan(person_kinds, person, f"person:{person.id}", label, label)
    pair_kinds = of(Subject.PAIR)
    for pair in register.every_pair:
        suffix = f"{pair.code} ({russian.initials(pair.mentor.full_name)})"
        term = _term_year(register, pair, common["org"])
        plan(pair_kinds, pair, f"pair:{pair.id}", pair.code, suffix, **term)
    plan(of(Subject.ORGANIZATION, False), org, "organization", org.short_name)
    return planned


def _namesake_note(person: m.Person, born_the_same_day: bool) -> str:
    """What tells a person's documents from a namesake's, in their labels and file names: the
    date of birth, and the role too when the namesake was born the same day — the same pupil
    listed on «Наставники» and on «Наставляемые» is two people of the register, each with
    consents of his own («в качестве наставника», «в качестве наставляемой»), which were
    labelled alike and the batch's page listed one of each kind (play20)."""
    notes = [russian.format_date(person.birth_date, "numeric")] if person.birth_date else []
    if born_the_same_day and person.role == m.Role.MENTEE:
        notes.append("наставляемая" if is_female(person.full_name, person.sex) else "наставляемый")
    elif born_the_same_day and person.role == m.Role.MENTOR:
        notes.append("наставник")
    return f" ({', '.join(notes)})" if notes else ""


def _term_year(register: Register, pair: m.Pair, org: dict[str, Any]) -> dict[str, Any]:
    """A pair's documents are of the school year its present term began in: a mentor's report
    made from last year's «Итоги» passed after September (a term is of the year it began in,
    docs/intake.md) says so in its ``org.school_year`` — the year its version belongs to (the
    pair's ZIP of that year, who signs it on paper), not the register's year now."""
    if register.of_year(pair, register.year_start.year):
        return {}
    began = year_name(school_year(pair.start))
    start, end = ctx.school_year_bounds(began)
    return {"org": {**org, "school_year": began, "year_start": start, "year_end": end}}


def mentored_in(pair: m.Pair) -> dict[int, list[m.Person]]:
    """Whom each mentor of ``pair``'s present term mentored in it, by the mentor's id: the
    mentees of now, and each mentee who left under the mentor who led the pair then (the
    register knows the day it learnt of each change; a mentee who left with the workbook that
    replaced the mentor left under the mentor replaced). A mentor's consent names whom she
    agreed to mentor this year: a mentee leaving does not make her sign it again."""
    formers = sorted(pair.formers_now, key=lambda x: x.left_on)
    mentors = [x for x in formers if x.role == "mentor"]
    mentored: dict[int, list[m.Person]] = {}
    for person in [*(x.person for x in mentors), pair.mentor]:
        mentored.setdefault(person.id, list(pair.mentees))
    for gone in (x for x in formers if x.role == "mentee"):
        under = next((x.person for x in mentors if gone.left_on <= x.left_on), pair.mentor)
        if all(p.id != gone.person.id for p in mentored[under.id]):
            mentored[under.id].append(gone.person)
    return mentored
