"""``nastavnik watch|serve|run``: the folder watcher, the web service, or both, until stopped
(Ctrl+C, ``systemctl stop``). Wiring only: :mod:`service.watcher`, :mod:`service.web`."""

from __future__ import annotations

import signal
import threading
from typing import TYPE_CHECKING

import click

from service.cli.common import RussianError, pass_settings
from service.config import Settings
from service.home import initialise_home, service_running

if TYPE_CHECKING:
    from waitress.server import BaseWSGIServer, MultiSocketServer


@click.command()
@pass_settings
def watch(settings: Settings) -> None:
    """Следить за папкой inbox/ (без веб-сервиса)."""
    from service.watcher import InboxWatcher

    with service_running(settings):
        initialise_home(settings)
        watcher = InboxWatcher(settings)
        watcher.start()
        _wait_for_signal()
        watcher.stop()


@click.command()
@pass_settings
def serve(settings: Settings) -> None:
    """Запустить веб-сервис (без наблюдения за папкой)."""
    web_threads(settings)  # a wrong setting refused before anything starts
    with service_running(settings):
        initialise_home(settings)
        _serving(settings, _listening(settings)).run()


@click.command()
@click.option("--demo", is_flag=True, help="Положить в inbox/ заполненную книгу-пример.")
@pass_settings
def run(settings: Settings, demo: bool) -> None:
    """Веб-сервис и наблюдение за папкой inbox/ вместе."""
    from service.watcher import InboxWatcher

    web_threads(settings)  # a wrong setting refused before anything starts
    with service_running(settings):
        initialise_home(settings)
        server = _listening(settings)  # a port taken is said before the inbox is touched
        if demo:
            _put_demo_workbook(settings)
        watcher = InboxWatcher(settings)
        watcher.start()
        signal.signal(signal.SIGTERM, _interrupt)  # `systemctl stop`, `kill`: as Ctrl+C
        try:
            _serving(settings, server).run()
        except KeyboardInterrupt:
            pass
        finally:
            watcher.stop()  # its heartbeat then says «остановлено», not «прервано»


MAX_WEB_THREADS = 12
"""Each request holds one of the register's connections while it runs (SQLAlchemy's pool: 5
kept and 10 more, then a 30-second wait for one); a few stay for the watcher, the uploads'
worker and the signing keys' own short transactions."""


def web_threads(settings: Settings) -> int:
    """The setting ``web_threads``, refused with a Russian message outside 1…12."""
    if not 1 <= settings.web_threads <= MAX_WEB_THREADS:
        raise RussianError(
            f"Настройка web_threads = {settings.web_threads}: укажите число от 1 до "
            f"{MAX_WEB_THREADS} (каждый одновременный запрос занимает одно соединение с базой)."
        )
    return settings.web_threads


def _listening(settings: Settings) -> BaseWSGIServer | MultiSocketServer:
    """The web service bound to its address, to be run. A port another program holds (the
    service started twice, on another home; another web server) was a traceback in English
    — after ``run`` had started the watcher and processed the inbox (attack22); now it is
    said in Russian, before anything starts."""

    from waitress.server import create_server

    from service.web import create_app

    threads = web_threads(settings)
    app = create_app(settings)
    try:
        server = create_server(
            app, host=settings.host, port=settings.port, threads=threads, ident="nastavnik"
        )
    except OSError as exc:
        raise RussianError(
            f"Веб-сервис не запущен: адрес {settings.host}:{settings.port} недоступен "
            f"({exc.strerror or exc}). Возможно, служба уже запущена или порт занят другой "
            "программой: остановите её или укажите другой порт (настройка NASTAVNIK_PORT). "
            "Ничего не изменено."
        ) from exc
    return server


def _serving(
    settings: Settings, server: BaseWSGIServer | MultiSocketServer
) -> BaseWSGIServer | MultiSocketServer:
    """``server``, its address said: only now, when what stops it (Ctrl+C, ``SIGTERM``) is in
    place — said before the watcher had started and ``SIGTERM`` was taken, a stop sent on
    reading it killed ``run`` outright (exit −15, the watcher's heartbeat not closed)."""
    import logging

    logging.basicConfig()  # as waitress's serve(): its «Serving on» line is logged
    click.echo(f"Веб-сервис: http://{settings.host}:{settings.port}/  (остановить — Ctrl+C)")
    server.print_listen("Serving on http://{}:{}")
    return server


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _wait_for_signal() -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


def _put_demo_workbook(settings: Settings) -> None:
    """The demo workbook into a home whose register has no school yet. Dropped again at every
    ``make run DEMO=1`` it set a tried register back to the example's data: new versions of
    what the director had signed, the January and May workbooks' changes undone."""
    from datetime import date

    from service.intake.demo import write_demo_workbook
    from service.intake.years import school_year
    from service.register.db import session_scope
    from service.register.school import the_school

    with session_scope(settings.database_url) as session:
        school = the_school(session)
    if school is not None:
        click.echo(
            f"Книга-пример не положена: в реестре уже есть школа «{school.short_name}» "
            "(пример кладётся только в новую рабочую папку)."
        )
        return
    target = settings.inbox / "Пример — МБОУ Идринская СОШ.xlsx"
    # this school year's: a demo of a year over would warn on every document that signing it
    # now dates it today («Это документ 2023–2024 учебного года…»); its «Итоги» are left out,
    # the year is still running (the school gives them in May)
    write_demo_workbook(target, school_year(date.today()), results=False)
    click.echo(f"Книга-пример положена в {target}")


COMMANDS = [watch, serve, run]
