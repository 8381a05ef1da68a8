"""A document the director has signed cannot be returned by him. A pair's programme is
approved by the director and then signed by the curator: while it waited for the curator, the
director's page still offered «Вернуть на доработку», and the return was taken — his signed
approval went to the secretary as «возвращён директором» (found by the last session)."""

from __future__ import annotations

import re

from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Document, DocumentStatus, Event
from tests.signing_calls import sign_documents
from tests.test_users_cli import run
from tests.test_web_pages import texts
from tests.web_school import KEY_PASSWORD, login

REFUSED = re.compile(
    r"Документ «Персонализированная программа наставничества — П-01» нельзя вернуть: вы уже "
    r"подписали его \d\d\.\d\d\.\d{4} в \d\d:\d\d\. Вернуть его может тот, чьей подписи он "
    r"ждёт\."
)


def test_the_director_cannot_return_a_programme_he_signed(client, web_school):
    program = web_school.doc_id("program")
    [signed] = sign_documents(web_school.settings, "director", [program], KEY_PASSWORD)
    assert signed.ok, signed.message
    login(client, "director")
    page = client.get(f"/director/documents/{program}").get_data(as_text=True)
    assert f"/director/documents/{program}/return" not in page

    confirm = client.post(f"/director/documents/{program}/return/confirm", data={"comment": "Х"})
    assert confirm.status_code == 409
    assert REFUSED.search(texts(confirm)), texts(confirm)
    sent = client.post(f"/director/documents/{program}/return", data={"comment": "Х"})
    assert sent.status_code == 302
    assert REFUSED.search(texts(client.get(sent.location)))

    issued = client.post("/account/token")
    token = re.search(r'id="api-token">([^<]+)<', client.get(issued.location).get_data(True))
    bearer = {"Authorization": f"Bearer {token.group(1)}"}
    api = client.application.test_client().post(
        f"/api/documents/{program}/return", data={"comment": "Х"}, headers=bearer
    )
    assert api.status_code == 409
    assert REFUSED.fullmatch(api.get_json()["error"]), api.get_json()

    cli = run(
        web_school.settings.home, "return", str(program), "--comment", "Х", "--user", "director"
    )
    assert cli.returncode != 0
    assert REFUSED.search(cli.stderr), cli.stderr

    with session_scope(web_school.settings.database_url) as s:
        assert s.get(Document, program).status == DocumentStatus.AWAITING_SIGNATURE
        kinds = s.scalars(select(Event.kind).where(Event.document_id == program)).all()
    assert "document_returned" not in kinds
