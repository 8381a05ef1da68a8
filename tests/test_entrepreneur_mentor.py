"""An external mentor whose workplace is her own ИП (a farm head, an individual entrepreneur):
the order on pairs read «Гребенщикова Ольга Павловна, глава крестьянского (фермерского)
хозяйства ИП Гребенщиковой Ольги Павловны» (left12) — a comma where the other rows have
brackets, and her name twice. Her own ИП is not printed after her name: the position alone, or
«индивидуальный предприниматель» without one; every row of the table reads «ФИО (…)»."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from service.documents.catalogue import BY_ID
from service.documents.context import person_context
from service.documents.derived import derived_values
from service.documents.render import render_document
from service.documents.sample import sample_context
from service.documents.text import docx_text
from service.register import models as m

TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"
NAME = "Гребенщикова Ольга Павловна"


def mentor(position: str, workplace: str, name: str = NAME) -> dict:
    person = m.Person(
        role="mentor",
        full_name=name,
        sex="ж",
        birth_date=date(1978, 4, 2),
        category="сотрудник предприятия",
        position=position,
        workplace=workplace,
        is_external=True,
    )
    return person_context(person, date(2023, 10, 1))


def pairs_row(person: dict) -> str:
    """The row of the order on pairs whose mentor is ``person``."""
    context = sample_context("order_pairs")
    context["pairs"][1]["mentor"] = person
    context.update(derived_values("order_pairs", context))
    text = docx_text(render_document(TEMPLATES, BY_ID["order_pairs"], context))
    return next(line for line in text.splitlines() if person["name"] in line)


@pytest.mark.parametrize(
    ("position", "workplace", "cell"),
    [
        (
            "глава крестьянского (фермерского) хозяйства",
            "ИП Гребенщикова Ольга Павловна",
            f"{NAME} (глава крестьянского (фермерского) хозяйства)",
        ),
        (
            "индивидуальный предприниматель",
            "ИП Гребенщикова О.П.",
            f"{NAME} (индивидуальный предприниматель)",
        ),
        (
            "",
            "ИНДИВИДУАЛЬНЫЙ ПРЕДПРИНИМАТЕЛЬ ГРЕБЕНЩИКОВА О. П.",
            f"{NAME} (индивидуальный предприниматель)",
        ),
        # another person's ИП is her workplace, in the genitive
        (
            "агроном",
            "ИП Гребенщиков Олег Петрович",
            f"{NAME} (агроном ИП Гребенщикова Олега Петровича)",
        ),
    ],
)
def test_her_own_ip_is_not_printed_after_her_name(position, workplace, cell):
    row = pairs_row(mentor(position, workplace))
    assert row.split(" | ")[1] == cell
