"""Each role's day through the Flask test client: upload and progress, the director's queue,
the curator's filters and packs, the inspector's sheet and verification, the administrator."""

from __future__ import annotations

import io
import re
import time
import zipfile
from urllib.parse import quote

from openpyxl import load_workbook
from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Batch, Document, DocumentStatus, Event, Pair, Signer
from service.register.users import find_user, issue_api_token
from service.store import FileStore
from service.web import create_app
from service.web.filters import ru_date
from tests.web_school import KEY_PASSWORD, login, password_of
from tests.workbooks import organization_rows, write_workbook


def wait_for_batch(client, batch_id: int, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/api/batches/{batch_id}").get_json()
        if body["status"] != "processing":
            return body
        assert time.monotonic() < deadline, "the batch was not processed"
        time.sleep(0.1)


def texts(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_secretary_uploads_a_workbook_and_sees_its_documents(users_home, tmp_path, school_template):
    client = create_app(users_home, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "secretary")
    assert "Пакетов пока нет" in texts(client.get("/secretary/"))
    data = school_template.workbook.read_bytes()
    response = client.post(
        "/secretary/upload",
        data={"workbook": (io.BytesIO(data), "Наша школа.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    batch_id = int(response.location.rsplit("/", 1)[1])
    body = wait_for_batch(client, batch_id)
    assert body["status"] == "done" and body["documents_done"] == body["documents_total"] > 20
    page = texts(client.get(f"/secretary/batches/{batch_id}"))
    assert "обработан" in page and "Приказ об утверждении наставников" in page
    assert (users_home.processed / "Наша школа.xlsx").is_file()
    assert not list((users_home.var / "uploads").iterdir())
    listing = texts(client.get("/secretary/"))
    assert "Наша школа.xlsx" in listing and "обработан" in listing
    blank = client.get("/secretary/blank.xlsx")
    assert blank.status_code == 200
    assert "Организация" in load_workbook(io.BytesIO(blank.data)).sheetnames


def test_a_rejected_workbook_shows_its_error_report(users_home, tmp_path):
    client = create_app(users_home, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "secretary")
    bad = write_workbook(
        tmp_path / "с ошибкой.xlsx",
        {"Организация": organization_rows(**{"Учебный год": "когда-то"})},
    )
    response = client.post(
        "/secretary/upload",
        data={"workbook": (io.BytesIO(bad.read_bytes()), bad.name)},
        content_type="multipart/form-data",
    )
    batch_id = int(response.location.rsplit("/", 1)[1])
    assert wait_for_batch(client, batch_id)["status"] == "rejected"
    page = texts(client.get(f"/secretary/batches/{batch_id}"))
    assert "отклонён" in page and "Почему книга не принята" in page and "Учебный год" in page
    # what happened is said once, by the report's headline (the page repeated it above)
    assert page.count("реестр не изменён") + page.count("Реестр не изменён") == 1
    assert "Файл «с ошибкой.xlsx» не принят: найдено ошибок — 1. Исправьте их в книге" in page
    check = texts(
        client.post(
            "/secretary/check",
            data={"workbook": (io.BytesIO(bad.read_bytes()), bad.name)},
            content_type="multipart/form-data",
        )
    )  # the check's verdict says it; the report below lists the errors without a headline
    assert "Книга «с ошибкой.xlsx» не будет принята: 1 ошибка. Ничего не изменено." in check
    assert "не принят" not in check and "1. лист «Организация», строка" in check
    report = client.get(f"/api/batches/{batch_id}/report").get_json()["report"]
    assert "Учебный год" in report
    assert (users_home.failed / "с ошибкой.xlsx").is_file()
    assert (users_home.failed / "с ошибкой.xlsx.errors.txt").is_file()


def test_director_reads_signs_two_at_once_and_returns_one(client, web_school):
    login(client, "director")
    implementation = web_school.doc_id("order_implementation")
    coordinators = web_school.doc_id("order_coordinators")
    training = web_school.doc_id("order_training")
    queue = texts(client.get("/director/"))
    assert "Подписать выбранные" in queue and "Приказ о назначении координатора" in queue
    preview = texts(client.get(f"/director/documents/{coordinators}"))
    assert "ПРИКАЗ" in preview and "Бутрин" in preview
    confirm = texts(client.get(f"/director/sign?document={implementation}&document={coordinators}"))
    assert "Подписать 2 приказа" in confirm and "Пароль ключа электронной подписи" in confirm
    signed = client.post(
        "/director/sign",
        data={"document": [str(implementation), str(coordinators)], "password": KEY_PASSWORD},
        follow_redirects=True,
    )
    with session_scope(web_school.settings.database_url) as s:
        numbers = [s.get(Document, i).number for i in (implementation, coordinators)]
    assert f"Подписано документов: 2. Приказы получили номера {', '.join(numbers)}." in texts(
        signed
    )
    returned = client.post(
        f"/director/documents/{training}/return",
        data={"comment": "Уточните график обучения"},
        follow_redirects=True,
    )
    assert "возвращён на доработку" in texts(returned)
    with session_scope(web_school.settings.database_url) as s:
        states = {d.id: (d.status, d.number, d.comment) for d in s.query(Document)}
    assert states[implementation][0] == states[coordinators][0] == DocumentStatus.SIGNED
    assert states[implementation][1] and states[coordinators][1]
    assert states[training] == (DocumentStatus.RETURNED, None, "Уточните график обучения")
    queue = texts(client.get("/director/"))
    assert "Приказ о назначении координатора" not in queue


def test_director_finds_what_he_signed_on_his_signed_page(client, web_school):
    """A signed document leaves «На подпись»; «Подписанные» lists it with its number, date
    and state, and opens it. Before it, nothing showed him what he had signed."""
    login(client, "director")
    empty = texts(client.get("/director/signed"))
    assert "Вы ещё ничего не подписали." in empty
    coordinators = web_school.doc_id("order_coordinators")
    client.post(
        "/director/sign",
        data={"document": [str(coordinators)], "password": KEY_PASSWORD},
    )
    with session_scope(web_school.settings.database_url) as s:
        number = s.get(Document, coordinators).number
    assert number
    page = client.get("/director/signed")
    assert page.status_code == 200
    listed = texts(page)
    assert f"Приказ о назначении координатора и кураторов, №&nbsp;{number}<" in page.get_data(
        as_text=True
    )
    assert "подписан" in listed and "Подписанные" in listed  # the row's state, the menu
    assert f'href="/director/documents/{coordinators}"' in page.get_data(as_text=True)
    # the file of his signature, as section 12 gives it to the inspector (web11): by the
    # register's ids, the signature checked to be the document's
    with session_scope(web_school.settings.database_url) as s:
        document = s.get(Document, coordinators)
        (signature,) = document.signatures
        p7s = FileStore(web_school.settings.store_dir).get(signature.sha256)
        link = f"/documents/{coordinators}/signatures/{signature.id}/file"
        name = f"{document.file_name}.p7s"
    assert f'<a href="{link}" title="Файл вашей подписи">.p7s</a>' in page.get_data(as_text=True)
    shown = texts(client.get(f"/director/documents/{coordinators}"))
    when = ru_date(signature.signed_at).replace("\xa0", " ")
    assert f"Подписи: Кинякина Т.И. (руководитель, {when}) .p7s . Текст документа" in shown
    assert f'<a href="{link}">.p7s</a>' in client.get(
        f"/director/documents/{coordinators}"
    ).get_data(as_text=True)
    got = client.get(link)
    assert got.status_code == 200 and got.data == p7s
    assert got.mimetype == "application/pkcs7-signature"
    assert quote(name) in got.headers["Content-Disposition"]
    # another document's id with this signature: not found, nothing sent
    other = client.get(
        f"/documents/{web_school.doc_id('regulation')}/signatures/{signature.id}/file"
    )
    assert other.status_code == 404 and other.data != p7s
    client.post("/logout")
    login(client, "curator")
    assert "Вы ещё ничего не подписали." in texts(client.get("/director/signed"))
    # the curator opens the signed order from her lists: the same link
    assert f'<a href="{link}">.p7s</a>' in client.get(
        f"/director/documents/{coordinators}"
    ).get_data(as_text=True)
    assert client.get(link).data == p7s
    client.post("/logout")
    login(client, "admin")
    assert client.get(link).status_code == 403


def test_curator_filters_and_opens_a_pair_card(client, web_school):
    login(client, "curator")
    everything = client.get("/api/documents").get_json()["documents"]
    page = client.get("/curator/?kind=order_pairs").get_data(as_text=True)
    orders = re.search(r'<table id="documents" class="cards">.*?</table>', page, re.S).group(0)
    assert "Приказ об утверждении наставников" in orders and "Согласие" not in orders
    waiting = client.get("/api/documents?status=awaiting_signature").get_json()["documents"]
    assert waiting and all(d["status"] == "awaiting_signature" for d in waiting)
    pair = client.get("/api/documents?pair=1").get_json()["documents"]
    assert {d["kind"] for d in pair} >= {"program"} and len(pair) < len(everything)
    card = texts(client.get("/curator/pairs/1"))
    assert "П-01" in card and "Наставник" in card and "Персонализированная программа" in card
    with session_scope(web_school.settings.database_url) as s:
        mentor_id = s.get(Pair, 1).mentor_id
    mine = client.get(f"/api/documents?person={mentor_id}").get_json()["documents"]
    assert {d["kind"] for d in mine} >= {"consent_adult", "mentor_consent", "program"}
    assert len(mine) < len(everything)
    assert "Пары" in texts(client.get("/curator/pairs"))


def test_packs_hold_inventory_documents_signatures_and_the_ca(client, web_school, tmp_path):
    login(client, "director")
    ids = [web_school.doc_id("order_implementation"), web_school.doc_id("order_pairs")]
    client.post(
        "/director/sign", data={"document": [str(i) for i in ids], "password": KEY_PASSWORD}
    )
    login(client, "curator")
    response = client.get("/packs/section12.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert names[0] == "Опись.xlsx" and "ca.pem" in names
    assert len([n for n in names if n.endswith(".docx")]) == 8
    assert len([n for n in names if n.endswith(".p7s")]) == 2
    batch = zipfile.ZipFile(io.BytesIO(client.get("/packs/batches/1.zip").data)).namelist()
    assert len([n for n in batch if n.endswith(".docx")]) > 20
    api_pack = client.get("/api/packs/pairs/1")
    assert api_pack.status_code == 200 and zipfile.is_zipfile(io.BytesIO(api_pack.data))


def test_inspector_sees_the_section12_sheet_and_verifies_a_file(client, web_school):
    login(client, "director")
    order = web_school.doc_id("order_implementation")
    client.post("/director/sign", data={"document": str(order), "password": KEY_PASSWORD})
    login(client, "inspector")
    sheet = texts(client.get("/inspector/"))
    assert "Приказ о внедрении целевой модели" in sheet and "есть 8 из 8" in sheet
    assert "подписано 1" in sheet and "Кинякина" in sheet
    with session_scope(web_school.settings.database_url) as s:
        document = s.get(Document, order)
        data = FileStore(web_school.settings.store_dir).get(document.sha256)
        p7s = FileStore(web_school.settings.store_dir).get(document.signatures[0].sha256)
    good = texts(
        client.post(
            "/inspector/verify",
            data={
                "file": (io.BytesIO(data), "приказ.docx"),
                "signature": (io.BytesIO(p7s), "п.p7s"),
            },
            content_type="multipart/form-data",
        )
    )
    assert "проверка пройдена" in good and "ПОДПИСЬ ВЕРНА" in good
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 1
    bad = client.post(
        "/api/verify",
        data={
            "file": (io.BytesIO(bytes(changed)), "приказ.docx"),
            "signature": (io.BytesIO(p7s), "п.p7s"),
        },
        content_type="multipart/form-data",
    ).get_json()
    assert bad["ok"] is False and bad["found"] is False and bad["external"]["intact"] is False


def test_admin_adds_a_user_who_can_then_log_in(client, app, web_school):
    login(client, "admin")
    page = client.post(
        "/admin/users",
        data={
            "login": "petrova",
            "full_name": "Петрова Анна Сергеевна",
            "roles": ["curator", "inspector"],
        },
    )
    assert page.status_code == 302  # POST/redirect/GET: a reload repeats nothing
    shown = client.get(page.location).get_data(as_text=True)
    password = re.search(r'id="new-password".*?<code>([^<]+)</code>', shown).group(1)
    assert 'id="new-password"' not in client.get("/admin/").get_data(as_text=True)  # once
    other = app.test_client()
    login(other, "petrova", password)
    home = texts(other.get("/"))
    assert "Все документы" in home and "Раздел 12" in home
    assert other.get("/admin/").status_code == 403


def test_admin_issues_and_revokes_a_signing_key(client, web_school):
    login(client, "admin")
    response = client.post(
        "/admin/signers",
        data={
            "login": "curator",
            "full_name": "Бутрина Ольга Николаевна",
            "position": "Заместитель директора",
            "role": "curator",
            "ca_password": "ca-пароль-1",
            "password": "ключ-куратора-3",
            "password_repeat": "ключ-куратора-3",
        },
        follow_redirects=True,
    )
    assert "Сертификат выпущен: Бутрина" in texts(response)
    wrong_ca = client.post(
        "/admin/signers",
        data={
            "login": "curator",
            "full_name": "Бутрина Ольга Николаевна",
            "position": "Заместитель директора",
            "role": "curator",
            "ca_password": "не тот",
            "password": "ключ-куратора-3",
            "password_repeat": "ключ-куратора-3",
            "replace": "1",
        },
    )
    # a wrong key password is 403 wherever it is typed (the API's signing answers the same)
    assert wrong_ca.status_code == 403
    assert (
        "Неверный пароль удостоверяющего центра школы (осталось попыток: 4, затем центр "
        "будет заблокирован на 15 минут)."
    ) in texts(wrong_ca)
    assert client.get("/ca.pem").data.startswith(b"-----BEGIN CERTIFICATE-----")


def test_a_key_issued_over_a_working_one_asks_before_revoking_it(client, web_school):
    """Found on the running service: «Выпустить сертификат» for a user who already had a
    working key revoked it at once («заменён новым ключом») — the director's key, with her
    own password, gone by a slip of the login field, and nothing asked. Now a page says what
    will be revoked and asks the passwords again; only its button issues the new key."""
    settings = web_school.settings
    login(client, "admin")
    form = {"login": "director", "role": "director", "ca_password": "ca-пароль-1"}
    form |= {"password": "временный-1", "password_repeat": "временный-1"}
    asked = client.post("/admin/signers", data=form)
    assert asked.status_code == 200
    with session_scope(settings.database_url) as s:
        keys = s.scalars(select(Signer).where(Signer.role == "director")).all()
        assert [k.revoked_at for k in keys] == [None]  # nothing issued, nothing revoked
        serial, until = keys[0].serial, keys[0].not_after
    page = texts(asked)
    assert "Выпустить новый ключ подписи для «director» и отозвать действующий?" in page
    assert (
        f"Кинякина Татьяна Игоревна, Директор — руководитель, № {serial}, "
        f"действует до {until:%d.%m.%Y}"
    ) in page
    html = asked.get_data(as_text=True)
    assert "ca-пароль-1" not in html and "временный-1" not in html  # asked again, never kept
    assert 'name="replace" value="1"' in html
    done = client.post("/admin/signers", data=form | {"replace": "1"}, follow_redirects=True)
    assert "Сертификат выпущен: Кинякина Татьяна Игоревна" in texts(done)
    with session_scope(settings.database_url) as s:
        keys = s.scalars(select(Signer).where(Signer.role == "director")).all()
        assert sorted((k.serial == serial, k.revocation_reason) for k in keys) == [
            (False, None),
            (True, "заменён новым ключом"),
        ]
        revoked = s.scalars(select(Event).where(Event.kind == "signer_revoked")).all()
        assert [(e.actor, e.details) for e in revoked] == [
            ("admin", {"login": "director", "serial": serial, "reason": "заменён новым ключом"})
        ]


def test_the_api_signs_with_a_bearer_token(app, web_school):
    with session_scope(web_school.settings.database_url) as s:
        token = issue_api_token(s, find_user(s, "director"))
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    order = web_school.doc_id("order_final_event")
    response = client.post(
        f"/api/documents/{order}/sign", json={"password": KEY_PASSWORD}, headers=bearer
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()["document"]
    assert (
        body["status"] == "signed"
        and body["number"]
        and body["signatures"][0]["role"] == "director"
    )
    again = client.post(
        f"/api/documents/{order}/sign", json={"password": KEY_PASSWORD}, headers=bearer
    )
    assert again.status_code == 409 and "уже подписан" in again.get_json()["error"]
    docx = client.get(body["file_url"], headers=bearer)
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    p7s = client.get(body["signatures"][0]["url"], headers=bearer)
    assert p7s.mimetype == "application/pkcs7-signature"


def test_progress_is_polled_from_the_batch_page(client, web_school):
    login(client, "secretary")
    with session_scope(web_school.settings.database_url) as s:
        batch = s.get(Batch, 1)
        batch.status, batch.documents_total, batch.documents_done = "processing", 27, 11
    page = client.get("/secretary/batches/1").get_data(as_text=True)
    assert "документов готово 11 из 27" in page
    assert 'data-url="/api/batches/1"' in page and "progress.js" in page
    assert '<meta http-equiv="refresh"' in page  # inside <noscript>, for browsers without JS
    assert password_of("secretary")  # the fixture's users are in place


def test_admin_creates_the_ca_on_a_fresh_home(users_home):
    client = create_app(users_home, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "admin")
    assert "Создать удостоверяющий центр" in texts(client.get("/admin/"))
    mismatch = client.post(
        "/admin/ca",
        data={
            "org_name": "Школа № 1",
            "ca_password": "пароль-уц-1",
            "ca_password_repeat": "другой",
        },
    )
    assert mismatch.status_code == 400 and "не совпадают" in texts(mismatch)
    form = {"org_name": "Школа № 1", "ca_password": "пароль-уц-1"}
    unconfirmed = client.post("/admin/ca", data=form | {"ca_password_repeat": "пароль-уц-1"})
    assert unconfirmed.status_code == 400  # done once for ten years: the form asks to confirm
    assert (
        "Удостоверяющий центр не создан: отметьте «Наименование проверено», — оно войдёт в "
        "сертификат центра и во все сертификаты подписантов, и изменить его потом нельзя."
    ) in texts(unconfirmed)
    assert not (users_home.var / "ca" / "ca.pem").exists()
    made = client.post(
        "/admin/ca",
        data=form | {"ca_password_repeat": "пароль-уц-1", "confirmed": "1"},
        follow_redirects=True,
    )
    assert "Удостоверяющий центр школы «Школа № 1» создан" in texts(made)
    assert (users_home.var / "ca" / "ca.pem").is_file()
    form = {
        "login": "director",
        "full_name": "Кинякина Татьяна Игоревна",
        "position": "Директор",
        "role": "director",
        "ca_password": "пароль-уц-1",
        "password": "ключ-директора-1",
        "password_repeat": "ключ-директора-1",
    }
    # no workbook yet: the register has no director to check the name against
    unchecked = client.post("/admin/signers", data=form)
    assert unchecked.status_code == 409
    assert "Сертификат не выпущен: руководитель школы в реестре ещё не записан" in texts(unchecked)
    issued = client.post(
        "/admin/signers",
        data={**form, "other_name_reason": "книга школы ещё не загружена"},
        follow_redirects=True,
    )
    assert "Сертификат выпущен" in texts(issued)
    director = create_app(users_home, {"WTF_CSRF_ENABLED": False}).test_client()
    login(director, "director")
    assert "нет действующего ключа" not in texts(director.get("/director/"))


def test_an_order_signed_again_shows_its_successor_on_the_signed_page(client, web_school, tmp_path):
    """The order on pairs signed in September (№ 1) and again in February (№ 2, П-01
    extended to June; an early end leaves the signed order standing): «Подписанные» said
    «подписан» of both, as if № 1 were still in force; now the first says which signed
    version and number replaced it."""
    from datetime import date

    from service.intake import demo
    from service.pipeline import process_workbook
    from tests.test_school_year import table

    login(client, "director")
    first = web_school.doc_id("order_pairs")
    client.post("/director/sign", data={"document": [str(first)], "password": KEY_PASSWORD})
    pairs = [dict(demo.PAIRS[0], **{"Дата окончания": date(2024, 6, 28)})]
    book = write_workbook(tmp_path / "Февраль.xlsx", {"Пары": table(pairs)})
    assert process_workbook(web_school.settings, book).outcome == "done"
    with session_scope(web_school.settings.database_url) as s:
        (second,) = [
            d.id
            for d in s.query(Document).filter_by(kind="order_pairs")
            if d.status == DocumentStatus.AWAITING_SIGNATURE
        ]
    client.post("/director/sign", data={"document": [str(second)], "password": KEY_PASSWORD})
    with session_scope(web_school.settings.database_url) as s:
        numbers = [s.get(Document, i).number for i in (first, second)]
    page = texts(client.get("/director/signed"))
    rows = re.findall(
        r"Приказ об утверждении наставников и наставнических пар, №&nbsp;(\S+) "
        r"МБОУ Идринская СОШ (\d) [^А-Я]*?г\., \d\d:\d\d (.+?) Открыть",
        page,
    )
    assert rows == [
        (numbers[1], "2", "подписан"),
        (numbers[0], "1", f"подписан; есть новая подписанная версия 2 (№&nbsp;{numbers[1]})"),
    ]
