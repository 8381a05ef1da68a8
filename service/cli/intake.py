"""``nastavnik template|process|check-template|withdraw-pair``: the blank workbook, one workbook
processed now (the inbox's own path) or only checked, a DOCX template checked, and a pair entered
by mistake withdrawn. Wiring only: the work is in :mod:`service.pipeline`, :mod:`service.dryrun`,
:mod:`service.intake`, :mod:`service.documents.check` and :mod:`service.pair_withdrawal`."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import click

from service.cli.common import RussianError, pass_settings
from service.config import Settings
from service.home import initialise_home


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def template(file: Path) -> None:
    """Записать пустую книгу для заполнения (FILE.xlsx)."""
    from service.intake.blank import write_blank_workbook

    if file.suffix.lower() != ".xlsx":
        raise RussianError("Имя файла должно оканчиваться на .xlsx")
    write_blank_workbook(file)
    click.echo(f"Пустая книга записана: {file}")


@click.command()
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
    from service.documents import template_cache
    from service.documents.parallel import fork_workers, run_beside, warm_workers
    from service.intake.guard import Limits
    from service.intake.reader import read_sheets
    from service.pipeline import Outcome, process_workbook

    gc.freeze()  # the modules just loaded live as long as the command: no full collection
    try:  # walks their ~100,000 objects again (about 0.05 s of CPU of a small school's 0.4 s)
        # the render worker, forked before the register is opened, gets ready on the other
        # core while this process reads the workbook (the worker reads the same template cache)
        template_cache.configure(settings.cache)
        fork_workers(settings.templates_dir)
        # which, idle until the documents come, reads the workbook's sheets meanwhile: the
        # home, its database and the batch's record are made here on this core
        sheets = run_beside(read_sheets, file, Limits.of(settings))
        warm_workers(settings.templates_dir)  # then compiles the templates
        initialise_home(settings)
        result = process_workbook(settings, file, actor="cli", sheets=sheets)
    finally:
        gc.unfreeze()
    if result.outcome in (Outcome.DONE, Outcome.DUPLICATE):
        click.echo(result.message, err=True)
        if result.report is not None and result.report.warnings:
            click.echo(result.report.to_text(file.name), err=True)
        click.echo(str(result.folder or ""))
        return
    click.echo(result.message, err=True)
    sys.exit(1)


@click.command("check-template")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind", help="Вид документа (например, order_pairs); по умолчанию — по имени файла."
)
@pass_settings
def check_template_command(settings: Settings, file: Path, kind: str | None) -> None:
    """Проверить шаблон DOCX: все ли переменные известны и не остаётся ли тегов."""
    from service.documents.catalogue import BY_ID
    from service.documents.check import check_template, guess_kind

    kind = kind or guess_kind(file)
    if kind is None:
        raise RussianError(
            "Не понятно, какой это вид документа: укажите --kind (например, --kind order_pairs)."
        )
    problems = check_template(file, kind, settings.templates_dir)
    found = BY_ID.get(kind)
    what = found.title if found is not None else kind  # an unknown --kind: as typed
    if problems:
        click.echo(f"Шаблон «{file.name}» ({what}): найдено проблем — {len(problems)}.", err=True)
        for number, problem in enumerate(problems, 1):
            click.echo(f"{number}. {problem}", err=True)
        sys.exit(1)
    click.echo(f"Шаблон «{file.name}» ({what}) в порядке.")


@click.command("withdraw-pair")
@click.argument("code")
@click.option("--yes", is_flag=True, help="Не спрашивать подтверждения.")
@pass_settings
def withdraw_pair_command(settings: Settings, code: str, yes: bool) -> None:
    """Исключить пару, введённую по ошибке (ни один её документ не подписан)."""
    from service.pair_withdrawal import plan_lines, withdraw_pair, withdrawal_plan

    plan = withdrawal_plan(settings, code)
    click.echo(f"Пара «{plan.code}»: {plan.mentor} — {', '.join(plan.mentees)}.")
    for line in plan_lines(plan):
        click.echo(line)
    click.echo(
        "Документы будут составлены заново без неё; пара останется в реестре с отметкой "
        "«исключена», её код больше не используется. Отменить исключение нельзя."
    )
    if not yes and not click.confirm("Исключить пару?", default=False):
        raise RussianError("Пара не исключена.")
    click.echo(withdraw_pair(settings, code, actor="cli").message)


COMMANDS = [template, process, check_template_command, withdraw_pair_command]
