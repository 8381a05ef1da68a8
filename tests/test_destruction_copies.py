"""Destroying documents by an act removes every copy the service keeps of their files (destroy21,
found by office21): the act deleted only the archive's copies, and the DOCX, its ``.p7s``, the
PDF copy's sources and the outbox copies stayed in ``var/store`` and ``outbox/`` — a «destroyed»
programme still verified, a consent to the processing of personal data stayed on disk after the
act said it was destroyed.

The archived school (tests/archive_school.py), its year exported into the service and packed;
the consent of an adult and pair П-01's programme destroyed. Then every file under the home is
hashed: none has a destroyed file's bytes but the office's changed copy (left, and named), the
scan the same bytes of which pair П-01's report keeps, the other documents verify with openssl,
the archive and the ledger checks pass, the pages answer."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import bagit
import openpyxl
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from service.archive.exports import kept_exports
from service.archive.integrity import verify_archive
from service.archive.packs import pair_pack
from service.cli import main
from service.pipeline import Outcome, process_workbook
from service.register.archive import archive_item_of
from service.register.db import session_scope
from service.register.models import Batch, Document, Event, Pair
from service.register.queries import unsigned_draft
from service.register.states import status_text
from service.signing.ledger import verify_ledger
from service.signing.stored import store_problems
from service.signing.verification import verify_file
from service.store import FileStore, sha256_bytes
from tests.archive_school import (
    SCAN,
    YEAR,
    copy_home,
    destroy_as_director,
    document_id,
)
from tests.homes import run_folder
from tests.test_inspector_export import export_into_the_service
from tests.web_school import login, make_users


def every_file(home: Path) -> dict[str, list[Path]]:
    """SHA-256 → the files under ``home`` with those bytes (links not followed)."""
    found: dict[str, list[Path]] = {}
    for path in home.rglob("*"):
        if path.is_file() and not path.is_symlink():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found.setdefault(digest, []).append(path)
    return found


def files_of(settings, document_ids: list[int]) -> dict[str, str]:
    """SHA-256 → what it is, of every file the documents had (the scan's excepted)."""
    found = {}
    with session_scope(settings.database_url) as s:
        for document_id in document_ids:
            document = s.get(Document, document_id)
            found[document.sha256] = f"DOCX № {document_id}"
            draft = unsigned_draft(s, document)
            if draft:
                found[draft] = f"черновик № {document_id}"
            for signature in document.signatures:
                found[signature.sha256] = f"подпись ({signature.method}) № {document_id}"
            for file in archive_item_of(s, document_id).files:
                found[file["sha256"]] = f"архив ({file['role']}) № {document_id}"
    found.pop(sha256_bytes(SCAN))  # pair П-01's report keeps the same scan
    return found


def openssl_verifies(settings, document_id: int, folder: Path) -> None:
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as s:
        document = s.get(Document, document_id)
        docx = folder / f"{document_id}.docx"
        docx.write_bytes(store.get(document.sha256))
        for signature in document.signatures:
            if signature.method == "cms":
                p7s = folder / f"{document_id}-{signature.id}.p7s"
                p7s.write_bytes(store.get(signature.sha256))
                done = subprocess.run(
                    ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(p7s)]
                    + ["-content", str(docx), "-CAfile", str(settings.ca_certificate)]
                    + ["-purpose", "any", "-out", "/dev/null"],
                    capture_output=True,
                    text=True,
                )
                assert done.returncode == 0, done.stderr


@pytest.fixture
def school(exported, tmp_path, tmp_path_factory):
    """A copy of the archived school: the year exported into the service, pair П-01's pack
    made, the office's copies in outbox/ (one moved, one changed)."""
    settings = copy_home(exported[0], tmp_path / "школа")
    make_users(settings)
    export_into_the_service(settings.home)
    with session_scope(settings.database_url) as s:
        pair = s.scalars(select(Pair).where(Pair.code == "П-01")).one().id
        pair_pack(s, FileStore(settings.store_dir), settings.var, pair, YEAR)
    return settings, pair, the_workbook(settings, tmp_path_factory, tmp_path)


def the_workbook(settings, tmp_path_factory, folder: Path) -> Path:
    """A copy of the workbook the school's batch was made from (found in this run's folders by
    its SHA-256): dropped again, it is that batch's duplicate."""
    with session_scope(settings.database_url) as s:
        wanted = set(s.scalars(select(Batch.sha256)))
    for path in run_folder(tmp_path_factory).rglob("*.xlsx"):
        if sha256_bytes(path.read_bytes()) in wanted:
            return Path(shutil.copy(path, folder / "школа.xlsx"))
    raise AssertionError("the school's workbook is not in this run's folders")


def test_destroying_removes_every_copy_the_service_keeps(school, tmp_path):
    settings, pair, workbook = school
    consent = document_id(settings, "consent_adult")
    program = document_id(settings, "program", "П-01")
    order = document_id(settings, "order_pairs")
    doomed = files_of(settings, [consent, program])
    home = settings.home
    before = every_file(home)
    outbox = [p for sha in doomed for p in before.get(sha, []) if "outbox" in p.parts]
    assert len(outbox) == 2  # each document's copy in the batch's folder
    (copy,) = [p for p in outbox if p.name.startswith("Согласие")]
    before_folder = sorted(p.name for p in copy.parent.iterdir())
    (changed,) = [p for p in outbox if p != copy]  # the office wrote into the programme's
    moved = home / "outbox" / "разобрано" / "копия.docx"  # and copied the consent elsewhere
    moved.parent.mkdir()
    moved.write_bytes(copy.read_bytes())
    changed.write_bytes(changed.read_bytes() + b"\0")
    assert any(p.parts[-3:-1] == ("var", "packs") for p in sum(before.values(), []))
    with session_scope(settings.database_url) as s:
        due = max(archive_item_of(s, i).retain_until for i in (consent, program))
        kept_docx = FileStore(settings.store_dir).get(s.get(Document, program).sha256)

    act = destroy_as_director(settings, [consent, program], due)

    after = every_file(home)
    remaining = {doomed[sha]: after[sha] for sha in doomed if sha in after}
    assert remaining == {}
    assert changed.is_file() and not moved.exists() and not copy.exists()
    assert sorted(act.erasure.outbox) == sorted(
        [copy.relative_to(home / "outbox").as_posix(), "разобрано/копия.docx"]
    )
    folder, name = changed.relative_to(home / "outbox").parts
    number = f"№ {act.number} от {date.today():%d.%m.%Y}"  # the act is made today
    assert act.erasure.left == [
        f"Оставлена копия outbox/{folder}/{name}: это копия документа № "
        f"{program}, уничтоженного по акту {number}, но её "
        "изменили после того, как служба её сделала (SHA-256 другой), и служба её не удаляет. "
        "Если в ней персональные данные, удалите её сами."
    ]
    assert act.erasure.exports == [YEAR] and kept_exports(settings.var) == []
    assert act.erasure.packs == 1 and not list((settings.var / "packs").glob("*.zip"))
    kept_in = {
        where: sum(any(p.parts[-3] == where for p in before.get(sha, [])) for sha in doomed)
        for where in ("store", "archive")
    }
    assert kept_in == {
        "store": 5,
        "archive": 8,
    }  # store: DOCX×2, a draft, .p7s×2; archive: DOCX×2, .p7s×2, PDF×2, proof×2
    assert (act.erasure.store, act.files_deleted) == (5, 8)
    assert after.get(sha256_bytes(SCAN))  # still pair П-01's report's scan
    with session_scope(settings.database_url) as s:
        (entry,) = s.scalars(select(Event).where(Event.kind == "destroyed_files_removed"))
        assert entry.details == {
            "acts": [act.act_id],
            "store": 5,
            "archive": 8,
            "outbox": 2,
            "relisted": 1,
            "packs": 1,
            "contexts": 2,
            "exports": [YEAR],
            "left": 1,
        }
        # review22: the register kept each destroyed document's whole context (the consent's
        # address, birth date, phone: its DOCX could be made again from it); what is left of
        # it is the school year, whether a guardian gave it, and the act
        for destroyed in (consent, program):
            assert json.loads(s.get(Document, destroyed).context) == {
                "destroyed": number,
                "org": {"school_year": YEAR},
            }
        assert json.loads(s.get(Document, order).context)["pairs"]  # a kept one keeps it
        assert verify_ledger(s, settings.var, FileStore(settings.store_dir)).ok
        assert store_problems(s, FileStore(settings.store_dir)) == ([], [])
        report = verify_archive(s, settings)
    assert report.ok, report.to_text()

    # review22: the folder's manifest.json and Опись.xlsx still listed both destroyed
    # documents — the consent's row naming its person, a file no longer there
    assert act.erasure.relisted == [folder]
    listed = json.loads((changed.parent / "manifest.json").read_text(encoding="utf-8"))
    assert {e["sha256"] for e in listed} & set(doomed) == set()
    assert len(listed) == len(before_folder) - 4  # less the two, manifest and inventory
    rows = list(openpyxl.load_workbook(changed.parent / "Опись.xlsx").active.values)
    assert [r[6] for r in rows[2:]] == [e["sha256"] for e in listed]
    with session_scope(settings.database_url) as s:
        person = s.get(Document, consent).subject_label
    assert [r[2] for r in rows[2:] if r[1] == "Согласие на обработку персональных данных"] == [
        e["subject"] for e in listed if e["kind"] == "consent_adult"
    ]
    assert person not in [e["subject"] for e in listed if e["kind"] == "consent_adult"]
    relisted = (changed.parent / "manifest.json").read_bytes()

    # the batch's folder deleted by the office and its workbook dropped again: the folder is
    # made again from the store, without the destroyed documents (it failed on their files)
    shutil.rmtree(changed.parent)
    again = process_workbook(settings, workbook)
    assert again.outcome == Outcome.DUPLICATE, again.message
    made = sorted(p.name for p in changed.parent.iterdir())
    assert len(made) == len(list(before_folder)) - 2 and "manifest.json" in made
    assert (changed.parent / "manifest.json").read_bytes() == relisted  # the same listing
    assert copy.name not in made and changed.name not in made
    assert {doomed[sha] for sha in doomed if sha in every_file(home)} == set()

    # the programme's DOCX someone kept, brought to «Проверка файла»: the register's, destroyed,
    # its signatures not checked — never «ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА» over a .p7s that is gone
    with session_scope(settings.database_url) as s:
        brought = verify_file(s, settings.var, FileStore(settings.store_dir), kept_docx)
    text = brought.to_text()
    assert brought.found and not brought.ok and "НЕДЕЙСТВИТЕЛЬНА" not in text
    assert "ПОДПИСЬ НЕ ПРОВЕРЕНА: руководитель — Кинякина Татьяна Игоревна" in text
    assert f"  состояние: уничтожен (акт {number})\n" in text
    assert (
        f"  — документ уничтожен по акту {number} (истёк срок хранения), и файл этой подписи "
        "(.p7s) удалён вместе с ним; проверить подпись можно, только приложив её файл .p7s\n"
    ) in text
    assert text.endswith(
        f"ИТОГ: этот файл — документ реестра (его SHA-256 записан), уничтоженный по акту "
        f"{number}; файлы его подписей удалены вместе с ним, и проверить подписи нельзя.\n"
    )

    # the documents kept are whole and verify without the service
    openssl_verifies(settings, order, tmp_path)
    with session_scope(settings.database_url) as s:
        report_pair = document_id(settings, "report_pair", "П-01")
        kept = s.get(Document, report_pair)
        verdict = verify_file(
            s,
            settings.var,
            FileStore(settings.store_dir),
            FileStore(settings.store_dir).get(kept.sha256),
        )
    assert verdict.ok, verdict.to_text()

    # the pages: the pair's pack is made again without the programme, the destroyed file is
    # «уничтожен по акту», not a broken store
    from service.web import create_app

    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "curator")
    packed = client.get(f"/packs/pairs/{pair}.zip?year={YEAR}")
    assert packed.status_code == 200
    zipped = tmp_path / "пара.zip"
    zipped.write_bytes(packed.get_data())
    names = zipfile.ZipFile(zipped).namelist()
    assert any("Отчёт" in n or "отчет" in n.lower() for n in names), names
    assert not any(n.startswith("Программа") for n in names), names
    gone = client.get(f"/documents/{program}/file")
    assert gone.status_code == 404
    assert f"уничтожен по акту {number}" in gone.get_data(as_text=True)
    # review22b: the pages linked the destroyed documents' «DOCX», «.p7s» and «скан», each
    # answering «Не найдено»; they say the file went with the document
    with session_scope(settings.database_url) as s:
        links = {
            f"/documents/{d}/signatures/{sig.id}/file"
            for d in (consent, program)
            for sig in s.get(Document, d).signatures
        } | {f"/documents/{d}/file" for d in (consent, program)}
        kept_link = f"/documents/{report_pair}/file"
    for url in (f"/curator/pairs/{pair}", "/curator/"):
        html = client.get(url).get_data(as_text=True)
        assert [link for link in links if f'"{link}"' in html] == [], url
        assert f'"{kept_link}"' in html, url
        assert html.count("удалён вместе с документом") == 2, url
    login(client, "secretary")
    html = client.get("/secretary/batches/1").get_data(as_text=True)
    assert [link for link in links if f'"{link}"' in html] == []
    assert html.count("удалён вместе с документом") == 2 and f'"{kept_link}"' in html
    login(client, "director")
    page = client.get(f"/director/documents/{program}")
    assert page.status_code == 200
    assert f"Документ уничтожен по акту {number}" in page.get_data(as_text=True)
    assert [link for link in links if f'"{link}"' in page.get_data(as_text=True)] == []
    signed = client.get("/director/signed").get_data(as_text=True)
    assert [link for link in links if f'"{link}"' in signed] == []
    assert signed.count("файлы удалены вместе с документом") == 1  # the programme
    with session_scope(settings.database_url) as s:  # its state, not «в архиве»
        assert status_text(s, s.get(Document, program)) == f"уничтожен (акт {number})"
        assert status_text(s, s.get(Document, order)) == "в архиве"
    login(client, "inspector")
    assert client.get("/inspector/").status_code == 200
    archive_page = client.get("/inspector/archive")
    assert archive_page.status_code == 200
    assert client.get(f"/packs/archive/{YEAR}.zip").status_code == 404  # export it again
    verified = CliRunner().invoke(main, ["--home", str(home), "archive", "verify", "--quiet"])
    assert verified.exit_code == 0, verified.output

    # the year exported again: without the destroyed documents, whole, and the inspector has it
    export_into_the_service(home)
    [kept] = kept_exports(settings.var)
    bagit.Bag(str(kept.path)).validate()
    assert kept.document_ids() and not kept.document_ids() & {consent, program}
    assert not set(doomed) & set(every_file(home))
    assert client.get(f"/packs/archive/{YEAR}.zip").status_code == 200
    status = CliRunner().invoke(main, ["--home", str(home), "archive", "status", "--year", YEAR])
    assert status.exit_code == 0, status.output


def test_a_destruction_stopped_midway_is_noticed_and_finished(exported, tmp_path, monkeypatch):
    """A crash after the act was recorded and before the files were removed leaves an act the
    archive's check names, with each file still on disk, until ``--finish`` removes them."""
    settings = copy_home(exported[0], tmp_path / "школа")
    consent = document_id(settings, "consent_adult")
    doomed = files_of(settings, [consent])

    def crash(*_args, **_kwargs):
        raise KeyboardInterrupt  # the power went off

    monkeypatch.setattr("service.archive.destruction.erase_destroyed", crash)
    with session_scope(settings.database_url) as s:
        due = archive_item_of(s, consent).retain_until
    with pytest.raises(KeyboardInterrupt):
        destroy_as_director(settings, [consent], due)
    monkeypatch.undo()
    with session_scope(settings.database_url) as s:
        report = verify_archive(s, settings)
        act = s.scalars(select(Event).where(Event.kind == "destruction_act")).one().details
    assert not report.ok
    finish = "nastavnik archive destroy --finish"
    number = f"№ {act['number']} от {date.today():%d.%m.%Y}"
    assert report.problems[-1] == (
        f"уничтожение по акту {number} не завершено: копии документов (outbox/, архивы ZIP, "
        f"выгруженный архив) не проверены; {finish}"
    )
    assert (
        f"документ № {consent} уничтожен по акту {number}, но его файл остался в var/store: "
    ) in report.to_text()
    cli = CliRunner().invoke(main, ["--home", str(settings.home), "archive", "verify"])
    assert cli.exit_code == 1 and finish in cli.output
    done = CliRunner().invoke(
        main, ["--home", str(settings.home), "archive", "destroy", "--finish"]
    )
    assert done.exit_code == 0, done.output
    assert done.output.startswith("Удалено файлов уничтоженных документов: из хранилища ")
    after = every_file(settings.home)
    assert {doomed[sha] for sha in doomed if sha in after} == set()
    with session_scope(settings.database_url) as s:
        assert verify_archive(s, settings).ok
    again = CliRunner().invoke(
        main, ["--home", str(settings.home), "archive", "destroy", "--finish"]
    )
    assert again.output.startswith(
        "Удалено файлов уничтоженных документов: из хранилища 0, из архива 0, копий из outbox/ 0"
    )


def test_an_outbox_copy_that_cannot_be_removed_is_named(exported, tmp_path):
    """A copy in outbox/ the service may not remove (a folder the office locked) was passed
    over in silence: the act said the consent was destroyed, and its copy stayed unsaid."""
    settings = copy_home(exported[0], tmp_path / "школа")
    consent = document_id(settings, "consent_adult")
    with session_scope(settings.database_url) as s:
        document = s.get(Document, consent)
        digests = {document.sha256, unsigned_draft(s, document)}
        due = archive_item_of(s, consent).retain_until
    (copy,) = [
        p
        for p in (settings.home / "outbox").rglob("*.docx")
        if sha256_bytes(p.read_bytes()) in digests
    ]
    locked = subprocess.run(["chattr", "+i", str(copy.parent)], capture_output=True)
    if locked.returncode != 0:
        pytest.skip("chattr +i is not allowed here")
    try:
        act = destroy_as_director(settings, [consent], due)
    finally:
        subprocess.run(["chattr", "-i", str(copy.parent)], check=True)
    where = copy.relative_to(settings.home / "outbox").as_posix()
    assert copy.is_file() and act.erasure.outbox == []
    assert act.erasure.left == [
        f"Не удалена копия outbox/{where} документа № {consent}, уничтоженного по акту "
        f"№ {act.number} от {date.today():%d.%m.%Y}: Operation not permitted. Удалите её сами.",
        f"В описи outbox/{copy.parent.name} (Опись.xlsx, manifest.json) остались строки "
        "документов, уничтоженных по акту: не удалось её переписать (Operation not permitted). "
        "Вычеркните их сами.",
    ]
    assert act.erasure.left[0] in act.erasure.lines()
