"""Small programs the benchmark runs as child processes, so each is measured on its own.

``python -m bench.child serial --home H process F``  the ``nastavnik`` command with the render
                                                    pool switched off (one process);
``python -m bench.child read F``                     the intake reader (streaming) on F;
``python -m bench.child load F``                     openpyxl loading F whole, for comparison;
``python -m bench.child baseline``                   the same imports, nothing read;
``python -m bench.child timed --home H process F``   the ``nastavnik`` command, printing
                                                    ``processing_s=``: its time after imports;
``python -m bench.child watcher DIR N``              the watcher's latency over N drops, in a
                                                    fresh process (the first drop is cold).

The reading programs print ``peak_kb=<VmHWM>`` last: the high-water mark of this program's
own memory (``ru_maxrss`` would also count the parent's pages from before ``exec``).
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    """Run the child program named by ``argv[0]``."""
    command, rest = argv[0], argv[1:]
    if command == "watcher":
        import json

        from bench.pipeline_bench import bench_watcher

        print("result=" + json.dumps(bench_watcher(Path(rest[0]), int(rest[1]))))
        return 0
    if command == "timed":
        import time

        import service.pipeline  # noqa: F401  (the imports are not timed)
        from service.cli import main as cli

        start = time.perf_counter()
        code = cli.main(rest, prog_name="nastavnik", standalone_mode=False) or 0
        print(f"processing_s={time.perf_counter() - start}")
        return code
    if command == "serial":
        from service.cli import main as cli
        from service.documents import parallel

        parallel.COLD_START_MIN = parallel.PARALLEL_MIN = sys.maxsize
        parallel.fork_workers = lambda _templates: False  # not even the worker `process` forks
        return cli.main(rest, prog_name="nastavnik", standalone_mode=False) or 0
    from openpyxl import load_workbook

    from service.intake.reader import read_workbook

    code = 0
    if command == "read":
        book, report = read_workbook(rest[0])
        code = 0 if book is not None and not report.errors else 1
    elif command == "load":
        load_workbook(rest[0], data_only=True).close()
    elif command != "baseline":
        raise SystemExit(f"unknown child program {command!r}")
    print(f"peak_kb={_high_water_kb()}")
    return code


def _high_water_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
