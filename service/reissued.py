"""Orders made again after the director signed them: each replaces the signed one.

An order whose content changed after it was signed this school year is a new order: it says
«Признать утратившим силу приказ … от … № …» (``doc.replaces``) and takes its own number; its
appendices signed with the replaced order are made again with it, to carry the new number.
:func:`~service.versions.generate_all` and the dry run ask alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from service.documents import canonical
from service.documents.planning import PlannedDocument
from service.register.batches import SIGNED_STATES, LatestVersion
from service.register.journal import last_signed_order


def replaced_orders(
    session: Session,
    planned: list[PlannedDocument],
    remake: list[bool],
    current: dict[tuple[str, str], LatestVersion],
) -> dict[int, dict[str, Any]]:
    """The orders made again after the director signed an earlier version of them this school
    year, by index in ``planned``: each is a new order replacing that one, and its
    ``doc.replaces`` (number, date) puts «Признать утратившим силу приказ от … № …» in it (the
    school's order journal keeps both). Last year's order ended with its year and is not named
    (nor is one never signed). Added after the comparison with the latest version (as
    ``doc.version`` is): it changes nothing the next workbook compares."""
    replaced = {}
    for index, item in enumerate(planned):
        if not (remake[index] and item.kind.is_order):
            continue
        if current.get((item.kind.id, item.subject_key)) is None:
            continue
        signed = last_signed_order(session, item.kind.id, item.subject_key)
        if signed is None or signed.context is None:
            continue
        year = canonical.loads(signed.context).get("org", {}).get("school_year")
        if year == item.context.get("org", {}).get("school_year"):
            replaced[index] = {"number": signed.number, "date": signed.reg_date}
    return replaced


def appendices_of_replaced(
    planned: list[PlannedDocument],
    remake: list[bool],
    current: dict[tuple[str, str], LatestVersion],
    replaced: dict[int, dict[str, Any]],
) -> set[int]:
    """The appendices (the regulation, the roadmap, the target model) whose text is unchanged
    but whose signed version is an appendix of an order that a new order now declares void:
    they are made again, to be signed with the new order and carry its number and date. Kept
    as signed, «Введено в действие приказом … № 1/26» named the order «Признать утратившим
    силу», and the new order had no appendices of its own."""
    orders = {planned[index].kind.id for index in replaced}
    forced = set()
    for index, item in enumerate(planned):
        if remake[index] or item.kind.appendix_of not in orders:
            continue
        latest = current.get((item.kind.id, item.subject_key))
        if latest is not None and latest.status in SIGNED_STATES:
            forced.add(index)
    return forced
