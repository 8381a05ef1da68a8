"""One thing wrong with a template (:class:`Problem`), apart from the checker that finds it
(:mod:`service.documents.check`, which loads docxtpl, Jinja and lxml): a remembered verdict
(:mod:`service.documents.verdicts`) is shown without loading any of them."""

from __future__ import annotations

from dataclasses import dataclass

_SHOWN = 160
"""Characters of a paragraph quoted in a message."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a template, in Russian, and where: the paragraph's text."""

    message: str
    paragraph: str = ""

    def __str__(self) -> str:
        if not self.paragraph:
            return self.message
        shown = self.paragraph if len(self.paragraph) <= _SHOWN else self.paragraph[:_SHOWN] + "…"
        return f"{self.message} — в абзаце «{shown}»"
