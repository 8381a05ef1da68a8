"""File names as the service writes and lists them: a document in the outbox, a ZIP pack, an
inventory's folder, an uploaded workbook, a batch's folder.

A name comes from the register (a kind's title, a participant's ФИО, a pair's code) or from
whoever dropped a file in the inbox, so it may hold what a file system refuses (path
separators, reserved characters) or what makes a list lie (direction controls that show
«книга\u202excsl.exe» as «книгаexe.lscx»). :func:`safe_file_name` makes a name any file system
accepts; :func:`shown_name` is a name as the lists show it.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""The invisible characters that turn the text after them right to left: «книга\u202excsl.exe»
reads «книгаexe.lscx» — a name in a list that lies about itself."""


def shown_name(name: str) -> str:
    """A file name as the lists show it: the direction controls become «_»."""
    return BIDI_CONTROLS.sub("_", name)


def safe_file_name(name: str, limit: int = 150) -> str:
    """A name any file system accepts and a list shows as it is: no path separators, reserved
    characters or direction controls (:func:`shown_name`)."""
    name = shown_name(re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name))
    name = " ".join(name.split()).strip(" .")
    return name[:limit] or "документ"
