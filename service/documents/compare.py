"""What changed between two versions of a document: a line diff of their text (paragraphs
and table rows, as :func:`~service.documents.text.docx_text` reads them), for the director
to see before signing a new version of a document he returned."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class ChangedLine:
    """One line of the diff."""

    sign: str
    """``+`` added in the new version, ``-`` removed from the old one, ``…`` lines skipped."""
    text: str


def text_changes(old: str, new: str, *, context: int = 1) -> list[ChangedLine]:
    """The lines removed from ``old`` and added in ``new`` (blank lines ignored), with
    ``context`` unchanged lines around each change; empty when the texts agree."""
    before = [line for line in old.splitlines() if line.strip()]
    after = [line for line in new.splitlines() if line.strip()]
    # lines that differ only in no-break spaces read the same: a version made before the
    # renderer joined «5 А» (service/documents/typeset.py) is not «changed» in every such row
    matcher = difflib.SequenceMatcher(
        None, [_spaced(x) for x in before], [_spaced(x) for x in after], autojunk=False
    )
    changes: list[ChangedLine] = []
    for group in matcher.get_grouped_opcodes(context):
        if changes:
            changes.append(ChangedLine("…", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                changes.extend(ChangedLine(" ", line) for line in after[j1:j2])
                continue
            changes.extend(ChangedLine("-", line) for line in before[i1:i2])
            changes.extend(ChangedLine("+", line) for line in after[j1:j2])
    return changes


_NO_BREAK = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})


def _spaced(line: str) -> str:
    """``line`` with its no-break spaces as plain ones: what a reader of it sees."""
    return line.translate(_NO_BREAK)
