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
from service.register.disabling import disable_user
from service.register.models import Signer
from service.register.users import find_user
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


def test_an_expired_key_renewed_or_of_a_user_switched_off_asks_for_nothing(client, web_school):
    """The director left (switched off) with her key expired since, or the administrator
    issued a new one: the old key's row says so, not «выпустите новый сертификат»."""
    login(client, "admin", password_of("admin"))
    ended = (datetime.now(UTC) - timedelta(days=30)).replace(tzinfo=None, microsecond=0)
    with session_scope(web_school.settings.database_url) as s:
        key = s.scalars(select(Signer)).one()
        key.not_before, key.not_after = ended - timedelta(days=365), ended
        renewed = Signer(
            **{c.name: getattr(key, c.name) for c in Signer.__table__.columns if c.name != "id"}
        )
        renewed.serial, renewed.not_before = "0A" + key.serial[2:], ended
        renewed.not_after = ended + timedelta(days=365)
        s.add(renewed)
    day = ru_date(utc(ended)).replace("\xa0", " ")
    assert state_cells(client)[-1] == f"срок сертификата истёк {day}: выпущен новый"
    with session_scope(web_school.settings.database_url) as s:
        s.delete(s.scalars(select(Signer).where(Signer.not_after > datetime.now())).one())
        disable_user(s, find_user(s, "director"), actor="admin")
    assert state_cells(client) == [f"срок сертификата истёк {day}, пользователь отключён"]
