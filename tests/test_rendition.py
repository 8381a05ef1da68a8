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
