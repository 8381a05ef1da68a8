"""Progress of a batch being processed, readable by other processes while the pipeline's
transaction is still open: a small JSON file ``var/progress/<batch>.json`` (the register only
learns the figures when the batch commits)."""

from __future__ import annotations

import json
from pathlib import Path

from service.store import atomic_write


def progress_path(var: Path, batch_id: int) -> Path:
    return var / "progress" / f"{int(batch_id)}.json"


def write_progress(var: Path, batch_id: int, done: int, total: int) -> None:
    """Record that ``done`` of ``total`` documents of the batch are ready (not flushed to the
    disk: a figure for the page while the batch runs, of no use after a crash)."""
    data = json.dumps({"done": done, "total": total}).encode("utf-8")
    atomic_write(progress_path(var, batch_id), data, durable=False)


def read_progress(var: Path, batch_id: int) -> tuple[int, int] | None:
    """(done, total) while the batch runs, or None when nothing was recorded."""
    try:
        data = json.loads(progress_path(var, batch_id).read_text(encoding="utf-8"))
        return int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def clear_progress(var: Path, batch_id: int) -> None:
    progress_path(var, batch_id).unlink(missing_ok=True)
