"""``nastavnik`` commands of the signing side: signers, the director's queue, signing,
returning and sending back for signature, verification, scans and the ledger. Wiring only:
the work is in service.signing."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from service.cli.common import DOCUMENT_ID, pass_settings, read_secrets
from service.config import Settings
from service.documents.catalogue import BY_ID
from service.errors import BadInput, Conflict


def org_name(settings: Settings) -> str | None:
    from service.register.db import session_scope
    from service.register.school import the_school

    with session_scope(settings.database_url) as session:
        org = the_school(session)
        return org.full_name if org else None


@click.group()
def signer() -> None:
    """Ключи подписи: выпуск, импорт, отзыв."""


_OTHER_NAME_REASON = click.option(
    "--other-name-reason",
    default="",
    help="Если ФИО не совпадает с записанным в реестре для роли (руководитель, куратор): "
    "почему сертификат всё же нужен на это ФИО. Записывается в журнал событий.",
)


@signer.command("add")
@click.option("--user", "login", required=True, help="Логин пользователя.")
@click.option(
    "--name",
    "full_name",
    default=None,
    help="ФИО полностью; по умолчанию — из реестра (руководитель или куратор школы).",
)
@click.option(
    "--position",
    default=None,
    help="Должность, например «Директор»; по умолчанию — из реестра.",
)
@click.option(
    "--role",
    type=click.Choice(["director", "curator"]),
    default=None,
    help="Роль ключа; по умолчанию — роль пользователя (руководитель или куратор), для нового "
    "логина — director.",
)
@_OTHER_NAME_REASON
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Читать со стандартного ввода две строки: пароль УЦ, затем пароль подписанта.",
)
@click.option(
    "--yes", is_flag=True, help="Не спрашивать подтверждения, если прежний ключ будет отозван."
)
@pass_settings
def signer_add(
    settings: Settings,
    login: str,
    full_name: str | None,
    position: str | None,
    role: str | None,
    other_name_reason: str,
    password_stdin: bool,
    yes: bool,
) -> None:
    """Выпустить сертификат подписанта (на год) от удостоверяющего центра школы. ФИО должно
    совпадать с записанным в реестре для роли (из книги школы)."""
    from service.register.db import session_scope
    from service.signing import authority
    from service.signing.certificate_names import certificate_name, check_key_owner, key_role
    from service.signing.signers import add_signer, valid_keys

    name = org_name(settings)
    if not authority.has_ca(settings.var):
        raise Conflict(
            "Удостоверяющий центр школы ещё не создан: выполните "
            '`nastavnik init --org "Полное наименование"`.'
        )
    with session_scope(settings.database_url) as session:  # refused before asking passwords
        role = key_role(session, login, role)
        checked = certificate_name(session, role, full_name, position, other_name_reason)
        check_key_owner(session, login, role, checked.full_name)
        working = [f"№ {k.serial} ({k.full_name})" for k in valid_keys(session, login, role)]
    if (
        working
        and not password_stdin
        and not yes
        and not click.confirm(
            f"У пользователя «{login}» есть действующий ключ {', '.join(working)}: новый ключ "
            "отзовёт его сразу и навсегда (подписи, поставленные им, остаются действительными). "
            "Выпустить новый?"
        )
    ):
        raise BadInput("Ничего не изменено: ключ не выпущен, прежний действует.")
    ca_password, password = read_secrets(
        2, password_stdin, ["Пароль удостоверяющего центра", "Новый пароль подписанта"]
    )
    if (
        not password_stdin
        and click.prompt("Повторите пароль подписанта", hide_input=True) != password
    ):
        raise BadInput("Пароли не совпадают.")
    with session_scope(settings.database_url) as session:
        made = add_signer(
            session,
            settings.var,
            login=login,
            full_name=full_name,
            position=position,
            role=role,
            org_name=name or full_name or "",
            password=password,
            ca_password=ca_password,
            other_name_reason=other_name_reason,
        )
        click.echo(
            f"Сертификат выпущен: {made.full_name}, {made.position}; № {made.serial}; "
            f"действует по {made.not_after:%d.%m.%Y}."
        )
    if checked.unlike_register:
        click.echo(
            "ФИО не совпадает с записанным в реестре "
            f"(«{checked.unlike_register['register_name'] or 'не записано'}»); причина "
            "записана в журнал событий. Этот сертификат подписывает только документы, в "
            "которых подписантом указано его ФИО."
        )


@signer.command("import")
@click.option("--user", "login", required=True)
@click.option(
    "--p12", "p12_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--position", required=True)
@click.option("--name", "full_name", default=None)
@click.option(
    "--role",
    type=click.Choice(["director", "curator"]),
    default=None,
    help="Роль ключа; по умолчанию — роль пользователя, для нового логина — director.",
)
@_OTHER_NAME_REASON
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Две строки: пароль файла PKCS#12, затем новый пароль подписанта.",
)
@pass_settings
def signer_import(
    settings: Settings,
    login: str,
    p12_file: Path,
    position: str,
    full_name: str | None,
    role: str | None,
    other_name_reason: str,
    password_stdin: bool,
) -> None:
    """Импортировать ключ и сертификат собственного УЦ школы (PKCS#12)."""
    from service.register.db import session_scope
    from service.signing.certificate_names import key_role
    from service.signing.signers import import_signer

    with session_scope(settings.database_url) as session:  # refused before asking passwords
        role = key_role(session, login, role)
    p12_password, password = read_secrets(
        2, password_stdin, ["Пароль файла PKCS#12", "Новый пароль подписанта"]
    )
    with session_scope(settings.database_url) as session:
        made = import_signer(
            session,
            login=login,
            role=role,
            position=position,
            p12=p12_file.read_bytes(),
            p12_password=p12_password,
            password=password,
            full_name=full_name,
            other_name_reason=other_name_reason,
        )
        click.echo(f"Ключ импортирован: {made.full_name}; сертификат № {made.serial}.")


@signer.command("revoke")
@click.option("--user", "login", required=True)
@click.option("--reason", default="", help="Причина отзыва (обязательно).")
@pass_settings
def signer_revoke(settings: Settings, login: str, reason: str) -> None:
    """Отозвать ключи пользователя: они больше ничего не подписывают."""
    from service.register.db import session_scope
    from service.signing.signers import revoke_signer

    with session_scope(settings.database_url) as session:
        for item in revoke_signer(session, login, reason):
            click.echo(f"Отозван сертификат № {item.serial} ({item.full_name}).")


@signer.command("password")
@click.option("--user", "login", required=True)
@click.option("--password-stdin", is_flag=True, help="Две строки: прежний пароль, новый пароль.")
@pass_settings
def signer_password(settings: Settings, login: str, password_stdin: bool) -> None:
    """Сменить пароль своего ключа подписи (после выпуска ключа администратором)."""
    from service.register.db import session_scope
    from service.signing.signers import change_key_password

    old, new = read_secrets(2, password_stdin, ["Прежний пароль ключа", "Новый пароль ключа"])
    if not password_stdin and click.prompt("Повторите новый пароль", hide_input=True) != new:
        raise BadInput("Пароли не совпадают.")
    with session_scope(settings.database_url) as session:
        count = change_key_password(session, settings.database_url, login, old, new)
    click.echo(f"Пароль ключа подписи изменён (ключей: {count}).")


@click.command()
@click.option("--user", "login", required=True)
@pass_settings
def pending(settings: Settings, login: str) -> None:
    """Документы, ожидающие подписи пользователя."""
    from service.register.db import session_scope
    from service.register.labels import ELECTRONIC_ROLES
    from service.register.users import find_user
    from service.signing.late import past_year_warning
    from service.signing.signers import active_signers, name_warnings
    from service.signing.workflow import pending_documents

    with session_scope(settings.database_url) as session:
        for warning in name_warnings(session, login):
            click.echo(f"Внимание: {warning}", err=True)
        docs = pending_documents(session, login)
        user = find_user(session, login)
        if not docs and user is not None and not active_signers(session, login):
            # no key yet (or revoked): what waits for his role, to read and return (as the page)
            docs = pending_documents(session, login, user.role_set & ELECTRONIC_ROLES)
            if docs:
                click.echo(
                    f"Внимание: у пользователя «{login}» нет действующего ключа электронной "
                    "подписи. Документы ниже ждут подписи по его роли: их можно прочитать и "
                    "вернуть с комментарием (nastavnik return), подписать — когда администратор "
                    "выпустит ключ (nastavnik signer add).",
                    err=True,
                )
        if not docs:
            click.echo("Документов на подпись нет.")
        today = date.today()
        for d in docs:
            click.echo(f"{d.id}\t{BY_ID[d.kind].title} — {d.subject_label} (версия {d.version})")
            if late := past_year_warning(d, today):  # before he signs: it is dated today
                click.echo(f"Внимание: документ {d.id}: {late}", err=True)


@click.command()
@click.argument("document_ids", nargs=-1, required=True, type=DOCUMENT_ID)
@click.option("--user", "login", required=True)
@click.option("--password-stdin", is_flag=True, help="Пароль подписанта со стандартного ввода.")
@pass_settings
def sign(
    settings: Settings, document_ids: tuple[int, ...], login: str, password_stdin: bool
) -> None:
    """Подписать документы (один пароль на все)."""
    from service.register.db import session_scope
    from service.signing.workflow import sign_documents

    (password,) = read_secrets(1, password_stdin, ["Пароль подписи"])
    with session_scope(settings.database_url) as session:
        results = sign_documents(session, settings, login, list(document_ids), password)
    for result in results:
        said = "ПОДПИСАН" if result.ok else "УЖЕ ПОДПИСАН" if result.already else "НЕ ПОДПИСАН"
        click.echo(f"{result.document_id}\t{said}\t{result.message}")
    if not all(r.ok or r.already for r in results):  # signed by him before: nothing failed
        sys.exit(1)


@click.command("return")
@click.argument("document_id", type=DOCUMENT_ID)
@click.option("--comment", required=True, help="Что исправить.")
@click.option("--user", "login", required=True)
@pass_settings
def return_command(settings: Settings, document_id: int, comment: str, login: str) -> None:
    """Вернуть документ без подписи, с комментарием."""
    from service.register.db import session_scope
    from service.signing.returning import return_document

    with session_scope(settings.database_url) as session:
        return_document(session, login, document_id, comment)
    click.echo(f"Документ № {document_id} возвращён: {comment}")


@click.command()
@click.argument("document_id", type=DOCUMENT_ID)
@click.option("--answer", required=True, help="Ответ на комментарий подписавшего (до 1000 знаков).")
@click.option("--user", "login", required=True, help="Кто отвечает: секретарь или администратор.")
@pass_settings
def resubmit(settings: Settings, document_id: int, answer: str, login: str) -> None:
    """Вернуть возвращённый документ на подпись без изменений, с ответом на комментарий."""
    from service.register.db import session_scope
    from service.signing.returning import resubmit_document

    with session_scope(settings.database_url) as session:
        document = resubmit_document(session, login, document_id, answer)
        title = f"{BY_ID[document.kind].title} — {document.subject_label}"
    click.echo(f"Документ № {document_id} ({title}) снова ожидает подписи. Ответ: {answer.strip()}")


@click.command("attach-scan")
@click.argument("document_id", type=DOCUMENT_ID)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--role",
    "roles",
    multiple=True,
    help="Чья это подпись (по умолчанию — всех участников, подписывающих на бумаге).",
)
@click.option(
    "--name",
    "signer_names",
    multiple=True,
    help="Кто подписал (ФИО) — один из участников документа; по умолчанию тот, кто указан в "
    "документе для этой роли (для согласия законного представителя — представитель; для "
    "программы группы — каждый наставляемый). Повторите для каждого, кто подписал: "
    "«--name …» для каждого наставляемого группы и законного представителя.",
)
@pass_settings
def attach_scan_command(
    settings: Settings,
    document_id: int,
    file: Path,
    roles: tuple[str, ...],
    signer_names: tuple[str, ...],
) -> None:
    """Приложить скан документа, подписанного на бумаге."""
    from service.register.db import session_scope
    from service.signing.paper import roles_of, signed_as
    from service.signing.workflow import attach_scan

    with session_scope(settings.database_url) as session:
        signers: dict[str, list[str]] | None = None
        if signer_names:
            signers = {}
            for name in signer_names:
                by_role = {role: name for role in roles} or roles_of(session, document_id, name)
                for role, who in by_role.items():
                    signers.setdefault(role, []).append(who)
        made = attach_scan(
            session,
            settings,
            document_id,
            file.read_bytes(),
            roles=list(roles) or None,
            signers=signers,
            actor="cli",
        )
        names = "; ".join(
            f"{s.signer_name} ({signed_as(s.document, s.role, s.signer_name)})" for s in made
        )
    click.echo(f"Скан приложен к документу № {document_id}: подписали на бумаге {names}.")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--signature",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Файл подписи .p7s.",
)
@pass_settings
def verify(settings: Settings, file: Path, signature: Path | None) -> None:
    """Проверить документ и его подписи (по реестру и по файлу .p7s)."""
    from service.register.db import session_scope
    from service.signing.verification import verify_file
    from service.store import FileStore

    with session_scope(settings.database_url) as session:
        verdict = verify_file(
            session,
            settings.var,
            FileStore(settings.store_dir),
            file.read_bytes(),
            signature.read_bytes() if signature else None,
        )
        click.echo(verdict.to_text(), nl=False)
    if not verdict.ok:
        sys.exit(1)


@click.group()
def ledger() -> None:
    """Журнал событий (дерево Меркла, RFC 6962)."""


@ledger.command("verify")
@pass_settings
def ledger_verify(settings: Settings) -> None:
    """Пересчитать журнал и контрольные точки."""
    from service.register.db import session_scope
    from service.signing.ledger import verify_ledger
    from service.store import FileStore

    with session_scope(settings.database_url) as session:
        verdict = verify_ledger(session, settings.var, FileStore(settings.store_dir))
    click.echo(verdict.message)
    if not verdict.ok:
        sys.exit(1)


@ledger.command("proof")
@click.argument("document_id", type=DOCUMENT_ID)
@pass_settings
def ledger_proof(settings: Settings, document_id: int) -> None:
    """Доказательство включения записи о подписи документа (JSON)."""
    from service.register.db import session_scope
    from service.signing.ledger import inclusion_proof_for_document

    with session_scope(settings.database_url) as session:
        proof = inclusion_proof_for_document(session, document_id)
    click.echo(json.dumps(proof, ensure_ascii=False, indent=2))


@ledger.command("checkpoint")
@click.option("--password-stdin", is_flag=True, help="Пароль УЦ со стандартного ввода.")
@pass_settings
def ledger_checkpoint(settings: Settings, password_stdin: bool) -> None:
    """Записать контрольную точку журнала, подписанную УЦ школы."""
    from service.register.db import session_scope
    from service.signing.ledger import write_checkpoint
    from service.store import FileStore

    (password,) = read_secrets(1, password_stdin, ["Пароль удостоверяющего центра"])
    with session_scope(settings.database_url) as session:
        point, path = write_checkpoint(
            session, settings.var, FileStore(settings.store_dir), password
        )
        click.echo(
            f"Контрольная точка № {point.id}: записей {point.size}, корень "
            f"{point.root}. Файлы: {path} и {path}.p7s"
        )


COMMANDS = [
    signer,
    pending,
    sign,
    return_command,
    resubmit,
    attach_scan_command,
    verify,
    ledger,
]
