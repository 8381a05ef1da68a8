# ruff: noqa: F401, F811 - pytest fixtures are imported and then named as arguments
"""The inspector downloads the year's archive in the browser: ``nastavnik archive export``
without a folder keeps the bag in the service (``var/exports/``), and the inspector's archive
page gives it as one ZIP that unpacks to the very bag — BagIt-valid, its tag manifest signed by
the school's CA, each document's ``.p7s`` verified by openssl. The archive of the archived
school (tests/archive_school.py), with the web office's users added."""

from __future__ import annotations

import subprocess
import threading
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import bagit
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from service.archive.errors import ArchiveError
from service.archive.exports import export_pack, exports_folder, keep_export, kept_exports
from service.cli import main
from service.errors import Conflict
from service.register.db import session_scope
from service.register.models import Document, DocumentStatus
from tests.archive_school import CA_PASSWORD, SCAN, YEAR, copy_home
from tests.servers import AppServer
from tests.signing_calls import attach_scan
from tests.test_browser import browser, log_in, page, pytestmark, shot
from tests.web_school import login, make_users

CA = "data/Удостоверяющий центр/ca.pem"


def export_into_the_service(home: Path) -> str:
    result = CliRunner().invoke(
        main,
        ["--home", str(home), "archive", "export", "--year", YEAR, "--password-stdin"],
        input=f"{CA_PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    return result.output


def openssl_verify(signature: Path, content: Path, ca: Path, *extra: str) -> str:
    done = subprocess.run(
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(signature)]
        + ["-content", str(content), "-CAfile", str(ca), "-out", "/dev/null", *extra],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, (signature.name, done.stderr)
    return done.stderr


def test_the_inspector_downloads_the_exported_archive_and_it_is_the_bag(exported, page, tmp_path):
    settings = copy_home(exported[0], tmp_path / "школа")
    make_users(settings)
    server = AppServer(settings.home)
    try:
        log_in(page, server, "inspector")
        page.goto(server.url + "/inspector/archive")
        text = page.inner_text("#exports")
        assert f"Архив для проверки ещё не выгружен за {YEAR} учебный год" in text
        assert f"nastavnik archive export --year {YEAR}" in text
        assert page.locator("a.export-download").count() == 0

        output = export_into_the_service(settings.home)
        assert "Проверяющий скачивает его на странице «Архив»" in output
        [kept] = kept_exports(settings.var)
        assert kept.year == YEAR and kept.path == settings.var / "exports" / YEAR
        page.reload()
        shot(page, "inspector-archive-export")
        assert "не выгружен" not in page.inner_text("#exports")
        row = page.inner_text("#export-list")
        assert f"{YEAR} учебный год" in row and "Скачать ZIP" in row
        page.click("details.export-instructions summary")
        assert "ПРОВЕРКА ПАКЕТА ДОКУМЕНТОВ" in page.inner_text("details.export-instructions pre")
        with page.expect_download() as info:
            page.click("a.export-download")
        download = info.value
        assert download.suggested_filename == f"МБОУ Идринская СОШ — архив {YEAR} (BagIt).zip"
        archive = tmp_path / "архив.zip"
        download.save_as(str(archive))

        url = server.url + page.get_attribute("a.export-download", "href")
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
        head = urllib.request.Request(url, method="HEAD", headers={"Cookie": cookie})
        with urllib.request.urlopen(head) as response:
            assert int(response.headers["Content-Length"]) == archive.stat().st_size
            etag = response.headers["ETag"]
        ranged = urllib.request.Request(
            url, headers={"Cookie": cookie, "Range": "bytes=100-199", "If-Range": etag}
        )
        with urllib.request.urlopen(ranged) as response:
            assert response.status == 206
            assert response.read() == archive.read_bytes()[100:200]
    finally:
        server.stop()

    unpacked = tmp_path / "распакован"
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(unpacked)
    [bag] = list(unpacked.iterdir())
    assert bag.name == f"МБОУ Идринская СОШ — архив {YEAR} (BagIt)"
    bagit.Bag(str(bag)).validate(fast=False)
    kept_files = sorted(p.relative_to(kept.path) for p in kept.path.rglob("*") if p.is_file())
    assert sorted(p.relative_to(bag) for p in bag.rglob("*") if p.is_file()) == kept_files
    for name in kept_files:
        assert (bag / name).read_bytes() == (kept.path / name).read_bytes(), name
    manifest = bag / "tagmanifest-sha256.txt"
    assert "Verification successful" in openssl_verify(
        manifest.with_name(manifest.name + ".p7s"), manifest, bag / CA, "-purpose", "any"
    )
    p7s = next(bag.glob("data/Раздел 12/**/*.docx.p7s"))
    assert "Verification successful" in openssl_verify(p7s, p7s.with_suffix(""), bag / CA)


def test_a_changed_file_of_the_kept_archive_is_never_zipped(exported, tmp_path):
    settings = copy_home(exported[0], tmp_path / "школа")
    export_into_the_service(settings.home)
    [kept] = kept_exports(settings.var)
    document = next(kept.path.glob("data/Раздел 12/**/*.docx"))
    data = bytearray(document.read_bytes())
    data[len(data) // 2] ^= 0x01
    document.write_bytes(bytes(data))
    try:
        export_pack(settings.var, YEAR, "Идринская СОШ")
    except Exception as exc:
        message = str(exc)
    else:
        message = "no error"
    assert message == (
        f"Файл выгруженного архива «{document.relative_to(kept.path).as_posix()}» изменён "
        "после выгрузки (его SHA-256 не тот, что в описи пакета). Выгрузите архив снова."
    )
    assert not list((settings.var / "packs").glob("*.zip"))


def test_the_page_says_what_was_archived_after_the_export(exported, tmp_path):
    """A consent scanned and archived after the year's bag was exported is not in it: the page
    says so beside the download, and how to get a full one."""
    from service.web import create_app
    from tests.test_web_pages import texts

    settings = copy_home(exported[0], tmp_path / "школа")
    make_users(settings)
    export_into_the_service(settings.home)
    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "inspector")
    assert "После выгрузки" not in texts(client.get("/inspector/archive"))
    with session_scope(settings.database_url) as s:
        consent = s.scalars(
            select(Document.id).where(
                Document.kind == "consent_adult", Document.status == DocumentStatus.GENERATED
            )
        ).first()
    attach_scan(settings, consent, SCAN)
    added = CliRunner().invoke(
        main, ["--home", str(settings.home), "archive", "add", str(consent), "--password-stdin"]
    )
    assert added.exit_code == 0, added.output
    assert (
        f"После выгрузки в архив {YEAR} учебного года помещено ещё документов: 1 — в этом "
        "пакете их нет. Попросите администратора выгрузить архив года снова ( nastavnik "
        f"archive export --year {YEAR} )."
    ) in texts(client.get("/inspector/archive"))


def test_the_curators_pairs_count_archived_documents_as_signed(exported, tmp_path):
    """Pair П-01's programme and report, signed and then put into the archive, were «подписано
    0» on the curator's list of pairs: only the status «подписан» was counted (inspector20)."""
    from service.web import create_app
    from tests.test_web_pages import texts

    settings = copy_home(exported[0], tmp_path / "школа")
    make_users(settings)
    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "curator")
    page = texts(client.get("/curator/pairs"))
    row = page[page.index("П-01") : page.index("П-02")]
    assert row.endswith(" 9, подписано 3 ZIP ")


def test_the_administrator_exports_the_year_in_the_browser(exported, tmp_path):
    """The administrator exports the year on «Архив для проверки» with the CA password (what
    ``nastavnik archive export`` without a folder does); a wrong password exports nothing."""
    from service.web import create_app
    from tests.test_web_pages import texts

    settings = copy_home(exported[0], tmp_path / "школа")
    make_users(settings)
    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "admin")
    page = texts(client.get("/admin/archive/"))
    assert "Архив для проверки ещё не выгружался." in page
    assert f'<option value="{YEAR}">' in client.get("/admin/archive/").get_data(as_text=True)
    wrong = client.post("/admin/archive/", data={"year": YEAR, "ca_password": "не тот"})
    assert wrong.status_code == 403 and kept_exports(settings.var) == []
    unknown = client.post("/admin/archive/", data={"year": "1999–2000", "ca_password": "x"})
    assert unknown.status_code == 400
    assert "В архиве нет документов 1999–2000 учебного года" in texts(unknown)
    started = client.post(
        "/admin/archive/", data={"year": YEAR, "ca_password": CA_PASSWORD}, follow_redirects=True
    )
    # in the background (office21: a large year outlasted a proxy's timeout in the request)
    assert f"Выгрузка архива {YEAR} учебного года началась" in texts(started)
    assert client.application.extensions["nastavnik_exports"].wait(300)
    done = texts(client.get("/admin/archive/"))
    assert f"Архив {YEAR} учебного года выгружен: документов " in done and "Закончена " in done
    [kept] = kept_exports(settings.var)
    assert kept.year == YEAR
    bagit.Bag(str(kept.path)).validate(fast=True)
    login(client, "inspector")
    assert f"/packs/archive/{YEAR}.zip".replace("–", "%E2%80%93") in client.get(
        "/inspector/archive"
    ).get_data(as_text=True)


def test_an_export_failing_after_its_folder_was_made_leaves_nothing(tmp_path):
    """review20: ``keep_export`` ran the export outside its clean-up — a bag's folder written
    and then a failure (the ledger's entry, a full disk) left a hidden ``.new-…`` folder in
    ``var/exports`` for good. Now it is removed and the failure told."""
    var = tmp_path / "var"

    def failing(folder: Path):
        folder.mkdir(parents=True)
        (folder / "bag-info.txt").write_text("School-Year: 2025–2026\n", encoding="utf-8")
        raise OSError("Нет места на диске")

    with pytest.raises(OSError, match="Нет места на диске"):
        keep_export(var, failing)
    assert sorted(p.name for p in exports_folder(var).iterdir()) == []


def test_one_archive_export_at_a_time_and_its_failure_said_on_the_page(web_school, tmp_path):
    """office21: the export runs in a background thread, one at a time: a second one while it
    runs is refused with the first one's year and start, the page shows it running (and
    refreshes itself), and a failure is told on the page in Russian."""
    from service.web import create_app
    from tests.test_web_pages import texts

    app = create_app(web_school.settings, {"WTF_CSRF_ENABLED": False})
    jobs = app.extensions["nastavnik_exports"]
    release = threading.Event()

    def slow():
        release.wait(60)
        raise ArchiveError("Нет места на диске: пакет не записан.")

    jobs.start("2023–2024", "admin", slow)
    with pytest.raises(Conflict) as second:
        jobs.start("2023–2024", "admin", slow)
    assert second.value.message.startswith(
        "Уже идёт выгрузка архива 2023–2024 учебного года (начата "
    )
    client = app.test_client()
    login(client, "admin")
    running = client.get("/admin/archive/").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="5">' in running
    assert "Идёт выгрузка архива 2023–2024 учебного года: начата " in texts(
        client.get("/admin/archive/")
    )
    release.set()
    assert jobs.wait(30)
    page = texts(client.get("/admin/archive/"))
    assert "Выгрузка архива 2023–2024 учебного года не удалась (" in page
    assert "): Нет места на диске: пакет не записан." in page
    assert '<meta http-equiv="refresh"' not in client.get("/admin/archive/").get_data(as_text=True)


def test_a_second_export_while_one_runs_answers_on_the_archive_page(exported, tmp_path):
    """review22: «Выгрузить» clicked again (or from another tab) while the export ran answered
    an error page «Невозможно: Уже идёт выгрузка … Дождитесь её окончания: она видна на этой
    странице» (409) — «this page» being the error page. The answer is the archive page itself:
    the administrator's own export running («уже идёт: начата вами …»), or another one's told
    there."""
    from service.web import create_app
    from tests.test_web_pages import texts

    settings = copy_home(exported[0], tmp_path / "школа")
    make_users(settings)
    app = create_app(settings, {"WTF_CSRF_ENABLED": False})
    jobs = app.extensions["nastavnik_exports"]
    release = threading.Event()

    def slow():
        release.wait(60)
        raise ArchiveError("Остановлена тестом.")

    client = app.test_client()
    login(client, "admin")
    try:
        jobs.start(YEAR, "admin", slow)  # the first click's export, running
        again = client.post("/admin/archive/", data={"year": YEAR, "ca_password": CA_PASSWORD})
        assert again.status_code == 302 and again.location == "/admin/archive/"
        page = texts(client.get(again.location))
        assert f"Выгрузка архива {YEAR} учебного года уже идёт: начата вами " in page
        assert f"Идёт выгрузка архива {YEAR} учебного года: начата " in page
    finally:
        release.set()
        assert jobs.wait(30)
    release.clear()
    try:
        jobs.start(YEAR, "другой-админ", slow)
        other = client.post("/admin/archive/", data={"year": YEAR, "ca_password": CA_PASSWORD})
        assert other.status_code == 302
        page = texts(client.get(other.location))
        assert f"Уже идёт выгрузка архива {YEAR} учебного года (начата " in page
        assert ", другой-админ). Дождитесь её окончания: она видна на этой странице." in page
    finally:
        release.set()
        assert jobs.wait(30)
    assert kept_exports(settings.var) == []
