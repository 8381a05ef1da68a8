"""Exceptions of the archive package; their messages are in Russian and may be shown as is."""

from __future__ import annotations

from service.errors import Conflict


class ArchiveError(Conflict):
    """A request the archive cannot do as asked (nothing to export, a folder that is not
    empty, a document whose retention period is not over…)."""
