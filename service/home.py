"""The service's home folder: its inbox/processed/failed/outbox folders, ``var/`` (private to
the service's account) and the register's database. Every adapter that starts work on a home
(the ``nastavnik`` commands, ``make run`` through ``nastavnik init``, the tests' fixtures) calls
:func:`initialise_home` here, so none of them has to import another adapter for it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from service.config import Settings

if TYPE_CHECKING:  # the register is imported inside the functions: `--help` stays light
    from service.register.schema import UpgradeReport


def initialise_home(settings: Settings) -> list[Path]:
    """Create the home's folders and database (idempotent), make ``var/`` private to the
    service's account and keep compiled templates in the account's cache (``settings.cache``)
    from now on; returns the folders. A database of an earlier release is refused (the
    service does not start): ``init`` upgrades it (:func:`upgrade_home`)."""
    from service.documents import template_cache
    from service.permissions import secure_private_tree
    from service.register.db import init_database

    template_cache.configure(settings.cache)

    folders = [
        settings.inbox,
        settings.processed,
        settings.failed,
        settings.outbox,
        settings.var,
        settings.store_dir,
    ]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    try:
        init_database(settings.database_url)
    finally:  # after: the database file it may have created is private too, whatever umask
        secure_private_tree(settings.var)
    return folders


def upgrade_home(settings: Settings) -> UpgradeReport:
    """Bring the home's database to this release's schema, a copy of it kept first (SQLite, in
    ``var/backups/``); returns what was done, for the caller to say."""
    from service.register.schema import upgrade_database

    settings.var.mkdir(parents=True, exist_ok=True)
    return upgrade_database(settings.database_url, settings.backups_dir)
