"""The check's verdicts are remembered in ``var/cache/template-checks.json`` (issue 15:
``templates list`` at once), by kind, the template's SHA-256 and the checker's version: a
template changed on disk is checked at once, and a damaged, tampered or older cache is never
believed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from service.config import Settings, load_settings
from service.documents import template_cache
from service.documents.catalogue import KINDS
from service.documents.verdicts import (
    CACHE_NAME,
    CHECKER_LIBRARIES,
    checker_version,
    template_verdicts,
)
from service.home import initialise_home
from tests import cli
from tests.test_school_templates import TEMPLATES, school_version

BROKEN = "Подпись завуча: {{ zavuch.name }}"
PROBLEM = (
        "    Переменной «zavuch» нет в данных документа этого вида — в абзаце «Подпись завуча: "
        "{{ zavuch.name }}»"
    )  # fmt: skip


def listing(settings: Settings, account_cache: Path | None = None, stderr: str = "") -> list[str]:
    """``templates list`` of the home of ``settings`` (with ``account_cache``: that folder as
    the account's cache), its standard error ``stderr``."""
    env = dict(os.environ)
    if account_cache is not None:
        env["NASTAVNIK_CACHE_DIR"] = str(account_cache)
    done = cli.nastavnik("--home", str(settings.home), "templates", "list", env=env)
    assert (done.returncode, done.stderr[24:]) == (0, stderr)  # after the log line's time
    return done.stdout.splitlines()


def test_a_template_changed_on_disk_is_checked_at_once(settings: Settings, tmp_path: Path):
    own = settings.school_templates / "order_pairs.docx"
    own.parent.mkdir()
    shutil.copyfile(school_version(tmp_path, BROKEN), own)  # put there by hand, not installed
    fine = [f"{k.id}\tстандартный; проверка: в порядке\t{k.title}" for k in KINDS]
    index = [k.id for k in KINDS].index("order_pairs")
    title = KINDS[index].title
    expected = [*fine]
    expected[index : index + 1] = [f"order_pairs\tшколы; проверка: проблем — 1\t{title}", PROBLEM]
    assert listing(settings) == expected
    cache = settings.var / "cache" / CACHE_NAME
    assert cache.stat().st_mode & 0o777 == 0o600
    assert len(json.loads(cache.read_text("utf-8"))["verdicts"]) == len(KINDS)

    shutil.copyfile(school_version(tmp_path, "Своя формулировка школы."), own)
    expected[index : index + 2] = [f"order_pairs\tшколы; проверка: в порядке\t{title}"]
    assert listing(settings) == expected
    assert len(json.loads(cache.read_text("utf-8"))["verdicts"]) == len(KINDS)


def test_a_new_home_takes_the_verdicts_the_account_already_knows(
    settings: Settings, tmp_path: Path
):
    """A verdict does not depend on the home: it is kept in the account's cache too, and a new
    home's first ``templates list`` takes it from there instead of checking the sixteen
    templates again (3–4 s; issue 15: small commands start at once)."""
    account = tmp_path / "account-cache"
    fine = [f"{k.id}\tстандартный; проверка: в порядке\t{k.title}" for k in KINDS]
    assert listing(settings, account) == fine
    kept = account / "verdicts" / checker_version()
    names = sorted(path.name for path in kept.iterdir())
    shipped = {
        k.id: hashlib.sha256((TEMPLATES / k.template).read_bytes()).hexdigest() for k in KINDS
    }
    # each verdict under the template's SHA-256 and the standard one's it was compared with
    assert names == sorted(f"{kind}-{digest}-{digest}.json" for kind, digest in shipped.items())
    assert {oct(path.stat().st_mode & 0o777) for path in kept.iterdir()} == {"0o600"}

    # the proof that a new home believes the account's file, not a check: a verdict planted there
    template_cache.configure(account)
    planted = kept / f"order_pairs-{shipped['order_pairs']}-{shipped['order_pairs']}.json"
    template_cache.write(planted, json.dumps([["Запомненный итог.", ""]]).encode())
    template_cache.configure(None)
    index = [k.id for k in KINDS].index("order_pairs")
    title = KINDS[index].title
    second = load_settings({"home": tmp_path / "second", "database_url": ""})
    initialise_home(second)
    expected = [*fine]
    expected[index : index + 1] = [
        f"order_pairs\tстандартный; проверка: проблем — 1\t{title}",
        "    Запомненный итог.",
    ]
    assert listing(second, account) == expected

    # a damaged account file is not believed: that template is checked again, and kept anew
    planted.write_bytes(planted.read_bytes()[:-3] + b"]]]")
    third = load_settings({"home": tmp_path / "third", "database_url": ""})
    initialise_home(third)
    damaged = (
        "WARNING service.documents.template_cache: "
        f"файл кэша шаблонов повреждён и будет создан заново: {planted}\n"
    )
    assert listing(third, account, damaged) == fine
    assert template_cache.read(planted) == b"[]"


def _sealed(checker: str, verdicts: dict) -> str:
    body = {"checker": checker, "verdicts": verdicts}
    seal = hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode())
    return json.dumps({**body, "sha256": seal.hexdigest()}, ensure_ascii=False)


def test_a_damaged_tampered_or_older_cache_is_not_believed(tmp_path: Path):
    data = school_version(tmp_path, BROKEN).read_bytes()
    standard = hashlib.sha256((TEMPLATES / "order_pairs.docx").read_bytes()).hexdigest()
    key = f"order_pairs:{hashlib.sha256(data).hexdigest()}:{standard}"
    cache = tmp_path / "var" / "cache" / CACHE_NAME
    problems = [["Переменной «zavuch» нет в данных документа этого вида", BROKEN]]
    lies = {key: []}  # «fine», for a template that is not
    for planted in (
        b"{\x00 half a file",
        _sealed("0" * 64, lies).encode(),  # the verdict of another checker
        json.dumps({"checker": checker_version(), "verdicts": lies, "sha256": "0" * 64}).encode(),
        json.dumps(  # the verdict changed, the seal of the true one kept
            {**json.loads(_sealed(checker_version(), {key: problems})), "verdicts": lies}
        ).encode(),
    ):
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(planted)
        found = template_verdicts(cache, [("order_pairs", data)])
        assert [[[p.message, p.paragraph] for p in found[0]]] == [problems], planted
        assert cache.read_text("utf-8") == json.dumps(
            json.loads(_sealed(checker_version(), {key: problems})),
            ensure_ascii=False,
            sort_keys=True,
            indent=1,
        )
    # a sound file of this checker is believed: what it says is not checked again
    shipped = (TEMPLATES / "order_pairs.docx").read_bytes()
    cache.write_text(_sealed(checker_version(), {key: [["Запомненный итог.", ""]]}), "utf-8")
    found = template_verdicts(cache, [("order_pairs", data), ("order_pairs", shipped)])
    assert [[str(p) for p in problems] for problems in found] == [["Запомненный итог."], []]


def test_every_library_the_check_runs_is_in_the_checkers_fingerprint():
    """A new release of any library the check parses or fills a template with (python-docx,
    the grammar dictionaries, …) may change a verdict: each is in :data:`CHECKER_LIBRARIES`.
    Left out only what cannot: the C runtime of lxml, typing helpers, the dictionaries' file
    reader (the dictionaries' own version is in), and SQLAlchemy (loaded, never used by it)."""
    script = (
        "import sys; from pathlib import Path; before = set(sys.modules)\n"
        "from service.documents.check import check_template_data\n"
        f"check_template_data(Path({str(TEMPLATES / KINDS[0].template)!r}).read_bytes(), "
        f"{KINDS[0].id!r})\n"
        "tops = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "print(' '.join(sorted(t for t in tops if t not in sys.stdlib_module_names "
        "and not t.startswith('_') and t != 'service')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    unused = {"cython_runtime", "typing_extensions", "dawg_python", "sqlalchemy"}
    assert loaded - unused == set(CHECKER_LIBRARIES)


def test_a_shipped_template_or_a_module_outside_the_checkers_folder_is_a_new_checker(
    tmp_path: Path,
):
    """The account's verdicts are shared by every installation of the program the account
    runs, and a verdict depends on more than :mod:`service.documents`: the check compares a
    school's template with its kind's shipped one (ff4cd71 rebuilt ``target_model.docx`` and
    changed no module) and renders the sample through :mod:`service.intake.normalise` (names18
    changed it). A program that differs in either is another checker (review19: its verdicts
    were taken as this one's)."""
    root = Path(__file__).resolve().parent.parent

    def version(tree: Path) -> str:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "from service.documents.verdicts import checker_version; print(checker_version())",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(tree)},
            cwd=tree,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    trees = {}
    for name in ("as shipped", "template rebuilt", "names changed"):
        tree = trees[name] = tmp_path / name
        shutil.copytree(root / "service", tree / "service", ignore=shutil.ignore_patterns("*.pyc"))
        shutil.copytree(root / "templates_docx", tree / "templates_docx")
    with (trees["template rebuilt"] / "templates_docx" / "target_model.docx").open("ab") as f:
        f.write(b"\0")
    with (trees["names changed"] / "service" / "intake" / "normalise.py").open("a") as f:
        f.write("\nSURNAME_PARTICLES = SURNAME_PARTICLES | {'аб'}\n")
    versions = {name: version(tree) for name, tree in trees.items()}
    assert versions["as shipped"] == checker_version()
    assert len(set(versions.values())) == 3, versions


def test_another_python_is_another_checker(monkeypatch):
    """The checker's fingerprint names the Python it runs on: the account's cache is shared by
    every installation the account runs, one of them on another Python."""
    here = checker_version.__wrapped__()
    monkeypatch.setattr(sys, "version", "3.13.1 (main, Dec  3 2026) [GCC 14.2.0]")
    assert checker_version.__wrapped__() != here
    monkeypatch.undo()
    assert checker_version.__wrapped__() == here
