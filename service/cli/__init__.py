"""The ``nastavnik`` command. It only wires things: reads options, builds settings, calls the
domain functions and turns expected failures into a clean Russian message and an exit code.
This module is the group (its options, its one translation point of errors); the commands are
in the package's other modules, one per group of commands (:data:`COMMAND_MODULES`).

Imports only where used: this package's modules (one per group of commands) import click,
the settings and light vocabularies at the top, and the register, the renderer, signing or the
web service inside the command that needs them, so ``nastavnik --help`` and small commands start
at once (``tests/test_cli_imports.py``)."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from service.cli import russian
from service.cli.common import RussianError, setup_logging
from service.config import load_settings
from service.permissions import make_process_private, refuse_foreign_home

russian.install()  # before any command is built: click's types name themselves at creation

COMMAND_MODULES = (
    "home",
    "intake",
    "running",
    "signers",
    "signing",
    "users",
    "archive",
    "documents",
    "templates",
)
"""This package's modules that hold commands, each listing them in ``COMMANDS``."""


class _Commands(click.Group):
    """The CLI's translation point: every domain error (:class:`NastavnikError`, a stored file
    changed on disk among them), a register kept busy by another writer past the wait."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            from service.errors import NastavnikError

            if isinstance(exc, NastavnikError):  # every domain error: «Ошибка: …», exit 1
                raise RussianError(exc.message) from exc
            # imported on failure only: a command that never opened the register must not
            # pay for SQLAlchemy's import to have its errors translated
            from service.register.db import is_locked_error

            if is_locked_error(exc):
                raise RussianError(
                    "Реестр занят другой записью (подписью или обработкой книги; большая "
                    "книга обрабатывается несколько минут): повторите команду чуть позже. "
                    "Ничего не изменено."
                ) from exc
            raise


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar="NASTAVNIK_HOME",
    help="Рабочая папка (по умолчанию — текущая).",
)
@click.option("-v", "--verbose", is_flag=True, help="Подробный журнал.")
@click.pass_context
def main(ctx: click.Context, home: Path | None, verbose: bool) -> None:
    """Документы программы наставничества: из таблицы — в приказы, согласия и программы."""
    make_process_private()  # var/ and everything the service writes: its account only
    settings = load_settings({"home": home})
    if ctx.invoked_subcommand is not None and not ctx.resilient_parsing:
        refuse_foreign_home(settings.var)  # root's files in the service's var/ lock it out
    ctx.obj = settings
    setup_logging(settings, verbose)


def _register_commands() -> None:
    """Every command of :data:`COMMAND_MODULES` (``--help`` lists them sorted by name)."""
    for name in COMMAND_MODULES:
        for command in importlib.import_module(f"service.cli.{name}").COMMANDS:
            main.add_command(command)


_register_commands()
