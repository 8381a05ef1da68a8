"""The administrator's page «Архив для проверки»: the year's BagIt export made in the browser
(``nastavnik archive export`` without a folder: it needs the CA password, which the
administrator holds and the inspector has not) and kept for the inspector's «Архив» page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from service.archive.bag import ExportResult, export_bag
from service.archive.exports import keep_export, kept_exports
from service.register.archive import archived_years
from service.register.db import session_factory
from service.web.errors import BadInput
from service.web.lookups import db, form_text, settings
from service.web.security import role_required

bp = Blueprint("exports", __name__, url_prefix="/admin/archive")


@bp.get("/")
@role_required("admin")
def index() -> str:
    return render_template(
        "admin/archive.html", years=archived_years(db()), exports=kept_exports(settings().var)
    )


@bp.post("/")
@role_required("admin")
def export() -> Response:
    year = form_text("year", "Учебный год", limit=20)
    password = form_text("ca_password", "Пароль удостоверяющего центра", limit=500, strip=False)
    if year not in archived_years(db()):
        raise BadInput(f"В архиве нет документов {year} учебного года: выгружать нечего.")
    db().close()  # the export opens its own transactions: nothing held meanwhile
    current = settings()
    sessions = session_factory(current.database_url)

    def write(folder) -> ExportResult:
        return export_bag(sessions, current, folder, password, year=year, actor=current_user.login)

    result = keep_export(current.var, write)
    flash(
        f"Архив {result.school_year} учебного года выгружен: документов {result.documents}, "
        f"файлов {result.files}, {result.bytes / 1e6:.1f} МБ. Проверяющий скачивает его на "
        "странице «Архив»."
        + (f" {result.unarchived_warning()}" if result.unarchived_warning() else "")
    )
    return redirect(url_for("exports.index"))
