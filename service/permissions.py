"""The home's private part (``var/``: the register, keys, stores, the secret key, logs) is for
the service's own account only: folders 0700, files 0600 (read-only ones 0400). Processes of
the service run with umask 0077, so whatever they create is private from the start, and an
existing home made before (0755/0644) is put right at every start."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077
log = logging.getLogger("nastavnik")


def make_process_private() -> None:
    """Files and folders this process creates from now on: for its own account only."""
    os.umask(PRIVATE_UMASK)


def refuse_foreign_home(var: Path) -> None:
    """Refuse to work in a home whose ``var/`` belongs to another account: whatever this
    process wrote there (the register's ``-wal``/``-shm`` beside a read, a cache, a log) would be
    this account's, 0600, and the service's own account could no longer read it. Run as
    ``root`` on the service's home (``sudo nastavnik documents``) is the usual way to get there."""
    from service.errors import Forbidden

    try:
        owner = var.stat().st_uid
    except FileNotFoundError:
        return
    except PermissionError:  # a folder on the way is closed to this account: not its home
        raise Forbidden(
            f"Нет доступа к рабочей папке {var.parent}: команда запущена от имени "
            f"«{_account(os.geteuid())}», а папка принадлежит другому пользователю. Ничего не "
            "сделано. Запустите команду от имени владельца рабочей папки "
            "(sudo -u <владелец> nastavnik …)."
        ) from None
    if owner == os.geteuid():
        return
    name = _account(owner)
    raise Forbidden(
        f"Рабочая папка {var.parent} принадлежит пользователю «{name}», а команда запущена от "
        f"имени «{_account(os.geteuid())}»: созданные ею файлы служба не смогла бы прочитать. "
        f"Ничего не сделано. Запустите команду от имени владельца, например: "
        f"sudo -u {name} nastavnik …"
    )


def _account(uid: int) -> str:
    """The account name of ``uid`` (the number when the system names none)."""
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _private(mode: int, is_dir: bool) -> int:
    """Keep the owner's bits, drop the group's and others'; a folder stays enterable."""
    owner = stat.S_IMODE(mode) & 0o700
    return owner | (0o700 if is_dir else 0)


def secure_private_tree(root: Path) -> int:
    """Take group and other permissions off ``root`` and everything under it (symbolic links
    are not followed); returns how many modes changed."""
    if not root.is_dir() or root.is_symlink():
        return 0
    changed = 0
    for folder, dirs, files in os.walk(root):
        for path, is_dir in [(Path(folder), True)] + [(Path(folder) / f, False) for f in files]:
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                continue
            wanted = _private(info.st_mode, is_dir)
            if stat.S_IMODE(info.st_mode) != wanted:
                os.chmod(path, wanted)
                changed += 1
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
    if changed:
        log.info("права доступа к %s ограничены владельцем: изменено %d", root, changed)
    return changed
