"""`nastavnik process --dry-run`: the errors, or what the workbook would change — and nothing
changed anywhere (the database file, the outbox, the inbox, the ledger, the batches)."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select, text

from service.config import load_settings
from service.dryrun import DocumentChange
from service.intake import demo
from service.pipeline import process_workbook
from service.register.db import get_engine, session_scope
from service.register.models import Batch, Document, Event
from service.register.reading import sqlite_file
from tests import cli
from tests.signing_calls import sign_documents
from tests.test_school_year import other_school, table
from tests.web_school import KEY_PASSWORD, login
from tests.workbooks import write_workbook


def run_cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    return cli.nastavnik("--home", str(home), *args)


def settle(url: str) -> None:
    """Write the WAL into the database file and close this process's connections, so that the
    file's hash is the register's content."""
    engine = get_engine(url)
    with engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()


def listing(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the SHA-256 of its content."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def state(settings) -> tuple:
    database = sqlite_file(settings.database_url)
    with session_scope(settings.database_url) as s:
        counts = (
            s.scalar(select(func.count(Event.id))),
            s.scalar(select(func.count(Batch.id))),
            s.scalar(select(func.count(Document.id))),
        )
    settle(settings.database_url)
    return (
        hashlib.sha256(database.read_bytes()).hexdigest(),
        listing(settings.outbox),
        listing(settings.inbox),
        counts,
    )


def corrected(source: Path, target: Path, end: datetime = datetime(2024, 5, 31)) -> Path:
    """The demo workbook with П-02 ending on ``end`` instead of 24.05.2024: extended to
    31.05.2024 by default (an early end leaves the signed order on pairs standing:
    docs/documents.md §7)."""
    book = load_workbook(source)
    sheet = book["Пары"]
    assert sheet["A3"].value == "П-02" and sheet["H3"].value == datetime(2024, 5, 24)
    sheet["H3"] = end
    book.save(target)
    return target


def ended_early(source: Path, target: Path) -> Path:
    """The demo workbook with П-02 ending on 28.02.2024: an early end, warned of."""
    return corrected(source, target, datetime(2024, 2, 28))


def test_dry_run_lists_the_changes_and_changes_nothing(web_school):
    settings = web_school.settings
    order = web_school.doc_id("order_pairs")
    assert sign_documents(settings, "director", [order], KEY_PASSWORD)[0].ok
    workbook = corrected(web_school.workbook, settings.inbox / "Пары — исправление.xlsx")
    before = state(settings)

    result = run_cli(settings.home, "process", "--dry-run", str(workbook))

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Книга «Пары — исправление.xlsx» будет принята: новых документов и версий — 3, "
        "без изменений: 33. Проверка ничего не изменила. "
        "Подписанных документов, которым потребуется новая подпись: 1."
    )
    assert lines[1:6] == [
        "",
        "Изменения в реестре:",
        "  Пары:",
        "    П-02: дата окончания 24.05.2024 → 31.05.2024",
        "",
    ]
    # the order on pairs, the programme and the mentor's consent quote the term; the check
    # says nothing of a file «принят»: it hands nothing in
    assert lines[6:] == [
        "Получат новую версию (3):",
        "  Приказ об утверждении наставников и наставнических пар — МБОУ Идринская СОШ: "
        "новая версия 2; подписан — потребуется новая подпись",
        "  Согласие на назначение наставником — Белова Елена Викторовна: новая версия 2 "
        "(версия 1 — создан)",
        "  Персонализированная программа наставничества — П-02: новая версия 2 "
        "(версия 1 — ожидает подписи)",
    ]
    assert state(settings) == before
    assert workbook.exists()


def test_dry_run_of_a_bad_workbook_prints_the_whole_report(web_school):
    settings = web_school.settings
    workbook = corrected(web_school.workbook, settings.home / "с ошибкой.xlsx")
    book = load_workbook(workbook)
    book["Пары"]["D3"] = "Неверная форма"
    book["Пары"]["G3"] = "не дата"
    book.save(workbook)
    before = state(settings)

    result = run_cli(settings.home, "process", "--dry-run", str(workbook))

    assert result.returncode == 1
    assert result.stdout.startswith(
        "Книга «с ошибкой.xlsx» не будет принята: 2 ошибки. Ничего не изменено.\n"
    )
    assert "1. лист «Пары», строка 3, столбец «Форма»: Значения «Неверная форма» нет" in (
        result.stdout
    )
    assert "2. лист «Пары», строка 3, столбец «Дата начала»" in result.stdout
    assert state(settings) == before


def test_dry_run_in_a_new_home_makes_no_register(tmp_path, web_school):
    home = tmp_path / "новый дом"
    result = run_cli(home, "process", "--dry-run", str(web_school.workbook))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "Книга «Идринская СОШ.xlsx» будет принята: новых документов и версий — 36, "
        "без изменений: 0. Проверка ничего не изменила."
    )
    assert "  Пары:\n    П-01 — новая пара\n    П-02 — новая пара\n" in result.stdout
    settings = load_settings({"home": home, "database_url": ""})
    assert not sqlite_file(settings.database_url).exists()
    assert not home.exists()
    assert not settings.outbox.exists() and not settings.inbox.exists()


def test_the_check_page_refuses_a_file_that_is_not_a_workbook(client, web_school):
    login(client, "secretary")
    before = state(web_school.settings)
    response = client.post(
        "/secretary/check",
        data={"workbook": (io.BytesIO(b"just text"), "список.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Файл «список.txt» не принят: это не книга Excel (.xlsx)." in response.get_data(
        as_text=True
    )
    assert state(web_school.settings) == before
    assert listing(web_school.settings.var / "uploads") == {}


def test_dry_run_of_a_file_processed_before_later_changes_says_how_to_bring_it_back(
    tmp_path, web_school
):
    """Checked again after later workbooks changed the register, the old file is said to
    change nothing back; a corrected copy would."""
    from service.home import initialise_home

    settings = load_settings({"home": tmp_path / "школа", "database_url": ""})
    initialise_home(settings)
    sha256 = hashlib.sha256(web_school.workbook.read_bytes()).hexdigest()
    with session_scope(settings.database_url) as s:
        s.add(
            Batch(
                source_name="Идринская СОШ.xlsx",
                sha256=sha256,
                status="done",
                documents_done=30,
                started_at=datetime(2026, 9, 1, 8, 30),
            )
        )
        s.add(
            Batch(
                source_name="Ноябрь.xlsx",
                sha256="0" * 64,
                status="done",
                documents_done=2,
                started_at=datetime(2026, 11, 5, 14, 10),
            )
        )
        s.add(Batch(source_name="Декабрь.xlsx", sha256="1" * 64, status="done",
                    documents_done=0, started_at=datetime(2026, 12, 1, 9, 0)))  # fmt: skip
    result = run_cli(settings.home, "process", "--dry-run", str(web_school.workbook))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "Книга «Идринская СОШ.xlsx» уже обработана (пакет № 1 от 01.09.2026 08:30): при "
        "обработке ничего не изменится. После него реестр меняли более поздние книги "
        "(последняя — пакет № 2 от 05.11.2026 14:10), и этот файл их не отменяет. Чтобы "
        "вернуть его данные, исправьте книгу (любая правка делает её новым файлом) и сдайте её "
        "снова. Проверка ничего не изменила.\n"
    )


def test_dry_run_of_a_processed_file_says_nothing_would_change(web_school):
    result = run_cli(web_school.settings.home, "process", "--dry-run", str(web_school.workbook))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        r"Книга «Идринская СОШ\.xlsx» уже обработана \(пакет № 1 от \d\d\.\d\d\.\d{4} "
        r"\d\d:\d\d\): при обработке ничего не изменится\. Проверка ничего не изменила\.\n",
        result.stdout,
    )


def test_dry_run_of_a_pairs_only_workbook_and_of_another_schools(web_school, tmp_path):
    """Two workbooks of a school year: a new pair over people already registered (by Код and
    ФИО), and another school's workbook — refused by the dry run as by the real run."""
    settings = web_school.settings
    pair = dict(
        demo.PAIRS[3],
        **{"Код пары": "П-05", "Наставник": "Н-03", "Наставляемые": "Зуев Никита Андреевич"},
    )
    winter = write_workbook(tmp_path / "Зима.xlsx", {"Пары": table([pair])})
    before = state(settings)

    result = run_cli(settings.home, "process", "--dry-run", str(winter))

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:9] == [
        "Книга «Зима.xlsx» будет принята: новых документов и версий — 4, без изменений: 33. "
        "Проверка ничего не изменила.",
        "",
        "Изменения в реестре:",
        "  Пары:",
        "    П-05 — новая пара",
        "",
        "Будут созданы документы (1):",
        "  Персонализированная программа наставничества — П-05",
        "",
    ]
    # a pair added to a form in use: the target model's programme stays as approved
    assert lines[9] == "Получат новую версию (3):"
    assert not any("Программа целевой модели" in line for line in lines)
    assert (
        "  Приказ об утверждении наставников и наставнических пар — МБОУ Идринская СОШ: "
        "новая версия 2 (версия 1 — ожидает подписи)"
    ) in lines[10:]
    assert state(settings) == before

    result = run_cli(settings.home, "process", "--dry-run", str(other_school(tmp_path / "Н.xlsx")))

    assert result.returncode == 1
    assert result.stdout.startswith(
        "Книга «Н.xlsx» не будет принята: 1 ошибка. Ничего не изменено."
    )
    assert (
        "Книга другой школы: в ней «Муниципальное бюджетное общеобразовательное учреждение "
        "Новосёловская средняя общеобразовательная школа» (ИНН 2429009876), а в этой рабочей "
        "папке ведутся документы школы «Муниципальное бюджетное общеобразовательное учреждение "
        "Идринская средняя общеобразовательная школа» (ИНН 2415001234)."
    ) in result.stdout
    assert state(settings) == before


def test_dry_run_in_a_home_named_with_url_characters_reads_its_register(tmp_path, web_school):
    """«?», «#», «%» in the home's name: the dry run finds the register the service uses
    (it tried the workbook on an empty temporary one, as if the home were new)."""
    from service.home import initialise_home

    home = tmp_path / "Школа №5 #1?%20"
    settings = load_settings({"home": home, "database_url": ""})
    initialise_home(settings)
    with session_scope(settings.database_url) as s:
        s.add(
            Batch(
                source_name="Идринская СОШ.xlsx",
                sha256=hashlib.sha256(web_school.workbook.read_bytes()).hexdigest(),
                status="done",
                started_at=datetime(2026, 9, 1, 8, 30),
            )
        )
    result = run_cli(home, "process", "--dry-run", str(web_school.workbook))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "Книга «Идринская СОШ.xlsx» уже обработана (пакет № 1 от 01.09.2026 08:30): при "
        "обработке ничего не изменится. Проверка ничего не изменила.\n"
    )


def test_the_check_page_lists_warnings_without_saying_the_file_was_taken(client, web_school):
    """The check page's «Предупреждения» began «Файл … принят.» — of a file the page had just
    said was not handed in."""
    settings = web_school.settings
    assert sign_documents(settings, "director", [web_school.doc_id("order_pairs")], KEY_PASSWORD)[
        0
    ].ok
    workbook = ended_early(web_school.workbook, settings.home / "Пары — исправление.xlsx")
    login(client, "secretary")
    response = client.post(
        "/secretary/check",
        data={"workbook": (io.BytesIO(workbook.read_bytes()), workbook.name)},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    warnings = page[page.index("<h2>Предупреждения</h2>") :]
    report = warnings[warnings.index('<pre class="report">') + 20 : warnings.index("</pre>")]
    assert report == (
        "\nПредупреждения (файл они не останавливают):\n— лист «Пары», строка 3, столбец «Дата "
        "окончания»: Дата окончания пары «П-02» перенесена с 24.05.2024 (по подписанному приказу "
        "об утверждении пар) на 28.02.2024. В «Итогах» укажите её статус: «завершена», если "
        "план мероприятий выполнен в полном объёме, иначе «завершена досрочно» и причину.\n"
    )


def test_the_batch_page_lists_warnings_without_repeating_that_the_file_was_taken(
    client, web_school
):
    """A processed batch's «Предупреждения» began «Файл … принят.» and two empty lines, then
    «Предупреждения (файл они не останавливают):» — the heading twice, the verdict the page's
    «Состояние: обработан» already gives once more: the warnings only, as on the check page."""
    settings = web_school.settings
    order = web_school.doc_id("order_pairs")
    assert sign_documents(settings, "director", [order], KEY_PASSWORD)[0].ok
    workbook = ended_early(web_school.workbook, settings.home / "Пары — исправление.xlsx")
    result = process_workbook(settings, workbook)
    login(client, "secretary")
    page = client.get(f"/secretary/batches/{result.batch_id}").get_data(as_text=True)
    warnings = page[page.index("<h2>Предупреждения</h2>") :]
    report = warnings[warnings.index('<pre class="report">') + 20 : warnings.index("</pre>")]
    assert report == (
        "Предупреждения (файл они не останавливают):\n— лист «Пары», строка 3, столбец «Дата "
        "окончания»: Дата окончания пары «П-02» перенесена с 24.05.2024 (по подписанному приказу "
        "об утверждении пар) на 28.02.2024. В «Итогах» укажите её статус: «завершена», если "
        "план мероприятий выполнен в полном объёме, иначе «завершена досрочно» и причину.\n"
    )


def test_a_mentor_not_found_is_an_error_not_also_a_change_of_mentor(web_school):
    """A pair naming a mentor nobody knows was refused («Наставник … не найден») and, beside
    it, warned «У пары «П-02» меняется наставник: была Белова…» — a change to a person who
    does not exist, which the refusal says is a mistake: the error only."""
    from service.dryrun import dry_run

    settings = web_school.settings
    workbook = settings.home / "неизвестный наставник.xlsx"
    book = load_workbook(web_school.workbook)
    assert book["Пары"]["A3"].value == "П-02"
    book["Пары"]["B3"] = "Неизвестный Наставник Иванович"
    book.save(workbook)
    report = dry_run(settings, workbook).report
    assert [(p.sheet, p.row, p.message) for p in report.errors] == [
        (
            "Пары",
            3,
            "Наставник «Неизвестный Наставник Иванович» не найден: его нет ни на листе "
            "«Наставники», ни в реестре. Добавьте человека на лист «Наставники» или проверьте "
            "написание ФИО.",
        )
    ]
    assert [p.message for p in report.warnings] == []


def test_a_version_signed_in_part_is_not_called_signed():
    """ui17: «Проверить без изменений» said «подписан — потребуется новая подпись» of a
    programme the director and the curator had signed while it still waited for the pair's
    signatures on paper; such a version is «подписан частично»."""
    title, pair = "Программа наставничества", "П-02"
    part = DocumentChange(title, pair, 2, "awaiting_signature", previous_signed=True)
    whole = DocumentChange(title, pair, 2, "signed", previous_signed=True)
    assert part.to_text() == (
        "Программа наставничества — П-02: новая версия 2; подписан частично — подписи "
        "потребуются заново"
    )
    assert whole.to_text() == (
        "Программа наставничества — П-02: новая версия 2; подписан — потребуется новая подпись"
    )
