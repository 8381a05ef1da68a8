"""Which template a kind is rendered from: the school's own or the shipped one.

A school words its documents its own way: ``<home>/templates/<kind>.docx``, when present, is
used instead of ``templates_docx/<kind>.docx`` (:func:`template_path`). A template gets there
only through :func:`install_template`, after :func:`check_template_data` found nothing wrong,
and leaves through :func:`reset_template`; both are ledger events (kind, SHA-256, who), and
the file is kept in the store under its SHA-256 as well, so the version a document was made
from can always be found again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from service.config import Settings
from service.documents.catalogue import BY_ID, KINDS, Kind
from service.documents.check import Problem, check_template_data
from service.documents.render import school_template, template_file
from service.errors import NotFound
from service.register.events import append_event
from service.register.queries import template_events
from service.store import FileStore, atomic_write, sha256_bytes

INSTALLED = "template_installed"
RESET = "template_reset"
SHIPPED = "стандартный"
SCHOOL = "школы"


class UnknownKind(NotFound):
    """A kind the catalogue does not have (its message is in Russian)."""


@dataclass(frozen=True)
class TemplateState:
    """What a kind is rendered from now, and the last change of it."""

    kind: Kind
    source: str
    """:data:`SHIPPED` or :data:`SCHOOL`."""
    path: Path
    sha256: str
    changed_at: datetime | None = None
    """When the school's template was installed or the kind was reset (None: never)."""
    changed_by: str = ""
    problems: tuple[Problem, ...] = ()
    """The check's verdict on the template in use (empty: fine)."""


def kind_of(kind_id: str) -> Kind:
    """The catalogue kind ``kind_id``; :class:`UnknownKind` names the possible ones."""
    kind = BY_ID.get(kind_id)
    if kind is None:
        raise UnknownKind(f"Неизвестный вид документа «{kind_id}». Возможные: {', '.join(BY_ID)}.")
    return kind


def shipped_template(settings: Settings, kind: Kind) -> Path:
    """The standard template of ``kind`` shipped with the service."""
    return settings.templates_dir / kind.template


def template_path(settings: Settings, kind: Kind) -> Path:
    """The template ``kind`` is rendered from: the school's own if installed, else shipped."""
    return template_file(settings, kind)


_verdicts: dict[tuple[str, str], tuple[Problem, ...]] = {}


def verdict(kind_id: str, data: bytes) -> tuple[Problem, ...]:
    """The check's problems of template ``data`` as ``kind_id``, remembered by SHA-256 for the
    life of the process (checking all fifteen takes seconds; a page lists them every time)."""
    key = (kind_id, sha256_bytes(data))
    if key not in _verdicts:
        _verdicts[key] = tuple(check_template_data(data, kind_id))
    return _verdicts[key]


def list_templates(session: Session, settings: Settings, check: bool = True) -> list[TemplateState]:
    """Every kind's template in use, with its last install or reset and (``check``) the
    check's verdict."""
    last = {}
    for event in template_events(session):
        last[event.details.get("kind")] = event
    states = []
    for kind in KINDS:
        path = template_path(settings, kind)
        data = path.read_bytes()
        event = last.get(kind.id)
        problems = verdict(kind.id, data) if check else ()
        states.append(
            TemplateState(
                kind=kind,
                source=SCHOOL if path == school_template(settings, kind) else SHIPPED,
                path=path,
                sha256=sha256_bytes(data),
                changed_at=event.at if event else None,
                changed_by=event.actor if event else "",
                problems=problems,
            )
        )
    return states


def install_template(
    session: Session, settings: Settings, kind_id: str, data: bytes, actor: str
) -> list[Problem]:
    """Install ``data`` as the school's template of ``kind_id`` if the check finds nothing;
    returns the problems (nothing is changed then). The caller commits the ledger event."""
    kind = kind_of(kind_id)
    problems = check_template_data(data, kind.id)
    if problems:
        return problems
    sha = FileStore(settings.store_dir).put(data)
    append_event(session, INSTALLED, actor=actor, details={"kind": kind.id, "sha256": sha})
    session.flush()
    atomic_write(school_template(settings, kind), data)
    return []


def reset_template(session: Session, settings: Settings, kind_id: str, actor: str) -> bool:
    """Go back to the shipped template of ``kind_id``; False if the school had none."""
    kind = kind_of(kind_id)
    own = school_template(settings, kind)
    if not own.is_file():
        return False
    sha = sha256_bytes(shipped_template(settings, kind).read_bytes())
    append_event(
        session,
        RESET,
        actor=actor,
        details={"kind": kind.id, "sha256": sha, "removed_sha256": sha256_bytes(own.read_bytes())},
    )
    session.flush()
    own.unlink()
    return True
