"""Bad input on every form and API endpoint — a wrong file type, a 50 MB upload, a missing
field, an unknown id, a path with ``../`` — gets a clear Russian message or a JSON error,
never a 500, and writes nothing."""

from __future__ import annotations

import html
import io
import re

import pytest
from sqlalchemy import func, select

from service.register.bounds import MAX_ROW_ID
from service.register.db import session_scope
from service.register.models import Batch, Event, Signature
from tests.web_school import login

UNKNOWN = 987654
RUSSIAN = re.compile("[а-яА-ЯёЁ]")


def state(settings) -> tuple:
    """Everything a request could have written: rows, stored files, staged uploads, inbox."""
    with session_scope(settings.database_url) as s:
        rows = tuple(
            s.scalar(select(func.count()).select_from(model)) for model in (Batch, Event, Signature)
        )
    files = sorted(p.name for p in settings.store_dir.rglob("*") if p.is_file())
    uploads = sorted(str(p) for p in (settings.var / "uploads").rglob("*"))
    inbox = sorted(str(p) for p in settings.inbox.rglob("*"))
    return rows, files, uploads, inbox


@pytest.fixture
def before(web_school):
    return state(web_school.settings)


@pytest.fixture
def shared_client(module_app):
    """A new client of the module's one school (conftest's ``module_school``), for the
    parametrised refusals: each asserts that nothing changed, so none needs its own copy."""
    return module_app.test_client()


@pytest.fixture
def shared_before(module_school):
    return state(module_school.settings)


def as_role(client, role):
    login(client, role)
    return client


NOT_EXCEL = (
    "Файл «{}» не принят: это не книга Excel (.xlsx). Откройте его в Excel или LibreOffice, "
    "сохраните как «Книга Excel (*.xlsx)» и загрузите снова."
)

WRONG_FILE = (
    "Файл «{}» не принят: это документ {}, а не книга Excel (.xlsx). Похоже, передан не тот "
    "файл: в Excel его не пересохранить. Передайте заполненную книгу Excel (.xlsx); пустую "
    "форму даёт страница секретаря («Скачать пустую книгу для заполнения») или команда "
    "«nastavnik template бланк.xlsx»."
)


def page_error(response, status: int, *phrases: str) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    for phrase in phrases:
        assert phrase in body
    return body


def json_error(response, status: int, *phrases: str) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    message = response.get_json()["error"]
    assert RUSSIAN.search(message)
    for phrase in phrases:
        assert phrase in message
    return message


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("список.txt", "Иванов;Петров".encode(), NOT_EXCEL.format("список.txt")),
        ("книга.xlsx", b"not really a workbook", NOT_EXCEL.format("книга.xlsx")),
        ("книга.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", NOT_EXCEL.format("книга.xls")),
        (  # attack20: «сохраните как xlsx» keeps the password; she was sent round in a loop
            "книга.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\0" * 504
            + "EncryptedPackage".encode("utf-16-le"),
            "Файл «книга.xlsx» не принят: он защищён паролем, поэтому его нельзя прочитать. "
            "Снимите пароль (Файл → Сведения → Защитить книгу → Зашифровать с использованием "
            "пароля: очистите поле) и загрузите файл снова.",
        ),
        (
            "../../var/secret_key.xlsx",
            b"PK\x05\x06" + b"\x00" * 18,
            NOT_EXCEL.format("secret_key.xlsx"),
        ),
        ("письмо.docx", b"PK\x03\x04word/document.xml", WRONG_FILE.format("письмо.docx", "Word")),
        ("план.pdf", b"%PDF-1.7\n", WRONG_FILE.format("план.pdf", "PDF")),
        (
            "пустая.xlsx",
            b"",
            "Файл «пустая.xlsx» пуст (0 байт): ничего не загружено. Выберите файл с содержимым "
            "— возможно, этот ещё не сохранён или не скопирован до конца — и отправьте снова.",
        ),
    ],
)
def test_a_wrong_workbook_is_refused_on_the_page_and_the_api(
    shared_client, module_school, shared_before, name, data, message
):
    as_role(shared_client, "secretary")
    page = shared_client.post(
        "/secretary/upload",
        data={"workbook": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    page_error(page, 400, html.escape(message, quote=False))
    api = shared_client.post(
        "/api/batches", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )
    assert json_error(api, 400) == message
    assert state(module_school.settings) == shared_before


def multipart(field: str, name: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body built by hand (the test client would spool a big one to an unclosed
    temporary file)."""
    head = (
        f'--B\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    return head.encode() + data + b"\r\n--B--\r\n", "multipart/form-data; boundary=B"


def test_a_form_of_too_many_parts_is_not_told_its_file_is_too_large(client, web_school, before):
    """attack15: 1,500 small parts (Werkzeug's limit is 1,000) were answered «Файл слишком
    большой: можно загрузить не больше 20 МБ» for a request of 200 KB."""
    as_role(client, "secretary")
    parts = "".join(
        f'--B\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\n1\r\n' for i in range(1500)
    )
    body, kind = (parts + "--B--\r\n").encode(), "multipart/form-data; boundary=B"
    page_error(
        client.post("/secretary/upload", data=body, content_type=kind),
        413,
        "Форма слишком велика: в ней больше 1000 полей и файлов или поле длиннее 500 КБ.",
    )
    assert state(web_school.settings) == before


def test_a_50_mb_upload_is_refused_with_a_message(client, web_school, before):
    as_role(client, "secretary")
    big = b"PK\x03\x04" + b"\x00" * (50 * 1024 * 1024)
    body, kind = multipart("workbook", "огромная.xlsx", big)
    page_error(
        client.post("/secretary/upload", data=body, content_type=kind),
        413,
        "Файл слишком большой",
        "20 МБ",
    )
    body, kind = multipart("file", "огромная.xlsx", big)
    json_error(client.post("/api/batches", data=body, content_type=kind), 413, "20 МБ")
    login(client, "inspector")
    json_error(client.post("/api/verify", data=body, content_type=kind), 413)
    page_error(client.post("/inspector/verify", data=body, content_type=kind), 413, "20 МБ")
    assert state(web_school.settings) == before


MISSING_FIELDS = [
    ("secretary", "/secretary/upload", {}, "Не выбран файл"),
    ("secretary", "/secretary/scans", {}, "Не заполнено поле «Документ»"),
    ("secretary", "/secretary/scans", {"document": "1"}, "Не выбран файл"),
    ("secretary", "/secretary/scans", {"document": "один"}, "Выберите документ"),
    ("director", "/director/sign", {"password": "x"}, "Не выбрано ни одного документа"),
    ("director", "/director/sign", {"document": ["2", "../3"], "password": "x"}, "Неверный номер"),
    ("director", "/director/sign", {"document": "2"}, "Не заполнено поле «Пароль подписи»"),
    ("director", "/director/documents/2/return", {}, "Не заполнено поле «Что исправить»"),
    ("inspector", "/inspector/verify", {}, "Не выбран файл"),
    ("admin", "/admin/users", {"login": "x1", "full_name": "Иванов И. И."}, "хотя бы одну роль"),
    ("admin", "/admin/users", {"full_name": "Иванов", "roles": "curator"}, "«Логин»"),
    (
        "admin",
        "/admin/users",
        {"login": "a b", "full_name": "Иванов", "roles": "curator", "password": "длинный-пароль"},
        "Логин: от 2",
    ),
    (
        "admin",
        "/admin/users",
        {"login": "short", "full_name": "Иванов", "roles": "curator", "password": "1"},
        "Пароль не короче",
    ),
    ("admin", "/admin/signers", {"login": "director"}, "Не заполнено поле"),
    ("admin", "/admin/ca", {"org_name": "Школа"}, "уже создан"),
    ("curator", "/account/password", {"current": "x"}, "Не заполнено поле «Новый пароль»"),
]


@pytest.mark.parametrize("role, url, data, phrase", MISSING_FIELDS)
def test_a_missing_or_bad_field_gets_a_russian_message(
    shared_client, module_school, shared_before, role, url, data, phrase
):
    as_role(shared_client, role)
    page_error(shared_client.post(url, data=data), 400, phrase)
    assert state(module_school.settings) == shared_before


API_MISSING = [
    ("director", "/api/documents/2/sign", {}, "password"),
    ("director", "/api/documents/2/sign", ["not", "an", "object"], "в JSON — не объект"),
    ("director", "/api/documents/2/return", {"comment": "   "}, "comment"),
    ("secretary", "/api/batches", None, "file"),
    ("inspector", "/api/verify", None, "file"),
]


@pytest.mark.parametrize("role, url, body, phrase", API_MISSING)
def test_api_missing_field_is_a_json_400(
    shared_client, module_school, shared_before, role, url, body, phrase
):
    as_role(shared_client, role)
    response = (
        shared_client.post(url, json=body) if body is not None else shared_client.post(url, data={})
    )
    json_error(response, 400, phrase)
    assert state(module_school.settings) == shared_before


def test_a_json_body_nested_past_any_form_is_a_400(client, web_school, before):
    """100,000 nested brackets overflowed the JSON decoder's recursion: «Внутренняя ошибка»
    (500) instead of the missing field."""
    as_role(client, "director")
    nested = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/documents/2/sign", data=nested, content_type="application/json")
    assert json_error(response, 400) == NOT_AN_OBJECT.format("в JSON — не объект")
    assert state(web_school.settings) == before


NOT_AN_OBJECT = (
    'Тело запроса {}: ожидается объект с полями запроса, например {{"comment": "…"}}. '
    "Ничего не изменено."
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{'password': 'x'}", NOT_AN_OBJECT.format("не читается как JSON")),
        ('"DirKey123456"', NOT_AN_OBJECT.format("в JSON — не объект")),
        ('{"password": 123456789012}', "Поле «password» должно быть текстом (строкой JSON)."),
        ('{"password": ["x"]}', "Поле «password» должно быть текстом (строкой JSON)."),
    ],
)
def test_a_json_body_that_is_not_an_object_of_texts_is_named(
    shared_client, module_school, shared_before, body, message
):
    """attack15: a body in single quotes, a bare string or a password sent as a number were
    all «Не заполнено поле «password»» — the caller looked for a field it had sent."""
    as_role(shared_client, "director")
    response = shared_client.post(
        "/api/documents/2/sign", data=body, content_type="application/json"
    )
    assert json_error(response, 400) == message
    assert state(module_school.settings) == shared_before


def test_a_wrong_signing_password_signs_nothing(client, web_school, before):
    as_role(client, "director")
    order = web_school.doc_id("order_pairs")
    page = client.post(
        "/director/sign", data={"document": str(order), "password": "не тот"}, follow_redirects=True
    )
    assert page.status_code == 200 and "Ничего не подписано" in page.get_data(as_text=True)
    json_error(client.post(f"/api/documents/{order}/sign", json={"password": "не тот"}), 403)
    assert state(web_school.settings) == before


def test_every_unknown_id_is_a_404(app, web_school, before):
    """Every rule with an id, for a role allowed there, with an id that does not exist."""
    clients = {}
    seen = 0
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint == "static":
            continue
        role = sorted(app.view_functions[rule.endpoint].required_roles)[0]
        if role not in clients:
            clients[role] = as_role(app.test_client(), role)
        url = re.sub(r"<(?:\w+:)?(\w+)>", str(UNKNOWN), rule.rule)
        if "GET" in rule.methods:
            response = clients[role].get(url)
        else:
            response = clients[role].post(
                url, data={"comment": "c", "password": "p", "roles": "admin"}
            )
        assert response.status_code == 404, url
        if url.startswith("/api/"):
            json_error(response, 404, str(UNKNOWN))
        else:
            page_error(response, 404, str(UNKNOWN))
        seen += 1
    assert seen >= 15
    assert state(web_school.settings) == before


@pytest.mark.parametrize(
    "url",
    [
        "/documents/../../var/secret_key/file",
        "/documents/..%2F..%2Fvar%2Fsecret_key/file",
        "/documents/1/../../../etc/passwd",
        "/api/documents/..%2F1/file",
        "/api/documents/1%2F..%2F..%2Fsecret_key/file",
        "/static/../../var/secret_key",
        "/static/..%2F..%2F..%2Fvar%2Fsecret_key",
        "/packs/pairs/..%2F..%2Fvar.zip",
        "/secretary/batches/-1",
    ],
)
def test_paths_with_dot_dot_reach_nothing(shared_client, module_school, url):
    as_role(shared_client, "curator")
    secret = (module_school.settings.var / "secret_key").read_text().strip()
    response = shared_client.get(url)
    assert response.status_code in (404, 403), url
    assert secret not in response.get_data(as_text=True)
    if url.startswith("/api/"):
        assert "error" in response.get_json()


@pytest.mark.parametrize(
    "query", ["kind=nonsense", "status=lost", "pair=abc", "person=1e3", "batch=-1"]
)
def test_bad_filters_are_400(shared_client, query):
    as_role(shared_client, "curator")
    page_error(shared_client.get(f"/curator/?{query}"), 400)
    json_error(shared_client.get(f"/api/documents?{query}"), 400)


@pytest.mark.parametrize(
    ("query", "label", "wrong"),
    [
        ("pair=abc", "Номер пары", "должен быть числом."),
        ("person=1e3", "Номер участника", "должен быть числом."),
        ("batch=0", "Номер пакета", f"должен быть от 1 до {MAX_ROW_ID}."),
        ("person=-1", "Номер участника", f"должен быть от 1 до {MAX_ROW_ID}."),
    ],
)
def test_a_bad_filter_is_named_in_the_pages_words(shared_client, query, label, wrong):
    """«Параметр «pair» должен быть числом.» named what no user typed: the page says it in its
    own words; the API, whose callers write «pair», adds the parameter's name."""
    as_role(shared_client, "curator")
    body = html.unescape(page_error(shared_client.get(f"/curator/?{query}"), 400))
    assert f'role="alert">{label} {wrong}</p>' in body and "Параметр" not in body
    name = query.split("=")[0]
    message = json_error(shared_client.get(f"/api/documents?{query}"), 400)
    assert message == f"{label} (параметр «{name}») {wrong}"


def test_verifying_garbage_is_a_verdict_not_a_crash(client, web_school, before):
    as_role(client, "inspector")
    page = client.post(
        "/inspector/verify",
        data={
            "file": (io.BytesIO(b"\x00\x01 anything"), "x.bin"),
            "signature": (io.BytesIO(b"not a signature"), "x.p7s"),
        },
        content_type="multipart/form-data",
    )
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "проверка НЕ пройдена" in body and "нет в реестре" in body
    assert state(web_school.settings) == before


def test_a_scan_must_be_a_scan(client, web_school, before):
    as_role(client, "secretary")
    consent = web_school.doc_id("consent_adult")
    page = client.post(
        "/secretary/scans",
        data={"document": str(consent), "scan": (io.BytesIO(b"MZ\x90\x00 program"), "скан.pdf")},
        content_type="multipart/form-data",
    )
    page_error(page, 400, "PDF, JPEG, PNG или TIFF")
    assert state(web_school.settings) == before


def test_wrong_method_is_405_not_500(client):
    as_role(client, "director")
    page_error(  # a form's address typed or bookmarked: what to do, in the user's words
        client.get("/director/documents/1/return"),
        405,
        "<h1>Адрес открывается кнопкой</h1>",
        "Этот адрес открывается кнопкой на странице, а не ссылкой, закладкой или из адресной "
        "строки. Вернитесь на страницу и нажмите кнопку ещё раз.",
        "На главную",
    )
    json_error(client.put("/api/documents"), 405, "Этот адрес API не принимает метод PUT.")


def test_a_form_sent_to_a_page_that_only_opens_is_told_so(client):
    """A POST to a page that only opens (a stale page's form, a hand-made request) was told
    «Этот адрес открывается кнопкой…» — to press the button just pressed; an HTTP error
    Werkzeug raises without a Russian text showed its English description."""
    as_role(client, "director")
    body = page_error(
        client.post("/director/"),
        405,
        "<h1>Страница только открывается</h1>",
        "На эту страницу ничего не отправляют: она только открывается ссылкой. Откройте её "
        "заново и нажмите кнопку на ней. Ничего не изменено.",
    )
    assert "кнопкой на странице" not in body
    # a download resumed past the file's end: Werkzeug's «The server cannot provide the
    # requested range.» was shown as it is
    as_role(client, "curator")
    page_error(
        client.get("/documents/1/file", headers={"Range": "bytes=99999999-"}),
        416,
        "<h1>Не та часть файла</h1>",
        "Запрошена часть файла за его концом (докачка прерванной загрузки?). Скачайте файл "
        "заново целиком.",
    )


def test_a_name_with_direction_controls_is_shown_as_it_is(client, web_school):
    """«книга\u202excsl.exe.xlsx» would read «книгаxlsx.exe.lscx» in the list of batches: the
    invisible right-to-left override is shown as «_», in the list and on the batch's page."""
    import zipfile

    copy = io.BytesIO()  # the same workbook with a zip comment: another file, nothing to change
    with zipfile.ZipFile(web_school.workbook) as source, zipfile.ZipFile(copy, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.comment = b"another copy"
    as_role(client, "secretary")
    response = client.post(
        "/secretary/upload",
        data={"workbook": (io.BytesIO(copy.getvalue()), "книга\u202excsl.exe\u2066.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    for page in ("/secretary/", response.headers["Location"]):
        body = client.get(page).get_data(as_text=True)
        assert "книга_xcsl.exe_.xlsx" in body
        assert not re.search("[\u202a-\u202e\u2066-\u2069]", body)


def test_a_range_the_service_does_not_serve_gets_the_whole_file(client, web_school):
    """A Range header that cannot be read («bytes=abc») or asks for several parts (download
    managers send «bytes=0-1,5-6») was «416 Запрошена часть файла за его концом» — the file
    could not be downloaded at all. Such a header is ignored, as HTTP says a server may: the
    whole file, 200. One part is still served (206)."""
    as_role(client, "curator")
    whole = client.get("/documents/1/file")
    assert whole.status_code == 200
    for asked in ("bytes=abc", "bytes=0-1,5-6", "items=0-1"):
        response = client.get("/documents/1/file", headers={"Range": asked})
        assert (response.status_code, response.data) == (200, whole.data), asked
    part = client.get("/documents/1/file", headers={"Range": "bytes=0-9"})
    assert (part.status_code, part.data) == (206, whole.data[:10])


def test_a_workbook_uploaded_again_says_it_was_processed_already(client, web_school, before):
    """The November workbook uploaded a second time changes nothing, as in inbox/ (where a
    «.повтор.txt» note says so): the page and the API say it too, instead of showing the old
    batch as if it had just been processed."""
    as_role(client, "secretary")
    data = web_school.workbook.read_bytes()
    page = client.post(
        "/secretary/upload",
        data={"workbook": (io.BytesIO(data), "Ноябрь (копия).xlsx")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 302 and page.location.endswith("/secretary/batches/1")
    shown = client.get(page.location).get_data(as_text=True)
    flash = re.search(r'class="flash[^"]*"[^>]*>([^<]*)<', shown)
    assert flash is not None, shown[:2000]
    assert re.fullmatch(
        r"Книга «Ноябрь \(копия\)\.xlsx» уже обработана \(пакет № 1 от \d\d\.\d\d\.\d{4} "
        r"\d\d:\d\d\): ничего не изменено\. Документы пакета — ниже\.",
        html.unescape(flash.group(1)).strip(),
    ), flash.group(1)
    api = client.post(
        "/api/batches",
        data={"file": (io.BytesIO(data), "Ноябрь (копия).xlsx")},
        content_type="multipart/form-data",
    )
    body = api.get_json()
    assert (api.status_code, body["batch"], body["duplicate"]) == (200, 1, True)
    assert body["message"].startswith("Книга «Ноябрь (копия).xlsx» уже обработана (пакет № 1 от ")
    rows, files, _, _ = state(web_school.settings)
    assert (rows, files) == (before[0], before[1])  # no batch, event or document
    kept = web_school.settings.processed  # nothing is lost: the copies, with their notes
    assert sorted(p.name for p in kept.iterdir()) == [
        "Ноябрь (копия) (2).xlsx",
        "Ноябрь (копия) (2).xlsx.повтор.txt",
        "Ноябрь (копия).xlsx",
        "Ноябрь (копия).xlsx.повтор.txt",
    ]
