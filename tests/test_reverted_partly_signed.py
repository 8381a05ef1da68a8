"""Content put back to a version the director signed that still awaits another signature.

A contract with an external mentor is signed by the director and then, on paper, by the
mentor; a pair's programme by the director, the curator, the mentor and the mentee. Such a
document often waits weeks with the director's signature alone. A workbook naming a new
curator made its next version (the signed one superseded); the next workbook put the curator
back. Before, a third version with the first one's text was made and the director had to sign
again what she had signed. Now the drafts are withdrawn and the version she signed is current
again, awaiting the others' signatures, her signature kept."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.intake import demo
from service.register.db import session_scope
from service.register.models import Signature
from service.register.users import add_user
from service.signing.workflow import pending_documents
from service.web import create_app
from tests.signing_calls import sign_documents
from tests.test_reissued_appendices import NEW_CURATOR
from tests.test_reverted_content import versions
from tests.test_school_year import parameters
from tests.test_signing_workflow import DIRECTOR_PASSWORD, school  # noqa: F401
from tests.test_year_results import Outcome, process
from tests.web_school import NAMES, login, password_of

CONTRACT = "contract_external"


def signatures(settings, document_id: int) -> list[tuple[str, str]]:
    with session_scope(settings.database_url) as s:
        return [
            tuple(row)
            for row in s.execute(
                select(Signature.role, Signature.sha256).where(Signature.document_id == document_id)
            )
        ]


def queue(settings, login: str) -> list[tuple[str, int]]:
    with session_scope(settings.database_url) as s:
        return sorted((d.kind, d.version) for d in pending_documents(s, login))


@pytest.mark.postgresql
def test_put_back_to_a_version_awaiting_others_keeps_the_directors_signature(
    school,  # noqa: F811
    tmp_path,
):
    (first,) = versions(school, CONTRACT)
    [signed] = sign_documents(school, "director", [first.id], DIRECTOR_PASSWORD)
    assert signed.ok, signed.message
    (first,) = versions(school, CONTRACT)  # as signed (the bytes she signed)
    mine = signatures(school, first.id)
    assert [role for role, _ in mine] == ["director"]
    assert (CONTRACT, 1) not in queue(school, "director")

    moved = process(school, tmp_path / "1.xlsx", {"Организация": parameters(NEW_CURATOR)})
    assert moved.outcome == Outcome.DONE, moved.message
    assert [(v.version, str(v.status)) for v in versions(school, CONTRACT)] == [
        (1, "superseded"),
        (2, "awaiting_signature"),
    ]
    assert (CONTRACT, 2) in queue(school, "director")

    back = process(school, tmp_path / "2.xlsx", {"Организация": parameters(demo.ORGANIZATION)})
    assert back.outcome == Outcome.DONE, back.message
    assert [(v.version, str(v.status)) for v in versions(school, CONTRACT)] == [
        (1, "awaiting_signature"),
        (2, "superseded"),
    ]
    assert signatures(school, first.id) == mine
    assert versions(school, CONTRACT)[0].sha256 == first.sha256
    assert [k for k in queue(school, "director") if k[0] == CONTRACT] == []
    assert (CONTRACT, "Орлов Дмитрий Андреевич") not in {(e.kind, e.subject) for e in back.entries}

    # the same content once more (its rows in another order: another file): nothing new
    same = {"Организация": parameters(dict(reversed(demo.ORGANIZATION.items())))}
    again = process(school, tmp_path / "3.xlsx", same)
    assert again.outcome == Outcome.DONE, again.message
    assert [(v.version, str(v.status)) for v in versions(school, CONTRACT)] == [
        (1, "awaiting_signature"),
        (2, "superseded"),
    ]
    assert CONTRACT not in {e.kind for e in again.entries}


def test_the_batch_page_lists_its_documents_then_the_withdrawn_drafts(school, tmp_path):  # noqa: F811
    """The secretary's page of a batch that made documents and withdrew drafts: its table
    right under «Документы пакета», then «Отозваны черновики» saying that a version signed by
    some awaits the others again, their signatures kept."""
    (first,) = versions(school, CONTRACT)
    [signed] = sign_documents(school, "director", [first.id], DIRECTOR_PASSWORD)
    assert signed.ok, signed.message
    moved = process(school, tmp_path / "1.xlsx", {"Организация": parameters(NEW_CURATOR)})
    back = process(school, tmp_path / "2.xlsx", {"Организация": parameters(demo.ORGANIZATION)})
    assert back.outcome == Outcome.DONE, back.message
    with session_scope(school.database_url) as s:
        add_user(s, "secretary2", NAMES["secretary"], ["secretary"], password_of("secretary"))
    web = create_app(school, {"WTF_CSRF_ENABLED": False}).test_client()
    login(web, "secretary2", password_of("secretary"))
    page = web.get(f"/secretary/batches/{back.batch_id}").get_data(as_text=True)
    heading = page.index("<h2>Документы пакета (")
    assert heading < page.index('<table id="documents"') < page.index("<h2>Отозваны черновики (")
    assert (
        "Если её подписали ещё не все, она снова ждёт остальных подписей; поставленные подписи "
        "сохранены."
    ) in page
    assert (
        "<li>Договор о сотрудничестве — Орлов Дмитрий Андреевич: версия 2 отозвана, действует "
        "версия 1</li>"
    ) in page
    # the batch that made the drafts: each withdrawn one says so, not «заменён новой версией»
    # (no newer version was made)
    made = web.get(f"/secretary/batches/{moved.batch_id}").get_data(as_text=True)
    row = made[made.index('<td class="title">Договор о сотрудничестве</td>') :]
    row = row[: row.index("</tr>")]
    assert "отозван: действует версия 1</td>" in row
    withdrawn = int(back.message.split("(действует подписанная версия): ")[1].split(";")[0])
    assert made.count("отозван: действует версия 1</td>") == withdrawn == 1  # the contract
