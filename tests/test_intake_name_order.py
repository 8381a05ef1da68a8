"""A pair naming its people name first, «Анна Сергеевна Петрова», as a secretary types a name she
says aloud (play21: «Олег Игоревич Цой» in the gymnasium's December workbook). The person's own
sheet tells such a ФИО and how to write it; «Пары» said only «не найден: его нет ни на листе
«Наставники», ни в реестре», though the person was there, written the right way round."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from service.documents.text import docx_text
from service.intake.years import school_year
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Document
from service.store import FileStore
from tests.test_year_boundary import september
from tests.workbooks import problems_at, read_sheets, valid_sheets, write_workbook


def test_a_pair_naming_its_people_name_first_is_told_how_they_are_written(tmp_path):
    sheets = valid_sheets()
    sheets["Пары"][1][1] = "Анна Сергеевна Петрова"
    sheets["Пары"][1][2] = "Илья Олегович Смирнов"
    workbook, report = read_sheets(tmp_path, sheets)
    assert workbook is None
    assert [(p.column, p.message) for p in problems_at(report, "Пары", 2)] == [
        (
            "Наставник",
            "Наставник «Анна Сергеевна Петрова» не найдена: ФИО записано в порядке Имя Отчество "
            "Фамилия, а на листе «Наставники» (строка 2) — «Петрова Анна Сергеевна». Напишите "
            "«Петрова Анна Сергеевна» (Фамилия Имя Отчество) или Код.",
        ),
        (
            "Наставляемые",
            "Наставляемый «Илья Олегович Смирнов» не найден: ФИО записано в порядке Имя Отчество "
            "Фамилия, а на листе «Наставляемые» (строка 2) — «Смирнов Илья Олегович». Напишите "
            "«Смирнов Илья Олегович» (Фамилия Имя Отчество) или Код.",
        ),
    ]


def test_a_name_first_that_names_nobody_is_not_found_as_before(tmp_path):
    sheets = valid_sheets()
    sheets["Пары"][1][1] = "Ольга Петровна Иванова"
    _, report = read_sheets(tmp_path, sheets)
    assert [p.message for p in problems_at(report, "Пары", 2, "Наставник")] == [
        "Наставник «Ольга Петровна Иванова» не найдена: её нет ни на листе «Наставники», ни в "
        "реестре. Добавьте человека на лист «Наставники» или укажите ФИО полностью (Фамилия Имя "
        "Отчество) или Код, как на том листе."
    ]


def turkic_year() -> dict:
    """This school year's September workbook (tests/test_year_boundary.py) whose mentor Н-01 is
    «Мамедов Эльдар Рашид оглы» and mentee У-02 «Алиева Айгюн Вагиф кызы»."""
    sheets = september(school_year(date.today()))
    sheets["Наставники"][1][1] = "Мамедов Эльдар Рашид оглы"
    sheets["Наставляемые"][2][1] = "Алиева Айгюн Вагиф кызы"
    return sheets


def test_a_turkic_patronymic_written_before_the_surname_is_told_how_to_write(settings, tmp_path):
    """left22: «Эльдар Рашид оглы Мамедов» in «Пары» was «не найден: его нет ни на листе
    «Наставники», ни в реестре», and on the person's own sheet it was taken as a ФИО whose
    surname is «Эльдар»."""
    sheets = turkic_year()
    sheets["Пары"][1][1] = "Эльдар Рашид оглы Мамедов"
    sheets["Пары"][2][2] = "Айгюн Вагиф кызы Алиева"
    done = process_workbook(settings, write_workbook(tmp_path / "пары.xlsx", sheets))
    assert done.outcome == Outcome.REJECTED, done.message
    assert [(p.sheet, p.row, p.column, p.message) for p in done.report.problems] == [
        (
            "Пары",
            2,
            "Наставник",
            "Наставник «Эльдар Рашид оглы Мамедов» не найден: ФИО записано в порядке Имя "
            "Отчество Фамилия, а на листе «Наставники» (строка 2) — «Мамедов Эльдар Рашид оглы». "
            "Напишите «Мамедов Эльдар Рашид оглы» (Фамилия Имя Отчество) или Код.",
        ),
        (
            "Пары",
            3,
            "Наставляемые",
            "Наставляемая «Айгюн Вагиф кызы Алиева» не найдена: ФИО записано в порядке Имя "
            "Отчество Фамилия, а на листе «Наставляемые» (строка 3) — «Алиева Айгюн Вагиф "
            "кызы». Напишите «Алиева Айгюн Вагиф кызы» (Фамилия Имя Отчество) или Код.",
        ),
    ]

    own = turkic_year()
    own["Наставники"][1][1] = "Эльдар Рашид-оглы Мамедов"
    own["Наставляемые"][2][1] = "АЙГЮН ВАГИФ КЫЗЫ АЛИЕВА"
    done = process_workbook(settings, write_workbook(tmp_path / "листы.xlsx", own))
    assert done.outcome == Outcome.REJECTED, done.message
    assert [(p.sheet, p.row, p.column, p.message) for p in done.report.problems] == [
        (
            "Наставники",
            2,
            "ФИО",
            "В ФИО «Эльдар Рашид-оглы Мамедов» отчество «Рашид-оглы» стоит перед фамилией: ФИО "
            "записано в порядке Имя Отчество Фамилия. Напишите «Мамедов Эльдар Рашид-оглы» "
            "(Фамилия Имя Отчество).",
        ),
        (
            "Наставляемые",
            3,
            "ФИО",
            "В ФИО «АЙГЮН ВАГИФ КЫЗЫ АЛИЕВА» отчество «ВАГИФ КЫЗЫ» стоит перед фамилией: ФИО "
            "записано в порядке Имя Отчество Фамилия. Напишите «Алиева Айгюн Вагиф кызы» "
            "(Фамилия Имя Отчество).",
        ),
    ]


def test_a_turkic_patronymic_in_its_place_is_read_and_declined(settings, tmp_path):
    """«Мамедов Эльдар Рашид оглы» and «Алиева Айгюн Вагиф кызы», named so in «Пары» too, are
    found and printed right (docs/grammar.md): the surname declined, «оглы»/«кызы» not, the
    initials of the name and the patronymic, a woman by «кызы»."""
    sheets = turkic_year()
    sheets["Пары"][1][1] = "Мамедов Эльдар Рашид оглы"
    sheets["Пары"][2][2] = "Алиева Айгюн Вагиф кызы"
    done = process_workbook(settings, write_workbook(tmp_path / "книга.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    assert done.report.problems == []
    texts = {}
    with session_scope(settings.database_url) as s:
        for d in s.scalars(select(Document)):
            texts[(d.kind, d.subject_label)] = docx_text(
                FileStore(settings.store_dir).get(d.sha256)
            )
    order = texts[("order_pairs", "МБОУ Идринская СОШ")]
    assert "П-01 | Мамедов Эльдар Рашид оглы (учитель математики)" in order
    assert "Алиева Айгюн Вагиф кызы (учитель литературы)" in order
    assert "Мамедов\xa0Э.Р." in order and "Алиева\xa0А.В." in order
    consent = texts[("mentor_consent", "Мамедов Эльдар Рашид оглы")]
    assert "Мамедова Эльдара Рашид оглы" in consent and "/ Мамедов\xa0Э.Р." in consent
    assert (
        "\xa0Алиевой Айгюн Вагиф кызы (учитель литературы)"
        in (texts[("mentor_consent", "Белова Ирина Петровна")])
    )
    assert "Наставник | _____________ | Э.Р.\xa0Мамедов" in texts[("program", "П-01")]
    assert "Наставляемая | _____________ | А.В.\xa0Алиева" in texts[("program", "П-02")]
