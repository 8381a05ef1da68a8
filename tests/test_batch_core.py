"""A batch reads and writes the register with SQLAlchemy Core only: processing workbooks (a
new school, a changed one, a dry run, a rejected one) configures no ORM mapper — the ~25 ms
of mapper configuration and the ORM statements' compilation are off a batch's path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.test_school_year import other_school, pairs_only, results, september

SCRIPT = """
import sys
from sqlalchemy import event
from sqlalchemy.orm import Mapper

configured = []
event.listen(Mapper, "before_configured", lambda: configured.append(True))

from service.cli import main as cli
from service.register.models import Person

home, *books = sys.argv[1:]
for book in books:
    for args in (["process", "--dry-run", book], ["process", book]):
        try:
            code = cli.main(["--home", home, *args], prog_name="nastavnik", standalone_mode=False)
        except SystemExit as exit:
            code = exit.code
        print(args[-2] if args[-2] == "--dry-run" else "process", code or 0)
print("mappers configured:", bool(configured), Person.__mapper__.configured)
"""


def test_processing_workbooks_configures_no_orm_mapper(tmp_path: Path):
    books = [
        september(tmp_path / "Сентябрь.xlsx"),
        pairs_only(tmp_path / "Пары.xlsx"),
        results(tmp_path / "Итоги.xlsx"),
        other_school(tmp_path / "Чужая.xlsx"),
    ]
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "home"), *map(str, books)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stdout.splitlines() if line.startswith(("process", "--", "m"))]
    assert lines == [
        "--dry-run 0",
        "process 0",
        "--dry-run 0",
        "process 0",
        "--dry-run 0",
        "process 0",
        "--dry-run 1",
        "process 1",
        "mappers configured: False False",
    ]
