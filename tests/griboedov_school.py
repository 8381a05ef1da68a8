"""A school with a long full name («… «Средняя общеобразовательная школа № 7 имени
А. С. Грибоедова»») whose people have names hard to decline and positions that must be
declined, 2025–2026 (reader22): a director «Кузнец», a curator «Петрова-Водкина», a
coordinator «Швец» (a woman), mentors «Белых», «Бондаренко», «Заяц», «Дюма» (external, no
patronymic), «Гусейнов … оглы», a pupil «Толстой Лев»; mentees «Фёдорова», «Шоу Джордж»,
«Горький», «Маленко Дарья», «Алиева … кызы», «Черных Ярослав», «Кулиш Дарина»,
«Соколова-Микитова», «Гёте»; positions «учитель начальных классов», «педагог-психолог»,
«заместитель директора по учебно-воспитательной работе».

Its pages as LibreOffice prints them are read by tests/test_printed_pages.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from service.intake.demo import write_filled_workbook

GUARDIAN = "Законный представитель (ФИО)"
ORGANIZATION = {
    "Полное наименование": "Муниципальное бюджетное общеобразовательное учреждение "
    "«Средняя общеобразовательная школа № 7 имени А. С. Грибоедова»",
    "Краткое наименование": "МБОУ «СОШ № 7»",
    "Населённый пункт": "г. Ёлкино",
    "Адрес": "660001, Красноярский край, г. Ёлкино, ул. Заречная, д. 5",
    "ИНН": "2466001122",
    "Руководитель (ФИО)": "Кузнец Григорий Викторович",
    "Должность руководителя": "Директор",
    "Куратор (ФИО)": "Петрова-Водкина Алла Кузьминична",
    "Должность куратора": "заместитель директора по учебно-воспитательной работе",
    "Координатор (ФИО)": "Швец Ярослава Олеговна",
    "Должность координатора": "педагог-психолог",
    "Учебный год": "2025–2026",
    "Всего обучающихся": 640,
    "Всего педагогов": 52,
    "Сайт": "https://school7-elkino.ru",
    "Положение принято педсоветом (дата)": date(2025, 8, 28),
    "Положение принято педсоветом (протокол №)": "1",
}


def _mentor(code: str, name: str, born: date, category: str, post: str, **more: object) -> dict:
    row = {"Код": code, "ФИО": name, "Дата рождения": born, "Категория": category}
    return {**row, "Должность или класс": post, "Внешний наставник": "нет", **more}


def _mentee(code: str, name: str, born: date, category: str, post: str, **more: object) -> dict:
    row = {"Код": code, "ФИО": name, "Дата рождения": born, "Категория": category}
    return {**row, "Класс или должность": post, **more}


PRIMARY = "учитель начальных классов"
DEPUTY = "заместитель директора по учебно-воспитательной работе"
MENTORS = [
    _mentor("Н-01", "Королёв Пётр Ильич", date(1970, 1, 5), "педагог", PRIMARY),
    _mentor("Н-02", "Белых Ирина Сергеевна", date(1975, 2, 6), "педагог", PRIMARY),
    _mentor("Н-03", "Бондаренко Оксана Тарасовна", date(1980, 3, 7), "педагог", "педагог-психолог"),
    _mentor(
        "Н-04", "Заяц Виталий Андреевич", date(1978, 4, 8), "педагог", "учитель физической культуры"
    ),
    _mentor(
        "Н-05",
        "Дюма Александр",
        date(1965, 5, 9),
        "сотрудник предприятия",
        "главный инженер",
        **{"Внешний наставник": "да", "Место работы": "АО «Ёлкинский хлебозавод»"},
        **{"Документ, удостоверяющий личность": "паспорт 04 15 123456"},
    ),
    _mentor(
        "Н-06", "Гусейнов Эльчин Рамиз оглы", date(1985, 6, 10), "педагог", "учитель информатики"
    ),
    _mentor(
        "Н-07",
        "Толстой Лев",
        date(2008, 7, 11),
        "обучающийся",
        "11 А",
        **{GUARDIAN: "Толстая Софья Андреевна"},
    ),
    _mentor("Н-08", "Ким Ольга Викторовна", date(1972, 8, 12), "педагог", DEPUTY),
    _mentor("Н-09", "Кузнец Григорий Викторович", date(1968, 9, 1), "педагог", "директор"),
]
MENTEES = [
    _mentee("У-01", "Фёдорова Алёна Игоревна", date(2001, 1, 1), "молодой специалист", PRIMARY),
    _mentee(
        "У-02", "Шоу Джордж", date(2000, 2, 2), "молодой специалист", "учитель английского языка"
    ),
    _mentee(
        "У-03",
        "Горький Максим Алексеевич",
        date(2011, 3, 3),
        "обучающийся",
        "9 Б",
        **{GUARDIAN: "Горькая Екатерина Павловна"},
    ),
    _mentee(
        "У-04",
        "Маленко Дарья",
        date(2011, 4, 4),
        "обучающийся",
        "9 Б",
        **{GUARDIAN: "Маленко Игорь Олегович"},
    ),
    _mentee(
        "У-05",
        "Алиева Лейла Рамиз кызы",
        date(2010, 5, 5),
        "обучающийся",
        "10 А",
        **{GUARDIAN: "Алиев Рамиз Гасан оглы"},
    ),
    _mentee(
        "У-06",
        "Швец Игорь Семёнович",
        date(1990, 6, 6),
        "педагог в процессе адаптации",
        "учитель технологии",
    ),
    _mentee(
        "У-07",
        "Черных Ярослав",
        date(2011, 7, 7),
        "обучающийся",
        "9 В",
        **{GUARDIAN: "Черных Ольга Ивановна"},
    ),
    _mentee(
        "У-08",
        "Кулиш Дарина",
        date(2012, 8, 8),
        "обучающийся",
        "8 Б",
        **{GUARDIAN: "Кулиш Тарас Петрович"},
    ),
    _mentee(
        "У-09", "Соколова-Микитова Вера Павловна", date(1996, 9, 9), "педагог", "педагог-психолог"
    ),
    _mentee("У-10", "Гёте Вольфганг Иоганнович", date(1994, 10, 10), "педагог", DEPUTY),
]


def _pair(code: str, mentor: str, mentees: str, form: str, mode: str | None = None) -> dict:
    row = {"Код пары": code, "Наставник": mentor, "Наставляемые": mentees, "Форма": form}
    row |= {"Дата начала": date(2025, 10, 1), "Дата окончания": date(2026, 5, 29)}
    row |= {"Цель": "Адаптация и профессиональный рост"}
    return {**row, "Задачи": "освоить методику урока; изучить локальные акты школы"} | (
        {"Вид": mode} if mode else {}
    )


PAIRS = [
    _pair("П-01", "Королёв Пётр Ильич", "Фёдорова Алёна Игоревна", "Учитель – учитель"),
    _pair("П-02", "Белых Ирина Сергеевна", "Шоу Джордж", "Учитель – учитель"),
    _pair(
        "П-03",
        "Бондаренко Оксана Тарасовна",
        "Горький Максим Алексеевич; Маленко Дарья",
        "Учитель – ученик",
        "групповая",
    ),
    _pair("П-04", "Заяц Виталий Андреевич", "Черных Ярослав", "Учитель – ученик"),
    _pair("П-05", "Дюма Александр", "Алиева Лейла Рамиз кызы", "Работодатель – ученик"),
    _pair(
        "П-06",
        "Гусейнов Эльчин Рамиз оглы",
        "Швец Игорь Семёнович",
        "Учитель – учитель",
        "виртуальная",
    ),
    _pair("П-07", "Толстой Лев", "Кулиш Дарина", "Ученик – ученик"),
    _pair("П-08", "Ким Ольга Викторовна", "Соколова-Микитова Вера Павловна", "Учитель – учитель"),
    _pair(
        "П-09", "Кузнец Григорий Викторович", "Гёте Вольфганг Иоганнович", "Руководитель – педагог"
    ),
]


def write_griboedov_workbook(path: Path) -> Path:
    """The school's September workbook at ``path``: the school, its people, nine pairs."""
    write_filled_workbook(
        path, organization=ORGANIZATION, mentors=MENTORS, mentees=MENTEES, pairs=PAIRS
    )
    return path


def write_griboedov_results(path: Path) -> Path:
    """The school's May workbook at ``path``: the final event, the results of П-03 and П-09."""
    from service.intake.demo import RESULTS

    write_filled_workbook(
        path,
        organization=ORGANIZATION,
        final_event={
            "Дата": date(2026, 5, 22),
            "Форма": "конференция",
            "Место": "актовый зал МБОУ «СОШ № 7»",
            "Ответственный": "Швец Ярослава Олеговна",
        },
        results=[{**RESULTS[0], "Код пары": code} for code in ("П-03", "П-09")],
    )
    return path


def write_griboedov_without_coordinator(path: Path) -> Path:
    """The same school a year in one workbook: a woman director «Шевченко Оксана Петровна»,
    a man curator «Горький Аркадий Петрович» (deputy for educational work), no coordinator;
    eight pairs, the training, the final event, the results of П-01 and П-05."""
    from service.intake.demo import RESULTS

    organization = {
        **{k: v for k, v in ORGANIZATION.items() if "оординатор" not in k},
        "Руководитель (ФИО)": "Шевченко Оксана Петровна",
        "Куратор (ФИО)": "Горький Аркадий Петрович",
        "Должность куратора": "заместитель директора по воспитательной работе",
    }
    training = {"Тема": "Введение", "Дата": date(2025, 9, 17), "Часов": 4, "Форма": "семинар"}
    write_filled_workbook(
        path,
        organization=organization,
        mentors=MENTORS[:8],
        mentees=MENTEES,
        pairs=PAIRS[:8],
        trainings=[{**training, "Ответственный": "Горький А. П."}],
        final_event={
            "Дата": date(2026, 5, 22),
            "Форма": "конференция",
            "Место": "актовый зал",
            "Ответственный": "Шевченко Оксана Петровна",
        },
        results=[{**RESULTS[0], "Код пары": code} for code in ("П-01", "П-05")],
    )
    return path


def write_griboedov_one_curator(path: Path) -> Path:
    """The school's September workbook with its curator named coordinator too (a small
    school's office: «Координатор (ФИО)» the same as «Куратор (ФИО)»)."""
    organization = {
        **ORGANIZATION,
        "Координатор (ФИО)": ORGANIZATION["Куратор (ФИО)"],
        "Должность координатора": ORGANIZATION["Должность куратора"],
    }
    write_filled_workbook(
        path, organization=organization, mentors=MENTORS, mentees=MENTEES, pairs=PAIRS
    )
    return path


def write_griboedov_director_curates(path: Path) -> Path:
    """The school's September workbook with its director as the curator, no coordinator."""
    organization = {k: v for k, v in ORGANIZATION.items() if "оординатор" not in k}
    organization |= {
        "Куратор (ФИО)": ORGANIZATION["Руководитель (ФИО)"],
        "Должность куратора": "директор",
    }
    write_filled_workbook(
        path, organization=organization, mentors=MENTORS, mentees=MENTEES, pairs=PAIRS[:2]
    )
    return path
