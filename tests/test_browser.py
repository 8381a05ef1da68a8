"""The office in a real browser: Playwright drives Debian's Chromium against ``nastavnik serve``
(waitress) on a free port, in a home of its own. Screenshots of each role's main page go to
``test-artifacts/screenshots/`` (git-ignored)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Batch, Document, DocumentStatus
from service.store import FileStore
from tests.chromium import CHROMIUM, NEXT_TEST, SHARED_CHROMIUM, uses_browser
from tests.servers import AppServer, Server
from tests.signing_calls import sign_documents
from tests.web_school import (
    KEY_PASSWORD,
    password_of,
    remember_session,
    session_of,
)

SESSION_COOKIE = "nastavnik_session"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"нет {CHROMIUM}: `make test` ставит пакет chromium-headless-shell",
)


@pytest.fixture
def browser(request: pytest.FixtureRequest):
    """Chromium (tests/chromium.py's ``SharedChromium``): each test opens its own context in
    it; closed after a test whose next test needs no browser."""
    yield SHARED_CHROMIUM.get()
    if not uses_browser(request.node.stash.get(NEXT_TEST, None)):
        SHARED_CHROMIUM.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="ru-RU", accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def school_server(web_school) -> Iterator[AppServer]:
    """The web office of ``web_school`` on a free port (served in this process)."""
    server = AppServer(web_school.settings.home)
    yield server
    server.stop()


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def submit(page, selector: str) -> None:
    """Click what sends a form and wait until the page it leads to has loaded.

    A click waits for a navigation to start at most: reading the page at once (``.flash``,
    ``page.url``, ``main``) could read the page left behind, as it did once in CI.
    """
    with page.expect_navigation():
        page.click(selector)


def log_in(page, server: AppServer | Server, login: str) -> None:
    """Sign ``login`` in with his own password and open the start page it leads to.

    Through the login form — on a ``nastavnik serve`` always, on an ``AppServer`` the first
    time in this process per user — and then with the session cookie that form gave
    (tests/web_school.py's ``login``: the same secret key and session key), which skips the
    password's scrypt and the login page."""
    key, cookie = session_of(server.app, login) if isinstance(server, AppServer) else (None, None)
    if cookie is not None:
        page.context.add_cookies([{"name": SESSION_COOKIE, "value": cookie, "url": server.url}])
        page.goto(server.url + "/")
        assert "/login" not in page.url, page.inner_text("main")
        return
    page.goto(server.url + "/")
    assert "/login" in page.url
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password_of(login))
    submit(page, "button:has-text('Войти')")
    assert "/login" not in page.url, page.inner_text("main")
    [cookie] = [c for c in page.context.cookies(server.url) if c["name"] == SESSION_COOKIE]
    remember_session(key, cookie["value"])


def sign(settings, *kinds: str) -> list[int]:
    """Sign the first current document of each kind as the director (setup, not the test)."""
    with session_scope(settings.database_url) as s:
        ids = [
            s.scalars(
                select(Document.id).where(
                    Document.kind == kind, Document.status != DocumentStatus.SUPERSEDED
                )
            ).first()
            for kind in kinds
        ]
    results = sign_documents(settings, "director", ids, KEY_PASSWORD)
    assert all(r.ok for r in results)
    return ids


def test_secretary_uploads_a_workbook_and_sees_the_batch(users_home, school_template, page):
    server = Server(users_home.home)
    try:
        log_in(page, server, "secretary")
        assert page.url.endswith("/secretary/")
        assert "Пакетов пока нет" in page.inner_text("main")
        page.set_input_files("input[name=workbook]", str(school_template.workbook))
        submit(page, "button:has-text('Загрузить и обработать')")
        assert "/secretary/batches/" in page.url
        # progress.js polls /api/batches/<id> and reloads the page when the batch is done
        page.wait_for_selector("#documents", timeout=90_000)
        status = page.inner_text("#batch-status")
        assert "обработан" in status
        rows = page.locator("#documents tr").count() - 1
        assert rows > 20
        text = page.inner_text("#documents")
        assert "Приказ об утверждении наставников" in text and "Согласие" in text
        shot(page, "secretary-batch")
        submit(page, "text=← Все пакеты")
        assert school_template.workbook.name in page.inner_text("main")
        shot(page, "secretary")
    finally:
        server.stop()


def test_a_batch_in_progress_refreshes_itself(web_school, school_server, page):
    """The batch page polls /api/batches/<id>: the count moves and the finished batch shows
    its documents without anyone reloading the page."""
    url = web_school.settings.database_url
    with session_scope(url) as s:
        batch = s.get(Batch, 1)
        batch.status, batch.documents_total, batch.documents_done = "processing", 27, 11
    log_in(page, school_server, "secretary")
    page.goto(school_server.url + "/secretary/batches/1")
    assert "документов готово 11 из 27" in page.inner_text("#batch-status")
    shot(page, "secretary-progress")
    with session_scope(url) as s:
        s.get(Batch, 1).documents_done = 20
    page.wait_for_selector("#batch-status:has-text('готово 20 из 27')", timeout=60_000)
    with session_scope(url) as s:
        s.get(Batch, 1).status = "done"
    page.wait_for_selector("#documents", timeout=60_000)
    assert "обработан" in page.inner_text("#batch-status")


def test_director_signs_two_orders_at_once_and_returns_one(web_school, school_server, page):
    implementation = web_school.doc_id("order_implementation")
    coordinators = web_school.doc_id("order_coordinators")
    training = web_school.doc_id("order_training")
    log_in(page, school_server, "director")
    assert page.url.endswith("/director/")
    shot(page, "director")
    page.check(f"#doc-{implementation}")
    page.check(f"#doc-{coordinators}")
    submit(page, "button:has-text('Подписать выбранные')")
    assert "Подписать 2\xa0приказа" in page.inner_text("#summary")
    page.fill("input[name=password]", KEY_PASSWORD)
    submit(page, "#confirm button:has-text('Подписать')")
    with session_scope(web_school.settings.database_url) as s:
        numbers = [s.get(Document, i).number for i in (implementation, coordinators)]
    assert page.locator(".flash").all_inner_texts() == [
        f"Подписано документов: 2. Приказы получили номера {', '.join(numbers)}."
    ]
    submit(page, f"a[href='/director/documents/{training}']")
    assert "ПРИКАЗ" in page.inner_text(".preview")
    shot(page, "director-preview")
    page.fill("textarea[name=comment]", "Уточните график обучения наставников")
    submit(page, "button:has-text('Вернуть с комментарием')")
    assert "Вернуть на доработку:" in page.inner_text("#confirm")  # asked first
    submit(page, "#confirm button:has-text('Вернуть на доработку')")
    assert "возвращён на доработку" in page.inner_text("main")
    assert page.locator(f"#doc-{training}").count() == 0
    with session_scope(web_school.settings.database_url) as s:
        done = {d.id: d for d in s.scalars(select(Document))}
        assert done[implementation].status == done[coordinators].status == DocumentStatus.SIGNED
        assert done[training].status == DocumentStatus.RETURNED
        assert done[training].comment == "Уточните график обучения наставников"


def test_curator_downloads_the_section12_pack_and_openssl_verifies_it(web_school, page, tmp_path):
    signed = sign(web_school.settings, "regulation", "order_implementation", "order_pairs")
    server = Server(web_school.settings.home)
    try:
        log_in(page, server, "curator")
        shot(page, "curator")
        page.goto(server.url + "/curator/pairs/1")
        shot(page, "curator-pair")
        page.goto(server.url + "/curator/")
        with page.expect_download() as download_info:
            page.click("#pack-section12")
        download = download_info.value
        assert download.suggested_filename.endswith(".zip")
        pack = tmp_path / "pack.zip"
        download.save_as(str(pack))
    finally:
        server.stop()
    unpacked = tmp_path / "pack"
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(unpacked)
        names = archive.namelist()
    assert "Опись.xlsx" in names and "ca.pem" in names
    signatures = sorted(unpacked.glob("*.p7s"))
    assert len(signatures) == len(signed) == 3
    for p7s in signatures:
        document = p7s.with_suffix("")
        result = subprocess.run(
            [
                "openssl",
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                str(p7s),
                "-content",
                str(document),
                "-CAfile",
                str(unpacked / "ca.pem"),
                "-out",
                "/dev/null",
            ],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, (p7s.name, result.stderr)
        assert "Verification successful" in result.stderr


def test_inspector_sees_two_verdicts_for_a_document_and_its_changed_copy(
    web_school, page, tmp_path
):
    (order,) = sign(web_school.settings, "order_pairs")
    store = FileStore(web_school.settings.store_dir)
    with session_scope(web_school.settings.database_url) as s:
        document = s.get(Document, order)
        original = tmp_path / "приказ.docx"
        original.write_bytes(store.get(document.sha256))
        p7s = tmp_path / "приказ.docx.p7s"
        p7s.write_bytes(store.get(document.signatures[0].sha256))
    changed = tmp_path / "изменённый" / "приказ.docx"
    changed.parent.mkdir()
    data = bytearray(original.read_bytes())
    data[len(data) // 2] ^= 0x01
    changed.write_bytes(bytes(data))
    server = Server(web_school.settings.home)
    try:
        log_in(page, server, "inspector")
        assert "Комплектность раздела 12" in page.inner_text("h1")
        assert "есть 8 из 8" in page.inner_text("main")
        shot(page, "inspector")
        submit(page, "nav >> text=Проверка файла")
        page.set_input_files("input[name=file]", str(original))
        page.set_input_files("input[name=signature]", str(p7s))
        submit(page, "button:has-text('Проверить')")
        verdict = page.inner_text("#verdict")
        assert "проверка пройдена" in verdict and "ПОДПИСЬ ВЕРНА" in verdict
        assert "Приложенный файл подписи: ПОДПИСЬ ВЕРНА" in verdict
        shot(page, "inspector-verify-good")
        page.set_input_files("input[name=file]", str(changed))
        page.set_input_files("input[name=signature]", str(p7s))
        submit(page, "button:has-text('Проверить')")
        verdict = page.inner_text("#verdict")
        assert "проверка НЕ пройдена" in verdict and "ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА" in verdict
        assert "нет в реестре" in verdict
        shot(page, "inspector-verify-changed")
    finally:
        server.stop()


def test_secretary_opening_the_directors_signing_url_gets_403(web_school, school_server, page):
    order = web_school.doc_id("order_pairs")
    log_in(page, school_server, "secretary")
    response = page.goto(f"{school_server.url}/director/documents/{order}")
    assert response.status == 403
    assert "Нет доступа" in page.inner_text("main")
    shot(page, "secretary-403")


def test_admin_main_page(web_school, school_server, page):
    log_in(page, school_server, "admin")
    assert page.url.endswith("/admin/")
    users = page.inner_text("#users")
    assert all(login in users for login in ("secretary", "director", "curator", "inspector"))
    assert "действует" in page.inner_text("#signers")
    shot(page, "admin")


def test_screenshots_are_kept_out_of_git():
    ignore = (Path(__file__).resolve().parent.parent / ".gitignore").read_text()
    assert "test-artifacts/" in ignore
    assert shutil.which("openssl")
