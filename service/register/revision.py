"""The register's schema revision this program ships, known without importing Alembic.

Every process checks the database against it at start (:func:`service.register.schema.
prepare_database`); importing Alembic to learn it would cost about 0.1–0.2 s of CPU on every
start. ``tests/test_upgrade.py`` asserts it equals the head of ``migrations/versions/``, so a
new migration without this line updated fails the suite.
"""

HEAD_REVISION = "0011"
"""The newest revision in ``service/register/migrations/versions/``."""
