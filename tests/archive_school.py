"""A full school year archived and exported, built once per test run (LibreOffice is slow) and
shared by the archive tests, which copy it before changing anything.

The school with its signers (:func:`demo_school_with_signers`, copied from its template home:
conftest's ``exported``): the demo workbook processed, the school CA's keys of the director and
the curator. The director signs everything waiting for him (the eight §12 documents,
programmes, the contract…); the curator signs pair П-01's programme and report, whose paper
signatures come as scans, and one adult's consent is scanned too. Then ``nastavnik archive
add`` archives every signed document and the year is exported as a bag.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from service.cli import main
from service.config import Settings, load_settings
from service.intake.demo import write_demo_workbook
from service.pipeline import process_workbook
from service.register.db import session_factory, session_scope
from service.register.models import Document
from service.signing.authority import ensure_ca
from service.signing.workflow import pending_documents
from tests.signing_calls import attach_scan, sign_documents
from tests.web_school import issue_key

CA_PASSWORD = "уц-пароль-школы"
DIRECTOR_PASSWORD = "директор-пароль"
CURATOR_PASSWORD = "куратор-пароль"
ORG = "Муниципальное бюджетное общеобразовательное учреждение Идринская СОШ"
YEAR = "2023–2024"
SCAN = b"%PDF-1.4\n% scan of the paper original\n%%EOF\n"


def home_settings(home: Path) -> Settings:
    return load_settings(
        {"home": home, "settle_seconds": 0.05, "database_url": "", "watch_polling": False}
    )


def demo_school_with_signers(settings: Settings, folder: Path) -> None:
    """The demo workbook processed into ``settings``' home, the school CA, and the keys of the
    director and the curator (passwords above, set by their owners)."""
    workbook = folder / "школа.xlsx"
    write_demo_workbook(workbook)
    process_workbook(settings, workbook)
    ensure_ca(settings.var, ORG, CA_PASSWORD)
    for login, name, position, role, password in (
        ("director", "Кинякина Татьяна Игоревна", "Директор", "director", DIRECTOR_PASSWORD),
        (
            "curator",
            "Бутрина Ольга Николаевна",
            "Заместитель директора",
            "curator",
            CURATOR_PASSWORD,
        ),
    ):
        issue_key(settings, login, name, position, role, password, ca_password=CA_PASSWORD, org=ORG)


def shared_folder(tmp_path_factory) -> Path:
    """The archived school's folder, one for the whole run: with xdist, the workers' temporary
    folders share a parent, and the first worker to get there builds it (see :func:`build`)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    return base / "archived-school"


def build(base: Path, school: Callable[[Path], object]) -> tuple[Settings, Path]:
    """The archived school's settings and its exported bag (made on the first call of the run,
    under a lock: another process waits for it, then reads it too). ``school(home)`` puts the
    school with its signers (:func:`demo_school_with_signers`) at ``home`` — conftest's
    ``exported`` copies the template home the signing tests copy (tests/homes.py) instead of
    processing the demo workbook and issuing the keys again (3.5–5 s of CPU)."""
    base.mkdir(parents=True, exist_ok=True)
    with (base.parent / "archived-school.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build(base, school)


def _build(base: Path, school: Callable[[Path], object]) -> tuple[Settings, Path]:
    settings = home_settings(base / "home")
    bag = base / "bag"
    if (base / "ready").exists():
        return settings, bag
    shutil.rmtree(settings.home, ignore_errors=True)  # a build left unfinished
    school(settings.home)
    with session_scope(settings.database_url) as s:
        director_queue = [d.id for d in pending_documents(s, "director")]
    sign_documents(settings, "director", director_queue, DIRECTOR_PASSWORD)
    program, report, consent = (
        document_id(settings, "program", "П-01"),
        document_id(settings, "report_pair", "П-01"),
        document_id(settings, "consent_adult"),
    )
    sign_documents(settings, "curator", [program, report], CURATOR_PASSWORD)
    for paper in (program, report, consent):
        attach_scan(settings, paper, SCAN)
    added = CliRunner().invoke(
        main,
        ["--home", str(settings.home), "archive", "add", "--all", "--user", "director"]
        + ["--user", "curator", "--password-stdin"],
        input=f"{DIRECTOR_PASSWORD}\n{CURATOR_PASSWORD}\n",
    )
    assert added.exit_code == 0, added.output
    from service.archive.bag import export_bag
    from service.register.db import session_factory

    sessions = session_factory(settings.database_url)
    export_bag(sessions, settings, bag, CA_PASSWORD, year=YEAR, actor="test")
    (base / "ready").touch()
    return settings, bag


def destroy_as_director(settings: Settings, ids: list[int], today: date):
    """The director's act destroying the archived documents ``ids`` on ``today`` (their
    retention over): :func:`~service.archive.destruction.destroy_documents` as the tests call it."""
    from service.archive.destruction import destroy_documents

    sessions = session_factory(settings.database_url)
    return destroy_documents(sessions, settings, ids, "director", DIRECTOR_PASSWORD, today=today)


def document_id(settings: Settings, kind: str, subject: str | None = None) -> int:
    with session_scope(settings.database_url) as s:
        query = select(Document.id).where(Document.kind == kind).order_by(Document.id)
        if subject:
            query = query.where(Document.subject_label == subject)
        return s.scalars(query).first()


def copy_home(settings: Settings, target: Path) -> Settings:
    """A private copy of the school's home (database, store, archive) to change freely."""
    shutil.copytree(settings.home, target, symlinks=True)
    return home_settings(target)
