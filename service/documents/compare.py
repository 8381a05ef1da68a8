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
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    changes: list[ChangedLine] = []
    for group in matcher.get_grouped_opcodes(context):
        if changes:
            changes.append(ChangedLine("…", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                changes.extend(ChangedLine(" ", line) for line in before[i1:i2])
                continue
            changes.extend(ChangedLine("-", line) for line in before[i1:i2])
            changes.extend(ChangedLine("+", line) for line in after[j1:j2])
    return changes
