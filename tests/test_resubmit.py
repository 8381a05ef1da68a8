"""A returned document whose data were right goes back for signature unchanged: the secretary
(or the administrator) answers the director's comment on the page, through the API or the CLI;
the same version waits for signature again, with the thread in the director's queue; one
ledger entry; refusals in Russian with exact statuses; two clients at once."""

from __future__ import annotations

import re
import subprocess
import threading

from sqlalchemy import func, select

from service import outbox, pipeline
from service.pipeline import process_workbook
from service.register.db import new_session, session_scope
from service.register.models import Document, DocumentStatus, Event
from service.signing import returning, workflow
from service.signing.ledger import verify_ledger
from service.store import FileStore
from service.web.filters import ru_date, ru_initials
from tests import cli
from tests.lock_waits import LockWaits
from tests.signing_calls import return_document
from tests.test_dry_run import corrected
from tests.web_school import KEY_PASSWORD, login

COMMENT = "Проверьте дату приказа"
ANSWER = "Дата верна: приказ подписывается в день заседания, см. протокол № 3"
DIRECTOR = ru_initials("Кинякина Татьяна Игоревна")
SECRETARY = ru_initials("Иванова Анна Петровна")
ORDER = "Приказ об утверждении наставников и наставнических пар"
REFUSED_WAITING = (
    f"Документ «{ORDER}» (МБОУ Идринская СОШ) нельзя вернуть на подпись: он ожидает подписи."
)


def texts(response) -> str:
    return re.sub(
        r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    ).strip()


def returned_order(school) -> int:
    order = school.doc_id("order_pairs")
    return_document(school.settings, "director", order, COMMENT)
    return order


def snapshot(settings, document_id: int) -> tuple:
    """The document's row and how many versions and ledger entries the register has."""
    with session_scope(settings.database_url) as s:
        d = s.get(Document, document_id)
        return (
            (d.version, d.status, d.sha256, d.context_sha256, d.comment),
            s.scalar(select(func.count(Document.id)).where(Document.kind == d.kind)),
            s.scalar(select(func.count(Event.id))),
        )


def resubmissions(settings, document_id: int) -> list[tuple[str, dict, object]]:
    with session_scope(settings.database_url) as s:
        return [
            (e.actor, e.details, e.at)
            for e in s.scalars(
                select(Event)
                .where(Event.kind == "document_resubmitted", Event.document_id == document_id)
                .order_by(Event.id)
            )
        ]


def returned_at(settings, document_id: int):
    with session_scope(settings.database_url) as s:
        return s.scalars(
            select(Event.at).where(
                Event.kind == "document_returned", Event.document_id == document_id
            )
        ).one()


def test_secretary_answers_and_the_same_version_is_signed(app, web_school):
    settings = web_school.settings
    order = returned_order(web_school)
    (row, versions, events) = snapshot(settings, order)
    assert row[1] == DocumentStatus.RETURNED and row[4] == COMMENT
    secretary = app.test_client()
    login(secretary, "secretary")
    page = secretary.get("/secretary/").get_data(as_text=True)
    returned = re.search(r'<table id="returned".*?</table>', page, re.S).group(0)
    when = ru_date(returned_at(settings, order))
    assert f"Возвращён — директор {DIRECTOR}, {when}: «{COMMENT}»" in texts_of(returned)
    assert f'<form method="post" action="/secretary/returned/{order}"' in returned

    # the form posts the answer (kept out of the address); a link with ?answer= works too
    posted = secretary.post(f"/secretary/returned/{order}", data={"answer": f" {ANSWER} "})
    confirm = secretary.get(f"/secretary/returned/{order}", query_string={"answer": f" {ANSWER} "})
    assert posted.status_code == confirm.status_code == 200
    assert texts(posted) == texts(confirm)
    assert (
        f"Вернуть на подпись без изменений: «{ORDER}», версия 1 "
        f"Комментарий (директор Кинякина Татьяна Игоревна, {when}): «{COMMENT}» "
        f"Ваш ответ: «{ANSWER}» Документ не меняется: та же версия снова появится в списке "
        f"на подпись у директора {ru_initials('Кинякиной Татьяны Игоревны')} вместе с "
        "комментарием и вашим ответом."
    ) in texts(confirm)
    assert snapshot(settings, order) == (row, versions, events)  # the page changed nothing
    html = confirm.get_data(as_text=True)
    assert (
        f'<button type="submit" formaction="/secretary/#returned-{order}" formnovalidate '
        'class="link cancel">Отмена</button>' in html
    )
    kept = secretary.post("/secretary/", data={"document": order, "answer": ANSWER})
    assert kept.status_code == 200
    assert (
        f'<textarea name="answer" required maxlength="1000">{ANSWER}</textarea>'
        in kept.get_data(as_text=True)
    )

    sent = secretary.post("/secretary/returned", data={"document": order, "answer": ANSWER})
    assert (sent.status_code, sent.location) == (302, "/secretary/")
    after = texts(secretary.get("/secretary/"))
    assert (
        f"Документ «{ORDER}» снова на подписи у директора "
        f"{ru_initials('Кинякиной Татьяны Игоревны')} с вашим ответом: «{ANSWER}»"
    ) in after
    assert "Возвращены на доработку" not in after
    # same version, bytes and data; only the state and the comment (now in the thread) change
    assert snapshot(settings, order) == (
        (1, DocumentStatus.AWAITING_SIGNATURE, row[2], row[3], None),
        versions,
        events + 1,
    )
    ((actor, details, at),) = resubmissions(settings, order)
    assert (actor, details) == (
        "secretary",
        {"answer": ANSWER, "comment": COMMENT, "status": "awaiting_signature"},
    )

    director = app.test_client()
    login(director, "director")
    queue = director.get("/director/").get_data(as_text=True)
    thread = re.search(rf'<tr class="thread-row" id="thread-{order}">.*?</tr>', queue, re.S)
    assert texts_of(thread.group(0)) == (
        "Документ возвращался на доработку и снова на подписи без изменений: "
        f"Возвращён — вы, {when}: «{COMMENT}» Ответ — {SECRETARY}, {ru_date(at)}: «{ANSWER}»"
    )
    assert queue.count('class="thread-row"') == 1
    read = texts(director.get(f"/director/documents/{order}"))
    assert f"Возвращения и ответы: Возвращён — вы, {when}: «{COMMENT}» Ответ — {SECRETARY}" in read
    signed = director.post("/director/sign", data={"document": [order], "password": KEY_PASSWORD})
    assert signed.status_code == 302
    with session_scope(settings.database_url) as s:
        document = s.get(Document, order)
        assert (document.version, document.status) == (1, DocumentStatus.SIGNED)
        assert re.fullmatch(r"\d+/\d\d", document.number) and document.reg_date is not None


def texts_of(html: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_the_answer_is_required_and_at_most_1000_characters(app, web_school):
    settings = web_school.settings
    order = returned_order(web_school)
    before = snapshot(settings, order)
    secretary = app.test_client()
    login(secretary, "secretary")
    for answer, message in [
        ("", "Не заполнено поле «Ответ на комментарий»."),
        ("   \n ", "Не заполнено поле «Ответ на комментарий»."),
        ("я" * 1001, "Поле «Ответ на комментарий» слишком длинное (не больше 1000 знаков)."),
    ]:
        page = secretary.get(f"/secretary/returned/{order}", query_string={"answer": answer})
        assert (page.status_code, message in texts(page)) == (400, True)
        sent = secretary.post("/secretary/returned", data={"document": order, "answer": answer})
        assert (sent.status_code, message in texts(sent)) == (400, True)
    admin = app.test_client()
    login(admin, "admin")
    empty = admin.post(f"/api/documents/{order}/resubmit", json={"answer": " "})
    assert (empty.status_code, empty.get_json()) == (
        400,
        {"error": "Не заполнено поле «answer»."},
    )
    long = admin.post(f"/api/documents/{order}/resubmit", json={"answer": "я" * 1001})
    assert (long.status_code, long.get_json()) == (
        400,
        {"error": "Поле «answer» слишком длинное (не больше 1000 знаков)."},
    )
    assert snapshot(settings, order) == before
    with session_scope(settings.database_url) as s:  # the domain's own check (the CLI's way)
        for answer, message in [
            (" ", "Напишите ответ на комментарий: без ответа документ не возвращается."),
            ("я" * 1001, "Ответ слишком длинный: 1001 знаков, можно не больше 1000."),
        ]:
            try:
                returning.resubmit_document(s, "secretary", order, answer)
            except returning.BadInput as exc:
                assert exc.message == message
            else:
                raise AssertionError("accepted")
    assert snapshot(settings, order) == before


def test_roles_and_the_api(app, web_school):
    """The administrator through the API; the director alone, the curator and the inspector
    may not; the answer is in the document's thread."""
    settings = web_school.settings
    order = returned_order(web_school)
    clients = {}
    for role in ("director", "curator", "inspector", "admin"):
        clients[role] = app.test_client()
        login(clients[role], role)
    for role in ("director", "curator", "inspector"):
        api = clients[role].post(f"/api/documents/{order}/resubmit", json={"answer": ANSWER})
        assert (api.status_code, api.get_json()) == (
            403,
            {"error": "Нет доступа: это для ролей «секретарь», «администратор»."},
        )
        page = clients[role].post("/secretary/returned", data={"document": order, "answer": "x"})
        assert page.status_code == 403
    with session_scope(settings.database_url) as s:  # a signer's login, as the CLI passes it
        try:
            returning.resubmit_document(s, "director", order, ANSWER)
        except returning.Forbidden as exc:
            assert exc.message == (
                "Пользователь «director» не может вернуть документ на подпись: это делают "
                "секретарь и администратор."
            )
        else:
            raise AssertionError("accepted")
    assert resubmissions(settings, order) == []

    admin_page = clients["admin"].get("/admin/").get_data(as_text=True)
    assert "Возвращены на доработку (1)" in admin_page
    assert f'action="/secretary/returned/{order}"' in admin_page
    confirm = clients["admin"].get(f"/secretary/returned/{order}", query_string={"answer": "x"})
    assert (
        f'<button type="submit" formaction="/admin/#returned-{order}" formnovalidate '
        'class="link cancel">Отмена</button>' in confirm.get_data(as_text=True)
    )
    # «Отмена» brings the answer back into its form (it was lost: the link opened the page)
    kept = clients["admin"].post("/admin/", data={"document": order, "answer": "Дата <верна>"})
    assert kept.status_code == 200
    row = re.search(rf'<tr id="returned-{order}">.*?</tr>', kept.get_data(as_text=True), re.S)
    assert (
        '<textarea name="answer" required maxlength="1000">Дата &lt;верна&gt;</textarea>'
        in row.group(0)
    )
    answer = clients["admin"].post(f"/api/documents/{order}/resubmit", json={"answer": ANSWER})
    assert answer.status_code == 200
    document = answer.get_json()["document"]
    ((_, _, at),) = resubmissions(settings, order)
    assert (document["id"], document["status"], document["version"], document["comment"]) == (
        order,
        "awaiting_signature",
        1,
        None,
    )
    assert document["thread"] == [
        {
            "kind": "returned",
            "login": "director",
            "name": "Кинякина Татьяна Игоревна",
            "at": returned_at(settings, order).isoformat(),
            "text": COMMENT,
            "role": "director",
            "who": f"директор {DIRECTOR}",
        },
        {
            "kind": "resubmitted",
            "login": "admin",
            "name": "Администратор Школы",
            "at": at.isoformat(),
            "text": ANSWER,
        },
    ]
    listed = clients["director"].get("/api/documents?kind=order_pairs").get_json()["documents"]
    assert [d["thread"] for d in listed] == [document["thread"]]
    again = clients["admin"].post(f"/api/documents/{order}/resubmit", json={"answer": ANSWER})
    assert (again.status_code, again.get_json()) == (409, {"error": REFUSED_WAITING})
    admin_page = texts(clients["admin"].get("/admin/"))
    assert "Возвращены на доработку" not in admin_page


def test_a_signed_or_superseded_version_is_refused(app, web_school, tmp_path):
    settings = web_school.settings
    signed = web_school.doc_id("order_implementation")
    admin = app.test_client()
    login(admin, "admin")
    director = app.test_client()
    login(director, "director")
    assert (
        director.post(f"/api/documents/{signed}/sign", json={"password": KEY_PASSWORD}).status_code
        == 200
    )
    refused = admin.post(f"/api/documents/{signed}/resubmit", json={"answer": ANSWER})
    assert (refused.status_code, refused.get_json()) == (
        409,
        {
            "error": "Документ «Приказ о внедрении целевой модели наставничества» "
            "(МБОУ Идринская СОШ) нельзя вернуть на подпись: он подписан."
        },
    )
    order = returned_order(web_school)
    secretary = app.test_client()
    login(secretary, "secretary")
    confirm = secretary.get(f"/secretary/returned/{order}", query_string={"answer": ANSWER})
    assert confirm.status_code == 200  # the page is open while a corrected workbook arrives
    process_workbook(settings, corrected(web_school.workbook, tmp_path / "Пары.xlsx"))
    before = snapshot(settings, order)
    assert before[0][1] == DocumentStatus.SUPERSEDED
    superseded = (
        f"Документ «{ORDER}» (МБОУ Идринская СОШ) нельзя вернуть на подпись: версия 1 "
        "заменена версией 2."
    )
    sent = secretary.post(
        "/secretary/returned", data={"document": order, "answer": ANSWER}, follow_redirects=True
    )
    assert (sent.status_code, superseded in texts(sent)) == (200, True)
    api = admin.post(f"/api/documents/{order}/resubmit", json={"answer": ANSWER})
    assert (api.status_code, api.get_json()) == (409, {"error": superseded})
    page = secretary.get(f"/secretary/returned/{order}", query_string={"answer": ANSWER})
    assert page.status_code == 409
    assert f"Документ «{ORDER}» не возвращён на доработку" in texts(page)
    assert snapshot(settings, order) == before


def test_the_command_line(web_school):
    home = str(web_school.settings.home)
    order = str(returned_order(web_school))

    def run(*args: str) -> subprocess.CompletedProcess:
        return cli.nastavnik("--home", home, *args)

    refused = run("resubmit", order, "--answer", ANSWER, "--user", "director")
    assert (refused.returncode, refused.stdout, refused.stderr) == (
        1,
        "",
        "Ошибка: Пользователь «director» не может вернуть документ на подпись: это делают "
        "секретарь и администратор.\n",
    )
    done = run("resubmit", order, "--answer", ANSWER, "--user", "secretary")
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        f"Документ № {order} ({ORDER} — МБОУ Идринская СОШ) снова ожидает подписи. "
        f"Ответ: {ANSWER}\n",
        "",
    )
    with session_scope(web_school.settings.database_url) as s:
        assert int(order) in {d.id for d in workflow.pending_documents(s, "director")}
        # the new entry is chained like any other
        verdict = verify_ledger(
            s, web_school.settings.var, FileStore(web_school.settings.store_dir)
        )
        assert verdict.ok, verdict.message


def _hold(settings, document_id: int):
    """The secretary's resubmission, written and not yet committed: the register's write lock
    is held until the caller commits."""
    session = new_session(settings.database_url)
    returning.resubmit_document(session, "secretary", document_id, ANSWER)
    return session


def _in_thread(action) -> tuple[threading.Thread, list]:
    out: list = []
    thread = threading.Thread(target=lambda: out.append(action()))
    thread.start()
    return thread, out


def test_two_resubmit_at_once_one_succeeds(app, web_school):
    """The secretary and the administrator send it back at the same moment, both waiting for
    the register's write lock: one sends it, the other is told it already waits."""
    settings = web_school.settings
    order = returned_order(web_school)
    clients = {"secretary": app.test_client(), "admin": app.test_client()}
    for role, client in clients.items():
        login(client, role)
    waits = LockWaits(settings.database_url)
    holder = new_session(settings.database_url, write=True)
    holder.execute(select(func.count(Event.id)))  # BEGIN IMMEDIATE: the lock is held
    calls = {
        role: _in_thread(
            lambda c=client: c.post(f"/api/documents/{order}/resubmit", json={"answer": ANSWER})
        )
        for role, client in clients.items()
    }
    threads = [t for t, _ in calls.values()]
    waits.wait_until_waiting(*threads)
    assert [waits.waiting(t) for t in threads] == [True, True]  # both wait for the lock
    assert [t.is_alive() for t in threads] == [True, True]
    holder.rollback()
    holder.close()
    answers = {}
    for role, (thread, out) in calls.items():
        thread.join(60)
        answers[role] = (out[0].status_code, out[0].get_json())
    assert sorted(status for status, _ in answers.values()) == [200, 409]
    (winner,) = [role for role, (status, _) in answers.items() if status == 200]
    (loser,) = set(answers) - {winner}
    assert answers[loser] == (409, {"error": REFUSED_WAITING})
    assert answers[winner][1]["document"]["status"] == "awaiting_signature"
    assert [a for a, _, _ in resubmissions(settings, order)] == [winner]


def test_the_director_reads_while_the_secretary_resubmits(app, web_school):
    """Readers are not held up by the resubmission's write lock and see one state: returned
    until it commits, then in the queue with the thread; his second return waits for the
    lock and then returns the resubmitted version."""
    settings = web_school.settings
    order = returned_order(web_school)
    director = app.test_client()
    login(director, "director")
    waits = LockWaits(settings.database_url)
    held = _hold(settings, order)
    page = director.get(f"/director/documents/{order}")
    assert page.status_code == 200
    assert "состояние: возвращён на доработку" in texts(page)
    assert f"thread-{order}" not in director.get("/director/").get_data(as_text=True)
    back, out = _in_thread(
        lambda: director.post(
            f"/director/documents/{order}/return", data={"comment": "Всё же проверьте"}
        )
    )
    waits.wait_until_waiting(back)
    assert waits.waiting(back) and back.is_alive()
    held.commit()
    held.close()
    back.join(60)
    assert out[0].status_code == 302
    with session_scope(settings.database_url) as s:
        document = s.get(Document, order)
        assert (document.status, document.comment) == (DocumentStatus.RETURNED, "Всё же проверьте")
    assert [a for a, _, _ in resubmissions(settings, order)] == ["secretary"]


def test_a_corrected_workbook_while_the_secretary_resubmits(web_school, tmp_path):
    """The resubmission holds the lock; the workbook's batch waits and then supersedes the
    version waiting for signature: version 2 waits, version 1 is replaced."""
    settings = web_school.settings
    order = returned_order(web_school)
    waits = LockWaits(settings.database_url)
    held = _hold(settings, order)
    book = corrected(web_school.workbook, tmp_path / "Пары — исправление.xlsx")
    batch, out = _in_thread(lambda: process_workbook(settings, book))
    waits.wait_until_waiting(batch)
    assert waits.waiting(batch) and batch.is_alive()
    held.commit()
    held.close()
    batch.join(120)
    assert out[0].outcome == pipeline.Outcome.DONE
    with session_scope(settings.database_url) as s:
        versions = s.scalars(
            select(Document).where(Document.kind == "order_pairs").order_by(Document.version)
        ).all()
        assert [(d.version, d.status) for d in versions] == [
            (1, DocumentStatus.SUPERSEDED),
            (2, DocumentStatus.AWAITING_SIGNATURE),
        ]
    assert [a for a, _, _ in resubmissions(settings, order)] == ["secretary"]


def test_resubmit_waits_for_a_batch_superseding_the_document(
    app, web_school, tmp_path, monkeypatch
):
    """A corrected workbook is being written (the batch holds the lock) when the secretary
    sends the document back: her request waits, then is refused — its version was replaced."""
    settings = web_school.settings
    order = returned_order(web_school)
    secretary = app.test_client()
    login(secretary, "secretary")
    request: dict = {}
    write = outbox.BatchCopy.write
    waits = LockWaits(settings.database_url)

    def write_and_let_the_secretary_in(self, entry, data):
        if not request:  # the batch holds the register's write lock here
            request["thread"], request["out"] = _in_thread(
                lambda: secretary.post(
                    "/secretary/returned",
                    data={"document": order, "answer": ANSWER},
                    follow_redirects=True,
                )
            )
            waits.wait_until_waiting(request["thread"])
            # asserted after the batch: an error raised in here only stops the outbox copy
            request["waiting"] = (waits.waiting(request["thread"]), request["thread"].is_alive())
        return write(self, entry, data)

    monkeypatch.setattr(outbox.BatchCopy, "write", write_and_let_the_secretary_in)
    book = corrected(web_school.workbook, tmp_path / "Пары — исправление.xlsx")
    assert process_workbook(settings, book).outcome == pipeline.Outcome.DONE
    assert request["waiting"] == (True, True)  # her request waited for the batch's lock
    request["thread"].join(60)
    (answer,) = request["out"]
    assert answer.status_code == 200
    assert (
        f"Документ «{ORDER}» (МБОУ Идринская СОШ) нельзя вернуть на подпись: версия 1 "
        "заменена версией 2."
    ) in texts(answer)
    assert resubmissions(settings, order) == []


CURATOR = ru_initials("Бутрина Ольга Николаевна")
REPORT = "Итоговый аналитический отчёт"


def test_a_document_the_curator_returned_names_the_curator(app, web_school):
    """The curator returns the final report: the secretary's list, the confirmation, the
    message, the API and the director's queue name the curator, never «директор»."""
    settings = web_school.settings
    report = web_school.doc_id("report_final")
    return_document(settings, "curator", report, COMMENT)
    with session_scope(settings.database_url) as s:
        details = s.scalars(
            select(Event.details).where(
                Event.kind == "document_returned", Event.document_id == report
            )
        ).one()
    assert details == {"comment": COMMENT, "role": "curator"}
    when = ru_date(returned_at(settings, report))
    secretary = app.test_client()
    login(secretary, "secretary")
    page = secretary.get("/secretary/").get_data(as_text=True)
    returned = texts_of(re.search(r'<table id="returned".*?</table>', page, re.S).group(0))
    assert returned == (
        "Документ О ком / о чём Версия Кто вернул и почему Файл Ответ на комментарий "
        f"{REPORT} МБОУ Идринская СОШ 1 Возвращён — куратор {CURATOR}, {when}: «{COMMENT}» "
        "DOCX Ваш ответ Ответить и вернуть на подпись…"
    )
    assert "директор" not in texts_of(page.split("<h2>Возвращены на доработку (1)</h2>")[1])
    confirm = texts(secretary.post(f"/secretary/returned/{report}", data={"answer": ANSWER}))
    assert (
        f"Комментарий (куратор Бутрина Ольга Николаевна, {when}): «{COMMENT}» "
        f"Ваш ответ: «{ANSWER}» Документ не меняется: та же версия снова появится в списке на "
        f"подпись у куратора {ru_initials('Бутриной Ольги Николаевны')} вместе с комментарием "
        "и вашим ответом."
    ) in confirm
    curator = app.test_client()
    login(curator, "curator")
    (entry,) = curator.get(f"/api/documents/{report}").get_json()["thread"]
    assert (entry["role"], entry["who"], entry["name"]) == (
        "curator",
        f"куратор {CURATOR}",
        "Бутрина Ольга Николаевна",
    )
    sent = secretary.post("/secretary/returned", data={"document": report, "answer": ANSWER})
    assert sent.status_code == 302
    assert (
        f"Документ «{REPORT}» снова на подписи у куратора "
        f"{ru_initials('Бутриной Ольги Николаевны')} с вашим ответом: «{ANSWER}»"
    ) in texts(secretary.get("/secretary/"))
    director = app.test_client()
    login(director, "director")
    queue = director.get("/director/").get_data(as_text=True)
    thread = re.search(rf'<tr class="thread-row" id="thread-{report}">.*?</tr>', queue, re.S)
    assert f"Возвращён — куратор {CURATOR}, {when}: «{COMMENT}»" in texts_of(thread.group(0))


def test_an_older_return_without_its_role_names_the_returners_only_signing_role():
    from service.register.returns import _returner_role

    assert _returner_role({"comment": "x"}, "curator") == "curator"
    assert _returner_role({"comment": "x"}, "admin,director") == "director"
    assert _returner_role({"comment": "x"}, "director,curator") == ""
    assert _returner_role({"comment": "x"}, None) == ""
    assert _returner_role({"comment": "x", "role": "curator"}, "director,curator") == "curator"
