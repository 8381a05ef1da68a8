"""The check's verdict on each template in use, remembered between processes.

Checking the sixteen templates takes over a second (each is normalised, parsed, its tags walked
and rendered with a sample), and ``nastavnik templates list`` and the administrator's page show
every verdict each time (issue 15: small commands start at once). A verdict depends only on the
template's bytes, its kind, the standard template of the kind it is compared with (the home's
``templates_dir``) and the checker, so it is kept in ``var/cache/template-checks.json`` under
the kind, the file's SHA-256, the standard template's SHA-256 and the checker's version
(:func:`checker_version`): a template changed or newly put in place has another SHA-256 and is
checked at once; a new release of the checker or of the libraries it uses checks everything
again. The file is written atomically and carries the SHA-256 of its own content: a damaged or
foreign file is ignored and rebuilt, never trusted. When every verdict is known, neither
docxtpl, Jinja nor lxml is imported.

As a verdict depends on no more of the home than its standard template, each is also kept in the
account's cache of compiled templates (:mod:`service.documents.template_cache`: private, atomic,
checksummed), one file a verdict under ``verdicts/<checker version>/``: a new home, or a home
whose file was lost, takes the verdicts of the templates any home of the account has checked
(the shipped ones after the first), and its first ``templates list`` is not 3–4 s of checking.

Hand-written rather than a caching library's: the cache must survive the process, be plain
JSON (never pickle) and be checked before it is believed; it is one small file."""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from collections.abc import Sequence
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from service.config import SHIPPED_TEMPLATES
from service.documents import template_cache
from service.documents.catalogue import BY_ID
from service.documents.problem import Problem
from service.store import atomic_write, sha256_bytes

log = logging.getLogger(__name__)

CACHE_NAME = "template-checks.json"
CHECKER_LIBRARIES = (
    "docx",
    "docxtpl",
    "jinja2",
    "lxml",
    "markupsafe",
    "pymorphy3",
    "pymorphy3_dicts_ru",
    "pytrovich",
)
"""The libraries whose behaviour a verdict depends on — every one the check parses a template
or fills it with the sample through (``tests/test_template_verdicts.py`` holds the list to
what the check loads); the first file of each (its ``__init__.py``) names its version."""
_SERVICE = Path(__file__).resolve().parent.parent
"""The program: the checker (:mod:`service.documents`: catalogue, kinds' data, sample contexts,
rules) and what it runs from elsewhere (the names' rules of :mod:`service.intake.normalise`,
the register's labels, the settings)."""
_SHIPPED = _SERVICE.parent / "templates_docx"
"""The shipped templates: the check compares a school's template with its kind's shipped one
(:mod:`service.documents.requisite_check`), so their verdicts depend on them too."""

Verdicts = dict[str, list[list[str]]]
"""``"<kind>:<sha256>:<the standard template's sha256>"`` → the problems, each [message,
paragraph]."""


@lru_cache(maxsize=1)
def checker_version() -> str:
    """A fingerprint of the checker: the program's source (every module of :mod:`service`,
    not only the checker's: it runs some from elsewhere), the shipped templates it compares a
    school's with, the Python it runs on (its ``re`` and ``zipfile`` read the templates) and
    the installed versions of :data:`CHECKER_LIBRARIES`. Any change of
    these is a new checker, whose verdicts are not the old ones' (the account's cache is
    shared by every installation of the program the account runs). About 10 ms."""
    digest = hashlib.sha256(sys.version.encode() + b"\0")
    files = [*sorted(_SERVICE.rglob("*.py")), *sorted(_SHIPPED.glob("*.docx"))]
    for path in files:
        digest.update(path.relative_to(_SERVICE.parent).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    for library in CHECKER_LIBRARIES:
        spec = find_spec(library)  # finds the package without importing it
        origin = spec.origin if spec else None
        digest.update(f"{library}\0".encode() + (Path(origin).read_bytes() if origin else b""))
    return digest.hexdigest()


def template_verdicts(
    cache: Path, templates: Sequence[tuple[str, bytes]], shipped: Path = SHIPPED_TEMPLATES
) -> list[tuple[Problem, ...]]:
    """The check's problems of each (kind id, DOCX bytes) of ``templates``, compared with the
    standard templates in the folder ``shipped`` (the home's ``templates_dir``), in order: from
    the ``cache`` file when it holds them for this checker, else checked now (and the file
    rewritten with the verdicts of exactly these templates)."""
    stored = _load(cache)
    keys = [
        f"{kind_id}:{sha256_bytes(data)}:{_standard(shipped, kind_id)}"
        for kind_id, data in templates
    ]
    wanted: Verdicts = {}
    for key, (kind_id, data) in zip(keys, templates, strict=True):
        if key in stored:
            wanted[key] = stored[key]
            continue
        shared = _shared_file(key)
        kept = _read_shared(shared) if shared else None
        if kept is not None:
            wanted[key] = kept
            continue
        from service.documents.check import check_template_data

        problems = check_template_data(data, kind_id, shipped)
        wanted[key] = [[p.message, p.paragraph] for p in problems]
        if shared:
            template_cache.write(shared, json.dumps(wanted[key], ensure_ascii=False).encode())
    if wanted != stored:
        _save(cache, wanted)
    return [tuple(Problem(*problem) for problem in wanted[key]) for key in keys]


def _standard(shipped: Path, kind_id: str) -> str:
    """The SHA-256 of the standard template of ``kind_id`` in ``shipped``; "" when there is
    none (the check then compares with nothing)."""
    path = shipped / BY_ID[kind_id].template if kind_id in BY_ID else None
    return sha256_bytes(path.read_bytes()) if path is not None and path.is_file() else ""


def _shared_file(key: str) -> Path | None:
    """The account's cache file of the verdict ``key`` (None: no usable account cache). The
    folders of earlier checkers are pruned once a process, as compiled templates' are."""
    kept = template_cache.folder("verdicts", checker_version())
    if kept is None:
        return None
    if not _pruned:
        _pruned.append(template_cache.prune(kept.parent, kept.name))
    kind_id, digest, standard = key.split(":")
    return kept / f"{kind_id}-{digest}-{standard}.json"


_pruned: list[int] = []


def _read_shared(path: Path) -> list[list[str]] | None:
    """The verdict kept in the account's cache file ``path``; None if missing or not sound."""
    payload = template_cache.read(path)
    if payload is None:
        return None
    try:
        problems = json.loads(payload)
    except ValueError:
        return None
    return problems if _well_formed(problems) else None


def _seal(verdicts: Verdicts) -> dict:
    body = {"checker": checker_version(), "verdicts": verdicts}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    return {**body, "sha256": sha256_bytes(text.encode())}


def _load(cache: Path) -> Verdicts:
    """The remembered verdicts of this checker; {} for a missing, damaged, foreign or older
    file."""
    try:
        stored = json.loads(cache.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict) or not isinstance(stored.get("verdicts"), dict):
        return {}
    verdicts = stored["verdicts"]
    if stored != _seal(verdicts) or not all(_well_formed(v) for v in verdicts.values()):
        return {}
    return verdicts


def _well_formed(problems: object) -> bool:
    return isinstance(problems, list) and all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(part, str) for part in p)
        for p in problems
    )


def _save(cache: Path, verdicts: Verdicts) -> None:
    """Write the verdicts atomically (0600 in the home's private ``var/``); a home that
    cannot be written only loses the speed-up."""
    text = json.dumps(_seal(verdicts), ensure_ascii=False, sort_keys=True, indent=1)
    try:
        atomic_write(cache, text.encode(), durable=False)
    except OSError as exc:
        log.warning("Итоги проверки шаблонов не сохранены в %s: %s", cache, exc)
