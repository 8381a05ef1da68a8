"""One-click mistakes (issue 11, points 15–16): adding a user never changes an existing one;
signing, revoking a key, a new password and a scan are confirmed on a page of their own with a
summary in words; every action's POST answers with a redirect, so a reload repeats nothing."""

from __future__ import annotations

import re
import threading

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.errors import NastavnikError
from service.register.db import get_engine, session_scope
from service.register.models import Document, DocumentStatus, Event, Signer, User
from service.register.repeats import just_issued
from service.register.users import add_user, authenticate
from service.signing.signers import add_signer, revoke_signer
from service.signing.workflow import pending_documents
from service.web.confirm import documents_summary
from tests.lock_waits import LockWaits
from tests.test_users_cli import can_log_in, run
from tests.test_web_pages import texts
from tests.web_school import CA_PASSWORD, KEY_PASSWORD, NAMES, ORG, issue_key, login, password_of

ORDERS = ("order_implementation", "order_coordinators", "order_training", "order_pairs")


def user_row(settings, login_name: str) -> tuple:
    with session_scope(settings.database_url) as s:
        user = s.scalars(select(User).where(User.login == login_name)).one()
        return user.full_name, user.roles, user.password_hash


def current_ids(settings, kind: str) -> list[int]:
    with session_scope(settings.database_url) as s:
        return list(
            s.scalars(
                select(Document.id)
                .where(Document.kind == kind, Document.status != DocumentStatus.SUPERSEDED)
                .order_by(Document.id)
            )
        )


def test_adding_an_existing_login_is_refused_on_the_page_and_changes_nothing(client, web_school):
    settings = web_school.settings
    before = user_row(settings, "director")
    login(client, "admin")
    page = client.post(
        "/admin/users",
        data={
            "login": "director",
            "full_name": "Петров Пётр Петрович",
            "roles": ["admin", "curator"],
            "password": "новый-пароль-99",
        },
    )
    assert page.status_code == 400
    assert "Логин «director» уже занят: Кинякина Татьяна Игоревна. Ничего не изменено." in texts(
        page
    )
    assert user_row(settings, "director") == before
    assert can_log_in(settings.home, "director", password_of("director"))
    assert not can_log_in(settings.home, "director", "новый-пароль-99")


def test_user_add_in_the_cli_refuses_an_existing_login(web_school):
    home = web_school.settings.home
    before = user_row(web_school.settings, "secretary")
    result = run(
        home, "user", "add", "secretary", "--role", "admin", "--name", "Другой Человек Иванович"
    )
    assert result.returncode == 1
    assert "Логин «secretary» уже занят: Иванова Анна Петровна. Ничего не изменено." in (
        result.stderr
    )
    assert user_row(web_school.settings, "secretary") == before
    edited = run(home, "user", "edit", "secretary", "--role", "secretary", "--role", "curator")
    assert edited.returncode == 0, edited.stderr
    assert edited.stdout.strip() == (
        "Пользователь «secretary» изменён: роли: секретарь → секретарь, куратор."
    )
    assert user_row(web_school.settings, "secretary")[2] == before[2]  # password untouched
    renewed = run(home, "user", "password", "secretary", "--yes")
    assert renewed.returncode == 0, renewed.stderr
    password = re.search(r"передайте лично\): (\S+)", renewed.stdout).group(1)
    assert can_log_in(home, "secretary", password)
    assert not can_log_in(home, "secretary", password_of("secretary"))


def test_the_administrator_edits_a_user_then_gives_a_new_password_after_confirming(
    client, app, web_school
):
    settings = web_school.settings
    login(client, "admin")
    with session_scope(settings.database_url) as s:
        user_id = s.scalars(select(User.id).where(User.login == "inspector")).one()
    _, _, old_hash = user_row(settings, "inspector")
    edit = texts(client.get(f"/admin/users/{user_id}"))
    assert "Изменить ФИО и роли" in edit and "Пароль здесь не меняется" in edit
    saved = client.post(
        f"/admin/users/{user_id}",
        data={"full_name": "Сидоров Павел Андреевич", "roles": ["inspector", "curator"]},
    )
    assert saved.status_code == 302 and saved.location == "/admin/"
    changed = "Пользователь «inspector» изменён: роли: проверяющий → куратор, проверяющий."
    assert changed in texts(client.get(saved.location))
    assert changed not in texts(client.get("/admin/"))  # shown once, after the redirect
    assert user_row(settings, "inspector") == (
        "Сидоров Павел Андреевич",
        "curator,inspector",
        old_hash,
    )
    confirm = texts(client.get(f"/admin/users/{user_id}/password"))
    assert "Выдать новый пароль пользователю «inspector» — Сидоров Павел Андреевич?" in confirm
    assert user_row(settings, "inspector")[2] == old_hash  # the question changes nothing
    done = client.post(f"/admin/users/{user_id}/password")
    assert done.status_code == 302
    shown = client.get(done.location).get_data(as_text=True)
    password = re.search(r'id="new-password".*?<code>([^<]+)</code>', shown, re.S).group(1)
    assert 'id="new-password"' not in client.get("/admin/").get_data(as_text=True)
    with session_scope(settings.database_url) as s:
        assert authenticate(s, "inspector", password).user is not None
        own = s.scalars(select(User.id).where(User.login == "admin")).one()
    mine = client.post(f"/admin/users/{own}/password")
    assert mine.status_code == 400
    assert "Свой пароль меняйте на странице «Учётная запись»." in texts(mine)


def test_signing_is_confirmed_with_a_summary_and_a_reload_repeats_nothing(client, web_school):
    settings = web_school.settings
    orders = [web_school.doc_id(kind) for kind in ORDERS]
    programs = current_ids(settings, "program")
    assert len(programs) == 4
    login(client, "director")
    queue = texts(client.get("/director/"))  # with orders: where their numbers come from
    note = "Приказы получают номер и дату из журнала регистрации приказов в момент подписи."
    assert note in queue
    chosen = orders + programs
    query = "&".join(f"document={i}" for i in chosen)
    confirm = client.get(f"/director/sign?{query}")
    assert confirm.status_code == 200
    page = texts(confirm)
    assert "Подписать 8 документов: 4 приказа, 4 программы" in page
    assert "Приказ о внедрении целевой модели наставничества" in page
    assert "Приказы получат номер и дату из журнала регистрации приказов при подписи." in page
    with session_scope(settings.database_url) as s:  # asking signs nothing
        assert {s.get(Document, i).status for i in chosen} == {DocumentStatus.AWAITING_SIGNATURE}
    signed = client.post("/director/sign", data={"document": orders, "password": KEY_PASSWORD})
    assert signed.status_code == 302 and signed.location == "/director/"
    page = client.get(signed.location).get_data(as_text=True)
    with session_scope(settings.database_url) as s:
        numbers = [s.get(Document, i).number for i in orders]
    assert [n.split("/")[0] for n in numbers] == ["1", "2", "3", "4"]
    # one summary, not four messages (polish10: thirteen in a column hid a refusal)
    assert re.findall(r'class="flash[^"]*" role="status">([^<]*)<', page) == [
        f"Подписано документов: 4. Приказы получили номера {', '.join(numbers)}."
    ]
    assert "Подписан: " not in page
    client.get("/director/")  # a reload of the page after the redirect
    with session_scope(settings.database_url) as s:
        assert [len(s.get(Document, i).signatures) for i in orders] == [1, 1, 1, 1]
    # a second tab sends an order again with two programmes, one of them returned meanwhile:
    # one summary says what was signed, what this user had signed before, and what was not
    returned = client.post(f"/director/documents/{programs[1]}/return", data={"comment": "Срок"})
    assert returned.status_code == 302
    client.get("/director/")  # its message shown
    again = client.post(
        "/director/sign",
        data={"document": [orders[0], programs[0], programs[1]], "password": KEY_PASSWORD},
    )
    page = client.get(again.location).get_data(as_text=True)
    assert re.findall(r'<div class="flash error" role="status">(.*?)</div>', page) == [
        "Подписано документов: 1 из 2. Уже подписаны вами: 1 — подписывать снова не нужно. Не "
        "подписаны:<ul><li>«Персонализированная программа наставничества — П-02»: Документ не "
        "ожидает подписи (состояние: возвращён на доработку).</li></ul>"
    ]
    with session_scope(settings.database_url) as s:
        assert [x.role for x in s.get(Document, programs[0]).signatures] == ["director"]
        assert s.get(Document, programs[1]).signatures == []


def summary(verb: str, kinds: list[str]) -> str:
    text = documents_summary(verb, kinds)
    assert "\u00a0" in text  # a number and its noun stay on one line
    return text.replace("\u00a0", " ")


def test_a_summary_uses_russian_plurals():
    assert summary("Подписать", ["order_pairs"] * 4 + ["program"] * 8) == (
        "Подписать 12 документов: 4 приказа, 8 программ"
    )
    assert summary("Подписать", ["program"]) == "Подписать 1 программу"
    assert summary("Подписать", ["program"] * 21) == "Подписать 21 программу"
    assert summary("Подписать", ["order_pairs"] * 11) == "Подписать 11 приказов"
    assert summary("Подписать", ["order_training", "roadmap", "roadmap"]) == (
        "Подписать 3 документа: 1 приказ, 2 дорожные карты"
    )
    assert summary("Подписать", ["regulation", "program", "program"]) == (
        "Подписать 3 документа: 2 программы, 1 положение"
    )


def test_revoking_a_key_needs_a_reason_and_a_confirmation(client, web_school):
    settings = web_school.settings
    with session_scope(settings.database_url) as s:
        signer_id = s.scalars(select(Signer.id)).one()
    login(client, "admin")
    confirm = texts(client.get(f"/admin/signers/{signer_id}/revoke"))
    assert "Отозвать 1 сертификат: Кинякина Татьяна Игоревна?" in confirm
    assert "Подписи, поставленные до отзыва, остаются действительными." in confirm
    no_reason = client.post(f"/admin/signers/{signer_id}/revoke", data={"reason": "  "})
    assert no_reason.status_code == 400
    assert "Не заполнено поле «Причина отзыва»." in texts(no_reason)
    with session_scope(settings.database_url) as s:
        assert s.get(Signer, signer_id).revoked_at is None
    done = client.post(f"/admin/signers/{signer_id}/revoke", data={"reason": "Ключ утерян"})
    assert done.status_code == 302
    page = texts(client.get(done.location))
    assert "Отозвано: 1 сертификат (Кинякина Татьяна Игоревна). Причина: Ключ утерян" in page
    with session_scope(settings.database_url) as s:
        assert s.get(Signer, signer_id).revocation_reason == "Ключ утерян"
    cli = run(settings.home, "signer", "revoke", "--user", "director")
    assert cli.returncode == 1 and "Укажите причину отзыва сертификата." in cli.stderr


def test_a_refusal_names_the_document_not_its_database_id(client, web_school):
    regulation = web_school.doc_id("regulation")
    login(client, "director")
    refused = client.post(
        "/director/sign", data={"document": [regulation], "password": KEY_PASSWORD}
    )
    page = texts(client.get(refused.location))
    assert "«Положение о наставничестве» — приложение" in page
    assert "сначала подпишите приказ, затем приложение" in page
    assert not re.search(r"[Дд]окумент № \d", page)


def test_returning_twice_names_the_document_and_records_one_return(client, web_school):
    """A double click on «Вернуть на доработку»: the second request finds it already returned
    by this director and says so by its title, not by the register's id, as information
    (test_double_submit); the ledger has one return."""
    program = web_school.doc_id("program")
    login(client, "director")
    for _ in range(2):
        answer = client.post(
            f"/director/documents/{program}/return", data={"comment": "Исправьте дату"}
        )
        assert answer.status_code == 302
    page = texts(client.get(answer.location))
    assert re.search(
        r"Документ «Персонализированная программа наставничества — П-01» уже возвращён вами на "
        r"доработку \d\d\.\d\d\.\d{4} в \d\d:\d\d с комментарием «Исправьте дату»\.",
        page,
    )
    assert not re.search(r"[Дд]окумент № \d", page)
    with session_scope(web_school.settings.database_url) as s:
        kinds = s.scalars(select(Event.kind).where(Event.document_id == program)).all()
    assert kinds.count("document_returned") == 1


def twice_at_once(url: str, action) -> str | None:
    """``action(session)`` as two clicks at once: the first written and not yet committed
    when the second starts, in its own session and thread. Returns the second's refusal."""
    waits = LockWaits(url)
    first = Session(get_engine(url))
    action(first)
    refused: list[str] = []

    def second() -> None:
        with session_scope(url) as s:
            try:
                action(s)
            except NastavnikError as exc:
                refused.append(exc.message)

    other = threading.Thread(target=second)
    other.start()
    waits.wait_until_waiting(other)  # the second click arrives while the first is being written
    assert waits.waiting(other)
    first.commit()
    first.close()
    other.join(30)
    return refused[0] if refused else None


def test_a_double_click_on_revoke_revokes_once(web_school):
    """Two «Отозвать» at once (a double click): both read the key as active and each wrote
    its revocation — two ledger entries for one certificate, the revocation time rewritten.
    Now the second waits for the first and finds nothing left to revoke."""
    url = web_school.settings.database_url
    refused = twice_at_once(url, lambda s: revoke_signer(s, "director", "Ключ утерян"))
    assert refused == "У пользователя «director» нет действующих ключей подписи."
    with session_scope(url) as s:
        kinds = s.scalars(select(Event.kind).where(Event.kind == "signer_revoked")).all()
    assert kinds == ["signer_revoked"]


def test_a_double_click_on_add_user_adds_one_and_refuses_the_other(web_school):
    """Two «Добавить» of a new login at once: the second failed on the database's unique
    login (500, «Внутренняя ошибка»). Now it waits for the first and is refused in words."""
    refused = twice_at_once(
        web_school.settings.database_url,
        lambda s: add_user(s, "petrov", "Петров Пётр Петрович", ["secretary"], "пароль-1234"),
    )
    assert refused == (
        "Логин «petrov» уже занят: Петров Пётр Петрович. Ничего не изменено. Выберите другой "
        "логин; роли и ФИО этого пользователя меняются кнопкой «Изменить» (nastavnik user edit "
        "petrov), пароль — «Новый пароль»."
    )


def test_a_double_click_on_issue_key_leaves_one_active_key(web_school):
    """Two «Выпустить сертификат» at once: both read the director's keys before either wrote,
    so neither replaced the other — two active keys for one director. Now the second waits
    and replaces the first, as a re-issue does («заменён новым ключом»)."""
    settings = web_school.settings

    def issue(session) -> None:
        add_signer(
            session,
            settings.var,
            login="director",
            full_name=None,
            position=None,
            role="director",
            org_name=ORG,
            password=KEY_PASSWORD,
            ca_password=CA_PASSWORD,
        )

    assert twice_at_once(settings.database_url, issue) is None
    with session_scope(settings.database_url) as s:
        keys = s.scalars(select(Signer).where(Signer.role == "director")).all()
    assert sorted((k.revoked_at is None, k.revocation_reason) for k in keys) == [
        (False, "заменён новым ключом"),
        (False, "заменён новым ключом"),
        (True, None),
    ]


def test_a_second_issue_click_during_the_first_finds_it_issued(web_school):
    """Two «Выпустить» at once: the second read the ledger without the write lock, while the
    first one's key was written and not yet committed, found nothing and gave the plain
    refusal. Now it waits for the first one's commit and finds the key it issued."""
    settings = web_school.settings
    url = settings.database_url
    waits = LockWaits(url)
    first = Session(get_engine(url))
    made = add_signer(
        first,
        settings.var,
        login="director",
        full_name=None,
        position=None,
        role="director",
        org_name=ORG,
        password=KEY_PASSWORD,
        ca_password=CA_PASSWORD,
        actor="admin",
        replace=True,
    )
    serial = made.serial
    found: list = []

    def second() -> None:
        with session_scope(url) as s:
            issued = just_issued(s, "director", "director", actor="admin")
            found.append(None if issued is None else issued[0].serial)

    other = threading.Thread(target=second)
    other.start()
    waits.wait_until_waiting(other)
    assert waits.waiting(other)
    first.commit()
    first.close()
    other.join(30)
    assert found == [serial]


def test_the_curator_signs_in_her_own_queue(client, web_school):
    """The curator signs the pairs' programmes and reports and the final report: with her key
    she has «На подпись» beside her own pages and signs there what her key can sign (it was
    the director's page only: a 403, and the API or the console for her)."""
    settings = web_school.settings
    issue_key(
        settings, "curator", NAMES["curator"], "заместитель директора", "curator", "ключ-куратора-3"
    )
    with session_scope(settings.database_url) as s:
        hers = sorted(d.id for d in pending_documents(s, "curator"))
    login(client, "curator")
    assert "На подпись" in texts(client.get("/curator/"))
    queue = client.get("/director/")
    assert queue.status_code == 200
    page = texts(queue)
    assert "Документы на подпись выбрать все (3)" in page
    for row in (
        "Отчёт наставника П-01 1",
        "Отчёт наставника П-04 1",
        "Итоговый аналитический отчёт МБОУ Идринская СОШ 1",
    ):
        assert row in page
    assert "Приказ о" not in page
    # the note on orders' numbers is for a queue with orders; hers has none (it was shown to her)
    assert "Перед подписью откроется страница с перечнем выбранных документов и полем для " in page
    assert "Приказы получают номер" not in page
    first = hers[0]
    signed = client.post(
        "/director/sign", data={"document": str(first), "password": "ключ-куратора-3"}
    )
    assert signed.status_code == 302
    with session_scope(settings.database_url) as s:
        roles = [sig.role for sig in s.get(Document, first).signatures]
        assert roles == ["curator"]
    rest = client.post("/director/sign", data={"document": hers[1:], "password": "ключ-куратора-3"})
    assert rest.status_code == 302
    emptied = texts(client.get("/director/"))  # nothing left: what comes next, not a bare «нет»
    assert (
        "Документов, ожидающих вашей подписи, нет. Новые появятся здесь, когда секретарь "
        "загрузит заполненную книгу: в эту очередь встают документы, которые подписываете вы."
        in emptied
    )
