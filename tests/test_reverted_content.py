"""Content put back to what the director signed: no new version, the drafts after the signed
version are withdrawn and the signed version is the current one again.

The director signs the implementation order (№ 1/26); a workbook names a new curator (v2,
«Признать утратившим силу приказ … № 1/26», awaiting her signature); then the secretary sends
the original «Организация» back. Before, a v3 was made — the order in force made again and
declaring itself void — and the director had to sign again what she had signed."""

from __future__ import annotations

import io
import json
import os
import threading
from datetime import date

import pytest
from flask import url_for
from sqlalchemy import func, select

from service import versions as versions_module
from service.archive.section12 import completeness
from service.documents.catalogue import BY_ID
from service.dryrun import dry_run
from service.intake import demo
from service.register import db as register_db
from service.register.db import session_scope
from service.register.models import Batch, Document, DocumentStatus, Event, Signature
from service.register.queries import previous_version
from service.register.users import add_user
from service.signing.errors import SigningError
from service.signing.returning import resubmit_document
from service.web import create_app
from tests import cli
from tests.signing_calls import attach_scan, return_document, sign_documents
from tests.test_reissued_appendices import APPENDICES, NEW_CURATOR
from tests.test_reissued_orders import sign_latest
from tests.test_reissued_orders import versions as all_versions
from tests.test_school_year import parameters
from tests.test_sign_during_batch import _start_signer_and_wait
from tests.test_signing_workflow import DIRECTOR_PASSWORD, build_school, school  # noqa: F401
from tests.test_year_register import docx_text_of
from tests.test_year_results import PAIR_HEADER, Outcome, p02, process
from tests.web_school import NAMES, login, password_of
from tests.workbooks import write_workbook

ORDER = ("order_implementation", *APPENDICES)
PARTLY = "report_final"


def sign_the_schools_documents(settings) -> None:
    """The director signs every document of the school itself (its orders and appendices)."""
    with session_scope(settings.database_url) as s:
        ids = s.scalars(
            select(Document.id).where(
                Document.status == DocumentStatus.AWAITING_SIGNATURE,
                Document.subject_label == "МБОУ Идринская СОШ",
            )
        ).all()
    results = sign_documents(settings, "director", ids, DIRECTOR_PASSWORD)
    assert [r.message for r in results if not r.ok] == []


def versions(settings, kind: str, subject_key: str | None = None) -> list[Document]:
    """The versions of ``kind`` (of one subject when given), oldest first."""
    return [v for v in all_versions(settings, kind) if subject_key in (None, v.subject_key)]


def states(settings, kinds) -> dict[str, list[tuple[int, str]]]:
    return {k: [(v.version, str(v.status)) for v in versions(settings, k)] for k in kinds}


def signed_state(settings) -> dict[str, tuple]:
    """Each signed version as it was signed: id, file, number, date, its signatures."""
    found = {}
    with session_scope(settings.database_url) as s:
        kinds = s.scalars(select(Document.kind).where(Document.status == "signed")).all()
    with session_scope(settings.database_url) as s:
        for kind in kinds:
            first = versions(settings, kind)[0]
            signatures = s.scalars(
                select(Signature.sha256).where(Signature.document_id == first.id)
            ).all()
            found[kind] = (first.id, first.sha256, first.number, first.reg_date, signatures)
    return found


def signed_then_new_curator(settings, folder) -> None:
    """:func:`build_school`; the director signs the school's documents; then a workbook names a
    new curator (v2 of each, awaiting her signature). The signed versions stay as signed."""
    build_school(settings, folder)
    sign_the_schools_documents(settings)
    before = signed_state(settings)
    moved = process(settings, folder / "1.xlsx", {"Организация": parameters(NEW_CURATOR)})
    assert moved.outcome == Outcome.DONE, moved.message
    assert signed_state(settings) == before


@pytest.fixture
def new_curator(homes, database_kind, tmp_path, request):
    """A copy of the school after :func:`signed_then_new_curator` (built once per session,
    tests/homes.py)."""
    return homes.copy(request, signed_then_new_curator, database_kind, tmp_path / "home")


def last_batch(settings) -> int:
    with session_scope(settings.database_url) as s:
        return s.scalar(select(func.max(Batch.id)))


@pytest.mark.postgresql
def test_content_put_back_to_the_signed_text_withdraws_the_draft(new_curator, tmp_path):
    school = new_curator  # noqa: F811
    before = signed_state(school)  # as signed: the new curator changed none of it (the build)
    moved_batch = last_batch(school)  # the new curator's
    with session_scope(school.database_url) as s:
        kinds = set(
            s.scalars(
                select(Document.kind).where(
                    Document.batch_id == moved_batch,
                    Document.subject_label == "МБОУ Идринская СОШ",
                )
            )
        )
    kinds &= set(before)  # the signed ones (the final report waits for the curator)
    assert kinds >= set(ORDER) and "order_coordinators" in kinds  # the curator's orders too
    assert states(school, kinds) == {k: [(1, "signed"), (2, "awaiting_signature")] for k in kinds}
    # the final report the director signed, awaiting the curator's signature: hers is kept too
    # (tests/test_reverted_partly_signed.py)
    assert states(school, [PARTLY]) == {PARTLY: [(1, "superseded"), (2, "awaiting_signature")]}
    drafts = {k: versions(school, k)[-1].id for k in (*kinds, PARTLY)}

    original = {"Организация": parameters(demo.ORGANIZATION)}
    preview = dry_run(school, write_workbook(tmp_path / "0.xlsx", original))
    assert (preview.refusal, preview.new_documents) == (None, [])
    with session_scope(school.database_url) as s:
        add_user(s, "secretary2", NAMES["secretary"], ["secretary"], password_of("secretary"))
    app = create_app(school, {"WTF_CSRF_ENABLED": False})
    web = app.test_client()
    login(web, "secretary2", password_of("secretary"))
    checked = web.post(
        "/secretary/check",
        data={"workbook": (io.BytesIO((tmp_path / "0.xlsx").read_bytes()), "0.xlsx")},
        content_type="multipart/form-data",
    )
    assert checked.status_code == 200
    page = checked.get_data(as_text=True)
    table = page[
        page.index('<table id="withdrawn">') : page.index(
            "</table>", page.index('<table id="withdrawn">')
        )
    ]
    assert table.count("<tr><td>") == len(kinds) + 1
    assert f"<tr><td>{BY_ID[PARTLY].title}</td><td>МБОУ Идринская СОШ</td><td>1</td></tr>" in table
    assert (
        f"<tr><td>{BY_ID['regulation'].title}</td><td>МБОУ Идринская СОШ</td><td>1</td></tr>"
        in table
    )
    assert (
        f"<td>{BY_ID['order_implementation'].title}</td><td>МБОУ Идринская СОШ</td><td>"
        not in page.split('<table id="withdrawn">')[0]
    )
    back = process(school, tmp_path / "2.xlsx", original)
    assert back.outcome == Outcome.DONE, back.message
    # the dry run's answer is the real run's: the documents nobody signed (a mentor's
    # programme names the curator too) get their next version, the signed ones none
    with session_scope(school.database_url) as s:
        made = s.execute(
            select(Document.kind, Document.subject_label).where(Document.batch_id == back.batch_id)
        ).all()
    assert sorted((c.title, c.subject, c.version) for c in preview.new_versions) == sorted(
        (BY_ID[kind].title, subject, 3) for kind, subject in made
    )
    assert len(made) > 0 and not {kind for kind, _ in made} & {*kinds, PARTLY}
    assert sorted((c.title, c.subject, c.version) for c in preview.withdrawn) == sorted(
        (BY_ID[kind].title, "МБОУ Идринская СОШ", 1) for kind in (*kinds, PARTLY)
    )
    assert (
        f"Черновиков, которые будут отозваны (действует подписанная версия): {len(kinds) + 1}."
        in preview.summary()
    )
    assert (
        f"\n  {BY_ID['order_implementation'].title} — МБОУ Идринская СОШ: "
        "действует подписанная версия 1\n" in preview.to_text()
    )

    assert states(school, kinds) == {k: [(1, "signed"), (2, "superseded")] for k in kinds}
    assert states(school, [PARTLY]) == {PARTLY: [(1, "awaiting_signature"), (2, "superseded")]}
    assert signed_state(school) == before
    with session_scope(school.database_url) as s:
        withdrawn = s.scalars(select(Event).where(Event.kind == "draft_withdrawn")).all()
        assert sorted(e.document_id for e in withdrawn) == sorted(drafts.values())
        assert {e.batch_id for e in withdrawn} == {back.batch_id}

    env = {**os.environ, "NASTAVNIK_DATABASE_URL": school.database_url}
    listed = cli.nastavnik(
        "--home", str(school.home), "documents", "--kind", "order_implementation", "--json", env=env
    )
    assert listed.returncode == 0, listed.stderr
    ledger = cli.nastavnik("--home", str(school.home), "ledger", "verify", env=env)
    assert ledger.returncode == 0, ledger.stdout + ledger.stderr
    [current] = json.loads(listed.stdout)
    assert (current["id"], current["version"], current["status"], current["number"]) == (
        before["order_implementation"][0],
        1,
        "signed",
        before["order_implementation"][2],
    )

    with session_scope(school.database_url) as s:
        for role in ("director", "curator", "inspector"):  # the secretary is added above
            add_user(s, f"{role}2", NAMES[role], [role], password_of(role))
        sheet = {row.kind.id: row.document.id for row in completeness(s) if row.document}
    signed_ids = {kind: before[kind][0] for kind in kinds}
    assert {k: sheet[k] for k in kinds if k in sheet} == {
        k: signed_ids[k] for k in kinds if k in sheet
    }
    assert "order_implementation" in sheet and "regulation" in sheet
    with app.test_request_context():
        download = {i: url_for("files.download", document_id=i) for i in drafts.values()}
        download |= {i: url_for("files.download", document_id=i) for i in signed_ids.values()}
    pages = {
        "director2": ["/director/"],
        "curator2": ["/curator/?kind=order_implementation", "/curator/?kind=regulation"],
        "inspector2": ["/inspector/"],
    }
    for user, urls in pages.items():
        client = app.test_client()
        login(client, user, password_of(user[:-1]))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.get_data(as_text=True)
            for draft in drafts.values():
                assert f'/director/documents/{draft}"' not in page, url
                assert f'{download[draft]}"' not in page, url
            if user == "director2":  # her draft, opened from an old link, says what happened
                draft = client.get(f"/director/documents/{drafts['order_implementation']}")
                assert (
                    '<strong class="status status-superseded">отозван: содержание снова как у '
                    "подписанной версии 1, действует она</strong>"
                ) in draft.get_data(as_text=True)
            else:
                kind = url.rsplit("=", 1)[-1] if "=" in url else "order_implementation"
                assert f'{download[signed_ids[kind]]}"' in page, url
    assert back.message.endswith(
        f"; отозвано черновиков (действует подписанная версия): {len(kinds) + 1}; папка "
        f"outbox/{back.folder.name}."
    )
    web = app.test_client()
    login(web, "secretary2", password_of("secretary"))
    page = web.get(f"/secretary/batches/{back.batch_id}").get_data(as_text=True)
    assert (
        f"<li>{BY_ID['order_implementation'].title} — МБОУ Идринская СОШ: версия 2 отозвана, "
        "действует версия 1</li>"
    ) in page
    assert page.count("отозвана, действует версия 1</li>") == len(kinds) + 1
    assert web.get(f"/api/batches/{back.batch_id}").get_json()["drafts_withdrawn"] == len(kinds) + 1
    # the API says the same of the withdrawn draft, not «заменён новой версией»
    draft = web.get(f"/api/documents/{drafts['order_implementation']}").get_json()
    assert (draft["status"], draft["status_name"], draft["in_force_version"]) == (
        "superseded",
        "отозван: содержание снова как у подписанной версии 1, действует она",
        1,
    )
    listed = web.get("/api/documents?status=superseded&kind=order_implementation")
    listed = listed.get_json()["documents"]
    assert [(d["version"], d["status_name"], d["in_force_version"]) for d in listed] == [
        (2, "отозван: содержание снова как у подписанной версии 1, действует она", 1)
    ]
    signed = web.get(f"/api/documents/{signed_ids['order_implementation']}").get_json()
    assert (signed["status_name"], signed["in_force_version"]) == ("подписан", None)
    # the same content once more: still nothing new, and nothing left to withdraw
    # (its rows in another order: another file, the same data)
    same = {"Организация": parameters(dict(reversed(demo.ORGANIZATION.items())))}
    checked = dry_run(school, write_workbook(tmp_path / "4.xlsx", same))
    assert (checked.duplicate, checked.new_versions, checked.withdrawn) == (None, [], [])
    again = process(school, tmp_path / "3.xlsx", same)
    assert again.outcome == Outcome.DONE, again.message
    assert states(school, kinds) == {k: [(1, "signed"), (2, "superseded")] for k in kinds}


@pytest.mark.postgresql
def test_the_director_signing_the_draft_while_a_batch_puts_the_content_back(
    new_curator, tmp_path, monkeypatch
):
    """The director has the draft open and signs it at the moment a batch puts back the signed
    content: the batch holds the register, so it withdraws the draft first and her signing is
    refused with a message (not a 500); the order in force stays signed, once."""
    school = new_curator  # noqa: F811
    [signed, draft] = versions(school, "order_implementation")

    results: list = []
    signer = threading.Thread(
        target=lambda: results.extend(
            sign_documents(school, "director", [draft.id], DIRECTOR_PASSWORD)
        )
    )
    real = versions_module.latest_versions

    def latest_then_sign(session, wanted):
        found = real(session, wanted)
        # the batch has read the draft as awaiting her signature
        _start_signer_and_wait(school.database_url, signer)
        return found

    monkeypatch.setattr(versions_module, "latest_versions", latest_then_sign)
    monkeypatch.setattr(register_db, "BUSY_TIMEOUT_SECONDS", 600)
    back = process(school, tmp_path / "2.xlsx", {"Организация": parameters(demo.ORGANIZATION)})
    signer.join(120)
    assert not signer.is_alive()
    assert back.outcome == Outcome.DONE, back.message
    assert [(r.ok, r.message) for r in results] == [
        (
            False,
            f"Документ № {draft.id} не ожидает подписи (состояние: отозван: содержание снова "
            "как у подписанной версии 1, действует она).",
        )
    ]
    assert states(school, ["order_implementation"]) == {
        "order_implementation": [(1, "signed"), (2, "superseded")]
    }
    with session_scope(school.database_url) as s:
        assert s.scalars(select(Signature).where(Signature.document_id == draft.id)).all() == []
        assert s.get(Document, signed.id).number == signed.number


@pytest.mark.postgresql
def test_a_draft_signed_before_the_content_is_put_back_is_replaced_by_a_new_order(
    new_curator, tmp_path
):
    """Signed first, the new curator's order is the order in force: putting the old curator
    back is a change again, a new order declaring that one void."""
    school = new_curator  # noqa: F811
    second = sign_latest(school, "order_implementation")
    back = process(school, tmp_path / "2.xlsx", {"Организация": parameters(demo.ORGANIZATION)})
    assert back.outcome == Outcome.DONE, back.message
    assert states(school, ["order_implementation"]) == {
        "order_implementation": [(1, "signed"), (2, "signed"), (3, "awaiting_signature")]
    }
    third = versions(school, "order_implementation")[-1]
    assert f"№\xa0{second.number} «О внедрении" in docx_text_of(school, third.sha256)


SCAN = b"%PDF-1.4\n% scan of the paper original\n%%EOF\n"


def mentors(**changes) -> list[list]:
    """The demo's «Наставники» sheet, Н-01's row changed by ``changes``."""
    header = list(demo.MENTORS[0])
    rows = [dict(m, **changes) if m["Код"] == "Н-01" else m for m in demo.MENTORS]
    return [header, *[[row.get(column) for column in header] for row in rows]]


@pytest.mark.postgresql
def test_a_consent_put_back_to_its_signed_text_keeps_its_scan(school, tmp_path):  # noqa: F811
    """A consent signed on paper (its scan attached): a new address makes a draft for a new
    paper signature; the old address back withdraws it, the signed consent is current again."""
    with session_scope(school.database_url) as s:
        [consent] = s.scalars(
            select(Document).where(
                Document.kind == "consent_adult",
                Document.subject_label.startswith("Петрова Анна"),
            )
        ).all()
    attach_scan(school, consent.id, SCAN)
    moved = process(school, tmp_path / "1.xlsx", {"Наставники": mentors(Адрес="ул. Новая, 1")})
    assert moved.outcome == Outcome.DONE, moved.message
    [signed, draft] = versions(school, "consent_adult", consent.subject_key)
    assert (signed.id, signed.status, draft.status) == (consent.id, "signed", "generated")

    back = process(school, tmp_path / "2.xlsx", {"Наставники": mentors()})
    assert back.outcome == Outcome.DONE, back.message
    again = versions(school, "consent_adult", consent.subject_key)
    assert [(v.id, v.version, v.status, v.sha256) for v in again] == [
        (consent.id, 1, "signed", consent.sha256),
        (draft.id, 2, "superseded", draft.sha256),
    ]
    with session_scope(school.database_url) as s:
        scans = s.scalars(select(Signature.method).where(Signature.document_id == consent.id))
        assert list(scans) == ["paper"]
        [event] = s.scalars(select(Event).where(Event.kind == "draft_withdrawn")).all()
        assert (event.document_id, event.batch_id) == (draft.id, back.batch_id)
    # the secretary, with the withdrawn draft's paper in hand, is told why it takes no scan
    with pytest.raises(SigningError) as refused:
        attach_scan(school, draft.id, SCAN)
    assert refused.value.message == (
        f"К документу «{BY_ID['consent_adult'].title}» ({draft.subject_label}) скан не "
        "прикладывается: он отозван: содержание снова как у подписанной версии 1, действует она."
    )


@pytest.mark.postgresql
def test_an_order_put_back_with_a_change_its_text_does_not_show(school, tmp_path):  # noqa: F811
    """П-02's end date moved (a draft of the order on pairs) and then put back with its goal
    reworded, which the order on pairs does not print: its text is the signed one's, so the
    draft is withdrawn — not a new order identical to the one in force that declares it void."""
    first = sign_latest(school)
    moved = process(school, tmp_path / "1.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 5, 30))]})
    assert moved.outcome == Outcome.DONE, moved.message
    put_back = {"Пары": [PAIR_HEADER, p02(date(2024, 5, 24))]}
    preview = dry_run(school, write_workbook(tmp_path / "0.xlsx", put_back))
    order = BY_ID["order_pairs"].title
    assert [c.title for c in preview.new_versions if c.title == order] == []
    assert [(c.title, c.version) for c in preview.withdrawn] == [(order, 1)]
    back = process(school, tmp_path / "2.xlsx", put_back)
    assert back.outcome == Outcome.DONE, back.message
    assert [(v.id, v.status) for v in versions(school, "order_pairs")] == [
        (first.id, "signed"),
        (versions(school, "order_pairs")[1].id, "superseded"),
    ]
    # the same data again (another file: «Организация» as it is, too): nothing new
    same = {
        "Организация": parameters(demo.ORGANIZATION),
        "Пары": [PAIR_HEADER, p02(date(2024, 5, 24))],
    }
    again = process(school, tmp_path / "3.xlsx", same)
    assert again.outcome == Outcome.DONE, again.message
    assert len(versions(school, "order_pairs")) == 2

    # changed again later: the director's page compares the new order with the one in force
    moved = process(school, tmp_path / "4.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 5, 31))]})
    assert moved.outcome == Outcome.DONE, moved.message
    third = versions(school, "order_pairs")[-1]
    assert (third.version, third.status) == (3, "awaiting_signature")
    with session_scope(school.database_url) as s:
        add_user(s, "director2", NAMES["director"], ["director"], password_of("director"))
        assert previous_version(s, s.get(Document, third.id)).id == first.id
    client = create_app(school, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "director2", password_of("director"))
    page = client.get(f"/director/documents/{third.id}").get_data(as_text=True)
    assert "<p>Версия 1 — подписан" in page


@pytest.mark.postgresql
def test_a_returned_draft_put_back_to_the_signed_text_is_withdrawn(new_curator, tmp_path):
    """The director returns the new curator's order («куратор прежний»); the secretary sends
    the original «Организация» back: the returned draft is withdrawn, not answered, and the
    secretary's «вернуть на подпись» on it says why."""
    school = new_curator  # noqa: F811
    [signed, draft] = versions(school, "order_implementation")
    return_document(school, "director", draft.id, "Куратор прежний.")
    back = process(school, tmp_path / "2.xlsx", {"Организация": parameters(demo.ORGANIZATION)})
    assert back.outcome == Outcome.DONE, back.message
    assert [(v.id, v.status) for v in versions(school, "order_implementation")] == [
        (signed.id, "signed"),
        (draft.id, "superseded"),
    ]
    with session_scope(school.database_url) as s, pytest.raises(SigningError) as refused:
        resubmit_document(s, "secretary", draft.id, "Исправлено.")
    assert refused.value.message == (
        f"Документ «{BY_ID['order_implementation'].title}» (МБОУ Идринская СОШ) нельзя вернуть "
        "на подпись: он отозван: содержание снова как у подписанной версии 1, действует она."
    )
