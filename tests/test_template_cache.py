"""Compiled templates kept between processes (``service/documents/template_cache.py``): a warm
cache gives the same bytes as compiling, the sandbox holds for templates read from it, a
damaged file is compiled again, a school's new template is seen at once, and the folder is
the account's own."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from service.config import load_settings
from service.documents import fast_render, template_cache
from service.documents.catalogue import BY_ID, KINDS
from service.documents.render import TemplateError, render_template_file
from service.documents.sample import sample_context
from service.home import initialise_home
from service.intake.demo import write_demo_workbook
from service.pipeline import Outcome, process_workbook

TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"


@pytest.fixture
def cache(tmp_path: Path):
    """An empty cache folder of this test, and nothing compiled in this process."""
    kept = template_cache.configured()
    folder = tmp_path / "cache"
    template_cache.configure(folder)
    fast_render.clear_cache()
    yield folder
    fast_render.clear_cache()
    template_cache.configure(kept)


def cold_process(monkeypatch) -> None:
    """Forget what this process compiled, and fail if anything is compiled again (so what
    follows reads the kept files)."""
    fast_render.clear_cache()

    def compiled_again(*_args):
        raise AssertionError("compiled again instead of read from the cache")

    monkeypatch.setattr(fast_render, "make_plan", compiled_again)


def kept_files(folder: Path) -> dict[str, list[Path]]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {
        "plans": [p for p in files if p.suffix == ".plan"],
        "jinja": [p for p in files if p.parent.name == "jinja"],
    }


def with_body_text(template: Path, target: Path, old: str, new: str) -> Path:
    """A copy of ``template`` with ``old`` replaced by ``new`` in its body."""
    with zipfile.ZipFile(template) as archive:
        data = {name: archive.read(name) for name in archive.namelist()}
    data["word/document.xml"] = data["word/document.xml"].replace(old.encode(), new.encode())
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in data.items():
            archive.writestr(name, payload)
    return target


def test_every_kind_from_a_warm_cache_is_the_same_bytes(cache, monkeypatch):
    cold = {
        kind.id: render_template_file(TEMPLATES / kind.template, sample_context(kind.id))
        for kind in KINDS
    }
    kept = kept_files(cache)
    assert len(kept["plans"]) == len({kind.template for kind in KINDS})
    assert len(kept["jinja"]) >= len(kept["plans"])
    cold_process(monkeypatch)
    warm = {
        kind.id: render_template_file(TEMPLATES / kind.template, sample_context(kind.id))
        for kind in KINDS
    }
    assert warm == cold


def test_the_folder_and_its_files_are_private(cache):
    render_template_file(
        TEMPLATES / "order_coordinators.docx", sample_context("order_coordinators")
    )
    folders = [cache, *(p for p in cache.rglob("*") if p.is_dir())]
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert len(folders) == 4 and len(files) >= 2  # cache/templates/<version>/jinja
    assert {oct(p.stat().st_mode & 0o777) for p in folders} == {"0o700"}
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {"0o600"}
    assert not [p for p in files if p.name.endswith(".tmp")]


def assert_rendered_without_the_cache(configured: Path, untouched: Path) -> None:
    """With the cache folder ``configured``, a template renders and nothing is kept in
    ``untouched``."""
    template_cache.configure(configured)
    fast_render.clear_cache()
    data = render_template_file(
        TEMPLATES / "order_coordinators.docx", sample_context("order_coordinators")
    )
    assert data.startswith(b"PK")
    assert list(untouched.iterdir()) == []


def test_a_folder_open_to_others_is_made_private_and_one_not_ours_is_not_used(cache, tmp_path):
    cache.mkdir(mode=0o777)
    cache.chmod(0o777)
    render_template_file(
        TEMPLATES / "order_coordinators.docx", sample_context("order_coordinators")
    )
    assert cache.stat().st_mode & 0o777 == 0o700
    assert len(kept_files(cache)["plans"]) == 1

    if os.geteuid() != 0:
        pytest.skip("giving the folder to another account needs root")
    foreign = tmp_path / "foreign"
    foreign.mkdir(mode=0o700)
    os.chown(foreign, 65534, 65534)  # nobody
    assert_rendered_without_the_cache(foreign, foreign)


def test_a_folder_inside_one_others_can_write_is_not_used(cache, tmp_path, caplog):
    """Another account could rename the checked folder away and put its own — with bytecode
    that is run — in its place: a cache under a folder open to others (not sticky, as /tmp
    is), even through a link, is not used at all."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    (tmp_path / "link").symlink_to(shared)
    for configured in (shared / "nastavnik", tmp_path / "link" / "nastavnik"):
        assert_rendered_without_the_cache(configured, shared)
    assert caplog.messages[-1] == (
        f"кэш шаблонов не используется: {shared} — папка другой учётной записи или "
        "открытая ей для записи"
    )

    shared.chmod(0o1777)  # sticky: only the owner of an entry can rename it
    template_cache.configure(shared / "nastavnik")
    fast_render.clear_cache()
    render_template_file(
        TEMPLATES / "order_coordinators.docx", sample_context("order_coordinators")
    )
    assert len(kept_files(shared / "nastavnik")["plans"]) == 1


def test_the_sandbox_holds_for_a_template_read_from_the_cache(cache, tmp_path, monkeypatch):
    template = with_body_text(
        TEMPLATES / BY_ID["order_implementation"].template,
        tmp_path / "order.docx",
        "ПРИКАЗ",
        "{{ org.__class__.__mro__ }}",
    )
    context = sample_context("order_implementation")
    message = (
        "Шаблон «order.docx» не заполняется: обращение к «__class__» в шаблоне запрещено "
        "(служебное поле)"
    )
    with pytest.raises(TemplateError) as cold:
        render_template_file(template, context)
    assert str(cold.value) == message
    assert len(kept_files(cache)["plans"]) == 1
    cold_process(monkeypatch)
    with pytest.raises(TemplateError) as warm:
        render_template_file(template, context)
    assert str(warm.value) == message


def test_a_damaged_or_foreign_cache_file_is_compiled_again(cache, monkeypatch):
    template = TEMPLATES / "order_coordinators.docx"
    context = sample_context("order_coordinators")
    expected = render_template_file(template, context)
    kept = kept_files(cache)
    (plan,) = kept["plans"]
    good = {path: path.read_bytes() for path in kept["plans"] + kept["jinja"]}
    for path, data in good.items():  # one byte changed in each, the checksum left as it was
        path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    fast_render.clear_cache()
    assert render_template_file(template, context) == expected
    assert {path: path.read_bytes() for path in good} == good  # written again, whole

    plan.write_bytes(b"PK\x03\x04 not a cache file")  # another program's file
    fast_render.clear_cache()
    assert render_template_file(template, context) == expected
    assert plan.read_bytes() == good[plan]

    cold_process(monkeypatch)  # and the rewritten files are used
    assert render_template_file(template, context) == expected


def test_a_schools_new_template_is_seen_at_once(cache, tmp_path):
    template = tmp_path / "order_coordinators.docx"
    shutil.copy(TEMPLATES / "order_coordinators.docx", template)
    context = sample_context("order_coordinators")
    assert "ПРИКАЗ" in docx_text(render_template_file(template, context))
    with_body_text(TEMPLATES / "order_coordinators.docx", template, "ПРИКАЗ", "РАСПОРЯЖЕНИЕ")
    stat = template.stat()
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert "РАСПОРЯЖЕНИЕ" in docx_text(render_template_file(template, context))
    assert len(kept_files(cache)["plans"]) == 2


def docx_text(data: bytes) -> str:
    from service.documents.text import docx_text as text

    return text(data)


def test_the_demo_school_from_a_cold_and_a_warm_cache_is_the_same_documents(
    cache, tmp_path, monkeypatch
):
    """Two new homes process the demo workbook, the first compiling the templates, the second
    reading them from the cache the first filled: every document has the same SHA-256."""
    workbook = tmp_path / "демо.xlsx"
    write_demo_workbook(workbook)

    def documents(home: Path) -> dict[str, str]:
        settings = load_settings({"home": home, "database_url": "", "cache_dir": str(cache)})
        initialise_home(settings)
        result = process_workbook(settings, workbook)
        assert result.outcome is Outcome.DONE, result.message
        names = sorted(
            p for p in (settings.outbox).rglob("*.docx") if not p.name.startswith("Опись")
        )
        return {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in names
            if zipfile.is_zipfile(io.BytesIO(p.read_bytes()))
        }

    cold = documents(tmp_path / "первая")
    assert len(cold) == 36
    cold_process(monkeypatch)
    assert documents(tmp_path / "вторая") == cold


def test_what_an_upgrade_left_is_removed_after_a_month(cache):
    render_template_file(
        TEMPLATES / "order_coordinators.docx", sample_context("order_coordinators")
    )
    (current,) = (cache / "templates").iterdir()
    old, recent = cache / "templates" / ("0" * 20), cache / "templates" / ("1" * 20)
    for folder in (old, recent):
        (folder / "jinja").mkdir(parents=True)
        (folder / "jinja" / "x.cache").write_bytes(b"")
    # both times set by the test: the folders' own times are the file system's clock, which
    # need not be the process's (a clock set forward made ``recent`` look a year old)
    now = time.time()
    month_ago = now - (template_cache.STALE_DAYS + 1) * 86400
    os.utime(old, (month_ago, month_ago))
    os.utime(recent, (now, now))
    assert template_cache.prune(cache / "templates", current.name) == 1
    assert sorted(p.name for p in (cache / "templates").iterdir()) == sorted(
        [current.name, recent.name]
    )


def test_the_cache_folder_follows_xdg_and_ignores_a_relative_one(tmp_path, monkeypatch):
    """``XDG_CACHE_HOME`` names the cache's parent; a relative one would put compiled code
    wherever the service happens to start (its working folder): invalid, as the XDG spec
    says, so ``~/.cache`` is used."""
    monkeypatch.delenv("NASTAVNIK_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "account"))
    settings = load_settings({"home": tmp_path / "home"})
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert settings.cache == tmp_path / "xdg" / "nastavnik"
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")
    assert settings.cache == tmp_path / "account" / ".cache" / "nastavnik"
