"""An export stopped midway keeps no copy of a destroyed document (attack22). ``nastavnik
archive export`` killed while it wrote the year's bag left ``var/exports/..new-<id>.tmp`` with
the documents copied so far; a destruction act later removed the consent from the archive, the
store and outbox/ — and left its DOCX, scan and PDF copy in that folder, while ``nastavnik
archive verify`` answered «Архив цел». The folder here is the year's bag as the export writes
it (the archived school's), put where a killed export leaves it."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from service.cli import main
from service.register.archive import archive_item_of
from service.register.db import session_scope
from tests.archive_school import (
    YEAR,
    copy_home,
    destroy_as_director,
    document_id,
)
from tests.test_inspector_export import export_into_the_service

FINISH = "nastavnik archive destroy --finish"


def digests(folder: Path) -> set[str]:
    return {hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def test_an_export_stopped_midway_keeps_no_copy_of_a_destroyed_document(exported, tmp_path):
    settings, bag = exported
    settings = copy_home(settings, tmp_path / "школа")
    consent = document_id(settings, "consent_adult")
    with session_scope(settings.database_url) as s:
        item = archive_item_of(s, consent)
        due, files = item.retain_until, {f["sha256"] for f in item.files}
    exports = settings.var / "exports"
    killed = exports / "..new-0b1c2d.tmp"  # an export killed while it wrote
    shutil.copytree(bag, killed)
    assert files & digests(killed)  # the consent, its scan and its PDF copy among them
    act = destroy_as_director(settings, [consent], due)
    assert not killed.exists()
    assert act.erasure.unfinished == [killed.name]
    assert (
        "Удалены незаконченные выгрузки архива (прерванные на середине), в которых были "
        "уничтоженные документы: 1." in act.erasure.lines()
    )

    # one left by a release that did not look there (or killed after the act was made):
    # the archive's check names it until --finish removes it
    again = exports / ".new-3e4f5a"
    shutil.copytree(bag, again)
    home = ["--home", str(settings.home)]
    verify = CliRunner().invoke(main, [*home, "archive", "verify"])
    assert verify.exit_code == 1
    assert (
        f"документ № {consent} уничтожен по акту № {act.number} от {date.today():%d.%m.%Y}, но его "
        f"копия осталась в незаконченной выгрузке архива var/exports/.new-3e4f5a; завершите "
        f"уничтожение: {FINISH}"
    ) in verify.output
    finish = CliRunner().invoke(main, [*home, "archive", "destroy", "--finish"])
    assert finish.exit_code == 0, finish.output
    assert not again.exists()
    assert CliRunner().invoke(main, [*home, "archive", "verify"]).exit_code == 0
    assert not files & set().union(*(digests(p) for p in exports.iterdir() if p.is_dir()))


def test_an_export_stopped_midway_is_removed_by_the_next_export_a_day_later(exported, tmp_path):
    """Each export stopped midway kept a whole copy of the year's documents (2.4 MB here, the
    school's year far more) in ``var/exports`` for ever: no page lists it, nothing removed it.
    The next export removes those untouched for a day; one younger may still be running."""
    settings, bag = exported
    settings = copy_home(settings, tmp_path / "школа")
    exports = settings.var / "exports"
    exports.mkdir(exist_ok=True)
    old, young = exports / "..new-0a1b.tmp", exports / ".new-2c3d"
    shutil.copytree(bag, old)
    young.mkdir()
    day_ago = time.time() - 24 * 3600 - 60
    os.utime(old, (day_ago, day_ago))
    export_into_the_service(settings.home)
    assert not old.exists() and young.is_dir()
    assert sorted(p.name for p in exports.iterdir() if p.is_dir()) == sorted([young.name, YEAR])
