"""Rules of the regulations and of the workbook that span rows and sheets (seed rules)."""

from __future__ import annotations

from datetime import date

import pytest

from service.intake.lookup import StaticLookup
from tests.workbooks import (
    MENTEE_HEADER,
    MENTOR_HEADER,
    organization_rows,
    problems_at,
    read_sheets,
    valid_sheets,
)

# --- programme length: 3 months to 1 year (seed 000 §1) ---------------------------------------


@pytest.mark.parametrize(
    "start, end",
    [
        (date(2023, 10, 1), date(2024, 1, 1)),  # exactly 3 months
        (date(2023, 10, 1), date(2023, 12, 31)),  # 3 months counting both days
        (date(2023, 9, 1), date(2024, 9, 1)),  # exactly 1 year
        (date(2023, 9, 1), date(2024, 8, 31)),
        (date(2023, 11, 30), date(2024, 2, 29)),  # end of month in a leap year
    ],
)
def test_programme_length_accepted(tmp_path, start, end):
    sheets = valid_sheets()
    sheets["Пары"][1][5:7] = [start, end]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert (book.pairs[0].start, book.pairs[0].end) == (start, end)


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (date(2023, 10, 1), date(2023, 12, 1), "короче 3 месяцев"),
        (date(2023, 10, 1), date(2023, 12, 30), "не раньше 31.12.2023"),
        (date(2023, 9, 1), date(2024, 10, 1), "длиннее 1 года"),
        (date(2023, 9, 1), date(2024, 9, 2), "не позже 01.09.2024"),
        (date(2024, 5, 31), date(2023, 10, 1), "раньше даты начала"),
        (date(2023, 10, 1), date(2023, 10, 1), "короче 3 месяцев"),
    ],
)
def test_programme_length_rejected(tmp_path, start, end, expected):
    sheets = valid_sheets()
    sheets["Пары"][1][5:7] = [start, end]
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    [problem] = report.errors
    assert (problem.sheet, problem.row, problem.column) == ("Пары", 2, "Дата окончания")
    assert expected in problem.message


def test_a_pair_ending_before_it_starts_warns_of_no_plan_date(tmp_path):
    """The end before the start is the error; the plan's dates are not also «вне сроков» of
    a period that does not exist («Срок 02.10.2023 вне сроков … (02.10.2023 – 01.09.2023)»)."""
    sheets = valid_sheets()
    sheets["Пары"][1][5:7] = [date(2023, 10, 2), date(2023, 9, 1)]
    sheets["План"] = [["Код пары", "Мероприятие", "Срок"], ["П-01", "Встреча", "02.10.2023"]]
    _, report = read_sheets(tmp_path, sheets)
    assert [(p.sheet, p.row, p.column) for p in report.errors] == [("Пары", 2, "Дата окончания")]
    assert report.warnings == []


def test_two_months_message_says_the_rule(tmp_path):
    sheets = valid_sheets()
    sheets["Пары"][1][5:7] = ["01.10.2023", "01.12.2023"]
    _, report = read_sheets(tmp_path, sheets)
    assert "от 3 месяцев до 1 года" in report.errors[0].message


# --- minors need a guardian ---------------------------------------------------------------------


def _with_student(birth, guardian=None, paired=True):
    sheets = valid_sheets()
    sheets["Наставляемые"].append(
        ["У-02", "Зуев Никита Андреевич", birth, "обучающийся", "8 Б", guardian]
    )
    if paired:
        sheets["Пары"].append(
            ["П-02", "Петрова Анна Сергеевна", "Зуев Никита Андреевич", "Учитель – ученик", None,
             date(2023, 10, 1), date(2024, 5, 31), "Подготовка к ОГЭ"]
        )  # fmt: skip
    return sheets


def test_minor_without_guardian_is_rejected(tmp_path):
    book, report = read_sheets(tmp_path, _with_student(date(2009, 5, 17)))
    assert book is None
    [problem] = report.errors
    assert (problem.sheet, problem.row, problem.column) == (
        "Наставляемые",
        3,
        "Законный представитель (ФИО)",
    )
    assert "на 01.10.2023 нет 18 лет" in problem.message
    assert "законного представителя" in problem.message


def test_minor_with_guardian_is_accepted(tmp_path):
    book, report = read_sheets(tmp_path, _with_student(date(2009, 5, 17), "зуева ирина викторовна"))
    assert report.problems == []
    assert book.mentees[1].guardian_name == "Зуева Ирина Викторовна"


def test_age_is_taken_on_the_pair_start(tmp_path):
    # 17 on 1 September, 18 when the pair starts on 1 October: no guardian needed
    book, report = read_sheets(tmp_path, _with_student(date(2005, 9, 15)))
    assert report.problems == []


def test_age_without_a_pair_is_taken_on_1_september_of_the_school_year(tmp_path):
    _, report = read_sheets(tmp_path, _with_student(date(2005, 9, 15), paired=False))
    [problem] = report.errors
    assert "на 01.09.2023 нет 18 лет" in problem.message


def test_age_without_pair_and_organization_is_taken_today(tmp_path):
    sheets = _with_student(date(2006, 1, 20), paired=False)
    del sheets["Организация"]
    lookup = StaticLookup(organization=True)
    _, report = read_sheets(tmp_path, sheets, lookup)
    [problem] = report.errors
    assert "на 15.01.2024 нет 18 лет" in problem.message  # tests/workbooks.py TODAY


def test_minor_mentor_needs_a_guardian_too(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"].append(
        ["Н-02", "Кузнецова Дарья Игоревна", date(2007, 2, 11), "обучающийся", "10 Б", None,
         "нет", None, None]
    )  # fmt: skip
    _, report = read_sheets(tmp_path, sheets)
    [problem] = report.errors
    assert (problem.sheet, problem.row) == ("Наставники", 3)
    assert problem.column == "Законный представитель (ФИО)"


def test_birth_date_in_the_future(tmp_path):
    _, report = read_sheets(tmp_path, _with_student(date(2025, 1, 1), "Зуева Ирина Викторовна"))
    [problem] = report.errors
    assert problem.column == "Дата рождения" and "Проверьте дату рождения" in problem.message


# --- external mentors ---------------------------------------------------------------------------


def test_external_mentor_needs_an_identity_document_and_no_workplace(tmp_path):
    """A retired external mentor has no workplace: only the identity document is required."""
    sheets = valid_sheets()
    sheets["Наставники"][1][6] = "да"
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    assert [(p.row, p.column) for p in report.errors] == [
        (2, "Документ, удостоверяющий личность"),
    ]
    assert all("договор" in p.message for p in report.errors)


# --- who is in a pair ---------------------------------------------------------------------------


def test_unknown_pair_people_are_rejected_by_name(tmp_path):
    sheets = valid_sheets()
    sheets["Пары"][1][1] = "Иванов Иван Иванович"
    sheets["Пары"][1][2] = "Смирнов Илья Олегович; Сидорова Ольга"
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    messages = {p.column: p.message for p in report.errors}
    assert "Наставник «Иванов Иван Иванович» не найден: его нет" in messages["Наставник"]
    assert "«Наставники»" in messages["Наставник"]
    assert "Наставляемая «Сидорова Ольга» не найдена: её нет" in messages["Наставляемые"]
    assert all(p.row == 2 and p.sheet == "Пары" for p in report.errors)


def test_people_known_to_the_register_are_accepted(tmp_path):
    sheets = valid_sheets()
    del sheets["Наставники"]
    sheets["Пары"][1][2] = "Смирнов Илья Олегович; Сидорова Ольга Ивановна"
    lookup = StaticLookup(mentors={"Петрова Анна Сергеевна"}, mentees={"Сидорова Ольга Ивановна"})
    book, report = read_sheets(tmp_path, sheets, lookup)
    assert report.problems == []
    assert book.pairs[0].mentee_refs == ("Смирнов Илья Олегович", "Сидорова Ольга Ивановна")
    # the register knows her as a mentee, not as a mentor
    sheets["Пары"][1][1] = "Сидорова Ольга Ивановна"
    sheets["Пары"][1][2] = "Смирнов Илья Олегович"
    book, report = read_sheets(tmp_path, sheets, lookup)
    assert book is None and report.errors[0].column == "Наставник"


def test_people_found_by_code_whatever_the_spelling(tmp_path):
    sheets = valid_sheets()
    sheets["Пары"][1][1] = "н – 01"
    sheets["Пары"][1][2] = "у-01"
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    # stored as the people's own codes, so the register finds them
    assert (book.pairs[0].mentor_ref, book.pairs[0].mentee_refs) == ("Н-01", ("У-01",))


def test_namesakes_must_be_told_apart_by_code(tmp_path):
    sheets = valid_sheets()
    sheets["Наставляемые"].append(
        ["У-02", "смирнов илья олегович", date(2001, 2, 3), "молодой специалист", "учитель"]
    )
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    [problem] = report.errors
    assert (problem.sheet, problem.row, problem.column) == ("Пары", 2, "Наставляемые")
    assert "несколько человек" in problem.message and "строки 2 и 3" in problem.message
    assert "Код" in problem.message
    sheets["Пары"][1][2] = "У-02"
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == [] and book.pairs[0].mentee_refs == ("У-02",)


def test_same_person_twice_and_duplicate_codes(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"].append(list(sheets["Наставники"][1]))
    sheets["Наставники"][2][0] = "Н-02"
    sheets["Наставники"][2][1] = "ПЕТРОВА АННА СЕРГЕЕВНА"
    sheets["Наставляемые"].append(
        ["у-01", "Орлова Вера Павловна", date(1998, 1, 1), "педагог", "учитель"]
    )
    sheets["Пары"].append(list(sheets["Пары"][1]))
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    located = [(p.sheet, p.row, p.column) for p in report.errors]
    assert located == [
        ("Наставники", 3, "ФИО"),
        ("Наставляемые", 3, "Код"),
        ("Пары", 3, "Код пары"),
    ]
    assert "Петрова Анна Сергеевна (14.03.1980) уже указана в строке 2" in report.errors[0].message


def test_mentor_cannot_be_a_mentee_of_the_same_pair(tmp_path):
    sheets = valid_sheets()
    sheets["Пары"][1][2] = "Смирнов Илья Олегович; Смирнов Илья Олегович"
    _, report = read_sheets(tmp_path, sheets)
    assert "«Смирнов Илья Олегович» указан в паре дважды." in report.errors[0].message


def test_a_pair_has_one_mentor(tmp_path):
    sheets = valid_sheets()
    sheets["Пары"][1][1] = "Петрова Анна Сергеевна; Белова Елена Викторовна"
    _, report = read_sheets(tmp_path, sheets)
    [problem] = report.errors
    assert problem.column == "Наставник" and "нужен один" in problem.message


def test_tasks_are_split_into_items(tmp_path):
    sheets = valid_sheets()
    sheets["Пары"][0].append("Задачи")
    sheets["Пары"][1].append("1. освоить методику урока; 2) выстроить дисциплину\n– вести журнал")
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.pairs[0].tasks == ("освоить методику урока", "выстроить дисциплину", "вести журнал")


def test_group_pair_has_several_mentees(tmp_path):
    sheets = valid_sheets()
    sheets["Наставляемые"].append(
        ["У-02", "Алиев Руслан Рашид оглы", date(1991, 4, 3), "педагог в процессе адаптации",
         "учитель информатики"]
    )  # fmt: skip
    sheets["Пары"][1][2] = "Смирнов Илья Олегович;\nалиев руслан рашид оглы"
    sheets["Пары"][1][4] = "групповая"
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.pairs[0].mentee_refs == ("Смирнов Илья Олегович", "Алиев Руслан Рашид оглы")


# --- closed lists -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sheet, row, index, value, column, allowed",
    [
        ("Пары", 1, 3, "Учитель – директор", "Форма", "«Ученик – ученик»"),
        ("Пары", 1, 4, "индивидуальная", "Вид", "«традиционная»"),
        ("Наставники", 1, 3, "учитель", "Категория", "«ветеран педагогического труда»"),
        ("Наставляемые", 1, 3, "студент", "Категория", "«педагог в процессе адаптации»"),
    ],
)
def test_unknown_closed_list_values(tmp_path, sheet, row, index, value, column, allowed):
    sheets = valid_sheets()
    sheets[sheet][row][index] = value
    _, report = read_sheets(tmp_path, sheets)
    [problem] = report.errors
    assert (problem.sheet, problem.row, problem.column) == (sheet, 2, column)
    assert f"Значения «{value}» нет в списке" in problem.message and allowed in problem.message


def test_final_event_form_and_required_parameters(tmp_path):
    sheets = valid_sheets()
    sheets["Итоговое мероприятие"] = [
        ["Параметр", "Значение"],
        ["Дата", "24.05.2024"],
        ["Форма", "линейка"],
        ["Место", "актовый зал"],
    ]
    _, report = read_sheets(tmp_path, sheets)
    located = [(p.row, p.column, p.message[:40]) for p in report.errors]
    assert located[0][:2] == (None, "Параметр") and "Ответственный" in report.errors[0].message
    assert located[1][:2] == (3, "Значение") and "«круглый стол»" in report.errors[1].message


# --- plan and results ---------------------------------------------------------------------------


def test_plan_and_results_for_unknown_pair(tmp_path):
    sheets = valid_sheets()
    sheets["План"] = [["Код пары", "Мероприятие", "Срок"], ["П-09", "Встреча", "в течение года"]]
    sheets["Итоги"] = [
        ["Код пары", "Статус", "Достигнутые результаты"],
        ["П-09", "завершена", "Проведено 12 встреч"],
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert [(p.sheet, p.row, p.column) for p in report.errors] == [
        ("План", 2, "Код пары"),
        ("Итоги", 2, "Код пары"),
    ]
    book, report = read_sheets(tmp_path, sheets, StaticLookup(pairs={"п-09"}))
    assert report.problems == [] and book.plan[0].pair_code == "П-09"


def test_plan_code_is_stored_as_spelled_on_pairs(tmp_path):
    sheets = valid_sheets()
    sheets["План"] = [["Код пары", "Мероприятие", "Срок"], ["п–01", "Встреча", "01.07.2024"]]
    book, report = read_sheets(tmp_path, sheets)
    assert book.plan[0].pair_code == "П-01"
    [warning] = report.warnings  # the date is after the programme's end
    assert warning.column == "Срок" and "вне сроков программы" in warning.message


def test_reason_required_unless_completed(tmp_path):
    sheets = valid_sheets()
    sheets["Итоги"] = [
        ["Код пары", "Статус", "Причина", "Достигнутые результаты"],
        ["П-01", "продлена", None, "Проведено 12 встреч"],
    ]
    _, report = read_sheets(tmp_path, sheets)
    [problem] = report.errors
    assert (problem.row, problem.column) == (2, "Причина")
    assert "почему программа продлена" in problem.message


# --- organization -------------------------------------------------------------------------------


def test_missing_organization_parameters(tmp_path):
    sheets = valid_sheets()
    sheets["Организация"] = organization_rows(**{"Куратор (ФИО)": "", "Учебный год": None})
    _, report = read_sheets(tmp_path, sheets)
    assert [(p.row, p.column) for p in report.errors] == [(None, "Параметр"), (6, "Значение")]
    assert "Нет строки с параметром «Учебный год»" in report.errors[0].message
    assert report.errors[1].message.startswith("«Куратор (ФИО)»: обязательная ячейка")


def test_people_without_organization(tmp_path):
    sheets = valid_sheets()
    del sheets["Организация"]
    book, report = read_sheets(tmp_path, sheets)
    [problem] = report.errors
    assert problem.sheet == "Организация" and "Заполните лист «Организация»" in problem.message
    book, report = read_sheets(tmp_path, sheets, StaticLookup(organization=True))
    assert report.problems == [] and book.organization is None


def test_organization_alone_is_fine(tmp_path):
    book, report = read_sheets(tmp_path, {"Организация": organization_rows()})
    assert report.problems == [] and book.organization.short_name == "МБОУ Идринская СОШ"


# --- every problem at once ----------------------------------------------------------------------


def test_report_lists_every_error_with_its_location(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"] = [
        MENTOR_HEADER,
        ["Н-01", "Петрова Анна Сергеевна", "31.02.1980", "педагог", "учитель", None, "нет"],
        [],
        ["Н-02", "Орлов Дмитрий", "02.07.1975", "инопланетянин", "инженер", None, "да"],
    ]
    sheets["Наставляемые"] = [
        MENTEE_HEADER,
        ["У-01", "Смирнов Илья Олегович", "20.11.1999", "молодой специалист", None],
    ]
    sheets["Пары"][1][3] = "Учитель-директор"
    sheets["Пары"][1][6] = "2023-11-15"
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    located = [(p.sheet, p.row, p.column) for p in report.errors]
    assert located == [
        ("Наставники", 2, "Дата рождения"),
        ("Наставники", 4, "Категория"),
        ("Наставники", 4, "Документ, удостоверяющий личность"),
        ("Наставляемые", 2, "Класс или должность"),
        ("Пары", 2, "Форма"),
        ("Пары", 2, "Дата окончания"),
    ]
    text = report.to_text("школа.xlsx")
    assert "найдено ошибок — 6" in text
    assert "лист «Наставники», строка 2, столбец «Дата рождения»" in text
    assert problems_at(report, "Наставники", 4, "Категория")
