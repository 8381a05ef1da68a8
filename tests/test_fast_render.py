"""The compile-once renderer gives what docxtpl gives, part for part, and its cache follows
the template file; large batches rendered by worker processes are the same bytes."""

from __future__ import annotations

import io
import json
import os
import pickle
import shutil
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from lxml import etree

from service.config import load_settings
from service.documents import docxtpl_steps, fast_render, parallel
from service.documents.catalogue import BY_ID, KINDS
from service.documents.planning import plan_documents
from service.documents.render import TemplateError, render_plain, render_template_file
from service.documents.sample import sample_context
from service.documents.text import docx_text
from service.documents.values import PersonName, Position
from service.home import initialise_home
from service.intake.demo import write_demo_workbook
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.store import FileStore

TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"
RENDERED_PARTS = ("word/document.xml", "docProps/core.xml")
"""Parts docxtpl renders in every template; tagged headers and footers are added per file."""


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def canonical(xml: bytes) -> bytes:
    parser = etree.XMLParser(remove_blank_text=True)
    return etree.tostring(etree.fromstring(xml, parser), method="c14n")


def assert_same_document(template: Path, plain: bytes, fast: bytes) -> None:
    """Same text, byte-identical rendered parts, every other part equal as XML (or bytes)."""
    assert docx_text(fast) == docx_text(plain)
    a, b = members(plain), members(fast)
    assert set(a) == set(b)
    rendered = set(RENDERED_PARTS) | {p.name for p in fast_render.compile_template(template).parts}
    for name in sorted(b):
        if name in rendered:
            assert b[name] == a[name], name
        elif name.endswith((".xml", ".rels")):
            assert canonical(b[name]) == canonical(a[name]), name
        else:
            assert b[name] == a[name], name


@pytest.fixture(autouse=True)
def fresh_cache():
    fast_render.clear_cache()
    yield
    fast_render.clear_cache()


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.id)
def test_every_kind_renders_as_docxtpl_does(kind):
    template = TEMPLATES / kind.template
    context = sample_context(kind.id)
    assert_same_document(template, render_plain(template, context), render_fast(template, context))


def render_fast(template: Path, context: dict) -> bytes:
    return render_template_file(template, context)


def test_the_demo_workbook_renders_as_docxtpl_does_and_as_stored(settings, tmp_path):
    demo = tmp_path / "школа.xlsx"
    write_demo_workbook(demo)
    result = process_workbook(settings, demo)
    assert result.outcome == Outcome.DONE, result.message
    stored = {(e.kind, e.subject): e.sha256 for e in result.entries}
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as session:
        planned = plan_documents(session)
    assert {p.kind.id for p in planned} == {k.id for k in KINDS}
    for item in planned:
        template = settings.templates_dir / item.kind.template
        fast = render_fast(template, item.context)
        assert_same_document(template, render_plain(template, item.context), fast)
        # the pipeline stored exactly these bytes: rendering is deterministic
        assert fast == store.get(stored[(item.kind.id, item.subject_label)]), item.file_name


def test_the_same_data_gives_the_same_bytes_in_the_template_order():
    template = TEMPLATES / BY_ID["order_pairs"].template
    context = sample_context("order_pairs")
    first, second = render_fast(template, context), render_fast(template, context)
    assert first == second
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(io.BytesIO(first)) as out:
        assert out.namelist() == source.namelist()


def test_data_with_template_syntax_and_markup_is_printed_verbatim():
    template = TEMPLATES / BY_ID["order_implementation"].template
    context = sample_context("order_implementation")
    typed = 'МБОУ {{ 7*7 }} {% if 1 %}да{% endif %} & <b>«Школа»</b> "№ 1"'
    context["org"]["short_name"] = typed
    context["org"]["locality"] = "с. Идринское\nул. Мира\t1"
    # docxtpl's own escape: «{_{» in the output becomes «{{» — the same in both paths
    context["org"]["full_name"] = "Школа {_{ x }_}"
    plain, fast = render_plain(template, context), render_fast(template, context)
    assert_same_document(template, plain, fast)
    text = docx_text(fast)
    assert typed in text
    assert "49" not in text
    assert b"<w:br/>" in members(fast)["word/document.xml"]


def test_a_changed_template_file_is_compiled_again(tmp_path):
    template = tmp_path / "order.docx"
    shutil.copy(TEMPLATES / BY_ID["order_implementation"].template, template)
    context = sample_context("order_implementation")
    before = docx_text(render_fast(template, context))
    compiled = fast_render.compile_template(template)
    assert fast_render.compile_template(template) is compiled  # unchanged file: cached
    assert "ПРИКАЗ" in before

    data = members(template.read_bytes())
    data["word/document.xml"] = data["word/document.xml"].replace(
        "ПРИКАЗ".encode(), "РАСПОРЯЖЕНИЕ".encode()
    )
    stat = template.stat()
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in data.items():
            archive.writestr(name, payload)
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))

    after = docx_text(render_fast(template, context))
    assert "РАСПОРЯЖЕНИЕ" in after and "ПРИКАЗ" not in after
    assert fast_render.compile_template(template) is not compiled
    assert after == docx_text(render_plain(template, context))


def _stored(template: Path, data: dict[str, bytes]) -> None:
    """Write ``data`` into ``template`` in place (same inode), uncompressed, fixed dates."""
    with open(template, "r+b") as handle:
        handle.truncate(0)
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as archive:
            for name, payload in data.items():
                archive.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), payload)


def test_a_template_rewritten_in_place_with_the_same_size_and_time_is_compiled_again(tmp_path):
    """A program that rewrites the file in place keeps its inode; on a file system with
    coarse times (or with the time set back, as ``touch -r`` does) the size and the time are
    the same too: the new template must be used all the same."""
    template = tmp_path / "order.docx"
    data = members((TEMPLATES / BY_ID["order_implementation"].template).read_bytes())
    template.write_bytes(b"")
    _stored(template, data)
    context = sample_context("order_implementation")
    assert "ПРИКАЗ" in docx_text(render_fast(template, context))
    before = template.stat()

    data["word/document.xml"] = data["word/document.xml"].replace(
        "ПРИКАЗ".encode(), "ПРОЕКТ".encode()
    )
    _stored(template, data)
    os.utime(template, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = template.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )

    text = docx_text(render_fast(template, context))
    assert "ПРОЕКТ" in text and "ПРИКАЗ" not in text


def test_template_errors_name_the_template(tmp_path):
    context = sample_context("order_implementation")
    del context["org"]
    with pytest.raises(TemplateError, match="order_implementation.docx"):
        render_fast(TEMPLATES / "order_implementation.docx", context)
    with pytest.raises(TemplateError, match="Нет файла шаблона"):
        render_fast(tmp_path / "missing.docx", context)


def test_contexts_pickle_with_their_types(settings, tmp_path):
    demo = tmp_path / "школа.xlsx"
    write_demo_workbook(demo)
    assert process_workbook(settings, demo).outcome == Outcome.DONE
    with session_scope(settings.database_url) as session:
        planned = plan_documents(session)
    for item in planned:
        copy = pickle.loads(pickle.dumps(item.context))
        assert copy == item.context
        assert type(copy["director"]["name"]) is PersonName
        assert type(copy["director"]["position"]) is Position


@pytest.fixture
def pool():
    yield
    parallel.shutdown()


def test_worker_processes_render_the_same_bytes(pool):
    jobs = [(kind, sample_context(kind.id)) for kind in KINDS]
    serial = list(parallel.render_many(TEMPLATES, jobs, parallel=False))
    assert list(parallel.render_many(TEMPLATES, jobs, parallel=True)) == serial


def test_a_large_batch_through_the_pool_stores_what_one_process_stores(
    pool, settings, tmp_path, monkeypatch
):
    demo = tmp_path / "школа.xlsx"
    write_demo_workbook(demo)
    serial = process_workbook(settings, demo)
    assert serial.outcome == Outcome.DONE
    pooled_settings = load_settings(
        {"home": tmp_path / "other", "database_url": "", "watch_polling": False}
    )
    initialise_home(pooled_settings)
    monkeypatch.setattr(parallel, "COLD_START_MIN", 0)
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 0)
    pooled = process_workbook(pooled_settings, demo)
    assert pooled.outcome == Outcome.DONE, pooled.message
    assert parallel._pool is not None
    manifest = json.loads((pooled.folder / "manifest.json").read_text(encoding="utf-8"))
    assert [e["sha256"] for e in manifest] == [e.sha256 for e in serial.entries]


@pytest.mark.parametrize("copies", [3, 8])
def test_the_caller_renders_the_chunks_no_worker_has_started(copies: int):
    """``share``: while the pool's only worker is busy, the calling process renders every
    chunk itself — those not sent yet and those sent but not started (taken back) — and
    yields them in order, every one: 48 documents in 9 chunks, and 128 in 19 (more than
    the caller keeps of its own, so chunks are sent again after others were taken back).
    (A thread pool stands in for the process pool: its worker is held by a task the test
    controls.)"""
    jobs = [(kind, sample_context(kind.id)) for kind in KINDS] * copies
    serial = list(parallel.render_many(TEMPLATES, jobs, parallel=False))
    release = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        busy = pool.submit(release.wait, 30)
        chunks = parallel._chunks(TEMPLATES, jobs)
        shared = list(parallel._pooled(pool, chunks, share=True))
        assert not busy.done()  # nothing waited for the worker
        release.set()
    assert shared == serial


def tiny_png() -> bytes:
    """A valid 1×1 PNG, for a picture (a ``wp:docPr`` that docxtpl renumbers)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def test_headers_footers_core_properties_tables_and_pictures_render_as_docxtpl_does(tmp_path):
    from docx import Document

    document = Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "{{ org.short_name }} — шапка"
    section.footer.paragraphs[0].text = "без тегов"
    document.core_properties.title = "{{ doc.title }}"
    document.add_paragraph("{{ org.full_name }}")
    picture = tmp_path / "pixel.png"
    picture.write_bytes(tiny_png())
    document.add_picture(str(picture))
    document.add_picture(str(picture))
    table = document.add_table(rows=1, cols=3)  # a row of looped cells: fix_tables widens it
    table.cell(0, 0).text = "{%tc for x in items %}"
    table.cell(0, 1).text = "{{ x }}"
    table.cell(0, 2).text = "{%tc endfor %}"
    document.add_paragraph("{%p for x in items %}")
    document.add_paragraph("Пункт {{ loop.index }}: {{ x }}")
    document.add_paragraph("{%p endfor %}")
    path = tmp_path / "synthetic.docx"
    document.save(path)
    context = {
        "org": {"short_name": "МБОУ СОШ № 1 & <Ко>", "full_name": "Школа «{{ 1 }}»"},
        "doc": {"title": "Приказ № 1"},
        "items": ["один", "два", "три", "четыре", "пять"],
    }
    plain, fast = render_plain(path, context), render_fast(path, context)
    assert_same_document(path, plain, fast)
    compiled = fast_render.compile_template(path)
    assert [p.name for p in compiled.parts] == ["word/header1.xml"]
    assert compiled.core_name == "docProps/core.xml"
    out = members(fast)
    assert "МБОУ СОШ № 1 &amp; &lt;Ко&gt; — шапка".encode() in out["word/header1.xml"]
    assert "Приказ № 1".encode() in out["docProps/core.xml"]
    assert b'id="1001"' in out["word/document.xml"] and b'id="1002"' in out["word/document.xml"]
    assert out["word/document.xml"].count(b"<w:gridCol ") == 5
    assert "Пункт 3: три" in docx_text(fast)


def test_document_properties_are_escaped_once(tmp_path):
    """attack17: a school's template with a tag in its properties (File → Properties) showed
    «ООО &#34;Ромашка&#34; &amp; Co» there: autoescaped, then escaped again as XML."""
    from docx import Document

    document = Document()
    document.core_properties.title = "{{ org.short_name }}"
    document.core_properties.subject = "Согласие: {{ person }}"
    document.core_properties.author = "Отдел «А & Б»"
    document.add_paragraph("{{ org.short_name }}")
    path = tmp_path / "properties.docx"
    document.save(path)
    context = {"org": {"short_name": 'ООО "Ромашка" & Co'}, "person": "Иванов <И. И.>"}
    plain, fast = render_plain(path, context), render_fast(path, context)
    assert_same_document(path, plain, fast)
    core = members(fast)["docProps/core.xml"].decode()
    assert '<dc:title>ООО "Ромашка" &amp; Co</dc:title>' in core
    assert "<dc:subject>Согласие: Иванов &lt;И.\u00a0И.&gt;</dc:subject>" in core
    assert "<dc:creator>Отдел «А &amp; Б»</dc:creator>" in core
    properties = Document(io.BytesIO(fast)).core_properties
    assert properties.title == 'ООО "Ромашка" & Co'
    assert properties.subject == "Согласие: Иванов <И.\u00a0И.>"
    assert docx_text(fast).strip() == 'ООО "Ромашка" & Co'


def test_the_pool_hands_out_a_few_chunks_ahead_and_survives_a_killed_worker(pool):
    jobs = [(kind, sample_context(kind.id)) for kind in KINDS] * 4  # 64 documents, 11 chunks
    serial = list(parallel.render_many(TEMPLATES, jobs, parallel=False))
    executor = parallel._executor(TEMPLATES)
    sent = []
    submit = executor.submit

    def counted(function, *args):
        sent.append(len(args[0]))
        return submit(function, *args)

    executor.submit = counted
    rendered = parallel.render_many(TEMPLATES, jobs, parallel=True)
    first = next(rendered)
    # the window, and one more chunk as the first came back — not all 11 chunks at once; the
    # first chunks small (the caller waits for the first with nothing else to do)
    sizes = [len(chunk) for chunk in parallel._chunks(TEMPLATES, jobs)]
    assert sizes == [1, 2, 4, 8, 8, 8, 8, 8, 8, 8, 1]
    ahead = parallel.WINDOW * parallel.workers()
    assert sent == sizes[: ahead + 1]
    for process in list(executor._processes.values()):
        process.kill()
    assert [first, *rendered] == serial  # the rest rendered in this process
    assert parallel._pool is None  # the broken pool was let go, a new one starts next time


def looped_cells_template(path: Path) -> Path:
    """A template of two tables: one whose row is ``{%tc for %}`` cells (as many as the data
    gives: more or fewer than its grid's columns), one with a cell spanning two."""
    from docx import Document

    document = Document()
    looped = document.add_table(rows=1, cols=3)
    looped.cell(0, 0).text = "{%tc for x in items %}"
    looped.cell(0, 1).text = "{{ x }}"
    looped.cell(0, 2).text = "{%tc endfor %}"
    spanned = document.add_table(rows=2, cols=3)
    spanned.cell(0, 0).merge(spanned.cell(0, 1)).text = "{{ title }}"
    spanned.cell(1, 2).text = "{{ title }}"
    document.save(path)
    return path


@pytest.mark.parametrize("items", [[], ["один"], ["один", "два", "три", "четыре", "пять"]])
def test_tables_widened_narrowed_or_spanned_render_as_docxtpl_does(tmp_path, items):
    """docxtpl's ``fix_tables`` widens a grid a row outgrows and narrows one no row fills;
    the renderer gives it only such documents (``_grids_fit``), with the same result."""
    path = looped_cells_template(tmp_path / "looped.docx")
    context = {"items": items, "title": "Пары & «наставники»"}
    assert_same_document(path, render_plain(path, context), render_fast(path, context))


def test_docxtpls_table_fix_is_run_only_for_a_document_whose_grid_changes(tmp_path, monkeypatch):
    """Every kind's document has tables whose rows fit their grids: docxtpl's ``fix_tables``
    (its walk looked up every row and cell, as long as the parse itself) is not run for them,
    and their parts are docxtpl's all the same (test_every_kind_renders_as_docxtpl_does).
    A row of looped cells that outgrows its grid still goes through it."""
    calls: list[int] = []
    original = docxtpl_steps.DOCXTPL.fix_tables
    monkeypatch.setattr(
        docxtpl_steps.DOCXTPL, "fix_tables", lambda xml: calls.append(1) or original(xml)
    )
    for kind in KINDS:
        render_fast(TEMPLATES / kind.template, sample_context(kind.id))
    assert calls == []
    path = looped_cells_template(tmp_path / "looped.docx")
    render_fast(path, {"items": ["один", "два", "три", "четыре"], "title": "Т"})
    assert calls == [1]
