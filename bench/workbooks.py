"""Synthetic but realistic intake workbooks of any size, for the benchmark.

A school of the 2023–2024 year: teachers mentoring young specialists and pupils, pupils
mentoring pupils, employees of local firms and college lecturers as external mentors (with
workplace and passport), some mentors leading two pairs, some group pairs, minors with their
guardians, pairs of 3 to 12 months, plans for some pairs, mentor training, the final event
and the results of half the pairs. The workbook is the service's blank one, filled in; people
are referred to in «Пары» by their Код, as the instruction asks of large schools.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from bench.names import NameGenerator, Person
from service.intake import schema
from service.intake.blank import DATE_FORMAT, build_blank_workbook
from service.intake.normalise import header_key
from service.intake.pairs import add_months

YEAR = 2023
SUBJECTS = (
    "математики",
    "русского языка и литературы",
    "истории и обществознания",
    "физики",
    "химии",
    "биологии",
    "информатики",
    "английского языка",
    "географии",
    "начальных классов",
    "физической культуры",
    "музыки",
    "технологии",
)
FIRMS = (
    "ООО «Агро-Идра»",
    "АО «Красноярскэнергосбыт»",
    "ООО «СибЛесПром»",
    "ПАО «Сбербанк», Красноярское отделение",
    "ООО «Енисей-Строй»",
    "ИП Гончаров А. В. (фермерское хозяйство)",
    "КГБУЗ «Идринская районная больница»",
)
COLLEGES = (
    "КГБПОУ «Ачинский педагогический колледж»",
    "ФГБОУ ВО «Красноярский государственный педагогический университет им. В. П. Астафьева»",
)
FIRM_POSITIONS = ("инженер-технолог", "главный агроном", "экономист", "фельдшер", "прораб")
# form → (mentor kind, mentee kind, variant)
FORMS: dict[str, tuple[str, str, str]] = {
    "Учитель – учитель": ("teacher", "young", "Опытный педагог – молодой специалист"),
    "Учитель – ученик": ("teacher", "pupil", "Активный профессионал – равнодушный потребитель"),
    "Ученик – ученик": ("pupil", "pupil", "Успевающий – неуспевающий"),
    "Работодатель – ученик": ("firm", "senior", "Коллега – молодой коллега"),
    "Педагог вуза (колледжа) – молодой педагог": ("college", "young", "Лектор – студент"),
}
FORM_WEIGHTS = (0.3, 0.3, 0.2, 0.12, 0.08)
GOALS = {
    "young": "Адаптация молодого специалиста и развитие его профессиональных компетенций",
    "pupil": "Повышение образовательных результатов и мотивации к учёбе",
    "senior": "Профессиональная ориентация и выполнение индивидуального проекта",
}
SIZES: dict[str, tuple[int, int]] = {"S": (20, 10), "M": (120, 60), "L": (1000, 500)}
"""Size → (participants, pairs)."""


@dataclass
class School:
    """The rows of one school's workbook, as dictionaries keyed by header."""

    organization: dict[str, Any]
    mentors: list[dict[str, Any]] = field(default_factory=list)
    mentees: list[dict[str, Any]] = field(default_factory=list)
    pairs: list[dict[str, Any]] = field(default_factory=list)
    plan: list[dict[str, Any]] = field(default_factory=list)
    trainings: list[dict[str, Any]] = field(default_factory=list)
    final_event: dict[str, Any] = field(default_factory=dict)
    results: list[dict[str, Any]] = field(default_factory=list)


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _class_of(birth: date) -> int:
    """The grade a pupil born on ``birth`` is in during 2023–2024 (school from 7)."""
    return max(1, min(11, YEAR - birth.year - 6 - (1 if birth.month >= 9 else 0)))


class _Builder:
    def __init__(self, rng: random.Random, number: int) -> None:
        self.rng = rng
        self.names = NameGenerator(rng)
        director, curator, coordinator = (self.names.person() for _ in range(3))
        self.curator = curator
        self.school = School(
            {
                "Полное наименование": "Муниципальное бюджетное общеобразовательное учреждение "
                f"«Средняя общеобразовательная школа № {number}»",
                "Краткое наименование": f"МБОУ СОШ № {number}",
                "Населённый пункт": rng.choice(("г. Ачинск", "с. Идринское", "г. Канск")),
                "Адрес": f"662{number:03d}, Красноярский край, ул. Школьная, {number}",
                "ИНН": f"24{rng.randrange(10**8):08d}",
                "Руководитель (ФИО)": director.full_name,
                "Должность руководителя": "Директор",
                "Куратор (ФИО)": curator.full_name,
                "Должность куратора": "заместитель директора по учебно-воспитательной работе",
                "Координатор (ФИО)": coordinator.full_name,
                "Должность координатора": "педагог-психолог",
                "Учебный год": f"{YEAR}–{YEAR + 1}",
                "Всего обучающихся": rng.randrange(300, 1500),
                "Всего педагогов": rng.randrange(30, 120),
            }
        )

    def mentor(self, kind: str) -> dict[str, Any]:
        rng, number = self.rng, len(self.school.mentors) + 1
        row: dict[str, Any] = {"Код": f"Н-{number:04d}", "Внешний наставник": "нет"}
        if kind == "pupil":
            child, guardian = self.names.child_and_guardian()
            birth = _day(rng, date(2006, 1, 1), date(2008, 8, 31))
            row |= {
                "ФИО": child.full_name,
                "Категория": "обучающийся",
                "Должность или класс": f"{_class_of(birth)} {rng.choice('АБВ')}",
                "Законный представитель (ФИО)": guardian.full_name,
                "Компетенции": "призёр муниципальной олимпиады",
            }
        else:
            person = self.names.person()
            birth = _day(rng, date(1962, 1, 1), date(1992, 12, 31))
            row |= {"ФИО": person.full_name, "Стаж (лет)": rng.randrange(5, 35)}
            row |= self._adult_mentor(kind, person)
        row["Дата рождения"] = birth
        row["Телефон"] = f"+7 913 {rng.randrange(1000):03d}-{rng.randrange(100):02d}-" + (
            f"{rng.randrange(100):02d}"
        )
        self.school.mentors.append(row)
        return row

    def _adult_mentor(self, kind: str, person: Person) -> dict[str, Any]:
        rng = self.rng
        if kind == "teacher":
            veteran = rng.random() < 0.1
            return {
                "Категория": "ветеран педагогического труда" if veteran else "педагог",
                "Должность или класс": f"учитель {rng.choice(SUBJECTS)}",
                "Компетенции": "методика урока; подготовка к ОГЭ и ЕГЭ",
                "E-mail": f"teacher{len(self.school.mentors) + 1}@school.ru",
            }
        issued = _day(rng, date(2010, 1, 1), date(2022, 12, 31))
        external = {
            "Внешний наставник": "да",
            "Адрес": f"Красноярский край, ул. Лесная, {rng.randrange(1, 90)}",
            "Документ, удостоверяющий личность": (
                f"паспорт 04 {rng.randrange(100):02d} {rng.randrange(10**6):06d}, выдан ГУ МВД "
                f"России по Красноярскому краю {issued:%d.%m.%Y}"
                f", код подразделения 240-{rng.randrange(1000):03d}"
            ),
        }
        if kind == "firm":
            return external | {
                "Категория": "сотрудник предприятия",
                "Должность или класс": rng.choice(FIRM_POSITIONS),
                "Место работы": rng.choice(FIRMS),
            }
        return external | {
            "Категория": "педагог вуза или колледжа",
            "Должность или класс": "преподаватель",
            "Место работы": rng.choice(COLLEGES),
        }

    def mentee(self, kind: str) -> dict[str, Any]:
        rng, number = self.rng, len(self.school.mentees) + 1
        row: dict[str, Any] = {"Код": f"У-{number:04d}"}
        if kind == "young":
            person = self.names.person()
            young = rng.random() < 0.7
            birth = _day(rng, date(1994, 1, 1), date(2001, 12, 31))
            row |= {
                "ФИО": person.full_name,
                "Категория": "молодой специалист" if young else "педагог в процессе адаптации",
                "Класс или должность": f"учитель {rng.choice(SUBJECTS)}",
                "Запрос (затруднения)": "дисциплина на уроке; составление рабочей программы",
            }
        else:
            child, guardian = self.names.child_and_guardian()
            first = date(2006, 1, 1) if kind == "senior" else date(2007, 1, 1)
            last = date(2007, 8, 31) if kind == "senior" else date(2015, 8, 31)
            birth = _day(rng, first, last)
            row |= {
                "ФИО": child.full_name,
                "Категория": "обучающийся",
                "Класс или должность": f"{_class_of(birth)} {rng.choice('АБВ')}",
                "Запрос (затруднения)": "пробелы по предмету, низкая мотивация к учёбе",
                "Законный представитель (ФИО)": guardian.full_name,
                "Телефон представителя": f"+7 913 {rng.randrange(10**3):03d}-00-{number % 100:02d}",
            }
        row["Дата рождения"] = birth
        self.school.mentees.append(row)
        return row

    def pair(self, form: str, mentor: dict[str, Any], mentees: list[dict[str, Any]]) -> None:
        rng, number = self.rng, len(self.school.pairs) + 1
        mentee_kind = FORMS[form][1]
        start = _day(rng, date(YEAR, 9, 11), date(YEAR, 12, 1))
        months = rng.choice((3, 4, 6, 6, 7, 8, 8, 9, 12))
        end = add_months(start, months) - timedelta(days=1)
        code = f"П-{number:04d}"
        self.school.pairs.append(
            {
                "Код пары": code,
                "Наставник": mentor["Код"],
                "Наставляемые": "; ".join(m["Код"] for m in mentees),
                "Форма": form,
                "Вариант": FORMS[form][2],
                "Вид": "групповая" if len(mentees) > 1 else "традиционная",
                "Дата начала": start,
                "Дата окончания": end,
                "Цель": GOALS[mentee_kind],
                "Задачи": "выявить затруднения; составить план встреч; подготовить открытое "
                "занятие",
                "Ожидаемые результаты": "положительная динамика результатов, открытое занятие",
            }
        )
        if rng.random() < 0.2:
            self._plan(code, start, end)
        if rng.random() < 0.5:
            self._result(code)

    def _plan(self, code: str, start: date, end: date) -> None:
        steps = (
            ("Организационная встреча наставника и наставляемого", "беседа"),
            ("Пробная рабочая встреча: выявление затруднений", "консультация"),
            ("Регулярные встречи по плану", "консультации"),
            ("Открытое занятие наставляемого", "открытый урок"),
            ("Итоговая встреча, самооценка", "круглый стол"),
        )
        span = (end - start).days
        for i, (activity, form) in enumerate(steps):
            term: object = start + timedelta(days=span * i // (len(steps) - 1))
            if i == 2:
                term = "в течение программы"
            self.school.plan.append(
                {
                    "Код пары": code,
                    "Мероприятие": activity,
                    "Срок": term,
                    "Форма проведения": form,
                    "Ответственный": "наставник",
                    "Ожидаемый результат": "выполнено",
                }
            )

    def _result(self, code: str) -> None:
        rng = self.rng
        status = rng.choices(("завершена", "завершена досрочно", "продлена"), (8, 1, 1))[0]
        row: dict[str, Any] = {
            "Код пары": code,
            "Статус": status,
            "Достигнутые результаты": f"Проведено {rng.randrange(8, 30)} встреч, цели программы "
            "достигнуты",
            "Выводы": "Программа выполнена, наставляемый освоил новые приёмы работы",
            "Предложения": "Продолжить сопровождение в следующем учебном году",
            "Сильные стороны": "опытные наставники",
            "Слабые стороны": "мало времени на встречи",
            "Возможности": "сетевое взаимодействие",
            "Угрозы": "высокая нагрузка",
        }
        if status != "завершена":
            row["Причина"] = "перевод наставляемого в другую школу"
        for name in ("Вовлечённость", "Самооценка", "Тревожность"):
            before = rng.randrange(2, 7)
            row[f"{name} на входе"] = before
            row[f"{name} на выходе"] = min(10, before + rng.randrange(0, 4))
        self.school.results.append(row)

    def finish(self) -> School:
        rng, curator = self.rng, self.curator
        short = self.school.organization["Краткое наименование"]
        topics = (
            "Введение в наставничество: цели, роли, этапы программы",
            "Персонализированная программа наставничества",
            "Психолого-педагогическое сопровождение наставляемых",
            "Оценка результатов программы наставничества",
        )
        for i, topic in enumerate(topics):
            self.school.trainings.append(
                {
                    "Тема": topic,
                    "Дата": date(YEAR, 9, 20) + timedelta(days=21 * i),
                    "Часов": rng.choice((2, 4)),
                    "Форма": rng.choice(("семинар", "практикум", "вебинар")),
                    "Ответственный": f"{curator.surname} {curator.first[0]}. "
                    f"{curator.patronymic[0]}.",
                }
            )
        self.school.final_event = {
            "Дата": date(YEAR + 1, 5, 24),
            "Форма": "конференция",
            "Место": f"актовый зал {short}",
            "Ответственный": curator.full_name,
        }
        return self.school


def make_school(participants: int, pairs: int, seed: int = 1, number: int = 1) -> School:
    """A school with exactly ``participants`` mentors and mentees in ``pairs`` pairs.

    Two fifths of the participants are mentors; mentors beyond one per pair lead a second
    pair, mentees beyond one per pair make group pairs.
    """
    rng = random.Random(seed)
    mentors = max(1, min(pairs, round(participants * 0.4)))
    mentees = participants - mentors
    if not pairs <= mentees <= 3 * pairs:
        raise ValueError("participants and pairs do not fit: 1 to 3 mentees per pair")
    builder = _Builder(rng, number)
    second = set(rng.sample(range(1, pairs), pairs - mentors)) if pairs > mentors else set()
    group_sizes = [1] * pairs
    for _ in range(mentees - pairs):
        candidates = [i for i in range(pairs) if group_sizes[i] < 3]
        group_sizes[rng.choice(candidates)] += 1
    led: list[tuple[str, dict[str, Any]]] = []  # (form, mentor) of pairs with one mentor so far
    for index in range(pairs):
        if index in second and led:
            form, mentor = led.pop(rng.randrange(len(led)))
        else:
            form = rng.choices(list(FORMS), FORM_WEIGHTS)[0]
            mentor = builder.mentor(FORMS[form][0])
            led.append((form, mentor))
        group = [builder.mentee(FORMS[form][1]) for _ in range(group_sizes[index])]
        builder.pair(form, mentor, group)
    return builder.finish()


def _put(worksheet: Worksheet, row: int, column: int, value: object) -> None:
    cell = worksheet.cell(row, column, value)
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT


def write_school(school: School, path: Path) -> Path:
    """Fill the service's blank workbook with ``school`` and save it at ``path``."""
    book = build_blank_workbook()
    tables = (
        (schema.MENTORS, school.mentors),
        (schema.MENTEES, school.mentees),
        (schema.PAIRS, school.pairs),
        (schema.PLAN, school.plan),
        (schema.TRAININGS, school.trainings),
        (schema.RESULTS, school.results),
    )
    for sheet, rows in tables:
        worksheet = book[sheet.name]
        headers = {header_key(c.value): c.column for c in worksheet[1] if c.value}
        for number, values in enumerate(rows, 2):
            for header, value in values.items():
                _put(worksheet, number, headers[header_key(header)], value)
    for sheet, values in (
        (schema.ORGANIZATION, school.organization),
        (schema.FINAL_EVENT, school.final_event),
    ):
        worksheet = book[sheet.name]
        rows = {header_key(c.value): c.row for c in worksheet["A"] if c.value}
        for name, value in values.items():
            _put(worksheet, rows[header_key(name)], 2, value)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_size(size: str, path: Path, seed: int = 1, number: int = 1) -> Path:
    """The workbook of size ``S``, ``M`` or ``L`` at ``path``."""
    participants, pairs = SIZES[size]
    return write_school(make_school(participants, pairs, seed, number), path)
