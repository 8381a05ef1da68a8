"""The director changes mid-year: the administrator makes the new director a user and issues
her key. Found by a played school year (play11): the key was issued, ФИО left empty, before the
workbook named the new director — and the certificate of the new director's login said the
former director's name, so the new director could sign as him. Real CA, SQLite, openssl."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Event, Organization, Signer
from service.register.users import add_user
from tests.test_signing_cli import run
from tests.web_school import CA_PASSWORD, login

NEW = "Мамедов Эльчин Рашид оглы"
REFUSED = (
    "Сертификат не выпущен: пользователь «mamedov» — Мамедов Эльчин Рашид оглы, а сертификат "
    "был бы выдан на имя «Кинякина Татьяна Игоревна» (руководитель школы в реестре — "
    "«Кинякина Татьяна Игоревна»), и этим ключом Мамедов Эльчин Рашид оглы подписывал(а) бы "
    "документы от чужого имени. Если руководство сменилось, сначала обработайте книгу школы с "
    "новым ФИО (лист «Организация», «Руководитель (ФИО)»), затем выпустите сертификат. Если "
    "ФИО в учётной записи набрано с ошибкой, исправьте его («Изменить» на странице "
    'администратора, nastavnik user edit mamedov --name "…").'
)


def texts(response) -> str:
    page = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return html.unescape(re.sub(r"\s+", " ", page))


def keys_and_events(settings) -> tuple[list[tuple[str, str]], int]:
    with session_scope(settings.database_url) as s:
        keys = [(k.user.login, k.full_name) for k in s.scalars(select(Signer).order_by(Signer.id))]
        return keys, len(s.scalars(select(Event.id)).all())


def test_the_new_directors_key_is_not_issued_in_the_former_directors_name(client, web_school):
    settings = web_school.settings
    with session_scope(settings.database_url) as s:
        add_user(s, "mamedov", NEW, ["director"], "пароль-мамедова-1")
    before = keys_and_events(settings)
    login(client, "admin")
    form = {"login": "mamedov", "role": "director", "full_name": "", "position": ""}
    form |= {
        "ca_password": CA_PASSWORD,
        "password": "временный-2",
        "password_repeat": "временный-2",
    }
    page = client.post("/admin/signers", data=form)
    assert page.status_code == 409 and REFUSED in texts(page)
    command = run(
        settings.home,
        "signer",
        "add",
        "--user",
        "mamedov",
        "--password-stdin",
        stdin=f"{CA_PASSWORD}\nвременный-2\n",
    )
    assert (command.returncode, command.stdout, command.stderr) == (1, "", f"Ошибка: {REFUSED}\n")
    assert keys_and_events(settings) == before
    # once the school's workbook names him, his key is issued in his name
    with session_scope(settings.database_url) as s:
        s.get(Organization, 1).head_name = NEW
    issued = client.post("/admin/signers", data=form, follow_redirects=True)
    assert issued.status_code == 200 and f"Сертификат выпущен: {NEW}, №" in texts(issued)
    assert keys_and_events(settings)[0] == before[0] + [("mamedov", NEW)]
