"""Jinja filters and the context every page gets: dates and names in Russian form, status and
role names, the school's short name and the menu of the signed-in user's roles."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from flask import Flask, current_app
from flask_login import current_user

from service.documents import russian
from service.documents.catalogue import BY_ID
from service.documents.catalogue import SIGNER_NAMES as SIGNER_ROLE_NAMES
from service.documents.filters import capfirst, sentence_filter
from service.intake.model import warnings_part
from service.progress import read_progress
from service.register.destroyed import earlier_versions
from service.register.labels import STATUS_NAMES
from service.register.models import Batch, BatchStatus, Document, Signature
from service.register.returns import ThreadEntry
from service.register.states import destroyed_ids, state_names
from service.register.succession import replaced_in_year
from service.register.users import ROLE_NAMES
from service.signing.paper import signed_as
from service.signing.workflow import document_label
from service.web.lookups import db, organization

if TYPE_CHECKING:  # imported where used: cryptography is slow to load
    from cryptography import x509

BATCH_STATUS_NAMES = {
    BatchStatus.PROCESSING: "обрабатывается",
    BatchStatus.DONE: "обработан",
    BatchStatus.REJECTED: "отклонён",
    BatchStatus.FAILED: "ошибка обработки",
}
MENU: tuple[tuple[str, str, str], ...] = (
    ("secretary", "secretary.index", "Пакеты и сканы"),
    ("director", "director.index", "На подпись"),
    ("director", "director.signed", "Подписанные"),
    ("curator", "curator.index", "Все документы"),
    ("curator", "curator.pairs", "Пары"),
    ("curator", "director.index", "На подпись"),
    ("curator", "director.signed", "Подписанные"),
    ("inspector", "inspector.index", "Раздел 12"),
    ("inspector", "inspector.archive", "Архив"),
    ("inspector", "inspector.verify", "Проверка файла"),
    ("admin", "admin.index", "Администрирование"),
    ("admin", "templates.index", "Шаблоны"),
    ("admin", "exports.index", "Архив для проверки"),
)
APP_NAME = "Наставничество — документы"


def menu_of(roles: list[str]) -> list[tuple[str, str]]:
    """(endpoint, label) of the pages of these roles, each page once (the director who is
    also the curator has one «На подпись»)."""
    pages: dict[str, str] = {}
    for role, endpoint, label in MENU:
        if role in roles:
            pages.setdefault(endpoint, label)
    return list(pages.items())


def ru_date(value: date | datetime | None) -> str:
    """«01 сентября 2023 г.»; a moment gets its time: «01 сентября 2023 г., 14:05» — an aware
    one (a certificate's, kept in UTC) in this computer's time, as the register's others."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = local_moment(value)
        return f"{russian.format_date(value.date())}, {value:%H:%M}"
    return russian.format_date(value)


def local_moment(value: datetime) -> datetime:
    """``value`` in this computer's time, naive as the register's moments: an aware moment
    converted, a naive one as it is."""
    return value if value.tzinfo is None else value.astimezone().replace(tzinfo=None)


def utc(value: datetime | None) -> datetime | None:
    """A moment the register keeps as naive UTC (a signing key's validity), made aware, so
    that :func:`ru_date` shows it in local time."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def ru_initials(full_name: str | None) -> str:
    """«Кинякина Т.И.» (with a no-break space)."""
    return russian.initials(full_name) if full_name else "—"


def returned_by(entry: ThreadEntry, case: str = "nomn", short: bool = True) -> str:
    """Who returned a document, as the thread's ``entry`` (a return) records him: his role and
    name in ``case`` — «куратор Бутрина О.Н.», gent «куратора Бутриной О.Н.»; the full ФИО
    when not ``short``. Only the name when the role is unknown (an old entry of a user with
    both signing roles); a gone user's login as it is."""
    name = entry.name
    if name != entry.login:
        name = russian.inflect_name(name, case)
        name = russian.initials(name) if short else name
    if not entry.role:
        return name
    role = ROLE_NAMES.get(entry.role, entry.role)
    return f"{russian.inflect_position(role, case) if case != 'nomn' else role} {name}"


def quoted_sentence(text: str) -> str:
    """``text`` in «» ending a sentence: its own «?», «!» or «…» ends it, a «.» moves out of
    the quotes — never «…май.».»."""
    if text.endswith(("?", "!", "…", "...")):
        return f"«{text}»"
    return f"«{text.removesuffix('.')}»."


def document_status(status: str) -> str:
    return STATUS_NAMES.get(status, status)


def batch_status(status: str) -> str:
    return BATCH_STATUS_NAMES.get(status, status)


def role_name(role: str) -> str:
    return ROLE_NAMES.get(role, role)


def signer_role(role: str) -> str:
    return SIGNER_ROLE_NAMES.get(role, role)


def signature_role(signature: Signature, document: Document) -> str:
    """A recorded signature's role in Russian, as :func:`service.signing.paper.signed_as`."""
    return signed_as(document, signature.role, signature.signer_name)


def replacements(documents: list) -> dict:
    """For a table of documents: id → the later signed version of the same school year that
    replaced a signed one (an order signed again voids the first), read in one go."""
    return replaced_in_year(db(), list(documents))


def document_states(documents: list) -> dict[int, str]:
    """For a table of documents: id → its state as the office names it («подписан»,
    «уничтожен (акт № 1/28 от 01.01.2028)»: :func:`~service.register.states.state_names`),
    read in one go."""
    return state_names(db(), [d for d in documents if d is not None])


def destroyed_documents(documents: list) -> set[int]:
    """For a table of documents: the ids of those an act destroyed, and of their earlier
    versions (destroyed with them) — their files and signatures are gone, so the table links
    none: «DOCX», «.p7s» and «скан» of a destroyed document each opened «Не найдено»."""
    shown = [d for d in documents if d is not None]
    if not shown:
        return set()
    session = db()
    later = earlier_versions(session, [d.id for d in shown])
    return destroyed_ids(session, shown) | set(later)


def kind_title(kind: str) -> str:
    return BY_ID[kind].title if kind in BY_ID else kind


def batch_progress(batch: Batch) -> tuple[int, int]:
    """(done, total) of a batch: live from the pipeline's progress file while it runs."""
    if batch.status == "processing":
        live = read_progress(current_app.config["NASTAVNIK"].var, batch.id)
        if live is not None:
            return live
    return batch.documents_done, batch.documents_total


def certificate_owner(cert: x509.Certificate) -> str:
    """Whose certificate, as a person reads it: the organisation (the school, for its CA), else
    the common name — never the RFC 4514 string of OIDs."""
    from cryptography.x509.oid import NameOID

    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        found = cert.subject.get_attributes_for_oid(oid)
        if found:
            return str(found[0].value)
    return cert.subject.rfc4514_string()


def fingerprint(cert: x509.Certificate) -> str:
    """The certificate's SHA-256 fingerprint, in pairs of hex digits (for «подробнее»)."""
    from cryptography.hazmat.primitives import hashes

    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def may_open(endpoint: str) -> bool:
    """Whether the signed-in user holds a role the view ``endpoint`` requires: a page links
    only what its reader may open (the returned card's DOCX is not the administrator's)."""
    roles = getattr(current_app.view_functions.get(endpoint), "required_roles", None)
    return bool(current_user.is_authenticated and roles is not None and current_user.roles & roles)


def init_app(app: Flask) -> None:
    app.add_template_filter(certificate_owner, "certificate_owner")
    app.add_template_filter(fingerprint, "fingerprint")
    app.add_template_global(batch_progress, "batch_progress")
    app.add_template_global(may_open, "may_open")
    app.add_template_filter(ru_date, "ru_date")
    app.add_template_filter(utc, "utc")
    app.add_template_filter(ru_initials, "initials")
    app.add_template_filter(returned_by, "returned_by")
    app.add_template_filter(document_status, "document_status")
    app.add_template_filter(batch_status, "batch_status")
    app.add_template_filter(role_name, "role_name")
    app.add_template_filter(signer_role, "signer_role")
    app.add_template_filter(signature_role, "signature_role")
    app.add_template_global(replacements, "replacements")
    app.add_template_global(document_states, "document_states")
    app.add_template_global(destroyed_documents, "destroyed_documents")
    app.add_template_filter(kind_title, "kind_title")
    app.add_template_filter(document_label, "document_label")
    app.add_template_filter(warnings_part, "warnings_part")
    # text typed in a workbook, shown as sentences: «выбран профиль» → «Выбран профиль.»
    app.add_template_filter(capfirst, "sentence_start")
    app.add_template_filter(sentence_filter, "sentence")
    # a comment quoted at a sentence's end: its own «.» moves out of the quotes («…протокола».)
    app.add_template_filter(quoted_sentence, "quoted_sentence")

    @app.context_processor
    def _page_context() -> dict:
        try:
            org = organization()
        except Exception:  # an error page must render even when the database is unwell
            org = None
        menu = []
        if current_user.is_authenticated:
            menu = menu_of(current_user.roles)
        return {
            "school": org.short_name if org else "",
            "app_name": APP_NAME,
            "menu": menu,
        }
