"""Kinds of workbook nobody had tried: the blank saved by LibreOffice through .ods with a row of
column numbers, Excel's «Format as table», rows hidden by a filter, cells merged down, Excel's
escaped control characters, dates out of the possible years or far from the school year, «Пол»
as «М.», patronymics in «оглы»/«кызы», a position of 300 characters, an emoji in a name. Each
is read exactly as meant or refused with one clear Russian line per mistake."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from service.intake import examples
from service.intake.reader import read_workbook
from service.register.db import session_scope
from service.register.models import Pair, Person
from tests.workbooks import TODAY, organization_rows, read_sheets, valid_sheets, write_workbook


def _people(settings) -> list[tuple]:
    with session_scope(settings.database_url) as session:
        people = session.scalars(select(Person).order_by(Person.id))
        return [(p.role, p.code, p.full_name) for p in people]


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


HINT_WARNING = (
    "лист «Наставники», строка 2: Строка подсказок под заголовком ({hints}) — не данные, она "
    "не прочитана."
)


@pytest.mark.parametrize(
    "hints, shown",
    [
        ([None, None, "ДД.ММ.ГГГГ", "из списка", None, None, "да/нет"],
         "«ДД.ММ.ГГГГ», «из списка», «да/нет»"),
        ([1, "через ;", "дд.мм.гггг", "Из списка", 5, "м/ж", "да / нет"],
         "«через ;», «дд.мм.гггг», «Из списка», «м/ж», «да / нет»"),
    ],
)  # fmt: skip
def test_a_row_of_hints_under_the_header_is_skipped_with_one_warning(tmp_path, hints, shown):
    """A row of hints under the header («ДД.ММ.ГГГГ», «из списка», «да/нет») was read as a
    person: five errors for one row. It is skipped, said once; the rows under it are read."""
    sheets = valid_sheets()
    sheets["Наставники"].insert(1, hints)
    book, report = read_sheets(tmp_path, sheets)
    assert [str(p) for p in report.problems] == [HINT_WARNING.format(hints=shown)]
    assert [p.severity for p in report.problems] == ["warning"]
    assert [(m.row, m.code, m.full_name) for m in book.mentors] == [
        (3, "Н-01", "Петрова Анна Сергеевна")
    ]


def test_a_row_of_hints_after_the_column_numbers_is_skipped_too(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][1:1] = [
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
        [None, None, "ДД.ММ.ГГГГ", "из списка", None, None, "да/нет"],
    ]
    book, report = read_sheets(tmp_path, sheets)
    assert [str(p) for p in report.problems] == [
        HINT_WARNING.format(hints="«ДД.ММ.ГГГГ», «из списка», «да/нет»").replace(
            "строка 2", "строка 3"
        )
    ]
    assert [(m.row, m.code) for m in book.mentors] == [(4, "Н-01")]


def test_a_row_with_a_hint_and_a_value_is_data(tmp_path):
    """One real value among hints makes the row data: each cell is checked as before."""
    sheets = valid_sheets()
    sheets["Наставники"].insert(
        1, ["Н-02", None, "ДД.ММ.ГГГГ", "педагог", "учитель", None, "да/нет"]
    )
    _, report = read_sheets(tmp_path, sheets)
    assert [(p.row, p.column) for p in report.errors] == [
        (2, "ФИО"),
        (2, "Дата рождения"),
        (2, "Внешний наставник"),
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


_TODAY = date.today()
SEPTEMBER_FIRST = f"01.09.{_TODAY.year if _TODAY.month >= 9 else _TODAY.year - 1}"
"""The example date messages give: 1 September of the school year under way."""


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            date(1850, 3, 14),
            "В дате «14.03.1850» невозможный год 1850: даты принимаются с 1901 по 2100 год. "
            f"Проверьте год и введите дату в виде ДД.ММ.ГГГГ, например {SEPTEMBER_FIRST}.",
        ),
        (
            "14.03.1899",
            "В дате «14.03.1899» невозможный год 1899: даты принимаются с 1901 по 2100 год. "
            f"Проверьте год и введите дату в виде ДД.ММ.ГГГГ, например {SEPTEMBER_FIRST}.",
        ),
        (
            date(2101, 3, 14),
            "В дате «14.03.2101» невозможный год 2101: даты принимаются с 1901 по 2100 год. "
            f"Проверьте год и введите дату в виде ДД.ММ.ГГГГ, например {SEPTEMBER_FIRST}.",
        ),
        (
            date(1900, 1, 14),
            "«14.01.1900» — так Excel показывает число 14 в ячейке с форматом даты: в ячейке "
            f"число, а не дата. Введите дату в виде ДД.ММ.ГГГГ, например {SEPTEMBER_FIRST}.",
        ),
        (
            date(1899, 12, 30),
            "В ячейке ноль в формате даты (Excel показывает его как «00.01.1900» или «0:00») — "
            "например, формула, которая ссылается на пустую ячейку. Введите дату в виде "
            f"ДД.ММ.ГГГГ, например {SEPTEMBER_FIRST}.",
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


def test_examples_in_messages_are_of_the_school_year_under_way(tmp_path):
    """Every message with an example gave «01.09.2023», «октябрь 2023», «2023–2024» — in the
    workbook of 2026–2027 too, so a secretary took the example for the date to copy. The
    examples are of the school year under way; a school year typed wrong is shown as its
    first year makes it."""
    first = int(SEPTEMBER_FIRST[-4:])
    sheets = valid_sheets()
    sheets["Организация"] = organization_rows(**{"Учебный год": f"{first}-{first + 2}"})
    sheets["Наставники"][1][2] = "14 марта 1980"
    sheets["План"] = [
        ["Код пары", "Мероприятие", "Срок"],
        ["П-01", "Первая встреча", True],
    ]
    _, report = read_sheets(tmp_path, sheets)
    said = "\n".join(p.message for p in report.problems)
    assert [p.message for p in report.problems] == [
        f"«Учебный год»: Учебный год «{first}-{first + 2}» указан неверно: второй год должен "
        f"быть на 1 больше первого. Укажите учебный год в виде {first}–{first + 1}.",
        "Не удалось прочитать дату «14 марта 1980». Введите дату в виде ДД.ММ.ГГГГ, например "
        f"{SEPTEMBER_FIRST}.",
        f"Укажите срок: дату ДД.ММ.ГГГГ, месяц («октябрь {first}») или период.",
    ], said
    assert "2023" not in said
    sheets = valid_sheets()
    sheets["Организация"] = organization_rows(**{"Учебный год": None})
    _, report = read_sheets(tmp_path, sheets, name="без года.xlsx")
    assert [p.message for p in report.problems] == [
        "Нет строки с параметром «Учебный год». Добавьте строку «Учебный год» и укажите "
        f"учебный год в виде {first}–{first + 1}."
    ]


@pytest.mark.parametrize(
    ("today", "example"),
    [
        (date(2026, 12, 3), ("01.09.2026", "октябрь 2026", "2026–2027")),
        (date(2027, 8, 31), ("01.09.2026", "октябрь 2026", "2026–2027")),
        (date(2027, 9, 1), ("01.09.2027", "октябрь 2027", "2027–2028")),
    ],
)
def test_an_example_is_of_the_school_year_today_falls_in(today, example):
    first = examples.example_year(today)
    assert (
        examples.example_date(today),
        examples.example_month(today),
        examples.example_school_year(first),
    ) == example


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


def _kept_from_2023(settings, tmp_path: Path) -> dict:
    """The register of 2023–2024 (П-01 from 01.10.2023 to 31.05.2024), and the workbook of
    2025–2026 the school keeps it in, unchanged."""
    from service.register.apply import apply_workbook
    from service.register.lookup import RegisterLookup

    path = write_workbook(tmp_path / "2023.xlsx", valid_sheets())
    with session_scope(settings.database_url) as session:
        book, report = read_workbook(path, RegisterLookup(session), today=TODAY)
        assert report.errors == []
        apply_workbook(session, book)
    later = valid_sheets()
    later["Организация"] = organization_rows(**{"Учебный год": "2025–2026"})
    return later


def _read_against(settings, tmp_path: Path, sheets: dict):
    from service.register.lookup import RegisterLookup

    path = write_workbook(tmp_path / "2025.xlsx", sheets)
    with session_scope(settings.database_url) as session:
        return read_workbook(path, RegisterLookup(session), today=date(2025, 10, 1))


def test_a_registered_pair_kept_unchanged_years_later_is_taken(settings, tmp_path):
    """A school keeping its pair of 2023 in the workbook of 2025–2026 had it refused: «Дата
    01.10.2023 — не в учебном году 2025–2026 …, и даже не в соседнем»."""
    from service.register.apply import apply_workbook

    book, report = _read_against(settings, tmp_path, _kept_from_2023(settings, tmp_path))
    assert [str(p) for p in report.errors] == []
    with session_scope(settings.database_url) as session:
        apply_workbook(session, book)
    with session_scope(settings.database_url) as session:
        pairs = session.scalars(select(Pair).order_by(Pair.id))
        assert [(p.code, p.start, p.end) for p in pairs] == [
            ("П-01", date(2023, 10, 1), date(2024, 5, 31))
        ]


FAR_2023 = (
    "лист «Пары», строка {row}, столбец «Дата начала»: Дата 01.10.2023 — не в учебном году "
    "2025–2026 (с 01.09.2025 по 31.08.2026), который указан на листе «Организация», и даже не в "
    "соседнем. Проверьте год."
)


def test_a_registered_pair_whose_dates_changed_is_still_refused(settings, tmp_path):
    sheets = _kept_from_2023(settings, tmp_path)
    sheets["Пары"][1][6] = date(2024, 6, 30)
    book, report = _read_against(settings, tmp_path, sheets)
    assert book is None
    assert [str(p) for p in report.errors] == [FAR_2023.format(row=2)]


def test_a_registered_pair_given_another_mentor_years_later_is_still_refused(settings, tmp_path):
    """Its dates kept, its mentor changed: the 2025–2026 workbook was taken and gave the pair
    of 2023 to Белова, its 2023–2024 programme made again under her (review9)."""
    sheets = _kept_from_2023(settings, tmp_path)
    sheets["Наставники"].append(
        ["Н-02", "Белова Елена Викторовна", date(1972, 11, 8), "педагог", "учитель", None, "нет"]
    )
    sheets["Пары"][1][1] = "Белова Елена Викторовна"
    book, report = _read_against(settings, tmp_path, sheets)
    assert book is None
    assert FAR_2023.format(row=2) in [str(p) for p in report.errors]


def test_a_new_pair_of_2023_beside_a_kept_one_is_still_refused(settings, tmp_path):
    sheets = _kept_from_2023(settings, tmp_path)
    sheets["Наставляемые"].append(
        ["У-02", "Зуев Павел Андреевич", date(1998, 1, 2), "молодой специалист", "учитель"]
    )
    sheets["Пары"].append(
        ["П-02", "Петрова Анна Сергеевна", "Зуев Павел Андреевич", "Учитель – учитель", None,
         date(2023, 10, 1), date(2024, 5, 31), "Адаптация"]
    )  # fmt: skip
    book, report = _read_against(settings, tmp_path, sheets)
    assert book is None
    assert [str(p) for p in report.errors] == [FAR_2023.format(row=3)]


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


def test_a_date_outside_the_registers_year_is_warned_of_without_the_organization_sheet(
    settings, tmp_path
):
    """Play20: a May workbook of results carrying last May's «Итоговое мероприятие» (and a
    training of the year before) without «Организация» was taken with no word — the final event
    moved a year back. Without the sheet, the dates are checked against the register's year."""
    from service.register.apply import apply_workbook
    from service.register.lookup import RegisterLookup

    with session_scope(settings.database_url) as session:
        book, _ = read_workbook(
            write_workbook(tmp_path / "2023.xlsx", valid_sheets()),
            RegisterLookup(session),
            today=TODAY,
        )
        apply_workbook(session, book)
    sheets = {
        "Обучение наставников": [
            ["Тема", "Дата", "Часов", "Ответственный"],
            ["Введение", date(2022, 11, 15), 4, "Бутрина Ольга Николаевна"],
        ],
        "Итоговое мероприятие": [
            ["Параметр", "Значение"], ["Дата", date(2023, 5, 20)], ["Форма", "конференция"],
            ["Место", "актовый зал"], ["Ответственный", "Бутрина Ольга Николаевна"],
        ],
    }  # fmt: skip
    path = write_workbook(tmp_path / "май.xlsx", sheets)
    with session_scope(settings.database_url) as session:
        book, report = read_workbook(path, RegisterLookup(session), today=TODAY)
    assert book is not None
    said = "(с 01.09.2023 по 31.08.2024), который ведёт реестр (листа «Организация» в книге нет)"
    assert [(p.sheet, p.row, p.column, p.message, p.severity) for p in report.problems] == [
        (
            "Обучение наставников",
            2,
            "Дата",
            f"Дата 15.11.2022 — не в учебном году 2023–2024 {said}. Если это не ошибка, "
            "предупреждение можно не учитывать.",
            "warning",
        ),
        (
            "Итоговое мероприятие",
            2,
            "Дата",
            f"Дата 20.05.2023 — не в учебном году 2023–2024 {said}. Если это не ошибка, "
            "предупреждение можно не учитывать.",
            "warning",
        ),
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
