"""The web office (Flask, served by waitress): one blueprint per role's pages, shared
downloads and packs, and a JSON API under ``/api/``. Views are thin: they call the same
domain functions as the CLI."""

from __future__ import annotations

from typing import Any

from flask import Flask

from service.config import Settings, load_settings
from service.documents import template_cache
from service.register.db import init_database


def create_app(settings: Settings | None = None, config: dict[str, Any] | None = None) -> Flask:
    """Application factory; tests pass their own settings (and Flask ``config`` overrides,
    e.g. ``{"WTF_CSRF_ENABLED": False}``)."""
    from service.web import (
        admin,
        api,
        auth,
        curator,
        director,
        errors,
        exports_admin,
        files,
        filters,
        inspector,
        jobs,
        lookups,
        secretary,
        security,
        templates_admin,
        withdrawal,
    )

    settings = settings or load_settings()
    init_database(settings.database_url)
    template_cache.configure(settings.cache)
    app = Flask(__name__)
    app.config["NASTAVNIK"] = settings
    app.json.ensure_ascii = False  # Russian messages stay readable in JSON
    security.configure(app, settings)
    app.config.update(config or {})
    security.init_app(app)
    errors.init_app(app)
    lookups.init_app(app)
    filters.init_app(app)
    jobs.init_app(app)
    for module in (
        auth,
        files,
        secretary,
        withdrawal,
        director,
        curator,
        inspector,
        admin,
        templates_admin,
        exports_admin,
        api,
    ):
        app.register_blueprint(module.bp)
    security.csrf.exempt(api.bp)
    return app
