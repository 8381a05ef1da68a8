"""A school template is never swapped in the middle of a batch: installing or resetting it
takes the register's turn (`one_writer`), as a workbook does, so a batch renders every
document by the template it hashed at its start. A change that would wait longer than
`TEMPLATE_WAIT` is refused in Russian and changes nothing."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import select

from service.documents import template_files
from service.documents.template_files import install_template, school_template
from service.errors import Busy
from service.home import BUSY, one_writer
from service.register.db import session_scope
from service.register.models import Event
from tests import cli
from tests.test_template_versions import own_template

KIND = "order_pairs"


def installed_events(settings) -> int:
    with session_scope(settings.database_url) as s:
        return len(s.scalars(select(Event).where(Event.kind == "template_installed")).all())


def test_an_install_waits_for_the_batch_in_progress(settings):
    data = own_template(KIND)
    target = school_template(settings, template_files.kind_of(KIND))
    batch_running, batch_may_end = threading.Event(), threading.Event()

    def batch() -> None:  # what process_workbook holds while it writes a batch
        with one_writer(settings):
            batch_running.set()
            batch_may_end.wait(10)

    holder = threading.Thread(target=batch)
    holder.start()
    batch_running.wait(5)
    result: list = []

    def install() -> None:
        with session_scope(settings.database_url) as s:
            result.append(install_template(s, settings, KIND, data, "cli:test"))

    installer = threading.Thread(target=install)
    installer.start()
    time.sleep(1.5)  # the check is done by now; the install waits for the turn
    assert not target.exists()
    assert installer.is_alive()
    batch_may_end.set()
    holder.join(5)
    installer.join(20)
    assert result == [[]]
    assert target.read_bytes() == data
    assert installed_events(settings) == 1


def hold_register(settings) -> subprocess.Popen:
    """Another process holding the register's turn, as `nastavnik watch` does in a batch."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from service.config import load_settings; "
            "from service.home import one_writer; "
            "s = load_settings({'home': sys.argv[1]}); "
            "cm = one_writer(s); cm.__enter__(); print('held', flush=True); time.sleep(30)",
            str(settings.home),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_an_install_refused_while_another_process_holds_the_register(settings, monkeypatch):
    monkeypatch.setattr(template_files, "TEMPLATE_WAIT", 0.3)
    holder = hold_register(settings)
    try:
        with pytest.raises(Busy) as refused, session_scope(settings.database_url) as s:
            install_template(s, settings, KIND, own_template(KIND), "cli:test")
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert refused.value.message == BUSY
    assert refused.value.status == 503
    assert not school_template(settings, template_files.kind_of(KIND)).exists()
    assert installed_events(settings) == 0


def test_the_command_says_why_it_waits_then_installs(settings, tmp_path):
    own = tmp_path / "order_pairs.docx"
    own.write_bytes(own_template(KIND))
    holder = hold_register(settings)
    command = cli.Command(
        "--home",
        str(settings.home),
        "templates",
        "install",
        KIND,
        str(own),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        said = command.stderr.readline().strip()
        assert command.poll() is None  # still waiting after saying so
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    out, err = command.communicate(timeout=60)
    assert said == (
        "Сейчас обрабатывается файл из inbox; жду окончания обработки (не дольше 10 с)…"
    )
    assert command.returncode == 0, err
    assert out.strip().endswith("поставлен; новые документы — по нему.")
    assert err == ""
    assert school_template(settings, template_files.kind_of(KIND)).read_bytes() == own.read_bytes()
    assert installed_events(settings) == 1


def test_a_free_register_is_taken_without_a_word(settings):
    told: list[str] = []
    with one_writer(settings, wait=1, on_wait=lambda: told.append("waiting")):
        pass
    assert told == []
