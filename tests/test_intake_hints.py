"""Rows of hints under the header, wherever a blank puts them: only the first two rows under
the header were checked for hints or column numbers, and only a hint typed alone — «формат:
ДД.ММ.ГГГГ» was read as a person, an error per cell. Rows of hints and of column numbers are
skipped wherever they sit before the first row of data (a blank row, numbers, two rows of
hints), with words around a hint too; a real ФИО, code or date in any cell makes the row data;
a row of hints between rows of data is refused with one clear line. Played as the watcher
does (tests/workbooks: the small valid school), the register looked at after."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from service.intake.reader import read_workbook
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Person
from tests.workbooks import TODAY, read_sheets, valid_sheets, write_workbook

HINTS = [None, "Укажите полностью", "формат: ДД.ММ.ГГГГ", "выберите из списка", None, None,
         "да/нет (по умолчанию нет)", None, "укажите для несовершеннолетнего"]  # fmt: skip
SHOWN = (
    "«Укажите полностью», «формат: ДД.ММ.ГГГГ», «выберите из списка», «да/нет (по умолчанию "
    "нет)», «укажите для несовершеннолетнего»"
)


def people(settings) -> list[tuple[str, str]]:
    with session_scope(settings.database_url) as session:
        return [(p.code, p.full_name) for p in session.scalars(select(Person).order_by(Person.id))]


def test_rows_of_hints_with_words_anywhere_before_the_data_are_skipped(settings, tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][1:1] = [
        [None] * 9,  # a blank row under the header
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
        HINTS,
        [None, None, "дата рождения в формате дд.мм.гггг", None, None, None, "м/ж"],
    ]
    done = process_workbook(settings, write_workbook(tmp_path / "подсказки.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    assert [str(p) for p in done.report.warnings] == [
        f"лист «Наставники», строка 4: Строка подсказок под заголовком ({SHOWN}) — не данные, "
        "она не прочитана.",
        "лист «Наставники», строка 5: Строка подсказок под заголовком («дата рождения в формате "
        "дд.мм.гггг», «м/ж») — не данные, она не прочитана.",
    ]
    assert people(settings) == [
        ("Н-01", "Петрова Анна Сергеевна"),
        ("У-01", "Смирнов Илья Олегович"),
    ]


def test_hints_naming_the_kind_of_value_are_hints(settings, tmp_path):
    """play10: a school's copy of the blank had «число» under «Часов», «ФИО» under
    «Ответственный» and «дата или месяц» under «Срок»; the rows were read as data, five
    errors, the workbook refused."""
    sheets = {
        "Обучение наставников": [
            ["Тема", "Дата", "Часов", "Форма", "Ответственный"],
            [None, "ДД.ММ.ГГГГ", "число", "выберите из списка", "ФИО"],
            ["Роль наставника", date(2023, 10, 8), 2, "семинар", "Петрова Анна Сергеевна"],
        ],
        "План": [
            ["Код пары", "Мероприятие", "Срок", "Форма проведения"],
            [None, None, "дата или месяц", "выберите из списка"],
            ["П-01", "Знакомство", "октябрь 2023", "встреча"],
        ],
    }
    done = process_workbook(settings, write_workbook(tmp_path / "1.xlsx", valid_sheets()))
    assert done.outcome == Outcome.DONE, done.message
    done = process_workbook(settings, write_workbook(tmp_path / "подсказки.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    assert [str(p) for p in done.report.warnings] == [
        "лист «План», строка 2: Строка подсказок под заголовком («дата или месяц», «выберите "
        "из списка») — не данные, она не прочитана.",
        "лист «Обучение наставников», строка 2: Строка подсказок под заголовком («ДД.ММ.ГГГГ», "
        "«число», «выберите из списка», «ФИО») — не данные, она не прочитана.",
    ]


def test_a_row_of_hints_between_rows_of_data_is_refused(settings, tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"].append(HINTS)
    sheets["Наставники"].append(
        ["Н-02", "Белова Елена Викторовна", "08.11.1972", "педагог", "учитель", None, "нет"]
    )
    done = process_workbook(settings, write_workbook(tmp_path / "вставка.xlsx", sheets))
    assert done.outcome == Outcome.REJECTED
    assert [str(p) for p in done.report.errors] == [
        f"лист «Наставники», строка 3: Строка подсказок ({SHOWN}) стоит между строками данных: "
        "подсказки пишут только сразу под заголовком. Похоже, сюда вставлена часть другой "
        "таблицы — удалите эту строку и проверьте строки под ней."
    ]
    assert people(settings) == []  # a rejected workbook changes nothing


def test_a_row_with_a_name_or_a_date_among_hints_is_data(tmp_path):
    """An example typed as a person («например: Иванов Иван Иванович»), or a real date beside
    the hints, is never skipped: the row is read and its cells checked as data."""
    sheets = valid_sheets()
    sheets["Наставники"][1:1] = [
        [None, "например: Иванов Иван Иванович", "формат: ДД.ММ.ГГГГ", "выберите из списка"],
        [None, None, "14.03.1980", "выберите из списка", None, None, "да/нет"],
    ]
    _, report = read_sheets(tmp_path, sheets)
    assert [(p.row, p.column) for p in report.errors] == [
        (2, "ФИО"),
        (2, "Дата рождения"),
        (2, "Категория"),
        (2, "Должность или класс"),
        (2, "Внешний наставник"),
        (3, "ФИО"),
        (3, "Категория"),
        (3, "Должность или класс"),
        (3, "Внешний наставник"),
    ]


def test_an_instruction_alone_after_the_data_is_a_value(tmp_path):
    """After the first row of data only a format or a choice of two («ДД.ММ.ГГГГ», «да/нет»)
    tells a row of hints: a plan's row with «Заполните дневник наставника» alone (its code and
    term merged down from the row above) is an activity, read as data."""
    from openpyxl import load_workbook

    sheets = valid_sheets()
    sheets["План"] = [
        ["Код пары", "Мероприятие", "Срок", "Ответственный"],
        ["П-01", "Знакомство с программой", "октябрь 2023", "Петрова А.С."],
        [None, "Заполните дневник наставника", None, None],
    ]
    path = write_workbook(tmp_path / "план.xlsx", sheets)
    workbook = load_workbook(path)
    workbook["План"].merge_cells("A2:A3")
    workbook["План"].merge_cells("C2:C3")
    workbook.save(path)
    book, report = read_workbook(path, today=TODAY)
    assert [str(p) for p in report.problems] == []
    assert [(p.row, p.pair_code, p.activity) for p in book.plan] == [
        (2, "П-01", "Знакомство с программой"),
        (3, "П-01", "Заполните дневник наставника"),
    ]
