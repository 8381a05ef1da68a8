"""Issue 15's targets, each measured against a plain docxtpl loop timed in the same run.

The loop (new ``DocxTemplate``, ``render``, ``save`` per document, ``render_plain``) renders the
order on coordinators of a size-M school — a one-page order with a table — before and after
the other measurements; its mean speed is the unit («1 ×») of every ratio below, so that a
loaded machine slows both sides alike.

- **cold process**: ``nastavnik process`` of a 240-pair school in a new home (process start and
  imports included): documents per second over the loop's;
- **running watcher**: ``nastavnik watch`` in its own process, idle after warming up (its render
  workers too); a 60-pair workbook is renamed into ``inbox/`` (it appears whole, at once) and
  the clock stops when it is in ``inbox/processed/`` and its batch is in the register; its CPU
  time counts the workers';
- **memory**: the kernel's high-water mark of resident memory (``ru_maxrss``) of
  ``nastavnik process`` of a 1,000-pair school, and the sampled peak of its process tree;
- **scaling**: ``nastavnik process`` of S, M, L and XL (2,500 pairs); per document, both the
  whole command and the processing alone (after the imports, timed inside the process);
- **small commands**: wall time of ``nastavnik --help``, ``documents``, ``user list`` and
  ``templates list`` on a home holding a processed size-M school.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from bench.measure import NASTAVNIK, Timer, median, run_child, set_aside
from bench.pipeline_bench import _documents
from bench.workbooks import make_school, write_school
from service.documents.render import render_plain

LOOP_KIND = "order_coordinators"
COLD_PAIRS = 240
WATCH_PAIRS = 60
MEMORY_PAIRS = 1000
XL = (5000, 2500)
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("documents",),
    ("user", "list"),
    ("templates", "list"),
)


def school(pairs: int, folder: Path, seed: int = 1, number: int = 1) -> Path:
    """A workbook of ``pairs`` pairs and twice as many participants (as sizes S, M, L)."""
    return write_school(
        make_school(2 * pairs, pairs, seed=seed, number=number), folder / f"p{pairs}-{seed}.xlsx"
    )


def loop_job(jobs: list[tuple[Any, dict[str, Any]]]) -> tuple[Any, dict[str, Any]]:
    """The order on coordinators among a school's planned documents."""
    for kind, context in jobs:
        if kind.id == LOOP_KIND:
            return kind, context
    raise SystemExit(f"no {LOOP_KIND} among the planned documents")


def plain_loop(templates: Path, job: tuple[Any, dict[str, Any]], count: int) -> dict:
    """Documents per second of the plain docxtpl loop on one order (a first, untimed render
    loads docxtpl and the fonts' metrics)."""
    kind, context = job
    render_plain(templates / kind.template, context)
    cpu = time.process_time()
    with Timer() as loop:
        for _ in range(count):
            render_plain(templates / kind.template, context)
    cpu = time.process_time() - cpu
    return {
        "documents": count,
        "seconds": loop.seconds,
        "docs_per_s": count / loop.seconds,
        "cpu_docs_per_s": count / cpu,
    }


def ratio_unit(before: dict, after: dict) -> float:
    """The loop's speed for the ratios: the mean of the runs before and after."""
    return (before["docs_per_s"] + after["docs_per_s"]) / 2


def cold_process(workbook: Path, work: Path, repeats: int) -> dict:
    """``nastavnik process`` in a new home, ``repeats`` times: median wall time, documents."""
    walls, cpus, documents = [], [], 0
    for _ in range(repeats):
        home = Path(tempfile.mkdtemp(prefix="cold-", dir=work))
        run = run_child([str(NASTAVNIK), "--home", str(home), "process", str(workbook)])
        if run.returncode != 0:
            raise SystemExit(f"nastavnik process {workbook.name} failed:\n{run.output}")
        documents = _documents(home)
        walls.append(run.wall_s)
        cpus.append(run.cpu_s)
        set_aside(home)
    wall = median(walls)
    return {
        "runs": repeats,
        "documents": documents,
        "wall_s": wall,
        "wall_s_all": walls,
        "docs_per_s": documents / wall,
        "cpu_s": median(cpus),
        "cpu_docs_per_s": documents / median(cpus),
    }


def _idle(process: psutil.Process, quiet: float = 0.6, limit: float = 120.0) -> None:
    """Wait until ``process`` and its render workers have used no CPU for ``quiet`` seconds
    (they have warmed up)."""
    deadline = time.monotonic() + limit
    used, since = -1.0, time.monotonic()
    while time.monotonic() < deadline:
        now = _cpu(process)
        if now - used > 0.02:
            used, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.1)
    raise SystemExit("the watcher did not settle in 120 s")


def _cpu(process: psutil.Process) -> float:
    """CPU seconds of ``process``, of its children it has waited for and of those still
    running (the render workers the watcher keeps, under their fork server)."""
    times = process.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for child in process.children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _batches(database: Path) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
            return db.execute("select count(*) from batch").fetchone()[0]
    except sqlite3.Error:
        return 0


def watcher_drop(workbook: Path, work: Path) -> dict:
    """One drop of ``workbook`` into a running, idle ``nastavnik watch``."""
    home = Path(tempfile.mkdtemp(prefix="watch-", dir=work))
    log = (work / f"{home.name}.log").open("wb")
    watcher = subprocess.Popen(
        [str(NASTAVNIK), "--home", str(home), "watch"], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        inbox, staged = home / "inbox", home / "staged.xlsx"
        deadline = time.monotonic() + 60
        while not inbox.is_dir() and time.monotonic() < deadline:
            time.sleep(0.05)
        process = psutil.Process(watcher.pid)
        _idle(process)
        shutil.copyfile(workbook, staged)
        cpu = _cpu(process)
        machine = _machine_busy()
        processed = inbox / "processed" / "школа.xlsx"
        database = home / "var" / "nastavnik.db"
        start = time.perf_counter()
        os.rename(staged, inbox / "школа.xlsx")
        deadline = time.monotonic() + 300
        while not (processed.exists() and _batches(database)):
            if time.monotonic() > deadline or watcher.poll() is not None:
                raise SystemExit(f"the watcher did not process {workbook.name}")
            time.sleep(0.01)
        latency = time.perf_counter() - start
        cpu = _cpu(process) - cpu
        others = max(0.0, _machine_busy() - machine - cpu) / (latency * measure_cores())
        documents = _documents(home)
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(60)
        log.close()
    set_aside(home)
    return {"latency_s": latency, "cpu_s": cpu, "documents": documents, "others": others}


def _machine_busy() -> float:
    """CPU seconds the whole machine has spent busy (every process, every core)."""
    times = psutil.cpu_times()
    return times.user + times.nice + times.system + times.irq + times.softirq + times.steal


def measure_cores() -> int:
    return psutil.cpu_count() or 1


def running_watcher(workbooks: list[Path], work: Path) -> dict:
    """:func:`watcher_drop` of each workbook (a new home each): the median."""
    drops = [watcher_drop(book, work) for book in workbooks]
    latency = median([d["latency_s"] for d in drops])
    cpu = median([d["cpu_s"] for d in drops])
    documents = drops[0]["documents"]
    return {
        "drops": len(drops),
        "documents": documents,
        "latency_s": latency,
        "latency_s_all": [d["latency_s"] for d in drops],
        # the share of the machine other processes used during each drop: a busy machine
        # slows the watcher's two processes more than the one-process loop it is compared to
        "others_all": [d["others"] for d in drops],
        "docs_per_s": documents / latency,
        "cpu_s": cpu,
        "cpu_docs_per_s": documents / cpu,
    }


def memory(workbook: Path, work: Path) -> dict:
    """Peak memory of ``nastavnik process`` of ``workbook`` in a new home."""
    home = Path(tempfile.mkdtemp(prefix="memory-", dir=work))
    run = run_child([str(NASTAVNIK), "--home", str(home), "process", str(workbook)])
    if run.returncode != 0:
        raise SystemExit(f"nastavnik process {workbook.name} failed:\n{run.output}")
    documents = _documents(home)
    set_aside(home)
    return {
        "documents": documents,
        "wall_s": run.wall_s,
        "high_water_mb": run.high_water_mb,
        "tree_rss_peak_mb": run.tree_peak_mb,
        "tree_pss_peak_mb": run.tree_pss_peak_mb,
    }


def scaling(books: dict[str, Path], work: Path, repeats: int) -> dict:
    """Per document: the whole ``nastavnik process`` and its processing alone, per size
    (``repeats`` runs of the sizes under 1,000 participants, one of the larger)."""
    rows: dict[str, dict] = {}
    for label, book in books.items():
        walls, inside, documents = [], [], 0
        runs = repeats if book.stat().st_size < 100_000 else 1
        for _ in range(runs):
            home = Path(tempfile.mkdtemp(prefix="scale-", dir=work))
            command = [sys.executable, "-m", "bench.child", "timed", "--home", str(home)]
            run = run_child([*command, "process", str(book)])
            if run.returncode != 0:
                raise SystemExit(f"process {book.name} failed:\n{run.output}")
            documents = _documents(home)
            walls.append(run.wall_s)
            inside.append(_printed(run.output, "processing_s"))
            set_aside(home)
        rows[label] = {
            "runs": runs,
            "documents": documents,
            "wall_s": median(walls),
            "processing_s": median(inside),
            "wall_ms_per_document": median(walls) * 1000 / documents,
            "processing_ms_per_document": median(inside) * 1000 / documents,
        }
    result: dict = {"sizes": rows}
    for key in ("wall", "processing"):
        per = [r[f"{key}_ms_per_document"] for r in rows.values()]
        result[f"{key}_spread"] = max(per) / min(per) - 1
    return result


def watcher_scaling(books: dict[str, Path], work: Path, repeats: int) -> dict:
    """Per document: each size dropped into a running, idle ``nastavnik watch`` of a new home
    (:func:`watcher_drop`), inbox → processed/ + batch; ``repeats`` drops of the sizes under
    1,000 participants (a new home each), one of the larger. This is how a school's workbooks
    are processed (``make run``): the service is started once, its imports, templates and
    register connection are made before the secretary drops a file."""
    rows: dict[str, dict] = {}
    for label, book in books.items():
        runs = repeats if book.stat().st_size < 100_000 else 1
        drops = [watcher_drop(book, work) for _ in range(runs)]
        latency = median([d["latency_s"] for d in drops])
        documents = drops[0]["documents"]
        rows[label] = {
            "runs": runs,
            "documents": documents,
            "latency_s": latency,
            "latency_s_all": [d["latency_s"] for d in drops],
            "ms_per_document": latency * 1000 / documents,
        }
    per = [r["ms_per_document"] for r in rows.values()]
    return {"sizes": rows, "spread": max(per) / min(per) - 1}


def _printed(output: str, name: str) -> float:
    for line in reversed(output.splitlines()):
        if line.startswith(f"{name}="):
            return float(line.split("=", 1)[1])
    raise SystemExit(f"no {name} reported:\n{output}")


def commands(workbook: Path, work: Path, repeats: int) -> dict:
    """Median wall time of each small command on a home holding ``workbook``'s documents."""
    home = Path(tempfile.mkdtemp(prefix="commands-", dir=work))
    done = subprocess.run(
        [str(NASTAVNIK), "--home", str(home), "process", str(workbook)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"nastavnik process failed:\n{done.stderr.decode()}")
    result = {}
    for args in COMMANDS:
        walls, cpus = [], []
        for _ in range(repeats):
            run = run_child([str(NASTAVNIK), "--home", str(home), *args])
            if run.returncode != 0:
                raise SystemExit(f"nastavnik {' '.join(args)} failed:\n{run.output}")
            walls.append(run.wall_s)
            cpus.append(run.cpu_s)
        result[" ".join(args)] = {
            "wall_s": median(walls),
            "wall_s_all": walls,
            "cpu_s": median(cpus),
        }
    set_aside(home)
    return result


def run(templates: Path, jobs: list, work: Path, *, quick: bool, say) -> dict:
    """Every measurement of this module, the loop timed first and last. The homes measured
    are kept (emptied) until the section ends (:func:`~bench.measure.set_aside`)."""
    work.mkdir(parents=True, exist_ok=True)
    repeats = 1 if quick else 3
    job = loop_job(jobs)
    count = 15 if quick else 40
    say(f"plain docxtpl loop: {count} orders on coordinators")
    before = plain_loop(templates, job, count)
    say(f"  {before['docs_per_s']:.1f} documents/s")
    result: dict = {"loop_kind": LOOP_KIND, "loop_before": before}
    cold = school(COLD_PAIRS, work)
    say(f"cold nastavnik process, {COLD_PAIRS} pairs ×{repeats}")
    result["cold"] = cold_process(cold, work, repeats)
    say(f"  {result['cold']['documents']} documents in {result['cold']['wall_s']:.2f} s")
    books = [school(WATCH_PAIRS, work, seed=300 + n, number=n + 2) for n in range(repeats)]
    say(f"running watcher: {len(books)} drops of {WATCH_PAIRS} pairs")
    result["watcher"] = running_watcher(books, work)
    others = ", ".join(f"{x * 100:.0f} %" for x in result["watcher"]["others_all"])
    say(
        f"  {result['watcher']['documents']} documents in {result['watcher']['latency_s']:.2f} s"
        f" (other processes used {others} of the machine during the drops)"
    )
    say(f"memory: nastavnik process, {MEMORY_PAIRS} pairs")
    result["memory"] = memory(school(MEMORY_PAIRS, work), work)
    say(f"  high-water {result['memory']['high_water_mb']:.0f} MB")
    sizes = {"S": (20, 10), "M": (120, 60), "L": (1000, 500)}
    if not quick:
        sizes["XL"] = XL
    say(f"scaling: {', '.join(sizes)}")
    books_by_size = {
        label: write_school(make_school(*size, seed=11), work / f"scale-{label}.xlsx")
        for label, size in sizes.items()
    }
    result["scaling"] = scaling(books_by_size, work, 1 if quick else 3)
    say(f"scaling in a running watcher: {', '.join(sizes)}")
    result["watcher_scaling"] = watcher_scaling(books_by_size, work, 1 if quick else 3)
    say("small commands")
    result["commands"] = commands(books_by_size["M"], work, 3 if quick else 5)
    result["loop_after"] = plain_loop(templates, job, count)
    unit = ratio_unit(before, result["loop_after"])
    result["loop_docs_per_s"] = unit
    result["cold"]["ratio"] = result["cold"]["docs_per_s"] / unit
    result["watcher"]["ratio"] = result["watcher"]["docs_per_s"] / unit
    cpu_unit = (before["cpu_docs_per_s"] + result["loop_after"]["cpu_docs_per_s"]) / 2
    result["loop_cpu_docs_per_s"] = cpu_unit
    for key in ("cold", "watcher"):
        result[key]["cpu_ratio"] = result[key]["cpu_docs_per_s"] / cpu_unit
    return result


def targets(result: dict) -> list[tuple[str, float, float, str]]:
    """(target, bound, value, unit) rows for the report; ``×`` and ``s`` as in report.py."""
    rows = [
        (
            f"cold `nastavnik process`, {COLD_PAIRS} pairs ≥ 5× the plain docxtpl loop",
            5,
            result["cold"]["ratio"],
            "×",
        ),
        (
            f"{WATCH_PAIRS} pairs dropped into a running watcher ≥ 10× the loop",
            10,
            result["watcher"]["ratio"],
            "×",
        ),
        (
            f"peak memory of {MEMORY_PAIRS:,} pairs ≤ 400 MB (largest process)",
            400,
            result["memory"]["high_water_mb"],
            "MB",
        ),
        (
            "time per document, S…XL, within 20 % (cold `nastavnik process`, processing)",
            20,
            result["scaling"]["processing_spread"] * 100,
            "%",
        ),
    ]
    if "watcher_scaling" in result:  # measured since 2026-12-02
        rows.append(
            (
                "time per document, S…XL, within 20 % (dropped into a running watcher)",
                20,
                result["watcher_scaling"]["spread"] * 100,
                "%",
            )
        )
    for name, row in result["commands"].items():
        rows.append((f"`nastavnik {name}` ≤ 0.3 s", 0.3, row["wall_s"], "s"))
    return rows


__all__ = ["run", "targets"]
