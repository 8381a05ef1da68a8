"""A pair naming its people name first, «Анна Сергеевна Петрова», as a secretary types a name she
says aloud (play21: «Олег Игоревич Цой» in the gymnasium's December workbook). The person's own
sheet tells such a ФИО and how to write it; «Пары» said only «не найден: его нет ни на листе
«Наставники», ни в реестре», though the person was there, written the right way round."""

from __future__ import annotations

from tests.workbooks import problems_at, read_sheets, valid_sheets


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
