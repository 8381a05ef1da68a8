"""``nastavnik archive …``: archiving signed documents, the section-12 sheet, export for an
inspection, offline verification, retention and destruction acts. Wiring only: the work is in
service.archive."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import click

from service.cli.common import DOCUMENT_ID, RussianError, pass_settings, read_secrets
from service.config import Settings


def _year(value: str | None) -> str | None:
    """«2023-2024» and «2023–2024» are the same school year (stored with an en dash)."""
    if value is None:
        return None
    parts = value.replace("—", "-").replace("–", "-").split("-")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise RussianError(f"Учебный год пишется как 2023–2024, а не «{value}».")
    return f"{parts[0].strip()}–{parts[1].strip()}"


@click.group()
def archive() -> None:
    """Архив для проверок: раздел 12, PDF/A-копии, выгрузка BagIt, проверка, сроки хранения."""


def _register(settings: Settings) -> None:
    """The register at this release's schema (refused with the advice to run ``init``)."""
    from service.register.db import init_database

    init_database(settings.database_url)


@archive.command("add")
@click.argument("document_ids", nargs=-1, type=DOCUMENT_ID)
@click.option("--all", "everything", is_flag=True, help="Все подписанные документы.")
@click.option(
    "--user",
    "logins",
    multiple=True,
    help="Подписант, чей пароль нужен для отметки о подписи в PDF (можно несколько раз; "
    "по умолчанию — все, кто подписал эти документы).",
)
@click.option(
    "--year",
    default=None,
    help="Учебный год (по умолчанию — тот, о котором документ; прошлогодний приказ, "
    "сданный в архив в сентябре, — в архив прошлого года).",
)
@click.option(
    "--password-stdin", is_flag=True, help="Пароли подписантов со стандартного ввода, по строке."
)
@pass_settings
def archive_add(
    settings: Settings,
    document_ids: tuple[int, ...],
    everything: bool,
    logins: tuple[str, ...],
    year: str | None,
    password_stdin: bool,
) -> None:
    """Поместить подписанные документы в архив: DOCX, подписи, доказательство из журнала и
    PDF/A-копию с отметкой об электронной подписи (её ставит ключ подписанта — нужен его
    пароль)."""
    from service.archive.archiving import archive_documents, signer_logins
    from service.register.db import session_scope

    _register(settings)

    if not document_ids and not everything:
        raise RussianError("Укажите номера документов или --all.")
    ids = list(document_ids) if document_ids else None
    with session_scope(settings.database_url) as session:
        needed = signer_logins(session, ids)
    users = list(logins) or needed
    passwords = dict(
        zip(
            users,
            read_secrets(len(users), password_stdin, [f"Пароль подписи «{u}»" for u in users]),
            strict=True,
        )
    )
    with session_scope(settings.database_url) as session:
        results = archive_documents(
            session, settings, ids, passwords, actor="cli", school_year=_year(year)
        )
    for result in results:
        click.echo(f"{result.document_id}\t{'В АРХИВЕ' if result.ok else 'НЕТ'}\t{result.message}")
    if not results:
        click.echo("Подписанных документов, ещё не помещённых в архив, нет.")
    if not all(r.ok for r in results):
        sys.exit(1)


@archive.command("status")
@click.option("--year", default=None, help="Учебный год, например 2023–2024.")
@click.option(
    "--docx",
    "docx_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Записать ещё и «Сводку по разделу 12» в этот файл DOCX.",
)
@pass_settings
def archive_status(settings: Settings, year: str | None, docx_file: Path | None) -> None:
    """Восемь документов раздела 12: есть ли, версия, номер и дата, кто и когда подписал,
    в архиве ли."""
    from service.archive.status import current_year, section12_status, status_text, summary_docx
    from service.register.db import session_scope
    from service.register.school import the_school

    _register(settings)

    with session_scope(settings.database_url) as session:
        chosen = _year(year) or current_year(session)
        rows = section12_status(session, chosen)
        click.echo(status_text(rows, chosen), nl=False)
        if docx_file is not None:
            org = the_school(session)
            docx_file.write_bytes(summary_docx(rows, org.full_name if org else "", chosen))
            click.echo(f"Сводка записана: {docx_file}")


@archive.command("export")
@click.argument("out_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--year", default=None, help="Учебный год (по умолчанию — текущий).")
@click.option("--password-stdin", is_flag=True, help="Пароль УЦ школы со стандартного ввода.")
@pass_settings
def archive_export(
    settings: Settings, out_dir: Path | None, year: str | None, password_stdin: bool
) -> None:
    """Выгрузить архив года для проверки: пакет BagIt с описью, сертификатом УЦ, контрольной
    точкой журнала и ПРОВЕРКА.txt; список файлов подписывает УЦ школы (нужен его пароль).
    Без OUT_DIR пакет сохраняется в сервисе (var/exports) вместо выгруженного раньше за тот же
    год: проверяющий скачивает его на странице «Архив»."""
    from service.archive.bag import ExportResult, export_bag
    from service.archive.exports import keep_export
    from service.register.db import session_factory

    _register(settings)

    (password,) = read_secrets(1, password_stdin, ["Пароль удостоверяющего центра"])
    sessions = session_factory(settings.database_url)

    def export(folder: Path) -> ExportResult:
        return export_bag(sessions, settings, folder, password, year=_year(year), actor="cli")

    result = keep_export(settings.var, export) if out_dir is None else export(out_dir)
    gone = f" (и уничтоженных по акту {result.destroyed}: в описи, без файлов)"
    click.echo(
        f"Пакет записан: {result.path}\nУчебный год {result.school_year}; документов "
        f"{result.documents}{gone if result.destroyed else ''}, файлов {result.files}, "
        f"{result.bytes / 1e6:.1f} МБ; контрольная точка журнала: записей {result.tree_size}, "
        f"корень {result.root}; {result.seconds} с."
    )
    if out_dir is None:
        click.echo("Проверяющий скачивает его на странице «Архив» веб-интерфейса.")
    if result.unarchived_warning():
        click.echo(result.unarchived_warning())


@archive.command("verify")
@click.argument(
    "path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option("--quiet", is_flag=True, help="Печатать только неверные файлы и итог.")
@click.option(
    "--full",
    is_flag=True,
    help="Полная проверка pyHanko каждой PDF-копии (по умолчанию — первой для каждого "
    "сертификата, у остальных — криптографическая проверка подписи).",
)
@pass_settings
def archive_verify(settings: Settings, path: Path | None, quiet: bool, full: bool) -> None:
    """Проверить пакет BagIt (PATH) полностью и без сервиса: хеши всех файлов, подписи CMS и
    PAdES, доказательства из журнала; без PATH — архив самой школы."""
    if path is not None:
        from service.archive.verify import verify_bag

        report = verify_bag(path, settings.archive_processes, full)
    else:
        from service.archive.integrity import verify_archive
        from service.register.db import session_scope

        _register(settings)
        with session_scope(settings.database_url) as session:
            report = verify_archive(session, settings)
    text = report.to_text()
    if quiet:
        text = "".join(line for line in text.splitlines(True) if not line.startswith("ВЕРНО"))
    click.echo(text, nl=False)
    if not report.ok:
        sys.exit(1)


@archive.command("due")
@click.option(
    "--date",
    "on",
    type=click.DateTime(["%Y-%m-%d", "%d.%m.%Y"]),
    help="На дату (по умолчанию — сегодня).",
)
@pass_settings
def archive_due(settings: Settings, on: datetime | None) -> None:
    """Документы, срок хранения которых истёк: их можно уничтожить по акту."""
    from service.documents.catalogue import BY_ID
    from service.register.archive import due_items
    from service.register.db import session_scope

    _register(settings)

    day = on.date() if on else date.today()
    with session_scope(settings.database_url) as session:
        items = due_items(session, day)
        if not items:
            click.echo(f"На {day:%d.%m.%Y} документов с истёкшим сроком хранения нет.")
        for item in items:
            document = item.document
            click.echo(
                f"{document.id}\t{BY_ID[document.kind].title} — {document.subject_label}\t"
                f"срок хранения истёк {item.retain_until - timedelta(days=1):%d.%m.%Y}"
            )


@archive.command("destroy")
@click.argument("document_ids", nargs=-1, type=DOCUMENT_ID)
@click.option("--user", "login", help="Руководитель, утверждающий акт.")
@click.option("--password-stdin", is_flag=True, help="Пароль его ключа со стандартного ввода.")
@click.option("--yes", is_flag=True, help="Не спрашивать подтверждения.")
@click.option(
    "--finish",
    is_flag=True,
    help="Без акта: удалить оставшиеся копии уже уничтоженных документов (после сбоя).",
)
@pass_settings
def archive_destroy(
    settings: Settings,
    document_ids: tuple[int, ...],
    login: str | None,
    password_stdin: bool,
    yes: bool,
    finish: bool,
) -> None:
    """Уничтожить документы с истёкшим сроком хранения — только по акту: акт о выделении к
    уничтожению создаётся, подписывается руководителем и записывается в журнал; затем
    удаляются все копии их файлов, которые хранит служба (архив, хранилище, outbox/, архивы
    ZIP, выгруженный архив года). С --finish — только удаление оставшихся копий документов,
    уничтоженных раньше (если удаление прервалось)."""
    from service.archive.destruction import destroy_documents
    from service.archive.erasure import erase_destroyed
    from service.register.db import session_factory

    _register(settings)

    sessions = session_factory(settings.database_url)
    if finish:
        if document_ids:
            raise click.UsageError("С --finish номера документов не указываются.")
        for line in erase_destroyed(sessions, settings, login or "system").lines():
            click.echo(line)
        return
    if not document_ids or not login:
        raise click.UsageError("Укажите номера документов и --user (руководителя).")
    if not yes:
        _confirm_destruction(settings, list(document_ids), password_stdin)
    (password,) = read_secrets(1, password_stdin, [f"Пароль подписи «{login}»"])
    result = destroy_documents(sessions, settings, list(document_ids), login, password)
    click.echo(
        f"Акт № {result.number} о выделении к уничтожению утверждён и подписан; документов "
        f"{result.documents}. Акт хранится в архиве (SHA-256 {result.sha256})."
    )
    for line in result.erasure.lines():
        click.echo(line)


def _confirm_destruction(settings: Settings, document_ids: list[int], password_stdin: bool) -> None:
    """List what the act would destroy and ask (attack22: the command destroyed at once, the
    documents' numbers typed by hand never shown back); with ``--password-stdin`` there is no
    one to ask: ``--yes`` says it beforehand. A document the act cannot take (not in the
    archive, destroyed already, kept for years yet) is named with the reason, and nothing is
    asked: the act would be refused whole, after the password (review22b: one destroyed by act
    № 1/32 was listed «хранится до 01.01.2032», and the question asked)."""
    from datetime import date

    from service.documents.catalogue import BY_ID
    from service.register.archive import archive_item_of, destroying_act
    from service.register.db import session_scope

    if password_stdin:
        raise RussianError(
            "Уничтожение отменить нельзя: с --password-stdin подтвердите его заранее, --yes. "
            "Ничего не уничтожено."
        )
    lines, refused = [], 0
    with session_scope(settings.database_url) as session:
        for document_id in document_ids:
            item = archive_item_of(session, document_id)
            if item is None:
                lines.append(f"  № {document_id}: в архиве нет — акт его не уничтожит")
                refused += 1
                continue
            document = item.document
            until = f"{item.retain_until:%d.%m.%Y}" if item.retain_until else "постоянно"
            line = (
                f"  № {document_id}: {BY_ID[document.kind].title} — {document.subject_label}, "
                f"версия {document.version}; "
            )
            if item.destroyed_at is not None:
                line += f"уже уничтожен по акту {destroying_act(session, document_id)}"
            elif item.retain_until is None or item.retain_until > date.today():
                line += f"хранится до {until} — срок хранения не истёк"
            else:
                lines.append(line + f"хранится до {until}")
                continue
            lines.append(line)
            refused += 1
    if refused:
        click.echo("Акт не составлен — эти документы по нему не уничтожить:")
        click.echo("\n".join(lines))
        raise RussianError(
            "Ничего не уничтожено. Укажите только документы архива с истёкшим сроком хранения "
            "(nastavnik archive due)."
        )
    click.echo("По акту будут уничтожены — все их файлы и копии, отменить нельзя:")
    click.echo("\n".join(lines))
    if not click.confirm("Уничтожить эти документы?", default=False):
        raise RussianError("Ничего не уничтожено.")


COMMANDS = [archive]
