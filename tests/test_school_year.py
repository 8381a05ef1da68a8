"""A school year in one register, played as the school plays it: workbooks through
``nastavnik process`` and through a running ``nastavnik watch``, the director signing in
between with ``nastavnik sign``.

September brings the school, the people, three pairs, a plan and the training; the same
workbook saved again with trivial edits changes nothing; a workbook with only «Пары» adds a
pair; the May workbook brings the results and the final event; another school's workbook is
refused; the school's own new name (same ИНН) makes new versions. At every step the test
checks each document's version, status and signatures and exactly which files appeared in
``outbox/``. The figures per workbook (documents made, signatures asked) are printed at the
end (``pytest -s``) and written to ``test-artifacts/school-year.txt``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from sqlalchemy import select

from service.config import load_settings
from service.documents.text import docx_text
from service.intake import demo
from service.register.db import session_scope
from service.register.models import Document
from tests import cli
from tests.test_signing_cli import run
from tests.workbooks import write_workbook

DIRECTOR = "kinyakina"
PASSWORD = "пароль-директора"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def table(rows: list[dict]) -> list[list]:
    headers = list(dict.fromkeys(h for row in rows for h in row))
    return [headers] + [[row.get(h) for h in headers] for row in rows]


def parameters(values: dict) -> list[list]:
    return [["Параметр", "Значение"]] + [[k, v] for k, v in values.items()]


def plan_rows() -> list[dict]:
    headers = ("Мероприятие", "Срок", "Форма проведения", "Ответственный", "Ожидаемый результат")
    return [{"Код пары": "П-01", **dict(zip(headers, row, strict=True))} for row in demo.PLAN]


def training_rows() -> list[dict]:
    headers = ("Тема", "Дата", "Часов", "Форма", "Ответственный")
    return [dict(zip(headers, row, strict=True)) for row in demo.TRAININGS]


def september(path: Path) -> Path:
    """The school, every person, pairs П-01…П-03, the plan of П-01, the training."""
    return write_workbook(
        path,
        {
            "Организация": parameters(demo.ORGANIZATION),
            "Наставники": table(demo.MENTORS),
            "Наставляемые": table(demo.MENTEES),
            "Пары": table(demo.PAIRS[:3]),
            "План": table(plan_rows()),
            "Обучение наставников": table(training_rows()),
        },
    )


def resaved_with_trivial_edits(source: Path, path: Path) -> Path:
    """The same workbook opened and saved again: spaces around a name, a date cell's
    format, a bold header, a wider column — nothing the register keeps."""
    book = openpyxl.load_workbook(source)
    mentors = book["Наставники"]
    mentors["B2"].value = f"  {mentors['B2'].value}   "
    mentors["C3"].number_format = "DD MMMM YYYY"
    mentors["A1"].font = Font(bold=True)
    mentors.column_dimensions["B"].width = 48
    pairs = book["Пары"]
    (goal,) = [c.column for c in pairs[1] if c.value == "Цель"]
    pairs.cell(2, goal).value += " "
    book.save(path)
    return path


def pairs_only(path: Path) -> Path:
    """Winter: one new pair over people registered in September (by Код and by ФИО)."""
    pair = dict(
        demo.PAIRS[3], **{"Наставник": "Н-03", "Наставляемые": "Ткаченко Владислав Игоревич"}
    )
    return write_workbook(path, {"Пары": table([pair])})


def results(path: Path) -> Path:
    """May: the results of П-01 and П-04 and the final event."""
    return write_workbook(
        path,
        {"Итоговое мероприятие": parameters(demo.FINAL_EVENT), "Итоги": table(demo.RESULTS)},
    )


def other_school(path: Path) -> Path:
    values = dict(
        demo.ORGANIZATION,
        **{
            "Полное наименование": "Муниципальное бюджетное общеобразовательное учреждение "
            "Новосёловская средняя общеобразовательная школа",
            "Краткое наименование": "МБОУ Новосёловская СОШ",
            "ИНН": "2429009876",
        },
    )
    pair = dict(demo.PAIRS[1], **{"Код пары": "П-09", "Дата начала": date(2023, 11, 1)})
    return write_workbook(path, {"Организация": parameters(values), "Пары": table([pair])})


def renamed(path: Path) -> Path:
    """The same school (same ИНН) under a new short name."""
    values = dict(demo.ORGANIZATION, **{"Краткое наименование": "МБОУ «Идринская СОШ»"})
    return write_workbook(path, {"Организация": parameters(values)})


def next_year(path: Path) -> Path:
    """September 2024: «Учебный год» 2024–2025 (the school's new name kept); Петрова and
    Белова listed again, Морозова again (now in 8 А), Ковалёва and Новиков new; П-02 goes on
    with new terms, П-05 is new; no training yet, no results."""
    values = dict(
        demo.ORGANIZATION,
        **{"Краткое наименование": "МБОУ «Идринская СОШ»", "Учебный год": "2024–2025"},
    )
    mentor = {
        "Код": "Н-05",
        "ФИО": "Ковалёва Ирина Павловна",
        "Дата рождения": date(1985, 6, 1),
        "Категория": "педагог",
        "Должность или класс": "учитель биологии",
        "Внешний наставник": "нет",
    }
    mentee = {
        "Код": "У-06",
        "ФИО": "Новиков Артём Сергеевич",
        "Дата рождения": date(2000, 2, 2),
        "Категория": "молодой специалист",
        "Класс или должность": "учитель физики",
    }
    pairs = [
        dict(
            demo.PAIRS[1], **{"Дата начала": date(2024, 9, 16), "Дата окончания": date(2025, 5, 23)}
        ),
        dict(
            demo.PAIRS[0],
            **{
                "Код пары": "П-05",
                "Наставник": "Н-05",
                "Наставляемые": "У-06",
                "Вид": "традиционная",
                "Дата начала": date(2024, 9, 9),
                "Дата окончания": date(2025, 5, 30),
            },
        ),
    ]
    return write_workbook(
        path,
        {
            "Организация": parameters(values),
            "Наставники": table([*demo.MENTORS[:2], mentor]),
            "Наставляемые": table(
                [dict(demo.MENTEES[2], **{"Класс или должность": "8 А"}), mentee]
            ),
            "Пары": table(pairs),
        },
    )


def documents(home: Path) -> dict[tuple[str, str], dict]:
    """The current documents by (kind, subject), as ``nastavnik documents --json`` lists them."""
    listed = run(home, "documents", "--json")
    assert listed.returncode == 0, listed.stderr
    return {(d["kind"], d["subject"]): d for d in json.loads(listed.stdout)}


def state(found: dict[tuple[str, str], dict]) -> dict[tuple[str, str], tuple]:
    """What must not move when nothing changed: id, version, status, signatures."""
    return {
        key: (d["id"], d["version"], d["status"], len(d["signatures"]), d["sha256"])
        for key, d in found.items()
    }


def signed_ids(home: Path) -> set[int]:
    """Every signed version, current or not."""
    with session_scope(load_settings({"home": home}).database_url) as session:
        return set(session.scalars(select(Document.id).where(Document.status == "signed")))


def folders(home: Path) -> set[str]:
    return {p.name for p in (home / "outbox").iterdir() if not p.name.startswith(".")}


def new_folder(home: Path, before: set[str]) -> Path:
    (name,) = folders(home) - before
    return home / "outbox" / name


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def sign_pending(home: Path) -> list[str]:
    """The director signs everything waiting for him; returns the signed ids."""
    queue = run(home, "pending", "--user", DIRECTOR).stdout
    ids = [line.split("\t")[0] for line in queue.splitlines() if line[:1].isdigit()]
    if ids:
        signed = run(
            home, "sign", *ids, "--user", DIRECTOR, "--password-stdin", stdin=f"{PASSWORD}\n"
        )
        assert signed.returncode == 0, signed.stdout + signed.stderr
        assert signed.stdout.count("\tПОДПИСАН\t") == len(ids)
    return ids


class Watcher:
    """``nastavnik watch`` running in its own process, as an office runs it."""

    def __init__(self, home: Path):
        self.home = home
        self.settings = load_settings({"home": home})
        self.process = cli.Command(
            "--home", str(home), "watch", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def drop(self, source: Path, name: str) -> Path:
        """Put ``source`` into inbox/ as ``name`` (whole, by rename) and wait until it leaves
        for processed/ or failed/; return where it went."""
        staging = self.home / f".{name}"
        staging.write_bytes(source.read_bytes())
        os.replace(staging, self.home / "inbox" / name)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            for folder in (self.settings.processed, self.settings.failed):
                # the name is reserved in processed/ (or failed/) first, then the note is
                # written, then the workbook leaves the inbox
                if (folder / name).exists() and not (self.home / "inbox" / name).exists():
                    return folder / name
            assert self.process.poll() is None, "the watcher stopped"
            time.sleep(0.1)
        raise AssertionError(f"{name} was not processed in time")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


ORG = "МБОУ Идринская СОШ"
ORG_DOCS = {
    "regulation": "Положение о наставничестве.docx",
    "order_implementation": "Приказ о внедрении целевой модели наставничества.docx",
    "target_model": "Программа целевой модели наставничества.docx",
    "roadmap": "Дорожная карта внедрения системы наставничества.docx",
    "order_coordinators": "Приказ о назначении координатора и кураторов.docx",
    "order_training": "Приказ об организации обучения наставников.docx",
    "order_pairs": "Приказ об утверждении наставников и наставнических пар.docx",
}
SEPTEMBER_FILES = {
    *ORG_DOCS.values(),
    "Договор о сотрудничестве — Орлов Дмитрий Андреевич.docx",
    "Персонализированная программа наставничества — П-01 (Петрова А.С.).docx",
    "Персонализированная программа наставничества — П-02 (Белова Е.В.).docx",
    "Персонализированная программа наставничества — П-03 (Кузнецова Д.И.).docx",
    "Согласие законного представителя — Зуев Никита Андреевич.docx",
    "Согласие законного представителя — Кузнецова Дарья Игоревна.docx",
    "Согласие законного представителя — Морозова Алина Сергеевна.docx",
    "Согласие законного представителя — Ткаченко Владислав Игоревич.docx",
    "Согласие на назначение наставником — Белова Елена Викторовна.docx",
    "Согласие на назначение наставником — Петрова Анна Сергеевна.docx",
    "Согласие на обработку персональных данных — Алиев Руслан Рашид оглы.docx",
    "Согласие на обработку персональных данных — Белова Елена Викторовна.docx",
    "Согласие на обработку персональных данных — Орлов Дмитрий Андреевич.docx",
    "Согласие на обработку персональных данных — Петрова Анна Сергеевна.docx",
    "Согласие на обработку персональных данных — Смирнов Илья Олегович.docx",
    "Согласие на распространение персональных данных — Алиев Руслан Рашид оглы.docx",
    "Согласие на распространение персональных данных — Белова Елена Викторовна.docx",
    "Согласие на распространение персональных данных — Зуев Никита Андреевич.docx",
    "Согласие на распространение персональных данных — Кузнецова Дарья Игоревна.docx",
    "Согласие на распространение персональных данных — Морозова Алина Сергеевна.docx",
    "Согласие на распространение персональных данных — Орлов Дмитрий Андреевич.docx",
    "Согласие на распространение персональных данных — Петрова Анна Сергеевна.docx",
    "Согласие на распространение персональных данных — Смирнов Илья Олегович.docx",
    "Согласие на распространение персональных данных — Ткаченко Владислав Игоревич.docx",
}
FOLDER_EXTRAS = {"manifest.json", "Опись.xlsx"}


def test_a_school_year_through_the_command_line_and_the_watcher(tmp_path):
    home = tmp_path / "школа"
    made = run(
        home,
        "init",
        "--org",
        demo.ORGANIZATION["Полное наименование"],
        "--ca-password-stdin",
        stdin="пароль-уц-школы\n",
    )
    assert made.returncode == 0, made.stderr
    figures: list[tuple[str, str, int, int, int]] = []

    def record(workbook: str, way: str, before: dict, after: dict) -> None:
        new = [d for key, d in after.items() if key not in before or before[key]["id"] != d["id"]]
        asked = sum(1 for d in new if d["status"] == "awaiting_signature")
        figures.append((workbook, way, len(new), asked, len(after) - len(new)))

    # September, by the command line: 31 documents, 11 wait for the director
    first = september(tmp_path / "Сентябрь.xlsx")
    done = run(home, "process", str(first))
    assert done.returncode == 0, done.stderr
    assert "новых документов и версий — 31, без изменений: 0" in done.stderr
    folder = Path(done.stdout.strip())
    assert files_in(folder) == SEPTEMBER_FILES | FOLDER_EXTRAS
    after = documents(home)
    assert len(after) == 31
    assert {d["version"] for d in after.values()} == {1}
    assert sum(d["status"] == "awaiting_signature" for d in after.values()) == 11
    assert sum(d["status"] == "generated" for d in after.values()) == 20
    record("Сентябрь: организация, люди, пары П-01…П-03, план, обучение", "process", {}, after)

    # the director's key, on her ФИО and position as the workbook gives them
    added = run(
        home,
        "signer",
        "add",
        "--user",
        DIRECTOR,
        "--password-stdin",
        stdin="пароль-уц-школы\nвыдал-администратор\n",
    )
    assert added.stdout.startswith("Сертификат выпущен: Кинякина Татьяна Игоревна, Директор; №"), (
        added.stderr
    )
    # the director replaces the administrator's password before signing
    own = run(
        home,
        "signer",
        "password",
        "--user",
        DIRECTOR,
        "--password-stdin",
        stdin=f"выдал-администратор\n{PASSWORD}\n",
    )
    assert own.returncode == 0, own.stderr

    signed = sign_pending(home)
    assert len(signed) == 11
    september_state = documents(home)
    for kind in ORG_DOCS:
        d = september_state[(kind, ORG)]
        assert (d["status"], len(d["signatures"])) == ("signed", 1), kind
    assert september_state[("order_pairs", ORG)]["number"] is not None
    program = september_state[("program", "П-01")]
    assert (program["status"], [s["role"] for s in program["signatures"]]) == (
        "awaiting_signature",
        ["director"],
    )

    watcher = Watcher(home)
    try:
        # the same workbook saved again with trivial edits, through the watcher: nothing new
        before_folders = folders(home)
        second = resaved_with_trivial_edits(first, tmp_path / "Сентябрь, пересохранён.xlsx")
        went = watcher.drop(second, "Сентябрь (2).xlsx")
        assert went.parent.name == "processed"
        note = went.with_name(went.name + ".без изменений.txt").read_text(encoding="utf-8")
        assert "изменений нет: новых документов и версий нет, без изменений: 31" in note
        assert folders(home) == before_folders
        assert state(documents(home)) == state(september_state)
        record(
            "Та же книга, пересохранена с мелкими правками",
            "watch",
            september_state,
            documents(home),
        )

        # winter, by the command line: a workbook with only «Пары» adds П-04
        before = documents(home)
        done = run(home, "process", str(pairs_only(tmp_path / "Пары, декабрь.xlsx")))
        assert done.returncode == 0, done.stderr
        assert "новых документов и версий — 5, без изменений: 27" in done.stderr
        assert files_in(Path(done.stdout.strip())) == FOLDER_EXTRAS | {
            ORG_DOCS["order_pairs"],
            ORG_DOCS["order_training"],  # Орлов Д. А. now leads a pair: he is trained too
            ORG_DOCS["target_model"],  # the form «Работодатель – ученик» is now in use
            ORG_DOCS["roadmap"],  # its months follow the pairs' terms
            "Персонализированная программа наставничества — П-04 (Орлов Д.А.).docx",
        }
        after = documents(home)
        for kind in ("order_pairs", "order_training", "target_model", "roadmap"):
            assert (after[(kind, ORG)]["version"], after[(kind, ORG)]["status"]) == (
                2,
                "awaiting_signature",
            )
        assert after[("program", "П-04")]["version"] == 1
        unchanged = set(before) - {
            (k, ORG) for k in ("order_pairs", "order_training", "target_model", "roadmap")
        }
        assert {k: state(after)[k] for k in unchanged} == {k: state(before)[k] for k in unchanged}
        # the signed first versions stay signed
        old_pairs_order = run(
            home, "documents", "--kind", "order_pairs", "--status", "awaiting_signature"
        )
        assert old_pairs_order.stdout.count("\n") == 1 and "версия 2" in old_pairs_order.stdout
        record("Только «Пары»: новая пара П-04", "process", before, after)
        assert len(sign_pending(home)) == 5
        after = documents(home)
        assert after[("order_pairs", ORG)]["status"] == "signed"
        assert after[("order_pairs", ORG)]["number"] != before[("order_pairs", ORG)]["number"]

        # May, through the watcher: results and the final event
        before, before_folders = documents(home), folders(home)
        went = watcher.drop(results(tmp_path / "Итоги.xlsx"), "Итоги.xlsx")
        assert went.parent.name == "processed"
        assert files_in(new_folder(home, before_folders)) == FOLDER_EXTRAS | {
            "Приказ о проведении итогового мероприятия.docx",
            ORG_DOCS["roadmap"],  # the final event is on the roadmap
            "Отчёт наставника — П-01 (Петрова А.С.).docx",
            "Отчёт наставника — П-04 (Орлов Д.А.).docx",
            "Итоговый аналитический отчёт.docx",
        }
        after = documents(home)
        assert len(after) == 36
        assert after[("roadmap", ORG)]["version"] == 3
        again = set(before) - {("roadmap", ORG)}
        assert {k: state(after)[k] for k in again} == {k: state(before)[k] for k in again}
        record("Итоги и итоговое мероприятие", "watch", before, after)
        assert len(sign_pending(home)) == 3  # the order, the roadmap, the final report

        # another school's workbook, through the watcher and the command line: refused
        before, before_folders = documents(home), folders(home)
        went = watcher.drop(other_school(tmp_path / "чужая.xlsx"), "Новосёловская.xlsx")
        assert went.parent.name == "failed"
        note = went.with_name(went.name + ".errors.txt").read_text(encoding="utf-8")
        assert "Книга другой школы" in note
        assert "Новосёловская средняя общеобразовательная школа» (ИНН 2429009876)" in note
        assert "Идринская средняя общеобразовательная школа» (ИНН 2415001234)" in note
        refused = run(home, "process", str(tmp_path / "чужая.xlsx"))
        assert refused.returncode == 1 and "Книга другой школы" in refused.stderr
        assert state(documents(home)) == state(before)
        assert folders(home) == before_folders
        record("Книга другой школы (отклонена)", "watch + process", before, documents(home))
    finally:
        watcher.stop()

    # the school's new name (same ИНН): every document gets a new version; signed ones stay
    before = documents(home)
    signed_before = signed_ids(home)
    assert len(signed_before) == 13
    done = run(home, "process", str(renamed(tmp_path / "Новое наименование.xlsx")))
    assert done.returncode == 0, done.stderr
    assert "новых документов и версий — 36, без изменений: 0" in done.stderr
    after = documents(home)
    versions = {(d["kind"], d["subject_key"]): d["version"] for d in before.values()}
    assert {(d["kind"], d["subject_key"]): d["version"] - 1 for d in after.values()} == versions
    assert after[("regulation", "МБОУ «Идринская СОШ»")]["status"] == "awaiting_signature"
    current_signed = json.loads(run(home, "documents", "--json", "--status", "signed").stdout)
    assert current_signed == []  # the current versions wait; the signed ones are the previous
    assert signed_ids(home) == signed_before  # 8 current, 5 earlier versions
    record("Новое краткое наименование (тот же ИНН)", "process", before, after)

    # the next school year: its documents name this year's pairs and participants only; last
    # year's pairs, trainings, final event, results and people stay in last year's documents
    before = documents(home)
    done = run(home, "process", str(next_year(tmp_path / "Сентябрь 2024.xlsx")))
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip())
    new_org = "МБОУ «Идринская СОШ»"
    assert files_in(folder) == FOLDER_EXTRAS | {
        *(ORG_DOCS[k] for k in ORG_DOCS if k != "order_training"),
        "Персонализированная программа наставничества — П-02 (Белова Е.В.).docx",
        "Персонализированная программа наставничества — П-05 (Ковалёва И.П.).docx",
        "Согласие законного представителя — Морозова Алина Сергеевна.docx",
        "Согласие на распространение персональных данных — Морозова Алина Сергеевна.docx",
        *(
            f"{title} — {name}.docx"
            # Петрова, listed again, leads no pair yet: this year's consents all the same
            for name in (
                "Белова Елена Викторовна",
                "Ковалёва Ирина Павловна",
                "Петрова Анна Сергеевна",
            )
            for title in (
                "Согласие на назначение наставником",
                "Согласие на обработку персональных данных",
                "Согласие на распространение персональных данных",
            )
        ),
        *(
            f"{title} — Новиков Артём Сергеевич.docx"
            for title in (
                "Согласие на обработку персональных данных",
                "Согласие на распространение персональных данных",
            )
        ),
    }
    order = docx_text(folder / ORG_DOCS["order_pairs"])
    assert "на 2024–2025 учебный год:" in order
    assert [line.split(" | ")[0] for line in order.splitlines() if line.startswith("П-")] == [
        "П-05",
        "П-02",
    ]
    after = documents(home)
    for kind in ("order_training", "order_final_event", "report_final"):
        assert after[(kind, new_org)]["id"] == before[(kind, new_org)]["id"], kind
    assert signed_ids(home) == signed_before
    record("Следующий учебный год: 2024–2025", "process", before, after)

    lines = ["Учебный год в одном реестре: документы и подписи по книгам", ""]
    lines.append("книга | как | создано документов (новых и версий) | ждут подписи | без изменений")
    lines += [" | ".join(str(x) for x in row) for row in figures]
    report = "\n".join(lines) + "\n"
    print("\n" + report)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "school-year.txt").write_text(report, encoding="utf-8")
    assert [row[2:] for row in figures] == [
        (31, 11, 0),
        (0, 0, 31),
        (5, 5, 27),
        (5, 5, 31),
        (0, 0, 36),
        (36, 16, 0),
        (21, 8, 21),
    ]
