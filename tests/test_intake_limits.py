"""Issue 11, point 2: a workbook that unpacks to gigabytes or holds too many rows is refused
within seconds, with a Russian message and bounded memory — dropped into the inbox, given to
``nastavnik process`` or uploaded on the web page."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from service.intake.demo import write_demo_workbook
from service.intake.guard import MB, Limits
from service.intake.reader import read_workbook
from service.watcher import InboxWatcher
from service.web import create_app
from tests.hostile_files import write_many_rows, write_zip_bomb
from tests.web_school import login, make_users
from tests.workbooks import MENTOR_HEADER, TODAY

BOMB_MESSAGE = (
    "В распакованном виде книга занимает 1\u00a0536 МБ, а допускается не больше "
    "100 МБ. Книга программы наставничества одной школы обычно меньше 1 МБ: вероятно, файл "
    "испорчен или в нём лишние данные (тысячи пустых оформленных строк). Скопируйте листы с "
    "данными в пустую форму (ссылка на странице сервиса) и сохраните её как «Книга Excel "
    "(*.xlsx)». Если книга действительно такая, администратор может поднять предел (настройка "
    "max_unpacked_mb)."
)
MENTOR = ["Н-01", "Петров Пётр Петрович", "01.02.1980", "педагог", "учитель", None, "нет"]


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """4.6 MB that unpack to 1.5 GB of sheet rows."""
    return write_zip_bomb(tmp_path_factory.mktemp("bomb") / "бомба.xlsx", 1536 * MB)


def test_nastavnik_process_refuses_a_zip_bomb_in_seconds_with_bounded_memory(settings, bomb):
    assert bomb.stat().st_size < 5 * MB
    with zipfile.ZipFile(bomb) as archive:
        assert sum(p.file_size for p in archive.infolist()) > 1500 * MB
    env = {**os.environ, "NASTAVNIK_HOME": str(settings.home)}
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "process", str(bomb)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    stderr = process.stderr.read().decode("utf-8")
    process.stderr.close()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    assert process.returncode == 1
    assert stderr == (
        "Файл «бомба.xlsx» не принят: найдено ошибок — 1. Исправьте их и положите файл в папку "
        "inbox снова. Ни один документ не создан, реестр не изменён.\n\n"
        f"1. {BOMB_MESSAGE}\n\n"
    )
    cpu = usage.ru_utime + usage.ru_stime  # the whole command, start-up included
    assert cpu < 5, f"{cpu:.1f} s of CPU ({elapsed:.1f} s on the clock)"
    assert usage.ru_maxrss < 250 * 1024, f"{usage.ru_maxrss // 1024} MB"  # kilobytes


def test_the_check_takes_milliseconds(bomb):
    started = time.monotonic()
    book, report = read_workbook(bomb, today=TODAY)
    assert time.monotonic() - started < 1
    assert book is None and [p.message for p in report.errors] == [BOMB_MESSAGE]


def test_a_zip_bomb_dropped_into_the_inbox_goes_to_failed(settings, bomb, tmp_path):
    good = tmp_path / "школа.xlsx"
    write_demo_workbook(good)
    os.link(bomb, settings.inbox / "бомба.xlsx")
    os.link(good, settings.inbox / "школа.xlsx")
    started = time.monotonic()
    assert InboxWatcher(settings).work(burst=True) == 2
    note = (settings.failed / "бомба.xlsx.errors.txt").read_text(encoding="utf-8")
    assert note.endswith(f"1. {BOMB_MESSAGE}\n")
    assert (settings.processed / "школа.xlsx").is_file()
    assert time.monotonic() - started < 60


def test_a_zip_bomb_uploaded_on_the_web_page_is_refused_at_once(settings, bomb):
    make_users(settings)
    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "secretary")
    started = time.monotonic()
    boundary = "----граница".encode().hex()  # the body is built here: the test client would
    body = (  # spool a large file to a temporary file it never closes
        f'--{boundary}\r\nContent-Disposition: form-data; name="workbook"; '
        f'filename="бомба.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        + bomb.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/secretary/upload",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert time.monotonic() - started < 5
    assert response.status_code == 400
    page = re.sub(r"[ \n]+", " ", response.get_data(as_text=True))
    assert f"Файл «бомба.xlsx» не принят. {BOMB_MESSAGE}" in html.unescape(page)
    assert list((settings.var / "uploads").glob("*/*")) == []
    assert client.get("/api/batches").get_json() == {"batches": []}


def test_a_part_compressed_like_a_bomb_is_refused_below_the_size_limit(tmp_path):
    small = write_zip_bomb(tmp_path / "плотная.xlsx", 30 * MB)  # 30 MB, ~290 times smaller
    book, report = read_workbook(small, today=TODAY)
    assert book is None
    (problem,) = report.errors
    assert problem.message == (
        "Часть книги «xl/worksheets/sheet1.xml» сжата с коэффициентом 334:1 — так Excel и "
        "LibreOffice не сохраняют; такой файл разворачивается в огромный объём данных. "
        "Скопируйте листы с данными в пустую форму (ссылка на странице сервиса) и сохраните её "
        "как «Книга Excel (*.xlsx)»."
    )


def test_a_workbook_compressed_otherwise_than_excel_is_refused(tmp_path):
    source = tmp_path / "demo.xlsx"
    write_demo_workbook(source)
    odd = tmp_path / "bzip2.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(odd, "w", zipfile.ZIP_BZIP2) as new:
        for item in old.infolist():
            new.writestr(item.filename, old.read(item))
    book, report = read_workbook(odd, today=TODAY)
    assert book is None
    assert [p.message for p in report.errors] == [
        "Файл сжат способом, которым Excel и LibreOffice книги не сохраняют "
        "(часть «docProps/app.xml»). Скопируйте листы с данными в пустую форму (ссылка на "
        "странице сервиса) и сохраните её как «Книга Excel (*.xlsx)»."
    ]


def test_a_file_larger_than_the_limit_is_refused_before_it_is_opened(tmp_path):
    big = tmp_path / "большая.xlsx"
    write_demo_workbook(big)
    book, report = read_workbook(big, today=TODAY, limits=Limits(unpacked_bytes=10_000))
    assert book is None
    assert [p.message for p in report.errors] == [
        "Файл занимает 0.0 МБ, а книга может занимать не больше 0.0 МБ. Книга "
        "программы наставничества одной школы обычно меньше 1 МБ: вероятно, в файле лишние "
        "данные или картинки. Скопируйте листы с данными в пустую форму (ссылка на странице "
        "сервиса) и сохраните её как «Книга Excel (*.xlsx)»."
    ]


ROWS_MESSAGE = (
    "лист «Наставники»: На листе больше 300 заполненных строк; дальше лист не прочитан. "
    "Программа наставничества одной школы столько не занимает: проверьте, не попали ли на лист "
    "лишние данные, и удалите их (если строк действительно столько, разделите их на несколько "
    "книг)."
)


def test_a_sheet_with_too_many_rows_is_refused(settings, tmp_path):
    path = write_many_rows(tmp_path / "строки.xlsx", "Наставники", MENTOR_HEADER, MENTOR, 301)
    book, report = read_workbook(path, today=TODAY, limits=Limits(rows=300))
    assert book is None
    assert ROWS_MESSAGE in [str(p) for p in report.errors]
    book, report = read_workbook(path, today=TODAY, limits=Limits(rows=301))
    assert ROWS_MESSAGE not in [str(p) for p in report.errors]

    limited = replace(settings, max_sheet_rows=300)  # the setting reaches the reader
    (limited.inbox / "строки.xlsx").write_bytes(path.read_bytes())
    assert InboxWatcher(limited).work(burst=True) == 1
    assert ROWS_MESSAGE in (limited.failed / "строки.xlsx.errors.txt").read_text("utf-8")


def test_empty_formatted_rows_do_not_count(tmp_path):
    path = write_many_rows(tmp_path / "пустые.xlsx", "Наставники", MENTOR_HEADER, [None] * 7, 500)
    book, report = read_workbook(path, today=TODAY, limits=Limits(rows=10))
    assert not any("заполненных строк" in p.message for p in report.problems)
