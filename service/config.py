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

from service.register.reading import sqlite_url

REPO_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_TEMPLATES = REPO_ROOT / "templates_docx"
"""The standard templates shipped with the program: the default of ``templates_dir``."""


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
        str(SHIPPED_TEMPLATES),
        "Папка со стандартными шаблонами DOCX (NASTAVNIK_TEMPLATES_DIR); шаблоны школы "
        "лежат в <home>/templates/ и ставятся командой nastavnik templates install.",
    ),
    Setting(
        "cache_dir",
        "",
        "Папка кэша скомпилированных шаблонов, общая для всех рабочих папок этой учётной "
        "записи; по умолчанию ~/.cache/nastavnik (NASTAVNIK_CACHE_DIR).",
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
        "damaged_wait_seconds",
        5.0,
        "Сколько секунд ещё ждать книгу, которая не читается как архив (возможно, ещё "
        "копируется по сети с паузами), прежде чем признать её повреждённой "
        "(NASTAVNIK_DAMAGED_WAIT_SECONDS).",
        float,
    ),
    Setting(
        "max_unpacked_mb",
        100,
        "Наибольший размер книги Excel в распакованном виде, МБ: книга больше отклоняется, "
        "не читаясь (защита от «zip-бомб»; NASTAVNIK_MAX_UNPACKED_MB).",
        int,
    ),
    Setting(
        "max_sheet_rows",
        20000,
        "Наибольшее число заполненных строк на одном листе книги (NASTAVNIK_MAX_SHEET_ROWS).",
        int,
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
    Setting(
        "libreoffice",
        "soffice",
        "Программа LibreOffice для PDF/A-копий документов (NASTAVNIK_LIBREOFFICE).",
    ),
    Setting(
        "archive_converters",
        2,
        "Сколько процессов LibreOffice одновременно делают PDF/A-копии; у каждого свой "
        "профиль (NASTAVNIK_ARCHIVE_CONVERTERS).",
        int,
    ),
    Setting(
        "conversion_timeout",
        900,
        "Сколько секунд ждать один вызов LibreOffice, прежде чем счесть его зависшим "
        "(NASTAVNIK_CONVERSION_TIMEOUT).",
        int,
    ),
    Setting(
        "archive_processes",
        2,
        "Сколько процессов считают хеши и проверяют подписи при выгрузке и проверке "
        "архива (NASTAVNIK_ARCHIVE_PROCESSES).",
        int,
    ),
    Setting(
        "stamp_font",
        "/usr/share/fonts/truetype/paratype/PTS55F.ttf",
        "Шрифт отметки об электронной подписи в PDF (PT Sans из пакета fonts-paratype; "
        "NASTAVNIK_STAMP_FONT).",
    ),
    Setting(
        "stamp_font_bold",
        "/usr/share/fonts/truetype/paratype/PTS75F.ttf",
        "Полужирный шрифт заголовка отметки (NASTAVNIK_STAMP_FONT_BOLD).",
    ),
    Setting(
        "retention_years",
        5,
        "Срок хранения приказов по основной деятельности, Положения и прочих документов "
        "программы, лет с 1 января года, следующего за годом документа "
        "(NASTAVNIK_RETENTION_YEARS).",
        int,
    ),
    Setting(
        "retention_consent_years",
        3,
        "Срок хранения согласий и договоров участников, лет после окончания их программы "
        "наставничества (NASTAVNIK_RETENTION_CONSENT_YEARS).",
        int,
    ),
    Setting("host", "127.0.0.1", "Адрес веб-сервиса (NASTAVNIK_HOST)."),
    Setting("port", 8000, "Порт веб-сервиса (NASTAVNIK_PORT).", int),
    Setting(
        "cookie_secure",
        "auto",
        "Cookie входа только по HTTPS: auto — да, если адрес веб-сервиса не 127.0.0.1/localhost; "
        "yes; no — для работы по простому http в локальной сети (NASTAVNIK_COOKIE_SECURE).",
    ),
    Setting(
        "max_upload_mb",
        20,
        "Наибольший размер загружаемого файла, МБ (NASTAVNIK_MAX_UPLOAD_MB).",
        int,
    ),
    Setting(
        "web_threads",
        8,
        "Сколько запросов веб-сервис обрабатывает одновременно (от 1 до 12): долгие выгрузки "
        "ZIP и предпросмотры занимают каждый по одному (NASTAVNIK_WEB_THREADS).",
        int,
    ),
    Setting(
        "log_max_mb",
        10,
        "Наибольший размер журнала var/nastavnik.log, МБ: больший переименовывается в "
        "nastavnik.log.1, и журнал начинается заново (NASTAVNIK_LOG_MAX_MB).",
        int,
    ),
    Setting(
        "log_files",
        5,
        "Сколько файлов журнала хранить вместе с текущим (nastavnik.log, .1 … .4); более "
        "старые удаляются (NASTAVNIK_LOG_FILES).",
        int,
    ),
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
    cache_dir: str = ""
    watch_polling: bool = False
    settle_seconds: float = 0.2
    damaged_wait_seconds: float = 5.0
    max_unpacked_mb: int = 100
    max_sheet_rows: int = 20000
    max_attempts: int = 3
    order_number_format: str = "{n}/{yy}"
    libreoffice: str = "soffice"
    archive_converters: int = 2
    conversion_timeout: int = 900
    archive_processes: int = 2
    stamp_font: str = "/usr/share/fonts/truetype/paratype/PTS55F.ttf"
    stamp_font_bold: str = "/usr/share/fonts/truetype/paratype/PTS75F.ttf"
    retention_years: int = 5
    retention_consent_years: int = 3
    host: str = "127.0.0.1"
    port: int = 8000
    cookie_secure: str = "auto"
    max_upload_mb: int = 20
    web_threads: int = 8
    log_max_mb: int = 10
    log_files: int = 5
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
    def archive_dir(self) -> Path:
        """Archived files, read-only, by SHA-256."""
        return self.var / "archive"

    @property
    def backups_dir(self) -> Path:
        """Copies of the database taken before an upgrade (``nastavnik init``)."""
        return self.var / "backups"

    @property
    def school_templates(self) -> Path:
        """The school's own templates, ``<kind>.docx``, used instead of the shipped ones."""
        return self.home / "templates"

    @property
    def cache(self) -> Path:
        """Compiled templates kept between processes (``service/documents/template_cache``):
        the setting ``cache_dir``, else the account's ``~/.cache/nastavnik``."""
        if self.cache_dir:
            return Path(self.cache_dir).expanduser()
        base = Path(os.environ.get("XDG_CACHE_HOME") or "~/.cache").expanduser()
        if not base.is_absolute():  # the XDG spec: a relative path is invalid, ignored
            base = Path("~/.cache").expanduser()
        return base / "nastavnik"

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
        values["database_url"] = sqlite_url(home / "var" / "nastavnik.db")
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in values.items() if k in known})
