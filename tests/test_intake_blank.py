"""The blank workbook, the demo workbook, and the schema they are written from."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from service.intake import model, schema
from service.intake.blank import write_blank_workbook
from service.intake.columns import Kind
from service.intake.demo import write_demo_workbook
from service.intake.reader import read_workbook
from tests.workbooks import TODAY

MODELS = {
    "organization": model.Organization,
    "mentors": model.Mentor,
    "mentees": model.Mentee,
    "pairs": model.Pair,
    "plan": model.PlanItem,
    "roadmap": model.RoadmapItem,
    "trainings": model.Training,
    "final_event": model.FinalEvent,
    "results": model.Result,
}


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("blank") / "пустая.xlsx"
    write_blank_workbook(path)
    return path


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "пример.xlsx"
    write_demo_workbook(path)
    return path


# --- the schema matches the model and INTAKE.md -------------------------------------------------


@pytest.mark.parametrize("sheet", schema.SHEETS, ids=lambda s: s.target)
def test_schema_fields_are_model_fields(sheet):
    fields = {f.name: f for f in dataclasses.fields(MODELS[sheet.target])}
    declared = {c.field for c in sheet.columns}
    assert declared <= set(fields)
    needed = {
        name
        for name, f in fields.items()
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    } - {"row"}
    required = {c.field for c in sheet.columns if c.required}
    assert needed == required, "a model field without default must be a required column"


BEYOND_THE_SPECIFICATION = {"ОГРН"}
"""Columns the product reads that the specification does not name (each documented in
docs/intake.md): the school's ОГРН, for the requisites of the contract."""


def test_every_column_of_intake_md_is_declared():
    """Against tests/data/INTAKE.md, a copy of the specification (shared/INTAKE.md), so the
    test runs the same in a clone without the specification beside it."""
    text = (Path(__file__).parent / "data" / "INTAKE.md").read_text(encoding="utf-8")
    ours = (Path(__file__).parent.parent / "docs" / "intake.md").read_text(encoding="utf-8")
    for sheet in schema.SHEETS:
        assert f"«{sheet.name}»" in text
        for column in sheet.columns:
            if column.header in BEYOND_THE_SPECIFICATION:
                assert f"| {column.header} |" in ours, column.header
            else:
                assert column.header in text, column.header


def test_every_choice_column_has_its_list():
    for sheet in schema.SHEETS:
        for column in sheet.columns:
            assert bool(column.choices) == (column.kind is Kind.CHOICE), column.header


# --- the blank workbook -------------------------------------------------------------------------


def test_blank_has_every_sheet_in_order(blank):
    book = load_workbook(blank)
    assert book.sheetnames == [
        "Инструкция",
        *(s.name for s in schema.SHEETS),
        "Списки",
    ]
    assert book["Списки"].sheet_state == "hidden"
    assert book.active.title == "Инструкция"


@pytest.mark.parametrize("sheet", [s for s in schema.SHEETS if not s.key_value], ids=str)
def test_blank_table_sheets(blank, sheet):
    worksheet = load_workbook(blank)[sheet.name]
    headers = [c.value for c in worksheet[1]]
    assert headers == [c.header for c in sheet.columns]
    assert worksheet.freeze_panes == "A2"
    validations = {
        str(ref): v for v in worksheet.data_validations.dataValidation for ref in v.sqref.ranges
    }
    for index, column in enumerate(sheet.columns, 1):
        letter = get_column_letter(index)
        cell = worksheet.cell(1, index)
        assert cell.font.bold and cell.alignment.wrap_text
        assert worksheet.column_dimensions[letter].width >= 10
        assert cell.comment is not None and cell.comment.text
        check = validations.get(f"{letter}2:{letter}1048576")
        if column.kind in (Kind.CHOICE, Kind.YES_NO):
            assert check is not None and check.type == "list", column.header
        if column.kind is Kind.DATE:
            assert worksheet.column_dimensions[letter].number_format == "DD.MM.YYYY"
            assert check is not None and check.type == "date"


def test_blank_drop_down_lists_hold_the_vocabulary(blank):
    book = load_workbook(blank)
    lists = book["Списки"]
    mentors = book["Наставники"]
    category = next(
        v for v in mentors.data_validations.dataValidation if "E2:E1048576" in str(v.sqref)
    )
    sheet_name, cells = category.formula1.split("!")
    assert sheet_name.strip("'") == "Списки"
    values = [c.value for row in lists[cells.replace("$", "")] for c in row]
    assert tuple(values) == schema.MENTORS.column("category").choices
    external = next(
        v for v in mentors.data_validations.dataValidation if "H2:H1048576" in str(v.sqref)
    )
    assert external.formula1 == '"да,нет"'
    sex = next(v for v in mentors.data_validations.dataValidation if "C2:C1048576" in str(v.sqref))
    assert (sex.formula1, sex.errorStyle) == ('"м,ж"', "warning")  # «жен» is read too


@pytest.mark.parametrize("sheet", [s for s in schema.SHEETS if s.key_value], ids=str)
def test_blank_key_value_sheets_list_parameters(blank, sheet):
    worksheet = load_workbook(blank)[sheet.name]
    assert [c.value for c in worksheet[1]][:2] == ["Параметр", "Значение"]
    names = [row[0] for row in worksheet.iter_rows(min_row=2, values_only=True)]
    assert names == [c.header + (" *" if c.required else "") for c in sheet.columns]
    assert all(row[1] is None for row in worksheet.iter_rows(min_row=2, values_only=True))
    assert worksheet.freeze_panes == "A2"


def test_blank_final_event_has_a_form_list_and_date_format(blank):
    worksheet = load_workbook(blank)["Итоговое мероприятие"]
    assert worksheet["B2"].number_format == "DD.MM.YYYY"
    [form] = [v for v in worksheet.data_validations.dataValidation if v.type == "list"]
    assert str(form.sqref) == "B3"


def test_instruction_explains_the_rules_and_every_column(blank):
    worksheet = load_workbook(blank)["Инструкция"]
    text = "\n".join(str(v) for row in worksheet.iter_rows(values_only=True) for v in row if v)
    for phrase in (
        "inbox",
        "ДД.ММ.ГГГГ",
        "«да» или «нет»",
        "Фамилия Имя Отчество",
        "Код",
        "от 3 месяцев до 1 года",
        "законного представителя",
        "«Место работы»",
        "«Документ, удостоверяющий личность»",
        "Каждый лист необязателен",
    ):
        assert phrase in text, phrase
    for sheet in schema.SHEETS:
        assert f"Лист «{sheet.name}»" in text
        for column in sheet.columns:
            assert f"«{column.header}»" in text


def test_the_blank_s_example_dates_are_of_the_school_year_under_way(blank):
    """The instruction and the date check of the blank said «например 01.09.2023» (and
    «октябрь 2023», «2023–2024») whatever the year: the examples are of this school year."""
    today = date.today()
    first = today.year if today.month >= 9 else today.year - 1
    book = load_workbook(blank)
    rules = {row[0]: row[1] for row in book["Инструкция"].iter_rows(values_only=True) if row}
    assert rules["Даты"] == (
        f"Даты — в виде ДД.ММ.ГГГГ, например 01.09.{first}; подойдут также 1.9.{first} и "
        f"{first}-09-01. Месяц словом («сентябрь») вместо даты не принимается. В столбце "
        f"«Срок» можно писать и текст: «в течение года», «октябрь {first}»."
    )
    assert rules["«Учебный год»"] == (
        f"Обязательно. Укажите учебный год в виде {first}–{first + 1}."
    )
    checks = book["Наставники"].data_validations.dataValidation
    assert {c.error for c in checks if c.type == "date"} == {
        f"Введите дату в виде ДД.ММ.ГГГГ, например 01.09.{first}."
    }
    texts = [c.value for s in book for row in s.iter_rows() for c in row if c.value]
    assert not [t for t in texts if "2023" in str(t)]


def test_blank_reads_back_with_nothing_and_no_problem(blank):
    book, report = read_workbook(blank, today=TODAY)
    assert report.problems == []
    assert book == model.Workbook()


def test_blank_filled_by_hand_is_accepted(blank, tmp_path):
    path = tmp_path / "заполненная.xlsx"
    book = load_workbook(blank)
    organization = book["Организация"]
    values = {
        "Полное наименование *": "МБОУ «СОШ с. Волотово»",
        "Краткое наименование *": "МБОУ «СОШ с. Волотово»",
        "Населённый пункт *": "с. Волотово",
        "Руководитель (ФИО) *": "Иванова Мария Петровна",
        "Куратор (ФИО) *": "Сидорова Ольга Ивановна",
        "Должность куратора *": "заместитель директора",
        "Учебный год *": "2022-2023",
    }
    for row in organization.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    mentors = book["Наставники"]
    row = ["", "Орлов Дмитрий Андреевич", "м", date(1975, 7, 2), "сотрудник предприятия"]
    row.append("инженер")
    mentors.append([*row, "ООО «Агро»", "да", None, None, None, None, None, "паспорт"])
    book.save(path)
    workbook, report = read_workbook(path, today=TODAY)
    assert report.problems == []
    assert workbook.organization.school_year == "2022–2023"
    assert workbook.mentors[0].is_external is True


# --- the demo workbook --------------------------------------------------------------------------


def test_demo_reads_back_clean_with_expected_content(demo):
    book, report = read_workbook(demo, today=TODAY)
    assert report.problems == [], report.to_text()
    assert book.organization.short_name == "МБОУ Идринская СОШ"
    assert book.organization.head_name == "Кинякина Татьяна Игоревна"
    assert book.organization.school_year == "2023–2024"
    assert (book.organization.students_total, book.organization.teachers_total) == (412, 38)
    assert (len(book.mentors), len(book.mentees), len(book.pairs)) == (4, 5, 4)
    assert {p.form for p in book.pairs} == {
        "Учитель – учитель",
        "Учитель – ученик",
        "Ученик – ученик",
        "Работодатель – ученик",
    }
    assert [len(p.mentee_refs) for p in book.pairs].count(2) == 1
    assert all(date(2023, 10, 1) <= p.start < p.end <= date(2024, 5, 31) for p in book.pairs)
    assert {i.pair_code for i in book.plan} == {"П-01"} and len(book.plan) >= 5
    assert len(book.trainings) == 3 and book.final_event.form == "конференция"
    assert [r.pair_code for r in book.results] == ["П-01", "П-04"]
    assert all(r.strengths and r.engagement_in for r in book.results)
    external = [m for m in book.mentors if m.is_external]
    assert [m.full_name for m in external] == ["Орлов Дмитрий Андреевич"]
    assert external[0].workplace and external[0].identity_document
    minors = [p for p in (*book.mentors, *book.mentees) if p.birth_date > date(2005, 10, 1)]
    assert len(minors) >= 3 and all(p.guardian_name for p in minors)
    zuev = next(m for m in book.mentees if m.full_name == "Зуев Никита Андреевич")
    assert (zuev.birth_date, zuev.guardian_name) == (date(2009, 5, 17), "Зуева Ирина Викторовна")


def test_demo_headers_are_in_row_one_and_open_without_warnings(demo):
    book = load_workbook(demo)  # filterwarnings=error: any openpyxl warning fails here
    assert [c.value for c in book["Пары"][1]][:2] == ["Код пары", "Наставник"]
    assert book["Пары"]["G2"].number_format == "DD.MM.YYYY"


def test_blank_and_demo_survive_a_round_trip_through_libreoffice(blank, demo, tmp_path):
    """Calc opens both and saves them again; what it saves reads the same."""
    assert shutil.which("soffice"), "make test installs libreoffice-calc-nogui"
    out = tmp_path / "out"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), str(blank), str(demo)],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    assert (out / demo.name).is_file(), "LibreOffice Calc did not convert the workbook"
    book, report = read_workbook(out / blank.name, today=TODAY)
    assert report.problems == [] and book == model.Workbook()
    book, report = read_workbook(out / demo.name, today=TODAY)
    assert report.problems == []
    assert book == read_workbook(demo, today=TODAY)[0]
