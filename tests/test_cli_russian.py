"""click's own messages (usage errors, the help's headings) speak Russian, as the rest of the
CLI does: a secretary who mistypes a command reads what is wrong in her language."""

from __future__ import annotations

import subprocess

from tests import cli


def nastavnik(*args: str, home) -> subprocess.CompletedProcess:
    return cli.nastavnik("--home", str(home), *args)


def test_a_mistyped_command_is_answered_in_russian(tmp_path):
    unknown = nastavnik("sign", "--user", "director", "--all", home=tmp_path)
    assert unknown.returncode == 2
    assert unknown.stderr.splitlines() == [
        "Использование: python -m service.cli sign [OPTIONS] DOCUMENT_IDS...",
        "Справка: python -m service.cli sign --help",
        "",
        "Ошибка: Нет такого параметра: --all.",
    ]
    missing = nastavnik("verify", home=tmp_path)
    assert missing.stderr.splitlines()[-1] == "Ошибка: Не указан аргумент 'FILE'."
    absent = nastavnik("verify", str(tmp_path / "нет.docx"), home=tmp_path)
    assert absent.stderr.splitlines()[-1] == (
        f"Ошибка: Недопустимое значение 'FILE': «{tmp_path / 'нет.docx'}» не найден."
    )
    choice = nastavnik("user", "add", "x", "--role", "boss", "--name", "X", home=tmp_path)
    assert choice.stderr.splitlines()[-1] == (
        "Ошибка: Недопустимое значение '--role': «boss» — не из допустимых: 'secretary', "
        "'director', 'curator', 'inspector', 'admin'."
    )
    command = nastavnik("подписать", home=tmp_path)
    assert command.stderr.splitlines()[-1] == "Ошибка: Нет такой команды: подписать."


def test_the_help_has_russian_headings(tmp_path):
    shown = nastavnik("sign", "--help", home=tmp_path)
    assert shown.returncode == 0
    lines = shown.stdout.splitlines()
    assert lines[0] == "Использование: python -m service.cli sign [OPTIONS] DOCUMENT_IDS..."
    assert "Параметры:" in lines
    assert "  --user TEXT       [обязательно]" in lines
    assert "  -h, --help        Показать эту справку и выйти." in lines
