"""Content put back to what was signed: the drafts after the signed version are withdrawn.

A workbook changed a signed document (a new curator: version 2 awaits the director's
signature, declaring the signed order void), and the next one puts the signed content back
(the change was a mistake). A new version would be the order in force made again, declaring
itself void, and the director would sign again what she had signed. Instead no version is
made: the unsigned versions after the signed one are withdrawn (superseded: they leave the
queue) and the signed version is the current one again, as it was signed (file, number,
signatures). :func:`~service.versions.generate_all` and the dry run ask :func:`restorable`
alike; only the batch calls :func:`withdraw`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from service.config import Settings
from service.documents import canonical
from service.documents.catalogue import Kind
from service.documents.context import glued_initials
from service.documents.derived import derived_values
from service.documents.parallel import render_many
from service.documents.planning import PlannedDocument
from service.documents.render import render_document
from service.register.batches import (
    DRAFT_STATES,
    SIGNED_STATES,
    LatestVersion,
    contexts_of,
    last_partly_signed_versions,
    last_signed_versions,
    revive,
    withdraw_drafts,
)
from service.register.destroyed import emptied
from service.register.events import NewEvent
from service.register.labels import WITHDRAWN_EVENT
from service.register.models import DocumentStatus

WITHDRAWN = WITHDRAWN_EVENT
"""The ledger event of each withdrawn draft."""


def restorable(
    settings: Settings,
    session: Session,
    planned: list[PlannedDocument],
    digests: list[str],
    current: dict[tuple[str, str], LatestVersion],
    remake: list[bool],
) -> dict[int, Any]:
    """The planned documents (by index) whose content is that of their last signed version
    while a later version nobody signed is their latest: each with that signed version (id,
    version). An appendix of an order (roadmap, regulation, target model) only with its order:
    made again with a new order, its draft stays while that order stands. Content whose
    data differ from the signed version's only where its text does not show them counts as
    the same (both rendered and compared, as :func:`~service.versions._new_versions` does
    with the latest version)."""
    candidates = {}
    for index, item in enumerate(planned):
        latest = current.get((item.kind.id, item.subject_key))
        if latest is None or latest.has_signatures:
            continue
        if latest.status in DRAFT_STATES or latest.status == DocumentStatus.SUPERSEDED:
            candidates[index] = (item.kind.id, item.subject_key)
    signed = last_signed_versions(session, candidates.values())
    partly = last_partly_signed_versions(session, candidates.values())
    found = {}
    unseen = {}  # other data, maybe the same text (a goal the order on pairs does not print)
    for index, key in candidates.items():
        # the version in force, or a newer one signed by some, superseded before the others
        # signed (a contract signed by the director, awaiting the mentor): hers is kept too
        targets = [v for v in (partly.get(key), signed.get(key)) if v is not None]
        if key in signed and key in partly and partly[key].version < signed[key].version:
            targets = [signed[key]]
        for version in targets:
            if version.context_sha256 == digests[index]:
                found[index] = version
                break
        else:
            if remake[index] and targets:
                unseen[index] = targets[0]
    for index in _same_text(settings, session, planned, unseen):
        found[index] = unseen[index]
    orders = {item.kind.id: index for index, item in enumerate(planned) if item.kind.is_order}
    for index in list(found):
        order = orders.get(planned[index].kind.appendix_of or "")
        if order is None or order in found:
            continue
        latest = current.get((planned[order].kind.id, planned[order].subject_key))
        if latest is None or latest.status not in SIGNED_STATES or remake[order]:
            del found[index]  # its order's new version stands, or is made now
    return found


def _same_text(
    settings: Settings, session: Session, planned: list[PlannedDocument], signed: dict[int, Any]
) -> list[int]:
    """Which of the planned documents (by index) would print the text of their ``signed``
    version: the new context rendered with the signed one's ``doc``, and the signed one."""
    kept = contexts_of(session, [version.id for version in signed.values()])
    compared = []
    jobs: list[tuple[Any, dict[str, Any]]] = []
    for index, version in signed.items():
        if not comparable(kept.get(version.id)):
            continue
        ours, old = compared_contexts(planned[index], kept[version.id], version)
        jobs += [(planned[index].kind, ours), (planned[index].kind, old)]
        compared.append(index)
    rendered = render_many(settings, jobs, render=render_document, share=True)
    return [index for index in compared if next(rendered) == next(rendered)]


def comparable(kept: str | None) -> bool:
    """Whether a version's kept context can be rendered to compare with: kept (a version made
    by release 0.1 has none) and not emptied by a destruction act, which leaves of it only the
    school year, the guardian flag and the act (:func:`service.register.destroyed.
    empty_contexts`) — what it printed went with its file. A workbook naming a destroyed
    document's person, pair or school again years later stopped at it (KeyError 'doc')."""
    return kept is not None and not emptied(kept)


def compared_contexts(
    item: PlannedDocument, kept: str, version: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The contexts whose renders tell whether ``item`` would print the text of ``version``
    (its context ``kept``, canonical JSON): the new one with the old ``doc``, and the old one.
    Asked of the latest version (:func:`~service.versions._new_versions`) and of the signed
    version a draft would be withdrawn for (:func:`restorable`) alike.

    A version the director has signed (or one signed by the others it is for, naming the
    director only as its addressee: :func:`stands_signed`) is compared as if the director were
    still the one who signed it: a new director (the workbook's «Руководитель (ФИО)») does not
    make the orders, the regulation, the programmes and the contracts his predecessor signed
    again — they were acts of the school when signed and stay in force, signed by her. Before,
    a new director got every one of them to sign again, the orders as new orders voiding the
    signed ones, and a programme or contract awaiting paper signatures lost hers. Her name is
    put back with what follows from it (who acknowledges an order: :func:`derived_values`); any
    other change still makes a new version, which names the new director. (A workbook that
    put back the signed content and named the new director at once made a third version for
    the new director to sign, while either change alone made none.)"""
    old = canonical.loads(kept)
    new = canonical.loads(canonical.dumps(item.context))
    ours = _school_name_as_kept({**new, "doc": old["doc"]}, old)
    director = new.get("director")
    if stands_signed(item.kind, version) and old.get("director", director) != director:
        ours["director"] = old["director"]
        ours |= derived_values(item.kind.id, ours)
    if stands_signed(item.kind, version):
        ours = _replacements_as_kept(_posts_as_signed(ours, old), old)
        ours |= derived_values(item.kind.id, ours)
    if _same_people(ours.get("mentors"), old.get("mentors")) or (
        stands_signed(item.kind, version) and _fewer_trained(item.kind, ours, old)
    ):
        ours["mentors"] = old["mentors"]
        ours |= derived_values(item.kind.id, ours)
    return ours, old


def _school_name_as_kept(new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """``new`` with the school's short name ``old`` was made with, when the two differ only by
    the no-break spaces after «им.» and the initials (:func:`~service.documents.context.
    glued_initials`, which a version made by an earlier release does not have). Without it the
    first workbook after the upgrade made every document of a school «… им. А. М. Матросова»
    again — the signed orders as new orders voiding them — for spaces that print the same words.
    A version made since keeps the no-break spaces; any other change of the name still tells."""
    org, kept = new.get("org"), old.get("org")
    if not isinstance(org, dict) or not isinstance(kept, dict):
        return new
    name, was = org.get("short_name"), kept.get("short_name")
    if not isinstance(was, str) or name == was or glued_initials(was) != name:
        return new
    return {**new, "org": {**org, "short_name": was}}


REPLACED = "replaced_mentors"
"""A pair's mentors replaced in its term (:func:`~service.documents.replacement.with_mentors`)."""


def _replacements_as_kept(new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """``new`` without its pairs' ``replaced_mentors`` when the signed version ``old`` was made
    before contexts had them (no pair of it has the key): the pair's report, the order on pairs
    and the final report a release before replaced22 made named only the mentor of now; now
    they name whom she replaced and since when — in the versions made from now on. A signed one
    stays as signed (the order as an act of its day, the report the mentor signed on paper):
    the upgrade alone is no reason to sign them again. Any other change still makes a new
    version, which names them."""

    def has(pair: Any) -> bool:
        return isinstance(pair, dict) and REPLACED in pair

    def strip(pair: Any) -> Any:
        return {k: v for k, v in pair.items() if k != REPLACED} if has(pair) else pair

    kept = [old.get("pair"), *(old.get("pairs") or ())]
    if any(has(pair) for pair in kept):
        return new
    stripped = dict(new)
    if "pair" in new:
        stripped["pair"] = strip(new["pair"])
    if isinstance(new.get("pairs"), list):
        stripped["pairs"] = [strip(pair) for pair in new["pairs"]]
    return stripped


POST_KEYS = ("position", "post")
"""What a participant's «Должность или класс» gives a context (:func:`~service.documents.context.
person_context`)."""


def _posts_as_signed(new: Any, old: dict[str, Any]) -> Any:
    """``new`` with each participant (a mentor or mentee: a name and a birth date) whose
    position or class alone differs from the signed version ``old`` given the signed one.
    play15: a mentor made «советник директора по воспитанию» in March made the signed order on
    pairs and the training order (held in October) new orders voiding the signed ones, and the
    pair's programme the director had approved, all to sign again; what was signed was true
    when signed and stays in force, as under a new director. Documents made or signed later
    (an unsigned consent, any new version) print the new position."""
    signed: dict[str, dict[str, Any]] = {}

    def key(person: dict[str, Any]) -> str | None:
        if "name" not in person or "birth_date" not in person:
            return None
        return canonical.dumps([person["name"], person["birth_date"]])

    def rest(person: dict[str, Any]) -> str:
        return canonical.dumps({k: v for k, v in person.items() if k not in POST_KEYS})

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            if (found := key(value)) is not None:
                signed.setdefault(found, value)
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    def put_back(value: Any) -> Any:
        if isinstance(value, list):
            return [put_back(item) for item in value]
        if not isinstance(value, dict):
            return value
        was = signed.get(key(value) or "")
        if was is not None and rest(was) == rest(value):
            return {**value, **{k: was[k] for k in POST_KEYS if k in was}}
        return {k: put_back(item) for k, item in value.items()}

    collect(old)
    return put_back(new)


def _same_people(new: Any, old: Any) -> bool:
    """Whether two lists of people (the «mentors» of the orders on training and on the final
    event) hold the same people in another order: a version listed them in the order of an
    earlier release (play15: «Ёлкина» first, before «Ё» read as «Е»); the order alone is no
    reason to sign the order again, voiding the signed one."""
    if not isinstance(new, list) or not isinstance(old, list) or new == old:
        return False
    return sorted(map(canonical.dumps, new)) == sorted(map(canonical.dumps, old))


def _fewer_trained(kind: Kind, new: dict[str, Any], old: dict[str, Any]) -> bool:
    """Whether the training order ``new`` lists only mentors the signed one ``old`` lists, and
    not all of them: a mentor whose pair began (or was taken over) after the last session is no
    longer listed (d5348bc, f99cbdf), but one a signed order sent to the sessions was sent, as a
    replaced mentor stays listed. An upgrade made a school's signed order listing a mentor of a
    pair begun in December a new order voiding it (review17); so did a pair's start moved past
    the sessions. Anything else changed in the order still makes it again, with the list of
    now."""
    if kind.id != "order_training":
        return False
    listed, signed = new.get("mentors"), old.get("mentors")
    if not isinstance(listed, list) or not isinstance(signed, list) or not listed:
        return False
    kept = set(map(canonical.dumps, signed))
    return len(listed) < len(signed) and all(canonical.dumps(m) in kept for m in listed)


def stands_signed(kind: Kind, version: Any) -> bool:
    """Whether a version stays as signed under a new director: the director has signed it, or
    it is not hers to sign and someone has (a mentor's consent addressed to the director, signed
    on paper: the mentor gave it, she does not give it again). A version awaiting the director
    that others signed (the final report the curator signed) is made again: the former
    director will not sign it. ``version``: a row with ``director_signed`` and
    ``has_signatures`` (:func:`~service.register.batches.latest_versions`,
    :func:`~service.register.batches.last_signed_versions`)."""
    if version.director_signed:
        return True
    return bool(version.has_signatures) and "director" not in kind.signers


def has_drafts(latest: LatestVersion) -> bool:
    """Whether a restorable document's latest version is a draft to withdraw (not one
    withdrawn by an earlier batch)."""
    return latest.status in DRAFT_STATES


def withdraw(
    session: Session,
    planned: list[PlannedDocument],
    restored: dict[int, Any],
    actor: str,
    batch_id: int | None,
) -> list[NewEvent]:
    """Withdraw the drafts after each ``restored`` document's signed version; return the
    ledger events saying so, one per withdrawn draft."""
    events = []
    for index, signed in sorted(restored.items()):
        item = planned[index]
        if signed.status == DocumentStatus.SUPERSEDED:  # signed by some: awaits the others
            revive(session, signed.id)
        for draft in withdraw_drafts(session, item.kind.id, item.subject_key, signed.version):
            details = {
                "kind": item.kind.id,
                "title": item.kind.title,
                "subject": item.subject_label,
                "version": draft.version,
                "current_version": signed.version,
            }
            events.append(NewEvent(WITHDRAWN, actor, batch_id, draft.id, details))
    return events
