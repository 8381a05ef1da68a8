"""``var/`` (the register, keys, stores, the secret key, the log) belongs to the service's
account alone: what the service writes is private from the start (umask 0077), and a home made
by an earlier release (0755/0644) is put right at the next start."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from service.intake.demo import write_demo_workbook
from tests.test_signing_cli import run


def modes(var: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(var.stat().st_mode)}
    for folder, _, files in os.walk(var):
        for name in [folder, *(os.path.join(folder, f) for f in files)]:
            found[os.path.relpath(name, var)] = stat.S_IMODE(os.lstat(name).st_mode)
    return found


@pytest.fixture
def usual_umask():
    """The commands start under the usual umask 0022 (the tests' own process runs under the
    service's 0077, which a child would inherit): what is private is made so by the service."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_var_is_private_from_the_start_and_an_old_home_is_put_right(tmp_path, usual_umask):
    home = tmp_path / "школа"
    workbook = tmp_path / "книга.xlsx"
    write_demo_workbook(workbook)
    assert run(home, "process", str(workbook)).returncode == 0
    made = run(home, "init", "--ca-password-stdin", stdin="пароль-уц-школы\n")
    assert made.returncode == 0, made.stderr
    var = home / "var"
    written = modes(var)
    assert {"nastavnik.db", "ca/ca-key.pem", "ca/ca.pem", "store"} <= written.keys()
    assert {mode for name, mode in written.items() if (var / name).is_dir()} == {0o700}
    assert {mode for name, mode in written.items() if not (var / name).is_dir()} == {0o600}

    # an earlier release left everything readable by every local user
    for name in written:
        (var / name).chmod(0o755 if (var / name).is_dir() else 0o644)
    assert run(home, "init").returncode == 0
    fixed = modes(var)
    assert fixed.keys() == written.keys()
    assert {mode for name, mode in fixed.items() if (var / name).is_dir()} == {0o700}
    assert {mode for name, mode in fixed.items() if not (var / name).is_dir()} == {0o600}
