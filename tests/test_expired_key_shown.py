"""A signing key whose certificate has expired read «действует» on the administrator's page
(play22: in March 2028 the keys issued in September 2026 and February 2027, each for a year, were
all «действует», while the director's queue said he had no key in force and signing refused).
The page says the term is over and that a new certificate is needed; there is nothing left to
revoke. Real SQLite, the web app."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Signer
from service.web.filters import ru_date, utc
from tests.web_school import login, password_of


def state_cells(client) -> list[str]:
    page = client.get("/admin/").get_data(as_text=True)
    table = page[page.index('<table id="signers"') : page.index("</table>", page.index("signers"))]
    cells = re.findall(r'<td data-label="Состояние">(.*?)</td>', table, re.S)
    return [
        html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c))).replace("\xa0", " ").strip()
        for c in cells
    ]


def test_an_expired_key_is_shown_as_expired(client, web_school):
    login(client, "admin", password_of("admin"))
    [before] = state_cells(client)
    assert before.startswith("действует")
    ended = (datetime.now(UTC) - timedelta(days=30)).replace(tzinfo=None, microsecond=0)
    with session_scope(web_school.settings.database_url) as s:
        key = s.scalars(select(Signer)).one()
        key.not_before = ended - timedelta(days=365)
        key.not_after = ended
    [after] = state_cells(client)
    day = ru_date(utc(ended)).replace("\xa0", " ")
    assert after == (
        f"срок сертификата истёк {day}: ключом не подписать — выпустите новый сертификат "
        "(«Выпустить сертификат подписанта» ниже)"
    )
