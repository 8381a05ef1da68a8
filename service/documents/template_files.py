"""Which template a kind is rendered from: the school's own or the shipped one.

A school words its documents its own way: ``<home>/templates/<kind>.docx``, when present, is
used instead of ``templates_docx/<kind>.docx`` (:func:`template_file`). A template gets there
only through :func:`install_template`, after :func:`check_template_data` found nothing wrong,
and leaves through :func:`reset_template`; both are ledger events (kind, SHA-256, who), and
the file is kept in the store under its SHA-256 as well, so the version a document was made
from can always be found again.

Listing the templates (:func:`list_templates`) reads the register without the ORM and takes
the check's verdicts from :mod:`service.documents.verdicts`, so ``nastavnik templates list``
loads neither SQLAlchemy nor the checker's libraries when nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from service.config import Settings
from service.documents.catalogue import BY_ID, KINDS, Kind
from service.documents.problem import Problem
from service.documents.verdicts import CACHE_NAME, template_verdicts
from service.errors import BadInput, NotFound
from service.home import one_writer
from service.register.listings import template_changes
from service.store import FileStore, atomic_write, sha256_bytes

if TYPE_CHECKING:  # the listing needs neither the ORM nor the checker (issue 15)
    from sqlalchemy.orm import Session

    from service.register.reading import Rows

INSTALLED = "template_installed"
RESET = "template_reset"
SHIPPED = "стандартный"
SCHOOL = "школы"
TEMPLATE_WAIT = 10.0
"""Seconds a template change waits for a batch in progress before it is refused (Busy):
less than the register's busy timeout, so a request holding a write never stalls the batch."""


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


def school_template(settings: Settings, kind: Kind) -> Path:
    """Where the school's own template of ``kind`` lives (it may not exist)."""
    return settings.school_templates / f"{kind.id}.docx"


def template_file(where: Path | Settings, kind: Kind) -> Path:
    """The template ``kind`` is rendered from. ``where`` is a home's settings — the school's
    own template if installed (``<home>/templates/<kind>.docx``), else the shipped one — or a
    plain folder of templates (tests, the benchmark)."""
    if isinstance(where, Path):
        return where / kind.template
    own = school_template(where, kind)
    return own if own.is_file() else where.templates_dir / kind.template


def list_templates(read: Rows, settings: Settings, check: bool = True) -> list[TemplateState]:
    """Every kind's template in use, with its last install or reset (read from the register
    by ``read``: :mod:`service.register.reading`) and (``check``) the check's verdict."""
    last = template_changes(read, INSTALLED, RESET)
    files = []
    for kind in KINDS:
        path = template_file(settings, kind)
        files.append((kind, path, path.read_bytes()))
    verdicts = (
        template_verdicts(
            settings.var / "cache" / CACHE_NAME,
            [(k.id, d) for k, _, d in files],
            settings.templates_dir,
        )
        if check
        else [()] * len(files)
    )
    states = []
    for (kind, path, data), problems in zip(files, verdicts, strict=True):
        change = last.get(kind.id)
        states.append(
            TemplateState(
                kind=kind,
                source=SCHOOL if path == school_template(settings, kind) else SHIPPED,
                path=path,
                sha256=sha256_bytes(data),
                changed_at=change.at if change else None,
                changed_by=change.actor if change else "",
                problems=problems,
            )
        )
    return states


def install_template(
    session: Session,
    settings: Settings,
    kind_id: str,
    data: bytes,
    actor: str,
    on_wait: Callable[[], None] | None = None,
    *,
    replace: bool = True,
) -> list[Problem]:
    """Install ``data`` as the school's template of ``kind_id`` if the check finds nothing;
    returns the problems (nothing is changed then). The caller commits the ledger event.
    ``on_wait``: called once if a batch holds the register's turn (see :func:`one_writer`).

    Over a school template already there: the same bytes are installed already (a double
    click: nothing is written, no second ledger entry); other bytes replace it only with
    ``replace`` (the page's «Заменить шаблон школы»), else :class:`BadInput`. Both decided in
    the turn, so two uploads at once cannot both find no school template."""
    from service.documents.check import check_template_data
    from service.register.events import append_event

    kind = kind_of(kind_id)
    problems = check_template_data(data, kind.id, settings.templates_dir)
    if problems:
        return problems
    # never in the middle of a batch
    with one_writer(settings, wait=TEMPLATE_WAIT, on_wait=on_wait):
        own = school_template(settings, kind)
        if own.is_file():
            if own.read_bytes() == data:
                return []
            if not replace:
                raise BadInput(
                    f"Для «{kind.title}» уже поставлен шаблон школы: чтобы заменить его, "
                    "отметьте «Заменить шаблон школы». Ничего не изменено."
                )
        sha = FileStore(settings.store_dir).put(data)
        append_event(session, INSTALLED, actor=actor, details={"kind": kind.id, "sha256": sha})
        session.flush()
        atomic_write(school_template(settings, kind), data)
    return []


def reset_template(
    session: Session,
    settings: Settings,
    kind_id: str,
    actor: str,
    on_wait: Callable[[], None] | None = None,
) -> bool:
    """Go back to the shipped template of ``kind_id``; False if the school had none.
    ``on_wait`` as in :func:`install_template`."""
    from service.register.events import append_event

    kind = kind_of(kind_id)
    own = school_template(settings, kind)
    if not own.is_file():
        return False
    # never in the middle of a batch
    with one_writer(settings, wait=TEMPLATE_WAIT, on_wait=on_wait):
        sha = sha256_bytes(shipped_template(settings, kind).read_bytes())
        append_event(
            session,
            RESET,
            actor=actor,
            details={
                "kind": kind.id,
                "sha256": sha,
                "removed_sha256": sha256_bytes(own.read_bytes()),
            },
        )
        session.flush()
        own.unlink()
    return True
