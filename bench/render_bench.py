"""Renderer throughput: our compile-once renderer against a plain docxtpl loop, same
templates and contexts (every document of a size-M school), plus the worker pool."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.measure import Timer, median
from service.config import Settings, load_settings
from service.documents import fast_render, parallel
from service.documents.catalogue import Kind
from service.documents.planning import plan_documents
from service.documents.render import render_plain, render_template_file
from service.home import initialise_home
from service.intake.reader import read_workbook
from service.register.apply import apply_workbook
from service.register.db import session_scope

Job = tuple[Kind, dict[str, Any]]


def school_jobs(workbook: Path) -> tuple[Settings, list[Job]]:
    """Every document the register allows after ``workbook``: (kind, context)."""
    home = Path(tempfile.mkdtemp(prefix="bench-render-"))
    settings = load_settings({"home": home, "database_url": ""})
    initialise_home(settings)
    book, report = read_workbook(workbook)
    if book is None:
        raise RuntimeError(report.to_text(workbook.name))
    with session_scope(settings.database_url) as session:
        apply_workbook(session, book)
        planned = plan_documents(session)
    return settings, [(item.kind, item.context) for item in planned]


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml")


def bench_renderer(templates: Path, jobs: list[Job], passes: int, plain_limit: int) -> dict:
    """docs/s of the fast renderer (cold and warm), of plain docxtpl, of the pool."""
    fast_render.clear_cache()
    with Timer() as cold:
        fast_out = [render_template_file(templates / k.template, c) for k, c in jobs]
    warm_times = []
    per_kind: dict[str, list[float]] = defaultdict(list)
    for _ in range(passes):
        with Timer() as warm:
            for kind, context in jobs:
                with Timer() as one:
                    render_template_file(templates / kind.template, context)
                per_kind[kind.id].append(one.seconds)
        warm_times.append(warm.seconds)
    plain_jobs = jobs[:plain_limit] if plain_limit else jobs
    plain_kind: dict[str, list[float]] = defaultdict(list)
    identical = 0
    with Timer() as plain:
        for index, (kind, context) in enumerate(plain_jobs):
            with Timer() as one:
                data = render_plain(templates / kind.template, context)
            plain_kind[kind.id].append(one.seconds)
            identical += _document_xml(data) == _document_xml(fast_out[index])
    warm_dps = len(jobs) / median(warm_times)
    plain_dps = len(plain_jobs) / plain.seconds
    pool = _bench_pool(templates, jobs)
    return {
        "documents": len(jobs),
        "kinds": len({k.id for k, _ in jobs}),
        "fast_cold_docs_per_s": len(jobs) / cold.seconds,
        "fast_warm_docs_per_s": warm_dps,
        "fast_warm_passes": passes,
        "plain_docs_per_s": plain_dps,
        "plain_documents": len(plain_jobs),
        "ratio_warm": warm_dps / plain_dps,
        "ratio_cold": (len(jobs) / cold.seconds) / plain_dps,
        "document_xml_identical": identical,
        "pool": pool,
        "per_kind_ms": {
            kind: {
                "fast": round(median(per_kind[kind]) * 1000, 2),
                "plain": round(median(plain_kind[kind]) * 1000, 1),
            }
            for kind in plain_kind
        },
    }


def _bench_pool(templates: Path, jobs: list[Job]) -> dict:
    """The worker pool on the same jobs ×4, after it has started and warmed."""
    with Timer() as start:
        parallel.prestart(templates, parallel.COLD_START_MIN + 1)
        list(parallel.render_many(templates, jobs[: parallel.workers()], parallel=True))
    batch = jobs * 4
    with Timer() as run:
        count = sum(1 for _ in parallel.render_many(templates, batch, parallel=True))
    parallel.shutdown()
    return {
        "workers": parallel.workers(),
        "start_s": start.seconds,
        "documents": count,
        "docs_per_s": count / run.seconds,
    }
