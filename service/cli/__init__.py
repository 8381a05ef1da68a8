"""The ``nastavnik`` command. It only wires things: reads options, builds settings, calls the
domain functions and turns expected failures into a clean Russian message and an exit code.

Imports only where used: this package's modules (one per group of commands) import click,
the settings and light vocabularies at the top, and the register, the renderer, signing or the
web service inside the command that needs them, so ``nastavnik --help`` and small commands start
at once (``tests/test_cli_imports.py``)."""

from __future__ import annotations

import importlib
import logging
import signal
import sys
import threading
from pathlib import Path

import click

from service.cli.common import RussianError, pass_settings
from service.config import Settings, load_settings
from service.home import initialise_home, upgrade_home
from service.permissions import make_process_private

log = logging.getLogger("nastavnik")


def _setup_logging(settings: Settings | None = None, verbose: bool = False) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if settings is not None and settings.var.is_dir():
        handlers.append(logging.FileHandler(settings.log_file, encoding="utf-8"))
    # library chatter, not ours (pymorphy3 says at INFO that it loads its dictionaries)
    for noisy in ("fontTools", "pyhanko.sign.validation", "alembic", "pymorphy3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        handlers=handlers,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )


def _upgrade_home(settings: Settings) -> None:
    """``init`` on an existing home: the database brought to this release's schema, a copy
    of it kept first (SQLite); says what was done."""
    report = upgrade_home(settings)
    if report.changed and not report.created:
        was = "выпуска 0.1" if report.before is None else report.before
        click.echo(f"База данных обновлена: схема {was} → {report.after}.")
        if report.backup is not None:
            click.echo(f"Резервная копия базы до обновления: {report.backup}")


class _Commands(click.Group):
    """The CLI's translation point: every domain error (:class:`NastavnikError`), a stored
    file changed on disk, a register kept busy by another writer past the wait."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            # imported on failure only: a command that never opened the register must not
            # pay for SQLAlchemy's import to have its errors translated
            from sqlalchemy.exc import OperationalError

            from service.errors import NastavnikError
            from service.register.db import is_locked_error
            from service.store import DamagedFile

            if isinstance(exc, NastavnikError):  # every domain error: «Ошибка: …», exit 1
                raise RussianError(exc.message) from exc
            if isinstance(exc, DamagedFile):
                raise RussianError(str(exc)) from exc
            if isinstance(exc, OperationalError) and is_locked_error(exc):
                raise RussianError(
                    "Реестр занят другой записью (подписью или обработкой книги): повторите "
                    "команду через несколько секунд. Ничего не изменено."
                ) from exc
            raise


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar="NASTAVNIK_HOME",
    help="Рабочая папка (по умолчанию — текущая).",
)
@click.option("-v", "--verbose", is_flag=True, help="Подробный журнал.")
@click.pass_context
def main(ctx: click.Context, home: Path | None, verbose: bool) -> None:
    """Документы программы наставничества: из таблицы — в приказы, согласия и программы."""
    make_process_private()  # var/ and everything the service writes: its account only
    settings = load_settings({"home": home})
    ctx.obj = settings
    _setup_logging(settings, verbose)


@main.command()
@click.option(
    "--org",
    "org",
    default=None,
    help="Полное наименование школы — для удостоверяющего центра (если реестр пуст).",
)
@click.option(
    "--ca-password-stdin",
    is_flag=True,
    help="Пароль нового удостоверяющего центра со стандартного ввода.",
)
@click.option(
    "--admin-password-stdin",
    is_flag=True,
    help="Пароль первого администратора — первой строкой стандартного ввода "
    "(пароль УЦ, если нужен, — следующей); без флага пароль придумывается и печатается.",
)
@pass_settings
def init(
    settings: Settings, org: str | None, ca_password_stdin: bool, admin_password_stdin: bool
) -> None:
    """Создать папки, базу данных, первого администратора и удостоверяющий центр школы
    (повторно — безопасно)."""
    import secrets

    from service.cli.signing import org_name
    from service.cli.users import ensure_first_admin
    from service.signing.authority import ensure_ca, has_ca

    _upgrade_home(settings)
    initialise_home(settings)
    _setup_logging(settings)
    click.echo(f"Рабочая папка готова: {settings.home}")
    admin_password = sys.stdin.readline().rstrip("\n") if admin_password_stdin else None
    if admin_password_stdin and not admin_password:
        raise RussianError("Пустой пароль администратора.")
    made = ensure_first_admin(settings, admin_password)
    if made is not None:
        click.echo(f"Создан администратор веб-сервиса: логин {made[0]}")
        if not admin_password_stdin:
            click.echo(f"Пароль администратора (показан один раз, запишите): {made[1]}")
    name = org or org_name(settings)
    if has_ca(settings.var):
        return
    if not name:
        click.echo(
            "Удостоверяющий центр будет создан, когда известна школа: "
            '`nastavnik init --org "Полное наименование"`.'
        )
        return
    if ca_password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise RussianError("Пустой пароль удостоверяющего центра.")
    else:
        password = secrets.token_urlsafe(12)
    ensure_ca(settings.var, name, password)
    click.echo(f"Создан удостоверяющий центр школы: {settings.ca_certificate}")
    if not ca_password_stdin:
        click.echo(f"Пароль удостоверяющего центра (показан один раз, запишите): {password}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def template(file: Path) -> None:
    """Записать пустую книгу для заполнения (FILE.xlsx)."""
    from service.intake.blank import write_blank_workbook

    if file.suffix.lower() != ".xlsx":
        raise RussianError("Имя файла должно оканчиваться на .xlsx")
    write_blank_workbook(file)
    click.echo(f"Пустая книга записана: {file}")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--dry-run",
    is_flag=True,
    help="Только проверить: показать ошибки или что книга изменит, ничего не меняя.",
)
@pass_settings
def process(settings: Settings, file: Path, dry_run: bool) -> None:
    """Обработать одну книгу сейчас (тем же путём, что и папка inbox)."""
    if dry_run:
        from service.dryrun import dry_run as check

        result = check(settings, file)
        click.echo(result.to_text())
        sys.exit(0 if result.accepted else 1)
    from service.pipeline import Outcome, process_workbook

    initialise_home(settings)
    result = process_workbook(settings, file, actor="cli")
    if result.outcome in (Outcome.DONE, Outcome.DUPLICATE):
        click.echo(result.message, err=True)
        if result.report is not None and result.report.warnings:
            click.echo(result.report.to_text(file.name), err=True)
        click.echo(str(result.folder or ""))
        return
    click.echo(result.message, err=True)
    sys.exit(1)


@main.command()
@pass_settings
def watch(settings: Settings) -> None:
    """Следить за папкой inbox/ (без веб-сервиса)."""
    from service.watcher import InboxWatcher

    initialise_home(settings)
    watcher = InboxWatcher(settings)
    watcher.start()
    _wait_for_signal()
    watcher.stop()


@main.command()
@pass_settings
def serve(settings: Settings) -> None:
    """Запустить веб-сервис (без наблюдения за папкой)."""
    initialise_home(settings)
    _serve(settings)


@main.command()
@click.option("--demo", is_flag=True, help="Положить в inbox/ заполненную книгу-пример.")
@pass_settings
def run(settings: Settings, demo: bool) -> None:
    """Веб-сервис и наблюдение за папкой inbox/ вместе."""
    from service.watcher import InboxWatcher

    initialise_home(settings)
    if demo:
        from service.intake.demo import write_demo_workbook

        target = settings.inbox / "Пример — МБОУ Идринская СОШ.xlsx"
        write_demo_workbook(target)
        click.echo(f"Книга-пример положена в {target}")
    watcher = InboxWatcher(settings)
    watcher.start()
    signal.signal(signal.SIGTERM, _interrupt)  # `systemctl stop`, `kill`: as Ctrl+C
    try:
        _serve(settings)
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()  # its heartbeat then says «остановлено», not «прервано»


@main.command("check-template")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind", help="Вид документа (например, order_pairs); по умолчанию — по имени файла."
)
def check_template_command(file: Path, kind: str | None) -> None:
    """Проверить шаблон DOCX: все ли переменные известны и не остаётся ли тегов."""
    from service.documents.check import check_template, guess_kind

    kind = kind or guess_kind(file)
    if kind is None:
        raise RussianError(
            "Не понятно, какой это вид документа: укажите --kind (например, --kind order_pairs)."
        )
    problems = check_template(file, kind)
    if problems:
        click.echo(f"Шаблон «{file.name}» ({kind}): найдено проблем — {len(problems)}.", err=True)
        for number, problem in enumerate(problems, 1):
            click.echo(f"{number}. {problem}", err=True)
        sys.exit(1)
    click.echo(f"Шаблон «{file.name}» ({kind}) в порядке.")


def _serve(settings: Settings) -> None:
    from waitress import serve as waitress_serve

    from service.web import create_app

    app = create_app(settings)
    click.echo(f"Веб-сервис: http://{settings.host}:{settings.port}/  (остановить — Ctrl+C)")
    waitress_serve(app, host=settings.host, port=settings.port, threads=4, ident="nastavnik")


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _wait_for_signal() -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


def _register_commands() -> None:
    """The groups of commands of this package's other modules, in the order of ``--help``'s
    sources (click sorts the listing itself)."""
    for name in ("signing", "users", "archive", "documents", "templates"):
        for command in importlib.import_module(f"service.cli.{name}").COMMANDS:
            main.add_command(command)


_register_commands()
