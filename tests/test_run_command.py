"""`nastavnik run` as a user starts it: a real process serving HTTP and watching the inbox."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from service.intake.demo import write_demo_workbook
from tests import cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, token: str | None = None) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode("utf-8")


def test_run_serves_the_page_and_processes_a_dropped_workbook(tmp_path: Path):
    home = tmp_path / "школа"
    port = free_port()
    env = {**os.environ, "NASTAVNIK_HOME": str(home), "NASTAVNIK_PORT": str(port)}

    def command(*args: str) -> str:
        done = cli.nastavnik(*args, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    command("init")
    command("user", "add", "ivanova", "--role", "secretary", "--name", "Иванова Анна Петровна")
    token = command("user", "token", "ivanova").strip()
    process = cli.Command("run", env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, page = get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                assert time.monotonic() < deadline, "the web service did not start"
                time.sleep(0.2)
        assert status == 200 and "Вход" in page  # anonymous: the login page
        status, page = get(f"http://127.0.0.1:{port}/api/batches", token)
        assert status == 200 and json.loads(page) == {"batches": []}
        workbook = tmp_path / "Наша школа.xlsx"
        write_demo_workbook(workbook)
        shutil.copyfile(workbook, home / "inbox" / ".part")
        (home / "inbox" / ".part").rename(home / "inbox" / "Наша школа.xlsx")
        deadline = time.monotonic() + 120
        while not (home / "inbox" / "processed" / "Наша школа.xlsx").exists():
            assert time.monotonic() < deadline, "the workbook was not processed"
            time.sleep(0.1)
        status, page = get(f"http://127.0.0.1:{port}/api/batches", token)
        (batch,) = json.loads(page)["batches"]
        assert batch["source_name"] == "Наша школа.xlsx" and batch["status_name"] == "обработан"
        batches = [p for p in (home / "outbox").iterdir() if p.is_dir()]
        assert len(batches) == 1 and (batches[0] / "Опись.xlsx").is_file()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def test_the_demo_workbook_goes_only_into_a_home_without_a_school(settings, capsys):
    """`make run DEMO=1` again, after the demo school was signed and changed, dropped the
    example once more: its data set the register back and made new versions to sign."""
    from datetime import date

    from sqlalchemy import select

    from service.cli.running import _put_demo_workbook
    from service.home import initialise_home
    from service.intake.years import school_year
    from service.pipeline import Outcome, process_workbook
    from service.register.db import session_scope
    from service.register.models import Document
    from service.register.school import the_school
    from service.signing.late import past_year_warning

    initialise_home(settings)
    target = settings.inbox / "Пример — МБОУ Идринская СОШ.xlsx"
    _put_demo_workbook(settings)
    assert capsys.readouterr().out == f"Книга-пример положена в {target}\n"
    done = process_workbook(settings, target)
    assert done.outcome == Outcome.DONE
    # this school year's demo (2023–2024 warned on every document that signing dates it
    # today), without «Итоги» of days to come: no reports, no warnings
    first = school_year(date.today())
    with session_scope(settings.database_url) as session:
        assert the_school(session).school_year == f"{first}–{first + 1}"
        pending = session.scalars(select(Document)).all()
        assert [past_year_warning(d, date.today()) for d in pending] == [None] * len(pending)
    assert len(done.entries) == 33 and done.report.warnings == []
    assert not [e for e in done.entries if e.kind.startswith("report")]
    target.unlink(missing_ok=True)
    _put_demo_workbook(settings)
    assert capsys.readouterr().out == (
        "Книга-пример не положена: в реестре уже есть школа «МБОУ Идринская СОШ» (пример "
        "кладётся только в новую рабочую папку).\n"
    )
    assert not target.exists()


def test_a_port_taken_is_said_in_russian_before_the_inbox_is_touched(tmp_path: Path):
    """attack22: «nastavnik run --demo» on a port another program held started the watcher,
    put the demo workbook into inbox/ and processed it, then ended in an English traceback
    (OSError: [Errno 98] Address already in use) — the service looked half started."""
    home = tmp_path / "школа"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "NASTAVNIK_HOME": str(home), "NASTAVNIK_PORT": str(port)}
        for command in (["run", "--demo"], ["serve"]):
            done = cli.nastavnik(*command, env=env, timeout=60)
            assert done.returncode == 1
            assert done.stderr.splitlines()[-1] == (
                f"Ошибка: Веб-сервис не запущен: адрес 127.0.0.1:{port} недоступен (Address "
                "already in use). Возможно, служба уже запущена или порт занят другой "
                "программой: остановите её или укажите другой порт (настройка NASTAVNIK_PORT). "
                "Ничего не изменено."
            )
            assert "Traceback" not in done.stderr
    assert sorted(p.name for p in (home / "inbox").rglob("*")) == ["failed", "processed"]
