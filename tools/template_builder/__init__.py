"""Builds every DOCX template of ``templates_docx/`` from code (see :mod:`.common`).

Each module exposes ``BUILDERS``: kind id → function returning a python-docx ``Document``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from service.documents.catalogue import KINDS
from tools.template_builder import (
    common,
    consents,
    contract,
    dissemination,
    orders,
    program,
    regulation,
    reports,
    roadmap,
    target_model,
)

BUILDERS: dict[str, Callable] = {}
for _module in (
    orders,
    regulation,
    target_model,
    roadmap,
    consents,
    dissemination,
    contract,
    program,
    reports,
):
    BUILDERS.update(_module.BUILDERS)


def build_all(out_dir: Path) -> list[Path]:
    """Write the template of every catalogued kind into ``out_dir``; returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        if kind.id not in BUILDERS:
            continue
        path = out_dir / kind.template
        common.end_after_table(BUILDERS[kind.id]()).save(path)
        written.append(path)
    return written
