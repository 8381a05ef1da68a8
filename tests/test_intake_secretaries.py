"""Workbooks as real secretaries fill them, round two: codes typed with or without a dash, a
transposed «Организация», «внешний» for «да», a person named by surname and initials, and the
kinds of workbook nobody had tried. Each is read exactly as meant or refused with one clear
Russian line per mistake. The register is written directly (apply_workbook), without
documents: what is under test is what the register holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from service.intake.model import IntakeReport
from service.intake.reader import read_workbook
from service.register.apply import apply_workbook
from service.register.db import session_scope
from service.register.index import RegisterLookup
from service.register.models import Pair, Person
from tests.workbooks import TODAY, read_sheets, valid_sheets, write_workbook


def _register(settings, tmp_path: Path, sheets: dict, name: str) -> IntakeReport:
    """Read ``sheets`` against the register of ``settings`` and, if accepted, write them."""
    path = write_workbook(tmp_path / name, sheets)
    with session_scope(settings.database_url) as session:
        book, report = read_workbook(path, RegisterLookup(session), today=TODAY)
        if book is not None:
            apply_workbook(session, book)
    return report


def _people(settings) -> list[tuple]:
    with session_scope(settings.database_url) as session:
        people = session.scalars(select(Person).order_by(Person.id))
        return [(p.role, p.code, p.full_name) for p in people]


def _pairs(settings) -> list[tuple]:
    with session_scope(settings.database_url) as session:
        pairs = session.scalars(select(Pair).order_by(Pair.id))
        return [(p.code, p.mentor.full_name, p.end) for p in pairs]


# --- 1. «Н 01», «Н-01», «н-01», «Н–01», «Н01»: one code --------------------------------------


@pytest.mark.parametrize("typed", ["Н 01", "н-01", "Н–01", "Н01", "н 01", "Н — 01"])
def test_a_code_with_or_without_a_dash_is_the_same_code(tmp_path, typed):
    """«Н 01» and «Н01» in «Наставник» for the mentor «Н-01» were «Наставник «Н01» не найден»."""
    sheets = valid_sheets()
    sheets["Пары"][1][1] = typed
    sheets["Итоги"] = [
        ["Код пары", "Статус", "Достигнутые результаты"],
        [typed.replace("Н", "П").replace("н", "п"), "завершена", "Освоил"],
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    # references take the codes as the sheets that define them spell them
    assert (book.pairs[0].mentor_ref, book.results[0].pair_code) == ("Н-01", "П-01")


def test_two_rows_whose_codes_differ_only_by_a_dash_are_a_clash(tmp_path):
    sheets = valid_sheets()
    row = ["Н01", "Белова Елена Викторовна", date(1972, 11, 8), "педагог", "учитель", None, "нет"]
    sheets["Наставники"].append(row)
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    assert [str(p) for p in report.errors] == [
        "лист «Наставники», строка 3, столбец «Код»: Код «Н01» совпадает с кодом «Н-01» в "
        "строке 2: пробел или тире между буквами и цифрами кода не делают код другим. Коды "
        "должны быть разными: измените один из них."
    ]


def test_a_registered_code_is_found_however_the_dash_is_typed(settings, tmp_path):
    """The register held «Н-01» and «П-01»; a later workbook typed «Н01», «п 01» and «П–01»: the
    pair was refused («Наставник «Н01» не найден»), and the results' «П–01» was «Пары с кодом нет».
    Now they are the register's people and pair, kept as the register spells them."""
    assert _register(settings, tmp_path, valid_sheets(), "1.xlsx").errors == []
    later = {
        "Наставники": [
            ["Код", "ФИО", "Дата рождения", "Категория", "Должность или класс",
             "Внешний наставник"],
            ["Н01", "Петрова Анна Сергеевна", date(1980, 3, 14), "педагог", "учитель алгебры",
             "нет"],
        ],
        "Пары": [
            ["Код пары", "Наставник", "Наставляемые", "Форма", "Дата начала", "Дата окончания",
             "Цель"],
            ["п 01", "Н01", "У 01", "Учитель – учитель", date(2023, 10, 1), date(2024, 6, 30),
             "Адаптация молодого специалиста"],
        ],
        "Итоги": [["Код пары", "Статус", "Достигнутые результаты"], ["П–01", "завершена", "Ок"]],
    }  # fmt: skip
    report = _register(settings, tmp_path, later, "2.xlsx")
    assert report.problems == []
    assert _people(settings) == [
        ("mentor", "Н-01", "Петрова Анна Сергеевна"),
        ("mentee", "У-01", "Смирнов Илья Олегович"),
    ]
    assert _pairs(settings) == [("П-01", "Петрова Анна Сергеевна", date(2024, 6, 30))]


def test_a_new_person_under_a_registered_code_spelled_otherwise_is_refused(settings, tmp_path):
    """«Н01» for another mentor while the register's «Н-01» is Петрова: one code now, so the row
    would have renamed Петрова into Белова, silently. Refused, with both named."""
    assert _register(settings, tmp_path, valid_sheets(), "1.xlsx").errors == []
    later = {"Наставники": valid_sheets()["Наставники"]}
    later["Наставники"][1][:3] = ["Н01", "Белова Елена Викторовна", date(1972, 11, 8)]
    report = _register(settings, tmp_path, later, "2.xlsx")
    assert [str(p) for p in report.errors] == [
        "лист «Наставники», строка 2, столбец «Код»: Код «Н01» — это Код «Н-01» реестра (пробел "
        "или тире между буквами и цифрами кода не делают код другим), а в реестре под ним "
        "Петрова Анна Сергеевна (14.03.1980). Если это другой человек, дайте ей другой Код; "
        "если это Петрова Анна Сергеевна и ФИО с датой рождения исправлены, укажите Код «Н-01»."
    ]
    assert _people(settings) == [
        ("mentor", "Н-01", "Петрова Анна Сергеевна"),
        ("mentee", "У-01", "Смирнов Илья Олегович"),
    ]


def test_a_new_pair_under_a_registered_code_spelled_otherwise_is_refused(settings, tmp_path):
    """«П01» with another mentor while the register's «П-01» is Петрова's pair: it would have
    become a change of П-01's mentor. Refused: a pair of its own needs a code of its own."""
    first = valid_sheets()
    first["Наставники"].append(
        ["Н-02", "Белова Елена Викторовна", date(1972, 11, 8), "педагог", "учитель", None, "нет"]
    )
    assert _register(settings, tmp_path, first, "1.xlsx").errors == []
    later = {"Пары": [first["Пары"][0], ["П01", "Н-02", "У-01", *first["Пары"][1][3:]]]}
    report = _register(settings, tmp_path, later, "2.xlsx")
    assert [str(p) for p in report.errors] == [
        "лист «Пары», строка 2, столбец «Код пары»: Код пары «П01» — это код «П-01» реестра "
        "(пробел или тире между буквами и цифрами кода не делают код другим), а у пары «П-01» "
        "другой наставник — Петрова Анна Сергеевна. Если это новая пара, дайте ей другой код; "
        "если у пары «П-01» меняется наставник, укажите код «П-01»."
    ]
    assert _pairs(settings) == [("П-01", "Петрова Анна Сергеевна", date(2024, 5, 31))]


# --- 2. «Организация» transposed: the names in a row, the values under them --------------------

TRANSPOSED = (
    "Лист «Организация» заполнен по строкам: названия параметров стоят в строке {row} "
    "(«Полное наименование», «Краткое наименование», «Населённый пункт»…), а значения — под "
    "ними. Этот лист читается по столбцам: название параметра — в столбце «Параметр», его "
    "значение — справа, в столбце «Значение». Скопируйте заполненные строки и вставьте их на "
    "новый лист через «Специальная вставка» → «Транспонировать» (или перенесите значения в "
    "пустую форму), затем передайте книгу снова."
)


@pytest.mark.parametrize("labelled", [False, True], ids=["bare", "labelled"])
def test_a_transposed_organization_is_refused_saying_how_to_turn_it(tmp_path, labelled):
    """The names in row 1 and the values in row 2 (with «Параметр» and «Значение» down column A,
    or without): refused with «Заполните лист «Организация»: сведений о школе нет» — the
    secretary had filled it — or with «Нет строки с параметром» for each one she had given."""
    sheets = valid_sheets()
    pairs = sheets["Организация"][1:]
    names, values = [name for name, _ in pairs], [value for _, value in pairs]
    if labelled:
        names, values = ["Параметр", *names], ["Значение", *values]
    sheets["Организация"] = [names, values]
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    assert [str(p) for p in report.problems] == [
        "лист «Организация», строка 1: " + TRANSPOSED.format(row=1)
    ]


def test_a_final_event_in_a_row_is_refused_the_same_way(tmp_path):
    sheets = valid_sheets()
    sheets["Итоговое мероприятие"] = [
        ["Дата", "Форма", "Место", "Ответственный"],
        [date(2024, 5, 20), "конференция", "актовый зал", "Бутрина Ольга Николаевна"],
    ]
    _, report = read_sheets(tmp_path, sheets)
    assert [(p.sheet, p.row, p.message[:76]) for p in report.problems] == [
        (
            "Итоговое мероприятие",
            1,
            "Лист «Итоговое мероприятие» заполнен по строкам: названия параметров стоят в",
        )
    ]


# --- 3. «внешний» in «Внешний наставник» ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "external"),
    [
        ("внешний", True),
        ("Внешний", True),
        ("ВНЕШНИЙ НАСТАВНИК", True),
        ("внеш.", True),
        ("внешняя", True),
        ("внутренний", False),
        ("Внутр.", False),
        ("штатный", False),
        ("да", True),
    ],
)
def test_external_in_words_is_read(tmp_path, typed, external):
    """«внешний», «Внешний наставник», «внеш.» were «Не понятно, что значит…» and refused."""
    sheets = valid_sheets()
    sheets["Наставники"][1][6:8] = [typed, "паспорт 04 12 345678, выдан 01.02.2020"]
    book, report = read_sheets(tmp_path, sheets)
    assert report.errors == []
    assert book.mentors[0].is_external is external


@pytest.mark.parametrize("header", ["Внешний", "Внешний (да/нет)", "Внешний / внутренний"])
def test_a_column_headed_vneshniy_is_the_external_column(tmp_path, header):
    sheets = valid_sheets()
    sheets["Наставники"][0][6] = header
    sheets["Наставники"][1][6:8] = ["да", "паспорт 04 12 345678, выдан 01.02.2020"]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.mentors[0].is_external is True


def test_an_unknown_word_for_external_lists_what_is_allowed(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][1][6] = "совместитель"
    _, report = read_sheets(tmp_path, sheets)
    assert [str(p) for p in report.errors] == [
        "лист «Наставники», строка 2, столбец «Внешний наставник»: Не понятно, что значит "
        "«совместитель». Напишите «да» — наставник не работает в школе (с ним заключается "
        "договор), или «нет» — работает в школе. Подходят также: «внешний», «внутренний», «+», "
        "«-», «1», «0»."
    ]


# --- 4. «Петрова А.С.»: a person named by surname and initials -------------------------------

BELOVA = ["Н-02", "Петрова Алла Степановна", date(1975, 6, 2), "педагог", "учитель", None, "нет"]


@pytest.mark.parametrize(
    "typed", ["Петрова А.С.", "Петрова А. С.", "ПЕТРОВА А.С.", "Петрова А.С", "А.С. Петрова"]
)
def test_surname_and_initials_name_the_one_person_they_fit(tmp_path, typed):
    """«Петрова А.С.» in «Наставник» (as orders write people) was «Наставник не найден»."""
    sheets = valid_sheets()
    sheets["Пары"][1][1:3] = [typed, "Смирнов И.О."]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert (book.pairs[0].mentor_ref, book.pairs[0].mentee_refs) == ("Н-01", ("У-01",))


def test_initials_that_fit_two_people_are_refused_with_both(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"].append(BELOVA)
    sheets["Пары"][1][1] = "Петрова А.С."
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    assert [str(p) for p in report.errors] == [
        "лист «Пары», строка 2, столбец «Наставник»: «Петрова А.С.» подходит нескольким "
        "людям: Петрова Анна Сергеевна (лист «Наставники», строка 2, Код «Н-01»), Петрова Алла "
        "Степановна (лист «Наставники», строка 3, Код «Н-02»). Укажите ФИО полностью или Код."
    ]


def test_initials_name_a_registered_person(settings, tmp_path):
    """A later workbook with «Пары» alone names the register's people by initials."""
    first = valid_sheets()
    del first["Пары"]
    assert _register(settings, tmp_path, first, "1.xlsx").errors == []
    later = {"Пары": valid_sheets()["Пары"]}
    later["Пары"][1][1:3] = ["Петрова А.С.", "Смирнов И. О."]
    assert _register(settings, tmp_path, later, "2.xlsx").problems == []
    assert _pairs(settings) == [("П-01", "Петрова Анна Сергеевна", date(2024, 5, 31))]


def test_initials_fitting_a_registered_and_a_listed_person_are_refused(settings, tmp_path):
    assert _register(settings, tmp_path, valid_sheets(), "1.xlsx").errors == []
    later = {
        "Наставники": [valid_sheets()["Наставники"][0], BELOVA],
        "Пары": valid_sheets()["Пары"],
    }
    later["Пары"][1][:2] = ["П-02", "Петрова А.С."]
    report = _register(settings, tmp_path, later, "2.xlsx")
    assert [str(p) for p in report.errors] == [
        "лист «Пары», строка 2, столбец «Наставник»: «Петрова А.С.» подходит нескольким "
        "людям: Петрова Алла Степановна (лист «Наставники», строка 2, Код «Н-02»), Петрова Анна "
        "Сергеевна (в реестре, Код «Н-01»). Укажите ФИО полностью или Код."
    ]


# --- kinds of workbook nobody had tried ----------------------------------------------------------

DATA = Path(__file__).parent / "data"


def test_the_blank_saved_through_ods_with_a_numbering_row_reads_as_filled(tmp_path):
    """`nastavnik template`'s blank, filled, with the row of column numbers official forms put
    under the header («1 2 3 …»), saved by LibreOffice Calc as .ods and back as .xlsx
    (tests/data/blank-via-ods-numbered.xlsx). The numbers were read as a person — 17 errors, and
    the pair's dates (7 and 8 in cells formatted as dates) «с 07.01.1900 по 08.01.1900»."""
    book, report = read_workbook(DATA / "blank-via-ods-numbered.xlsx", today=TODAY)
    assert report.problems == []
    assert [(m.row, m.code, m.full_name, m.birth_date) for m in book.mentors] == [
        (3, "Н-01", "Петрова Анна Сергеевна", date(1980, 3, 14))
    ]
    assert [(m.row, m.full_name) for m in book.mentees] == [(3, "Смирнов Илья Олегович")]
    [pair] = book.pairs
    assert (pair.code, pair.mentor_ref, pair.mentee_refs, pair.start, pair.end) == (
        "П-01", "Петрова Анна Сергеевна", ("Смирнов Илья Олегович",), date(2023, 10, 1),
        date(2024, 5, 31),
    )  # fmt: skip


def test_a_numbering_row_is_only_numbers_in_order(tmp_path):
    """A first row of numbers that do not follow the columns is data, refused as such."""
    sheets = valid_sheets()
    sheets["Наставники"].insert(1, [1, 2, 3, 5, 4, 6, 7, 8, 9])
    _, report = read_sheets(tmp_path, sheets)
    assert [(p.row, p.column) for p in report.errors] == [
        (2, "ФИО"),
        (2, "Дата рождения"),
        (2, "Категория"),
        (2, "Внешний наставник"),
        (2, "Законный представитель (ФИО)"),
    ]


def test_excel_format_as_table_reads_its_rows(tmp_path):
    """«Форматировать как таблицу»: a table object over the header and banded rows."""
    from openpyxl import load_workbook
    from openpyxl.worksheet.table import Table, TableStyleInfo

    sheets = valid_sheets()
    sheets["Наставники"].append(
        ["Н-02", "Белова Елена Викторовна", date(1972, 11, 8), "педагог", "учитель", None, "нет"]
    )
    path = write_workbook(tmp_path / "таблица.xlsx", sheets)
    workbook = load_workbook(path)
    table = Table(displayName="Таблица1", ref="A1:I3")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium9", showRowStripes=True)
    workbook["Наставники"].add_table(table)
    workbook.save(path)
    book, report = read_workbook(path, today=TODAY)
    assert report.problems == []
    assert [m.full_name for m in book.mentors] == [
        "Петрова Анна Сергеевна",
        "Белова Елена Викторовна",
    ]


def test_rows_hidden_by_a_filter_are_read_and_said_to_be(tmp_path):
    """A filter left on «Наставники» hid Белова's row: she was read without a word, though the
    secretary saw one mentor. Hidden rows are data (as a hidden sheet is), with a warning."""
    from openpyxl import load_workbook

    sheets = valid_sheets()
    sheets["Наставники"].append(
        ["Н-02", "Белова Елена Викторовна", date(1972, 11, 8), "педагог", "учитель", None, "нет"]
    )
    path = write_workbook(tmp_path / "фильтр.xlsx", sheets)
    workbook = load_workbook(path)
    mentors = workbook["Наставники"]
    mentors.auto_filter.ref = "A1:I3"
    mentors.auto_filter.add_filter_column(1, ["Петрова Анна Сергеевна"])
    mentors.row_dimensions[3].hidden = True
    workbook.save(path)
    book, report = read_workbook(path, today=TODAY)
    assert [m.full_name for m in book.mentors] == [
        "Петрова Анна Сергеевна",
        "Белова Елена Викторовна",
    ]
    assert [str(p) for p in report.problems] == [
        "лист «Наставники»: Строка 3 скрыта (фильтром или командой «Скрыть»), но прочитана: "
        "скрытые строки входят в реестр и документы так же, как видимые. Если они не нужны, "
        "удалите их и передайте книгу снова."
    ]


def test_a_control_character_excel_escaped_is_not_part_of_a_name(tmp_path):
    """Excel keeps a control character pasted into a cell (Word's line break, a stray \\x01) as
    «_x000B_», «_x0001_» in the file; openpyxl hands the escape over as text. The ФИО was
    refused — «недопустимые символы («Анна_x0001_»)», characters the secretary cannot see —
    and a position printed «учитель_x000B_математики» into the order."""
    sheets = valid_sheets()
    sheets["Наставники"][1][1] = "Петрова Анна_x0001_ Сергеевна"
    sheets["Наставники"][1][4] = "учитель_x000B_математики"
    sheets["Пары"][1][7] = "Адаптация_x000D_\nмолодого специалиста"
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert (book.mentors[0].full_name, book.mentors[0].position) == (
        "Петрова Анна Сергеевна",
        "учитель математики",
    )
    assert book.pairs[0].goal == "Адаптация\nмолодого специалиста"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            date(1850, 3, 14),
            "В дате «14.03.1850» невозможный год 1850: даты принимаются с 1901 по 2100 год. "
            "Проверьте год и введите дату в виде ДД.ММ.ГГГГ, например 01.09.2023.",
        ),
        (
            "14.03.1899",
            "В дате «14.03.1899» невозможный год 1899: даты принимаются с 1901 по 2100 год. "
            "Проверьте год и введите дату в виде ДД.ММ.ГГГГ, например 01.09.2023.",
        ),
        (
            date(2101, 3, 14),
            "В дате «14.03.2101» невозможный год 2101: даты принимаются с 1901 по 2100 год. "
            "Проверьте год и введите дату в виде ДД.ММ.ГГГГ, например 01.09.2023.",
        ),
        (
            date(1900, 1, 14),
            "«14.01.1900» — так Excel показывает число 14 в ячейке с форматом даты: в ячейке "
            "число, а не дата. Введите дату в виде ДД.ММ.ГГГГ, например 01.09.2023.",
        ),
        (
            date(1899, 12, 30),
            "В ячейке ноль в формате даты (Excel показывает его как «00.01.1900» или «0:00») — "
            "например, формула, которая ссылается на пустую ячейку. Введите дату в виде "
            "ДД.ММ.ГГГГ, например 01.09.2023.",
        ),
    ],
    ids=["1850-cell", "1899-text", "2101-cell", "small-number", "zero"],
)
def test_a_date_outside_the_possible_years_is_refused_saying_why(tmp_path, typed, message):
    """A birth date of 1850 in a date cell (LibreOffice keeps dates before 1900) was taken, a
    person 173 years old; the zero date of a formula was «время «00:00»»."""
    sheets = valid_sheets()
    sheets["Наставники"][1][2] = typed
    _, report = read_sheets(tmp_path, sheets)
    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (2, "Дата рождения", message)
    ]


@pytest.mark.parametrize("typed", ["М.", "Ж.", "муж.", "жен.", "МУЖ", "Жен"])
def test_sex_abbreviated_with_a_dot_is_read(tmp_path, typed):
    sheets = valid_sheets()
    sheets["Наставляемые"][0].append("Пол")
    sheets["Наставляемые"][1] = [*sheets["Наставляемые"][1], typed]
    book, _ = read_sheets(tmp_path, sheets)
    assert book.mentees[0].sex == typed[0].lower()


@pytest.mark.parametrize(
    "typed", ["Алиев Рашад Гасан оглы", "Алиев Рашад Гасан-оглы", "Мамедова Айгюн Рафик кызы"]
)
def test_a_patronymic_in_ogly_or_kyzy_is_a_full_name(tmp_path, typed):
    sheets = valid_sheets()
    sheets["Наставники"][1][1] = typed.upper()
    sheets["Пары"][1][1] = "Н-01"
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.mentors[0].full_name == typed


def test_a_position_of_300_characters_is_taken_and_301_refused(tmp_path):
    position = ("учитель математики и информатики, " * 10)[:300]
    sheets = valid_sheets()
    sheets["Наставники"][1][4] = position
    book, report = read_sheets(tmp_path, sheets)
    assert (report.problems, book.mentors[0].position) == ([], position)
    sheets["Наставники"][1][4] = position + "я"
    _, report = read_sheets(tmp_path, sheets, name="301.xlsx")
    assert [str(p) for p in report.problems] == [
        "лист «Наставники», строка 2, столбец «Должность или класс»: Текст слишком длинный — "
        "знаков: 301, а допускается не больше 300. Сократите его."
    ]


def test_an_emoji_in_a_name_is_refused_naming_the_word(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][1][1] = "Петрова Анна😊 Сергеевна"
    _, report = read_sheets(tmp_path, sheets)
    assert [p.message for p in report.errors if p.sheet == "Наставники"] == [
        "В ФИО «Петрова Анна😊 Сергеевна» есть недопустимые символы («Анна😊»). Допустимы "
        "буквы, дефис и апостроф. Напишите ФИО полностью: Фамилия Имя Отчество (отчество — если "
        "есть)."
    ]


def test_a_secretary_s_workbook_of_all_these_makes_the_documents_it_means(settings, tmp_path):
    """End to end, one workbook as an office filled it: a row of column numbers under the
    headers, codes typed «Н 02» and «Н01» for «Н-02» and «Н-01», a mentor «внешний», people named
    «Белова Е.В.» and «Смирнов И.О.», a position with Excel's escaped control character."""
    from service.documents.text import docx_text
    from service.pipeline import Outcome, process_workbook

    sheets = valid_sheets()
    sheets["Наставники"][1][4] = "учитель_x000B_математики"
    sheets["Наставники"].append(
        ["Н 02", "Белова Елена Викторовна", date(1972, 11, 8), "сотрудник предприятия",
         "инженер", "ООО «Агро-Идра»", "внешний", "паспорт 04 12 345678, выдан 01.02.2020"]
    )  # fmt: skip
    sheets["Наставляемые"].append(
        ["У-02", "Зуев Павел Андреевич", date(1998, 1, 2), "молодой специалист", "учитель"]
    )
    sheets["Пары"][1][1:3] = ["Н01", "Смирнов И.О."]
    sheets["Пары"].append(
        ["П-02", "Белова Е.В.", "У 02", "Учитель – учитель", None, date(2023, 10, 1),
         date(2024, 5, 31), "Освоение практики"]
    )  # fmt: skip
    for sheet in ("Наставники", "Пары"):
        sheets[sheet].insert(1, list(range(1, len(sheets[sheet][0]) + 1)))
    result = process_workbook(settings, write_workbook(tmp_path / "школа.xlsx", sheets))
    assert result.outcome == Outcome.DONE, result.message
    texts = {
        (entry.kind, entry.subject): docx_text(Path(result.folder) / entry.file)
        for entry in result.entries
    }
    [order] = [text for (kind, _), text in texts.items() if kind == "order_pairs"]
    assert "Петрова Анна Сергеевна" in order and "Смирнов Илья Олегович" in order
    assert "Белова Елена Викторовна" in order and "Зуев Павел Андреевич" in order
    assert "_x000B_" not in order
    assert [subject for kind, subject in texts if kind == "contract_external"] == [
        "Белова Елена Викторовна"
    ]
    assert _people(settings) == [
        ("mentor", "Н-01", "Петрова Анна Сергеевна"),
        ("mentor", "Н 02", "Белова Елена Викторовна"),
        ("mentee", "У-01", "Смирнов Илья Олегович"),
        ("mentee", "У-02", "Зуев Павел Андреевич"),
    ]
    with session_scope(settings.database_url) as session:
        pairs = session.scalars(select(Pair).order_by(Pair.id))
        assert [(p.code, p.mentor.code, [m.code for m in p.mentees]) for p in pairs] == [
            ("П-01", "Н-01", ["У-01"]),
            ("П-02", "Н 02", ["У-02"]),
        ]
        [petrova] = session.scalars(select(Person).where(Person.code == "Н-01"))
        assert petrova.position == "учитель математики"


@pytest.mark.parametrize(
    ("sheet", "row", "column", "typed"),
    [
        ("Пары", 2, "Дата начала", date(2100, 1, 10)),
        ("Обучение наставников", 2, "Дата", date(2100, 10, 15)),
        ("Итоговое мероприятие", 2, "Дата", date(2032, 5, 20)),
    ],
)
def test_a_date_years_away_from_the_school_year_is_refused(tmp_path, sheet, row, column, typed):
    """A pair of 2100 (or a training, a final event) in the workbook of the school year
    2023–2024 was taken without a word, and the order of 2023 approved it."""
    sheets = valid_sheets()
    sheets["Обучение наставников"] = [
        ["Тема", "Дата", "Часов", "Ответственный"],
        ["Введение", date(2023, 10, 15), 4, "Бутрина Ольга Николаевна"],
    ]
    sheets["Итоговое мероприятие"] = [
        ["Параметр", "Значение"], ["Дата", date(2024, 5, 20)], ["Форма", "конференция"],
        ["Место", "актовый зал"], ["Ответственный", "Бутрина Ольга Николаевна"],
    ]  # fmt: skip
    if sheet == "Пары":
        sheets["Пары"][1][5:7] = [typed, date(2100, 6, 30)]
    else:
        sheets[sheet][1][1] = typed
    _, report = read_sheets(tmp_path, sheets)
    shown = typed.strftime("%d.%m.%Y")
    assert [(p.sheet, p.row, p.column, p.message, p.severity) for p in report.problems] == [
        (
            sheet,
            row,
            column,
            f"Дата {shown} — не в учебном году 2023–2024 (с 01.09.2023 по 31.08.2024), который "
            "указан на листе «Организация», и даже не в соседнем. Проверьте год.",
            "error",
        )
    ]


def test_a_date_just_outside_the_school_year_is_a_warning(tmp_path):
    """Mentors trained in the summer before the school year: taken, with a line to check."""
    sheets = valid_sheets()
    sheets["Обучение наставников"] = [
        ["Тема", "Дата", "Часов", "Ответственный"],
        ["Введение", date(2023, 6, 15), 4, "Бутрина Ольга Николаевна"],
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert book is not None
    assert [(p.sheet, p.row, p.column, p.message, p.severity) for p in report.problems] == [
        (
            "Обучение наставников",
            2,
            "Дата",
            "Дата 15.06.2023 — не в учебном году 2023–2024 (с 01.09.2023 по 31.08.2024), "
            "который указан на листе «Организация». Если это не ошибка, предупреждение можно "
            "не учитывать.",
            "warning",
        )
    ]


def test_a_cell_merged_down_over_two_pairs_belongs_to_both(tmp_path):
    """One mentor with two pairs, her name (and the form) merged down over both rows, as offices
    draw it: the second pair was «обязательная ячейка не заполнена» for «Наставник» and «Форма»,
    though the secretary saw them beside it. A header merged down over two rows stays a header."""
    from openpyxl import load_workbook

    sheets = valid_sheets()
    sheets["Наставляемые"].append(
        ["У-02", "Зуев Павел Андреевич", date(1998, 1, 2), "молодой специалист", "учитель"]
    )
    sheets["Пары"] = [
        sheets["Пары"][0],
        [None] * 8,
        sheets["Пары"][1],
        ["П-02", None, "Зуев Павел Андреевич", None, None, date(2023, 10, 1), date(2024, 5, 31),
         "Адаптация"],
    ]  # fmt: skip
    path = write_workbook(tmp_path / "объединены.xlsx", sheets)
    workbook = load_workbook(path)
    pairs = workbook["Пары"]
    for column in "ABCDEFGH":
        pairs.merge_cells(f"{column}1:{column}2")  # the header over two rows
    pairs.merge_cells("B3:B4")
    pairs.merge_cells("D3:D4")
    workbook.save(path)
    book, report = read_workbook(path, today=TODAY)
    assert report.problems == []
    assert [(p.row, p.code, p.mentor_ref, p.mentee_refs, p.form) for p in book.pairs] == [
        (3, "П-01", "Петрова Анна Сергеевна", ("Смирнов Илья Олегович",), "Учитель – учитель"),
        (4, "П-02", "Петрова Анна Сергеевна", ("Зуев Павел Андреевич",), "Учитель – учитель"),
    ]


# --- «Н01» and «Н-01» registered before today as two people ------------------------------------


def _two_spellings(settings, tmp_path: Path) -> None:
    """A register made before codes were read with or without a dash: Петрова is «Н-01»,
    Белова «Н01», both mentors (as such a register may hold)."""
    first = valid_sheets()
    first["Наставники"].append(
        ["Н-02", "Белова Елена Викторовна", date(1972, 11, 8), "педагог", "учитель", None, "нет"]
    )
    assert _register(settings, tmp_path, first, "1.xlsx").errors == []
    with session_scope(settings.database_url) as session:
        session.scalars(select(Person).where(Person.code == "Н-02")).one().code = "Н01"


def test_two_people_registered_as_n01_and_n_01_stay_two(settings, tmp_path):
    """Петрова's pair П-01 typed again under her Код «Н-01» became Белова's («Н01», added
    later: one code now), with a warning «меняется наставник»; Белова's row under her own «Н01»
    was refused as Петрова's Код. A Код spelled as the register spells it is that person's."""
    _two_spellings(settings, tmp_path)
    pairs = {"Пары": valid_sheets()["Пары"]}
    pairs["Пары"][1][1] = "Н-01"
    assert _register(settings, tmp_path, pairs, "2.xlsx").problems == []
    mentors = {"Наставники": valid_sheets()["Наставники"]}
    mentors["Наставники"][1][:3] = ["Н01", "Белова Елена Викторовна", date(1972, 11, 8)]
    assert _register(settings, tmp_path, mentors, "3.xlsx").problems == []
    assert _people(settings) == [
        ("mentor", "Н-01", "Петрова Анна Сергеевна"),
        ("mentor", "Н01", "Белова Елена Викторовна"),
        ("mentee", "У-01", "Смирнов Илья Олегович"),
    ]
    assert _pairs(settings) == [("П-01", "Петрова Анна Сергеевна", date(2024, 5, 31))]


def test_a_code_of_two_registered_people_is_refused_naming_both(settings, tmp_path):
    """A register of before held «Н01» and «Н 01» as two people; «Н01» is both now."""
    _two_spellings(settings, tmp_path)
    with session_scope(settings.database_url) as session:
        session.scalars(select(Person).where(Person.code == "Н01")).one().code = "Н 01"
        session.scalars(select(Person).where(Person.code == "Н-01")).one().code = "Н01"
    sheets = valid_sheets()
    sheets["Пары"][1][1] = "Н01"
    del sheets["Наставники"]
    report = _register(settings, tmp_path, sheets, "2.xlsx")
    assert [str(p) for p in report.errors] == [
        "лист «Пары», строка 2, столбец «Наставник»: Код «Н01» в реестре у двух человек: "
        "«Н01» — Петрова Анна Сергеевна, «Н 01» — Белова Елена Викторовна (пробел или тире "
        "между буквами и цифрами кода не делают код другим). Укажите здесь ФИО нужного "
        "человека."
    ]
    assert _pairs(settings) == [("П-01", "Петрова Анна Сергеевна", date(2024, 5, 31))]
    mentors = {"Наставники": valid_sheets()["Наставники"]}
    mentors["Наставники"][1][:3] = ["Н01", "Иванова Ольга Петровна", date(1990, 1, 2)]
    assert [str(p) for p in _register(settings, tmp_path, mentors, "3.xlsx").errors] == [
        "лист «Наставники», строка 2, столбец «Код»: Код «Н01» в реестре у двух человек: "
        "«Н01» — Петрова Анна Сергеевна, «Н 01» — Белова Елена Викторовна (пробел или тире "
        "между буквами и цифрами кода не делают код другим). Дайте этому человеку другой Код."
    ]


def test_two_pairs_registered_as_p01_and_p_01_stay_two(settings, tmp_path):
    """Белова's pair «П01», registered before as a pair of its own beside Петрова's «П-01», typed
    again under «П01», was taken for П-01: «меняется наставник», and П-01 became Белова's."""
    first = valid_sheets()
    first["Наставники"].append(
        ["Н-02", "Белова Елена Викторовна", date(1972, 11, 8), "педагог", "учитель", None, "нет"]
    )
    first["Наставляемые"].append(
        ["У-02", "Орлова Вера Ивановна", date(2000, 1, 5), "молодой специалист", "учитель", None]
    )
    first["Пары"].append(["П-02", "Н-02", "У-02", *first["Пары"][1][3:]])
    assert _register(settings, tmp_path, first, "1.xlsx").errors == []
    with session_scope(settings.database_url) as session:
        session.scalars(select(Pair).where(Pair.code == "П-02")).one().code = "П01"
    later = {"Пары": [first["Пары"][0], ["П01", "Н-02", "У-02", *first["Пары"][1][3:]]]}
    assert _register(settings, tmp_path, later, "2.xlsx").problems == []
    assert _pairs(settings) == [
        ("П-01", "Петрова Анна Сергеевна", date(2024, 5, 31)),
        ("П01", "Белова Елена Викторовна", date(2024, 5, 31)),
    ]


def test_a_code_that_is_a_listed_and_another_registered_person_is_refused(settings, tmp_path):
    """The sheet lists Белова under her «Н01», the pair names Петрова by her registered «Н-01»:
    one code now, so П-01 went to Белова, with only a warning «меняется наставник»."""
    _two_spellings(settings, tmp_path)
    sheets = valid_sheets()
    sheets["Наставники"][1][:3] = ["Н01", "Белова Елена Викторовна", date(1972, 11, 8)]
    sheets["Пары"][1][1] = "Н-01"
    report = _register(settings, tmp_path, sheets, "2.xlsx")
    assert [str(p) for p in report.errors] == [
        "лист «Пары», строка 2, столбец «Наставник»: Код «Н-01» — это и «Н01» листа "
        "«Наставники» (строка 2, Белова Елена Викторовна), и «Н-01» реестра (Петрова Анна "
        "Сергеевна): пробел или тире между буквами и цифрами кода не делают код другим. "
        "Укажите здесь ФИО нужного человека."
    ]
    assert _pairs(settings) == [("П-01", "Петрова Анна Сергеевна", date(2024, 5, 31))]


def test_initials_of_a_person_whose_code_another_shares_name_her(settings, tmp_path):
    """«Петрова А.С.» for Петрова «Н01» while Белова is «Н 01» (one code now): the reference
    was stored as «Н01», which the register could not tell apart — the batch failed."""
    _two_spellings(settings, tmp_path)
    with session_scope(settings.database_url) as session:
        session.scalars(select(Person).where(Person.code == "Н01")).one().code = "Н 01"
        session.scalars(select(Person).where(Person.code == "Н-01")).one().code = "Н01"
    sheets = {"Пары": valid_sheets()["Пары"]}
    sheets["Пары"][1][1] = "Петрова А.С."
    assert _register(settings, tmp_path, sheets, "2.xlsx").problems == []
    assert _pairs(settings) == [("П-01", "Петрова Анна Сергеевна", date(2024, 5, 31))]
