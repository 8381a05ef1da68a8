"""The web service (Flask). For now one status page; the role pages are their own issue."""

from __future__ import annotations

from flask import Flask, render_template
from sqlalchemy import select

from service.config import Settings, load_settings
from service.pipeline import register_counts
from service.register.db import init_database, session_scope
from service.register.models import Batch

STATUS_NAMES = {
    "processing": "обрабатывается",
    "done": "обработан",
    "rejected": "отклонён",
    "failed": "ошибка обработки",
}


def create_app(settings: Settings | None = None) -> Flask:
    """Application factory; tests pass their own settings."""
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["NASTAVNIK"] = settings
    init_database(settings.database_url)

    @app.get("/")
    def index():
        with session_scope(settings.database_url) as session:
            batches = list(session.scalars(select(Batch).order_by(Batch.id.desc()).limit(20)))
        return render_template(
            "index.html",
            counts=register_counts(settings),
            batches=batches,
            status_names=STATUS_NAMES,
        )

    return app
