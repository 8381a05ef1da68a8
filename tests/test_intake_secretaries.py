"""Workbooks as real secretaries fill them, round two: codes typed with or without a dash, a
transposed «Организация», «внешний» for «да», a person named by surname and initials (the
kinds of workbook nobody had tried: tests/test_intake_kinds.py). Each is read exactly as meant
or refused with one clear Russian line per mistake. The register is written directly
(apply_workbook), without documents: what is under test is what the register holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from service.intake.model import IntakeReport
from service.intake.reader import read_workbook
from service.register.apply import apply_workbook
from service.register.db import session_scope
from service.register.lookup import RegisterLookup
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


def test_a_registered_code_given_to_another_person_is_refused(settings, tmp_path):
    """A school numbering next year's mentors from «Н-01» again: «Н-01» under another ФИО and
    another date of birth silently renamed Петрова (her records, her documents' next
    versions) into Белова (intake8). Refused; the register unchanged."""
    assert _register(settings, tmp_path, valid_sheets(), "1.xlsx").errors == []
    later = {"Наставники": valid_sheets()["Наставники"]}
    later["Наставники"][1][:3] = ["Н-01", "Белова Елена Викторовна", date(1972, 11, 8)]
    report = _register(settings, tmp_path, later, "2.xlsx")
    assert [str(p) for p in report.errors] == [
        "лист «Наставники», строка 2, столбец «Код»: Под Кодом «Н-01» в реестре — Петрова Анна "
        "Сергеевна (14.03.1980), а в этой строке Белова Елена Викторовна (08.11.1972): другие "
        "и ФИО, и дата рождения. Если это другой человек, дайте ей Код, которого ещё нет в "
        "реестре (Коды прошлых лет остаются за своими людьми). Если это Петрова Анна Сергеевна "
        "и исправлены и ФИО, и дата рождения, передайте исправления по очереди: сначала ФИО с "
        "прежней датой, затем дату."
    ]
    assert _people(settings) == [
        ("mentor", "Н-01", "Петрова Анна Сергеевна"),
        ("mentee", "У-01", "Смирнов Илья Олегович"),
    ]
    # her name corrected under her Код (the same date of birth) is still taken
    later["Наставники"][1][:3] = ["Н-01", "Петрова Анна Сергеевна", date(1980, 3, 14)]
    later["Наставники"][1][1] = "Петрова-Водкина Анна Сергеевна"
    assert _register(settings, tmp_path, later, "3.xlsx").errors == []
    assert _people(settings)[0] == ("mentor", "Н-01", "Петрова-Водкина Анна Сергеевна")


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


# --- 5. «Бутрина О.Н.»: the final event's responsible by surname and initials ------------------

EVENT = [["Параметр", "Значение"], ["Дата", date(2024, 5, 24)], ["Форма", "круглый стол"],
         ["Место", "актовый зал"]]  # fmt: skip


def _with_event(responsible: str, sheets: dict | None = None) -> dict:
    sheets = valid_sheets() if sheets is None else sheets
    sheets["Итоговое мероприятие"] = [*EVENT, ["Ответственный", responsible]]
    return sheets


@pytest.mark.parametrize("typed", ["Бутрина О.Н.", "Бутрина О. Н.", "О.Н. Бутрина", "бутрина о.н."])
def test_the_responsible_by_initials_is_the_one_office_they_fit(tmp_path, typed):
    """«Бутрина О.Н.» (the curator of «Организация») was refused as «ФИО с инициалами»."""
    book, report = read_sheets(tmp_path, _with_event(typed))
    assert report.problems == []
    assert book.final_event.responsible == "Бутрина Ольга Николаевна"


def test_the_responsible_by_initials_is_the_one_participant_they_fit(tmp_path):
    book, report = read_sheets(tmp_path, _with_event("Петрова А.С."))
    assert report.problems == []
    assert book.final_event.responsible == "Петрова Анна Сергеевна"


def test_the_curator_who_is_also_a_mentor_is_one_person(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"].append(
        ["Н-02", "Бутрина Ольга Николаевна", date(1970, 1, 5), "педагог", "учитель", None, "нет"]
    )
    book, report = read_sheets(tmp_path, _with_event("Бутрина О.Н.", sheets))
    assert report.problems == []
    assert book.final_event.responsible == "Бутрина Ольга Николаевна"


def test_the_responsible_fitting_two_people_is_refused_with_both(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"].append(
        ["Н-02", "Бутрина Оксана Нурлановна", date(1990, 1, 5), "педагог", "учитель", None, "нет"]
    )
    book, report = read_sheets(tmp_path, _with_event("Бутрина О.Н.", sheets))
    assert book is None
    assert [str(p) for p in report.errors] == [
        "лист «Итоговое мероприятие», строка 5, столбец «Значение»: «Ответственный»: «Бутрина "
        "О.Н.» подходит нескольким людям: Бутрина Ольга Николаевна (куратор, лист "
        "«Организация»), Бутрина Оксана Нурлановна (лист «Наставники», строка 3, Код «Н-02»). "
        "Укажите ФИО полностью."
    ]


def test_the_responsible_fitting_nobody_is_refused(tmp_path):
    book, report = read_sheets(tmp_path, _with_event("Иванов И.И."))
    assert book is None
    assert [str(p) for p in report.errors] == [
        "лист «Итоговое мероприятие», строка 5, столбец «Значение»: «Ответственный»: «Иванов "
        "И.И.» — фамилия и инициалы, а такого человека нет ни на листе «Организация», ни среди "
        "наставников и наставляемых (в книге и в реестре). Напишите ФИО полностью: Фамилия Имя "
        "Отчество (отчество — если есть), без сокращений."
    ]


def test_the_responsible_by_initials_is_found_in_the_register(settings, tmp_path):
    """A later workbook of «Итоговое мероприятие» alone names the registered curator, or a
    registered mentor, by initials."""
    assert _register(settings, tmp_path, valid_sheets(), "1.xlsx").errors == []
    for typed, meant in [
        ("Бутрина О.Н.", "Бутрина Ольга Николаевна"),
        ("Петрова А.С.", "Петрова Анна Сергеевна"),
    ]:
        later = {"Итоговое мероприятие": [*EVENT, ["Ответственный", typed]]}
        path = write_workbook(tmp_path / f"{typed}.xlsx", later)
        with session_scope(settings.database_url) as session:
            book, report = read_workbook(path, RegisterLookup(session), today=TODAY)
        assert report.problems == []
        assert book.final_event.responsible == meant
