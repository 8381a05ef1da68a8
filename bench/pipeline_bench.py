"""The whole ``nastavnik process`` of each size, a municipality of schools, the watcher's
latency, and the intake reader's memory."""

from __future__ import annotations

import json
import logging
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.measure import (
    NASTAVNIK,
    ChildRun,
    median,
    percentile,
    run_child,
    run_parallel,
    set_aside,
)
from bench.workbooks import write_size
from service.config import load_settings
from service.intake.reader import read_workbook


def check_workbook(path: Path) -> dict:
    """Read ``path`` as the service does; the benchmark stops if it has any error."""
    with_time = time.perf_counter()
    book, report = read_workbook(path)
    seconds = time.perf_counter() - with_time
    if book is None or report.errors:
        raise SystemExit(f"синтетическая книга не принята:\n{report.to_text(path.name)}")
    return {
        "file": path.name,
        "kb": round(path.stat().st_size / 1024),
        "mentors": len(book.mentors),
        "mentees": len(book.mentees),
        "pairs": len(book.pairs),
        "plan_rows": len(book.plan),
        "results": len(book.results),
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "read_s": seconds,
    }


def _documents(home: Path) -> int:
    manifests = list((home / "outbox").glob("*/manifest.json"))
    return sum(len(json.loads(m.read_text(encoding="utf-8"))) for m in manifests)


def process_once(workbook: Path, work: Path, *, serial: bool = False) -> tuple[ChildRun, int]:
    """``nastavnik --home <new home> process <workbook>`` measured; (run, documents made)."""
    home = Path(tempfile.mkdtemp(prefix="home-", dir=work))
    command = [sys.executable, "-m", "bench.child", "serial"] if serial else [str(NASTAVNIK)]
    run = run_child([*command, "--home", str(home), "process", str(workbook)])
    if run.returncode != 0:
        raise SystemExit(f"nastavnik process {workbook.name} failed:\n{run.output}")
    documents = _documents(home)
    set_aside(home)
    return run, documents


def bench_process(workbook: Path, work: Path, repeats: int, *, serial: bool = False) -> dict:
    """Median wall time and peak memory of ``repeats`` runs, each in a new home."""
    runs, documents = [], 0
    for _ in range(repeats):
        run, documents = process_once(workbook, work, serial=serial)
        runs.append(run)
    wall = [r.wall_s for r in runs]
    return {
        "runs": len(runs),
        "documents": documents,
        "wall_s_median": median(wall),
        "wall_s_all": wall,
        "docs_per_s": documents / median(wall),
        "tree_peak_mb": max(r.tree_peak_mb for r in runs),
        "tree_pss_peak_mb": max(r.tree_pss_peak_mb for r in runs),
        "max_process_mb": max(r.max_process_mb for r in runs),
    }


def bench_municipality(workbooks: list[Path], work: Path, width: int) -> dict:
    """Every school processed into its own home: one at a time, then ``width`` at a time."""
    result: dict = {"schools": len(workbooks)}
    for label, at_once in (("sequential", 1), ("concurrent", width)):
        homes = [Path(tempfile.mkdtemp(prefix="school-", dir=work)) for _ in workbooks]
        commands = [
            [str(NASTAVNIK), "--home", str(home), "process", str(book)]
            for home, book in zip(homes, workbooks, strict=True)
        ]
        total, runs = run_parallel(commands, at_once)
        failed = [r for r in runs if r.returncode != 0]
        if failed:
            raise SystemExit(f"municipality run failed:\n{failed[0].output}")
        documents = sum(_documents(home) for home in homes)
        result[label] = {
            "at_once": at_once,
            "wall_s": total,
            "documents": documents,
            "docs_per_s": documents / total,
            "per_school_s_median": median([r.wall_s for r in runs]),
            "max_process_mb": max(r.max_process_mb for r in runs),
        }
        for home in homes:
            set_aside(home)
    return result


def bench_watcher(work: Path, drops: int) -> dict:
    """Drop-to-processed latency of a small (S) workbook in a running watcher.

    Each drop is a new school (a new home and watcher in this process, so the process is
    warm as a running service is); the first drop, right after the first watcher started, is
    reported apart (cold: the watcher is still loading dictionaries and templates).
    """
    from service.home import initialise_home
    from service.watcher import InboxWatcher

    logging.getLogger("watchdog").setLevel(logging.ERROR)  # its notes on stopping observers

    latencies: list[float] = []
    cold = None
    for number in range(drops + 1):
        book = write_size("S", work / f"drop-{number}.xlsx", seed=500 + number, number=number + 1)
        settings = load_settings({"home": work / f"watch-{number}", "database_url": ""})
        initialise_home(settings)
        done = threading.Event()
        finished: dict[str, object] = {}

        def on_result(path, result, done=done, finished=finished):
            finished["at"] = time.perf_counter()
            finished["outcome"] = str(result.outcome)
            done.set()

        watcher = InboxWatcher(settings, on_result=on_result)
        watcher.start()
        try:
            if number:
                time.sleep(0.3)  # the service is up and idle when the secretary drops a file
            start = time.perf_counter()
            shutil.copyfile(book, settings.inbox / "школа.xlsx")
            if not done.wait(60):
                raise SystemExit("the watcher did not process the dropped workbook in 60 s")
        finally:
            watcher.stop()
        if finished["outcome"] != "done":
            raise SystemExit(f"dropped workbook not processed: {finished['outcome']}")
        latency = float(finished["at"]) - start  # type: ignore[arg-type]
        if number == 0:
            cold = latency
        else:
            latencies.append(latency)
        set_aside(settings.home)
    return {
        "drops": len(latencies),
        "settle_s": load_settings({"home": work}).settle_seconds,
        "first_drop_cold_s": cold,
        "median_s": median(latencies),
        "p95_s": percentile(latencies, 95),
        "all_s": latencies,
    }


def bench_watcher_fresh(work: Path, drops: int) -> dict:
    """:func:`bench_watcher` in a new process, so that its first drop meets a cold service."""
    run = run_child([sys.executable, "-m", "bench.child", "watcher", str(work), str(drops)])
    for line in reversed(run.output.splitlines()):
        if line.startswith("result="):
            return json.loads(line.removeprefix("result="))
    raise SystemExit(f"watcher benchmark failed:\n{run.output}")


def _peak_mb(run: ChildRun) -> float:
    """The ``peak_kb=`` a bench.child program printed, in MB."""
    for line in reversed(run.output.splitlines()):
        if line.startswith("peak_kb="):
            return int(line.split("=", 1)[1]) / 1024
    raise SystemExit(f"no peak reported:\n{run.output}")


def bench_intake_memory(workbooks: dict[str, Path]) -> dict:
    """Peak memory of reading each workbook (streaming reader) and of loading it whole,
    above a process that only imports the same modules."""
    child = [sys.executable, "-m", "bench.child"]
    base = _peak_mb(run_child([*child, "baseline"]))
    result: dict = {"baseline_mb": base}
    for label, path in workbooks.items():
        read = run_child([*child, "read", str(path)])
        if read.returncode != 0:
            raise SystemExit(f"{path.name} not accepted:\n{read.output}")
        load = run_child([*child, "load", str(path)])
        result[label] = {
            "kb": round(path.stat().st_size / 1024),
            "read_s": read.wall_s,
            "read_mb_over_baseline": _peak_mb(read) - base,
            "full_load_mb_over_baseline": _peak_mb(load) - base,
        }
    return result
