"""The benchmark's results: ``bench/results/<date>.json`` and the tables of
``docs/performance.md`` (between its ``bench:begin`` and ``bench:end`` markers)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bench import targets_bench

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"


def targets(results: dict) -> list[dict]:
    """The issues' targets, each with the measured value and whether it is met."""
    rows = []
    if results.get("issue15"):
        rows.extend(targets_bench.targets(results["issue15"]))
    renderer = results.get("renderer")
    if renderer:
        rows.append(("renderer ≥ 10× plain docxtpl, one core", 10, renderer["ratio_warm"], "×"))
    process = results.get("process", {})
    if "M" in process:
        rows.append(("size M end to end ≤ 5 s", 5, process["M"]["wall_s_median"], "s"))
    if "L" in process:
        rows.append(("size L end to end ≤ 30 s", 30, process["L"]["wall_s_median"], "s"))
        rows.append(("peak memory of L ≤ 500 MB", 500, process["L"]["tree_peak_mb"], "MB"))
    watcher = results.get("watcher")
    if watcher:
        rows.append(("watcher latency median ≤ 1 s (small)", 1, watcher["median_s"], "s"))
    signing = results.get("signing")
    if signing and "sign_s" in signing:
        rows.append(("batch signing of 100 orders ≤ 1 s", 1, signing["sign_s"], "s"))
    archive = results.get("archive")
    if archive:
        rows.append(
            ("archive export of 2,000 documents ≤ 10 s", 10, archive["export_seconds"], "s")
        )
        rows.append(
            (
                "bag verification of 2,000 documents ≤ 5 s (old bag: signatory from the DOCX)",
                5,
                archive["verify_bag_seconds"],
                "s",
            )
        )
        if "recorded_verify_bag_seconds" in archive:  # measured since 2026-12-01
            rows.append(
                (
                    "bag verification of 2,000 documents ≤ 5 s (signatory recorded, as signed now)",
                    5,
                    archive["recorded_verify_bag_seconds"],
                    "s",
                )
            )
    out = []
    for name, bound, value, unit in rows:
        ok = value >= bound if unit == "×" else value <= bound
        out.append({"target": name, "bound": bound, "value": value, "unit": unit, "met": ok})
    return out


def _value(row: dict) -> str:
    if row["unit"] == "×":
        return f"{_f(row['value'], 1)} ×"
    digits = (
        2 if row["unit"] == "s" and row["value"] < 10 else 0 if row["unit"] in ("MB", "%") else 1
    )
    return f"{_f(row['value'], digits)} {row['unit']}"


def target_lines(results: dict) -> list[str]:
    """One line per target: the figure, the target and whether it is met."""
    return [
        f"{row['target']}: {_value(row)} — {'met' if row['met'] else 'NOT MET'}"
        for row in targets(results)
    ]


def _others(watch: dict) -> str:
    """What other processes took of the machine during the watcher's drops (measured since
    2026-12-02, evening): the watcher renders on every core, the loop on one, so a busy
    machine lowers the watcher's ratio."""
    shares = watch.get("others_all")
    if not shares:
        return ""
    said = ", ".join(f"{share * 100:.0f} %" for share in shares)
    return (
        f" During the {len(shares)} drops other processes used {said} of the machine's CPU "
        "(the watcher renders on every core, the loop on one: what others take lowers the "
        "watcher's ratio more than the loop's)."
    )


def write_json(results: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{results['date']}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _f(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}".replace(",", " ")


def markdown(results: dict) -> str:
    """The generated part of docs/performance.md."""
    m = results["machine"]
    lines = [
        BEGIN,
        f"Measured on {results['date']} by `{results['command']}` — {m['cores']} cores "
        f"({m['cpu']}), {m['memory_gb']} GB memory, {m['os']}, Python {m['python']}, "
        f"docxtpl {results['versions']['docxtpl']}; load average (1, 5, 15 min) at start "
        f"{', '.join(str(x) for x in m['load_average_at_start'])}, at the end "
        f"{', '.join(str(x) for x in m.get('load_average_at_end', []))}. "
        f"Raw figures: `bench/results/{results['date']}.json`.",
        "",
        "### Targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
    ]
    for row in results["targets"]:
        lines.append(f"| {row['target']} | {_value(row)} | {'yes' if row['met'] else '**no**'} |")
    for section, message in results.get("failed", {}).items():
        lines += ["", f"**Section «{section}» failed:** {message.splitlines()[0][:300]}"]
    lines += _issue15(results.get("issue15"))
    lines += _pdf(results.get("pdf"))
    r = results.get("renderer")
    if r:
        lines += [
            "",
            f"### Renderer ({r['documents']} documents of {r['kinds']} kinds, one size-M school)",
            "",
            "| renderer | documents/s | vs plain docxtpl |",
            "|---|---|---|",
            f"| plain docxtpl loop (new DocxTemplate, render, save) | "
            f"{_f(r['plain_docs_per_s'], 1)} | 1 × |",
            f"| ours, first pass (includes compiling the {r['kinds']} templates) | "
            f"{_f(r['fast_cold_docs_per_s'], 1)} | {_f(r['ratio_cold'], 1)} × |",
            f"| ours, compiled (median of {r['fast_warm_passes']} passes) | "
            f"{_f(r['fast_warm_docs_per_s'], 1)} | **{_f(r['ratio_warm'], 1)} ×** |",
            f"| ours, the pipeline's pool ({r['pool']['workers']} worker process"
            f"{'es' if r['pool']['workers'] > 1 else ''}, fed by this process) | "
            f"{_f(r['pool']['docs_per_s'], 1)} | "
            f"{_f(r['pool']['docs_per_s'] / r['plain_docs_per_s'], 1)} × |",
            "",
            f"`word/document.xml` byte-identical to docxtpl's: {r['document_xml_identical']} of "
            f"{r['plain_documents']}. The pool took {_f(r['pool']['start_s'])} s to start and "
            "warm.",
            "",
            "| kind | ours, ms | plain docxtpl, ms |",
            "|---|---|---|",
        ]
        for kind, ms in r["per_kind_ms"].items():
            lines.append(f"| {kind} | {ms['fast']} | {ms['plain']} |")
    process = results.get("process", {})
    if process:
        lines += [
            "",
            "### `nastavnik process`, end to end (new home each run)",
            "",
            "| workbook | participants / pairs | documents | wall time, median | documents/s "
            "| peak memory of the process tree: PSS (RSS sum) | largest process |",
            "|---|---|---|---|---|---|---|",
        ]
        for label, p in process.items():
            wb = results["workbooks"].get(label.split()[0], {})
            people = f"{wb.get('mentors', 0) + wb.get('mentees', 0)} / {wb.get('pairs', 0)}"
            lines.append(
                f"| {label} | {people} | {p['documents']} | {_f(p['wall_s_median'])} s "
                f"({p['runs']} runs) | {_f(p['docs_per_s'], 0)} | {_f(p['tree_pss_peak_mb'], 0)} "
                f"MB ({_f(p['tree_peak_mb'], 0)} MB) | {_f(p['max_process_mb'], 0)} MB |"
            )
    mu = results.get("municipality")
    if mu:
        lines += [
            "",
            f"### Municipality: {mu['schools']} schools of size M, each its own home",
            "",
            "| schools at a time | wall time | documents | documents/s | per school, median "
            "| largest process |",
            "|---|---|---|---|---|---|",
        ]
        for key in ("sequential", "concurrent"):
            x = mu[key]
            lines.append(
                f"| {x['at_once']} | {_f(x['wall_s'], 1)} s | {x['documents']} | "
                f"{_f(x['docs_per_s'], 0)} | {_f(x['per_school_s_median'])} s | "
                f"{_f(x['max_process_mb'], 0)} MB |"
            )
    w = results.get("watcher")
    if w:
        lines += [
            "",
            "### Watcher: size-S workbook dropped into `inbox/` → moved to `processed/`",
            "",
            "| drops | settle time | median | 95th percentile | first drop after start |",
            "|---|---|---|---|---|",
            f"| {w['drops']} | {w['settle_s']} s | {_f(w['median_s'])} s | {_f(w['p95_s'])} s "
            f"| {_f(w['first_drop_cold_s'])} s |",
        ]
    s = results.get("signing")
    if s:
        lines += [
            "",
            f"### Signing {s['documents']} rendered orders (RSA-3072, detached CMS)",
            "",
            "| CA + director's certificate | signing | signatures/s | verifying | "
            "verifications/s |",
            "|---|---|---|---|---|",
            f"| {_f(s['ca_and_signer_s'])} s | {_f(s['sign_s'])} s | {_f(s['sign_per_s'], 0)} "
            f"| {_f(s['verify_s'])} s | {_f(s['verify_per_s'], 0)} |",
        ]
    im = results.get("intake_memory")
    if im:
        lines += [
            "",
            "### Intake reader memory (peak RSS, VmHWM, above a process that only imports)",
            "",
            "| workbook | file | read time | streaming reader | openpyxl, whole workbook |",
            "|---|---|---|---|---|",
        ]
        for label, x in im.items():
            if label == "baseline_mb":
                continue
            lines.append(
                f"| {label} | {x['kb']} KB | {_f(x['read_s'])} s | "
                f"{_f(x['read_mb_over_baseline'], 0)} MB | "
                f"{_f(x['full_load_mb_over_baseline'], 0)} MB |"
            )
    lines.append(END)
    return "\n".join(lines)


def _issue15(t: dict | None) -> list[str]:
    """The tables behind issue 15's targets."""
    if not t:
        return []
    unit = t["loop_docs_per_s"]
    cold, watch, mem = t["cold"], t["watcher"], t["memory"]
    lines = [
        "",
        "### Issue 15: ratios to a plain docxtpl loop measured in the same run",
        "",
        f"The loop (new `DocxTemplate`, `render`, `save`) on the order on coordinators, "
        f"{t['loop_before']['documents']} documents before and after the rest: "
        f"{_f(t['loop_before']['docs_per_s'], 1)} and {_f(t['loop_after']['docs_per_s'], 1)} "
        f"documents/s, mean **{_f(unit, 1)} documents/s = 1 ×**.",
        "",
        "| measurement | documents | time | documents/s | vs the loop | CPU time | CPU, vs "
        "the loop's CPU |",
        "|---|---|---|---|---|---|---|",
        f"| cold `nastavnik process`, {targets_bench.COLD_PAIRS} pairs, new home "
        f"(median of {cold['runs']}) | {cold['documents']} | {_f(cold['wall_s'])} s | "
        f"{_f(cold['docs_per_s'], 1)} | **{_f(cold['ratio'], 1)} ×** | "
        f"{_cpu(cold, 'cpu_s')} | {_cpu(cold, 'cpu_ratio', ' ×')} |",
        f"| {targets_bench.WATCH_PAIRS} pairs dropped into a running `nastavnik watch`, "
        f"inbox → processed/ + batch (median of {watch['drops']}) | {watch['documents']} | "
        f"{_f(watch['latency_s'])} s | {_f(watch['docs_per_s'], 1)} | "
        f"**{_f(watch['ratio'], 1)} ×** | {_cpu(watch, 'cpu_s')} | "
        f"{_cpu(watch, 'cpu_ratio', ' ×')} |",
        "",
        "CPU time: user + system of the process and of the children it waited for: what the "
        "run cost whatever else the machine was doing (the loop's "
        "CPU time likewise)." + _others(watch),
        "",
        f"Memory of `nastavnik process`, {targets_bench.MEMORY_PAIRS:,} pairs "
        f"({mem['documents']} documents, {_f(mem['wall_s'], 1)} s): high-water mark of the "
        f"largest process {_f(mem['high_water_mb'], 0)} MB; the process tree at its peak "
        f"(sampled) {_f(mem['tree_pss_peak_mb'], 0)} MB PSS, {_f(mem['tree_rss_peak_mb'], 0)} "
        "MB RSS sum.",
        "",
        "Scaling: `nastavnik process` in a new home; «processing» is the command's time "
        "inside its process, after the imports.",
        "",
        "| size | documents | whole command | per document | processing | per document |",
        "|---|---|---|---|---|---|",
    ]
    scale = t["scaling"]
    for label, row in scale["sizes"].items():
        lines.append(
            f"| {label} ({row['runs']} run{'s' if row['runs'] > 1 else ''}) | "
            f"{row['documents']} | {_f(row['wall_s'])} s | "
            f"{_f(row['wall_ms_per_document'], 1)} ms | {_f(row['processing_s'])} s | "
            f"{_f(row['processing_ms_per_document'], 1)} ms |"
        )
    lines.append(
        f"| spread (max/min − 1) | | | {_f(scale['wall_spread'] * 100, 0)} % | | "
        f"**{_f(scale['processing_spread'] * 100, 0)} %** |"
    )
    watched = t.get("watcher_scaling")
    if watched:  # measured since 2026-12-02
        lines += [
            "",
            "Scaling in the running service: each size dropped into a running, idle "
            "`nastavnik watch` of a new home, inbox → processed/ + batch.",
            "",
            "| size | documents | drop → processed | per document |",
            "|---|---|---|---|",
        ]
        for label, row in watched["sizes"].items():
            lines.append(
                f"| {label} ({row['runs']} drop{'s' if row['runs'] > 1 else ''}) | "
                f"{row['documents']} | {_f(row['latency_s'])} s | "
                f"{_f(row['ms_per_document'], 1)} ms |"
            )
        lines.append(f"| spread (max/min − 1) | | | **{_f(watched['spread'] * 100, 0)} %** |")
    lines += ["", "| small command | wall time, median | CPU time, median |", "|---|---|---|"]
    for name, row in t["commands"].items():
        cpu = f"{_f(row['cpu_s'])} s" if "cpu_s" in row else "—"
        lines.append(f"| `nastavnik {name}` | {_f(row['wall_s'])} s | {cpu} |")
    return lines


def _cpu(row: dict, key: str, unit: str = " s") -> str:
    """A CPU figure of a row, or «—» when the run did not record it."""
    return f"{_f(row[key], 1)}{unit}" if key in row else "—"


def _pdf(p: dict | None) -> list[str]:
    """The PDF converters' table."""
    if not p:
        return []
    lines = [
        "",
        f"### PDF copies: {p['documents']} documents of a size-M school",
        "",
        "| converter | time | documents/s | vs one call per file | vs one call for the batch |",
        "|---|---|---|---|---|",
    ]
    per_file, batch = (way["docs_per_s"] for way in p["ways"][:2])
    for way in p["ways"]:
        lines.append(
            f"| {way['name']} | {_f(way['seconds'], 1)} s | {_f(way['docs_per_s'], 2)} | "
            f"{_f(way['docs_per_s'] / per_file, 1)} × | {_f(way['docs_per_s'] / batch, 2)} × |"
        )
    if p.get("note"):
        lines += ["", p["note"]]
    return lines


def update_document(path: Path, results: dict) -> None:
    """Replace the generated block of ``path`` (appended if the markers are missing)."""
    block = markdown(results)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    if BEGIN in text and END in text:
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
