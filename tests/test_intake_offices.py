"""Workbooks as school offices really make them: headers written the office's way, a group
header over two columns, a totals row. Each is read exactly as the secretary meant or refused
with one clear line per mistake."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from service.documents.text import docx_text
from service.intake.reader import read_workbook
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Pair, Person
from tests.workbooks import MENTOR_HEADER, TODAY, read_sheets, valid_sheets, write_workbook


@pytest.mark.parametrize(
    "header",
    ["Ф.И.О.", "Ф. И. О.", "Фамилия, имя, отчество", "Фамилия Имя Отчество", "ФИО полностью"],
)
def test_the_fio_column_under_an_office_header_is_read(tmp_path, header):
    """«Ф.И.О.» or «Фамилия, имя, отчество» over the names: the workbook was refused for a
    missing «ФИО» column (and every pair for people not found), the names an unknown column."""
    sheets = valid_sheets()
    sheets["Наставники"][0][1] = header
    sheets["Наставляемые"][0][1] = header
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert [m.full_name for m in book.mentors] == ["Петрова Анна Сергеевна"]
    assert [m.full_name for m in book.mentees] == ["Смирнов Илья Олегович"]


def test_the_people_columns_of_pairs_under_office_headers_are_read(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][0][1] = "ФИО наставника"
    sheets["Наставляемые"][0][1] = "ФИО наставляемого"
    sheets["Пары"][0][1:3] = ["ФИО наставника", "ФИО наставляемых"]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert (book.pairs[0].mentor_ref, book.pairs[0].mentee_refs) == (
        "Петрова Анна Сергеевна",
        ("Смирнов Илья Олегович",),
    )


def _results_with_group_headers(tmp_path, top_merged: bool = True):
    """«Итоги» as offices draw it: «Вовлечённость» and «Самооценка» merged over «на входе» and
    «на выходе» in the row below; the other headers merged down over both rows."""
    sheets = valid_sheets()
    sheets["Итоги"] = [
        ["Код пары", "Статус", "Достигнутые результаты", "Вовлечённость", None, "Самооценка",
         None],
        [None, None, None, "на входе", "на выходе", "на входе", "на выходе"],
        ["П-01", "завершена", "Провёл три открытых урока", 3, 8, 4, 9],
    ]  # fmt: skip
    path = write_workbook(tmp_path / "итоги.xlsx", sheets)
    if top_merged:
        book = load_workbook(path)
        results = book["Итоги"]
        for cells in ("A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:G1"):
            results.merge_cells(cells)
        book.save(path)
    return read_workbook(path, today=TODAY)


@pytest.mark.parametrize("top_merged", [True, False], ids=["merged", "unmerged"])
def test_a_group_header_over_two_columns_is_read_with_the_row_under_it(tmp_path, top_merged):
    """The scores under «Вовлечённость» / «на входе» were dropped without a word that counts: the
    workbook was taken with warnings («Неизвестный столбец «Вовлечённость»», «данные без
    заголовка»), and the final report showed no scores at all."""
    book, report = _results_with_group_headers(tmp_path, top_merged)
    assert report.problems == []
    [result] = book.results
    assert (result.row, result.pair_code, result.achieved) == (
        3,
        "П-01",
        "Провёл три открытых урока",
    )
    assert (
        result.engagement_in,
        result.engagement_out,
        result.self_esteem_in,
        result.self_esteem_out,
    ) == (3, 8, 4, 9)


def test_a_first_data_row_is_not_taken_for_a_second_header_row(tmp_path):
    """A plain header is followed by data, even text data: the first pair stays a pair."""
    book, report = read_sheets(tmp_path, valid_sheets())
    assert report.problems == []
    assert [p.code for p in book.pairs] == ["П-01"]
    assert [m.row for m in book.mentors] == [2]


def test_a_score_outside_its_range_under_a_group_header_names_the_joined_column(tmp_path):
    sheets = valid_sheets()
    sheets["Итоги"] = [
        ["Код пары", "Статус", "Достигнутые результаты", "Тревожность", None],
        [None, None, None, "на входе", "на выходе"],
        ["П-01", "завершена", "Освоил", 12, 3],
    ]
    _, report = read_sheets(tmp_path, sheets)
    assert [str(p) for p in report.problems] == [
        "лист «Итоги», строка 3, столбец «Тревожность на входе»: «12» — нужно целое число "
        "от 1 до 10."
    ]


def test_columns_named_in_full_under_a_caption_are_read(tmp_path):
    """«Анализ» merged over «Выводы» and «Предложения», «Вовлечённость» over its two columns."""
    sheets = valid_sheets()
    sheets["Итоги"] = [
        ["Код пары", "Статус", "Достигнутые результаты", "Анализ", None, "Вовлечённость", None],
        [None, None, None, "Выводы", "Предложения", "на входе", "на выходе"],
        ["П-01", "завершена", "Освоил", "Цели достигнуты", "Продолжить", 5, 7],
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    [result] = book.results
    assert (result.conclusions, result.proposals, result.engagement_in, result.engagement_out) == (
        "Цели достигнуты",
        "Продолжить",
        5,
        7,
    )


def test_a_totals_row_under_the_trainings_is_skipped_with_a_warning(tmp_path):
    """«Итого» with the sum of hours under the trainings: the workbook was refused for the
    row's empty «Дата» and «Ответственный», as if it were a training with no date."""
    sheets = valid_sheets()
    sheets["Обучение наставников"] = [
        ["Тема", "Дата", "Часов", "Форма", "Ответственный"],
        ["Введение в наставничество", date(2023, 10, 5), 4, "семинар", "Бутрина Ольга Николаевна"],
        ["Практикум", date(2023, 11, 9), 6, "практикум", "Бутрина Ольга Николаевна"],
        [],
        ["Итого:", None, 10],
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert [str(p) for p in report.problems] == [
        "лист «Обучение наставников», строка 5: Строка «Итого:» — строка итогов, она не "
        "прочитана: сервис считает пары, участников и часы сам."
    ]
    assert report.errors == []
    assert [(t.topic, t.hours) for t in book.trainings] == [
        ("Введение в наставничество", 4),
        ("Практикум", 6),
    ]


@pytest.mark.parametrize("label", ["ВСЕГО", "Итог"])  # «Итог»: the total row of Excel's table
def test_a_totals_row_under_the_mentors_is_skipped(tmp_path, label):
    sheets = valid_sheets()
    sheets["Наставники"].append([label, 1])
    book, report = read_sheets(tmp_path, sheets)
    assert [str(p) for p in report.problems] == [
        f"лист «Наставники», строка 3: Строка «{label}» — строка итогов, она не прочитана: "
        "сервис считает пары, участников и часы сам."
    ]
    assert [m.full_name for m in book.mentors] == ["Петрова Анна Сергеевна"]


def test_a_training_whose_topic_starts_with_vsego_is_a_training(tmp_path):
    """A row with every required cell filled is data, whatever its first word."""
    sheets = valid_sheets()
    sheets["Обучение наставников"] = [
        ["Тема", "Дата", "Часов", "Ответственный"],
        ["Всего понемногу: обзор практик", date(2023, 10, 5), 2, "Бутрина Ольга Николаевна"],
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert [t.topic for t in book.trainings] == ["Всего понемногу: обзор практик"]


def test_a_header_with_a_hint_in_brackets_is_its_column(tmp_path):
    """«Дата рождения (ДД.ММ.ГГГГ)» — a hint offices add to a header — was an unknown column,
    and the workbook refused for a missing «Дата рождения»."""
    sheets = valid_sheets()
    sheets["Наставники"][0][1:3] = ["ФИО (полностью)", "Дата рождения (ДД.ММ.ГГГГ)"]
    sheets["Наставники"][0].append("Стаж (полных лет)")
    sheets["Наставники"][1].append(12)
    sheets["Пары"][0][5:7] = ["Дата начала (дд.мм.гггг)", "Дата окончания (дд.мм.гггг)"]
    sheets["Организация"].append(["ИНН (10 цифр)", "2415001234"])
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    mentor = book.mentors[0]
    assert (mentor.full_name, mentor.birth_date, mentor.experience_years) == (
        "Петрова Анна Сергеевна",
        date(1980, 3, 14),
        12,
    )
    assert (book.pairs[0].start, book.pairs[0].end) == (date(2023, 10, 1), date(2024, 5, 31))
    assert book.organization.inn == "2415001234"


def test_a_hint_does_not_make_an_unknown_header_known(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][0].append("Награды (год)")
    sheets["Наставники"][1].append("Почётная грамота")
    _, report = read_sheets(tmp_path, sheets)
    assert [str(p) for p in report.problems] == [
        "лист «Наставники», строка 1, столбец «Награды (год)»: Неизвестный столбец «Награды "
        "(год)» не прочитан."
    ]


@pytest.mark.parametrize(
    ("typed", "hours"),
    [("72 академических часа", 72), ("5 академических часов", 5), ("1 академический час", 1),
     ("4 ак. ч", 4), ("4 ак.ч.", 4), ("6 акад. часов", 6), ("2,5 акад. ч.", 2.5)],
)  # fmt: skip
def test_academic_hours_are_hours(tmp_path, typed, hours):
    """Training programmes count «академические часы»: «72 академических часа» was «не число»."""
    sheets = valid_sheets()
    sheets["Обучение наставников"] = [
        ["Тема", "Дата", "Часов", "Ответственный"],
        ["Введение в наставничество", date(2023, 10, 5), typed, "Бутрина Ольга Николаевна"],
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.trainings[0].hours == hours


def _mentors_in_register(settings) -> list[tuple[str | None, str, date]]:
    with session_scope(settings.database_url) as s:
        people = s.scalars(select(Person).where(Person.role == "mentor").order_by(Person.id))
        return [(p.code, p.full_name, p.birth_date) for p in people]


def test_a_corrected_date_of_birth_without_a_code_is_not_a_second_person(settings, tmp_path):
    """September registers Петрова born 14.03.1980 (a typo, no Код); November's «Наставники»
    gives her true date, 14.03.1981. That added a second «Петрова Анна Сергеевна» with consents
    of her own, and the next «Пары» naming her was refused as ambiguous. The workbook is refused
    now, saying how to correct the date; with a Код a namesake is taken as written."""
    sheets = valid_sheets()
    sheets["Наставники"][1][0] = None
    first = process_workbook(settings, write_workbook(tmp_path / "1.xlsx", sheets))
    assert first.outcome == Outcome.DONE, first.message
    row = [
        "Петрова Анна Сергеевна",
        date(1981, 3, 14),
        "педагог",
        "учитель математики",
        None,
        "нет",
    ]
    fixed = {"Наставники": [MENTOR_HEADER[:7], [None, *row]]}
    refused = process_workbook(settings, write_workbook(tmp_path / "2.xlsx", fixed))
    assert refused.outcome == Outcome.REJECTED
    assert (
        "1. лист «Наставники», строка 2, столбец «Дата рождения»: В реестре уже есть Петрова "
        "Анна Сергеевна с другой датой рождения (14.03.1980). Если это она и дата рождения "
        "исправлена, сначала передайте книгу, где у неё прежняя дата рождения и заполнен «Код», "
        "затем — новую дату рождения с тем же Кодом: дата исправится во всех её документах. "
        "Если это другой человек (полный тёзка), заполните у него «Код»." in refused.message
    )
    assert _mentors_in_register(settings) == [(None, "Петрова Анна Сергеевна", date(1980, 3, 14))]
    old = [None, "Петрова Анна Сергеевна", date(1980, 3, 14), *row[2:]]
    for step in (["Н-01", *old[1:]], ["Н-01", *row]):
        done = process_workbook(
            settings, write_workbook(tmp_path / "3.xlsx", {"Наставники": [MENTOR_HEADER[:7], step]})
        )
        assert done.outcome == Outcome.DONE, done.message
    assert _mentors_in_register(settings) == [("Н-01", "Петрова Анна Сергеевна", date(1981, 3, 14))]
    namesake = ["Н-07", "Петрова Анна Сергеевна", date(1990, 6, 1), *row[2:]]
    done = process_workbook(
        settings, write_workbook(tmp_path / "4.xlsx", {"Наставники": [MENTOR_HEADER[:7], namesake]})
    )
    assert done.outcome == Outcome.DONE, done.message
    assert len(_mentors_in_register(settings)) == 2


def test_a_registered_person_with_a_code_is_told_by_it(settings, tmp_path):
    sheets = valid_sheets()
    assert process_workbook(settings, write_workbook(tmp_path / "1.xlsx", sheets)).outcome == (
        Outcome.DONE
    )
    row = [None, "Петрова Анна Сергеевна", "14.03.1981", "педагог", "учитель", None, "нет"]
    refused = process_workbook(
        settings, write_workbook(tmp_path / "2.xlsx", {"Наставники": [MENTOR_HEADER[:7], row]})
    )
    assert refused.outcome == Outcome.REJECTED
    assert (
        "В реестре уже есть Петрова Анна Сергеевна с другой датой рождения (14.03.1980). Если "
        "это она и дата рождения исправлена, укажите в этой строке её Код «Н-01»: дата "
        "исправится во всех её документах." in refused.message
    )


def test_a_numbering_column_under_a_two_row_header_is_left_out(tmp_path):
    """«№» over «п/п» beside the group headers: the numbering column of a two-row header."""
    sheets = valid_sheets()
    sheets["Итоги"] = [
        ["№", "Код пары", "Статус", "Достигнутые результаты", "Вовлечённость", None],
        ["п/п", None, None, None, "на входе", "на выходе"],
        [1, "П-01", "завершена", "Освоил", 6, 9],
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    [result] = book.results
    assert (result.pair_code, result.engagement_in, result.engagement_out) == ("П-01", 6, 9)


def test_a_code_typed_on_the_english_layout_is_the_same_code(tmp_path):
    """«H-01» (Latin H) on «Наставники» and «Н-01» in «Пары», «P-01» and «Р-01»: the cells look
    the same, and the workbook was refused — «Наставник «Н-01» не найден»."""
    sheets = valid_sheets()
    sheets["Наставники"][1][0] = "H-01"
    sheets["Пары"][1][:2] = ["P-01", "Н-01"]
    sheets["Итоги"] = [
        ["Код пары", "Статус", "Достигнутые результаты"],
        ["Р-01", "завершена", "Освоил"],
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    # the references take the codes as the sheets that define them spell them
    assert (book.pairs[0].mentor_ref, book.results[0].pair_code) == ("H-01", "P-01")


def test_two_codes_that_look_the_same_are_one_code(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][1][0] = "H-01"
    row = ["Н-01", "Белова Елена Викторовна", date(1972, 11, 8), "педагог", "учитель", None, "нет"]
    sheets["Наставники"].append(row)
    _, report = read_sheets(tmp_path, sheets)
    assert [(p.sheet, p.row, p.column) for p in report.errors] == [("Наставники", 3, "Код")]


def test_a_registered_code_is_found_when_typed_on_the_other_layout(settings, tmp_path):
    sheets = valid_sheets()
    sheets["Пары"][1][0] = "P-01"  # Latin P, registered as typed
    first = process_workbook(settings, write_workbook(tmp_path / "1.xlsx", sheets))
    assert first.outcome == Outcome.DONE, first.message
    results = {
        "Итоги": [["Код пары", "Статус", "Достигнутые результаты"], ["Р-01", "завершена", "Ок"]]
    }
    done = process_workbook(settings, write_workbook(tmp_path / "2.xlsx", results))
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as s:
        assert [p.code for p in s.scalars(select(Pair))] == ["P-01"]


@pytest.mark.parametrize("typed", ["2415 001 234", "ИНН 2415001234", "ИНН: 2415-001-234"])
def test_an_inn_typed_with_spaces_or_its_name_is_its_digits(tmp_path, typed):
    """«ИНН 2415001234» in the value cell was stored as typed and printed «ИНН ИНН 2415001234»
    in the contract; «2415 001 234» kept its spaces."""
    sheets = valid_sheets()
    sheets["Организация"].append(["ИНН", typed])
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.organization.inn == "2415001234"


@pytest.mark.parametrize(
    "typed",
    [
        "1. Смирнов Илья Олегович\n2. Зуев Павел Андреевич",
        "1) Смирнов Илья Олегович; 2) Зуев Павел Андреевич",
        "- Смирнов Илья Олегович\n- Зуев Павел Андреевич",
        "• Смирнов Илья Олегович\n•Зуев Павел Андреевич",
    ],
)
def test_a_group_listed_with_numbers_or_bullets_is_its_people(tmp_path, typed):
    """A group's mentees numbered inside the cell («1. Смирнов…» on each line) were «не найден»:
    the number was taken for part of the name."""
    sheets = valid_sheets()
    mentee = ["У-02", "Зуев Павел Андреевич", date(1998, 1, 2), "молодой специалист", "учитель"]
    sheets["Наставляемые"].append(mentee)
    sheets["Пары"][1][2] = typed
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.pairs[0].mentee_refs == ("Смирнов Илья Олегович", "Зуев Павел Андреевич")


@pytest.mark.parametrize("typed", ["7 баллов", "7 б.", "7 балл.", "7 (из 10)", "7 из 10", "7/10"])
def test_a_score_written_with_its_scale_is_the_score(tmp_path, typed):
    """«7 баллов», «7 из 10» in «Вовлечённость на входе» were «не число» and the workbook
    refused."""
    sheets = valid_sheets()
    sheets["Итоги"] = [
        ["Код пары", "Статус", "Достигнутые результаты", "Вовлечённость на входе"],
        ["П-01", "завершена", "Освоил", typed],
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.results[0].engagement_in == 7


def test_an_office_workbook_saved_by_libreoffice_makes_the_documents_it_means(settings, tmp_path):
    """End to end: «Ф.И.О.» and hinted headers, names in capitals with double and non-breaking
    spaces, a numbered group, an ИНН with its name, a totals row — the workbook saved again by
    LibreOffice Calc (inline strings, its own styles, dates as numbers with a date format)."""
    sheets = valid_sheets()
    sheets["Организация"].append(["ИНН", "ИНН 2415 001 234"])
    sheets["Наставники"][0][1:3] = ["Ф.И.О.", "Дата рождения (ДД.ММ.ГГГГ)"]
    sheets["Наставники"][1][1] = "ПЕТРОВА  АННА\u00a0СЕРГЕЕВНА"
    sheets["Наставники"].append(["Итого:", 1])
    sheets["Наставляемые"][0][1] = "Фамилия, имя, отчество"
    mentee = ["У-02", "зуев павел андреевич", date(1998, 1, 2), "молодой специалист", "учитель"]
    sheets["Наставляемые"].append(mentee)
    sheets["Пары"][1][2] = "1. Смирнов Илья Олегович\n2. Зуев Павел Андреевич"
    source = write_workbook(tmp_path / "школа.xlsx", sheets)
    out = tmp_path / "calc"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    assert (out / "школа.xlsx").is_file(), "LibreOffice Calc did not convert the workbook"
    result = process_workbook(settings, out / "школа.xlsx")
    assert result.outcome == Outcome.DONE, result.message
    texts = {
        (entry.kind, entry.subject): docx_text(Path(result.folder) / entry.file)
        for entry in result.entries
    }
    (order,) = [t for (kind, _), t in texts.items() if kind == "order_pairs"]
    assert "Петрова Анна Сергеевна" in order
    assert "Смирнов Илья Олегович" in order and "Зуев Павел Андреевич" in order
    consents = [t for (kind, _), t in texts.items() if kind == "consent_adult"]
    assert len(consents) == 3
    assert all("ИНН 2415001234" in t and "ИНН ИНН" not in t for t in consents)
    with session_scope(settings.database_url) as s:
        people = s.scalars(select(Person).order_by(Person.id))
        assert [(p.role, p.code, p.full_name) for p in people] == [
            ("mentor", "Н-01", "Петрова Анна Сергеевна"),
            ("mentee", "У-01", "Смирнов Илья Олегович"),
            ("mentee", "У-02", "Зуев Павел Андреевич"),
        ]


def test_a_roadmap_stage_named_itog_with_a_missing_term_is_an_error(tmp_path):
    """Only a label and numbers make a totals row: the stage «Итог года» with its «Срок»
    forgotten is a stage to complete, not a row to drop."""
    sheets = valid_sheets()
    sheets["Дорожная карта"] = [
        ["Этап", "Мероприятия", "Срок", "Ответственный"],
        ["Итог года", "Круглый стол наставников", None, "Бутрина Ольга Николаевна"],
    ]
    _, report = read_sheets(tmp_path, sheets)
    assert [(p.sheet, p.row, p.column, p.severity) for p in report.problems] == [
        ("Дорожная карта", 2, "Срок", "error")
    ]


@pytest.mark.parametrize(
    ("typed", "sex"),
    [("женщина", "ж"), ("Девочка", "ж"), ("мужчина", "м"), ("мальчик", "м")],
)
def test_sex_written_as_a_word_for_the_person_is_read(tmp_path, typed, sex):
    """«женщина», «мальчик» in «Пол» were «Не понятно, что значит…» and refused the workbook."""
    sheets = valid_sheets()
    sheets["Наставляемые"][0].append("Пол")
    sheets["Наставляемые"][1] = [*sheets["Наставляемые"][1], typed]
    sheets["Наставляемые"][1][1] = "Ким Сон Хи"
    sheets["Пары"][1][2] = "Ким Сон Хи"
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert book.mentees[0].sex == sex
