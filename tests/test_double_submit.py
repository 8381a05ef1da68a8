"""A form sent twice as a browser sends a double click (or Back and «Отправить» again): the
second request carries the cookie the page had, because the browser drops the first answer —
its redirect, its Set-Cookie, the flash message and whatever it would have shown once — and
shows only the second. Found in Chromium on a running service (careless11): the second answer
was a refusal («уже занят… Ничего не изменено», «уже подписан») that read as a failure
although the person's own first click had done it."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Document, DocumentStatus, Event, Signer, User
from service.register.repeats import REPEAT_WINDOW, just_added
from service.signing.signers import add_signer
from tests.test_one_click import twice_at_once
from tests.test_template_versions import own_template
from tests.test_users_cli import run
from tests.test_web_pages import texts
from tests.web_school import CA_PASSWORD, KEY_PASSWORD, ORG, login


def twice(client, url: str, data: dict):
    """POST ``data`` to ``url`` twice; the second with the session cookie as it was before the
    first (the browser never took the first answer in). Returns the second answer."""
    name = client.application.config["SESSION_COOKIE_NAME"]
    before = client.get_cookie(name).value
    client.post(url, data=data)
    client.set_cookie(name, before)
    return client.post(url, data=data)


def test_a_double_click_on_add_user_says_it_was_made_and_how_to_get_its_password(
    client, web_school
):
    """The administrator adds «petrova» with a generated password and clicks twice: the page
    said «Логин «petrova» уже занят… Ничего не изменено. Выберите другой логин» (400) — the
    user existed with a password nobody had seen, and the page told him to pick another login."""
    login(client, "admin")
    form = {"login": "petrova", "full_name": "Петрова Мария Ивановна", "roles": ["secretary"]}
    second = twice(client, "/admin/users", form)
    assert second.status_code == 302 and second.location == "/admin/"
    page = texts(client.get(second.location))
    assert (
        "Пользователь «petrova» (Петрова Мария Ивановна) уже создан — вами, в " in page
        and " (кнопка нажата второй раз); второй раз он не создаётся. Пароль, придуманный при "
        "создании, мог не показаться: выдайте ему новый — «Новый пароль…» в строке "
        "пользователя."
        in page
    )
    assert "Ничего не изменено" not in page and 'id="new-password"' not in page
    with session_scope(web_school.settings.database_url) as s:
        assert s.scalars(select(User.login).where(User.login == "petrova")).all() == ["petrova"]
    with session_scope(web_school.settings.database_url) as s:
        entries = [
            e.details["login"]
            for e in s.scalars(select(Event).where(Event.kind == "user_added"))
            if e.details.get("login") == "petrova"
        ]
    assert entries == ["petrova"]


def test_a_typed_password_sent_twice_needs_no_new_one(client):
    login(client, "admin")
    form = {
        "login": "orlov",
        "full_name": "Орлов Олег Олегович",
        "roles": ["curator", "inspector"],
        "password": "пароль-орлова-1",
    }
    page = texts(client.get(twice(client, "/admin/users", form).location))
    assert "Пользователь «orlov» (Орлов Олег Олегович) уже создан — вами, в " in page
    assert "второй раз он не создаётся." in page and "Новый пароль…» в строке" not in page


def test_an_existing_login_of_other_roles_is_still_refused(client, web_school):
    """Not a repeat: the same login with other roles (or another ФИО, or made long ago or by
    someone else) is the refusal it always was."""
    login(client, "admin")
    client.post(
        "/admin/users",
        data={"login": "orlov", "full_name": "Орлов Олег Олегович", "roles": ["curator"]},
    )
    again = client.post(
        "/admin/users",
        data={"login": "orlov", "full_name": "Орлов Олег Олегович", "roles": ["secretary"]},
    )
    assert again.status_code == 400
    assert "Логин «orlov» уже занят: Орлов Олег Олегович. Ничего не изменено." in texts(again)
    with session_scope(web_school.settings.database_url) as s:
        assert just_added(s, "orlov", "Орлов Олег Олегович", ["curator"], actor="admin")
        later = datetime.now() + REPEAT_WINDOW + timedelta(seconds=2)
        assert not just_added(
            s, "orlov", "Орлов Олег Олегович", ["curator"], actor="admin", now=later
        )
        assert not just_added(s, "orlov", "Орлов Олег Олегович", ["curator"], actor="secretary")
        assert not just_added(s, "orlov", "Орлов Олег", ["curator"], actor="admin")


def test_a_double_click_on_sign_says_signed_by_you_not_an_error(client, web_school):
    """The director signs an order and a pair's programme (the curator signs it after him)
    with a double click: his page showed only red refusals — «Документ уже подписан.» for the
    order, «… не подписывается ключом пользователя «director»» for the programme — and no
    «Подписан»: the second click's answer. Now it says they are signed by him, as information."""
    order, program = web_school.doc_id("order_implementation"), web_school.doc_id("program")
    login(client, "director")
    second = twice(
        client, "/director/sign", {"document": [order, program], "password": KEY_PASSWORD}
    )
    answer = client.get(second.location)
    html = answer.get_data(as_text=True)
    assert 'class="flash error"' not in html
    # several documents: one summary (web11), not a message each
    assert re.findall(r'class="flash info" role="status">(.*?)</div>', html) == [
        "Уже подписаны вами: 2 — подписывать снова не нужно."
    ]
    # one document: its own message, with when he signed it
    training = web_school.doc_id("order_training")
    second = twice(client, "/director/sign", {"document": [training], "password": KEY_PASSWORD})
    answer = client.get(second.location)
    assert 'class="flash error"' not in answer.get_data(as_text=True)
    assert re.search(
        r"Документ «Приказ об организации обучения наставников, № 2/\d\d от "
        r"\d\d\.\d\d\.\d{4}» уже подписан вами \d\d\.\d\d\.\d{4} в \d\d:\d\d: подписывать снова "
        r"не нужно\.",
        texts(answer),
    ), texts(answer)
    with session_scope(web_school.settings.database_url) as s:
        assert [len(s.get(Document, i).signatures) for i in (order, program)] == [1, 1]
    again = run(
        web_school.settings.home,
        "sign",
        str(order),
        "--user",
        "director",
        "--password-stdin",
        stdin=KEY_PASSWORD,
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"{order}\tУЖЕ ПОДПИСАН\tДокумент «Приказ о внедрении")


def test_a_double_click_on_return_and_on_resubmit_says_done_by_you(app, web_school):
    """The director returns a programme with a double click: his page showed only «Документ …
    нельзя вернуть: он возвращён на доработку.» in red. The secretary answers and sends it
    back with a double click: «… нельзя вернуть на подпись: он ожидает подписи.» Both now say
    that it is done, by whom and when, as information; one entry each in the ledger."""
    program = web_school.doc_id("program")
    director, secretary = app.test_client(), app.test_client()
    login(director, "director")
    login(secretary, "secretary")
    returned = twice(director, f"/director/documents/{program}/return", {"comment": "Дата?"})
    answer = director.get(returned.location)
    html, page = answer.get_data(as_text=True), texts(answer)
    assert '<p class="flash error" role="status">' not in html
    assert re.search(
        r"Документ «Персонализированная программа наставничества — П-01» уже возвращён вами на "
        r"доработку \d\d\.\d\d\.\d{4} в \d\d:\d\d с комментарием «Дата\?»",
        page,
    )
    sent = twice(secretary, "/secretary/returned", {"document": program, "answer": "Дата верна"})
    answer = secretary.get(sent.location)
    html, page = answer.get_data(as_text=True), texts(answer)
    assert '<p class="flash error" role="status">' not in html
    assert re.search(
        r"Документ «Персонализированная программа наставничества — П-01» уже снова на подписи у "
        r"директора Кинякиной Т\.И\.: вы вернули его \d\d\.\d\d\.\d{4} в \d\d:\d\d с ответом "
        r"«Дата верна»",
        page.replace("\u00a0", " "),
    )
    with session_scope(web_school.settings.database_url) as s:
        kinds = s.scalars(select(Event.kind).where(Event.document_id == program)).all()
        assert s.get(Document, program).status == DocumentStatus.AWAITING_SIGNATURE
    assert (kinds.count("document_returned"), kinds.count("document_resubmitted")) == (1, 1)


def test_a_double_click_on_attach_scan_says_it_is_attached(client, web_school):
    """The secretary attaches a participant's consent with a double click: the first click
    recorded it (the consent is signed), the second got the page «Невозможно» — «скан не
    прикладывается: он подписан» (409). The same file sent again now says it is attached,
    by whom it was signed, and that it is not attached twice; one signature, one ledger entry."""
    consent = web_school.doc_id("consent_adult")
    login(client, "secretary")
    name = client.application.config["SESSION_COOKIE_NAME"]
    before = client.get_cookie(name).value
    for _ in range(2):
        client.set_cookie(name, before)
        sheet = io.BytesIO(b"%PDF-1.4\n% consent\n")
        sent = client.post(
            "/secretary/scans",
            data={"document": str(consent), "scan": (sheet, "согласие.pdf")},
            content_type="multipart/form-data",
        )
        assert sent.status_code == 302 and sent.location == "/secretary/scans"
    answer = client.get(sent.location)
    html, page = answer.get_data(as_text=True), texts(answer)
    assert '<p class="flash error" role="status">' not in html
    assert re.search(
        r"Этот скан уже приложен к документу «Согласие на обработку персональных данных — "
        r"[^»]+» \d\d\.\d\d\.\d{4} в \d\d:\d\d: подписали на бумаге [^.]+ \(участни(к|ца)\)\. "
        r"Второй раз он не прикладывается\.",
        page,
    ), page
    with session_scope(web_school.settings.database_url) as s:
        assert len(s.get(Document, consent).signatures) == 1
        kinds = s.scalars(select(Event.kind).where(Event.document_id == consent)).all()
    assert kinds.count("scan_attached") == 1


def test_a_double_click_on_a_template_upload_installs_it_once(client, web_school):
    """The administrator uploads a school template with a double click: both requests found
    no school template and each installed it — two «template_installed» entries for one
    upload (careless11, Chromium); the second one, when it came after the first, would be
    refused «уже поставлен шаблон школы… Ничего не изменено». The same file over itself is
    now installed already: no second entry, «поставлен» both times."""
    login(client, "admin")
    data = own_template("contract_external")
    name = client.application.config["SESSION_COOKIE_NAME"]
    before = client.get_cookie(name).value
    for _ in range(2):
        client.set_cookie(name, before)
        sent = client.post(
            "/admin/templates/contract_external/upload",
            data={"template": (io.BytesIO(data), "договор.docx")},
            content_type="multipart/form-data",
        )
        assert sent.status_code == 302 and sent.location == "/admin/templates/"
    page = texts(client.get(sent.location))
    assert "Шаблон школы для «Договор о сотрудничестве» поставлен; новые документы — по нему." in (
        page
    )
    assert (web_school.settings.school_templates / "contract_external.docx").read_bytes() == data
    with session_scope(web_school.settings.database_url) as s:
        kinds = s.scalars(select(Event.kind).where(Event.kind == "template_installed")).all()
    assert kinds == ["template_installed"]


def issue_form(**extra) -> dict:
    return {
        "login": "curator",
        "role": "curator",
        "ca_password": CA_PASSWORD,
        "password": "временный-1234",
        "password_repeat": "временный-1234",
        **extra,
    }


def test_a_double_click_on_issue_key_issues_one_key(client, web_school):
    """The administrator issues the curator's key with a double click: the second request
    found the key the first had just made and showed «Выпуск ключа взамен действующего» for
    it — or, when both ran at once, revoked it unasked («заменён новым ключом», a second
    certificate). Now the second says the key is issued, by him, and issues nothing."""
    login(client, "admin")
    second = twice(client, "/admin/signers", issue_form())
    assert second.status_code == 302 and second.location == "/admin/"
    page = texts(client.get(second.location))
    with session_scope(web_school.settings.database_url) as s:
        keys = s.scalars(select(Signer).where(Signer.role == "curator")).all()
        assert [(k.revoked_at, k.revocation_reason) for k in keys] == [(None, None)]
        serial = keys[0].serial
    assert re.search(
        r"Сертификат уже выпущен — вами, в \d\d:\d\d \(кнопка нажата второй раз\): Бутрина Ольга "
        rf"Николаевна, № {serial}\. Второй ключ не выпускается\.",
        page,
    )
    assert "Выпуск ключа взамен действующего" not in page


def test_two_issues_at_once_revoke_nothing_unconfirmed(web_school):
    """Both clicks at once: each checked «no valid key» before the other wrote. The one that
    comes second under the write lock finds the first one's key and refuses, in words; one
    key, nothing revoked. (A confirmed replacement — ``replace`` — still revokes.)"""
    settings = web_school.settings

    def issue(session) -> None:
        add_signer(
            session,
            settings.var,
            login="curator",
            full_name=None,
            position=None,
            role="curator",
            org_name=ORG,
            password=KEY_PASSWORD,
            ca_password=CA_PASSWORD,
            replace=False,
        )

    refused = twice_at_once(settings.database_url, issue)
    with session_scope(settings.database_url) as s:
        keys = s.scalars(select(Signer).where(Signer.role == "curator")).all()
    assert [k.revoked_at for k in keys] == [None]
    assert refused == (
        f"У пользователя «curator» уже есть действующий ключ этой роли (№ {keys[0].serial}, "
        "выпущен только что): новый не выпущен. Выпустить ключ взамен — кнопкой «Выпустить» ещё "
        "раз, с подтверждением."
    )


def test_a_double_click_on_revoke_says_it_is_revoked(client, web_school):
    """«Отозвать» with a double click: the key was revoked, and the page said «Невозможно — У
    пользователя «director» нет действующих ключей подписи.» (409), as if nothing had been
    done. Now it says the certificate is revoked, when and why; one ledger entry."""
    with session_scope(web_school.settings.database_url) as s:
        key = s.scalars(select(Signer).where(Signer.role == "director")).one()
        key_id, serial = key.id, key.serial
    login(client, "admin")
    second = twice(client, f"/admin/signers/{key_id}/revoke", {"reason": "Ключ  утерян"})
    assert second.status_code == 302 and second.location == "/admin/"
    page = texts(client.get(second.location))
    assert re.search(
        rf"Сертификат уже отозван \(Кинякина Татьяна Игоревна, № {serial}\) — "
        r"\d\d\.\d\d\.\d{4} в \d\d:\d\d, причина: Ключ утерян \(кнопка нажата второй раз\)\. "
        r"Ничего не изменено\.",
        page,
    )
    again = client.post(f"/admin/signers/{key_id}/revoke", data={"reason": "Другая причина"})
    assert again.status_code == 409  # another reason is not a repeat: the refusal as before
    with session_scope(web_school.settings.database_url) as s:
        kinds = s.scalars(select(Event.kind).where(Event.kind == "signer_revoked")).all()
    assert kinds == ["signer_revoked"]


def test_a_double_click_on_the_key_password_change_does_not_say_it_failed(client, web_school):
    """«Сменить пароль ключа» with a double click: the first click re-encrypted the key, the
    second's «текущий пароль» was then wrong — «Пароль ключа не изменён: неверный пароль
    ключа… (осталось попыток: 4…)», and one attempt counted: the director, told it was not
    changed, signed with the old password and locked her key. Now the second finds the key
    already under the new password: changed, and no attempt left counted."""
    changes = select(Event.kind).where(Event.kind == "signer_password_changed")
    with session_scope(web_school.settings.database_url) as s:
        before = len(s.scalars(changes).all())
    login(client, "director")
    form = {"key_current": KEY_PASSWORD, "key_new": "новый-ключ-1", "key_repeat": "новый-ключ-1"}
    second = twice(client, "/account/key-password", form)
    page = texts(client.get(second.location))
    assert "Пароль ключа электронной подписи изменён: теперь его знаете только вы." in page
    assert "не изменён" not in page
    with session_scope(web_school.settings.database_url) as s:
        key = s.scalars(select(Signer).where(Signer.role == "director")).one()
        assert (key.failed_key_attempts, key.locked_until) == (0, None)
        assert len(s.scalars(changes).all()) == before + 1
    wrong = client.post(
        "/account/key-password",
        data={"key_current": "не-тот-пароль", "key_new": "ещё-один-1", "key_repeat": "ещё-один-1"},
    )
    assert "Пароль ключа не изменён: неверный пароль" in texts(client.get(wrong.location))


def test_a_signature_sent_after_the_role_was_taken_says_why_once(app, web_school):
    """The administrator takes the director's role away while her «Подписать» page is open:
    she got «Ничего не подписано: У пользователя…» (a capital after the colon), then
    «Выбранные документы уже не ждут вашей подписи.» — they do wait, just not for her — and the
    queue's «нет действующего ключа (не выпущен, отозван или истёк)», none of which named the
    cause. Now: the refusal, lower-cased after its colon, and the queue naming the lost role."""
    from service.register.users import find_user

    order = web_school.doc_id("order_pairs")
    director = app.test_client()
    login(director, "director")
    with session_scope(web_school.settings.database_url) as s:
        find_user(s, "director").roles = "curator"
    sent = director.post("/director/sign", data={"document": [order], "password": KEY_PASSWORD})
    page = texts(director.get(director.get(sent.location).location))
    assert (
        "Ничего не подписано: у пользователя «director» нет действующего ключа подписи (ключ не "
        "выпущен, отозван или истёк, или у пользователя больше нет роли, для которой ключ "
        "выпущен)." in page
    )
    assert "Выбранные документы уже не ждут вашей подписи." not in page
    assert (
        "У вас нет действующего ключа электронной подписи (не выпущен, отозван или истёк, или у "
        "вас больше нет роли, для которой он выпущен)." in page
    )


def test_the_confirmation_page_sent_again_after_the_return_says_it_is_done(app, web_school):
    """Back from the queue to the return's confirmation (a page a POST made) and «Отправить
    снова»: «Невозможно — Документ … не ожидает подписи (возвращён на доработку): его нельзя
    вернуть.» (409); the secretary's resubmission the same way. Both now say it is done."""
    program = web_school.doc_id("program")
    director, secretary = app.test_client(), app.test_client()
    login(director, "director")
    login(secretary, "secretary")
    director.post(f"/director/documents/{program}/return", data={"comment": "Дата?"})
    again = director.post(
        f"/director/documents/{program}/return/confirm", data={"comment": "Дата?"}
    )
    assert again.status_code == 302
    assert "уже возвращён вами на доработку" in texts(director.get(again.location))
    secretary.post("/secretary/returned", data={"document": program, "answer": "Верно"})
    again = secretary.post(f"/secretary/returned/{program}", data={"answer": "Верно"})
    assert again.status_code == 302
    page = texts(secretary.get(again.location)).replace("\u00a0", " ")
    assert "уже снова на подписи у директора Кинякиной Т.И.: вы вернули его " in page
    other = director.post(f"/director/documents/{program}/return/confirm", data={"comment": "x"})
    assert other.status_code == 200  # waiting again: the confirmation as always
