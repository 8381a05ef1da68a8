"""Is the folder watcher alive? Its loop writes a heartbeat to ``var/watcher.json``; the
secretary's page reads it and says, in Russian, whether books dropped into ``inbox/`` are
being processed.

A heartbeat is written on every pass of the loop (at least every few seconds while it waits)
and when it starts and finishes a file, so a silent heartbeat means a stuck or dead loop. The
process is identified by its pid and start time (:func:`process_identity`), so a crashed
watcher is told from a running one even when its pid has been reused.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from service.store import atomic_write

HEARTBEAT_FILE = "watcher.json"
SILENT_AFTER = 30.0
"""Seconds without a heartbeat (while not busy with a file) after which the loop is stuck."""


def process_identity(pid: int) -> str | None:
    """Something that tells this process from a later one with the same pid (its start time
    in clock ticks, from ``/proc``); None when there is no such process or it has died and
    only waits to be reaped (a zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # the name, in brackets, may hold spaces
    return None if fields[0] in ("Z", "X", "x") else fields[19]


class WatcherState(StrEnum):
    ABSENT = "absent"
    """Never started in this home (``nastavnik serve`` alone)."""
    WAITING = "waiting"
    BUSY = "busy"
    SILENT = "silent"
    STOPPED = "stopped"
    DEAD = "dead"
    """The process ended without saying so (killed, crashed)."""


@dataclass(frozen=True)
class WatcherHealth:
    state: WatcherState
    beat: datetime | None = None
    """The last heartbeat."""
    file: str | None = None
    """The file being processed, when busy."""
    since: datetime | None = None
    """When the current file was taken."""
    handled: int = 0
    """Files handled since the watcher started."""

    @property
    def ok(self) -> bool:
        return self.state in (WatcherState.WAITING, WatcherState.BUSY)

    def text(self) -> str:
        """One Russian sentence for the secretary's page."""
        at = f"{self.beat:%d.%m.%Y %H:%M:%S}" if self.beat else ""
        if self.state is WatcherState.WAITING:
            return f"Папка inbox: наблюдение работает (последний отклик — {at})."
        if self.state is WatcherState.BUSY:
            return (
                f"Папка inbox: наблюдение работает, обрабатывается файл «{self.file}» "
                f"(с {self.since:%H:%M:%S})."
            )
        if self.state is WatcherState.SILENT:
            return (
                f"Папка inbox: наблюдение не отвечает с {at} — книги из папки сейчас не "
                "обрабатываются. Сообщите администратору; загрузка на этой странице работает."
            )
        if self.state in (WatcherState.STOPPED, WatcherState.DEAD):
            how = "остановлено" if self.state is WatcherState.STOPPED else "прервано"
            return (
                f"Папка inbox: наблюдение {how} ({at}) — книги из папки не обрабатываются. "
                "Сообщите администратору; загрузка на этой странице работает."
            )
        return (
            "Папка inbox: наблюдение не запущено — книги из папки не обрабатываются; "
            "загрузка на этой странице работает."
        )


def write_heartbeat(
    var: Path,
    *,
    started: float,
    file: str | None,
    since: float | None,
    handled: int,
    stopped: bool = False,
) -> None:
    """Record that the watcher loop of this process is alive (or has stopped)."""
    state = {
        "pid": os.getpid(),
        "identity": process_identity(os.getpid()),
        "started": started,
        "beat": time.time(),
        "file": file,
        "since": since,
        "handled": handled,
        "stopped": stopped,
    }
    atomic_write(var / HEARTBEAT_FILE, json.dumps(state, ensure_ascii=False).encode("utf-8"))


def read_health(var: Path, now: float | None = None) -> WatcherHealth:
    """What the last heartbeat in ``var`` says about the watcher."""
    try:
        state = json.loads((var / HEARTBEAT_FILE).read_bytes())
        beat = float(state["beat"])
    except (OSError, ValueError, KeyError, TypeError):
        return WatcherHealth(WatcherState.ABSENT)
    now = time.time() if now is None else now
    since = state.get("since")
    common = {
        "beat": datetime.fromtimestamp(beat),
        "handled": int(state.get("handled") or 0),
        "file": state.get("file"),
        "since": datetime.fromtimestamp(since) if since else None,
    }
    if state.get("stopped"):
        return WatcherHealth(WatcherState.STOPPED, **common)
    pid, identity = state.get("pid"), state.get("identity")
    if identity and (not isinstance(pid, int) or process_identity(pid) != identity):
        return WatcherHealth(WatcherState.DEAD, **common)
    if state.get("file"):
        return WatcherHealth(WatcherState.BUSY, **common)
    if now - beat > SILENT_AFTER:
        return WatcherHealth(WatcherState.SILENT, **common)
    return WatcherHealth(WatcherState.WAITING, **common)
