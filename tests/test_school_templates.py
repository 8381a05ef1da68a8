"""The school's own templates: `nastavnik templates list|export|install|reset`, used by the
pipeline instead of the shipped ones, every change a ledger event; the shipped templates are
package data."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from docx import Document
from sqlalchemy import select

from service.documents.catalogue import BY_ID
from service.documents.render import render_document
from service.documents.sample import sample_context
from service.documents.text import docx_text
from service.intake.demo import write_demo_workbook
from service.pipeline import process_workbook
from service.register.db import session_scope
from service.register.models import Event
from tests import cli

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates_docx"
WORDING = "Настоящий приказ издан в соответствии с положением школы {{ org.short_name }}."


def nastavnik(settings, *args: str) -> subprocess.CompletedProcess:
    return cli.nastavnik("--home", str(settings.home), *args)


def school_version(tmp_path: Path, text: str, name: str = "мой приказ.docx") -> Path:
    """order_pairs.docx with a paragraph of the school's own wording."""
    path = tmp_path / name
    doc = Document(str(TEMPLATES / "order_pairs.docx"))
    doc.add_paragraph(text)
    doc.save(str(path))
    return path


def template_events(settings) -> list[tuple[str, str, dict]]:
    with session_scope(settings.database_url) as session:
        events = session.scalars(
            select(Event).where(Event.kind.like("template_%")).order_by(Event.id)
        )
        return [(e.kind, e.actor, e.details) for e in events]


def order_text(settings, workbook: Path) -> str:
    result = process_workbook(settings, workbook)
    entry = next(e for e in result.entries if e.kind == "order_pairs")
    return docx_text((result.folder / entry.file).read_bytes())


def test_a_bad_template_is_refused_and_nothing_changes(settings, tmp_path):
    bad = school_version(tmp_path, "Подпись завуча: {{ zavuch.name }} {{ org.__class__ }}")
    result = nastavnik(settings, "templates", "install", "order_pairs", str(bad))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Шаблон «мой приказ.docx» не поставлен: найдено проблем — 2. Ничего не изменено.",
        "1. Служебное имя «__class__»: имена с «_» в шаблоне запрещены — в абзаце "
        "«Подпись завуча: {{ zavuch.name }} {{ org.__class__ }}»",
        "2. Переменной «zavuch» нет в данных документа этого вида — в абзаце "
        "«Подпись завуча: {{ zavuch.name }} {{ org.__class__ }}»",
    ]
    assert not settings.school_templates.exists()
    assert template_events(settings) == []


def test_install_use_and_reset(settings, tmp_path):
    workbook = tmp_path / "школа.xlsx"
    write_demo_workbook(workbook)
    own = school_version(tmp_path, WORDING)
    sha = hashlib.sha256(own.read_bytes()).hexdigest()

    result = nastavnik(settings, "templates", "install", "order_pairs", str(own))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Шаблон школы для «Приказ об утверждении наставников и наставнических пар» поставлен; "
        "новые документы — по нему.\n"
    )
    assert (settings.school_templates / "order_pairs.docx").read_bytes() == own.read_bytes()
    listed = nastavnik(settings, "templates", "list").stdout.splitlines()
    line = next(x for x in listed if x.startswith("order_pairs\t"))
    assert line.startswith("order_pairs\tшколы, поставлен ")
    assert line.endswith(
        "; проверка: в порядке\tПриказ об утверждении наставников и наставнических пар"
    )
    assert next(x for x in listed if x.startswith("regulation\t")) == (
        "regulation\tстандартный; проверка: в порядке\tПоложение о наставничестве"
    )
    exported = tmp_path / "выгрузка.docx"
    assert nastavnik(settings, "templates", "export", "order_pairs", str(exported)).returncode == 0
    assert exported.read_bytes() == own.read_bytes()

    text = order_text(settings, workbook)
    assert "Настоящий приказ издан в соответствии с положением школы МБОУ Идринская СОШ." in text

    result = nastavnik(settings, "templates", "reset", "order_pairs")
    assert result.stdout == (
        "Для «Приказ об утверждении наставников и наставнических пар» снова действует "
        "стандартный шаблон.\n"
    )
    assert not (settings.school_templates / "order_pairs.docx").exists()
    shipped = hashlib.sha256((TEMPLATES / "order_pairs.docx").read_bytes()).hexdigest()
    events = template_events(settings)
    assert [(kind, details) for kind, _, details in events] == [
        ("template_installed", {"kind": "order_pairs", "sha256": sha}),
        (
            "template_reset",
            {"kind": "order_pairs", "sha256": shipped, "removed_sha256": sha},
        ),
    ]
    assert all(actor.startswith("cli") for _, actor, _ in events)
    assert (settings.store_dir / sha[:2] / sha).read_bytes() == own.read_bytes()

    standard = docx_text(
        render_document(settings, BY_ID["order_pairs"], sample_context("order_pairs"))
    )
    assert "Настоящий приказ издан" not in standard


def test_unknown_kind_and_second_reset(settings, tmp_path):
    own = school_version(tmp_path, WORDING)
    result = nastavnik(settings, "templates", "install", "orders", str(own))
    assert result.returncode == 1
    assert result.stderr.startswith("Ошибка: Неизвестный вид документа «orders». Возможные: ")
    result = nastavnik(settings, "templates", "reset", "order_pairs")
    assert result.stdout == (
        "Для «Приказ об утверждении наставников и наставнических пар» и так действует "
        "стандартный шаблон.\n"
    )
    assert template_events(settings) == []


def test_a_wheel_ships_every_template(tmp_path):
    source = tmp_path / "source"  # a copy: building in the checkout would leave build/ there
    for name in ("service", "templates_docx", "tools"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("nastavnik-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {n for n in archive.namelist() if n.startswith("templates_docx/")}
        assert shipped == {f"templates_docx/{p.name}" for p in TEMPLATES.glob("*.docx")}
        for name in shipped:
            assert archive.read(name) == (ROOT / name).read_bytes()
        assert not [n for n in archive.namelist() if n.startswith("tools/")]
    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target)]
        + [str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "from service.config import load_settings as s; "
            f"print(s({{'home': {str(tmp_path)!r}}}).templates_dir)",
        ],
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert found.stdout.strip() == str(target / "templates_docx")
