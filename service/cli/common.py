"""What every command module of ``nastavnik`` shares: the settings handed to a command, a clean
Russian failure for the rare refusal that is the command line's own (a domain refusal is a
:class:`~service.errors.NastavnikError`, translated by the group), and passwords read from
standard input or hidden prompts. Light on purpose: ``nastavnik --help`` imports it."""

from __future__ import annotations

import sys

import click

from service.config import Settings
from service.errors import BadInput

pass_settings = click.make_pass_decorator(Settings)


class RussianError(click.ClickException):
    """A clean one-line failure: «Ошибка: …» on standard error, exit code 1."""

    def show(self, file=None) -> None:
        click.echo(f"Ошибка: {self.format_message()}", err=True)


def read_secrets(count: int, from_stdin: bool, prompts: list[str]) -> list[str]:
    """Passwords from standard input (one per line) or from hidden prompts."""
    if from_stdin:
        lines = sys.stdin.read().splitlines()
        if len(lines) < count:
            raise BadInput(f"Ожидалось паролей на входе: {count}.")
        return lines[:count]
    return [click.prompt(text, hide_input=True) for text in prompts[:count]]
