"""``nastavnik`` commands of the signing side: the director's queue, signing, returning and
sending back for signature, scans of paper signatures, verification and the ledger. The keys
they sign with (``nastavnik signer``) are in :mod:`service.cli.signers`. Wiring only: the work
is in service.signing."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from service.cli.common import DOCUMENT_ID, pass_settings, read_secrets
from service.config import Settings
from service.documents.catalogue import BY_ID


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
    pending,
    sign,
    return_command,
    resubmit,
    attach_scan_command,
    verify,
    ledger,
]
