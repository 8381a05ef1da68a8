"""Reading rules of INTAKE.md on real xlsx files: headers, dates, yes/no, forms, ФИО, numbers,
badly filled workbooks and files that are not workbooks at all."""

from __future__ import annotations

import os
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill

from service.intake.lookup import StaticLookup
from service.intake.reader import read_workbook
from tests.counted import rows_given
from tests.workbooks import (
    MENTEE_HEADER,
    MENTOR_HEADER,
    TODAY,
    organization_rows,
    problems_at,
    read_sheets,
    valid_sheets,
    write_workbook,
)


def test_valid_workbook_reads_clean(tmp_path):
    book, report = read_sheets(tmp_path, valid_sheets())
    assert report.problems == []
    assert book is not None
    assert book.organization.school_year == "2023–2024"
    assert book.organization.head_position == "Директор"
    assert [m.full_name for m in book.mentors] == ["Петрова Анна Сергеевна"]
    assert book.pairs[0].mode is None  # «Вид» empty: «традиционная» when the pair is new
    assert book.pairs[0].mentee_refs == ("Смирнов Илья Олегович",)


# --- sheets and headers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sheet_name, fio, birth",
    [
        ("наставники", "фио", "дата рождения"),
        ("  НАСТАВНИКИ ", " ФИО ", "ДАТА   РОЖДЕНИЯ"),
        ("Наставники", "ФИО", "Дата\u00a0рождения"),
        ("Наставники", "ФИО", "Дата\nрождения"),
        ("Наставники", "ФИО *", "Дата рождения:"),
        # Latin look-alikes typed in a Russian word (a keyboard layout switched mid-word): the
        # name looks the same; it was «не относится к форме» / «Нет обязательного столбца «ФИО»»
        ("Нaставники", "ФИO", "Дaтa рождения"),
    ],
)
def test_sheet_and_header_names_match_loosely(tmp_path, sheet_name, fio, birth):
    sheets = valid_sheets()
    rows = sheets.pop("Наставники")
    rows[0] = [fio if h == "ФИО" else birth if h == "Дата рождения" else h for h in rows[0]]
    sheets[sheet_name] = rows
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.mentors[0].birth_date == date(1980, 3, 14)


def test_yo_and_e_are_the_same_letter_in_names_of_parameters_and_headers(tmp_path):
    sheets = valid_sheets()
    sheets["Организация"] = [
        ["Параметр", "Значение"],
        *[[k.replace("ё", "е"), v] for k, v in organization_rows()[1:]],
    ]
    sheets["Итоги"] = [
        ["Код пары", "Статус", "Достигнутые результаты", "Вовлеченность на входе"],
        ["П-01", "Завершена", "Проведено 12 встреч", 5],
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.organization.locality == "с. Идринское"
    assert book.results[0].engagement_in == 5


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ("Куратор", "curator_name"),
        ("ФИО куратора", "curator_name"),
        ("Руководитель", "head_name"),
        ("ФИО директора", "head_name"),
        ("Координатор", "coordinator_name"),
        ("Должность директора", "head_position"),
        ("Всего учащихся", "students_total"),
        ("Количество педагогов", "teachers_total"),
    ],
)
def test_parameters_named_as_offices_name_them(tmp_path, given, field):
    """review20: «Куратор» without «(ФИО)», «Должность директора», «Всего учащихся» were
    refused as a missing parameter (or a misspelt one) though they say what the form's name
    says. Each is read as the form's parameter, its value kept."""
    rows = organization_rows()
    canonical = {
        "curator_name": "Куратор (ФИО)",
        "head_name": "Руководитель (ФИО)",
        "coordinator_name": "Координатор (ФИО)",
        "head_position": "Должность руководителя",
        "students_total": "Всего обучающихся",
        "teachers_total": "Всего педагогов",
    }[field]
    values = dict(rows[1:])
    value = values.pop(canonical, None)
    value = {"head_position": "Директор", "students_total": 300, "teachers_total": 30}.get(
        field, value
    )
    sheets = valid_sheets()
    sheets["Организация"] = [rows[0], *[[k, v] for k, v in values.items()], [given, value]]
    book, report = read_sheets(tmp_path, sheets)
    assert [p.message for p in report.problems] == []
    assert getattr(book.organization, field) == value


@pytest.mark.parametrize(
    "names",
    [
        ("Дата проведения", "Форма проведения", "Место проведения", "Ответственный"),
        ("Дата итогового мероприятия", "Форма мероприятия", "Место", "Ответственное лицо"),
        ("Дата мероприятия", "Форма", "Место проведения мероприятия", "Ответственный (ФИО)"),
        (
            "Дата",
            "Форма проведения итогового мероприятия",
            "Место мероприятия",
            "Ответственный за проведение",
        ),
    ],
)
def test_final_event_parameters_named_as_offices_name_them(tmp_path, names):
    """«Дата проведения», «Место проведения» were refused as «Нет строки с параметром «Дата»»
    (and the order of the final event never made): each is read as the form's parameter."""
    sheets = valid_sheets()
    values = (date(2024, 5, 20), "конференция", "актовый зал", "Бутрина Ольга Николаевна")
    sheets["Итоговое мероприятие"] = [
        ["Параметр", "Значение"],
        *map(list, zip(names, values, strict=True)),
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert [p.message for p in report.problems] == []
    event = book.final_event
    assert (event.date, event.form, event.place, event.responsible) == values


def test_title_rows_above_the_header_and_exact_row_numbers(tmp_path):
    path = tmp_path / "с заголовком.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "Наставляемые"
    sheet["A1"] = "Список наставляемых МБОУ Идринская СОШ на 2023–2024 учебный год"
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(MENTEE_HEADER)  # row 3
    sheet.append(["У-01", "Смирнов Илья Олегович", "20.11.1999", "молодой специалист", "учитель"])
    sheet.append([])
    sheet.append([])
    sheet.append(["У-02", "Орлова Вера Павловна", "32.01.2000", "педагог", "учитель"])  # row 7
    book.save(path)
    workbook, report = read_workbook(path, StaticLookup(organization=True), today=TODAY)
    assert workbook is None
    [problem] = report.errors
    assert (problem.sheet, problem.row, problem.column) == ("Наставляемые", 7, "Дата рождения")


def test_unknown_column_is_a_warning_with_a_suggestion(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][0].append("Дата рожденья")
    sheets["Наставники"][0].append("Любимый предмет")
    book, report = read_sheets(tmp_path, sheets)
    assert book is not None and report.errors == []
    texts = [str(p) for p in report.warnings]
    assert any("«Любимый предмет»" in t for t in texts)
    assert any("Возможно, имелся в виду «Дата рождения»" in t for t in texts)
    assert report.warnings[0].row == 1


def test_numbering_column_is_ignored_silently(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"] = [["№ п/п", *row] for row in sheets["Наставники"]]
    sheets["Наставники"][0][0] = "№ п/п"
    sheets["Наставники"][1][0] = 1
    sheets["Наставники"] += [[n] for n in range(2, 30)]  # numbered but otherwise empty rows
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert len(book.mentors) == 1


def test_missing_required_column_is_an_error_at_the_header(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"] = [[c for i, c in enumerate(r) if i != 2] for r in sheets["Наставники"]]
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    [problem] = report.errors
    assert (problem.sheet, problem.row, problem.column) == ("Наставники", 1, "Дата рождения")
    assert "Нет обязательного столбца «Дата рождения»" in problem.message


def test_a_misspelt_header_is_named_and_its_data_never_dropped(tmp_path):
    """play17: «Дата начла» was «Неизвестный столбец … не прочитан» beside «Нет обязательного
    столбца «Дата начала». Добавьте его…» (the secretary would add a column she has); an
    optional column misspelt, «Место работф», lost what she typed with a warning only, and the
    documents were made without it (left20). One error names both headers; a misspelt column or
    parameter holding data is refused; an empty one stays a warning."""
    sheets = valid_sheets()
    sheets["Пары"][0][5] = "Дата начла"
    sheets["Наставники"][0][5] = "Место работф"
    sheets["Наставники"][1][5] = "ООО «Ромашка»"
    sheets["Организация"] = organization_rows(
        **{"Учебный год": None, "Учебнй год": "2023–2024", "Сайт": None, "Сайтт": "school.ru"}
    )
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    assert [str(p) for p in report.problems] == [
        "лист «Организация», строка 8, столбец «Параметр»: Нет строки с параметром «Учебный "
        "год»: похоже, это строка 8 «Учебнй год» с опечаткой. Исправьте название на «Учебный "
        "год».",
        "лист «Организация», строка 9, столбец «Параметр»: Параметр «Сайтт» не прочитан: "
        "похоже, это «Сайт» с опечаткой, а его значение в документы не попало бы. Исправьте "
        "название на «Сайт».",
        "лист «Наставники», строка 1, столбец «Место работф»: Столбец «Место работф» не "
        "прочитан: похоже, это «Место работы» с опечаткой в заголовке, а в нём есть данные "
        "(строка 2) — в документы они не попали бы. Исправьте заголовок на «Место работы».",
        "лист «Пары», строка 1, столбец «Дата начла»: Нет обязательного столбца «Дата начала»: "
        "похоже, это столбец F «Дата начла» с опечаткой в заголовке. Исправьте заголовок на "
        "«Дата начала».",
    ]
    sheets = valid_sheets()
    sheets["Наставники"][0][5] = "Место работф"  # nothing typed under it: nothing lost
    (tmp_path / "empty").mkdir()
    book, report = read_sheets(tmp_path / "empty", sheets)
    assert book is not None
    assert [(p.severity, p.message) for p in report.problems] == [
        (
            "warning",
            "Неизвестный столбец «Место работф» не прочитан. Возможно, имелся в виду «Место "
            "работы».",
        )
    ]


def test_a_header_sharing_a_word_with_a_column_is_no_misspelling(tmp_path):
    """«Стаж работы» is not «Место работы» mistyped (review20): a workbook with it, taken
    before, was refused — «похоже, это «Место работы» с опечаткой в заголовке… Исправьте
    заголовок на «Место работы»», the secretary told to rename her Стаж column. An unknown
    column, with a warning, as before; a mistyped word still is a misspelling."""
    sheets = valid_sheets()
    sheets["Наставники"][0][5] = "Стаж работы"
    sheets["Наставники"][1][5] = 12
    book, report = read_sheets(tmp_path, sheets)
    assert book is not None and report.errors == []
    # and no «Возможно, имелся в виду «Место работы»»: a suggestion is a misspelling too
    assert [(p.column, p.message) for p in report.warnings] == [
        ("Стаж работы", "Неизвестный столбец «Стаж работы» не прочитан.")
    ]
    sheets["Наставники"][0][5] = "Мсто работы"
    (tmp_path / "slip").mkdir()
    book, report = read_sheets(tmp_path / "slip", sheets)
    assert book is None
    assert [p.column for p in report.errors] == ["Мсто работы"]


def test_unknown_and_empty_sheets(tmp_path):
    sheets = valid_sheets()
    sheets["Черновик"] = [["что-то"]]
    sheets["Лист1"] = []
    book, report = read_sheets(tmp_path, sheets)
    assert book is not None
    assert [p.sheet for p in report.warnings] == ["Черновик"]


def test_a_hidden_sheet_of_the_form_is_read_and_said_to_be(tmp_path):
    """A sheet hidden in Excel is out of the secretary's sight, yet its rows make documents:
    the report says so (a warning: hiding is no way to leave data out)."""
    path = write_workbook(tmp_path / "книга.xlsx", valid_sheets())
    book = load_workbook(path)
    book["Пары"].sheet_state = "hidden"
    book.save(path)
    workbook, report = read_workbook(path, today=TODAY)
    assert workbook is not None and len(workbook.pairs) == 1
    assert [str(p) for p in report.warnings] == [
        "лист «Пары»: Лист «Пары» в книге скрыт, но прочитан: его строки входят в реестр и "
        "документы так же, как с видимого листа. Если они не нужны, удалите их и передайте "
        "книгу снова."
    ]


def test_workbook_without_any_known_sheet_is_an_error(tmp_path):
    book, report = read_sheets(tmp_path, {"Лист1": [["ФИО", "Класс"], ["Иванов Иван", "5 А"]]})
    assert book is None
    assert any("нет ни одного листа формы" in p.message for p in report.errors)


def test_data_in_a_column_without_header_is_reported(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][1] += [None, None, "заметка на полях"]
    book, report = read_sheets(tmp_path, sheets)
    assert book is not None
    [warning] = report.warnings
    assert (warning.row, warning.message) == (
        2,
        "В столбце L есть данные, но нет заголовка — значения в строке 2 не прочитаны. Если "
        "они нужны, впишите заголовок столбца в строку заголовков.",
    )


def test_data_dragged_to_the_sheet_s_end_is_one_warning(tmp_path):
    """A «0» dragged right to column IV in three rows was 247 warnings, one a column, and a
    «0» dragged along the header row 247 more «Неизвестный столбец «0»»: one line each."""
    path = write_workbook(tmp_path / "протянуто.xlsx", valid_sheets())
    book = load_workbook(path)
    mentors, pairs = book["Наставники"], book["Пары"]
    mentors.append(
        ["Н-02", "Сидоров Пётр Ильич", date(1975, 1, 2), "педагог", "учитель", None, "нет"]
    )
    mentors.append(
        ["Н-03", "Котова Елена Павловна", date(1978, 4, 5), "педагог", "учитель", None, "нет"]
    )
    for row in (2, 4):
        for column in range(11, 257):
            mentors.cell(row, column, 0)
    mentors.cell(3, 13, "заметка")
    for column in range(9, 257):
        pairs.cell(1, column, 0)
        pairs.cell(2, column, 0)
    book.save(path)
    workbook, report = read_workbook(path, today=TODAY)
    assert workbook is not None
    assert [(p.sheet, p.row, p.column, p.message) for p in report.warnings] == [
        (
            "Наставники",
            2,
            None,
            "В столбцах K–IV есть данные, но нет заголовков — значения в строках 2–4 не "
            "прочитаны. Если они нужны, впишите заголовки столбцов в строку заголовков; если "
            "нет (например, значение протянуто вправо до конца листа), удалите эти столбцы.",
        ),
        (
            "Пары",
            1,
            "0",
            "Неизвестный столбец «0» повторяется в столбцах I–IV: они не прочитаны.",
        ),
    ]


def test_headers_numbered_to_the_sheet_s_end_are_one_warning(tmp_path):
    """A table Excel extended to column IV names its new columns «Столбец9» … «Столбец256»;
    a «1» dragged along the header row counts up «1» … «247»: each was a warning a column.
    One line each; two headers alike but different («Вовлечённость 1», «… 2») stay apart."""
    path = write_workbook(tmp_path / "таблица.xlsx", valid_sheets())
    book = load_workbook(path)
    for column in range(9, 257):
        book["Пары"].cell(1, column, f"Столбец{column}")
    for column in range(10, 257):
        book["Наставники"].cell(1, column, column - 9)
    book["Наставляемые"].cell(1, 7, "Вовлечённость 1")
    book["Наставляемые"].cell(1, 8, "Вовлечённость 2")
    book.save(path)
    workbook, report = read_workbook(path, today=TODAY)
    assert workbook is not None
    assert [(p.sheet, p.column, p.message) for p in report.warnings] == [
        ("Наставники", "1", "Неизвестные столбцы «1» … «247» (столбцы J–IV) не прочитаны."),
        (
            "Наставляемые",
            "Вовлечённость 1",
            "Неизвестный столбец «Вовлечённость 1» не прочитан.",
        ),
        (
            "Наставляемые",
            "Вовлечённость 2",
            "Неизвестный столбец «Вовлечённость 2» не прочитан.",
        ),
        (
            "Пары",
            "Столбец9",
            "Неизвестные столбцы «Столбец9» … «Столбец256» (столбцы I–IV) не прочитаны.",
        ),
    ]


def test_columns_without_header_apart_are_named_in_one_warning(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][1] += [None, "заметка", None, "ещё"]
    sheets["Наставники"].append(
        ["Н-02", "Сидоров Пётр Ильич", date(1975, 1, 2), "педагог", "учитель", None, "нет"]
    )
    sheets["Наставники"].append([])
    sheets["Наставники"].append(
        [
            "Н-03",
            "Котова Елена Павловна",
            date(1978, 4, 5),
            "педагог",
            "учитель",
            None,
            "нет",
            None,
            None,
            None,
            None,
            None,
            "x",
        ]
    )
    _, report = read_sheets(tmp_path, sheets)
    assert [(p.row, p.message) for p in report.warnings] == [
        (
            2,
            "В столбцах K, M есть данные, но нет заголовков — значения в строках 2, 5 не "
            "прочитаны. Если они нужны, впишите заголовки столбцов в строку заголовков; если "
            "нет (например, значение протянуто вправо до конца листа), удалите эти столбцы.",
        )
    ]


def test_formatted_empty_cells_and_rows_are_ignored(tmp_path):
    path = write_workbook(tmp_path / "форматы.xlsx", valid_sheets())
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book["Наставники"]
    fill = PatternFill("solid", fgColor="FFFF00")
    for row in range(1, 200):
        for column in (20, 40):
            sheet.cell(row, column).fill = fill
    sheet.cell(150, 3).number_format = "DD.MM.YYYY"
    sheet.cell(80, 2).value = "   "
    sheet.cell(90, 4).value = "—"
    book.save(path)
    workbook, report = read_workbook(path, today=TODAY)
    assert report.problems == []
    assert len(workbook.mentors) == 1


# --- dates --------------------------------------------------------------------------------------


def _with_birth_date(value):
    sheets = valid_sheets()
    sheets["Наставники"][1][2] = value
    return sheets


@pytest.mark.parametrize(
    "value",
    [
        datetime(1980, 3, 14),
        datetime(1980, 3, 14, 15, 30),
        date(1980, 3, 14),
        "14.03.1980",
        "14.3.1980",
        " 14.03.1980 ",
        "1980-03-14",
        "1980-03-14 00:00:00",
        "14.03.1980 г.",
        "14.03.1980 0:00:00",
        "14.03.1980 00:00",
        "'14.03.1980",
    ],
)
def test_dates_accepted(tmp_path, value):
    book, report = read_sheets(tmp_path, _with_birth_date(value))
    assert report.problems == []
    assert book.mentors[0].birth_date == date(1980, 3, 14)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("31.02.2023", "Дата «31.02.2023» не существует. Введите дату в виде ДД.ММ.ГГГГ"),
        ("03.14.1980", "Дата «03.14.1980» не существует (сначала день, потом месяц)"),
        (
            "1980-14-03",
            "Дата «1980-14-03» не существует (в записи ГГГГ-ММ-ДД сначала месяц, потом день)",
        ),
        ("сентябрь", "Не удалось прочитать дату «сентябрь». Введите дату в виде ДД.ММ.ГГГГ"),
        ("14.03.80", "год нужно писать четырьмя цифрами"),
        ("14/03/1980", "Не удалось прочитать дату «14/03/1980»"),
        (29294, "В ячейке число «29294», а нужна дата"),
        ("да", "Не удалось прочитать дату «да»"),
    ],
)
def test_bad_dates_are_errors_saying_what_to_type(tmp_path, value, expected):
    book, report = read_sheets(tmp_path, _with_birth_date(value))
    assert book is None
    [problem] = report.errors
    assert (problem.sheet, problem.row, problem.column) == ("Наставники", 2, "Дата рождения")
    assert expected in problem.message
    assert "ДД.ММ.ГГГГ" in problem.message


def test_term_takes_a_date_or_text(tmp_path):
    sheets = valid_sheets()
    sheets["План"] = [
        ["Код пары", "Мероприятие", "Срок"],
        ["П-01", "Первая встреча", datetime(2023, 10, 2)],
        ["П-01", "Планирование", "10.10.2023"],
        ["П-01", "Регулярные встречи", "в течение года"],
        ["П-01", "Открытый урок", "  март   2024 "],
        ["П-01", "Итоги", "31.04.2024"],
    ]
    book, report = read_sheets(tmp_path, sheets)
    [problem] = report.errors
    assert (problem.row, problem.column) == (6, "Срок")
    sheets["План"].pop()
    book, report = read_sheets(tmp_path, sheets)
    assert [p.term for p in book.plan] == [
        date(2023, 10, 2),
        date(2023, 10, 10),
        "в течение года",
        "март 2024",
    ]


# --- yes/no, closed lists -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("да", True), ("ДА", True), ("Да.", True), ("+", True), ("1", True), (1, True),
        (True, True), ("истина", True), ("ИСТИНА", True),
        ("нет", False), ("Нет", False), ("-", False), ("—", False), ("0", False), (0, False),
        (False, False), ("ложь", False), ("ЛОЖЬ", False),
    ],
)  # fmt: skip
def test_yes_no_words(tmp_path, value, expected):
    sheets = valid_sheets()
    row = sheets["Наставники"][1]
    row[6] = value
    row[5], row[7] = "ООО «Агро-Идра»", "паспорт 04 12 345678"
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.mentors[0].is_external is expected


def test_unknown_yes_no_word(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][1][6] = "наверное"
    _, report = read_sheets(tmp_path, sheets)
    [problem] = report.errors
    assert problem.column == "Внешний наставник"
    assert "Напишите «да» — наставник не работает в школе" in problem.message


@pytest.mark.parametrize(
    "typed, canonical",
    [
        ("Учитель-учитель", "Учитель – учитель"),
        ("учитель – учитель", "Учитель – учитель"),
        ("Учитель—Учитель", "Учитель – учитель"),
        ("УЧИТЕЛЬ -  УЧИТЕЛЬ", "Учитель – учитель"),
        ("Учитель‑ученик", "Учитель – ученик"),
        ("Педагог вуза (колледжа)-молодой педагог", "Педагог вуза (колледжа) – молодой педагог"),
    ],
)
def test_dashes_and_case_in_forms(tmp_path, typed, canonical):
    sheets = valid_sheets()
    sheets["Пары"][1][3] = typed
    if canonical.endswith("– ученик"):  # the form's mentee is a pupil (intake.forms)
        sheets["Наставляемые"][1][3] = "обучающийся"
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.pairs[0].form == canonical


def test_closed_lists_ignore_case_yo_and_spaces(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][1][3] = "  ПЕДАГОГ "
    sheets["Наставляемые"][1][3] = "Молодой  специалист"
    sheets["Пары"][1][4] = "Традиционная"
    sheets["Итоги"] = [
        ["Код пары", "Статус", "Достигнутые результаты", "Причина"],
        ["П-01", "ЗАВЕРШЕНА ДОСРОЧНО", "Проведено 8 встреч", "переезд"],
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.mentors[0].category == "педагог"
    assert book.mentees[0].category == "молодой специалист"
    assert book.results[0].status == "завершена досрочно"


# --- ФИО ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, normalised",
    [
        ("  иванова   мария  ", "Иванова Мария"),
        ("ИВАНОВА МАРИЯ", "Иванова Мария"),
        ("иВАНОВА мАРИЯ пЕТРОВНА", "Иванова Мария Петровна"),
        ("Иванова\u00a0Мария\u00a0Петровна", "Иванова Мария Петровна"),
        ("Ива\u00adнова Мария\u200b\tПетровна\ufeff", "Иванова Мария Петровна"),
        # copied from a web page or a Word document: direction marks, other Unicode spaces
        ("Иванова\u2005Мария\u3000Петровна\u200f", "Иванова Мария Петровна"),
        ("\u2066Иванова\u2069 \u200eМария\u202f Петровна", "Иванова Мария Петровна"),
        ("петров-водкин кузьма сергеевич", "Петров-Водкин Кузьма Сергеевич"),
        ("Петров - Водкин Кузьма", "Петров-Водкин Кузьма"),
        ("мамедов эльчин рашид оглы", "Мамедов Эльчин Рашид оглы"),
        ("Алиева Лейла Ильхам КЫЗЫ", "Алиева Лейла Ильхам кызы"),
        ("каримов улугбек рустам УГЛИ", "Каримов Улугбек Рустам угли"),
        ("Каримова Дильноза Рустам Кизи", "Каримова Дильноза Рустам кизи"),
        ("Семёнова Алёна", "Семёнова Алёна"),
        ("smith john", "Smith John"),
        ("д’артаньян шарль", "Д'Артаньян Шарль"),
        # a full stop typed after the name: it was «В ФИО … есть инициалы или точки»
        ("Петрова Анна Сергеевна.", "Петрова Анна Сергеевна"),
        ("мамедов эльчин рашид оглы .", "Мамедов Эльчин Рашид оглы"),
        # a particle typed in lower case stays so (Розенталь, § 160) and is no word of the
        # count; it was «Фон Визин Денис Иванович», and «фон дер Ляйен …» had «слов 5»
        ("фон Визин Денис Иванович", "фон Визин Денис Иванович"),
        ("фон дер Ляйен Урсула Альбрехтовна", "фон дер Ляйен Урсула Альбрехтовна"),
        ("Турсун-заде Мирзо Турсунович", "Турсун-заде Мирзо Турсунович"),
        # typed with a capital (a tradition: Ван Гог; «Ван», a Chinese surname) it stays so;
        ("Ван Гог Винсент Теодорович", "Ван Гог Винсент Теодорович"),
        # a lower-case particle after a capital one is the surname's too, not a misplaced one
        ("Де ла Крус Мария Ивановна", "Де ла Крус Мария Ивановна"),
        # in a name typed in one case nothing tells «ВАН ЛИ» from «ВАН ДЕЙК»: capitalised
        ("ФОН ВИЗИН ДЕНИС ИВАНОВИЧ", "Фон Визин Денис Иванович"),
    ],
)
def test_names_are_normalised(tmp_path, typed, normalised):
    sheets = valid_sheets()
    sheets["Наставники"][1][1] = typed
    sheets["Пары"][1][1] = typed.upper()  # the pair finds the mentor however it is spelled
    book, report = read_sheets(tmp_path, sheets)
    # a Latin ФИО does not tell the sex: a warning asks for «Пол», nothing is refused; a
    # capital particle first makes it the surname in the documents («В.Т. Ван»): a warning
    capital = normalised.split()[0] in ("Ван", "Де", "Фон")
    expected = ["Пол"] if typed == "smith john" else ["ФИО"] if capital else []
    assert [p.column for p in report.problems] == expected
    assert book.mentors[0].full_name == normalised
    assert book.pairs[0].mentor_ref == normalised


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Петрова", "слов 1"),
        ("Петрова А. С.", "инициалы"),
        ("Петрова Анна С.", "инициалы"),
        ("Петрова Анна Сергеевна..", "инициалы"),
        ("Петрова Анна Сергеевна Ивановна Вторая", "слов 5"),
        ("Петрова Анна 2", "недопустимые символы («2»)"),
        ("Петрoва Анна", "русские буквы смешаны с латинскими (o)"),
        ("оглы Рашид", "начинается с «оглы»"),
        (
            "Нурлан Абаевич Сейткали",
            "В ФИО «Нурлан Абаевич Сейткали» второе слово «Абаевич» — отчество: ФИО записано в "
            "порядке Имя Отчество Фамилия. Напишите «Сейткали Нурлан Абаевич» (Фамилия Имя "
            "Отчество).",  # the whole message: «Напишите …: Напишите ФИО полностью…» before
        ),
        ("анна сергеевна петрова", "Напишите «Петрова Анна Сергеевна»"),
        ("Денис Иванович фон Визин", "Напишите «фон Визин Денис Иванович»"),
        ("фон Визин Денис Иванович Второй Третий", "слов 6"),
        # a surname alone with its particle: it was «не похоже на ФИО: слов 2»
        (
            "фон Визин",
            "«фон Визин» — только фамилия (с частицей «фон»), имени нет. Напишите ФИО "
            "полностью: Фамилия Имя Отчество",
        ),
        ("де ла Круз", "«де ла Круз» — только фамилия (с частицами «де ла»), имени нет."),
        ("Мария Кузьминична", "второе слово «Кузьминична» — отчество"),
        # a name before the surname and its particle: it was taken, the surname «Денис», and
        # printed «Ф.В. Денис» (left20)
        (
            "Денис фон Визин",
            "В ФИО «Денис фон Визин» фамилия «фон Визин» стоит после имени: ФИО пишется в "
            "порядке Фамилия Имя Отчество. Напишите «фон Визин Денис».",
        ),
        ("Урсула фон дер Ляйен", "фамилия «фон дер Ляйен» стоит после имени"),
        ("Мария де ла Круз Ивановна", "Напишите «де ла Круз Мария Ивановна»"),
    ],
)
def test_bad_names(tmp_path, typed, expected):
    sheets = valid_sheets()
    sheets["Наставники"][1][1] = typed
    del sheets["Пары"]
    _, report = read_sheets(tmp_path, sheets)
    [problem] = report.errors
    assert (problem.row, problem.column) == (2, "ФИО")
    assert expected in problem.message
    hint = "русскими буквами" if "латинскими" in expected else "Фамилия Имя Отчество"
    assert hint in problem.message


@pytest.mark.parametrize("typed", ["Нгуен ван Ань", "Фам ван Донг"])
def test_a_lower_case_particle_after_a_surname_alone_is_no_misplaced_surname(tmp_path, typed):
    """A Vietnamese middle name typed in lower case is no surname after a name: «Нгуен ван Ань»
    was refused since left20 — «фамилия «ван Ань» стоит после имени… Напишите «ван Ань
    Нгуен»» (review20). No word before the particle is a first name or a patronymic: taken as
    typed. «Мария де ла Круз» and «Денис фон Визин» are still refused (test_bad_names)."""
    sheets = valid_sheets()
    sheets["Наставники"][1][1] = typed
    del sheets["Пары"]
    book, report = read_sheets(tmp_path, sheets)
    assert report.errors == []
    assert book.mentors[0].full_name == typed


def test_a_particle_inside_a_compound_surname_is_told_to_be_hyphenated(tmp_path):
    """«Лопес де Вега Анна»: a name after the particle's surname, so the particle is inside a
    compound surname, not a surname after a name — refused (the documents would print «Д.В.
    Лопес»), it was told «Напишите «де Вега Лопес Анна»» (review20). The hyphenated surname,
    as the product writes a double one, is taken."""
    sheets = valid_sheets()
    sheets["Наставники"][1][1] = "Лопес де Вега Анна"
    del sheets["Пары"]
    _, report = read_sheets(tmp_path, sheets)
    assert [p.message for p in report.errors] == [
        "В ФИО «Лопес де Вега Анна» частица «де» стоит внутри фамилии «Лопес де Вега»: "
        "составная фамилия пишется через дефис. Напишите «Лопес-де-Вега Анна»."
    ]
    sheets["Наставники"][1][1] = "Лопес-де-Вега Анна"
    (tmp_path / "hyphen").mkdir()
    book, report = read_sheets(tmp_path / "hyphen", sheets)
    assert report.errors == []
    assert book.mentors[0].full_name == "Лопес-де-Вега Анна"


# --- numbers, placeholders, school year ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("нет", "нет"), ("12345", "12345"), ("ИНН 2415001234", "ИНН 2415001234")],
)
def test_an_ogrn_that_is_not_13_or_15_digits_is_refused(tmp_path, typed, shown):
    """«нет», «12345» or the ИНН in the row «ОГРН» were taken and printed in the contract with
    an external mentor: «ОГРН нет», «ОГРН ИНН 2415001234»."""
    sheets = valid_sheets()
    sheets["Организация"] = organization_rows(ОГРН=typed)
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    assert [str(p) for p in report.errors] == [
        f"лист «Организация», строка 9, столбец «Значение»: «ОГРН»: «{shown}» — не ОГРН: ОГРН "
        "школы — 13 цифр (ОГРН индивидуального предпринимателя — 15), например "
        "«1022401000000». Если ОГРН неизвестен, оставьте ячейку пустой."
    ]


def test_numbers_given_as_text(tmp_path):
    sheets = valid_sheets()
    sheets["Организация"] = organization_rows(
        **{"Всего обучающихся": "1 200", "Всего педагогов": " 38 ", "ИНН": 2415001234}
    )
    sheets["Наставники"][0].append("Стаж (лет)")
    sheets["Наставники"][1].append("22 года")
    sheets["Обучение наставников"] = [
        ["Тема", "Дата", "Часов", "Ответственный"],
        ["Введение", "20.09.2023", "5,5", "Бутрина О. Н."],
        ["Программа", "04.10.2023", "2 ч", "Соколова М. П."],
        ["Сопровождение", "15.11.2023", 1.5, "Соколова М. П."],
    ]
    sheets["Итоги"] = [
        ["Код пары", "Статус", "Достигнутые результаты", "Вовлечённость на входе",
         "Вовлечённость на выходе"],
        ["П-01", "завершена", "Проведено 12 встреч", "5", 8.0],
    ]  # fmt: skip
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.organization.students_total == 1200
    assert book.organization.teachers_total == 38
    assert book.organization.inn == "2415001234"
    assert book.mentors[0].experience_years == 22
    assert [t.hours for t in book.trainings] == [5.5, 2, 1.5]
    assert (book.results[0].engagement_in, book.results[0].engagement_out) == (5, 8)


@pytest.mark.parametrize(
    "column, value, expected",
    [
        ("Часов", "0", "больше нуля"),
        ("Часов", "-2", "больше нуля"),
        ("Часов", "много", "не число"),
        ("Вовлечённость на входе", "11", "от 1 до 10"),
        ("Вовлечённость на входе", "0", "от 1 до 10"),
        ("Вовлечённость на входе", "7,5", "не целое число"),
    ],
)
def test_bad_numbers(tmp_path, column, value, expected):
    sheets = valid_sheets()
    if column == "Часов":
        sheets["Обучение наставников"] = [
            ["Тема", "Дата", "Часов", "Ответственный"],
            ["Введение", "20.09.2023", value, "Бутрина О. Н."],
        ]
        sheet = "Обучение наставников"
    else:
        sheets["Итоги"] = [
            ["Код пары", "Статус", "Достигнутые результаты", column],
            ["П-01", "завершена", "Проведено 12 встреч", value],
        ]
        sheet = "Итоги"
    _, report = read_sheets(tmp_path, sheets)
    [problem] = report.errors
    assert (problem.sheet, problem.row, problem.column) == (sheet, 2, column)
    assert expected in problem.message


def test_spaces_and_dashes_count_as_empty(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][0] += ["Телефон", "Стаж (лет)"]
    sheets["Наставники"][1] += ["—", "  "]
    sheets["Наставники"][1][8] = " - "  # guardian of an adult: a placeholder
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    mentor = book.mentors[0]
    assert (mentor.phone, mentor.experience_years, mentor.guardian_name) == (None, None, None)


def test_placeholder_in_a_required_column_is_empty(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][1][4] = "—"
    _, report = read_sheets(tmp_path, sheets)
    [problem] = report.errors
    assert problem.column == "Должность или класс"
    assert "не заполнена" in problem.message and "учитель математики" in problem.message


@pytest.mark.parametrize(
    "typed", ["2023-2024", "2023/2024", "2023–2024 уч. г.", "2023 - 2024 учебный год", "2023-24"]
)
def test_school_year_forms(tmp_path, typed):
    sheets = valid_sheets()
    sheets["Организация"] = organization_rows(**{"Учебный год": typed})
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.organization.school_year == "2023–2024"


@pytest.mark.parametrize("typed, expected", [("2023-2025", "на 1 больше"), (2023, "2023–2024")])
def test_bad_school_year(tmp_path, typed, expected):
    sheets = valid_sheets()
    sheets["Организация"] = organization_rows(**{"Учебный год": typed})
    _, report = read_sheets(tmp_path, sheets)
    [problem] = report.errors
    assert (problem.sheet, problem.column) == ("Организация", "Значение")
    assert problem.row == 8 and problem.message.startswith("«Учебный год»: ")
    assert expected in problem.message


def test_codes_and_phones_typed_as_numbers_become_text(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][0].append("Телефон")
    sheets["Наставники"][1] += [79131112233]
    sheets["Наставники"][1][0] = 1
    sheets["Пары"][1][1] = 1  # the mentor by Код
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.mentors[0].code == "1" and book.mentors[0].phone == "+79131112233"
    assert book.pairs[0].mentor_ref == "1"


def test_unicode_line_separators_split_words(tmp_path):
    """The Unicode paragraph and line separators and the «next line» character (pasted from web
    pages and Word) show as line breaks: the ФИО is three words, not «слов 1»."""
    sheets = valid_sheets()
    sheets["Наставники"][1][1] = "Петрова\u2029Анна\u2028Сергеевна"
    sheets["Наставники"][1][4] = "учитель\x85математики\u200e"
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.mentors[0].full_name == "Петрова Анна Сергеевна"
    assert book.mentors[0].position == "учитель математики"


def test_a_leading_apostrophe_is_the_text_prefix_not_part_of_the_value(tmp_path):
    """«'» before a value makes Excel keep it as text; a sheet exported and imported again, or
    a cell formatted as text, holds it as a character. It was read as part of the value:
    «В ФИО «'Иванова…» есть недопустимые символы… Допустимы … апостроф»."""
    sheets = valid_sheets()
    sheets["Наставники"][0].append("Стаж (лет)")
    sheets["Наставники"][1] = [
        "'Н-01",
        "'Петрова Анна Сергеевна",
        "'14.03.1980",
        "'педагог",
        "'учитель математики",
        None,
        " 'нет",
        None,
        None,
        "'22",
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    mentor = book.mentors[0]
    assert (mentor.code, mentor.full_name, mentor.birth_date, mentor.position) == (
        "Н-01",
        "Петрова Анна Сергеевна",
        date(1980, 3, 14),
        "учитель математики",
    )
    assert (mentor.is_external, mentor.experience_years) == (False, 22)


def test_latin_look_alikes_in_a_russian_word_of_text_are_read_as_cyrillic(tmp_path):
    """A Latin «e», «o», «C» typed in a Russian word of a position or free text looks the same
    in the cell and was printed so into the documents, undeclined («от учитeль математики»);
    a word mostly Latin (an e-mail) or with a Latin letter that has no look-alike is kept."""
    sheets = valid_sheets()
    sheets["Наставники"][1][4] = "учитeль математики и ИНФOРМАТИКИ, Cтарший"
    sheets["Наставники"][0].append("E-mail")
    sheets["Наставники"][1] += [None] * (
        len(sheets["Наставники"][0]) - 1 - len(sheets["Наставники"][1])
    )
    sheets["Наставники"][1].append("ivаnov@mail.ru")  # a Cyrillic «а» in a Latin word
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    mentor = book.mentors[0]
    assert mentor.position == "учитель математики и ИНФОРМАТИКИ, Старший"
    assert mentor.email == "ivаnov@mail.ru"


def test_a_formula_error_is_an_error_not_a_value(tmp_path):
    """A formula that did not compute holds its error code: «#VALUE!» was accepted as a pair's
    code and goal and printed in the programme to be signed."""
    sheets = valid_sheets()
    sheets["Пары"][0].append("Задачи")
    sheets["Пары"][1][0] = "#VALUE!"
    sheets["Пары"][1][7] = "#N/A"
    sheets["Пары"][1].append("#DIV/0!")
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    assert [(p.row, p.column, p.message) for p in report.errors] == [
        (
            2,
            column,
            f"В ячейке ошибка формулы «{code}» (в русском Excel — «{russian}»): формула не "
            "вычислилась. Исправьте формулу или впишите значение.",
        )
        for column, code, russian in (
            ("Код пары", "#VALUE!", "#ЗНАЧ!"),
            ("Цель", "#N/A", "#Н/Д"),
            ("Задачи", "#DIV/0!", "#ДЕЛ/0!"),
        )
    ]


def test_line_breaks_typed_in_one_line_cells_become_spaces(tmp_path):
    """Alt+Enter wraps a long name or position inside its cell; the document prints it in
    the middle of a sentence («заместителя директора<br>по …»), so it is read as a space.
    Paragraph texts (a goal, results) keep their lines."""
    sheets = valid_sheets()
    sheets["Организация"] = organization_rows(
        **{
            "Полное наименование": "Муниципальное бюджетное общеобразовательное учреждение\n"
            "Идринская средняя общеобразовательная школа",
            "Должность куратора": "заместитель директора\r\nпо учебно-воспитательной работе",
            "Адрес": "662680, Красноярский край,\nс. Идринское, ул. Мира, 1",
        }
    )
    sheets["Наставники"][1][4] = "учитель\nматематики"
    sheets["Пары"][1][7] = "Адаптация\nмолодого специалиста"
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    organization = book.organization
    assert organization.full_name == (
        "Муниципальное бюджетное общеобразовательное учреждение Идринская средняя "
        "общеобразовательная школа"
    )
    assert organization.curator_position == "заместитель директора по учебно-воспитательной работе"
    assert organization.address == "662680, Красноярский край, с. Идринское, ул. Мира, 1"
    assert book.mentors[0].position == "учитель математики"
    assert book.pairs[0].goal == "Адаптация\nмолодого специалиста"


# --- big and odd files --------------------------------------------------------------------------


def _rewrite_member(path: Path, member: str, change) -> None:
    with zipfile.ZipFile(path) as archive:
        items = {info: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items.items():
            archive.writestr(info, change(data) if info.filename == member else data)


def _letters(number: int) -> str:
    alphabet = "абвгдежзиклмнопрстуфхцчшэюя"
    word = ""
    while number:
        number, rest = divmod(number, len(alphabet))
        word += alphabet[rest]
    return word


def test_many_rows_stream_even_with_a_wrong_dimension(tmp_path, monkeypatch):
    sheets = valid_sheets()
    sheets["Наставляемые"] += [
        [f"У-{n}", f"Смирнов{_letters(n)} Илья", date(1990, 1, 1 + n % 28), "педагог", "учитель"]
        for n in range(2, 1502)
    ]
    sheets["Наставляемые"].append(["У-X", "Смирнов Илья", "30.02.1990", "педагог", "учитель"])
    path = write_workbook(tmp_path / "большая.xlsx", sheets)
    _rewrite_member(
        path,
        "xl/worksheets/sheet3.xml",
        lambda data: re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1"/>', data),
    )
    given = rows_given(monkeypatch)
    book, report = read_workbook(path, today=TODAY)
    # every row, though the sheet says it ends at «A1»: the header, 1,502 mentees — each once
    assert given["Наставляемые"] == 1503
    [problem] = report.errors
    assert (problem.sheet, problem.row, problem.column) == ("Наставляемые", 1503, "Дата рождения")
    sheets["Наставляемые"].pop()
    book, report = read_sheets(tmp_path, sheets)
    assert len(book.mentees) == 1501 and report.problems == []


def test_file_without_xlsx_extension_is_read(tmp_path):
    path = write_workbook(tmp_path / "upload.tmp", valid_sheets())
    book, report = read_workbook(path, today=TODAY)
    assert report.problems == [] and book is not None


def test_file_is_closed_after_reading(tmp_path):
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc")
    path = write_workbook(tmp_path / "книга.xlsx", valid_sheets())
    read_workbook(path, today=TODAY)
    open_files = {os.path.realpath(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")}
    assert str(path.resolve()) not in open_files


def _cfb(extra: bytes = b"") -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + extra


def _truncated_xlsx(tmp_path: Path) -> bytes:
    data = write_workbook(tmp_path / "целая.xlsx", valid_sheets()).read_bytes()
    return data[: len(data) // 2]


def _docx_like() -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "Файл пустой"),
        ("ФИО;Дата рождения\nИванов Иван;01.01.2000\n".encode(), "не является книгой Excel"),
        (b"<html><body><table></table></body></html>", "не является книгой Excel"),
        (_cfb("EncryptedPackage".encode("utf-16-le")), "защищён паролем"),
        (_cfb(), "Excel 97–2003 (.xls)"),
        (_docx_like(), "это документ Word. Похоже, передан не тот файл: в Excel его не"),
        ("truncated", "повреждён"),
        (b"PK\x03\x04" + b"\0" * 100, "повреждён"),
    ],
)
def test_files_that_are_not_workbooks(tmp_path, content, expected):
    if content == "truncated":
        content = _truncated_xlsx(tmp_path)
    path = tmp_path / "книга.xlsx"
    path.write_bytes(content)
    book, report = read_workbook(path)
    assert book is None
    [problem] = report.problems
    assert expected in problem.message and problem.sheet == "" and problem.row is None
    assert "не принят" in report.to_text("книга.xlsx")


def test_a_strict_open_xml_workbook_is_named_as_such(tmp_path):
    """Excel's «Strict Open XML» (another namespace): openpyxl finds no sheet in it, and the
    report said «В книге нет ни одного листа формы» of a book showing all of them."""
    path = write_workbook(tmp_path / "книга.xlsx", valid_sheets())
    for member in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        _rewrite_member(
            path,
            member,
            lambda data: data.replace(
                b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                b"http://purl.oclc.org/ooxml/spreadsheetml/main",
            ).replace(
                b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                b"http://purl.oclc.org/ooxml/officeDocument/relationships",
            ),
        )
    [problem] = read_workbook(path, today=TODAY)[1].problems
    assert problem.message == (
        "Файл сохранён в формате «Strict Open XML» (строгий Open XML), который сервис не "
        "читает. Откройте его в Excel и сохраните как «Книга Excel (*.xlsx)», затем передайте "
        "его снова."
    )


def test_damaged_sheet_xml_is_an_error_not_an_exception(tmp_path):
    path = write_workbook(tmp_path / "книга.xlsx", valid_sheets())
    _rewrite_member(path, "xl/worksheets/sheet2.xml", lambda data: data[: len(data) // 2])
    book, report = read_workbook(path, today=TODAY)
    assert book is None
    assert any(p.sheet == "Наставники" and "повреждён" in p.message for p in report.errors)


def test_a_sheet_whose_part_is_missing_refuses_the_workbook(tmp_path):
    """attack15: a workbook listing «Организация» without its part in the file was taken with
    the other sheets — openpyxl leaves such a sheet out without a word — and the changes made
    on it were silently not made."""
    path = write_workbook(tmp_path / "книга.xlsx", valid_sheets())
    with zipfile.ZipFile(path) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    del members["xl/worksheets/sheet1.xml"]  # «Организация», the first sheet
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    book, report = read_workbook(path, today=TODAY)
    assert book is None
    assert [str(p) for p in report.errors] == [
        "Файл повреждён: в нём нет листа «Организация», хотя книга его перечисляет. Откройте "
        "его в Excel и сохраните как «Книга Excel (*.xlsx)», затем передайте его снова."
    ]
    # listed without a reference to its part: openpyxl drops it, with a warning kept quiet
    path = write_workbook(tmp_path / "без ссылки.xlsx", valid_sheets())
    _rewrite_member(
        path, "xl/workbook.xml", lambda data: re.sub(rb' r:id="rId2"', b"", data, count=1)
    )
    book, report = read_workbook(path, today=TODAY)
    assert book is None
    assert [str(p) for p in report.errors][0].startswith(
        "Файл повреждён: в нём нет листа «Наставники», хотя книга его перечисляет."
    )


def test_missing_file(tmp_path):
    book, report = read_workbook(tmp_path / "нет такой.xlsx")
    assert book is None and "не найден" in report.errors[0].message


def test_problems_at_helper_finds_by_location(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][1][2] = "сентябрь"
    _, report = read_sheets(tmp_path, sheets)
    assert problems_at(report, "Наставники", 2, "Дата рождения")
    assert not problems_at(report, "Наставники", 3)
    assert MENTOR_HEADER[2] == "Дата рождения"


def test_openpyxl_warnings_about_dropped_features_do_not_escape(tmp_path):
    """Excel writes drop-down lists that refer to other sheets as an extension openpyxl drops."""
    path = write_workbook(tmp_path / "excel.xlsx", valid_sheets())
    extension = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations count="1" '
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Списки!$A$2:$A$9'
        "</xm:f></x14:formula1><xm:sqref>D2:D1000</xm:sqref></x14:dataValidation>"
        "</x14:dataValidations></ext></extLst></worksheet>"
    ).encode()
    _rewrite_member(
        path,
        "xl/worksheets/sheet2.xml",
        lambda data: data.replace(b"</worksheet>", extension),
    )
    book, report = read_workbook(path, today=TODAY)  # filterwarnings=error would raise here
    assert report.problems == [] and book is not None


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        (79130001122, "+79130001122"),
        (89130001122.0, "89130001122"),
        ("8 913 000-11-22", "8 913 000-11-22"),
    ],
)
def test_a_phone_typed_in_a_number_cell_keeps_its_plus(tmp_path, typed, read):
    """Excel takes «+79130001122» typed without the apostrophe for a number and drops the
    «+»; the consents printed «79130001122». An 11-digit number starting with 7 is a Russian
    phone in the international form and gets its «+» back; «8…» and text are kept as typed."""
    sheets = valid_sheets()
    sheets["Наставники"][0] += ["Телефон"]
    sheets["Наставники"][1] += [typed]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.mentors[0].phone == read


UNCOMPUTED = (
    "В ячейке {cell} формула без вычисленного значения: откройте книгу в Excel и сохраните "
    "её (Excel вычислит формулы и запишет их значения), затем передайте книгу снова."
)


def test_a_formula_without_a_computed_value_is_an_error_naming_the_cell(tmp_path):
    """A workbook written by a script (or saved by LibreOffice without recalculation) keeps a
    formula with no value: openpyxl read it as an empty cell, so a required date was
    «не заполнена» and an optional one silently missing (the register's value kept)."""
    sheets = valid_sheets()
    sheets["Наставники"][1][2] = "=DATE(1980,3,14)"  # required: was «не заполнена»
    sheets["Пары"][0].append("Задачи")
    sheets["Пары"][1].append('=CONCATENATE("освоить ";"методику")')  # optional: was lost
    sheets["Организация"].append(["Всего обучающихся", "=400+12"])
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    assert [(p.sheet, p.row, p.column, p.message) for p in report.problems] == [
        ("Организация", 9, "Значение", "«Всего обучающихся»: " + UNCOMPUTED.format(cell="B9")),
        ("Наставники", 2, "Дата рождения", UNCOMPUTED.format(cell="C2")),
        ("Пары", 2, "Задачи", UNCOMPUTED.format(cell="I2")),
    ]


def test_a_formula_with_its_computed_value_reads_as_the_value(tmp_path):
    """Excel and LibreOffice keep the value of every formula they computed: it is read as if
    typed, and a formula that computed an empty text is an empty cell."""
    sheets = valid_sheets()
    sheets["Пары"][0] += ["Задачи", "Ожидаемые результаты"]
    path = write_workbook(tmp_path / "книга.xlsx", sheets)
    computed = (
        '<c r="I2" t="str"><f>"освоить "&amp;"методику"</f><v>освоить методику</v></c>'
        '<c r="J2" t="str"><f>IF(1=1,"","x")</f><v></v></c></row>'
    )
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    pairs = parts["xl/worksheets/sheet4.xml"].decode()
    second = pairs.index('<row r="2"')
    end = pairs.index("</row>", second)
    parts["xl/worksheets/sheet4.xml"] = (pairs[:end] + computed + pairs[end + 6 :]).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    book, report = read_workbook(path, None, today=TODAY)
    assert report.problems == []
    assert book is not None
    assert (book.pairs[0].tasks, book.pairs[0].expected_results) == (("освоить методику",), None)


def test_the_keys_of_short_texts_are_made_once_and_as_before(tmp_path):
    """A workbook asks for the same keys again and again (a pair's Код by every sheet that
    names it, headers and closed-list values in every row: 3,900 choice keys of a few hundred
    texts for a 60-pair school, each a dozen regular-expression passes): a short text's key is
    made once. The key is of the text: 1 and 1.0, equal as cache keys, are «1» and «1.0»;
    a text too long to remember gets the same key as ever."""
    from service.intake import normalise

    normalise._header_key_short.cache_clear()
    normalise._choice_key_short.cache_clear()
    book, report = read_sheets(tmp_path, valid_sheets())
    assert report.problems == [] and book is not None
    made = normalise._header_key_short.cache_info()
    assert made.hits > made.misses > 0
    assert (normalise.header_key(1), normalise.header_key(1.0)) == ("1", "1.0")
    assert (normalise.choice_key(1.0), normalise.choice_key(1)) == ("1.0", "1")
    assert normalise.header_key(" «Код  ПАРЫ»* ") == "«код пары»"
    assert normalise.choice_key(" «Код  ПАРЫ»* ") == "кодпары"
    long = "Наставник — " + "учитель физики " * 20
    assert normalise.header_key(long) == long.lower().replace(" — ", "-").strip()
