"""Alembic's environment for the register: the database URL comes from the service's
settings (``NASTAVNIK_HOME`` / ``nastavnik.toml``) unless the caller passes a connection, as
:mod:`service.register.schema` does. The whole upgrade runs in one transaction (SQLite and
PostgreSQL both have transactional DDL): an upgrade that fails changes nothing."""

from __future__ import annotations

from alembic import context

from service.register.models import Base

config = context.config


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters a table by copying it: autogenerate writes batch operations
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        context.run_migrations()
        return
    from service.config import load_settings
    from service.register.schema import migration_engine

    engine = migration_engine(load_settings().database_url)
    try:
        with engine.connect() as connection, connection.begin():
            _configure(connection)
            context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Миграции реестра выполняются только на живой базе (без --sql).")
run_migrations_online()
