"""``nastavnik documents`` and ``user list`` read the register with plain SQL (issue 15: no ORM
to import) and say exactly what the ORM path says: compared, plain and ``--json``, with the
ORM's own answer formatted by the same functions, on SQLite and on PostgreSQL, and with the
exact lines for a register holding every state (numbers, signatures, superseded versions).
A home without a register, an empty database and a database of another schema are refused in
Russian, and nothing is written."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli import main
from service.cli.documents import document_line, document_record
from service.config import Settings, load_settings
from service.documents.template_files import INSTALLED, RESET
from service.home import initialise_home
from service.register import reading
from service.register.db import session_scope
from service.register.events import append_event
from service.register.listings import TemplateChange, template_changes
from service.register.models import Batch, Document, Signature
from service.register.queries import current_documents
from service.register.reading import register_reader, session_reader
from service.register.revision import HEAD_REVISION
from service.register.users import add_user
from tests import cli

RELEASE = Path(__file__).parent / "fixtures" / "release-0.1"
AT = datetime(2023, 10, 2, 9, 30)


def nastavnik(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    """The command in its own process, on the register of ``settings`` (SQLite or not)."""
    env = {**os.environ, "NASTAVNIK_DATABASE_URL": settings.database_url}
    return cli.nastavnik("--home", str(settings.home), *args, env=env)


def _document(batch: int, kind: str, subject: str, label: str, version: int, status: str,
              **extra) -> Document:  # fmt: skip
    return Document(
        kind=kind,
        subject_key=subject,
        subject_label=label,
        version=version,
        status=status,
        sha256=f"{kind}{subject}{version}".encode().hex()[:64].ljust(64, "0"),
        context_sha256="c" * 64,
        template_sha256=extra.pop("template_sha256", "t" * 64),
        file_name=f"{kind}-{version}.docx",
        batch_id=batch,
        created_at=AT,
        **extra,
    )


def fill_register(settings: Settings) -> None:
    """Documents in every state: a signed and numbered order whose first version was
    superseded, a program returned then sent again, a consent whose newest version is
    superseded (its older one is current), signatures on current and superseded versions."""
    with session_scope(settings.database_url) as session:
        made = Batch(source_name="книга.xlsx", sha256="b" * 64, status="done", started_at=AT)
        session.add(made)
        session.flush()
        batch = made.id
        school = "МБОУ «Идринская СОШ»"
        old_order = _document(batch, "order_pairs", "organization", school, 1, "superseded")
        order = _document(
            batch,
            "order_pairs",
            "organization",
            school,
            2,
            "signed",
            number="3-о",
            reg_date=date(2023, 10, 2),
        )
        returned = _document(batch, "program", "pair:1", "Пара П-1", 1, "returned")
        again = _document(batch, "program", "pair:1", "Пара П-1", 2, "awaiting_signature")
        consent = _document(
            batch, "consent_adult", "person:1", "Иванова Анна Петровна", 1, "generated",
            template_sha256=None,
        )  # fmt: skip
        newer = _document(batch, "consent_adult", "person:1", "Иванова Анна Петровна", 2,
                          "superseded")  # fmt: skip
        session.add_all([old_order, order, returned, again, consent, newer])
        session.flush()
        for document, role, method, name in (
            (old_order, "director", "cms", "Петров П. П."),
            (order, "director", "cms", "Петров Пётр Петрович"),
            (order, "curator", "scan", "Сидорова Мария Ивановна"),
        ):
            session.add(
                Signature(
                    document_id=document.id,
                    role=role,
                    method=method,
                    signer_name=name,
                    sha256="s" * 64,
                    signed_at=AT,
                )
            )


def orm_output(settings: Settings, kind: str, status: str, as_json: bool) -> str:
    """What ``nastavnik documents`` printed when it read the register through the ORM."""
    with session_scope(settings.database_url) as session:
        found = [
            d
            for d in current_documents(session)
            if (not kind or d.kind == kind) and (not status or d.status == status)
        ]
        if as_json:
            records = [document_record(d) for d in found]
            return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
        return "".join(f"{document_line(d)}\n" for d in found) or "Документов нет.\n"


@pytest.mark.postgresql
def test_documents_say_what_the_orm_says(settings: Settings) -> None:
    fill_register(settings)
    plain = nastavnik(settings, "documents")
    assert (plain.returncode, plain.stderr) == (0, "")
    assert plain.stdout == (
        "2\tПриказ об утверждении наставников и наставнических пар — МБОУ «Идринская СОШ»\t"
        "версия 2\tподписан\t№ 3-о от 02.10.2023\n"
        "4\tПерсонализированная программа наставничества — Пара П-1\tверсия 2\t"
        "ожидает подписи\n"
        "5\tСогласие на обработку персональных данных — Иванова Анна Петровна\tверсия 1\t"
        "создан\n"
    )
    said = {}
    asked = [("", "", True), ("program", "awaiting_signature", True)]
    if settings.database_url.startswith("sqlite"):  # the same SQL text: the filters once
        asked += [("order_pairs", "", False), ("", "signed", True), ("program", "returned", False)]
    for kind, status, as_json in asked:
        args = ["documents", *(["--kind", kind] if kind else [])]
        args += [*(["--status", status] if status else []), *(["--json"] if as_json else [])]
        done = nastavnik(settings, *args)
        assert (done.returncode, done.stderr) == (0, ""), args
        assert done.stdout == orm_output(settings, kind, status, as_json), args
        said[kind, status, as_json] = done.stdout
    listed = [d for d in json.loads(said["", "", True]) if d["kind"] == "order_pairs"]
    assert listed == [
        {
            "id": 2,
            "kind": "order_pairs",
            "title": "Приказ об утверждении наставников и наставнических пар",
            "subject": "МБОУ «Идринская СОШ»",
            "subject_key": "organization",
            "version": 2,
            "status": "signed",
            "status_name": "подписан",
            "number": "3-о",
            "reg_date": "2023-10-02",
            "sha256": listed[0]["sha256"],
            "template_sha256": "t" * 64,
            "batch": 1,
            "destroyed_by": None,
            "context_sha256": "c" * 64,
            "signatures": [
                {"role": "director", "method": "cms", "signer": "Петров Пётр Петрович"},
                {"role": "curator", "method": "scan", "signer": "Сидорова Мария Ивановна"},
            ],
        }
    ]


@pytest.mark.postgresql
def test_user_list_by_login_with_roles_and_password_state(settings: Settings) -> None:
    with session_scope(settings.database_url) as session:
        add_user(session, "zavuch", "Петрова Ольга Ивановна", ["curator", "inspector"], None)
        add_user(session, "direktor", "Петров Пётр Петрович", ["director"], "пароль-123456")
        roles = ["admin", "secretary", "curator", "director"]
        add_user(session, "kinyakina", "Кинякина Татьяна Игоревна", roles, "пароль-123456")
    done = nastavnik(settings, "user", "list")
    assert (done.returncode, done.stderr) == (0, "")
    # the roles in the order of DESIGN.md's table, as `user add` and the administrator's page
    # name them (left20: by id, «администратор, куратор, директор, секретарь»)
    assert done.stdout == (
        "direktor\tПетров Пётр Петрович\tдиректор\n"
        "kinyakina\tКинякина Татьяна Игоревна\tсекретарь, директор, куратор, администратор\n"
        "zavuch\tПетрова Ольга Ивановна\tкуратор, проверяющий (без пароля)\n"
    )


def test_a_home_without_a_register_is_told_so_and_left_untouched(tmp_path: Path) -> None:
    home = tmp_path / "нет такой"
    for args in (["documents"], ["user", "list"], ["templates", "list"]):
        done = cli.nastavnik("--home", str(home), *args)
        assert (done.returncode, done.stdout) == (1, ""), args
        assert done.stderr == (
            f"Ошибка: Реестра нет: файла базы данных {home / 'var' / 'nastavnik.db'} нет. "
            "Проверьте рабочую папку (--home или NASTAVNIK_HOME) или создайте реестр: "
            "«nastavnik init».\n"
        ), args
    assert not home.exists()


def test_an_empty_database_is_no_register(tmp_path: Path) -> None:
    database = tmp_path / "школа" / "var" / "nastavnik.db"
    database.parent.mkdir(parents=True)
    sqlite3.connect(database).close()
    done = CliRunner().invoke(main, ["--home", str(tmp_path / "школа"), "documents"])
    assert (done.exit_code, done.output) == (
        1,
        f"Ошибка: Реестра нет: база данных {database} пуста. Проверьте рабочую папку (--home "
        "или NASTAVNIK_HOME) или создайте реестр: «nastavnik init».\n",
    )
    assert database.stat().st_size == 0


def test_a_database_of_another_schema_is_refused_as_the_service_refuses_it(
    tmp_path: Path,
) -> None:
    home = tmp_path / "школа"
    shutil.copytree(RELEASE / "var", home / "var")
    database = home / "var" / "nastavnik.db"
    before = database.read_bytes()
    behind = (
        "Ошибка: База данных создана прежней версией программы (схема выпуска 0.1, нужна "
        f"{HEAD_REVISION}). Остановите службу и выполните «nastavnik init» (или «make run»): "
        "он сделает резервную копию базы и обновит её.\n"
    )
    runner = CliRunner()
    for args in (["documents"], ["user", "list"], ["templates", "list"]):
        done = runner.invoke(main, ["--home", str(home), *args])
        assert (done.exit_code, done.output) == (1, behind), args
    assert database.read_bytes() == before
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        db.execute("INSERT INTO alembic_version VALUES ('9999')")
    done = runner.invoke(main, ["--home", str(home), "documents"])
    assert (done.exit_code, done.output) == (
        1,
        "Ошибка: База данных обновлена более новой версией программы (схема 9999); эта версия "
        f"знает схемы до {HEAD_REVISION}. Установите новую версию программы или верните "
        "резервную копию базы из var/backups/.\n",
    )


def test_a_locked_register_is_waited_for_then_reported(settings: Settings, monkeypatch) -> None:
    """Another connection holds the file's exclusive lock past the wait (shortened here from
    30 s): the listing says the register is busy, as every command does."""
    monkeypatch.setattr(reading, "BUSY_TIMEOUT_SECONDS", 0.2)
    holder = sqlite3.connect(settings.var / "nastavnik.db", isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        done = CliRunner().invoke(main, ["--home", str(settings.home), "user", "list"])
    finally:
        holder.close()
    assert (done.exit_code, done.output) == (
        1,
        "Ошибка: Реестр занят другой записью (подписью или обработкой книги; большая книга "
        "обрабатывается несколько минут): повторите команду чуть позже. Ничего не изменено.\n",
    )


@pytest.mark.postgresql
def test_the_last_change_of_each_template_as_the_session_reads_it(settings: Settings) -> None:
    """The template page (in an ORM session) and ``templates list`` (read-only) run the same
    query and get the same answer: the last install or reset of each kind, when and by whom
    (JSON details and timestamps decoded on SQLite and PostgreSQL alike)."""
    with session_scope(settings.database_url) as session:
        for kind, what, actor, at in (
            ("order_pairs", INSTALLED, "cli:admin", datetime(2023, 9, 1, 8, 0)),
            ("program", INSTALLED, "web:admin", datetime(2023, 9, 2, 9, 15, 30)),
            ("order_pairs", RESET, "web:admin", datetime(2023, 9, 3, 10, 45)),
        ):
            append_event(session, what, actor=actor, details={"kind": kind}, at=at)
        append_event(session, "batch_done", details={"kind": "order_pairs"})
    expected = {
        "order_pairs": TemplateChange(datetime(2023, 9, 3, 10, 45), "web:admin"),
        "program": TemplateChange(datetime(2023, 9, 2, 9, 15, 30), "web:admin"),
    }
    with register_reader(settings.database_url) as read:
        assert template_changes(read, INSTALLED, RESET) == expected
    with session_scope(settings.database_url) as session:
        assert template_changes(session_reader(session), INSTALLED, RESET) == expected


def test_a_home_whose_name_has_url_characters_keeps_its_register_inside(tmp_path: Path) -> None:
    """«?», «#» and «%» in the home's name are a path, not a URL's query: the ORM writes the
    register in <home>/var/nastavnik.db, and the read-only listing reads that very file."""
    home = tmp_path / "Школа №5 #1?%20"
    made = load_settings({"home": home, "database_url": "", "watch_polling": False})
    initialise_home(made)
    with session_scope(made.database_url) as session:
        add_user(session, "zavuch", "Петрова Ольга Ивановна", ["curator"], None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Школа №5 #1?%20"]
    assert (home / "var" / "nastavnik.db").is_file()
    done = cli.nastavnik(
        "--home",
        str(home),
        "user",
        "list",
        env={k: v for k, v in os.environ.items() if k != "NASTAVNIK_DATABASE_URL"},
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "zavuch\tПетрова Ольга Ивановна\tкуратор (без пароля)\n"
