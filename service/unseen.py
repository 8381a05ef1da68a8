"""Changes a document's text does not show, remembered from one batch to the next.

A planned document whose context differs from its latest version's is rendered twice to tell
whether its text would change (:func:`service.versions._new_versions`); when it would not, the
version is kept with the context it was made from — so the next batch finds the same
difference and renders both again, and so does every batch after it. After a change every
document's context holds and few print (the school's address, «Всего педагогов»), each later
workbook of the school, even one changing nothing, cost L (3,094 documents) 15.9 s of CPU
instead of 5.8 s, for good.

The answer depends only on the version (the context stored with it, never changed), the new
context's SHA-256, the template's and the renderer's code
(:func:`service.documents.jinja_cache.version`); so the answers «the text would not change» of
the last batch are kept in ``var/unseen-changes.json``. Each batch plans every document of
the register, so the file keeps at most one answer per current document; a lost or damaged
file only costs the renders again."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from service.documents import jinja_cache
from service.store import atomic_write

log = logging.getLogger(__name__)

FILE_NAME = "unseen-changes.json"


class UnseenChanges:
    """The answers kept in ``var`` and those this batch gives (:meth:`save` keeps them)."""

    def __init__(self, var: Path) -> None:
        self.path = var / FILE_NAME
        self.code = jinja_cache.version()
        self.kept = _read(self.path)
        self.found: set[str] = set()

    def key(self, document_id: int, digest: str, template: str) -> str:
        """The question: does version ``document_id`` render as the context of ``digest``
        would, with the template of SHA-256 ``template``, by this renderer?"""
        return f"{document_id} {digest} {template} {self.code}"

    def known(self, key: str) -> bool:
        """True if an earlier batch found that the text would not change (and now this one)."""
        if key in self.kept:
            self.found.add(key)
            return True
        return False

    def remember(self, key: str) -> None:
        """The text would not change: found by rendering both."""
        self.found.add(key)

    def save(self) -> None:
        """Keep this batch's answers for the next one (when they differ from those kept)."""
        if self.found == self.kept:
            return
        try:
            atomic_write(self.path, json.dumps(sorted(self.found)).encode(), durable=False)
        except OSError:  # an optimisation: the next batch renders again
            log.warning("не записан %s", self.path, exc_info=True)
        self.kept = set(self.found)


def _read(path: Path) -> set[str]:
    try:
        found = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return set()
    if not isinstance(found, list):
        return set()
    return {key for key in found if isinstance(key, str)}
