"""PDF copies for the archive: documents per second of LibreOffice started once per file,
against one LibreOffice call converting the whole batch, and the archive's own way
(``service/archive/rendition.convert_to_pdfa``: the batch split between two converters that
run at once). Every way writes PDF/A-2b with the archive's filter, and every PDF is checked.

A converter kept alive between batches needs LibreOffice's UNO bridge for Python (Debian's
python3-uno, for the system Python only; unoserver is built on it): ``make bench`` installs both
in ``.venv-uno`` and puts it on PATH; without ``unoserver`` on PATH it is recorded as not
available. A listener
started with ``soffice --accept=…`` does not help on its own: a later ``soffice
--convert-to`` with the same profile hands its files to the listener, which converts them
and then exits (LibreOffice 7.4).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
import xmlrpc.client
from pathlib import Path
from typing import Any

from bench.measure import Timer
from service.archive.rendition import Converter, _run_one, convert_to_pdfa
from service.documents.render import render_template_file


def documents(templates: Path, jobs: list[tuple[Any, dict[str, Any]]], count: int) -> list[bytes]:
    """``count`` rendered documents spread over the school's kinds."""
    step = max(1, len(jobs) // count)
    chosen = jobs[::step][:count]
    return [render_template_file(templates / kind.template, context) for kind, context in chosen]


def _check(pdfs: dict[str, bytes], count: int, name: str) -> None:
    if len(pdfs) != count or not all(b"pdfaid:part" in pdf for pdf in pdfs.values()):
        raise SystemExit(f"{name}: {len(pdfs)} PDF/A of {count}")


def _folder(root: Path, name: str, docs: list[bytes]) -> dict[str, str]:
    folder = root / name
    folder.mkdir(parents=True)
    names = {}
    for index, data in enumerate(docs):
        (folder / f"d{index}.docx").write_bytes(data)
        names[f"d{index}"] = f"d{index}"
    return names


def per_file(docs: list[bytes], root: Path) -> tuple[dict[str, bytes], float]:
    """One LibreOffice process per document, all with one profile made before the clock
    starts (the best case for this way)."""
    converter = Converter(processes=1)
    names = _folder(root, "in-0", docs)
    warm = root / "warm"
    warm.mkdir()
    (warm / "w.docx").write_bytes(docs[0])
    _run_one(root, converter, 0, warm, {"w": "w"})  # makes profile-0
    shutil.rmtree(root / "out-0")
    result: dict[str, bytes] = {}
    with Timer() as clock:
        for name in names:
            result.update(_run_one(root, converter, 0, root / "in-0", {name: name}))
    return result, clock.seconds


def one_batch(docs: list[bytes], root: Path) -> tuple[dict[str, bytes], float]:
    """One LibreOffice call for every document, with a new profile as the archive has."""
    names = _folder(root, "in-0", docs)
    with Timer() as clock:
        result = _run_one(root, Converter(processes=1), 0, root / "in-0", names)
    return result, clock.seconds


def archive_way(docs: list[bytes], root: Path) -> tuple[dict[str, bytes], float]:
    """What the archive does today."""
    del root
    with Timer() as clock:
        result = convert_to_pdfa({f"d{i}": d for i, d in enumerate(docs)}, Converter())
    return result, clock.seconds


def unoserver(docs: list[bytes], root: Path) -> dict[str, bytes] | None:
    """A kept-alive converter: unoserver's LibreOffice, started and answering before the clock;
    each file one XML-RPC request from this process (no client process per file), with the
    archive's PDF/A-2b filter; None if unoserver is not installed (``make bench`` installs it)."""
    if not shutil.which("unoserver"):
        return None
    server = subprocess.Popen(
        ["unoserver", "--port", "2103", "--uno-port", "2104"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        proxy = xmlrpc.client.ServerProxy("http://127.0.0.1:2103", allow_none=True)
        _wait_until_answers(proxy, server)
        names = _folder(root, "in-u", docs)
        out = root / "out-u"
        out.mkdir()
        result = {}
        with Timer() as clock:
            for name in names:
                pdf = out / f"{name}.pdf"
                proxy.convert(
                    str(root / "in-u" / f"{name}.docx"),
                    None,
                    str(pdf),
                    "pdf",
                    "writer_pdf_Export",
                    ["SelectPdfVersion=2"],  # the archive's PDF/A-2b (rendition.PDFA_FILTER)
                    True,
                    None,
                    None,
                )
                result[name] = pdf.read_bytes()
        result["_seconds"] = clock.seconds  # type: ignore[assignment]
        return result
    finally:
        server.terminate()
        server.wait(30)


def _wait_until_answers(proxy: xmlrpc.client.ServerProxy, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            proxy.info()
            return
        except (ConnectionError, xmlrpc.client.Fault, OSError):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("unoserver did not start") from None
            time.sleep(0.2)


def run(templates: Path, jobs: list, count: int, work: Path, say) -> dict:
    """Each way on the same ``count`` documents."""
    docs = documents(templates, jobs, count)
    ways = []
    for name, convert in (
        ("one `soffice --convert-to` per file", per_file),
        ("one `soffice --convert-to` call for the batch", one_batch),
        ("the archive's way: the batch split between 2 calls at once", archive_way),
    ):
        root = Path(tempfile.mkdtemp(prefix="pdf-", dir=_made(work)))
        pdfs, seconds = convert(docs, root)
        _check(pdfs, count, name)
        ways.append({"name": name, "seconds": seconds, "docs_per_s": count / seconds})
        say(f"  {name}: {seconds:.1f} s")
        shutil.rmtree(root, ignore_errors=True)
    result: dict = {"documents": count, "ways": ways}
    kept = unoserver(docs, Path(tempfile.mkdtemp(prefix="pdf-", dir=work)))
    if kept is None:
        result["note"] = (
            "A converter kept alive between batches (unoserver) was not measured: it needs "
            "LibreOffice's Python bridge (Debian python3-uno), which is not installed."
        )
    else:
        seconds = kept.pop("_seconds")
        _check(kept, count, "unoserver")
        say(f"  unoserver, kept alive: {seconds:.1f} s")
        ways.append(
            {
                "name": "unoserver, kept alive between batches (one request per file)",
                "seconds": seconds,
                "docs_per_s": len(kept) / seconds,
            }
        )
    return result


def _made(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder
