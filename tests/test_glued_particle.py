"""«Ильхам оглы» and «Ильхам-оглы» are one patronymic, as clerks type it either way (play15):
a later workbook naming the curator and mentor «Мамедов Тимур Ильхам-оглы» in «Пары» was
refused — «Наставник … не найден: его нет ни на листе «Наставники», ни в реестре» — though
the register holds «Мамедов Тимур Ильхам оглы»; on «Организация» it renamed the curator, making
every document naming him anew."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from service.config import load_settings
from service.home import initialise_home
from service.intake.demo import ORGANIZATION, write_filled_workbook
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Organization, Person
from tests.names_school import mentee_row, mentor_row, pair_row

APART, GLUED = "Мамедов Тимур Ильхам оглы", "Мамедов Тимур Ильхам-оглы"
GOAL = "Адаптация и рост"


def test_a_patronymic_particle_glued_by_a_hyphen_is_the_same_person(tmp_path: Path) -> None:
    settings = load_settings({"home": tmp_path, "database_url": ""})
    initialise_home(settings)
    september, january = tmp_path / "сентябрь.xlsx", tmp_path / "январь.xlsx"
    write_filled_workbook(
        september,
        organization={**ORGANIZATION, "Куратор (ФИО)": APART},
        mentors=[mentor_row("Н-01", APART, date(1976, 6, 30), "педагог", "учитель физики")],
        mentees=[
            mentee_row("У-01", "Лев Михаил Аркадьевич", date(2001, 3, 3), "педагог", "учитель")
        ],
        pairs=[pair_row("П-01", APART, "Лев Михаил Аркадьевич", "Учитель – учитель")],
    )
    assert process_workbook(settings, september).outcome == Outcome.DONE
    write_filled_workbook(
        january,
        organization={**ORGANIZATION, "Куратор (ФИО)": GLUED},
        mentees=[
            mentee_row("У-02", "Бах Елизавета Андреевна", date(2002, 7, 7), "педагог", "учитель")
        ],
        pairs=[
            pair_row(
                "П-02",
                GLUED,
                "Бах Елизавета Андреевна",
                "Учитель – учитель",
                term=(date(2024, 1, 15), date(2024, 5, 31)),
            )
        ],
    )
    result = process_workbook(settings, january)
    assert result.outcome == Outcome.DONE, result.message
    made = sorted((e.kind, e.subject) for e in result.entries)
    assert made == [
        ("consent_adult", "Бах Елизавета Андреевна"),
        ("consent_dissemination", "Бах Елизавета Андреевна"),
        ("mentor_consent", APART),
        ("order_pairs", "МБОУ Идринская СОШ"),
        ("program", "П-02"),
    ]
    with session_scope(settings.database_url) as session:
        names = session.scalars(select(Person.full_name).where(Person.full_name.like("Мамедов%")))
        assert list(names) == [APART]
        assert session.scalars(select(Organization.curator_name)).one() == APART
