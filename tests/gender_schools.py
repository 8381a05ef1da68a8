"""Small schools alike in all but their people: every role a woman (or a girl), every role a
man, or names that decline otherwise or not at all (Нгуен Ван Минь, Ким Сон Хи, Долгих, кызы).

The director, the curator and the coordinator; a teacher mentor (her consent to be a mentor), an
external mentor (the contract), a schoolgirl mentor (her guardian's consents); a young teacher
and two schoolgirls as mentees, each in a pair of her own; one training, the final event (the
curator answers for it) and the results of the first pair. The male school has the same rows
with men's and boys' names, so each sentence of its documents is the other school's in the
masculine.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from service.intake.demo import FINAL_EVENT, ORGANIZATION, RESULTS, write_filled_workbook

PEOPLE = {
    "ж": {
        "director": "Кинякина Татьяна Игоревна",
        "curator": "Бутрина Ольга Николаевна",
        "coordinator": "Соколова Мария Петровна",
        "teacher": "Петрова Анна Сергеевна",
        "external": "Орлова Дарья Андреевна",
        "student": "Кузнецова Дарья Игоревна",
        "student_guardian": "Кузнецова Светлана Павловна",
        "young": "Смирнова Юлия Олеговна",
        "girl": "Морозова Алина Сергеевна",
        "girl_guardian": "Морозова Вера Николаевна",
        "second": "Зуева Ника Андреевна",
        "second_guardian": "Зуева Ирина Викторовна",
    },
    "м": {
        "director": "Кинякин Тимофей Игоревич",
        "curator": "Бутрин Олег Николаевич",
        "coordinator": "Соколов Максим Петрович",
        "teacher": "Петров Антон Сергеевич",
        "external": "Орлов Дмитрий Андреевич",
        "student": "Кузнецов Даниил Игоревич",
        "student_guardian": "Кузнецов Павел Павлович",
        "young": "Смирнов Илья Олегович",
        "girl": "Морозов Алексей Сергеевич",
        "girl_guardian": "Морозов Сергей Николаевич",
        "second": "Зуев Никита Андреевич",
        "second_guardian": "Зуев Андрей Викторович",
    },
    "foreign": {
        "director": "Шевчук Оксана Ильинична",
        "curator": "Петрова-Водкина Мария Кузьминична",
        "coordinator": "Бойко Иван Иванович",
        "teacher": "Нгуен Ван Минь",
        "external": "Дюма Александр",
        "student": "Черных Дарья Ильинична",
        "student_guardian": "Черных Ольга Петровна",
        "young": "Алиева Айгюль Гусейн кызы",
        "girl": "Ким Сон Хи",
        "girl_guardian": "Ким Ольга Ивановна",
        "second": "Долгих Нина",
        "second_guardian": "Долгих Ирина Петровна",
    },
}
"""school → role → ФИО: «ж» every role a woman or a girl, «м» a man or a boy («girl» and
«second» are the schoolchildren), «foreign» names that decline otherwise or not at all, with
«Пол» given (:data:`FOREIGN_SEX`)."""

FOREIGN_SEX = {"teacher": "м", "external": "м", "young": "ж", "girl": "ж", "second": "ж"}
"""The «Пол» of the foreign school's participants (Нгуен Ван Минь and Ким Сон Хи need it)."""


def write_gender_workbook(path: Path, school: str) -> Path:
    """The ``school`` of :data:`PEOPLE` as a filled intake workbook at ``path``."""
    p = PEOPLE[school]
    organization = {
        **ORGANIZATION,
        "Руководитель (ФИО)": p["director"],
        "Куратор (ФИО)": p["curator"],
        "Координатор (ФИО)": p["coordinator"],
    }
    mentors = [
        _person("Н-01", p["teacher"], date(1980, 3, 14), "педагог", "учитель математики"),
        {
            **_person("Н-02", p["external"], date(1975, 7, 2), "сотрудник предприятия", ""),
            "Должность или класс": "инженер-технолог",
            "Место работы": "ООО «Агро-Идра»",
            "Внешний наставник": "да",
            "Адрес": "с. Идринское, ул. Советская, 12",
            "Документ, удостоверяющий личность": "паспорт 04 12 345678",
        },
        {
            **_person("Н-03", p["student"], date(2007, 2, 11), "обучающийся", "10 Б"),
            "Законный представитель (ФИО)": p["student_guardian"],
        },
    ]
    young = ("У-01", p["young"], date(1999, 11, 20), "молодой специалист", "учитель истории")
    mentees = [
        _mentee(*young),
        _mentee("У-02", p["girl"], date(2010, 3, 22), "обучающийся", "7 А", p["girl_guardian"]),
        _mentee("У-03", p["second"], date(2009, 5, 17), "обучающийся", "8 Б", p["second_guardian"]),
    ]
    forms = ("Учитель – учитель", "Ученик – ученик", "Работодатель – ученик")
    pairs = [
        {
            "Код пары": f"П-0{number}",
            "Наставник": mentor,
            "Наставляемые": mentee,
            "Форма": form,
            "Дата начала": date(2023, 10, 2),
            "Дата окончания": date(2024, 5, 31),
            "Цель": "Адаптация и рост",
        }
        for number, mentor, mentee, form in zip(
            (1, 2, 3), ("Н-01", "Н-03", "Н-02"), ("У-01", "У-02", "У-03"), forms, strict=True
        )
    ]
    training = {
        "Тема": "Введение в наставничество",
        "Дата": date(2023, 9, 20),
        "Часов": 4,
        "Форма": "семинар",
        "Ответственный": "Бутрина О. Н.",
    }
    if school == "foreign":
        rows = {row["ФИО"]: row for row in mentors + mentees}
        for role, sex in FOREIGN_SEX.items():
            rows[p[role]]["Пол"] = sex
    write_filled_workbook(
        path,
        organization=organization,
        mentors=mentors,
        mentees=mentees,
        pairs=pairs,
        trainings=[training],
        final_event={**FINAL_EVENT, "Ответственный": p["curator"]},
        results=[RESULTS[0]],
    )
    return path


def _person(code: str, name: str, born: date, category: str, post: str) -> dict[str, object]:
    return {
        "Код": code,
        "ФИО": name,
        "Дата рождения": born,
        "Категория": category,
        "Должность или класс": post,
        "Внешний наставник": "нет",
    }


def _mentee(
    code: str, name: str, born: date, category: str, post: str, guardian: str | None = None
) -> dict[str, object]:
    row = {
        "Код": code,
        "ФИО": name,
        "Дата рождения": born,
        "Категория": category,
        "Класс или должность": post,
    }
    if guardian:
        row["Законный представитель (ФИО)"] = guardian
    return row
