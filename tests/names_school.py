"""A school whose people have the names a real Russian school has and no other test school
tried, typed as clerks type them, in every role and every form of mentorship.

Surnames that do not decline (a woman Ковальчук, Бондарь, Мельник, Шевчук; Черных, Седых,
Долгих, Дурново, Живаго, Шевченко, Гёте, Цой), in «-а» (Дума, Гайдай), double (Салтыков-Щедрин,
Римская-Корсакова); men's names in «-а», «-я» (Кузьма, Савва, Фома, Лука, Илья, Никита), women's
in a soft sign (Любовь, Нинель, Эсфирь), hyphenated (Анна-Мария), «оглы» and «кызы», no
patronymic, Korean names (Ким Сон Хи, Ли Мин, Пак). Typed in capitals, in lower case, with
double spaces, «е» for «ё» in «Пары», Latin look-alike letters in positions and free text.

The director «Ким Сон Хи» is also a mentor, in the form «Руководитель – педагог», with «Пол»
«ж»: the only place the workbook tells her sex.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from service.intake.demo import FINAL_EVENT, ORGANIZATION, RESULTS, write_filled_workbook

GUARDIAN = "Законный представитель (ФИО)"


def mentor_row(code: str, name: str, born: date, category: str, post: str, **more: object) -> dict:
    row = {"Код": code, "ФИО": name, "Дата рождения": born, "Категория": category}
    return {**row, "Должность или класс": post, "Внешний наставник": "нет", **more}


def mentee_row(code: str, name: str, born: date, category: str, post: str, **more: object) -> dict:
    row = {"Код": code, "ФИО": name, "Дата рождения": born, "Категория": category}
    return {**row, "Класс или должность": post, **more}


def pair_row(
    code: str,
    mentor: str,
    mentees: str,
    form: str,
    mode: str | None = None,
    *,
    term: tuple[date, date] = (date(2023, 10, 2), date(2024, 5, 31)),
    goal: str = "Адаптация и рост",
) -> dict:
    """A row of «Пары» (tests/kazan_school.py gives its own term and goal)."""
    row = {"Код пары": code, "Наставник": mentor, "Наставляемые": mentees, "Форма": form}
    row |= {"Дата начала": term[0], "Дата окончания": term[1]}
    return {**row, "Цель": goal, **({"Вид": mode} if mode else {})}


ORGANIZATION_ROWS = {
    **ORGANIZATION,
    "Руководитель (ФИО)": "КИМ  СОН ХИ",
    "Куратор (ФИО)": "Мамедова Севиль Гасан кызы",
    "Координатор (ФИО)": "Бондарь Нинель Петровна",
    "Должность координатора": "педагог-психолoг",  # a Latin «o»
}
MENTORS = [
    mentor_row("Н-01", "Ким Сон Хи", date(1970, 1, 5), "педагог", "директор", Пол="ж"),
    mentor_row(
        "Н-02", "Ковальчук Эсфирь Марковна", date(1968, 2, 6), "педагог", "учитель математики"
    ),
    mentor_row("Н-03", "ЧЕРНЫХ  ИЛЬЯ  ПЕТРОВИЧ", date(1980, 3, 7), "педагог", "учитeль физики"),
    mentor_row(
        "Н-04",
        "Салтыков-Щедрин Никита Сергеевич",
        date(1975, 4, 8),
        "сотрудник предприятия",
        "инженер-технолог",
        **{"Внешний наставник": "да", "Место работы": "ООО «Агро-Идра»"},
        **{"Документ, удостоверяющий личность": "паспорт 04 12 345678"},
    ),
    mentor_row(
        "Н-05",
        "Гёте Иоганн",
        date(1960, 5, 9),
        "педагог вуза или колледжа",
        "доцент кафедры педагогики",
        **{"Внешний наставник": "да", "Место работы": "КГПУ им. В. П. Астафьева"},
        **{"Документ, удостоверяющий личность": "паспорт 04 12 111111"},
    ),
    mentor_row(
        "Н-06", "мамедов рашид гасан оглы", date(1985, 6, 10), "педагог", "учитель информатики"
    ),
    mentor_row(
        "Н-07",
        "Дума Кузьма",
        date(2007, 7, 11),
        "обучающийся",
        "10 А",
        **{GUARDIAN: "Дума Фома Лукич"},
    ),
    mentor_row("Н-08", "Шевчук Любовь", date(1990, 8, 12), "педагог", "учитель истории"),
]
MENTEES = [
    mentee_row(
        "У-01", "Живаго Савва Андреевич", date(1999, 1, 1), "молодой специалист", "учитель химии"
    ),
    mentee_row(
        "У-02",
        "Мельник Нинель",
        date(1998, 2, 2),
        "педагог в процессе адаптации",
        "учитель биологии",
    ),
    mentee_row(
        "У-03",
        "Седых Эсфирь",
        date(2010, 3, 3),
        "обучающийся",
        "7 Б",
        **{GUARDIAN: "Седых Лука Ильич"},
    ),
    mentee_row(
        "У-04",
        "Цой Виктория",
        date(2010, 4, 4),
        "обучающийся",
        "7 Б",
        **{GUARDIAN: "Цой Роберт Максимович"},
    ),
    mentee_row(
        "У-05", "Ли Мин", date(2009, 5, 5), "обучающийся", "8 А", Пол="ж", **{GUARDIAN: "Пак Анна"}
    ),
    mentee_row(
        "У-06",
        "Алиева Айгюль Гусейн кызы",
        date(2009, 6, 6),
        "обучающийся",
        "8 А",
        **{GUARDIAN: "Алиев Гусейн Рашид оглы"},
    ),
    mentee_row(
        "У-07",
        "Долгих Никита",
        date(2008, 7, 7),
        "обучающийся",
        "9 В",
        **{GUARDIAN: "Долгих Любовь Ивановна"},
    ),
    mentee_row(
        "У-08",
        "Римская-Корсакова Анна-Мария",
        date(2008, 8, 8),
        "обучающийся",
        "9 В",
        **{GUARDIAN: "Римский-Корсаков Савва Ильич"},
    ),
    mentee_row("У-09", "Дурново Фома Ильич", date(1995, 9, 9), "педагог", "учитель музыки"),
    mentee_row(
        "У-10",
        "Гайдай Ольга Петровна",
        date(1997, 10, 10),
        "молодой специалист",
        "учитель английского языка",
    ),
    mentee_row(
        "У-11",
        "Семёнов Лука",
        date(2009, 11, 11),
        "обучающийся",
        "8 А",
        **{GUARDIAN: "Семёнова Ирина Павловна"},
    ),
]
PAIRS = [
    pair_row("П-01", "Ковальчук Эсфирь Марковна", "Живаго Савва Андреевич", "Учитель – учитель"),
    pair_row(
        "П-02",
        "Черных Илья Петрович",
        "Седых Эсфирь; Цой Виктория",
        "Учитель – ученик",
        "групповая",
    ),
    pair_row("П-03", "Салтыков-Щедрин Никита Сергеевич", "Долгих Никита", "Работодатель – ученик"),
    pair_row(
        "П-04", "Гёте Иоганн", "Гайдай Ольга Петровна", "Педагог вуза (колледжа) – молодой педагог"
    ),
    pair_row("П-05", "Ким Сон Хи", "Дурново Фома Ильич", "Руководитель – педагог"),
    pair_row("П-06", "Дума Кузьма", "Семенов Лука", "Ученик – ученик"),  # «е» for «ё»
    pair_row(
        "П-07", "Мамедов Рашид Гасан оглы", "Мельник Нинель", "Учитель – учитель", "виртуальная"
    ),
    pair_row(
        "П-08",
        "Шевчук Любовь",
        "Ли Мин; Алиева Айгюль Гусейн кызы; Римская-Корсакова Анна-Мария",
        "Учитель – ученик",
        "групповая",
    ),
]
TRAINING = {
    "Тема": "Введение в наставничество",
    "Дата": date(2023, 9, 20),
    "Часов": 4,
    "Форма": "семинар",
    "Ответственный": "Мамедовa С. Г.",  # a Latin «a»
}


def write_names_workbook(path: Path) -> Path:
    """The school as a filled intake workbook at ``path``."""
    write_filled_workbook(
        path,
        organization=ORGANIZATION_ROWS,
        mentors=MENTORS,
        mentees=MENTEES,
        pairs=PAIRS,
        trainings=[TRAINING],
        final_event={**FINAL_EVENT, "Ответственный": "Ким Сон Хи"},
        results=[{**RESULTS[0], "Код пары": "П-01"}],
    )
    return path
