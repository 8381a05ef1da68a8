"""Users from the command line: the first administrator made by ``init``, ``user add``,
``user token`` and the idempotent ``demo-users`` that ``make run`` calls."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from service.config import load_settings
from service.register.db import session_scope
from service.register.users import authenticate, user_by_token


def run(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", "--home", str(home), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def can_log_in(home: Path, login: str, password: str) -> bool:
    with session_scope(load_settings({"home": home}).database_url) as s:
        return authenticate(s, login, password).user is not None


def test_init_makes_the_first_administrator_once(tmp_path):
    home = tmp_path / "школа"
    first = run(home, "init", "--admin-password-stdin", stdin="пароль-админа-1\n")
    assert first.returncode == 0, first.stderr
    assert "Создан администратор веб-сервиса: логин admin" in first.stdout
    assert "пароль-админа-1" not in first.stdout
    assert can_log_in(home, "admin", "пароль-админа-1")
    again = run(home, "init")
    assert again.returncode == 0 and "администратор" not in again.stdout


def test_init_without_a_password_prints_a_generated_one(tmp_path):
    home = tmp_path / "школа"
    made = run(home, "init")
    password = re.search(r"Пароль администратора .*: (\S+)", made.stdout).group(1)
    assert can_log_in(home, "admin", password)


def test_user_add_with_several_roles_and_a_token(tmp_path):
    home = tmp_path / "школа"
    run(home, "init", "--admin-password-stdin", stdin="пароль-админа-1\n")
    added = run(
        home,
        "user",
        "add",
        "butrina",
        "--role",
        "curator",
        "--role",
        "inspector",
        "--name",
        "Бутрина Ольга Николаевна",
        "--password-stdin",
        stdin="пароль-куратора\n",
    )
    assert added.returncode == 0, added.stderr
    assert "создан: куратор, проверяющий" in added.stdout
    assert can_log_in(home, "butrina", "пароль-куратора")
    short = run(
        home,
        "user",
        "add",
        "x",
        "--role",
        "curator",
        "--name",
        "Икс",
        "--password-stdin",
        stdin="1\n",
    )
    assert short.returncode == 1 and "Ошибка:" in short.stderr
    token = run(home, "user", "token", "butrina").stdout.strip()
    with session_scope(load_settings({"home": home}).database_url) as s:
        assert user_by_token(s, token).login == "butrina"
    listed = run(home, "user", "list").stdout
    assert "butrina" in listed and "куратор" in listed


def test_demo_users_are_made_once_for_roles_nobody_holds(tmp_path):
    home = tmp_path / "школа"
    run(home, "init", "--admin-password-stdin", stdin="пароль-админа-1\n")
    run(home, "user", "add", "kinyakina", "--role", "director", "--name", "Кинякина Т. И.")
    first = run(home, "demo-users")
    assert first.returncode == 0, first.stderr
    made = dict(re.findall(r"логин (\S+)\s+пароль (\S+)", first.stdout))
    assert set(made) == {"secretary", "curator", "inspector"}
    for login, password in made.items():
        assert can_log_in(home, login, password)
    second = run(home, "demo-users")
    assert second.returncode == 0 and second.stdout == ""
