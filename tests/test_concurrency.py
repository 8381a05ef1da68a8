"""Two signers at once through the API of a real ``nastavnik serve`` (waitress threads, real
SQLite): every request answers 200 and every signature lands; never «database is locked»."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from service.documents.catalogue import BY_ID
from service.register.db import session_scope
from service.register.models import Document
from service.register.users import find_user, issue_api_token
from service.signing.workflow import pending_documents
from tests.servers import Server
from tests.web_school import KEY_PASSWORD, NAMES, issue_key

CURATOR_KEY = "ключ-куратора-3"


def call(url: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_director_and_curator_sign_at_once_through_the_api(web_school):
    settings = web_school.settings
    issue_key(
        settings, "curator", NAMES["curator"], "Заместитель директора", "curator", CURATOR_KEY
    )
    with session_scope(settings.database_url) as s:
        tokens = {
            login: issue_api_token(s, find_user(s, login)) for login in ("director", "curator")
        }
        # documents each signs as they are, in any order (no appendix waiting for its order)
        queues = {
            "director": [
                d.id
                for d in pending_documents(s, "director")
                if BY_ID[d.kind].is_order or d.kind == "contract_external"
            ],
            "curator": [d.id for d in pending_documents(s, "curator") if d.kind == "report_pair"],
        }
    assert len(queues["director"]) == 6 and len(queues["curator"]) >= 2
    passwords = {"director": KEY_PASSWORD, "curator": CURATOR_KEY}
    jobs = [(login, i) for login, ids in queues.items() for i in ids]
    server = Server(settings.home)
    try:
        with ThreadPoolExecutor(len(jobs)) as pool:
            answers = list(
                pool.map(
                    lambda job: call(
                        f"{server.url}/api/documents/{job[1]}/sign",
                        tokens[job[0]],
                        {"password": passwords[job[0]]},
                    ),
                    jobs,
                )
            )
        too_big = call(f"{server.url}/api/documents/99999999999999999999", tokens["director"])
    finally:
        server.stop()
    assert [status for status, _ in answers] == [200] * len(jobs), answers
    assert all(body["message"].startswith("Подписан: ") for _, body in answers)
    with session_scope(settings.database_url) as s:
        for login, document_id in jobs:
            roles = {sig.role for sig in s.get(Document, document_id).signatures}
            assert login in roles, (login, document_id)
    assert too_big == (404, {"error": "Не найдено: такой страницы или документа нет."})
