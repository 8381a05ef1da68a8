"""A document's text as a page shows it: paragraphs, and tables as tables — the director's
reading of a document before signing, the administrator's sample of a template."""

from __future__ import annotations

from service.documents.text import docx_text, margin_text

CELL_BREAK = "\x1f"
"""Between the paragraphs of a table cell in :func:`text_blocks`: a character XML 1.0 does not
allow in a document's text, and not a line break to ``str.splitlines`` (``\u2029`` is)."""


def text_blocks(data: bytes) -> list[tuple[str, object]]:
    """The text of the DOCX ``data`` as blocks for a page: ("p", line) and ("table", rows of
    cells, each cell its lines), then what Word shows outside the body (headers, footers,
    notes) as «Верхний колонтитул: …»."""
    blocks: list[tuple[str, object]] = []
    for line in docx_text(data, CELL_BREAK).splitlines():
        if " | " in line:
            # each cell its lines: «ПРИНЯТО» above «на заседании…», not «ПРИНЯТОна заседании»
            cells = [
                [part.strip() for part in cell.split(CELL_BREAK) if part.strip()]
                for cell in line.split(" | ")
            ]
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(cells)  # type: ignore[union-attr]
            else:
                blocks.append(("table", [cells]))
        elif line.strip():
            blocks.append(("p", line.replace(CELL_BREAK, " ")))
    blocks += [("p", f"{where}: {line}") for where, line in margin_text(data)]
    return blocks
