"""«Пол» on «Наставники» and «Наставляемые»: how it is read, when its absence is warned about,
and that it wins over the ФИО in declension, agreement and intake messages (no register, no
documents: see tests/test_person_sex.py for those)."""

from __future__ import annotations

from datetime import date

import pytest

from service.documents import canonical
from service.documents.filters import agree_filter, female_filter, inflect
from service.documents.gender import person_name
from service.documents.russian import inflect_name
from service.documents.russian_names import gender_is_certain
from service.documents.values import PersonName
from service.intake.wording import agree
from tests.workbooks import MENTEE_HEADER, organization_rows, read_sheets, valid_sheets


def with_sex(rows: list[list[object]]) -> list[list[object]]:
    """The mentee sheet with a «Пол» column after the header's last one."""
    return [[*rows[0], "Пол"], *[[*row, None] for row in rows[1:]]]


def mentee(sheets, name: str, sex: object) -> None:
    if "Пол" not in sheets["Наставляемые"][0]:
        sheets["Наставляемые"] = with_sex([MENTEE_HEADER, *sheets["Наставляемые"][1:]])
    sheets["Наставляемые"][1][1] = name
    sheets["Наставляемые"][1][-1] = sex
    sheets["Пары"][1][2] = name


@pytest.mark.parametrize(
    "typed, sex",
    [
        ("м", "м"),
        ("Ж", "ж"),
        (" жен. ", "ж"),
        ("МУЖ", "м"),
        ("Мужской", "м"),
        ("женский", "ж"),
        ("M", "м"),  # Latin, typed on the English layout: it looks the same in the cell
        ("Myж.", "м"),
    ],
)
def test_sex_words_are_read(tmp_path, typed, sex):
    sheets = valid_sheets()
    mentee(sheets, "Ким Сон Хи", typed)
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.mentees[0].sex == sex


def test_an_unknown_sex_word_is_an_error_naming_sheet_row_and_value(tmp_path):
    sheets = valid_sheets()
    mentee(sheets, "Ким Сон Хи", "неизвестно")
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    assert [(p.sheet, p.row, p.column, p.message, p.severity) for p in report.problems] == [
        (
            "Наставляемые",
            2,
            "Пол",
            "Не понятно, что значит «неизвестно». Напишите «м» (мужской) или «ж» (женский).",
            "error",
        )
    ]


@pytest.mark.parametrize(
    "name, swapped",
    [("Пётр Ёлкин", True), ("Ёлкин Пётр", False), ("Роман Иванов", False), ("Ли Мин", False)],
)
def test_a_name_written_first_name_first_is_warned_of(tmp_path, name, swapped):
    """Found by play11: «Пётр Ёлкин» (a young teacher typed as he introduces himself) read as
    the surname «Пётр»; only «Пол» was asked for. «Роман Иванов» is left alone (Роман is a
    surname too), and so is a name the dictionary does not know."""
    sheets = valid_sheets()
    mentee(sheets, name, "м")
    book, report = read_sheets(tmp_path, sheets)
    assert book is not None
    warned = [(p.sheet, p.row, p.column, p.message) for p in report.warnings]
    assert warned == (
        [
            (
                "Наставляемые",
                2,
                "ФИО",
                "ФИО «Пётр Ёлкин» записано, похоже, в порядке Имя Фамилия: «Пётр» — имя, «Ёлкин» "
                "— фамилия. Документы будут составлены с фамилией «Пётр». ФИО пишется «Фамилия "
                "Имя Отчество»: «Ёлкин Пётр».",
            )
        ]
        if swapped
        else []
    )


@pytest.mark.parametrize(
    "name, warned",
    [
        ("Ким Сон Хи", True),
        ("Ли Мин", True),
        ("Дурново Женя", True),
        ("Саша Женя Ким", True),
        ("Ковальчук Асылзат", True),  # a Kyrgyz woman's name the dictionary only guesses
        ("Иванова Мария Петровна", False),
        ("Петрова Саша", False),
        ("Пак Юлия", False),
        ("Мамедов Рашид Гусейн оглы", False),
    ],
)
def test_a_warning_asks_for_sex_only_when_the_name_does_not_tell(tmp_path, name, warned):
    sheets = valid_sheets()
    mentee(sheets, name, None)
    book, report = read_sheets(tmp_path, sheets)
    assert book is not None and report.errors == []
    messages = [(p.sheet, p.row, p.column) for p in report.warnings]
    assert messages == ([("Наставляемые", 2, "Пол")] if warned else [])
    # the sheet's «Пол» settles it: no warning
    mentee(sheets, name, "м" if name.endswith("оглы") else "ж")
    assert read_sheets(tmp_path, sheets, name="2.xlsx")[1].problems == []


def test_certainty_of_names():
    assert [
        gender_is_certain(n)
        for n in ("Ким Сон Хи", "Ли Мин", "Дурново Женя", "Бутрина Ольга Николаевна", "Ли")
    ] == [False, False, False, True, False]


def test_sex_wins_in_declension():
    assert [inflect_name("Нгуен Ван Минь", case) for case in ("gent", "datv")] == [
        "Нгуен Ван Миня",
        "Нгуен Ван Миню",
    ]
    cases = ("gent", "datv", "accs", "ablt", "loct")
    assert {inflect_name("Нгуен Ван Минь", case, "ж") for case in cases} == {"Нгуен Ван Минь"}
    # a Korean name ending in a vowel declines for neither sex
    assert {inflect_name("Ким Сон Хи", case, sex) for case in cases for sex in "мж"} == {
        "Ким Сон Хи"
    }
    assert inflect_name("Дурново Женя", "ablt", "ж") == "Дурново Женей"
    assert inflect(person_name("Ли Мин", "ж"), "datv") == "Ли Мин"


def test_sex_wins_in_agreement_and_travels_in_the_stored_context():
    girl = person_name("Ким Сон Хи", "ж")
    assert (girl.sex, person_name("Иванова Мария Петровна", "ж").sex) == ("ж", None)
    assert female_filter(girl) and female_filter({"name": girl})
    assert not female_filter("Ким Сон Хи")
    assert agree_filter("Наставляемый", {"name": girl}) == "Наставляемая"
    assert agree_filter("ознакомлен", girl) == "ознакомлена"
    stored = canonical.dumps({"m": girl, "n": PersonName("Иванов Иван Иванович")})
    assert stored == (
        '{"m":{"$name":"Ким Сон Хи","$sex":"ж"},"n":{"$name":"Иванов Иван Иванович"}}'
    )
    back = canonical.loads(stored)
    assert (type(back["m"]), back["m"].sex, back["n"].sex) == (PersonName, "ж", None)


def test_intake_messages_follow_sex():
    words = ("указан", "указана", "встречается")
    assert agree("Ким Сон Хи", *words) == "встречается"
    assert agree("Ким Сон Хи", *words, sex="ж") == "указана"
    assert agree("Иванова Мария Петровна", *words) == "указана"
    assert agree("Иванова Мария Петровна", *words, sex="м") == "указан"


def test_a_person_listed_twice_is_told_of_in_her_sex(tmp_path):
    sheets = valid_sheets()
    mentee(sheets, "Ким Сон Хи", "ж")
    sheets["Наставляемые"].append(list(sheets["Наставляемые"][1]))
    sheets["Наставляемые"][2][0] = "У-02"
    book, report = read_sheets(tmp_path, sheets)
    born = sheets["Наставляемые"][1][2]
    assert isinstance(born, date)
    assert [p.message for p in report.errors] == [
        f"Ким Сон Хи ({born:%d.%m.%Y}) уже указана в строке 2. Оставьте одну строку на человека."
    ]


def test_sex_against_a_name_that_tells_it_is_a_warning_and_the_sheet_wins(tmp_path):
    sheets = valid_sheets()
    mentee(sheets, "Иванова Мария Петровна", "м")
    book, report = read_sheets(tmp_path, sheets)
    assert book is not None and book.mentees[0].sex == "м"
    assert [(p.sheet, p.row, p.column, p.message, p.severity) for p in report.problems] == [
        (
            "Наставляемые",
            2,
            "Пол",
            "В столбце «Пол» — «м», а по ФИО «Иванова Мария Петровна» это женщина. Документы "
            "будут составлены по столбцу «Пол» — как о мужчине («наставляемый», «ознакомлен»). "
            "Если это ошибка, исправьте «Пол».",
            "warning",
        )
    ]


def test_a_director_whose_name_tells_no_sex_is_warned_about(tmp_path):
    """«Ким Сон Хи» as the director, in no other row: the contracts said «в лице директора Ким
    Сон Хи, действующего» without a word to the secretary. A warning now; the workbook is
    taken."""
    sheets = valid_sheets()
    sheets["Организация"] = organization_rows(**{"Руководитель (ФИО)": "Ким Сон Хи"})
    book, report = read_sheets(tmp_path, sheets)
    assert book is not None and report.errors == []
    assert [(p.sheet, p.row, p.column, p.message) for p in report.warnings] == [
        (
            "Организация",
            5,
            "Руководитель (ФИО)",
            "По ФИО руководителя «Ким Сон Хи» не понять, мужчина это или женщина: документы "
            "будут составлены как о мужчине («действующего», «назначен», «Ответственному»). "
            "Если это не так, а человек участвует в программе, укажите «Пол» в его строке на "
            "листе «Наставники» или «Наставляемые»; иначе проверьте эти слова в приказах и "
            "договорах перед подписью.",
        )
    ]


def test_a_director_who_is_a_participant_with_sex_is_not_warned_about(tmp_path):
    """The same director as a mentee with «Пол» «ж» (here, or in the register): the documents
    take her sex from that row, nothing to warn about; without «Пол» the row's own warning
    asks for it, once."""
    sheets = valid_sheets()
    sheets["Организация"] = organization_rows(**{"Руководитель (ФИО)": "Ким Сон Хи"})
    mentee(sheets, "Ким Сон Хи", "ж")
    assert read_sheets(tmp_path, sheets)[1].problems == []
    mentee(sheets, "Ким Сон Хи", None)
    warnings = read_sheets(tmp_path, sheets, name="2.xlsx")[1].warnings
    assert [(p.sheet, p.column) for p in warnings] == [("Наставляемые", "Пол")]


def test_a_curator_and_a_responsible_whose_names_tell_no_sex_are_warned_about(tmp_path):
    sheets = valid_sheets()
    sheets["Организация"] = organization_rows(**{"Куратор (ФИО)": "Дурново Женя"})
    sheets["Итоговое мероприятие"] = [
        ["Параметр", "Значение"],
        ["Дата", date(2024, 5, 24)],
        ["Форма", "конференция"],
        ["Место", "актовый зал"],
        ["Ответственный", "Ли Мин"],
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert book is not None and report.errors == []
    assert [(p.sheet, p.row, p.message.split(" не понять")[0]) for p in report.warnings] == [
        ("Организация", 6, "По ФИО куратора «Дурново Женя»"),
        ("Итоговое мероприятие", 5, "По ФИО ответственного за итоговое мероприятие «Ли Мин»"),
    ]
