"""Reading a DOCX back as plain text (body paragraphs and table rows in order), for checks
and tests."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document


def docx_text(source: Path | bytes) -> str:
    """All text of a DOCX: body paragraphs and table cells in document order, plus headers."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    document = Document(io.BytesIO(data))
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iter():
                        if cell.tag.endswith("}tc"):
                            cells.append(
                                "".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t"))
                            )
                    lines.append(" | ".join(cells))
    return "\n".join(lines)
