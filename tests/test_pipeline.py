"""A workbook start to finish: register, documents, outbox — real files, real SQLite."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select, text

from service.documents.text import docx_text
from service.intake.demo import write_demo_workbook
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.events import verify_chain
from service.register.models import Batch, Document, Event, Pair, Person
from service.store import sha256_file


def set_cell(path: Path, sheet: str, row: int, header: str, value) -> None:
    """Change one cell of a workbook, finding the column by its header in row 1."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    headers = [c.value for c in ws[1]]
    ws.cell(row=row, column=headers.index(header) + 1, value=value)
    book.save(path)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "школа.xlsx"
    write_demo_workbook(path)
    return path


def processed_demo(settings, folder: Path) -> None:
    """The demo workbook processed."""
    demo = folder / "школа.xlsx"
    write_demo_workbook(demo)
    assert process_workbook(settings, demo).outcome == Outcome.DONE


@pytest.fixture
def demo_school(homes, database_kind, tmp_path, request):
    """A home after :func:`processed_demo` (built once per session, tests/homes.py)."""
    return homes.copy(request, processed_demo, database_kind, tmp_path / "home")


def snapshot(settings) -> dict:
    """Everything a rejected workbook must leave as it was."""
    with session_scope(settings.database_url) as s:
        return {
            "people": s.scalar(select(func.count()).select_from(Person)),
            "pairs": s.scalar(select(func.count()).select_from(Pair)),
            "documents": s.scalar(select(func.count()).select_from(Document)),
            "names": sorted(p.full_name for p in s.scalars(select(Person))),
            "outbox": sorted(p.name for p in settings.outbox.iterdir()),
        }


@pytest.mark.postgresql
def test_full_workbook_produces_the_expected_documents(settings, demo):
    result = process_workbook(settings, demo)
    assert result.outcome == Outcome.DONE, result.message
    folder = result.folder
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    kinds = [e["kind"] for e in manifest]
    for kind in (
        "regulation",
        "order_implementation",
        "target_model",
        "roadmap",
        "order_coordinators",
        "order_training",
        "order_pairs",
        "order_final_event",
        "report_final",
    ):
        assert kinds.count(kind) == 1, kind
    with session_scope(settings.database_url) as s:
        pairs = list(s.scalars(select(Pair)))
        external = [p for p in s.scalars(select(Person)) if p.is_external]
        teachers = [
            p
            for p in s.scalars(select(Person).where(Person.role == "mentor"))
            if p.category == "педагог" and not p.is_external
        ]
    assert kinds.count("program") == len(pairs) >= 4
    assert kinds.count("contract_external") == len(external) >= 1
    assert kinds.count("mentor_consent") == len(teachers) >= 1
    assert kinds.count("consent_guardian") >= 2
    assert kinds.count("report_pair") == 2
    # a minor never gets the adult consent, an adult never the guardian's
    subjects_guardian = {e["subject"] for e in manifest if e["kind"] == "consent_guardian"}
    subjects_adult = {e["subject"] for e in manifest if e["kind"] == "consent_adult"}
    assert "Зуев Никита Андреевич" in subjects_guardian
    assert not subjects_guardian & subjects_adult
    # every file is there under its Russian name, with the hash the manifest says
    for entry in manifest:
        path = folder / entry["file"]
        assert path.is_file(), entry["file"]
        assert sha256_file(path) == entry["sha256"]
        assert (settings.store_dir / entry["sha256"][:2] / entry["sha256"]).is_file()
    assert (folder / "Согласие законного представителя — Зуев Никита Андреевич.docx").is_file()
    inventory = openpyxl.load_workbook(folder / "Опись.xlsx").active
    titles = [row[1] for row in inventory.iter_rows(min_row=3, values_only=True)]
    assert len(titles) == len(manifest)


def test_documents_contain_real_text_and_no_leftover_tags(settings, demo):
    result = process_workbook(settings, demo)
    for entry in result.entries:
        text = docx_text(result.folder / entry.file)
        assert "{{" not in text and "{%" not in text and "}}" not in text, entry.file
        assert "None" not in text, entry.file
        assert "«»" not in text, entry.file
        assert len(text) > 300, entry.file
    order = docx_text(result.folder / "Приказ об утверждении наставников и наставнических пар.docx")
    assert "ПРИКАЗЫВАЮ" in order
    assert "Петрова Анна Сергеевна" in order
    assert "МБОУ Идринская СОШ" in order


def test_user_data_is_printed_verbatim_never_executed(settings, demo):
    nasty = 'Цель & <b>смелая</b> "кавычки" {{ org.full_name }} {% if 1 %}X{% endif %}'
    set_cell(demo, "Пары", 2, "Цель", nasty)
    result = process_workbook(settings, demo)
    assert result.outcome == Outcome.DONE, result.message
    programs = [e for e in result.entries if e.kind == "program"]
    texts = [docx_text(result.folder / e.file) for e in programs]
    # printed as typed, only tidied for print (straight quotes become «ёлочки»), never executed
    printed = "Цель & <b>смелая</b> «кавычки» {{ org.full_name }} {% if 1\u00a0%}X{% endif %}"
    assert any(printed in t for t in texts)


@pytest.mark.postgresql
def test_rejected_workbook_changes_nothing_and_reports_everything(demo_school, tmp_path):
    settings = demo_school  # the demo processed (processed_demo), once per session
    before = snapshot(settings)
    bad = tmp_path / "с ошибками.xlsx"
    write_demo_workbook(bad)
    set_cell(bad, "Наставники", 3, "ФИО", "Новиков Пётр Ильич")  # a new person…
    set_cell(bad, "Наставники", 2, "Дата рождения", "31.02.1980")  # …but errors elsewhere
    set_cell(bad, "Пары", 2, "Форма", "Учитель – директор")
    set_cell(bad, "Пары", 3, "Дата окончания", "2023-11-15")
    result = process_workbook(settings, bad)
    assert result.outcome == Outcome.REJECTED
    assert snapshot(settings) == before
    text = result.message
    assert "лист «Наставники», строка 2, столбец «Дата рождения»" in text
    assert "лист «Пары», строка 2, столбец «Форма»" in text
    assert "лист «Пары», строка 3" in text
    assert len(result.report.errors) >= 3
    with session_scope(settings.database_url) as s:
        batch = s.get(Batch, result.batch_id)
        assert batch.status == "rejected" and "Дата рождения" in batch.report


@pytest.mark.postgresql
def test_same_data_again_makes_no_new_versions_changed_data_does(
    settings, demo, tmp_path, monkeypatch
):
    first = process_workbook(settings, demo)
    again = process_workbook(settings, demo)
    assert again.outcome == Outcome.DUPLICATE and again.folder == first.folder
    assert re.fullmatch(
        r"Этот файл уже обработан \(пакет № 1 от [\d.]{10} \d\d:\d\d\); документы — в папке "
        r"outbox/[^;]+\.",
        again.message,
    ), again.message
    copy = tmp_path / "копия.xlsx"
    write_demo_workbook(copy)
    set_cell(copy, "Пары", 2, "Цель", "Новая цель пары")
    second = process_workbook(settings, copy)
    assert second.outcome == Outcome.DONE
    changed = {e.kind for e in second.entries if e.version == 2}
    # the order on pairs prints no goals: the same text is not sent to be signed again
    assert "program" in changed and "order_pairs" not in changed
    assert "regulation" not in changed and "consent_adult" not in changed
    # the first file dropped again, meaning to put its goal back, is told the register has
    # changed since and how to bring its data back
    back = process_workbook(settings, demo)
    assert back.outcome == Outcome.DUPLICATE
    assert re.search(
        r"\. После него реестр меняли более поздние книги \(последняя — пакет № 2 от "
        r"[\d.]{10} \d\d:\d\d\), и этот файл их не отменяет\. Чтобы вернуть его данные, "
        r"исправьте книгу \(любая правка делает её новым файлом\) и положите её снова\.$",
        back.message,
    ), back.message
    # the next workbook of the same data renders nothing: the order on pairs, kept with its
    # old goal, was rendered twice again by every later batch to find its text unchanged
    third = tmp_path / "ещё копия.xlsx"
    book = openpyxl.load_workbook(copy)
    book.properties.title = "другой файл, те же данные"
    book.save(third)
    from service import versions

    rendered = []
    render = versions.render_document
    monkeypatch.setattr(
        versions, "render_document", lambda *a: rendered.append(a[1].id) or render(*a)
    )
    after = process_workbook(settings, third)
    assert (after.outcome, after.entries, rendered) == (Outcome.DONE, [], [])
    with session_scope(settings.database_url) as s:
        assert verify_chain(s) is None
        kinds = [e.kind for e in s.scalars(select(Event))]
    assert kinds.count("batch_processed") == 3


@pytest.mark.postgresql
def test_event_log_detects_an_edited_entry(demo_school):
    settings = demo_school  # the demo processed (processed_demo), once per session
    with session_scope(settings.database_url) as s:
        entry = s.scalars(select(Event).where(Event.kind == "document_generated")).first()
        entry.details = {**entry.details, "sha256": "0" * 64}
        target = entry.id
    with session_scope(settings.database_url) as s:
        assert verify_chain(s) == target


@pytest.mark.postgresql
def test_two_writers_never_link_to_the_same_entry(settings, database_kind):
    import threading

    from service.register.events import append_event
    from tests.lock_waits import LockWaits, wait_for_a_postgresql_waiter

    started = threading.Event()
    second = threading.current_thread()
    waits = LockWaits(settings.database_url) if database_kind == "sqlite" else None

    def slow_writer():
        with session_scope(settings.database_url) as s:
            append_event(s, "first")
            started.set()
            # holds its transaction open until the second writer waits for the lock
            if waits is not None:
                waits.wait_until_waiting(second)
            else:
                wait_for_a_postgresql_waiter(settings.database_url)

    thread = threading.Thread(target=slow_writer)
    thread.start()
    started.wait()
    with session_scope(settings.database_url) as s:
        append_event(s, "second")  # must wait for the first, then link to it
    thread.join()
    with session_scope(settings.database_url) as s:
        assert verify_chain(s) is None
        kinds = [e.kind for e in s.scalars(select(Event).order_by(Event.id))]
    assert kinds[-2:] == ["first", "second"]


def test_an_outbox_that_cannot_be_written_leaves_the_batch_done_and_is_made_again(settings, demo):
    """The outbox folder is written while the documents are stored; a write that fails
    (here: ``outbox`` is a file) stops the copy, not the batch, and leaves no half folder;
    the same workbook dropped again makes the folder from the store."""
    settings.outbox.rmdir()
    settings.outbox.write_text("не папка", encoding="utf-8")
    result = process_workbook(settings, demo)
    with session_scope(settings.database_url) as s:
        batch = s.get(Batch, result.batch_id)
        folder, status = batch.folder, batch.status
        stored = s.scalar(select(func.count()).select_from(Document))
    assert (result.outcome, status, result.folder, stored) == (Outcome.DONE, "done", None, 36)
    assert result.message == (
        f"Файл «школа.xlsx» обработан, документы в реестре (пакет № {result.batch_id}), но "
        f"папку outbox/{folder} записать не удалось (Not a directory). Освободите место и "
        "положите этот файл в inbox снова — папка будет восстановлена."
    )
    settings.outbox.unlink()
    settings.outbox.mkdir()
    again = process_workbook(settings, demo)
    assert (again.outcome, again.folder) == (Outcome.DUPLICATE, settings.outbox / folder)
    assert sorted(p.name for p in settings.outbox.iterdir()) == [folder]
    files = sorted(p.name for p in again.folder.iterdir())
    assert files == sorted([e.file for e in result.entries] + ["manifest.json", "Опись.xlsx"])
    for entry in result.entries:
        assert sha256_file(again.folder / entry.file) == entry.sha256


@pytest.mark.postgresql
def test_people_and_documents_get_their_ids_in_order(settings, demo):
    """People in the order the sheets name them, each ward before the guardian named beside
    it (one flush for all of them: the guardian's link is written after both); documents in
    the order of the batch's inventory (on SQLite numbered before they are written)."""
    result = process_workbook(settings, demo)
    assert result.outcome == Outcome.DONE
    with session_scope(settings.database_url) as s:
        people = [
            (p.id, p.role, p.full_name, p.guardian_id)
            for p in s.scalars(select(Person).order_by(Person.id))
        ]
        documents = [(d.id, d.sha256) for d in s.scalars(select(Document).order_by(Document.id))]
    assert documents == [(n, e.sha256) for n, e in enumerate(result.entries, 1)]
    assert people == [
        (1, "mentor", "Петрова Анна Сергеевна", None),
        (2, "mentor", "Белова Елена Викторовна", None),
        (3, "mentor", "Орлов Дмитрий Андреевич", None),
        (4, "mentor", "Кузнецова Дарья Игоревна", 5),
        (5, "guardian", "Кузнецова Светлана Павловна", None),
        (6, "mentee", "Смирнов Илья Олегович", None),
        (7, "mentee", "Алиев Руслан Рашид оглы", None),
        (8, "mentee", "Морозова Алина Сергеевна", 9),
        (9, "guardian", "Морозов Сергей Николаевич", None),
        (10, "mentee", "Зуев Никита Андреевич", 11),
        (11, "guardian", "Зуева Ирина Викторовна", None),
        (12, "mentee", "Ткаченко Владислав Игоревич", 13),
        (13, "guardian", "Ткаченко Наталья Александровна", None),
    ]


def test_a_batch_that_fails_after_its_documents_leaves_nothing_in_outbox(settings, demo):
    """The outbox folder is written while the documents are stored; a batch that fails after
    them (here the register refuses to mark it done, as a full disk would) leaves no copy —
    not even a hidden temporary one holding every document of a batch the register does not
    have — and the same workbook processed again gets its folder."""
    with session_scope(settings.database_url) as s:
        s.execute(
            text(
                "CREATE TRIGGER refuse_done BEFORE UPDATE OF status ON batch "
                "WHEN NEW.status = 'done' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
            )
        )
    failed = process_workbook(settings, demo)
    assert failed.outcome == Outcome.FAILED
    assert sorted(p.name for p in settings.outbox.iterdir()) == []
    with session_scope(settings.database_url) as s:
        s.execute(text("DROP TRIGGER refuse_done"))
    again = process_workbook(settings, demo)
    assert again.outcome == Outcome.DONE
    assert sorted(p.name for p in settings.outbox.iterdir()) == [again.folder.name]


def test_a_batch_given_up_after_its_attempts_leaves_no_copy_in_outbox(settings, demo):
    """The outbox folder is written while the documents are stored, so a process killed in
    the middle of a batch leaves its unfinished copy; the next attempt makes it again, and
    when the attempts run out the batch is given up — and its copy removed, not left hidden
    in outbox/ with the documents of a batch the register does not have."""
    with session_scope(settings.database_url) as s:  # a batch the worker died on, for good
        batch = Batch(
            source_name=demo.name,
            sha256=sha256_file(demo),
            started_at=datetime(2026, 11, 30, 22, 50),
            attempts=settings.max_attempts,
        )
        s.add(batch)
        s.flush()
        left = settings.outbox / f".tmp-2026-11-30 22-50 № {batch.id} школа"
    placed = settings.outbox / left.name.removeprefix(".tmp-")  # died after placing it
    for folder in (left, placed):
        folder.mkdir()
        (folder / "Приказ.docx").write_bytes(b"a batch not committed")
    result = process_workbook(settings, demo)
    assert (result.outcome, result.batch_id) == (Outcome.FAILED, batch.id)
    assert list(settings.outbox.iterdir()) == []
