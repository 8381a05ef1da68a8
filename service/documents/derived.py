"""Values a template would otherwise compute, prepared from its context in code.

A school's secretary reads and edits the templates in Word (docs/templates.md), so a template
keeps plain variables, conditions and loops; lists such as «everyone the order names who must
sign that they have read it» are built here instead of in a chain of Jinja filters. Applied to
every planned document (:mod:`service.documents.planning`) and to the samples the check renders
(:mod:`service.documents.sample`), so both see the same keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from service.intake.normalise import person_key

ANXIETY = "Тревожность"
"""The one monitoring score where a decrease is the good direction."""


def unique_people(people: Iterable[dict[str, Any] | None]) -> list[dict[str, Any]]:
    """``people`` in order without repeats (by name, letter case ignored) and without None."""
    seen: set[str] = set()
    result = []
    for person in people:
        if not person:
            continue
        key = str(person.get("name", "")).casefold()
        if key not in seen:
            seen.add(key)
            result.append(person)
    return result


def _staff(people: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in people if p.get("is_staff")]


def acquainted(kind_id: str, context: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The school's employees an order names, who sign «С приказом ознакомлены» (not pupils,
    not outsiders, not the director who signs the order — a director who is also a mentor or
    the final event's responsible was asked to acknowledge her own order); None for a kind
    that is not such an order."""
    people = _named_in(kind_id, context)
    if people is None:
        return None
    director = (context.get("director") or {}).get("name")
    if not director:
        return people
    return [p for p in people if person_key(str(p["name"])) != person_key(str(director))]


def _named_in(kind_id: str, context: dict[str, Any]) -> list[dict[str, Any]] | None:
    curator = context.get("curator")
    if kind_id == "order_implementation":
        return unique_people([curator])
    if kind_id == "order_coordinators":
        return unique_people([context.get("coordinator"), curator])
    if kind_id == "order_training":
        return unique_people([curator, *_staff(context.get("mentors", []))])
    if kind_id == "order_pairs":
        pairs = context.get("pairs", [])
        mentors = _staff(p["mentor"] for p in pairs)
        mentees = _staff(m for p in pairs for m in p["mentees"])
        return unique_people([curator, *mentors, *mentees])
    if kind_id == "order_final_event":
        mentors = _staff(context.get("mentors", []))  # item 5 gives them a duty
        return unique_people([{"name": context["event"]["responsible"]}, curator, *mentors])
    return None


def derived_values(kind_id: str, context: dict[str, Any]) -> dict[str, Any]:
    """The prepared values for a document of ``kind_id`` with ``context`` (new keys only)."""
    extra: dict[str, Any] = {}
    people = acquainted(kind_id, context)
    if people is not None:
        extra["acquainted"] = people
    if kind_id == "order_pairs":
        extra["has_external_mentors"] = any(
            p["mentor"].get("is_external") for p in context.get("pairs", [])
        )
    if kind_id == "program":
        extra["has_requests"] = any(m.get("request") for m in context["pair"]["mentees"])
    if kind_id == "target_model":
        extra["form_names"] = [form["name"] for form in context.get("forms", [])]
    if kind_id == "report_pair":
        extra["has_anxiety"] = any(s["label"] == ANXIETY for s in context["result"]["scores"])
    if kind_id == "report_final":
        extra["has_anxiety"] = any(s["label"] == ANXIETY for s in context.get("monitoring", []))
    return extra
