"""The administrator's page «Архив для проверки»: the year's BagIt export made in the browser
(``nastavnik archive export`` without a folder: it needs the CA password, which the
administrator holds and the inspector has not) and kept for the inspector's «Архив» page. The
export runs in the background (:class:`~service.web.jobs.ExportJobs`), one at a time: the page
shows it running, then its outcome."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from service.archive.bag import ExportResult, export_bag
from service.archive.exports import keep_export, kept_exports
from service.errors import Conflict
from service.register.archive import archived_years
from service.register.db import session_factory
from service.signing.signer import open_ca
from service.web.errors import BadInput
from service.web.jobs import exports
from service.web.lookups import db, form_text, settings
from service.web.security import role_required

bp = Blueprint("exports", __name__, url_prefix="/admin/archive")


@bp.get("/")
@role_required("admin")
def index() -> str:
    job = exports().state
    return render_template(
        "admin/archive.html",
        years=archived_years(db()),
        exports=kept_exports(settings().var),
        job=job,
        outcome_text=outcome(job.result) if job is not None and job.result else "",
    )


def outcome(result: ExportResult) -> str:
    """What a finished export says on the page."""
    warning = result.unarchived_warning()
    return (
        f"Архив {result.school_year} учебного года выгружен: документов {result.documents}, "
        f"файлов {result.files}, {result.bytes / 1e6:.1f} МБ. Проверяющий скачивает его на "
        "странице «Архив»." + (f" {warning}" if warning else "")
    )


@bp.post("/")
@role_required("admin")
def export() -> Response:
    year = form_text("year", "Учебный год", limit=20)
    password = form_text("ca_password", "Пароль удостоверяющего центра", limit=500, strip=False)
    if year not in archived_years(db()):
        raise BadInput(f"В архиве нет документов {year} учебного года: выгружать нечего.")
    db().close()  # the export opens its own transactions: nothing held meanwhile
    current, actor = settings(), current_user.login
    open_ca(current.var, password)  # a wrong password is said now, not after a refresh
    sessions = session_factory(current.database_url)

    def write(folder) -> ExportResult:
        return export_bag(sessions, current, folder, password, year=year, actor=actor)

    try:
        exports().start(year, actor, lambda: keep_export(current.var, write))
    except Conflict as exc:  # one at a time: the page shows the one running
        running = exports().state
        if running is not None and (running.year, running.actor) == (year, actor):
            # a second click (or the form sent again from another tab): the first one's export
            flash(
                f"Выгрузка архива {year} учебного года уже идёт: начата вами "
                f"{running.started_at:%d.%m.%Y в %H:%M}; ход и итог — на этой странице."
            )
        else:
            flash(exc.message, "error")
        return redirect(url_for("exports.index"))
    flash(f"Выгрузка архива {year} учебного года началась; ход и итог — на этой странице.")
    return redirect(url_for("exports.index"))
