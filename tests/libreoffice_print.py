"""What LibreOffice prints of a DOCX: the text of the PDF it makes (as the archive's PDF copy is
made), for the tests of what a template shows the director against what paper shows."""

from __future__ import annotations

import subprocess
from pathlib import Path


def printed_text(data: bytes, folder: Path) -> str:
    """The text of the PDF LibreOffice makes of the DOCX ``data`` (``pdftotext``), made in
    ``folder`` with a LibreOffice profile of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "t.docx").write_bytes(data)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
         "--convert-to", "pdf", "--outdir", str(folder), str(folder / "t.docx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return subprocess.run(
        ["pdftotext", str(folder / "t.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
