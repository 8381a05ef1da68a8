"""PDF/A copies: a document that LibreOffice's batch call did not convert is converted by a
call of its own (issue 15: one call per batch stays, with the per-file call as the fallback).

LibreOffice stopping in the middle of a batch is played by a wrapper around the real
``soffice`` that passes it only the first document of the batch; the conversions are real."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from service.archive.rendition import Converter, convert_to_pdfa

TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"


def _wrapper(tmp_path: Path, then: str) -> tuple[Path, Path]:
    """A program standing for ``soffice``: it logs each call's documents to calls.txt, then
    runs ``then`` (Python, with ``options`` and ``docs`` from its command line)."""
    calls = tmp_path / "calls.txt"
    program = tmp_path / "soffice-wrapper"
    program.write_text(
        f"#!{sys.executable}\n"
        "import subprocess, sys\n"
        "options = [a for a in sys.argv[1:] if not a.endswith('.docx')]\n"
        "docs = [a for a in sys.argv[1:] if a.endswith('.docx')]\n"
        f"with open({str(calls)!r}, 'a') as log:\n"
        "    log.write(' '.join(d.rsplit('/', 1)[-1] for d in docs) + '\\n')\n" + then,
        encoding="utf-8",
    )
    program.chmod(0o755)
    return program, calls


def test_a_document_the_batch_call_skipped_is_converted_alone(tmp_path):
    # the real soffice, given only the first document of a batch: it «stopped» after it
    soffice = shutil.which("soffice")
    program, calls = _wrapper(
        tmp_path, f"sys.exit(subprocess.call([{soffice!r}, *options, *docs[:1]]))\n"
    )
    sources = {
        "order": (TEMPLATES / "order_coordinators.docx").read_bytes(),
        "consent": (TEMPLATES / "consent_adult.docx").read_bytes(),
    }
    pdfs = convert_to_pdfa(sources, Converter(program=str(program), processes=1))
    assert sorted(pdfs) == ["consent", "order"]
    assert all(pdf.startswith(b"%PDF-") and b"pdfaid:part" in pdf for pdf in pdfs.values())
    assert calls.read_text().splitlines() == ["d0-0.docx d0-1.docx", "d0-1.docx"]


def test_when_libreoffice_converts_nothing_it_is_not_started_once_per_document(tmp_path):
    program, calls = _wrapper(tmp_path, "sys.exit(1)\n")
    sources = {f"d{n}": b"PK not a document" for n in range(4)}
    assert convert_to_pdfa(sources, Converter(program=str(program), processes=1)) == {}
    assert calls.read_text().splitlines() == [
        "d0-0.docx d0-1.docx d0-2.docx d0-3.docx",
        "d0-0.docx",
    ]


def _pdfa_maker(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in for ``soffice`` that logs each call's documents and writes each a PDF with
    the PDF/A mark (what is under test is how the batch is split into calls)."""
    return _wrapper(
        tmp_path,
        "from pathlib import Path\n"
        "out = Path(options[options.index('--outdir') + 1])\n"
        "out.mkdir(parents=True, exist_ok=True)\n"
        "for doc in docs:\n"
        "    name = Path(doc).stem\n"
        "    (out / f'{name}.pdf').write_bytes(b'%PDF-1.7 pdfaid:part ' + name.encode())\n",
    )


def test_a_small_batch_starts_one_libreoffice_and_a_large_one_two(tmp_path):
    """A LibreOffice start costs the CPU of five documents: two converters for two or seven
    documents cost more than they save (before: one call per document up to ``processes``)."""
    program, calls = _pdfa_maker(tmp_path)
    for count in (2, 7):
        sources = {f"k{n}": b"docx" for n in range(count)}
        pdfs = convert_to_pdfa(sources, Converter(program=str(program), processes=2))
        assert sorted(pdfs) == sorted(sources)
    assert calls.read_text().splitlines() == [
        "d0-0.docx d0-1.docx",
        "d0-0.docx d0-1.docx d0-2.docx d0-3.docx d0-4.docx d0-5.docx d0-6.docx",
    ]
    calls.unlink()
    sources = {f"k{n}": b"docx" for n in range(8)}
    pdfs = convert_to_pdfa(sources, Converter(program=str(program), processes=2))
    assert pdfs == {
        key: f"%PDF-1.7 pdfaid:part d{n % 2}-{n // 2}".encode() for n, key in enumerate(sources)
    }
    assert sorted(calls.read_text().splitlines()) == [
        "d0-0.docx d0-1.docx d0-2.docx d0-3.docx",
        "d1-0.docx d1-1.docx d1-2.docx d1-3.docx",
    ]
