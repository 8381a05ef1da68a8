"""A command run by another account (usually `sudo nastavnik …` on the service's home) is
refused before it writes anything: a root-owned `-wal`, cache or log in the service's `var/`
(0600) would lock the service's own account out of its register."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

NOBODY = 65534


def test_root_on_the_service_home_is_refused_and_writes_nothing(settings):
    if os.geteuid() != 0:
        pytest.skip("giving the home to another account needs root")
    var = settings.var
    before = sorted(p.relative_to(var) for p in var.rglob("*"))
    for path in [var, *var.rglob("*")]:
        os.lchown(path, NOBODY, NOBODY)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "service.cli", "--home", str(settings.home), "documents"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        after = sorted(p.relative_to(var) for p in var.rglob("*"))
        owners = {p.lstat().st_uid for p in [var, *var.rglob("*")]}
    finally:
        for path in [var, *var.rglob("*")]:
            os.lchown(path, 0, 0)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip() == (
        f"Ошибка: Рабочая папка {settings.home} принадлежит пользователю «nobody», а команда "
        "запущена от имени «root»: созданные ею файлы служба не смогла бы прочитать. Ничего не "
        "сделано. Запустите команду от имени владельца, например: sudo -u nobody nastavnik …"
    )
    assert after == before
    assert owners == {NOBODY}


def test_the_owner_is_let_in(settings):
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "--home", str(settings.home), "documents"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_an_account_that_cannot_even_look_into_the_home_is_told_so(settings):
    """Another account that may not enter the home (a 0700 folder of the service's) gets the
    refusal in Russian, not a Python traceback of ``PermissionError``."""
    if os.geteuid() != 0:
        pytest.skip("acting as another account needs root")
    from service.errors import Forbidden
    from service.permissions import refuse_foreign_home

    settings.home.chmod(0o700)
    os.seteuid(NOBODY)
    try:
        with pytest.raises(Forbidden) as refused:
            refuse_foreign_home(settings.var)
    finally:
        os.seteuid(0)
    assert refused.value.message == (
        f"Нет доступа к рабочей папке {settings.home}: команда запущена от имени «nobody», а "
        "папка принадлежит другому пользователю. Ничего не сделано. Запустите команду от "
        "имени владельца рабочей папки (sudo -u <владелец> nastavnik …)."
    )
