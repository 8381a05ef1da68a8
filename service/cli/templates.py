"""``nastavnik templates list|export|install|reset``: the school's own templates. Wiring only:
the work is in :mod:`service.documents.template_files`."""

from __future__ import annotations

import getpass
import shutil
import sys
from pathlib import Path

import click

from service.cli.common import pass_settings
from service.config import Settings

_DOCX = click.Path(dir_okay=False, path_type=Path)


def _actor() -> str:
    """Who runs the command: the account's login, as the ledger records it."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (a container)
        return "cli"


@click.group()
def templates() -> None:
    """Шаблоны документов: стандартные и свои шаблоны школы."""


@templates.command("list")
@pass_settings
def list_command(settings: Settings) -> None:
    """Каждый вид документа: какой шаблон действует, когда и кем поставлен, итог проверки."""
    from service.documents import template_cache
    from service.documents.template_files import SCHOOL, list_templates
    from service.register.reading import register_reader

    template_cache.configure(settings.cache)  # verdicts other homes of the account know
    with register_reader(settings.database_url) as read:
        states = list_templates(read, settings)
    for state in states:
        when = ""
        if state.source == SCHOOL and state.changed_at:
            when = f", поставлен {state.changed_at:%d.%m.%Y %H:%M} ({state.changed_by})"
        verdict = (
            "проверка: в порядке"
            if not state.problems
            else (f"проверка: проблем — {len(state.problems)}")
        )
        click.echo(f"{state.kind.id}\t{state.source}{when}; {verdict}\t{state.kind.title}")
        for problem in state.problems:
            click.echo(f"    {problem}")


@templates.command("export")
@click.argument("kind_id", metavar="KIND")
@click.argument("file", type=_DOCX)
@pass_settings
def export_command(settings: Settings, kind_id: str, file: Path) -> None:
    """Сохранить действующий шаблон вида KIND в файл FILE.docx (чтобы править в Word)."""
    from service.documents.template_files import kind_of, template_file

    source = template_file(settings, kind_of(kind_id))
    shutil.copyfile(source, file)
    click.echo(f"Шаблон «{kind_id}» сохранён в {file}.")


@templates.command("install")
@click.argument("kind_id", metavar="KIND")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_settings
def install_command(settings: Settings, kind_id: str, file: Path) -> None:
    """Проверить FILE.docx и поставить его шаблоном школы для вида KIND."""
    from service.documents.template_files import install_template, kind_of
    from service.register.db import session_scope

    kind = kind_of(kind_id)
    with session_scope(settings.database_url) as session:
        problems = install_template(
            session, settings, kind.id, file.read_bytes(), _actor(), on_wait=_waiting
        )
    if problems:
        click.echo(
            f"Шаблон «{file.name}» не поставлен: найдено проблем — {len(problems)}. "
            "Ничего не изменено.",
            err=True,
        )
        for number, problem in enumerate(problems, 1):
            click.echo(f"{number}. {problem}", err=True)
        sys.exit(1)
    click.echo(f"Шаблон школы для «{kind.title}» поставлен; новые документы — по нему.")


@templates.command("reset")
@click.argument("kind_id", metavar="KIND")
@pass_settings
def reset_command(settings: Settings, kind_id: str) -> None:
    """Вернуть стандартный шаблон вида KIND."""
    from service.documents.template_files import kind_of, reset_template
    from service.register.db import session_scope

    kind = kind_of(kind_id)
    with session_scope(settings.database_url) as session:
        removed = reset_template(session, settings, kind.id, _actor(), on_wait=_waiting)
    if removed:
        click.echo(f"Для «{kind.title}» снова действует стандартный шаблон.")
    else:
        click.echo(f"Для «{kind.title}» и так действует стандартный шаблон.")


def _waiting() -> None:
    """Said when a workbook is being processed: the command waits for it, silent otherwise."""
    from service.documents.template_files import TEMPLATE_WAIT

    click.echo(
        "Сейчас обрабатывается файл из inbox; жду окончания обработки "
        f"(не дольше {TEMPLATE_WAIT:g} с)…",
        err=True,
    )


COMMANDS = [templates]
