"""The packs' files under ``var/packs/`` (service/archive/pack_files.py): a large pack is written
member by member from the store, never held whole in memory (before, a school's pack of
15,000 documents and their scans was built in a BytesIO on every request); a second request
for a pack being written waits and reuses it; old packs are removed."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

from service.archive import pack_files
from service.archive.pack_files import KEEP_COUNT, KEEP_SECONDS, clean_packs, finished_pack
from service.store import FileStore

MEASURE = """
import resource, sys
from datetime import datetime
from pathlib import Path
from service.archive.packs import build_pack
from service.register.models import Document
from service.store import FileStore

var = Path(sys.argv[1])
store = FileStore(var / "store")
digests = sorted(p.name for p in (var / "store").glob("*/*"))


def documents(digests):
    return [
        Document(kind="program", subject_key=f"p{n}", subject_label=f"Пара {n}", version=1,
                 sha256=d, file_name=f"Программа {n}.docx", context=None,
                 created_at=datetime(2025, 5, 1, 12, 0), signatures=[])
        for n, d in enumerate(digests)
    ]


build_pack(store, var, documents(digests[:1]), "разминка", "a.zip")  # imports, first use
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
pack = build_pack(store, var, documents(digests), "Опись", "b.zip")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) * 1024, pack.path)
"""


def test_a_large_pack_is_written_in_bounded_memory(tmp_path):
    """16 store files of 1 MB that do not compress: a 16-MB pack. The builder's peak memory
    (RSS, measured in a child process after a first small pack) grows by less than a quarter
    of it; the whole pack in memory (as before) grew by 16 MB."""
    var = tmp_path / "var"
    store = FileStore(var / "store")
    files = [store.put(os.urandom(1 << 20)) for _ in range(16)]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(var)], capture_output=True, text=True, check=True
    )
    growth, path = done.stdout.split()
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert names[0] == "Опись.xlsx" and len(names) == 17
        by_name = {f"Программа {n}.docx": d for n, d in enumerate(sorted(files))}
        for name, digest in by_name.items():
            assert archive.read(name) == store.get(digest)
    size = Path(path).stat().st_size
    assert size > 16 << 20
    assert int(growth) < size // 4, (int(growth), size)


def test_a_pack_being_written_is_waited_for_and_reused(tmp_path):
    """Two requests for one pack at once: the second waits while the first writes (a lock per
    pack), then gets the first's file; its own writer is never called, and no temporary file is
    left."""
    writing, go_on = threading.Event(), threading.Event()
    calls: list[str] = []
    got: dict[str, Path] = {}

    def slow(out) -> None:
        calls.append("first")
        writing.set()
        assert go_on.wait(30)
        out.write(b"PK whole")

    def never(out) -> None:
        calls.append("second")

    first = threading.Thread(target=lambda: got.update(a=finished_pack(tmp_path, "k1", slow)))
    first.start()
    assert writing.wait(30)
    second = threading.Thread(target=lambda: got.update(b=finished_pack(tmp_path, "k1", never)))
    second.start()
    second.join(0.3)
    assert second.is_alive() and "b" not in got  # waiting for the first
    go_on.set()
    first.join(30)
    second.join(30)
    assert calls == ["first"]
    assert got["a"] == got["b"] == tmp_path / "packs" / "k1.zip"
    assert got["a"].read_bytes() == b"PK whole"
    assert sorted(p.name for p in (tmp_path / "packs").iterdir()) == [".k1.lock", "k1.zip"]
    folder = stat.S_IMODE((tmp_path / "packs").stat().st_mode)
    assert (folder, stat.S_IMODE(got["a"].stat().st_mode)) == (0o700, 0o600)


def test_a_failed_pack_leaves_no_file(tmp_path):
    def broken(out) -> None:
        out.write(b"PK half")
        raise OSError("диск полон")

    try:
        finished_pack(tmp_path, "k2", broken)
    except OSError as exc:
        assert str(exc) == "диск полон"
    else:
        raise AssertionError("no OSError")
    assert sorted(p.name for p in (tmp_path / "packs").iterdir()) == [".k2.lock"]


def test_old_packs_are_removed(tmp_path):
    """Kept: the :data:`KEEP_COUNT` packs asked for most recently within a day (a pack's
    file keeps the time it was written, its lock file the time it was last asked for) and a
    temporary file being written; removed: the rest, a pack not asked for in a day, a
    temporary file and a lock left a day."""
    folder = pack_files.packs_folder(tmp_path)
    now = time.time()
    ages = {f"p{n:02}.zip": n * 60 for n in range(KEEP_COUNT + 2)}
    ages |= {"stale.zip": KEEP_SECONDS + 60, ".tmp-old.zip": KEEP_SECONDS + 60}
    ages |= {".tmp-new.zip": 5, ".stale.lock": KEEP_SECONDS + 60, ".p00.lock": 60}
    ages |= {"asked.zip": KEEP_SECONDS + 60, ".asked.lock": 30}  # written long ago, asked now
    for name, age in ages.items():
        (folder / name).write_bytes(b"PK")
        os.utime(folder / name, (now - age, now - age))
    removed = clean_packs(folder, keep=folder / "p09.zip", now=now)
    assert sorted(p.name for p in removed) == [
        ".stale.lock",
        ".tmp-old.zip",
        "p07.zip",
        "p08.zip",
        "stale.zip",
    ]
    kept = ["asked.zip"] + [f"p{n:02}.zip" for n in range(KEEP_COUNT - 1)] + ["p09.zip"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [".asked.lock", ".p00.lock", ".tmp-new.zip", *kept]
    )


def test_a_pack_reused_cleans_up_too(tmp_path):
    """review15: old packs were removed only after a new pack was written, so a pack not asked
    for in a day (the school's personal data) stayed as long as every request reused a kept
    one. A request that reuses its pack removes them as well."""
    folder = pack_files.packs_folder(tmp_path)
    (folder / "kept.zip").write_bytes(b"PK kept")
    old = time.time() - KEEP_SECONDS - 60
    (folder / "stale.zip").write_bytes(b"PK stale")
    os.utime(folder / "stale.zip", (old, old))

    def never(out) -> None:
        raise AssertionError("a kept pack is written again")

    assert finished_pack(tmp_path, "kept", never) == folder / "kept.zip"
    assert sorted(p.name for p in folder.iterdir()) == [".kept.lock", "kept.zip"]
