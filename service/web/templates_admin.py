"""The administrator's page «Шаблоны»: each kind's template in use, download (the one in use and
the standard one), upload of the school's own (checked first, problems listed, nothing changed
then), reset to the standard one, and a preview from the kind's sample context as text or PDF.
The same domain functions as ``nastavnik templates``."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from service.archive.rendition import convert_to_pdfa, converter_of
from service.documents.render import render_document
from service.documents.sample import sample_context
from service.documents.template_files import (
    install_template,
    kind_of,
    list_templates,
    reset_template,
    shipped_template,
    template_file,
)
from service.register.reading import session_reader
from service.web.confirm import confirm_page
from service.web.errors import BadInput
from service.web.files import DOCX, send_bytes
from service.web.lookups import db, form_file, settings
from service.web.preview import text_blocks
from service.web.security import role_required

bp = Blueprint("templates", __name__, url_prefix="/admin/templates")
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024


def _page(status: int = 200, **extra):
    states = list_templates(session_reader(db()), settings())
    return render_template("admin/templates.html", states=states, **extra), status


@bp.get("/")
@role_required("admin")
def index() -> tuple[str, int]:
    return _page()


@bp.get("/<kind_id>.docx")
@role_required("admin")
def download(kind_id: str) -> Response:
    kind = kind_of(kind_id)
    data = template_file(settings(), kind).read_bytes()
    return send_bytes(data, f"Шаблон — {kind.title}.docx", DOCX)


@bp.get("/<kind_id>/standard.docx")
@role_required("admin")
def download_standard(kind_id: str) -> Response:
    kind = kind_of(kind_id)
    data = shipped_template(settings(), kind).read_bytes()
    return send_bytes(data, f"Шаблон — {kind.title} (стандартный).docx", DOCX)


@bp.post("/<kind_id>/upload")
@role_required("admin")
def upload(kind_id: str) -> tuple[str, int] | Response:
    kind = kind_of(kind_id)
    name, data = form_file("template", "Шаблон")
    if len(data) > MAX_TEMPLATE_BYTES:
        raise BadInput(f"Файл «{name}» больше {MAX_TEMPLATE_BYTES // 2**20} МБ.")
    problems = install_template(
        db(),
        settings(),
        kind.id,
        data,
        actor=current_user.login,
        replace=request.form.get("replace") == "1",
    )
    if problems:
        db().rollback()
        return _page(400, refused=kind, refused_name=name, problems=problems)
    db().commit()
    flash(f"Шаблон школы для «{kind.title}» поставлен; новые документы — по нему.")
    return redirect(url_for("templates.index"))


@bp.get("/<kind_id>/reset")
@role_required("admin")
def confirm_reset(kind_id: str) -> str:
    """What «Вернуть стандартный» does, before it does it: the school's file is deleted from
    the templates folder (its bytes stay in the store, which the page does not offer back)."""
    kind = kind_of(kind_id)
    return confirm_page(
        heading="Вернуть стандартный шаблон",
        summary=f"Вернуть стандартный шаблон для «{kind.title}»?",
        notes=[
            "Шаблон школы перестанет действовать и будет удалён из папки шаблонов; новые "
            "документы этого вида будут создаваться по стандартному. Уже созданные документы "
            "не меняются. Чтобы потом поставить шаблон школы снова, сначала скачайте его: "
            "ссылка «действующий» на странице «Шаблоны»."
        ],
        action=url_for("templates.reset", kind_id=kind.id),
        button="Вернуть стандартный",
        cancel=url_for("templates.index"),
        danger=True,
    )


@bp.post("/<kind_id>/reset")
@role_required("admin")
def reset(kind_id: str) -> Response:
    kind = kind_of(kind_id)
    removed = reset_template(db(), settings(), kind.id, actor=current_user.login)
    db().commit()
    if removed:
        flash(f"Для «{kind.title}» снова действует стандартный шаблон.")
    else:
        flash(f"Для «{kind.title}» и так действует стандартный шаблон.")
    return redirect(url_for("templates.index"))


@bp.get("/<kind_id>/preview")
@role_required("admin")
def preview(kind_id: str) -> str:
    kind = kind_of(kind_id)
    data = render_document(settings(), kind, sample_context(kind.id))
    return render_template("admin/template_preview.html", kind=kind, blocks=text_blocks(data))


@bp.get("/<kind_id>/preview.pdf")
@role_required("admin")
def preview_pdf(kind_id: str) -> Response:
    kind = kind_of(kind_id)
    data = render_document(settings(), kind, sample_context(kind.id))
    pdf = convert_to_pdfa({kind.id: data}, converter_of(settings())).get(kind.id)
    if pdf is None:
        raise BadInput(f"LibreOffice не смог показать «{kind.title}» в PDF.")
    return send_bytes(pdf, f"Образец — {kind.title}.pdf", "application/pdf")
