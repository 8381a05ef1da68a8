"""One settings object for every process (web, watcher, CLI).

Settings are declared once, as data, with their default and help text. They are read in this
order, each overriding the previous: defaults, the file ``<home>/nastavnik.toml`` (optional),
``NASTAVNIK_*`` environment variables, then explicit overrides (CLI flags, test fixtures).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    type: type = str


SETTINGS: tuple[Setting, ...] = (
    Setting("home", ".", "Рабочая папка: inbox/, outbox/, var/ (NASTAVNIK_HOME)."),
    Setting(
        "database_url",
        "",
        "Адрес базы данных; по умолчанию SQLite в var/nastavnik.db "
        "(NASTAVNIK_DATABASE_URL, например postgresql+psycopg://…).",
    ),
    Setting(
        "templates_dir",
        str(REPO_ROOT / "templates_docx"),
        "Папка с шаблонами DOCX (NASTAVNIK_TEMPLATES_DIR).",
    ),
    Setting(
        "watch_polling",
        False,
        "Опрашивать папку вместо событий ОС — для сетевых папок (NASTAVNIK_WATCH_POLLING=1).",
        bool,
    ),
    Setting(
        "settle_seconds",
        0.2,
        "Сколько секунд файл должен не меняться, прежде чем его читать (NASTAVNIK_SETTLE_SECONDS).",
        float,
    ),
    Setting(
        "max_attempts",
        3,
        "Сколько раз пробовать файл, на котором обработка упала, прежде "
        "чем переложить его в failed/ (NASTAVNIK_MAX_ATTEMPTS).",
        int,
    ),
    Setting(
        "order_number_format",
        "{n}/{yy}",
        "Вид регистрационного номера приказа: {n} — порядковый номер в году, {yy} или {yyyy} — "
        "год, {mm} — месяц (NASTAVNIK_ORDER_NUMBER_FORMAT).",
    ),
    Setting("host", "127.0.0.1", "Адрес веб-сервиса (NASTAVNIK_HOST)."),
    Setting("port", 8000, "Порт веб-сервиса (NASTAVNIK_PORT).", int),
)


def _coerce(value: Any, kind: type) -> Any:
    if kind is bool and isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "да", "on"}
    return kind(value)


@dataclass(frozen=True)
class Settings:
    """Resolved settings; build with :func:`load_settings`."""

    home: Path
    database_url: str
    templates_dir: Path
    watch_polling: bool = False
    settle_seconds: float = 0.2
    max_attempts: int = 3
    order_number_format: str = "{n}/{yy}"
    host: str = "127.0.0.1"
    port: int = 8000
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"

    @property
    def processed(self) -> Path:
        return self.inbox / "processed"

    @property
    def failed(self) -> Path:
        return self.inbox / "failed"

    @property
    def outbox(self) -> Path:
        return self.home / "outbox"

    @property
    def var(self) -> Path:
        return self.home / "var"

    @property
    def store_dir(self) -> Path:
        return self.var / "store"

    @property
    def ca_certificate(self) -> Path:
        return self.var / "ca" / "ca.pem"

    @property
    def log_file(self) -> Path:
        return self.var / "nastavnik.log"


def load_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """Defaults ← ``<home>/nastavnik.toml`` ← ``NASTAVNIK_*`` ← ``overrides`` (None values skip)."""
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    env = {s.name: os.environ.get("NASTAVNIK_" + s.name.upper()) for s in SETTINGS}
    home = Path(overrides.get("home") or env["home"] or values["home"]).expanduser().resolve()
    config_file = home / "nastavnik.toml"
    if config_file.is_file():
        with config_file.open("rb") as fh:
            values.update({k: v for k, v in tomllib.load(fh).items() if k in values})
    values.update({k: v for k, v in env.items() if v not in (None, "")})
    values.update(overrides)
    kinds = {s.name: s.type for s in SETTINGS}
    values = {k: _coerce(v, kinds[k]) for k, v in values.items()}
    values["home"] = home
    values["templates_dir"] = Path(values["templates_dir"]).expanduser().resolve()
    if not values["database_url"]:
        values["database_url"] = f"sqlite:///{home / 'var' / 'nastavnik.db'}"
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in values.items() if k in known})
