"""Template contexts built from the register (shape documented in docs/template-context.md).

Optional values are ``""``, never ``None``, so a template can test them with ``{% if %}`` and
never prints «None».
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from service.documents import russian
from service.documents.defaults import default_plan, default_roadmap
from service.documents.gender import is_female, person_name
from service.documents.values import PersonName, Position
from service.intake.normalise import person_key
from service.register import models as m

STAFF_CATEGORIES = frozenset({"педагог", "молодой специалист", "педагог в процессе адаптации"})
"""Categories of the school's own employees (they sign «С приказом ознакомлены»)."""

EMPTY_DOC: dict[str, Any] = {
    "title": "",
    "number": "",
    "date": "",
    "version": 1,
    "order_number": "",
    "order_date": "",
}
"""``doc`` before signing: the number and dates are filled in when the director signs."""


def text(value: Any) -> Any:
    """``None`` → ``""``; everything else unchanged."""
    return "" if value is None else value


def school_year_bounds(school_year: str) -> tuple[date, date]:
    """«2023–2024» → (1 September 2023, 31 August 2024)."""
    first = int(school_year[:4])
    return date(first, 9, 1), date(first + 1, 8, 31)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def position(value: str | None, default: str = "") -> Position:
    """A position as it stands inside a sentence: «Директор» → «директор», «УЧИТЕЛЬ ФИЗИКИ» →
    «учитель физики», «учитель  математики » → «учитель математики»; an abbreviation («УВР…»)
    or a proper name keeps its capitals."""
    value = russian.lower_capitals(" ".join((value or default).split()))
    if len(value) > 1 and value[0].isupper() and value[1].islower():
        value = value[0].lower() + value[1:]
    return Position(value)


def class_name(value: str | None) -> str:
    """A student's class as templates expect it: «6 класс» → «6», «10б» → «10 Б»; a profile
    typed with it stays after it, in brackets unless it followed the word «класс»: «9 Б
    (физико-математический)», «10А класс химико-биологического профиля» → «10 А класс
    химико-биологического профиля». The ``gent`` filter and :func:`post_phrase` put «класс» in
    the sentence's case after the letter (:func:`service.documents.russian.class_phrase`)."""
    value = re.sub(r"(?<![-–])\s*(класса|класс|кл\.?)\s*$", "", (value or "").strip(), flags=re.I)
    match = re.fullmatch(
        r"(\d{1,2})(?:\s*[-«\"]?\s*([А-Яа-яЁё])[»\"]?(?![А-Яа-яЁё]))?"
        r"(?:\s*(класса|класс|кл\.?)(?=[\s,;]))?(.*)",
        value,
        flags=re.I | re.S,
    )
    # a number or capitals glued on («10 А1», «5-1», «10 ИТ») name the class: kept as typed;
    # after «класс», a separator or in lower-case words it is a profile («7 В, ОВЗ», «гр. 2»)
    glued = match is not None and re.match(r"[^\s,;:–—(]", match[4])
    separated = match is not None and (match[3] or re.match(r"\s*[,;:–—(]", match[4]))
    if match is None or glued or not (separated or _PROFILE.search(match[4])):
        return value if match is None or match[4].strip() else _designation(match)
    designation = _designation(match)
    profile = match[4].strip().lstrip(",;:–—-").strip()
    if match[3]:
        return f"{designation} класс{',' if match[4].lstrip()[:1] == ',' else ''} {profile}"
    if not (profile.startswith("(") and profile.endswith(")")):
        profile = f"({profile})"
    return f"{designation} {profile}"


_PROFILE = re.compile(r"[а-яё]")
"""A profile typed after a class without a separator is in lower-case words
(«физико-математический», «гр. 2»); capitals alone («10 ИТ») are the class's name."""
_INITIAL_SPACE = re.compile(r"(?<![А-ЯЁа-яё])((?:им|[А-ЯЁ])\.) (?=[А-ЯЁ])")
"""The space after «им.» or an initial before a capital: «им. А. М. Матросова» breaks nowhere
inside (the director's signature cell broke it as «им. А.» / «М. Матросова»)."""


def glued_initials(name: str) -> str:
    """``name`` with no-break spaces after «им.» and each initial before a capital."""
    return _INITIAL_SPACE.sub("\\1\u00a0", name)


def _designation(match: re.Match[str]) -> str:
    return f"{match[1]} {match[2].upper()}" if match[2] else match[1]


def common_context(
    org: m.Organization, named: Callable[[str], PersonName] = PersonName
) -> dict[str, Any]:
    """``org``, ``director``, ``curator``, ``coordinator`` and an empty ``doc``; ``named`` makes
    their :class:`PersonName` (with the «Пол» a participant of the same ФИО was given, see
    :meth:`service.documents.planning.Register.named`)."""
    year_start, year_end = school_year_bounds(org.school_year)
    coordinator = None
    # the curator named coordinator too has the coordinator's duties as the curator: the order
    # read «Координатору … Петровой-Водкиной … совместно с куратором», «Куратору …
    # Петровой-Водкиной» (reader22)
    if org.coordinator_name and person_key(org.coordinator_name) != person_key(org.curator_name):
        coordinator = {
            "name": named(org.coordinator_name),
            "position": position(org.coordinator_position, "координатор"),
        }
    return {
        "org": {
            "full_name": org.full_name,
            "short_name": glued_initials(org.short_name),
            "locality": org.locality,
            "address": text(org.address),
            "inn": text(org.inn),
            "ogrn": text(org.ogrn),
            "website": text(org.website),
            "school_year": org.school_year,
            "year_start": year_start,
            "year_end": year_end,
            "students_total": text(org.students_total),
            "teachers_total": text(org.teachers_total),
            "regulation_adopted_on": text(org.regulation_adopted_on),
            "regulation_protocol": text(org.regulation_protocol),
        },
        "director": {
            "name": named(org.head_name),
            "position": position(org.head_position, "директор"),
        },
        "curator": {
            "name": named(org.curator_name),
            "position": position(org.curator_position),
        },
        "coordinator": coordinator,
        "doc": dict(EMPTY_DOC),
    }


def post_phrase(
    post: str, category: str | None, workplace: str | None, external: bool, name: str = ""
) -> str:
    """Position and workplace as one phrase: «инженер-конструктор ООО «Смирнов & Партнёры»»,
    «начальник лаборатории Акционерного общества «Завод»» (a name in words after a position is
    in the genitive), «10 Б класс», «учитель литературы (на пенсии)»; the workplace only for an
    external mentor (an internal one works at the school). A workplace that is the ИП of the
    person ``name`` herself is not printed — her name twice in a row («Гребенщикова Ольга
    Павловна (глава … ИП Гребенщиковой Ольги Павловны)»): the position alone, or
    «индивидуальный предприниматель» without one."""
    phrase = str(post or "").strip()
    if category == "обучающийся" and phrase:
        phrase = russian.class_phrase(phrase, "nomn")
    place = (workplace or "").strip() if external else ""
    if place and name and russian.is_own_entrepreneurship(place, name):
        return phrase or "индивидуальный предприниматель"
    if place and place.lower() not in phrase.lower():
        phrase = f"{phrase} {russian.of_organisation(place)}" if phrase else place
    return phrase


def person_context(person: m.Person, reference_day: date) -> dict[str, Any]:
    """A participant as templates see it; ``is_minor`` is decided on ``reference_day``."""
    guardian = None
    if person.guardian is not None:
        guardian = {
            "name": person_name(person.guardian.full_name, person.guardian.sex),
            "phone": text(person.guardian.phone),
        }
    minor = person.birth_date is not None and age_on(person.birth_date, reference_day) < 18
    experience = person.experience_years
    if experience is not None and float(experience).is_integer():
        experience = int(experience)
    post = (
        Position(class_name(person.position))
        if person.category == "обучающийся"
        else position(person.position)
    )
    name = person_name(person.full_name, person.sex)
    return {
        "name": name,
        "female": is_female(name),
        "birth_date": text(person.birth_date),
        "category": text(person.category),
        "position": post,
        "post": post_phrase(
            post, person.category, person.workplace, bool(person.is_external), person.full_name
        ),
        "is_external": bool(person.is_external),
        "is_staff": not person.is_external and person.category in STAFF_CATEGORIES,
        "is_minor": minor,
        "workplace": text(person.workplace),
        "experience_years": text(experience),
        "competences": text(person.competences),
        "phone": text(person.phone),
        "email": text(person.email),
        "address": text(person.address),
        "identity_document": text(person.identity_document),
        "request": text(person.request),
        "guardian": guardian,
    }


def months_between(start: date, end: date) -> int:
    """Whole months of a programme whose last day is ``end`` (1 October – 31 May is 8);
    a remainder of half a month or more counts as a month."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if after.day < start.day:
        months -= 1
    anchor = _add_months(start, months)
    if (after - anchor).days >= 15:
        months += 1
    return max(months, 1)


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def plan_context(pair: m.Pair) -> list[dict[str, Any]]:
    if not pair.plan:
        return default_plan(pair.start, pair.end, group=len(pair.mentee_links) > 1)
    return [
        {
            "number": item.number,
            "activity": item.activity,
            "term": russian.format_date(item.term_date) if item.term_date else text(item.term_text),
            "form": text(item.form),
            "responsible": text(item.responsible),
            "expected_result": text(item.expected_result),
        }
        for item in pair.plan
    ]


def pair_context(pair: m.Pair, number: int | None = None) -> dict[str, Any]:
    """A pair as templates see it; ``number`` (its place in a list of pairs) only when given."""
    mentees = pair.mentees
    numbered = {} if number is None else {"number": number}
    return {
        **numbered,
        "code": pair.code,
        "mentor": person_context(pair.mentor, pair.start),
        "mentees": [person_context(p, pair.start) for p in mentees],
        "is_group": len(mentees) > 1,
        "form": pair.form,
        "variant": text(pair.variant),
        "mode": mode_of(pair.mode, len(mentees)),
        "start": pair.start,
        "end": pair.end,
        "months": months_between(pair.start, pair.end),
        "goal": pair.goal,
        "tasks": list(pair.tasks or []),
        "expected_results": text(pair.expected_results),
        "plan": plan_context(pair),
    }


GROUP_MODE = "групповая"
ONE_TO_ONE_MODE = "традиционная"


def mode_of(mode: str, mentees: int) -> str:
    """The «вид наставничества» of a pair with ``mentees`` mentees now: a group left with one
    mentee (the others left it during the year) is no longer «групповая» — seed 000:
    «наставничество в группе … (от двух и более человек)»; one mentor with one mentee is the
    «традиционная форма наставничества («один-на-один»)». Any other «Вид» as the school gave it."""
    return ONE_TO_ONE_MODE if mode == GROUP_MODE and mentees < 2 else mode


def left_context(pair: Any) -> dict[str, list[Any]]:
    """Who left ``pair`` (a register record) during its present term, for the final report's
    table of pairs: the mentors replaced (their ФИО) and the mentees who left (ФИО and
    «выбыл»/«выбыла»). The report's figures count them; its table named only those of now."""
    mentees = []
    for person in pair.former("mentee"):
        name = person_name(person.full_name, person.sex)
        mentees.append({"name": name, "left": "выбыла" if is_female(name) else "выбыл"})
    return {
        "mentors": [person_name(x.full_name, x.sex) for x in pair.former("mentor")],
        "mentees": mentees,
    }


def roadmap_context(
    items: list[m.RoadmapItem],
    org: m.Organization,
    pairs: list[m.Pair] = (),  # type: ignore[assignment]
    trainings: list[m.Training] = (),  # type: ignore[assignment]
    event: m.FinalEvent | None = None,
    planned_ends: dict[int, date] | None = None,
) -> list[dict[str, Any]]:
    """The workbook's roadmap, or the seed's stages dated by the school year, the trainings,
    the pairs and the final event of the register. ``planned_ends`` (pair id → end): the end
    a signed order on pairs approved for a pair ended before it — the roadmap is a plan, and a
    pair that stopped in January does not move its completion stage to January."""
    if not items:
        ends = planned_ends or {}
        return default_roadmap(
            school_year_bounds(org.school_year)[0],
            has_coordinator=bool(org.coordinator_name),
            trainings=[t.date for t in trainings],
            pairs=[(p.start, ends.get(p.id, p.end)) for p in pairs],
            final_event=(event.date, event.form) if event else None,
        )
    return [
        {
            "number": i.number,
            "stage": i.stage,
            "activities": i.activities,
            "term": russian.format_date(i.term_date) if i.term_date else text(i.term_text),
            "responsible": i.responsible,
            "result": text(i.result),
        }
        for i in items
    ]


def training_context(items: list[m.Training]) -> list[dict[str, Any]]:
    """The schedule's rows, numbered from 1 in date order: the register numbers a workbook's
    sessions together, and a session of an earlier year kept on the sheet, not this year's,
    left «2, 3 …» (play20)."""
    rows = []
    for number, t in enumerate(sorted(items, key=lambda t: (t.date, t.number)), 1):
        rows.append(
            {
                "number": number,
                "topic": t.topic,
                "date": t.date,
                "hours": russian.quantity(t.hours),
                "form": text(t.form),
                "responsible": t.responsible,
            }
        )
    return rows
