"""The curator's card of a pair said nothing of how its programme ended (play22: П-04, its
mentee moved to another school in December — «Итоги» «завершена досрочно» — read «Срок с 15
сентября 2026 г. по 25 мая 2027 г.» and no more, while its earlier terms' «Итоги» are shown).
The card shows the present term's «Итоги»: the status, the reason, what was achieved; «не
представлены» when there are none. Real SQLite, the web app on the demo school."""

from __future__ import annotations

import re

from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Pair
from tests.test_director_change import texts
from tests.web_school import login, password_of


def results_row(client, pair_id: int) -> str:
    page = texts(client.get(f"/curator/pairs/{pair_id}"))
    return re.search(r"Итоги (.*?) Документы пары", page).group(1)


def test_the_pair_card_shows_its_results(client, web_school):
    login(client, "curator", password_of("curator"))
    with session_scope(web_school.settings.database_url) as s:
        ids = {p.code: p.id for p in s.scalars(select(Pair))}
    assert results_row(client, ids["П-04"]) == (
        "Завершена досрочно (наставляемый перешёл в другую школу в апреле 2024 г.). Проведено "
        "10 встреч, две экскурсии на производство, проект выполнен на 70 %."
    )
    assert results_row(client, ids["П-02"]) == "не представлены"
