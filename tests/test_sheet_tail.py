"""What a sheet holds besides its cells is never read.

openpyxl, even streaming a sheet (``read_only``), builds an object for every element after the
cells: merged ranges, data validations, hyperlinks, conditional formats. A 4.7 MB workbook
whose sheet «Наставники» declared a million merged cells (33 MB of XML, far below the size
limits) took 760 MB of memory and 14 s of CPU to read, in the process that also serves the web
pages; the size limit (100 MB unpacked) let three times that through. The intake needs only the
cells: the rest of the sheet is not read at all."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl.workbook.external_link import external
from openpyxl.worksheet import datavalidation, hyperlink, merge

from service.intake.demo import write_demo_workbook
from service.intake.guard import REMEDY
from service.intake.reader import read_workbook
from tests.test_intake_limits import MEASURE

TAIL_ELEMENTS = {
    "merged": lambda n: (
        f'<mergeCells count="{n}">'
        + "".join(f'<mergeCell ref="A{r}:B{r}"/>' for r in range(100, 100 + n))
        + "</mergeCells>"
    ),
    "validations": lambda n: (
        f'<dataValidations count="{n}">'
        + "".join(
            f'<dataValidation type="list" sqref="C{r}"><formula1>"a,b"</formula1></dataValidation>'
            for r in range(100, 100 + n)
        )
        + "</dataValidations>"
    ),
    "hyperlinks": lambda n: (
        "<hyperlinks>"
        + "".join(f'<hyperlink ref="D{r}" display="x"/>' for r in range(100, 100 + n))
        + "</hyperlinks>"
    ),
}


def with_tail(source: Path, target: Path, tail: str, sheet: str = "Наставники") -> Path:
    """``source`` with ``tail`` written after the cells of ``sheet``."""
    with zipfile.ZipFile(source) as book:
        names = re.findall(
            r'<sheet [^>]*name="([^"]+)"[^>]*r:id="(rId\d+)"', book.read("xl/workbook.xml").decode()
        )
        rels = book.read("xl/_rels/workbook.xml.rels").decode()
        targets = {
            re.search(r'Id="([^"]+)"', r).group(1): re.search(
                r'Target="/?(?:xl/)?([^"]+)"', r
            ).group(1)
            for r in re.findall(r"<Relationship [^>]*>", rels)
        }
        part = "xl/" + targets[dict(names)[sheet]]
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for item in book.infolist():
                data = book.read(item.filename)
                if item.filename == part:
                    data = data.replace(b"</sheetData>", b"</sheetData>" + tail.encode(), 1)
                out.writestr(item.filename, data)
    return target


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_TYPE = REL_NS + "/externalLink"


def with_external_link(source: Path, target: Path, cached: int) -> Path:
    """``source`` linked to another workbook (``file:///etc/passwd``) whose ``cached`` cells
    Excel keeps a copy of in the workbook (``xl/externalLinks/externalLink1.xml``)."""
    cells = "".join(f'<cell r="A{r}"><v>{r}</v></cell>' for r in range(1, cached + 1))
    link = (
        f'<externalLink xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><externalBook r:id="rId1">'
        '<sheetNames><sheetName val="S"/></sheetNames><sheetDataSet><sheetData sheetId="0">'
        f'<row r="1">{cells}</row></sheetData></sheetDataSet></externalBook></externalLink>'
    )
    link_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL_NS}/externalLinkPath" Target="file:///etc/passwd" '
        'TargetMode="External"/></Relationships>'
    )
    added = {
        "xl/workbook.xml": (
            b"</sheets>",
            f'</sheets><externalReferences><externalReference xmlns:r="{REL_NS}" '
            'r:id="rId99"/></externalReferences>',
        ),
        "xl/_rels/workbook.xml.rels": (
            b"</Relationships>",
            f'<Relationship Id="rId99" Type="{REL_TYPE}" '
            'Target="/xl/externalLinks/externalLink1.xml"/></Relationships>',
        ),
        "[Content_Types].xml": (
            b"</Types>",
            '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
        ),
    }
    with zipfile.ZipFile(source) as book, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in book.infolist():
            data = book.read(item.filename)
            if item.filename in added:
                end, replacement = added[item.filename]
                data = data.replace(end, replacement.encode(), 1)
            out.writestr(item.filename, data)
        out.writestr("xl/externalLinks/externalLink1.xml", link)
        out.writestr("xl/externalLinks/_rels/externalLink1.xml.rels", link_rels)
    return target


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tail") / "пример.xlsx"
    write_demo_workbook(path)
    return path


def test_merged_cells_validations_and_links_are_not_read(demo, tmp_path, monkeypatch):
    tail = "".join(make(20_000) for make in TAIL_ELEMENTS.values())
    hostile = with_tail(demo, tmp_path / "хвост.xlsx", tail)
    made: list[str] = []
    for module, name in (
        (merge, "MergeCell"),
        (datavalidation, "DataValidation"),
        (hyperlink, "Hyperlink"),
    ):
        cls = getattr(module, name)
        original = cls.__init__

        def counted(self, *args, _original=original, _name=name, **kwargs):
            made.append(_name)
            _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counted)
    plain, plain_report = read_workbook(demo)
    book, report = read_workbook(hostile)
    assert made == []
    assert [p.message for p in report.problems] == [p.message for p in plain_report.problems]
    assert book == plain


def test_the_copy_of_a_linked_workbook_is_not_read(demo, tmp_path, monkeypatch):
    """Excel keeps in the workbook a copy of the cells of every workbook it links to: 600,000
    of them (a 2.8 MB file) took 665 MB and 12 s to read, though no value comes from there
    (a cell that refers to it has its own computed value)."""
    linked = with_external_link(demo, tmp_path / "ссылка.xlsx", 20_000)
    made: list[str] = []
    original = external.ExternalLink.__init__

    def counted(self, *args, **kwargs):
        made.append("ExternalLink")
        original(self, *args, **kwargs)

    monkeypatch.setattr(external.ExternalLink, "__init__", counted)
    plain, plain_report = read_workbook(demo)
    book, report = read_workbook(linked)
    assert made == []
    assert [p.message for p in report.problems] == [p.message for p in plain_report.problems]
    assert book == plain


def test_a_million_merged_cells_are_read_in_bounded_memory(settings, demo, tmp_path):
    hostile = with_tail(demo, tmp_path / "миллион.xlsx", TAIL_ELEMENTS["merged"](1_000_000))
    assert hostile.stat().st_size < 5 * 1024 * 1024
    env = {**os.environ, "NASTAVNIK_HOME": str(settings.home)}
    command = [sys.executable, "-m", "service.cli", "process", "--dry-run", str(hostile)]
    process = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], env=env, capture_output=True
    )
    assert process.returncode == 0, process.stderr.decode("utf-8")
    maxrss_kb = int(process.stdout.decode())
    assert maxrss_kb < 250 * 1024, f"{maxrss_kb // 1024} MB"


MAIN = b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@pytest.mark.parametrize("chunk", [7, 1 << 16])
@pytest.mark.parametrize(
    "part,read",
    [
        (  # a prefixed namespace, as some generators write: the prefix closes the root
            b'<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet ' + MAIN + b">"
            b'<x:sheetViews><x:sheetView workbookViewId="0"/></x:sheetViews>'
            b'<x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is>'
            b'</x:c></x:row></x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A1:B1"/>'
            b"</x:mergeCells></x:worksheet>",
            b'<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet ' + MAIN + b">"
            b'<x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is>'
            b"</x:c></x:row></x:sheetData></x:worksheet>",
        ),
        (  # no cells at all
            b'<worksheet xmlns="m"><sheetData/><hyperlinks><hyperlink ref="A1"/></hyperlinks>'
            b"</worksheet>",
            b'<worksheet xmlns="m"><sheetData/></worksheet>',
        ),
        (  # another encoding: as it is
            b'<?xml version="1.0" encoding="windows-1251"?><worksheet><sheetData>'
            b"</sheetData><mergeCells/></worksheet>",
            b'<?xml version="1.0" encoding="windows-1251"?><worksheet><sheetData>'
            b"</sheetData><mergeCells/></worksheet>",
        ),
        (  # cut short inside the cells: as far as it goes
            b'<worksheet xmlns="m"><sheetData><row r="1">',
            b'<worksheet xmlns="m"><sheetData><row r="1">',
        ),
    ],
)
def test_only_the_cells_are_passed_on(part, read, chunk, monkeypatch):
    import io

    from service.intake import sheetdata

    monkeypatch.setattr(sheetdata, "_CHUNK", chunk)
    with sheetdata.CellsOnly(io.BytesIO(part)) as stream:
        pieces = []
        while piece := stream.read(5):
            pieces.append(piece)
    assert b"".join(pieces) == read


def replaced_part(source: Path, target: Path, part: str, edit) -> Path:
    with zipfile.ZipFile(source) as book, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in book.infolist():
            data = book.read(item.filename)
            out.writestr(item.filename, edit(data) if item.filename == part else data)
    return target


def test_a_workbook_of_hundreds_of_thousands_of_names_is_refused_unread(demo, tmp_path):
    """openpyxl reads the workbook's part whole: 500,000 defined names (a 1.3 MB file) took
    570 MB and 18 s. Excel writes a few kilobytes there."""
    names = b"".join(b"<definedName name=\"n%d\">'S'!$A$1</definedName>" % i for i in range(60_000))
    hostile = replaced_part(
        demo,
        tmp_path / "имена.xlsx",
        "xl/workbook.xml",
        lambda data: data.replace(
            b"</sheets>", b"</sheets><definedNames>" + names + b"</definedNames>", 1
        ),
    )
    book, report = read_workbook(hostile)
    assert book is None
    assert [p.message for p in report.problems] == [
        "Часть книги «xl/workbook.xml» (список листов и имён) занимает в распакованном виде 3 МБ, "
        "а допускается не больше 1 МБ: эту часть сервис читает целиком. Excel записывает в "
        "неё несколько килобайт: вероятно, файл испорчен или в нём тысячи лишних имён или "
        "стилей. " + REMEDY
    ]


def test_a_workbook_of_hundreds_of_thousands_of_styles_is_refused_unread(demo, tmp_path):
    """500,000 cell styles (a 2.2 MB file) took 1.1 GB and 23 s to read; Excel keeps at most
    64,000 (about 13 MB at the most)."""
    styles = b"".join(
        b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        % (i * 7919 % 100_000)
        for i in range(200_000)
    )
    hostile = replaced_part(
        demo,
        tmp_path / "стили.xlsx",
        "xl/styles.xml",
        lambda data: re.sub(
            rb'<cellXfs count="\d+">', b'<cellXfs count="200000">' + styles, data, count=1
        ),
    )
    book, report = read_workbook(hostile)
    assert book is None
    assert [p.message for p in report.problems] == [
        "Часть книги «xl/styles.xml» занимает в распакованном виде 17 МБ, а допускается не "
        "больше 16 МБ: эту часть сервис читает целиком. Excel записывает в неё несколько "
        "килобайт: вероятно, файл испорчен или в нём тысячи лишних имён или стилей. " + REMEDY
    ]


def test_a_zip_of_a_million_parts_is_refused_before_its_directory_is_read(tmp_path, monkeypatch):
    """The zip's directory was read whole before its parts were counted: 1.2 million empty
    parts, a 99 MB file (under the size limit), took 700 MB and 12 s to be refused."""
    path = tmp_path / "части.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for number in range(120_000):
            archive.writestr(zipfile.ZipInfo(f"{number:x}"), b"")
    made: list[int] = []
    original = zipfile.ZipInfo.__init__

    def counted(self, *args, **kwargs):
        made.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipInfo, "__init__", counted)
    book, report = read_workbook(path)
    assert book is None
    assert len(made) == 0
    assert [p.message for p in report.problems] == [
        "В файле 120000 частей, а в книге Excel их бывает несколько десятков. Это не книга "
        "формы или она испорчена. " + REMEDY
    ]


def test_a_cell_far_to_the_right_costs_no_row_of_sixteen_thousand_cells(
    demo, tmp_path, monkeypatch
):
    """A value in column XFD (16,384) of each of 20,000 rows, a 142 KB workbook, made every row
    a tuple of 16,384 cells that each check went through: 90 s of CPU while the inbox waited.
    Past column IV (256) a sheet is not read; the first such cell is named in a warning."""
    from service.intake import sheets

    rows = "".join(
        f'<row r="{r}"><c r="XFD{r}" t="inlineStr"><is><t>x</t></is></c></row>'
        for r in range(1000, 1300)
    )
    wide = replaced_part(
        demo,
        tmp_path / "широкая.xlsx",
        "xl/worksheets/sheet3.xml",
        lambda data: data.replace(b"</sheetData>", rows.encode() + b"</sheetData>", 1),
    )
    checked: list[int] = []
    original = sheets.is_placeholder
    monkeypatch.setattr(sheets, "is_placeholder", lambda v: checked.append(1) or original(v))
    plain, plain_report = read_workbook(demo)
    before = len(checked)
    book, report = read_workbook(wide)
    assert len(checked) - before < 100_000  # 300 rows × 16,384 cells: 4.9 million before
    assert book == plain
    added = [
        (p.sheet, p.row, p.message)
        for p in report.problems
        if p.message not in {q.message for q in plain_report.problems}
    ]
    assert added == [
        (
            "Наставники",
            1000,
            "В столбце XFD есть данные, но сервис читает только первые 256 столбцов листа "
            "(до IV) — они не прочитаны. Перенесите их в столбцы формы.",
        )
    ]


def test_formatted_empty_rows_never_reach_openpyxl(demo, tmp_path, monkeypatch):
    """A million formatted empty rows (a 2.6 MB workbook, 65 MB of sheet XML) took 7–15 s of
    CPU — 11–29 s on the school's server — while openpyxl made each row's elements and cells,
    only for the reader to skip them. Rows without a value are left out before openpyxl
    parses anything; the rows after them keep Excel's numbers, a row written without its
    number (``r``, which openpyxl then counts on from the row before) included."""
    from openpyxl.worksheet._reader import WorkSheetParser

    part = "xl/worksheets/sheet3.xml"  # «Наставники»
    with zipfile.ZipFile(demo) as book:
        last = max(map(int, re.findall(rb'<row r="(\d+)"', book.read(part))))

    def filler(rows: range) -> str:
        return "".join(
            f'<row r="{r}" s="3" customFormat="1" ht="15" customHeight="1"/>'
            if r % 2
            else f'<row r="{r}" spans="1:3"><c r="A{r}" s="3"/><c r="B{r}" s="3"></c></row>'
            for r in rows
        )

    unnumbered = '<row><c t="inlineStr"><is><t>Н-99</t></is></c></row>'
    rows = filler(range(last + 1, last + 20_001)) + unnumbered
    rows += filler(range(last + 20_002, last + 20_100))
    hostile = replaced_part(
        demo,
        tmp_path / "пустые строки.xlsx",
        part,
        lambda data: data.replace(b"</sheetData>", rows.encode() + b"</sheetData>", 1),
    )
    parsed: list[int] = []
    original = WorkSheetParser.parse_row
    monkeypatch.setattr(
        WorkSheetParser, "parse_row", lambda self, row: parsed.append(1) or original(self, row)
    )
    plain, plain_report = read_workbook(demo)
    before = len(parsed)
    book, report = read_workbook(hostile)
    assert len(parsed) - before == before + 1  # the unnumbered row (and the demo's, twice)
    assert book is None
    added = {(p.sheet, p.row) for p in report.problems if p not in plain_report.problems}
    assert added == {("Наставники", last + 20_001)}  # the row written without its number


def messages_read_apart(path: Path, timeout: int) -> list[str]:
    """The report's messages on ``path`` read by the intake in an interpreter of its own,
    stopped after ``timeout`` seconds (a reading that hangs fails the test, not the run)."""
    script = (
        "import sys; from service.intake.reader import read_workbook; "
        "book, report = read_workbook(sys.argv[1]); "
        "print(''.join(p.message + '\\n' for p in report.problems), end='')"
    )
    read = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, timeout=timeout, check=True
    )
    return read.stdout.decode().split("\n")[:-1]


def test_spaces_between_the_rows_are_read_at_once(demo, tmp_path):
    """attack20: 19 MB of spaces after ``<sheetData>`` (a 62 KB workbook: they pack 300:1,
    below the 20 MB a part is checked for its ratio) kept the watcher busy for hours — its
    heartbeat stopped, the inbox waited. The pattern leaving out empty rows was tried from every
    space, scanning the rest of them each time: 100 KB took 12 s of CPU, 2 MB would take
    hours. Now they are read at once, and the workbook reads as without them."""
    spaces = b" " * 2_000_000
    hostile = replaced_part(
        demo,
        tmp_path / "пробелы.xlsx",
        "xl/worksheets/sheet3.xml",  # «Наставники»
        lambda data: data.replace(b"<sheetData>", b"<sheetData>" + spaces, 1).replace(
            b"</row>", b"</row>\n" + spaces[:100_000]
        ),
    )
    assert hostile.stat().st_size < 200_000
    _, plain = read_workbook(demo)
    assert messages_read_apart(hostile, timeout=60) == [p.message for p in plain.problems]


@pytest.mark.parametrize(
    ("part", "where"),
    [
        ("xl/worksheets/sheet3.xml", b'<row r="2"'),  # «Наставники»
        ("xl/worksheets/sheet3.xml", b'<c r="A2"'),
    ],
    ids=["row", "cell"],
)
def test_a_tag_longer_than_excel_writes_is_refused_at_once(demo, tmp_path, part, where):
    """attack20: 19 MB of spaces inside one row's (or cell's) start tag, a 62 KB workbook,
    took 27 s of CPU in the watcher: the expat this Python bundles parses a tag cut by the
    end of its 16 KB piece again from the start at every piece. Now the guard refuses a tag
    over 64 KB before anything is parsed, naming the part."""
    spaces = b" " * 19_000_000
    hostile = replaced_part(
        demo,
        tmp_path / "тег.xlsx",
        part,
        lambda data: data.replace(where, where + spaces, 1),
    )
    assert hostile.stat().st_size < 100_000
    assert messages_read_apart(hostile, timeout=20) == [
        f"В части книги «{part}» есть тег длиннее 64 КБ — так Excel и "
        "LibreOffice не сохраняют: файл испорчен или собран не в Excel. " + REMEDY
    ]


def test_a_long_tag_in_the_cell_texts_is_refused(tmp_path):
    """The cell texts (``xl/sharedStrings.xml``) are parsed in pieces as the sheets are: a
    tag over 64 KB there is refused too, the one just under it is not."""
    from service.intake.guard import Limits, WorkbookRefused, check_archive

    def book(spaces: int) -> Path:
        path = tmp_path / f"{spaces}.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            out.writestr(
                "xl/sharedStrings.xml", b"<sst><si" + b" " * spaces + b"><t>a</t></si></sst>"
            )
        return path

    check_archive(book(64 * 1024 - 4), Limits())
    with pytest.raises(WorkbookRefused, match="«xl/sharedStrings.xml» есть тег длиннее 64 КБ"):
        check_archive(book(3_000_000), Limits())
