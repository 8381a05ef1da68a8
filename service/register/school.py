"""One home is one school: the first «Организация» fixes the school, by ИНН when given, else
by the full name. A workbook of another school is refused before anything changes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.intake import model as wb
from service.register.index import name_key
from service.register.records import OrganizationRecord, read_one


def the_school(session: Session) -> OrganizationRecord | None:
    """The school of this register (its one «Организация» row, read with SQLAlchemy Core: a
    batch asks it and configures no ORM mapper), or None before the first workbook."""
    return read_one(session, OrganizationRecord, 1)


def same_school(registered: OrganizationRecord, full_name: str, inn: str | None) -> bool:
    """True if a workbook's school (its full name and ИНН) is the school of this register
    (its requisites may have changed: the same ИНН with another name is the same school)."""
    if registered.inn and inn:
        # «105012345» is «0105012345» read from a number cell that lost the leading zero
        return _digits(registered.inn).lstrip("0") == _digits(inn).lstrip("0")
    return name_key(registered.full_name) == name_key(full_name)


def other_school_message(session: Session, incoming: wb.Organization | None) -> str | None:
    """Why a workbook of another school is refused (naming both schools), or None."""
    registered = the_school(session)
    if (
        registered is None
        or incoming is None
        or same_school(registered, incoming.full_name, incoming.inn)
    ):
        return None
    theirs = _described(incoming.full_name, incoming.inn)
    ours = _described(registered.full_name, registered.inn)
    return (
        f"Книга другой школы: в ней {theirs}, а в этой рабочей папке ведутся документы "
        f"школы {ours}. "
        "Одна рабочая папка — одна школа: документы другой школы ведите в её собственной "
        "рабочей папке. Если школа та же, а изменилось её наименование, укажите в книге ИНН "
        "школы."
    )


def _described(full_name: str, inn: str | None) -> str:
    return f"«{full_name}»" + (f" (ИНН {inn})" if inn else "")


def _digits(inn: str) -> str:
    return "".join(ch for ch in inn if ch.isdigit())
