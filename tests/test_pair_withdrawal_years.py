"""A pair of an earlier school year is not withdrawn (attack22): П-02 of 2023–2024, ended
31.05.2024, was withdrawn from a register in 2024–2025 — its programme left the queue, the
pair was marked «исключена», while the order on pairs of 2023–2024 and the other documents
of that year, never made again, still named it; the confirmation had promised them made
again without it."""

from __future__ import annotations

import datetime

import pytest
from sqlalchemy import select

from service.errors import Conflict
from service.pair_withdrawal import withdrawal_plan
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Pair
from service.web import create_app
from tests.cli import nastavnik
from tests.test_year_terms import NEXT_YEAR, PAIR_HEADER, p01
from tests.web_school import login, make_users
from tests.workbooks import valid_sheets, write_workbook

REFUSAL = (
    "Пару «П-02» нельзя исключить: её срок закончился 31.05.2024, до 2024–2025 учебного "
    "года, который ведёт реестр. Документы прошлых учебных лет заново не составляются — "
    "программа и приказы того года по-прежнему называли бы её. Исключить можно только пару "
    "текущего учебного года."
)


def test_a_pair_of_an_earlier_school_year_is_not_withdrawn(settings, tmp_path):
    sheets = valid_sheets()
    sheets["Наставляемые"].append(
        ["У-02", "Кузнецов Павел Андреевич", datetime.date(2000, 2, 3), "молодой специалист"]
        + ["учитель физики", None]
    )
    second = list(sheets["Пары"][1])
    second[0], second[2] = "П-02", "Кузнецов Павел Андреевич"
    sheets["Пары"].append(second)
    done = process_workbook(settings, write_workbook(tmp_path / "2023.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    next_year = {"Организация": NEXT_YEAR, "Пары": [PAIR_HEADER, p01("Н-01", "У-01")]}
    done = process_workbook(settings, write_workbook(tmp_path / "2024.xlsx", next_year))
    assert done.outcome == Outcome.DONE, done.message

    with pytest.raises(Conflict) as refused:
        withdrawal_plan(settings, "П-02")
    assert refused.value.message == REFUSAL
    cli = nastavnik("--home", str(settings.home), "withdraw-pair", "П-02", "--yes")
    assert cli.returncode == 1 and f"Ошибка: {REFUSAL}" in cli.stderr
    make_users(settings)
    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "secretary")
    page = client.get("/secretary/pairs/withdraw?code=П-02")
    assert page.status_code == 409 and REFUSAL in page.get_data(as_text=True)
    posted = client.post("/secretary/pairs/withdraw", data={"code": "П-02"})
    assert posted.status_code == 409
    with session_scope(settings.database_url) as s:
        assert s.scalars(select(Pair.withdrawn_at).where(Pair.code == "П-02")).one() is None
    # the pair of this year (П-01 goes on in 2024–2025) is withdrawn as before
    assert withdrawal_plan(settings, "П-01").code == "П-01"
