"""Users from the command line: the first administrator made by ``init``, ``user add``,
``user token`` and the idempotent ``demo-users`` that ``make run DEMO=1`` calls."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from service.config import load_settings
from service.register.db import session_scope
from service.register.users import authenticate, user_by_token
from tests import cli


def run(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return cli.nastavnik("--home", str(home), *args, input=stdin)


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


def test_demo_users_are_made_once_and_never_beside_the_schools_own(tmp_path):
    """Sample users are for trying the service: made once in a fresh home, and none in a home
    where the school has users of its own — it made a «inspector» login (who sees the whole
    archive) with a printed password beside a real director. The console says why, and names
    sample users left from earlier runs."""
    home = tmp_path / "проба"
    run(home, "init", "--admin-password-stdin", stdin="пароль-админа-1\n")
    first = run(home, "demo-users")
    assert first.returncode == 0, first.stderr
    made = dict(re.findall(r"логин (\S+)\s+пароль (\S+)", first.stdout))
    assert set(made) == {"secretary", "director", "curator", "inspector"}
    for login, password in made.items():
        assert can_log_in(home, login, password)
    assert run(home, "demo-users").stdout == ""
    run(home, "user", "add", "kinyakina", "--role", "director", "--name", "Кинякина Т. И.")
    run(home, "user", "disable", "inspector", "--yes")
    later = run(home, "demo-users")
    assert later.returncode == 0, later.stderr
    assert later.stdout.splitlines() == [
        "Учебные пользователи не созданы: в реестре есть пользователи школы (kinyakina — "
        "директор). Пользователей добавляет администратор: nastavnik user add или страница "
        "«Администрирование».",
        "Учебные пользователи прежних запусков могут входить: curator, director, secretary. "
        "Если они не нужны, отключите их: nastavnik user disable curator.",
    ]

    school = tmp_path / "школа"
    run(school, "init", "--admin-password-stdin", stdin="пароль-админа-1\n")
    run(school, "user", "add", "kinyakina", "--role", "director", "--name", "Кинякина Т. И.")
    refused = run(school, "demo-users")
    assert refused.returncode == 0, refused.stderr
    assert "логин" not in refused.stdout
    assert refused.stdout.startswith("Учебные пользователи не созданы: в реестре есть")
    listed = run(school, "user", "list").stdout.splitlines()
    assert [line.split("\t")[0] for line in listed] == ["admin", "kinyakina"]
