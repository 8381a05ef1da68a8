"""What every command module of ``nastavnik`` shares: the settings handed to a command, a clean
Russian failure for the rare refusal that is the command line's own (a domain refusal is a
:class:`~service.errors.NastavnikError`, translated by the group), and passwords read from
standard input or hidden prompts. Light on purpose: ``nastavnik --help`` imports it."""

from __future__ import annotations

import logging
import sys
from typing import IO, Any

import click

from service.config import Settings
from service.errors import BadInput
from service.logfile import log_handler
from service.register.bounds import MAX_ROW_ID

pass_settings = click.make_pass_decorator(Settings)

DOCUMENT_ID = click.IntRange(1, MAX_ROW_ID)
"""A document's number in a command: one past any the register keeps is refused here, with
the bounds — PostgreSQL failed on it with a traceback instead of «не найден»."""


class RussianError(click.ClickException):
    """A clean one-line failure: «Ошибка: …» on standard error, exit code 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Ошибка: {self.format_message()}", err=True)


def read_secrets(count: int, from_stdin: bool, prompts: list[str]) -> list[str]:
    """Passwords from standard input (one per line) or from hidden prompts."""
    if from_stdin:
        lines = sys.stdin.read().splitlines()
        if len(lines) < count:
            raise BadInput(f"Ожидалось паролей на входе: {count}.")
        return lines[:count]
    return [click.prompt(text, hide_input=True) for text in prompts[:count]]


def setup_logging(settings: Settings | None = None, verbose: bool = False) -> None:
    """Log to standard error and, once the home has ``var/``, to its log file (rotated:
    :mod:`service.logfile`); the libraries' chatter only from WARNING on."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if settings is not None and settings.var.is_dir():
        # rotated by size, a bounded number of files: the standard library's rotating
        # handler, made safe for the several processes that share the file (service/logfile)
        handlers.append(log_handler(settings.log_file, settings.log_max_mb, settings.log_files))
    # library chatter, not ours (pymorphy3 says at INFO that it loads its dictionaries,
    # pytrovich at DEBUG each name it declines)
    for noisy in ("fontTools", "pyhanko.sign.validation", "alembic", "pymorphy3", "pytrovich"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        handlers=handlers,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
