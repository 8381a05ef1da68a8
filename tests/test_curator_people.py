"""The curator's «Участник» filter named a mentor and a pupil's guardian of the same name alike
(play15: «Шевчук Олег Петрович» twice — the mentor of П-04 and the father of Шевчук Дарья, a
mentee): the curator could not tell which choice shows which documents. A guardian is
labelled so."""

from __future__ import annotations

import re
from datetime import date

from service.intake.demo import write_filled_workbook
from service.pipeline import Outcome, process_workbook
from tests.names_school import mentee_row
from tests.web_school import login

PETROVA = "Петрова Анна Сергеевна"  # the demo's mentor Н-01


def test_a_guardian_named_as_a_mentor_is_told_apart(web_school, client):
    book = web_school.workbook.parent / "дочь.xlsx"
    daughter = mentee_row("У-09", "Петрова Мария Андреевна", date(2011, 1, 9), "обучающийся", "7 А")
    write_filled_workbook(
        book,
        organization={},
        mentees=[{**daughter, "Законный представитель (ФИО)": PETROVA}],
    )
    assert process_workbook(web_school.settings, book).outcome == Outcome.DONE
    login(client, "curator")
    page = client.get("/curator/").get_data(as_text=True)
    people = page[
        page.index('name="person"') : page.index("</select>", page.index('name="person"'))
    ]
    options = re.findall(r">([^<>]+)</option>", people)
    assert [o for o in options if o.startswith("Петрова")] == [
        PETROVA,
        f"{PETROVA} (законный представитель)",
        "Петрова Мария Андреевна",
    ]


def test_a_mentor_listed_as_a_mentee_too_is_told_apart(web_school, client):
    """Play20: the same teacher on «Наставники» and on «Наставляемые» (one ФИО and date of
    birth, a Код on each sheet) is two people of the register with documents of their own;
    the filter listed «Петрова Анна Сергеевна» twice alike. Each is labelled by role now, and
    two namesakes of one role by their dates of birth."""
    book = web_school.workbook.parent / "петрова.xlsx"
    write_filled_workbook(
        book,
        organization={},
        mentees=[
            mentee_row("У-09", PETROVA, date(1980, 3, 14), "педагог", "учитель математики"),
            mentee_row("У-10", "Смирнов Илья Олегович", date(2001, 6, 2), "педагог", "учитель"),
        ],
    )
    assert process_workbook(web_school.settings, book).outcome == Outcome.DONE
    login(client, "curator")
    page = client.get("/curator/").get_data(as_text=True)
    people = page[
        page.index('name="person"') : page.index("</select>", page.index('name="person"'))
    ]
    options = re.findall(r">([^<>]+)</option>", people)
    assert [o for o in options if o.startswith(("Петрова А", "Смирнов"))] == [
        f"{PETROVA} (наставник)",
        f"{PETROVA} (наставляемая)",
        "Смирнов Илья Олегович (20.11.1999)",
        "Смирнов Илья Олегович (02.06.2001)",
    ]
