"""``make bench`` (``python -m bench``): every measurement in one run, side by side.

Workbooks S (20 participants, 10 pairs), M (120, 60), L (1,000, 500), a municipality of 20
size-M schools and, for the reader's memory only, XL (5,000, 2,500) are generated in a
temporary folder and checked by the intake (zero errors, or the run stops). Results go to
``bench/results/<date>.json`` and the tables of ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import date
from importlib.metadata import version
from pathlib import Path

from bench import (
    archive_bench,
    pdf_bench,
    pipeline_bench,
    render_bench,
    report,
    signing_bench,
    targets_bench,
)
from bench.measure import machine, remove_set_aside
from bench.workbooks import SIZES, make_school, write_school, write_size

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = (
    "targets",
    "pdf",
    "renderer",
    "process",
    "municipality",
    "watcher",
    "signing",
    "archive",
    "intake",
)


def _say(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def _command(argv: list[str]) -> str:
    if os.environ.get("MAKELEVEL"):
        return "make bench" + (f" BENCH_ARGS='{' '.join(argv)}'" if argv else "")
    return " ".join(["python -m bench", *argv])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when it completes (targets are reported, not asserted)."""
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one run of each, fewer drops")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--document", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--no-document", action="store_true", help="leave the doc as it is")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else 3
    schools = 4 if args.quick else 20
    work = Path(tempfile.mkdtemp(prefix="nastavnik-bench-"))
    templates = ROOT / "templates_docx"
    results: dict = {
        "date": date.today().isoformat(),
        "command": _command(argv),
        "machine": machine(),
        "versions": {p: version(p) for p in ("docxtpl", "python-docx", "Jinja2", "lxml")},
        "workbooks": {},
    }
    try:
        _say(f"workbooks in {work}")
        books = {size: write_size(size, work / f"{size}.xlsx") for size in SIZES}
        for size, path in books.items():
            results["workbooks"][size] = pipeline_bench.check_workbook(path)
        _say(f"intake accepts S, M, L with zero errors: {results['workbooks']}")

        def _targets() -> None:
            _say("issue 15's targets, as ratios to a plain docxtpl loop")
            _, jobs = render_bench.school_jobs(books["M"])
            results["issue15"] = targets_bench.run(
                templates, jobs, work / "targets", quick=args.quick, say=_say
            )
            for line in report.target_lines(results):
                _say(line)

        def _pdf() -> None:
            count = 10 if args.quick else 50
            _say(f"PDF copies: {count} documents, one soffice per file against one batch")
            _, jobs = render_bench.school_jobs(books["M"])
            results["pdf"] = pdf_bench.run(templates, jobs, count, work / "pdf", say=_say)

        def _renderer() -> None:
            _say("renderer: ours vs plain docxtpl on every document of size M")
            _, jobs = render_bench.school_jobs(books["M"])
            results["renderer"] = render_bench.bench_renderer(
                templates, jobs, passes=3 if args.quick else 7, plain_limit=0
            )

        def _process() -> None:
            results["process"] = {}
            for size in SIZES:
                _say(f"nastavnik process, size {size} ×{repeats}")
                results["process"][size] = pipeline_bench.bench_process(books[size], work, repeats)
            _say("nastavnik process, size L with the render pool switched off")
            results["process"]["L (one process)"] = pipeline_bench.bench_process(
                books["L"], work, repeats, serial=True
            )

        def _municipality() -> None:
            _say(f"municipality: {schools} schools of size M")
            paths = [
                write_school(make_school(*SIZES["M"], seed=100 + n, number=n), work / f"m{n}.xlsx")
                for n in range(1, schools + 1)
            ]
            for path in paths:
                pipeline_bench.check_workbook(path)
            results["municipality"] = pipeline_bench.bench_municipality(
                paths, work, os.cpu_count() or 1
            )

        def _watcher() -> None:
            drops = 5 if args.quick else 15
            _say(f"watcher latency: {drops} drops of a size-S workbook")
            results["watcher"] = pipeline_bench.bench_watcher_fresh(work / "watch", drops)

        def _signing() -> None:
            _say("signing 100 orders")
            settings, jobs = render_bench.school_jobs(books["M"])
            documents = signing_bench.order_documents(templates, jobs)
            org = jobs[0][1]["org"]["full_name"]
            director = str(jobs[0][1]["director"]["name"])
            results["signing"] = signing_bench.bench_signing(documents, org, director)

        def _archive() -> None:
            count = 200 if args.quick else 2000
            _say(f"archive: export and verification of {count} documents")
            results["archive"] = archive_bench.run(count)

        def _intake() -> None:
            _say("intake reader memory: M, L, XL (5,000 participants)")
            xl = write_school(make_school(5000, 2500, seed=7), work / "XL.xlsx")
            results["workbooks"]["XL"] = pipeline_bench.check_workbook(xl)
            results["intake_memory"] = pipeline_bench.bench_intake_memory(
                {"M": books["M"], "L": books["L"], "XL": xl}
            )

        sections = {
            "targets": _targets,
            "pdf": _pdf,
            "renderer": _renderer,
            "process": _process,
            "municipality": _municipality,
            "watcher": _watcher,
            "signing": _signing,
            "archive": _archive,
            "intake": _intake,
        }
        for section in args.only:
            try:
                sections[section]()
            except (Exception, SystemExit) as exc:  # one section failing keeps the others
                _say(f"{section} FAILED: {exc}")
                results.setdefault("failed", {})[section] = str(exc)[-2000:]
            finally:  # the section's homes, kept while it measured (measure.set_aside)
                remove_set_aside()
            report.write_json(results, args.results)  # what is measured so far, kept
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["targets"] = report.targets(results)
    path = report.write_json(results, args.results)
    _say(f"results: {path}")
    if not args.no_document:
        report.update_document(args.document, results)
        _say(f"table: {args.document}")
    print(report.markdown(results))
    return 0
