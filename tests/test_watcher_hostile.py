"""Issue 11, points 1, 3 and 6: hostile and odd files dropped into a running watcher — names
that are not UTF-8, a file the service breaks on, symbolic links, a slow network copy — and
the watcher's heartbeat on the secretary's page."""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from service import inbox as inbox_module
from service.config import load_settings
from service.health import WatcherState, read_health
from service.home import initialise_home
from service.inbox import Inbox
from service.placing import own_folder, readable_name
from service.register.db import session_scope
from service.register.models import Batch
from service.settling import POLL_SECONDS, Settling
from service.watcher import InboxWatcher
from service.web import create_app
from tests import cli, test_watcher
from tests.test_watcher import wait_for
from tests.web_school import login, make_users
from tests.workbooks import valid_sheets, write_workbook

demo = test_watcher.demo  # the demo workbook (a fixture)
CP1251_DAMAGED = "Приказ.xlsx".encode("cp1251")
CP1251_GOOD = "Список.xlsx".encode("cp1251")


def texts(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def batches(settings) -> list[tuple[str, str]]:
    with session_scope(settings.database_url) as session:
        return [
            (b.source_name, b.status) for b in session.scalars(select(Batch).order_by(Batch.id))
        ]


def test_names_that_are_not_utf8_never_stop_the_running_watcher(settings, demo, tmp_path):
    env = {
        **os.environ,
        "NASTAVNIK_HOME": str(settings.home),
        "NASTAVNIK_SETTLE_SECONDS": "0.1",
        "NASTAVNIK_DAMAGED_WAIT_SECONDS": "0.5",
    }
    with cli.Command(
        "watch", env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    ) as process:
        try:
            wait_for(lambda: read_health(settings.var).state is WatcherState.WAITING, 30)
            inbox = os.fsencode(settings.inbox)
            with open(os.path.join(inbox, CP1251_DAMAGED), "wb") as handle:
                handle.write(b"PK\x03\x04 not really a workbook")
            # the note is written first, then the workbook moved: wait for the workbook
            wait_for(lambda: (settings.failed / "Приказ.xlsx").exists())
            note = (settings.failed / "Приказ.xlsx.errors.txt").read_text(encoding="utf-8")
            assert note.startswith("Файл «Приказ.xlsx» не принят: найдено ошибок — 1.")
            assert "Файл повреждён (возможно, скопирован или загружен не полностью)" in note
            assert (settings.failed / "Приказ.xlsx").read_bytes().endswith(b"a workbook")

            shutil.copyfile(demo, tmp_path / ".part")  # a good workbook with a good name
            (tmp_path / ".part").rename(settings.inbox / "Школа.xlsx")
            wait_for(lambda: (settings.processed / "Школа.xlsx").exists())
            shutil.copyfile(demo, os.path.join(inbox, CP1251_GOOD))  # the same, cp1251 name
            wait_for(lambda: (settings.processed / "Список.xlsx.повтор.txt").exists())
            wait_for(lambda: sorted(os.listdir(inbox)) == [b"failed", b"processed"])

            assert sorted(os.listdir(inbox)) == [b"failed", b"processed"]
            assert batches(settings) == [("Приказ.xlsx", "rejected"), ("Школа.xlsx", "done")]
            health = read_health(settings.var)
            assert (health.state, health.handled, health.file) == (WatcherState.WAITING, 3, None)

            make_users(settings)
            client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
            login(client, "secretary")
            page = texts(client.get("/secretary/"))
            assert "Папка inbox: наблюдение работает (последний отклик — " in page
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        assert b"Traceback" not in process.stderr.read()
    health = read_health(settings.var)
    assert health.state is WatcherState.STOPPED
    assert "Папка inbox: наблюдение остановлено (" in texts(client.get("/secretary/"))


def test_a_killed_watcher_is_shown_as_interrupted(settings):
    make_users(settings)
    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "secretary")
    assert (
        "Папка inbox: наблюдение не запущено — книги из папки не обрабатываются; загрузка на "
        "этой странице работает." in texts(client.get("/secretary/"))
    )
    env = {**os.environ, "NASTAVNIK_HOME": str(settings.home)}
    with cli.Command("watch", env=env, stderr=subprocess.DEVNULL) as process:
        wait_for(lambda: read_health(settings.var).state is WatcherState.WAITING, 30)
        process.kill()
    assert read_health(settings.var).state is WatcherState.DEAD
    page = texts(client.get("/secretary/"))
    assert "Папка inbox: наблюдение прервано (" in page
    assert "Сообщите администратору; загрузка на этой странице работает." in page


def test_whatever_one_file_raises_it_goes_to_failed_and_the_loop_goes_on(
    settings, demo, monkeypatch
):
    real = inbox_module.process_workbook

    def breaks_on_one(settings, path, **kwargs):
        if path.name == "ломает.xlsx":
            raise UnicodeEncodeError("utf-8", "\udccf", 0, 1, "surrogates not allowed")
        return real(settings, path, **kwargs)

    monkeypatch.setattr(inbox_module, "process_workbook", breaks_on_one)
    running = InboxWatcher(settings)
    running.start()
    try:
        shutil.copyfile(demo, settings.inbox / "ломает.xlsx")
        wait_for(lambda: (settings.failed / "ломает.xlsx.errors.txt").exists())
        note = (settings.failed / "ломает.xlsx.errors.txt").read_text(encoding="utf-8")
        assert note == (
            "Внутренняя ошибка при обработке файла; подробности — в журнале "
            "var/nastavnik.log. Сообщите администратору.\n"
        )
        shutil.copyfile(demo, settings.inbox / "школа.xlsx")
        wait_for(lambda: (settings.processed / "школа.xlsx").exists())
        # the file is moved before the loop writes its heartbeat: wait for that beat too
        wait_for(lambda: read_health(settings.var).state is WatcherState.WAITING, 10)
    finally:
        running.stop()


def test_symbolic_links_are_moved_never_followed(settings, demo, tmp_path):
    secret = tmp_path / "чужая книга.xlsx"
    shutil.copyfile(demo, secret)
    (settings.inbox / "ссылка.xlsx").symlink_to(secret)
    (settings.inbox / "на папку").symlink_to(tmp_path)
    (settings.inbox / "в никуда.xlsx").symlink_to(tmp_path / "нет такой.xlsx")
    assert Inbox(settings).drain() == 3
    assert sorted(os.listdir(settings.inbox)) == ["failed", "processed"]
    assert os.readlink(settings.failed / "ссылка.xlsx") == str(secret)
    assert os.readlink(settings.failed / "на папку") == str(tmp_path)
    assert os.readlink(settings.failed / "в никуда.xlsx") == str(tmp_path / "нет такой.xlsx")
    assert (settings.failed / "ссылка.xlsx.errors.txt").read_text(encoding="utf-8") == (
        "«ссылка.xlsx» — символическая ссылка, а не файл; по ссылкам сервис файлы не читает. "
        "Положите в папку inbox саму книгу (копию файла).\n"
    )
    assert secret.read_bytes() == demo.read_bytes()
    assert batches(settings) == []
    assert not [p for p in settings.outbox.iterdir() if p.is_dir()]


def test_a_word_document_presentation_or_pdf_is_told_what_it_is(settings):
    """A Word document dropped into the inbox was told «Откройте его в Excel или LibreOffice и
    сохраните как «Книга Excel»» — advice no Excel can follow: the note says what the file is
    and where the blank workbook is."""
    for name in ("письмо.docx", "старое.DOC", "слайды.pptx", "план.pdf"):
        (settings.inbox / name).write_bytes(b"PK\x03\x04 not a workbook")
    assert Inbox(settings).drain() == 4
    advice = (
        "Похоже, передан не тот файл: в Excel его не пересохранить. Передайте заполненную "
        "книгу Excel (.xlsx); пустую форму даёт страница секретаря («Скачать пустую книгу для "
        "заполнения») или команда «nastavnik template бланк.xlsx».\n"
    )
    for name, what in (
        ("письмо.docx", "документ Word"),
        ("старое.DOC", "документ Word"),
        ("слайды.pptx", "презентация PowerPoint"),
        ("план.pdf", "документ PDF"),
    ):
        assert (settings.failed / f"{name}.errors.txt").read_text(encoding="utf-8") == (
            f"Файл «{name}» не принят: это {what}, а не книга Excel (.xlsx). {advice}"
        )
    assert batches(settings) == []


def test_a_named_pipe_goes_to_failed_unopened_and_a_folder_is_left(settings):
    """A FIFO named like a workbook would block whoever opens it; it was left in the inbox
    for ever, unseen. It goes to failed/ with a note, never opened. A folder is not a file:
    left where it is."""
    os.mkfifo(settings.inbox / "канал.xlsx")
    (settings.inbox / "папка.xlsx").mkdir()
    assert Inbox(settings).drain() == 1
    assert sorted(os.listdir(settings.inbox)) == ["failed", "processed", "папка.xlsx"]
    assert sorted(os.listdir(settings.failed)) == ["канал.xlsx", "канал.xlsx.errors.txt"]
    assert (settings.failed / "канал.xlsx").is_fifo()
    assert (settings.failed / "канал.xlsx.errors.txt").read_text(encoding="utf-8") == (
        "«канал.xlsx» — не файл, а именованный канал или устройство; такие сервис не "
        "открывает. Положите в папку inbox саму книгу (файл .xlsx).\n"
    )
    assert batches(settings) == []


def test_a_file_taken_back_before_it_is_handled_is_no_error(settings, caplog):
    """The secretary drags a workbook out of the inbox as the watcher comes to it: nothing to
    do, as before the check of special files — not «не удалось обработать» with a traceback."""
    inbox = Inbox(settings)
    assert inbox.take(settings.inbox / "унесли.xlsx") is False
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []
    assert inbox.handle(settings.inbox / "унесли.xlsx") is None


def test_failed_and_processed_replaced_by_links_lead_nowhere(settings, tmp_path):
    """The inbox is shared: whoever could put a symbolic link there named «failed» had the
    service write the files it moves — names and contents of the sender's choosing — where the
    link points (the service's own ``.ssh``, ``var/``). Such a link is moved aside and taken
    as any link; a real folder is made."""
    elsewhere = tmp_path / "чужая папка"
    elsewhere.mkdir()
    settings.failed.rmdir()
    settings.failed.symlink_to(elsewhere)
    (settings.inbox / "authorized_keys").write_text("ssh-ed25519 AAAA чужой ключ\n")
    assert Inbox(settings).drain() == 2
    assert list(elsewhere.iterdir()) == []
    assert settings.failed.is_dir() and not settings.failed.is_symlink()
    assert sorted(os.listdir(settings.inbox)) == ["failed", "processed"]
    assert sorted(os.listdir(settings.failed)) == [
        "authorized_keys",
        "authorized_keys.errors.txt",
        "failed (2)",
        "failed (2).errors.txt",
    ]
    assert os.readlink(settings.failed / "failed (2)") == str(elsewhere)
    assert (settings.failed / "failed (2).errors.txt").read_text(encoding="utf-8") == (
        "«failed (2)» — символическая ссылка, а не файл; по ссылкам сервис файлы не читает. "
        "Положите в папку inbox саму книгу (копию файла).\n"
    )
    settings.processed.rmdir()  # a file of that name: moved aside when the watcher starts
    settings.processed.write_bytes(b"not a folder")
    own_folder(settings.processed)
    assert settings.processed.is_dir()
    assert (settings.inbox / "processed (2)").read_bytes() == b"not a folder"


def test_a_workbook_saved_again_while_processed_is_processed_next(settings, monkeypatch):
    """The secretary saves the workbook again, in the inbox, while the service processes it
    (Excel writes a new file and renames it over the old). The new version went to processed/
    with the old one's note and was never read; now it stays and is processed next."""
    first = write_workbook(settings.home / "первая.xlsx", valid_sheets())
    changed = valid_sheets()
    changed["Наставники"][1][4] = "учитель физики"
    second = write_workbook(settings.home / "вторая.xlsx", changed)
    saved = second.read_bytes()
    real = inbox_module.process_workbook

    def saved_again_meanwhile(settings, path, **kwargs):
        result = real(settings, path, **kwargs)
        if second.exists():
            os.replace(second, path)
        return result

    monkeypatch.setattr(inbox_module, "process_workbook", saved_again_meanwhile)
    shutil.copyfile(first, settings.inbox / "школа.xlsx")
    assert Inbox(settings).drain() == 2
    assert (settings.processed / "школа.xlsx").read_bytes() == saved
    assert sorted(os.listdir(settings.processed)) == ["школа.xlsx"]
    assert batches(settings) == [("школа.xlsx", "done"), ("школа.xlsx", "done")]


def test_a_workbook_copied_slowly_is_read_once_whole(settings, demo):
    """8 KB at a time with pauses four times ``settle_seconds``, as over a network share."""
    slow = replace(settings, settle_seconds=0.1, damaged_wait_seconds=3.0)
    running = InboxWatcher(slow)
    running.start()
    data = demo.read_bytes()

    def copy_slowly() -> None:
        with open(slow.inbox / "Школа.xlsx", "wb") as handle:
            for start in range(0, len(data), 8192):
                handle.write(data[start : start + 8192])
                handle.flush()
                time.sleep(0.4)

    writer = threading.Thread(target=copy_slowly)
    try:
        writer.start()
        writer.join()
        wait_for(lambda: (slow.processed / "Школа.xlsx").exists())
    finally:
        running.stop()
    assert (slow.processed / "Школа.xlsx").read_bytes() == data
    assert os.listdir(slow.failed) == []
    assert batches(slow) == [("Школа.xlsx", "done")]


def test_a_damaged_workbook_is_still_refused_after_one_more_wait(settings):
    quick = replace(settings, damaged_wait_seconds=0.3)
    (quick.inbox / "битый.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 5000)
    inbox = Inbox(quick)
    waits: list[float | None] = []  # the waits asked of the inbox's stop event, not timed
    wait = inbox.stop.wait
    inbox.stop.wait = lambda timeout=None: waits.append(timeout) or wait(timeout)
    assert inbox.drain() == 1
    # looked at again until it had kept its size and time for one more wait, as long as the
    # settings say (the waits side by side: tests/test_watcher_crowd.py)
    assert set(waits) == {POLL_SECONDS}
    assert "Файл повреждён" in (quick.failed / "битый.xlsx.errors.txt").read_text("utf-8")


@pytest.mark.parametrize(
    "name,readable",
    [
        (os.fsdecode("Приказ.xlsx".encode("cp1251")), "Приказ.xlsx"),
        (os.fsdecode(b"\x98\x98.xlsx"), "\ufffd\ufffd.xlsx"),  # not cp1251 either
        ("строка\nвторая.xlsx", "строка_вторая.xlsx"),
        ("Книга.xlsx", "Книга.xlsx"),
        ("книга\u202excsl.exe", "книга_xcsl.exe"),  # shown as «книгаexe.lscx»
        ("\u2067отчёт\u2069.xlsx", "_отчёт_.xlsx"),
    ],
)
def test_readable_names(name, readable):
    assert readable_name(name) == readable


def test_a_name_with_a_line_break_is_renamed_and_the_log_says_why(settings, demo, caplog):
    shutil.copyfile(demo, settings.inbox / "строка\nвторая.xlsx")
    with caplog.at_level("INFO", logger="nastavnik"):
        assert Inbox(settings).drain() == 1
    assert (settings.processed / "строка_вторая.xlsx").read_bytes() == demo.read_bytes()
    assert (
        "в имени файла были байты не в UTF-8 или управляющие символы; файл переименован в "
        "«строка_вторая.xlsx»"
    ) in caplog.messages


def test_a_name_turned_right_to_left_is_renamed_before_it_reaches_failed(settings):
    """attack17: «книга\u202excsl.exe», a program Explorer shows as «книгаexe.lscx», was moved
    to failed/ under that name, and its note named it so: the secretary opening the «workbook»
    there would start the program. The direction control becomes «_» first."""
    (settings.inbox / "книга\u202excsl.exe").write_bytes(b"MZ\x90\x00")
    assert Inbox(settings).drain() == 1
    assert sorted(p.name for p in settings.failed.iterdir()) == [
        "книга_xcsl.exe",
        "книга_xcsl.exe.errors.txt",
    ]
    note = (settings.failed / "книга_xcsl.exe.errors.txt").read_text("utf-8")
    assert note.startswith("Файл «книга_xcsl.exe» ")


def test_the_api_says_whether_the_watcher_runs(settings, demo):
    make_users(settings)
    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "secretary")
    assert client.get("/api/watcher").get_json()["state"] == "absent"
    running = InboxWatcher(settings)
    running.start()
    try:
        wait_for(lambda: client.get("/api/watcher").get_json()["state"] == "waiting")
        shutil.copyfile(demo, settings.inbox / "школа.xlsx")
        wait_for(lambda: (settings.processed / "школа.xlsx").exists())
        wait_for(lambda: client.get("/api/watcher").get_json()["handled"] == 1)
        body = client.get("/api/watcher").get_json()
        assert (body["state"], body["ok"], body["file"]) == ("waiting", True, None)
        assert body["text"].startswith("Папка inbox: наблюдение работает (последний отклик — ")
    finally:
        running.stop()
    body = client.get("/api/watcher").get_json()
    assert (body["state"], body["ok"]) == ("stopped", False)
    login(client, "curator")
    assert client.get("/api/watcher").status_code == 403


def test_run_stopped_by_sigterm_says_the_watcher_stopped(settings):
    env = {**os.environ, "NASTAVNIK_HOME": str(settings.home), "NASTAVNIK_PORT": "0"}
    with cli.Command("run", env=env, stderr=subprocess.PIPE) as process:
        lines: list[bytes] = []
        reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
        reader.start()
        wait_for(lambda: read_health(settings.var).state is WatcherState.WAITING, 30)
        # the web service is starting too: stopped once it serves (the watcher, its templates
        # read from the cache, may be waiting well before waitress has started)
        wait_for(lambda: any(b"waitress: Serving on" in line for line in lines), 30)
        process.terminate()
        assert process.wait(timeout=30) == 0
        reader.join(timeout=30)
        assert b"Traceback" not in b"".join(lines)
    assert read_health(settings.var).state is WatcherState.STOPPED


def test_without_hard_links_files_and_notes_still_move(settings, demo, monkeypatch):
    """A share that has no hard links (some SMB mounts): names are reserved instead."""

    def no_links(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(inbox_module.os, "link", no_links)
    inbox = os.fsencode(settings.inbox)
    with open(os.path.join(inbox, CP1251_DAMAGED), "wb") as handle:
        handle.write(b"PK\x03\x04 not really a workbook")
    shutil.copyfile(demo, settings.inbox / "школа.xlsx")
    assert Inbox(settings).drain() == 2
    assert sorted(os.listdir(settings.failed)) == ["Приказ.xlsx", "Приказ.xlsx.errors.txt"]
    assert sorted(os.listdir(settings.processed)) == ["школа.xlsx"]
    assert sorted(os.listdir(settings.inbox)) == ["failed", "processed"]


NOBODY = 65534


def test_a_file_the_service_may_not_read_goes_to_failed_saying_what_to_do():
    """A workbook copied in with rights that shut the service's account out (0000, another
    owner): the note says so and what to do, not «Внутренняя ошибка … сообщите администратору»
    with a traceback in the log."""
    if os.geteuid() != 0:
        pytest.skip("acting as another account needs root")
    root = Path(tempfile.mkdtemp())
    root.chmod(0o755)  # nobody must reach the home, as the service's account reaches its own
    settings = load_settings({"home": root / "home", "settle_seconds": 0.05})
    settings = replace(settings, damaged_wait_seconds=0.05)
    initialise_home(settings)
    locked = settings.inbox / "закрыт.xlsx"
    locked.write_bytes(b"PK\x03\x04 not readable anyway")
    for path in [root, *root.rglob("*")]:
        os.lchown(path, NOBODY, NOBODY)
    locked.chmod(0)
    os.seteuid(NOBODY)
    try:
        handled = Inbox(settings).drain()
    finally:
        os.seteuid(0)
    try:
        assert handled == 1
        assert sorted(p.name for p in settings.failed.iterdir()) == [
            "закрыт.xlsx",
            "закрыт.xlsx.errors.txt",
        ]
        assert (settings.failed / "закрыт.xlsx.errors.txt").read_text(encoding="utf-8") == (
            "Файл «закрыт.xlsx» не принят: служба не может его прочитать — у её учётной записи "
            "нет права на чтение этого файла. Ничего не сделано. Скопируйте книгу (у копии будут "
            "обычные права) и положите копию в папку inbox; если не поможет, сообщите "
            "администратору.\n"
        )
    finally:
        shutil.rmtree(root)


def test_a_hard_link_to_a_file_of_var_is_refused_and_its_inode_stays_there(settings, demo):
    """A hard link in the inbox to the register (or the CA key) went to failed/ as the same
    inode: the secretary's folder held the live database, 0600, under «db.xlsx». A file with
    other names is not read and not moved: its name in the inbox is taken away (the file
    stays under its other names, nothing of it is lost or copied) and a note says why."""
    database = settings.var / "nastavnik.db"
    before = database.stat()
    os.link(database, settings.inbox / "db.xlsx")
    linked_book = settings.home / "книга секретаря.xlsx"
    shutil.copyfile(demo, linked_book)
    os.link(linked_book, settings.inbox / "книга.xlsx")
    assert Inbox(settings).drain() == 2
    assert sorted(os.listdir(settings.inbox)) == ["failed", "processed"]
    assert sorted(os.listdir(settings.failed)) == ["db.xlsx.errors.txt", "книга.xlsx.errors.txt"]
    assert (settings.failed / "db.xlsx.errors.txt").read_text(encoding="utf-8") == (
        "«db.xlsx» — жёсткая ссылка: у этого файла есть и другие имена (всего 2), и он мог "
        "оказаться чужим файлом; такие сервис не читает и не перекладывает. Имя «db.xlsx» "
        "убрано из папки inbox, сам файл остался под другими именами. Положите в папку inbox "
        "копию книги.\n"
    )
    after = database.stat()
    assert (after.st_ino, after.st_nlink, after.st_mode) == (before.st_ino, 1, before.st_mode)
    assert linked_book.read_bytes() == demo.read_bytes() and linked_book.stat().st_nlink == 1
    assert batches(settings) == []


def test_a_hard_link_swapped_in_while_the_file_settles_is_refused_too(settings, demo):
    """A workbook dropped, then replaced by a hard link to the register while the watcher
    waits for it to settle: the link is what is checked, not the workbook first seen."""
    database = settings.var / "nastavnik.db"
    before = database.stat()
    shutil.copyfile(demo, settings.inbox / "книга.xlsx")
    inbox = Inbox(settings)
    ready = inbox.settling.ready
    swaps: list[Path] = []

    def swapped(path: Path) -> bool:
        if not swaps:
            swaps.append(path)
            os.link(database, settings.inbox / ".link")
            os.replace(settings.inbox / ".link", path)
        return ready(path)

    inbox.settling.ready = swapped
    assert inbox.drain() == 1
    assert sorted(os.listdir(settings.inbox)) == ["failed", "processed"]
    assert sorted(os.listdir(settings.failed)) == ["книга.xlsx.errors.txt"]
    assert os.listdir(settings.processed) == []
    after = database.stat()
    assert (after.st_ino, after.st_nlink) == (before.st_ino, 1)
    assert batches(settings) == []


def test_a_workbook_saved_over_a_hard_link_as_it_is_dropped_is_kept(settings, demo):
    """The link's name is renamed aside before it is removed: a workbook the secretary saved
    under that name in between is put back under its name (taken next), not removed."""
    database = settings.var / "nastavnik.db"
    os.link(database, settings.inbox / "книга.xlsx")
    seen = (settings.inbox / "книга.xlsx").lstat()
    shutil.copyfile(demo, settings.inbox / ".saved")
    os.replace(settings.inbox / ".saved", settings.inbox / "книга.xlsx")  # Excel saves over it
    assert Inbox(settings)._drop_linked(settings.inbox / "книга.xlsx", seen) is None
    assert sorted(os.listdir(settings.inbox)) == ["failed", "processed", "книга.xlsx"]
    assert (settings.inbox / "книга.xlsx").read_bytes() == demo.read_bytes()
    assert os.listdir(settings.failed) == [] and database.stat().st_nlink == 1


def test_a_workbook_copied_in_pauses_is_logged_once_copying_and_once_whole(settings, caplog):
    """A network copy pausing longer than ``settle_seconds`` between chunks logged «ещё
    копируется; жду» at every chunk after the first pause (≈10 lines a second)."""
    quick = replace(settings, settle_seconds=0.05, damaged_wait_seconds=30.0)
    settling = Settling(quick, threading.Event(), lambda _busy: None, None)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("sheet.xml", os.urandom(3000))  # incompressible: each chunk is new
    data = buffer.getvalue()
    path = quick.inbox / "Школа.xlsx"
    caplog.set_level(logging.INFO, logger="nastavnik.watcher")
    seen = []
    for end in (1000, 2000, 3000, len(data)):
        with open(path, "ab") as handle:
            handle.write(data[len(path.read_bytes()) if path.exists() else 0 : end])
        seen.append(settling.ready(path))  # changed: not ready
        time.sleep(quick.settle_seconds + 0.02)  # a pause: unchanged, not yet a whole zip
        seen.append(settling.ready(path))
    assert seen == [False] * 7 + [True]
    assert [r.getMessage() for r in caplog.records if r.name == "nastavnik.watcher"] == [
        "«Школа.xlsx» ещё копируется; жду",
        "«Школа.xlsx» скопирован целиком; читаю",
    ]
