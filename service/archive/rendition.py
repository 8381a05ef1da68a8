"""PDF/A-2b renditions of DOCX documents, made by LibreOffice.

Many documents go to one LibreOffice call (its start-up costs more than a page: one call for a
batch of 50 is several times faster than one call per document, ``make bench``); the batch is
split among up to ``processes`` converters that run at once — one for every
:data:`DOCUMENTS_PER_CONVERTER` documents — each with its own user profile (two LibreOffice
processes sharing a profile wait for each other or fail). A document a batch call
did not convert (LibreOffice stopped on another one, or on it) is tried again alone, so one bad
document costs only itself. Times New Roman is
replaced by the metric-compatible Liberation Serif (Debian ``fonts-liberation2``), so pages keep
the layout Word gives them.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from service.config import Settings
from service.errors import Busy

log = logging.getLogger(__name__)

PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
"""PDF/A-2b through the filter options in JSON (LibreOffice 7.4 and later)."""

CALC_PDFA_FILTER = 'pdf:calc_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
"""The same for spreadsheets (the inventory)."""

DOCUMENTS_PER_CONVERTER = 4
"""A batch is split among converters only where each gets at least this many documents: a
LibreOffice start costs as much CPU as converting five documents (1.65 s against 0.3 s a
document, measured on the 2-core machine), so a converter started for fewer costs more than
the time it saves (two documents: 3.9 s of CPU in two calls against 2.3 s in one, to be done
about half a second sooner)."""

INK_THRESHOLD = 160
"""A grey level (0–255) darker than this is ink, when looking for free space on a page."""


class ConversionError(Busy):
    """LibreOffice is missing, hung, or produced no PDF/A; the message is Russian (503: the
    converter, not the request, is at fault)."""


@dataclass(frozen=True)
class Converter:
    """How to run LibreOffice."""

    program: str = "soffice"
    """The LibreOffice executable."""
    processes: int = 2
    """How many converters run at once (each with its own profile)."""
    timeout: int = 900
    """Seconds one LibreOffice call may take."""
    pdf_filter: str = PDFA_FILTER
    """The ``--convert-to`` argument."""


def converter_of(settings: Settings) -> Converter:
    """The converter the settings describe."""
    return Converter(settings.libreoffice, settings.archive_converters, settings.conversion_timeout)


def convert_to_pdfa(sources: Mapping[str, bytes], converter: Converter) -> dict[str, bytes]:
    """PDF/A-2b bytes for each ``key → DOCX bytes``; a key LibreOffice could not convert is
    missing from the result (and logged). Raises :class:`ConversionError` when LibreOffice
    cannot run at all or makes PDFs that are not PDF/A."""
    if not sources:
        return {}
    if shutil.which(converter.program) is None:
        raise ConversionError(
            f"Не найдена программа LibreOffice «{converter.program}»: установите пакет "
            "libreoffice-writer-nogui (make test / make run ставят его сами)."
        )
    keys = list(sources)
    count = max(1, min(converter.processes, len(keys) // DOCUMENTS_PER_CONVERTER))
    chunks = [keys[i::count] for i in range(count)]
    with tempfile.TemporaryDirectory(prefix="nastavnik-pdfa-") as tmp:
        root = Path(tmp)
        jobs = []
        for number, chunk in enumerate(chunks):
            folder = root / f"in-{number}"
            folder.mkdir()
            names = {}
            for index, key in enumerate(chunk):
                name = f"d{number}-{index}"
                (folder / f"{name}.docx").write_bytes(sources[key])
                names[name] = key
            jobs.append((number, folder, names))
        with ThreadPoolExecutor(max_workers=count) as pool:
            parts = list(pool.map(lambda job: _run_one(root, converter, *job), jobs))
        result: dict[str, bytes] = {}
        for part in parts:
            result.update(part)
        for number, folder, names in jobs:
            if len(names) > 1:
                result.update(_one_by_one(root, converter, number, folder, names, result))
    for key, pdf in result.items():
        if b"pdfaid:part" not in pdf:
            raise ConversionError(
                "LibreOffice сделал PDF без признака PDF/A: нужна версия 7.4 или новее "
                f"(документ {key})."
            )
    missing = [k for k in keys if k not in result]
    if missing:
        log.warning("LibreOffice did not convert: %s", ", ".join(map(str, missing)))
    return result


def _one_by_one(
    root: Path,
    converter: Converter,
    number: int,
    folder: Path,
    names: dict[str, str],
    done: Mapping[str, bytes],
) -> dict[str, bytes]:
    """Each document of a batch call that made no PDF, converted by a call of its own."""
    result = {}
    for name, key in names.items():
        if key in done:
            continue
        log.warning("LibreOffice skipped %s in a batch; converting it alone", key)
        shutil.rmtree(root / f"out-{number}", ignore_errors=True)
        made = _run_one(root, converter, number, folder, {name: key})
        if not made and not any(k in done for k in names.values()):
            break  # it converts nothing at all: not worth one more start per document
        result.update(made)
    return result


def _run_one(
    root: Path,
    converter: Converter,
    number: int,
    folder: Path,
    names: dict[str, str],
    suffix: str = ".docx",
) -> dict[str, bytes]:
    """One LibreOffice process over one chunk, with its own profile and output folder."""
    out = root / f"out-{number}"
    profile = root / f"profile-{number}"
    command = [
        converter.program,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        converter.pdf_filter,
        "--outdir",
        str(out),
        *(str(folder / f"{name}{suffix}") for name in names),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=converter.timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ConversionError(
            f"LibreOffice не закончил работу за {converter.timeout} с (документов: {len(names)})."
        ) from exc
    if done.returncode != 0:
        log.warning("LibreOffice exited with %s: %s", done.returncode, done.stderr.strip())
    result = {}
    for name, key in names.items():
        pdf = out / f"{name}.pdf"
        if pdf.is_file():
            result[key] = pdf.read_bytes()
    return result


def convert_file(source: Path, target: Path, converter: Converter) -> None:
    """Convert one file (a DOCX, or an XLSX inventory) to ``target`` as PDF/A-2b."""
    suffix = source.suffix.lower()
    filter_ = CALC_PDFA_FILTER if suffix in (".xlsx", ".ods") else converter.pdf_filter
    one = Converter(converter.program, 1, converter.timeout, filter_)
    with tempfile.TemporaryDirectory(prefix="nastavnik-pdfa-") as tmp:
        root = Path(tmp)
        (root / "in-0").mkdir()
        shutil.copyfile(source, root / "in-0" / f"d0{suffix}")
        made = _run_one(root, one, 0, root / "in-0", {"d0": "d0"}, suffix)
    if "d0" not in made:
        raise ConversionError(f"LibreOffice не смог преобразовать «{source.name}» в PDF.")
    target.write_bytes(made["d0"])


def ink_bottom(pdf_path: Path, page: int, dpi: int = 36) -> float | None:
    """How far from the top of page ``page`` (1-based) the lowest ink is, in points (1/72 in);
    None for an empty page. Found on a small grey raster of the page (poppler's pdftoppm), so
    text, table rules and pictures all count."""
    done = subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf_path),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    width, height, pixels = _parse_pgm(done.stdout)
    for row in range(height - 1, -1, -1):
        line = pixels[row * width : (row + 1) * width]
        if min(line) < INK_THRESHOLD:
            return (row + 1) * 72 / dpi
    return None


def _parse_pgm(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and 8-bit pixels of a binary PGM (P5) image."""
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:
        while data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P5" or int(fields[3]) > 255:
        raise ValueError("not an 8-bit PGM")
    width, height = int(fields[1]), int(fields[2])
    pos += 1  # the single whitespace after maxval
    return width, height, data[pos : pos + width * height]
