"""The act destroys the document — every version of it (left21b): a consent's version 1, made
again as version 2 when the mentor's address changed, was never archived (it was superseded), and
its DOCX stayed in ``var/store`` and in the first batch's outbox folder with the same personal
data after version 2 was destroyed by an act.

The demo school with its signers; Н-01's address changed by a second workbook (her consent's
version 2, version 1 superseded); version 2 signed on paper, archived and destroyed. Then no file
under the home has the bytes of either version, and the result says an earlier version's files
went too."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from service.cli import main
from service.register.archive import archive_item_of
from service.register.db import session_scope
from service.register.models import Document
from service.register.queries import unsigned_draft
from service.signing.ledger import verify_ledger
from service.signing.stored import store_problems
from service.store import FileStore
from tests.archive_school import (
    demo_school_with_signers,
    destroy_as_director,
    home_settings,
)
from tests.signing_calls import attach_scan
from tests.test_reverted_content import SCAN, mentors
from tests.test_year_results import Outcome, process


def every_digest(home: Path) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for path in home.rglob("*"):
        if path.is_file() and not path.is_symlink():
            found.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), []).append(path)
    return found


def test_the_earlier_versions_of_a_destroyed_document_go_with_it(homes, tmp_path, request):
    settings = homes.copy(request, demo_school_with_signers, "sqlite", tmp_path / "home")
    settings = home_settings(settings.home)
    moved = process(settings, tmp_path / "1.xlsx", {"Наставники": mentors(Адрес="ул. Новая, 1")})
    assert moved.outcome == Outcome.DONE, moved.message
    with session_scope(settings.database_url) as s:
        first, second = s.scalars(
            select(Document)
            .where(Document.kind == "consent_adult", Document.subject_label.startswith("Петрова"))
            .order_by(Document.version)
        ).all()
        assert (first.version, first.status, second.version) == (1, "superseded", 2)
        v1, v2 = first.id, second.id
        v1_docx = first.sha256
        v1_context = first.context
    assert "ул. Новая, 1" not in v1_context and "ул. Новая, 1" in second.context
    attach_scan(settings, v2, SCAN)
    added = CliRunner().invoke(main, ["--home", str(settings.home), "archive", "add", str(v2)])
    assert added.exit_code == 0, added.output
    with session_scope(settings.database_url) as s:
        due = archive_item_of(s, v2).retain_until
        v2_files = {s.get(Document, v2).sha256, unsigned_draft(s, s.get(Document, v2))} - {None}
    before = every_digest(settings.home)
    assert any("store" in p.parts for p in before[v1_docx])
    assert any("outbox" in p.parts for p in before[v1_docx])  # the first batch's copy

    act = destroy_as_director(settings, [v2], due)

    after = every_digest(settings.home)
    assert {sha: after[sha] for sha in {v1_docx, *v2_files} if sha in after} == {}
    assert act.erasure.earlier == 1
    assert (
        "Из них файлы ранних версий уничтоженных документов (заменённых новыми версиями, с теми "
        "же персональными данными): версий 1."
    ) in act.erasure.lines()
    with session_scope(settings.database_url) as s:
        assert s.get(Document, v1).status == "superseded"  # its register entry stays
        assert verify_ledger(s, settings.var, FileStore(settings.store_dir)).ok
        assert store_problems(s, FileStore(settings.store_dir)) == ([], [])
    # its page's file link names the act, not a broken store
    from service.web import create_app
    from tests.web_school import login, make_users

    make_users(settings)
    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "curator")
    gone = client.get(f"/documents/{v1}/file")
    assert gone.status_code == 404
    assert (
        f"Документ № {v1} (версия 1, заменённая новой) уничтожен вместе с документом № {v2} по "
        f"акту № {act.number} от {date.today():%d.%m.%Y} (истёк срок хранения)"
    ) in gone.get_data(as_text=True)
    assert client.get(f"/documents/{v2}/file").status_code == 404
    batch_zip = client.get("/packs/batches/1.zip")  # the first batch's pack, without version 1
    assert batch_zip.status_code == 200, batch_zip.get_data(as_text=True)[:500]
    verified = CliRunner().invoke(
        main, ["--home", str(settings.home), "archive", "verify", "--quiet"]
    )
    assert verified.exit_code == 0, verified.output

    # review22: the register kept both versions' whole contexts (her addresses, old and new)
    number = f"№ {act.number} от {date.today():%d.%m.%Y}"
    with session_scope(settings.database_url) as s:
        for version in (v1, v2):
            assert s.get(Document, version).context == (
                '{"destroyed":"' + number + '","org":{"school_year":"2023–2024"}}'
            )
        # as an act of an earlier release left it: version 1's context as it was
        s.get(Document, v1).context = v1_context
    home = str(settings.home)
    verified = CliRunner().invoke(main, ["--home", home, "archive", "verify", "--quiet"])
    assert verified.exit_code != 0
    assert (
        f"документ № {v1} (ранняя версия документа № {v2}) уничтожен по акту {number}, но его "
        "содержимое (текст с персональными данными) осталось в реестре; завершите уничтожение: "
        "nastavnik archive destroy --finish"
    ) in verified.output
    # not «с ошибками 0. ПРОВЕРКА НЕ ПРОЙДЕНА» (attack22): the files are sound, the rest not
    assert "с ошибками 0; других ошибок 1. ПРОВЕРКА НЕ ПРОЙДЕНА." in verified.output
    finished = CliRunner().invoke(main, ["--home", home, "archive", "destroy", "--finish"])
    assert finished.exit_code == 0, finished.output
    assert (
        "Из реестра удалено содержимое уничтоженных документов (их текст с персональными "
        "данными): документов и их версий 1."
    ) in finished.output
    verified = CliRunner().invoke(main, ["--home", home, "archive", "verify", "--quiet"])
    assert verified.exit_code == 0, verified.output

    # review22b: a later workbook that changes her address again stopped at the destroyed
    # version's emptied context (KeyError 'doc' comparing the two texts: «Внутренняя ошибка при
    # обработке файла»); her consent is made again as version 3, from the workbook
    again = process(settings, tmp_path / "2.xlsx", {"Наставники": mentors(Адрес="ул. Другая, 2")})
    assert again.outcome == Outcome.DONE, again.message
    with session_scope(settings.database_url) as s:
        latest = s.scalars(
            select(Document)
            .where(Document.kind == "consent_adult", Document.subject_label.startswith("Петрова"))
            .order_by(Document.version.desc())
        ).first()
        assert (latest.version, latest.status) == (3, "generated")
        assert "ул. Другая, 2" in latest.context
        assert s.get(Document, v2).context == (
            '{"destroyed":"' + number + '","org":{"school_year":"2023–2024"}}'
        )

    # review22b: its page compared it with version 2, destroyed, and said «Текст не изменился.»
    # (no file to compare: the address had changed)
    login(client, "director")
    page = client.get(f"/director/documents/{latest.id}").get_data(as_text=True)
    assert "Версия 2 — уничтожен (акт " in page
    assert "Сравнить тексты нельзя: файл версии 2 уничтожен вместе с документом по акту." in page
    assert "Текст не изменился." not in page

    # and one that puts back the destroyed version's address withdrew version 3 as «действует
    # подписанная версия» — version 2, destroyed, its file gone: she had no consent in force.
    # Version 4 is made, from the workbook
    back = process(settings, tmp_path / "3.xlsx", {"Наставники": mentors(Адрес="ул. Новая, 1")})
    assert back.outcome == Outcome.DONE, back.message
    assert "отозвано черновиков" not in back.message
    with session_scope(settings.database_url) as s:
        versions = s.execute(
            select(Document.version, Document.status)
            .where(Document.kind == "consent_adult", Document.subject_label.startswith("Петрова"))
            .order_by(Document.version)
        ).all()
    assert [tuple(v) for v in versions] == [
        (1, "superseded"),
        (2, "archived"),
        (3, "superseded"),
        (4, "generated"),
    ]
