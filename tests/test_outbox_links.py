"""``outbox/`` is shared with the office: a symbolic link put into the folder a batch is being
written to is never written through (attack15: a link named «Опись.xlsx» in ``.tmp-…`` had the
running service write the inventory over the file it pointed to)."""

from __future__ import annotations

import os

import pytest

from service.outbox import INVENTORY_NAME, MANIFEST_NAME, OutboxEntry, OutboxFolder

ENTRY = OutboxEntry("regulation", "Положение о наставничестве", "", "Положение.docx", "0" * 64)


@pytest.fixture
def victim(tmp_path):
    """A file of the service outside ``outbox/`` (the register, the CA's key)."""
    path = tmp_path / "var" / "nastavnik.db"
    path.parent.mkdir()
    path.write_bytes(b"REGISTER")
    return path


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "outbox").mkdir()
    return OutboxFolder(tmp_path / "outbox", "2026-12-02 18-19 № 21 книга")


def test_links_put_into_the_folder_being_written_are_replaced_not_followed(folder, victim):
    folder.open()
    for name in (ENTRY.file, MANIFEST_NAME, INVENTORY_NAME):
        (folder.tmp / name).symlink_to(victim)
    folder.write(ENTRY, b"DOCX")
    placed = folder.close([ENTRY], "Опись", inventory=b"XLSX")
    assert victim.read_bytes() == b"REGISTER"
    assert sorted(p.name for p in placed.iterdir() if not p.is_symlink()) == sorted(
        [ENTRY.file, MANIFEST_NAME, INVENTORY_NAME]
    )
    assert (placed / ENTRY.file).read_bytes() == b"DOCX"
    assert (placed / INVENTORY_NAME).read_bytes() == b"XLSX"


def test_a_link_left_under_the_temporary_name_is_removed_not_followed(folder, victim):
    folder.tmp.symlink_to(victim.parent, target_is_directory=True)
    folder.open()
    assert folder.tmp.is_dir() and not folder.tmp.is_symlink()
    folder.write(ENTRY, b"DOCX")
    folder.close([ENTRY], "Опись", inventory=b"XLSX")
    assert sorted(p.name for p in victim.parent.iterdir()) == ["nastavnik.db"]


def test_a_folder_swapped_for_a_link_while_written_is_not_put_in_place(folder, victim, tmp_path):
    folder.open()
    os.rename(folder.tmp, tmp_path / "aside")
    folder.tmp.symlink_to(victim.parent, target_is_directory=True)
    folder.write(ENTRY, b"DOCX")
    with pytest.raises(OSError, match="was replaced while it was written"):
        folder.close([ENTRY], "Опись", inventory=b"XLSX")
    folder.discard()
    assert sorted(p.name for p in victim.parent.iterdir()) == ["nastavnik.db"]
    assert not os.path.lexists(folder.target) and not os.path.lexists(folder.tmp)
