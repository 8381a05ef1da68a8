"""A document whose template alone changed and which prints the same with it makes no new
version (:func:`service.versions._new_versions`).

A changed template gives a new version to each document not signed yet (docs/templates.md):
one whose paper is being signed loses it — its scan is refused, «заменён новой версией»
(review19). A release that adds words under a condition (replaced22: «…, с 03.12.2026; до
этого — Белова Е.В.» for a pair whose mentor was replaced) made every unsigned order on pairs,
pair's report and final report of every school again, each printing what it printed. So the
new template is asked to render the version's own context: the same bytes as the version
stored, and the version stands (and the answer is kept, as for a change of data the text does
not show); any difference — a word, a font, a margin — makes the new version as before.
"""

from __future__ import annotations

from typing import Any

from service.config import Settings
from service.documents.parallel import render_many
from service.documents.planning import PlannedDocument
from service.documents.render import render_document
from service.restored import comparable, compared_contexts
from service.store import FileStore

GROUP = 50
"""Documents rendered at a time (as :data:`service.versions.UNSEEN_GROUP`)."""


def only_template_changed(latest: Any, digest: str, template: str) -> bool:
    """Whether ``latest`` was made from the same data (``digest``) with another template than
    ``template``, and kept its context."""
    return (
        latest.context_sha256 == digest
        and bool(latest.template_sha256)
        and latest.template_sha256 != template
        and not latest.context_missing
    )


def printed_as_stored(settings: Settings, items: list[tuple[PlannedDocument, Any]]) -> list[bool]:
    """For each (planned item, its latest version): whether the template in use renders the
    version's context (the planned one with the version's ``doc``) to the bytes stored."""
    store = FileStore(settings.store_dir)
    answers: list[bool] = []
    for start in range(0, len(items), GROUP):
        group = [(item, latest, latest.context) for item, latest in items[start : start + GROUP]]
        jobs = [
            (item.kind, compared_contexts(item, kept, latest)[0])
            for item, latest, kept in group
            if comparable(kept)  # not a version a destruction act emptied
        ]
        rendered = render_many(settings, jobs, render=render_document, share=True)
        answers += [
            comparable(kept) and next(rendered) == store.get_if_intact(latest.sha256)
            for _, latest, kept in group
        ]
    return answers
