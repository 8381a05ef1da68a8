"""What LibreOffice makes of a DOCX: the text of the PDF it prints (as the archive's PDF copy is
made) or the plain text it reads, for the tests of what a template shows the director against
what paper shows."""

from __future__ import annotations

import subprocess
from pathlib import Path


def _converted(data: bytes, folder: Path, target: str) -> Path:
    """The file LibreOffice converts the DOCX ``data`` to (``--convert-to target``), made in
    ``folder`` with a LibreOffice profile of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "t.docx").write_bytes(data)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
         "--convert-to", target, "--outdir", str(folder), str(folder / "t.docx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return folder / f"t.{target.split(':')[0]}"


def printed_text(data: bytes, folder: Path) -> str:
    """The text of the PDF LibreOffice makes of the DOCX ``data`` (``pdftotext``)."""
    pdf = _converted(data, folder, "pdf")
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def libreoffice_lines(data: bytes, folder: Path) -> list[str]:
    """The lines of text LibreOffice reads in the DOCX ``data`` (its plain-text export)."""
    return _converted(data, folder, "txt:Text").read_text(encoding="utf-8-sig").splitlines()
