"""Texts found by looking at every page as each role (docs/testing.md, «Страницы глазами
пользователя»): a refusal after a colon reads as one sentence, a role named in the right
number, the director without a key is told why the queue is empty, a login asked for by a page
says why, the director's comment quoted in the confirmation."""

from __future__ import annotations

import re

import pytest

from service.register.db import session_scope
from service.signing.signers import revoke_signer
from service.signing.workflow import pending_documents
from service.web import create_app
from tests.signing_calls import return_document
from tests.web_school import login


def texts(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def director_posts(client, web_school, path: str, data: dict) -> str:
    """The director's form about the order on pairs (``{order}`` in ``path``), the page after."""
    login(client, "director")
    order = web_school.doc_id("order_pairs")
    data = {k: v.format(order=order) for k, v in data.items()}
    return texts(client.post(path.format(order=order), data=data, follow_redirects=True))


def test_a_refused_signature_reads_as_one_sentence(client, web_school):
    page = director_posts(
        client, web_school, "/director/sign", {"document": "{order}", "password": "не-тот"}
    )
    assert (
        "Ничего не подписано: неверный пароль ключа электронной подписи (осталось попыток: 4"
        in page
    )


def test_another_roles_page_names_its_roles_each_in_quotes(client, web_school):
    login(client, "secretary")
    page = client.get("/admin/")
    assert page.status_code == 403
    assert "Нет доступа: это для роли «администратор»." in texts(page)
    api = client.post("/api/documents/1/sign", json={"password": "x"})
    assert api.get_json() == {"error": "Нет доступа: это для ролей «директор», «куратор»."}


def test_the_director_without_a_key_is_told_why_and_nothing_waits(users_home):
    client = create_app(users_home, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "director")
    page = texts(client.get("/director/"))
    assert "У вас нет действующего ключа электронной подписи" in page
    assert "Документов, ожидающих вашей подписи, нет." not in page
    assert "Документов, ожидающих подписи по вашей роли, нет." in page


def test_the_director_without_a_key_reads_what_waits_and_may_return_it(client, web_school):
    """The first morning: the workbook is processed, the administrator has not issued his key
    yet (here: it was revoked). He sees the queue — to read and to return, not to sign."""
    with session_scope(web_school.settings.database_url) as s:
        revoke_signer(s, "director", "ключ утерян")
    login(client, "director")
    raw = client.get("/director/").get_data(as_text=True)
    page = texts(client.get("/director/"))
    waiting = len(pending_documents_of_role(web_school, "director"))
    assert waiting > 5
    assert (
        f"Ждут вашей подписи: {waiting}. Прочитать их и вернуть на доработку с комментарием "
        "можно уже сейчас; подписать — когда администратор выпустит вам ключ." in page
    )
    assert 'type="checkbox"' not in raw and "Подписать выбранные" not in raw
    order = web_school.doc_id("order_pairs")
    assert f'href="/director/documents/{order}"' in raw
    document = texts(client.get(f"/director/documents/{order}"))
    assert "Вернуть на доработку" in document
    assert (
        "Документ ждёт вашей подписи, но у вас нет действующего ключа электронной подписи: "
        "подписать его можно, когда администратор выпустит вам ключ" in document
    )
    assert "Подписать…" not in document
    returned = client.post(
        f"/director/documents/{order}/return",
        data={"comment": "Проверьте должность наставника"},
        follow_redirects=True,
    )
    assert "возвращён на доработку с комментарием" in texts(returned)
    assert f'href="/director/documents/{order}"' not in client.get("/director/").get_data(
        as_text=True
    )


def pending_documents_of_role(web_school, role: str) -> list:
    with session_scope(web_school.settings.database_url) as s:
        return pending_documents(s, role, {role})


def test_an_empty_list_says_what_comes_next(users_home):
    """No documents yet (the curator's list, the inspector's archive): where they come from;
    a filter that finds nothing: change it — not a bare «Документов нет.»."""
    client = create_app(users_home, {"WTF_CSRF_ENABLED": False}).test_client()
    first = (
        "Документов пока нет: они появятся, когда секретарь загрузит заполненную книгу Excel "
        "(страница «Пакеты и сканы»)."
    )
    login(client, "curator")
    assert first in texts(client.get("/curator/"))
    assert (
        "Под выбранные условия документов нет. Измените условия или нажмите «Сбросить»."
        in texts(client.get("/curator/?kind=order_pairs"))
    )
    client.post("/logout")
    login(client, "inspector")
    archive = texts(client.get("/inspector/archive"))
    assert first in archive and "Документов нет." not in archive


def test_a_page_asked_for_without_a_session_says_why_the_login_comes(client, web_school):
    first = client.get("/", follow_redirects=True)
    assert "Войдите, чтобы открыть" not in texts(first)
    page = client.get("/director/", follow_redirects=True)
    assert (
        "Войдите, чтобы открыть эту страницу: вход ещё не выполнен или сеанс закончился."
        in texts(page)
    )


def test_the_returned_flash_quotes_the_directors_comment(client, web_school):
    path = "/director/documents/{order}/return"
    page = director_posts(client, web_school, path, {"comment": "Перенесите дату на май"})
    assert "возвращён на доработку с комментарием «Перенесите дату на май»." in page


@pytest.mark.parametrize(
    "comment, flashed",
    [  # a sentence's own stop is not doubled after the closing quote: «…май.». → «…май».
        ("Перенесите дату на май.", "с комментарием «Перенесите дату на май»."),
        ("Почему дата в мае?", "с комментарием «Почему дата в мае?»"),
        ("Ждём решения педсовета…", "с комментарием «Ждём решения педсовета…»"),
    ],
)
def test_the_returned_flash_has_one_full_stop(client, web_school, comment, flashed):
    path = "/director/documents/{order}/return"
    page = director_posts(client, web_school, path, {"comment": comment})
    order = "Приказ об утверждении наставников и наставнических пар"
    assert f"Документ «{order}» возвращён на доработку {flashed} " in page


def test_the_director_with_a_temporary_key_is_sent_to_replace_its_password(app, web_school):
    admin = app.test_client()
    login(admin, "admin")
    form = {"login": "director", "role": "director", "ca_password": "ca-пароль-1"}
    form |= {"password": "временный-1", "password_repeat": "временный-1", "replace": "1"}
    assert "Сертификат выпущен" in texts(
        admin.post("/admin/signers", data=form, follow_redirects=True)
    )
    director = app.test_client()
    login(director, "director")
    notice = (
        "Ваш ключ выпущен с временным паролем администратора: замените его своим на странице "
        "«Учётная запись» — до этого ключ не подписывает."
    )
    assert notice in texts(director.get("/director/"))
    director.post(
        "/account/key-password",
        data={"key_current": "временный-1", "key_new": "мой-ключ-12", "key_repeat": "мой-ключ-12"},
    )
    assert notice not in texts(director.get("/director/"))


def test_a_mistyped_key_password_keeps_the_chosen_documents(client, web_school):
    login(client, "director")
    chosen = [web_school.doc_id("order_pairs"), web_school.doc_id("regulation")]
    data = {"document": [str(i) for i in chosen], "password": "не-тот"}
    answer = client.post("/director/sign", data=data)
    assert answer.location == f"/director/sign?document={chosen[0]}&document={chosen[1]}"
    page = texts(client.get(answer.location))
    assert "Ничего не подписано: неверный пароль ключа электронной подписи" in page
    assert "Подписать 2 документа: 1 приказ, 1 положение" in page


def test_the_issued_key_flash_has_no_markdown_backticks(app, web_school):
    admin = app.test_client()
    login(admin, "admin")
    form = {"login": "curator", "role": "curator", "ca_password": "ca-пароль-1"}
    form |= {"password": "временный-2", "password_repeat": "временный-2"}
    page = texts(admin.post("/admin/signers", data=form, follow_redirects=True))
    assert "`" not in page
    assert (
        "Пароль ключа временный: владелец заменит его своим на странице «Учётная запись» "
        "(или командой nastavnik signer password)." in page
    )


def test_a_batch_card_says_which_batch_it_is(client, web_school):
    """On a phone the batches table becomes cards, each cell led by its column's name: the
    card began «№: 1» — a number of nothing. It says «Пакет: № 1», as the batch's page «Пакет
    № 1»."""
    login(client, "secretary")
    page = client.get("/secretary/").get_data(as_text=True)
    table = page[page.index('<table id="batches"') : page.index("</table>")]
    assert '<th class="num">Пакет</th>' in table
    assert re.findall(r'<td data-label="([^"]*)" class="num">(№&nbsp;\d+)</td>', table) == [
        ("Пакет", "№&nbsp;1")
    ]


def test_a_returned_document_can_be_read_from_its_card(client, web_school):
    """The secretary is told to judge by the director's comment whether the data were right,
    but the returned card had no way to open the document: it links its DOCX, as the batch's
    table does; the administrator, who may not download documents, gets no dead link."""
    order = web_school.doc_id("order_pairs")
    return_document(web_school.settings, "director", order, "Проверьте дату приказа")
    login(client, "secretary")
    page = client.get("/secretary/").get_data(as_text=True)
    card = page[page.index('<table id="returned"') : page.index("</table>", page.index("returned"))]
    assert f'<td data-label="Файл"><a href="/documents/{order}/file">DOCX</a></td>' in card
    assert client.get(f"/documents/{order}/file").status_code == 200
    client.post("/logout")
    login(client, "admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert '<table id="returned"' in page and f"/documents/{order}/file" not in page


def test_a_return_is_confirmed_before_the_document_leaves_the_queue(client, web_school):
    """Signing asks first, returning did not: one tap on «Вернуть с комментарием» sent the
    document off the director's queue, and only the office can send it back. The form opens a
    confirmation that quotes the comment; its button returns; «Отмена» goes back to the
    document, nothing returned."""
    order = web_school.doc_id("order_pairs")
    login(client, "director")
    document = client.get(f"/director/documents/{order}").get_data(as_text=True)
    assert f'action="/director/documents/{order}/return/confirm"' in document
    assert "Вернуть с комментарием…</button>" in document
    asked = client.post(
        f"/director/documents/{order}/return/confirm", data={"comment": " Уточните сроки "}
    )
    assert asked.status_code == 200
    page = texts(asked)
    assert (
        "Вернуть на доработку: «Приказ об утверждении наставников и наставнических пар», "
        "версия 1" in page
    )
    assert "Комментарий: «Уточните сроки»" in page
    html = asked.get_data(as_text=True)
    assert f'action="/director/documents/{order}/return"' in html
    # «Отмена» goes back to the document with the comment still typed (the form POSTs it
    # back there; a link opened the form empty and the comment was lost)
    assert (
        f'<button type="submit" formaction="/director/documents/{order}" formnovalidate '
        'class="link cancel">Отмена</button>' in html
    )
    back = client.post(f"/director/documents/{order}", data={"comment": "Уточните сроки"})
    assert back.status_code == 200
    assert (
        '<textarea name="comment" required maxlength="2000">Уточните сроки</textarea>'
        in back.get_data(as_text=True)
    )
    assert (
        client.get(f"/director/documents/{order}")
        .get_data(as_text=True)
        .count('<textarea name="comment" required maxlength="2000"></textarea>')
        == 1
    )
    assert order in [d.id for d in _queue(web_school)]
    empty = client.post(f"/director/documents/{order}/return/confirm", data={"comment": " "})
    assert empty.status_code == 400
    assert "Не заполнено поле «Что исправить»." in texts(empty)
    client.post(f"/director/documents/{order}/return", data={"comment": "Уточните сроки"})
    assert order not in [d.id for d in _queue(web_school)]
    gone = client.post(f"/director/documents/{order}/return/confirm", data={"comment": "ещё"})
    assert gone.status_code == 409
    assert (
        "Документ «Приказ об утверждении наставников и наставнических пар» не ожидает подписи "
        "(возвращён на доработку): его нельзя вернуть." in texts(gone)
    )


def _queue(web_school):
    from service.register.db import session_scope
    from service.signing.workflow import pending_documents

    with session_scope(web_school.settings.database_url) as s:
        return pending_documents(s, "director")


def test_a_document_opened_from_signed_leads_back_to_signed(client, web_school):
    """«Открыть» on «Подписанные» showed the document with «← К списку на подпись», a list it
    had left: a document this user signed leads back to «Подписанные»; one in his queue still
    to the queue."""
    from tests.signing_calls import sign_documents
    from tests.web_school import KEY_PASSWORD

    signed = web_school.doc_id("order_implementation")
    assert sign_documents(web_school.settings, "director", [signed], KEY_PASSWORD)[0].ok
    pending = web_school.doc_id("order_pairs")
    login(client, "director")
    page = client.get(f"/director/documents/{signed}").get_data(as_text=True)
    assert '<p><a href="/director/signed">← Подписанные</a></p>' in page
    assert "К списку на подпись" not in page
    # the date's own «г.» ends the sentence (the user play saw «… 2026 г..»)
    number = re.search(
        r"№ 1/\d+ от \d\d \w+ \d{4} г\.+", texts(client.get(f"/director/documents/{signed}"))
    )
    assert number is not None and number[0].endswith(" г."), number
    page = client.get(f"/director/documents/{pending}").get_data(as_text=True)
    assert '<p><a href="/director/">← К списку на подпись</a></p>' in page


def test_a_wrong_ca_password_is_not_called_no_access(client, web_school):
    """A wrong CA password when issuing a key showed a page headed «Нет доступа» — to the
    administrator, on his own page: it is headed «Неверный пароль»."""
    login(client, "admin")
    form = {"login": "curator", "role": "curator", "ca_password": "не-тот-пароль"}
    form |= {"password": "временный-2", "password_repeat": "временный-2"}
    page = client.post("/admin/signers", data=form)
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "<h1>Неверный пароль</h1>" in html and "Нет доступа" not in html
    assert (
        "Неверный пароль удостоверяющего центра школы (осталось попыток: 4, затем центр "
        "будет заблокирован на 15 минут)."
    ) in texts(page)


def test_replacing_an_api_token_is_confirmed_first(client, web_school):
    """«Выдать новый токен» replaced a working token at once: the school's systems using it
    were refused from then on. The first token is issued at once; a new one over it is asked
    for first, in words."""
    login(client, "secretary")
    page = client.get("/account").get_data(as_text=True)
    assert '<form method="post" action="/account/token">' in page
    assert "Выдать токен</button>" in page
    client.post("/account/token")
    page = client.get("/account").get_data(as_text=True)
    # a link, not a GET form with no fields: that opened «/account/token/confirm?»
    assert (
        '<a href="/account/token/confirm" class="button secondary">Выдать новый токен…</a>' in page
    )
    asked = client.get("/account/token/confirm")
    assert asked.status_code == 200
    assert (
        "Выдать новый токен для API? Прежний токен перестанет действовать сразу: системы "
        "школы, которые им пользуются, получат отказ, пока в них не впишут новый. Новый токен "
        "будет показан один раз." in texts(asked)
    )
    assert '<form method="post" action="/account/token"' in asked.get_data(as_text=True)


def test_the_scans_page_leads_back_to_the_batches(client, web_school):
    """The scans page, opened from a link on the secretary's page, had no way back but the
    menu: it begins «← Все пакеты», as a batch's page does."""
    login(client, "secretary")
    page = client.get("/secretary/scans").get_data(as_text=True)
    main = page[page.index("<main>") :]
    assert main.index('<p><a href="/secretary/">← Все пакеты</a></p>') < main.index("<h1>")


def test_the_roles_checkboxes_have_a_group_label(client, web_school):
    """The roles' checkboxes on the add and edit user forms had no label of their own: a
    screen reader read «Секретарь, флажок» with nothing saying what is chosen. They are a
    fieldset «Роли»."""
    login(client, "admin")
    added = client.get("/admin/").get_data(as_text=True)
    user = re.search(r'href="(/admin/users/\d+)"', added).group(1)
    edited = client.get(user).get_data(as_text=True)
    for page in (added, edited):
        group = re.search(
            r'<fieldset class="roles">\s*<legend>Роли</legend>(.*?)</fieldset>', page, re.S
        )
        assert group is not None
        assert group.group(1).count('<input type="checkbox" name="roles"') == 5
        assert page.count('name="roles"') == 5


MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"


def test_an_order_of_a_past_school_year_warns_that_it_is_dated_today(client, web_school):
    """The demo's orders are of 2023–2024: signed now they carry today's date and a number of
    today's journal. The director reads so on the order's page and on the confirmation."""
    from datetime import date

    day = date.today()
    today = f"{day:%d} {MONTHS.split()[day.month - 1]} {day.year}\xa0г."
    login(client, "director")
    order, regulation = web_school.doc_id("order_pairs"), web_school.doc_id("regulation")
    warning = (
        "Это документ 2023–2024 учебного года (он закончился 31 августа 2024\xa0г.). "
        f"Подписанный сейчас, он получит сегодняшнюю дату — {today} — и очередной номер "
        "журнала приказов: задним числом документ не датируется. Если он был подписан на "
        "бумаге в своё время, не подписывайте его, а верните с комментарием о бумажном "
        "подлиннике."
    )
    page = client.get(f"/director/documents/{order}").get_data(as_text=True)
    assert re.findall(r'<p class="flash error" id="late">([^<]*)</p>', page) == [warning]
    confirm = client.get(f"/director/sign?document={order}").get_data(as_text=True)
    assert re.findall(r'<p class="flash error warning">([^<]*)</p>', confirm) == [
        "Приказ об утверждении наставников и наставнических пар. " + warning
    ]
    both = client.get(f"/director/sign?document={order}&document={regulation}")
    assert re.findall(
        r'<p class="flash error warning">([^<]*)</p>', both.get_data(as_text=True)
    ) == [
        "Документы прошедшего учебного года (2023–2024) — 2\xa0документа: подписанные сейчас, "
        f"они получат сегодняшнюю дату — {today}: задним числом документ не датируется. "
        "Подписанные в своё время на бумаге не подписывайте, а верните с комментарием о "
        "бумажном подлиннике."
    ]


def test_a_table_cell_shows_its_paragraphs_as_lines(client, web_school):
    """The regulation's approval block read «ПРИНЯТОна заседании педагогического совета МБОУ
    Идринская СОШпротокол от 30.08.2023 № 1» on the director's page (the lead's look at the
    demo in Chromium): a cell's paragraphs were run together. Each is a line of its cell."""
    login(client, "director")
    page = client.get(f"/director/documents/{web_school.doc_id('regulation')}")
    html = page.get_data(as_text=True)
    assert (
        "<td>ПРИНЯТО<br>на заседании педагогического совета МБОУ Идринская СОШ<br>"
        "протокол от 30.08.2023 №\u00a01</td>"
    ) in html
    assert "ПРИНЯТОна" not in html and "СОШпротокол" not in html
