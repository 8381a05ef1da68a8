"""A document destroyed by an act is «уничтожен (акт № …)» in the lists (left21b): its own page
named the act (d2e55c4), but the curator's «Все документы» and ``nastavnik documents`` still
read «в архиве», and the filter «в архиве» listed it with the documents the archive keeps.

The archived school (tests/archive_school.py), an adult's consent destroyed by an act: the lists
name the act, the filter «в архиве» leaves it out and the filter «уничтожен по акту» finds it
alone; the counts add up."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date

from click.testing import CliRunner
from openpyxl import load_workbook

from service.cli import main
from service.register.archive import archive_item_of
from service.register.db import session_scope
from service.register.models import Document
from tests.archive_school import copy_home, destroy_as_director, document_id
from tests.web_school import login, make_users


def documents(home, *args: str) -> list[str]:
    done = CliRunner().invoke(main, ["--home", str(home), "documents", *args])
    assert done.exit_code == 0, done.output
    return done.output.splitlines()


def test_a_destroyed_document_is_named_so_in_the_lists(exported, tmp_path):
    settings = copy_home(exported[0], tmp_path / "школа")
    make_users(settings)
    consent = document_id(settings, "consent_adult")
    order = document_id(settings, "order_pairs")
    with session_scope(settings.database_url) as s:
        due = archive_item_of(s, consent).retain_until
        label = s.get(Document, consent).subject_label
    archived_before = documents(settings.home, "--status", "archived")
    act = destroy_as_director(settings, [consent], due)
    state = f"уничтожен (акт № {act.number} от {date.today():%d.%m.%Y})"
    home = settings.home

    every = documents(home)
    (line,) = [x for x in every if x.startswith(f"{consent}\t")]
    assert line == f"{consent}\tСогласие на обработку персональных данных — {label}\t" + (
        f"версия 1\t{state}"
    )
    (order_line,) = [x for x in every if x.startswith(f"{order}\t")]
    assert "\tв архиве\t" in order_line
    archived = documents(home, "--status", "archived")
    assert archived == [x for x in archived_before if not x.startswith(f"{consent}\t")]
    assert len(archived) == len(archived_before) - 1
    assert documents(home, "--status", "destroyed") == [line]
    (record,) = json.loads("\n".join(documents(home, "--status", "destroyed", "--json")))
    assert (record["id"], record["status"], record["status_name"], record["destroyed_by"]) == (
        consent,
        "archived",
        state,
        f"№ {act.number} от {date.today():%d.%m.%Y}",
    )

    from service.web import create_app

    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "curator")

    def rows(url: str) -> dict[str, str]:
        page = client.get(url)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        found = re.findall(r'<tr data-document="(\d+)">', html)  # a destroyed one has no link
        states = re.findall(r'data-label="Состояние" class="status status-\w+">([^<;]*)', html)
        assert len(found) == len(states)
        assert f"Найдено документов: {len(found)}." in html
        return dict(zip(found, states, strict=True))

    listed = rows("/curator/")
    assert listed[str(consent)] == state and listed[str(order)] == "в архиве"
    kept = rows("/curator/?status=archived")
    assert str(consent) not in kept and kept[str(order)] == "в архиве"
    assert rows("/curator/?status=destroyed") == {str(consent): state}
    assert len(kept) + 1 == sum(1 for s in listed.values() if s in ("в архиве", state))
    page = client.get("/curator/").get_data(as_text=True)
    assert '<option value="destroyed">уничтожен по акту</option>' in page

    # the batch's pack lists the destroyed consent, but not whose it was (left22; the act
    # destroyed that personal data, the batch folder's Опись drops the row: outbox.relist)
    with session_scope(settings.database_url) as s:
        batch = s.get(Document, consent).batch_id
    pack = client.get(f"/packs/batches/{batch}.zip")
    assert pack.status_code == 200
    with zipfile.ZipFile(io.BytesIO(pack.get_data())) as zipped:
        inventory = list(load_workbook(io.BytesIO(zipped.read("Опись.xlsx"))).active.values)
    gone = [r for r in inventory if r[5] == state]
    assert [(r[1], r[2]) for r in gone] == [("Согласие на обработку персональных данных", "—")]
    assert not [c for c in gone[0] if label in str(c)]


def test_every_page_names_a_destroyed_document_so(exported, tmp_path):
    """left22: the JSON API, the inspector's §12 page, the director's «Подписанные» and his
    document page, the secretary's batch page and «nastavnik archive status» read
    «в архиве» (or «уничтожен 03.12.2026») for a document an act destroyed; all now name the act
    as the lists do (one wording: service.register.states)."""
    settings = copy_home(exported[0], tmp_path / "школа")
    make_users(settings)
    order = document_id(settings, "order_pairs")
    kept = document_id(settings, "order_coordinators")
    with session_scope(settings.database_url) as s:
        due = archive_item_of(s, order).retain_until
        batch = s.get(Document, order).batch_id
    act = destroy_as_director(settings, [order], due)
    state = f"уничтожен (акт № {act.number} от {date.today():%d.%m.%Y})"

    from service.web import create_app

    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "curator")
    one = client.get(f"/api/documents/{order}").get_json()
    assert (one["status"], one["status_name"]) == ("archived", state)
    assert one["destroyed_by"] == f"№ {act.number} от {date.today():%d.%m.%Y}"  # as the CLI's
    listed = {
        d["id"]: d["status_name"] for d in client.get("/api/documents").get_json()["documents"]
    }
    assert (listed[order], listed[kept]) == (state, "в архиве")
    found = client.get("/api/documents?status=destroyed").get_json()["documents"]
    assert [(d["id"], d["status_name"]) for d in found] == [(order, state)]
    assert [d["destroyed_by"] for d in found] == [one["destroyed_by"]]
    assert client.get(f"/api/documents/{kept}").get_json()["destroyed_by"] is None
    # review22b: its file_url and its signatures' url led to 404: they are null, a kept one's not
    assert one["file_url"] is None and [s["url"] for s in one["signatures"]] == [None]
    assert [d["file_url"] for d in found] == [None]
    other = client.get(f"/api/documents/{kept}").get_json()
    assert client.get(other["file_url"]).status_code == 200
    assert all(client.get(s["url"]).status_code == 200 for s in other["signatures"])

    login(client, "inspector")
    # the §12 pack carries no file of it, and its inventory says why (it was left out silently)
    pack = client.get("/packs/section12.zip")
    assert pack.status_code == 200
    with zipfile.ZipFile(io.BytesIO(pack.get_data())) as zipped:
        names = zipped.namelist()
        rows = list(load_workbook(io.BytesIO(zipped.read("Опись.xlsx"))).active.values)
    assert not [n for n in names if n.startswith("Приказ об утверждении наставников")], names
    with session_scope(settings.database_url) as s:
        sha256 = s.get(Document, order).sha256
    assert rows[-1] == (
        8,
        "Приказ об утверждении наставников и наставнических пар",
        "МБОУ Идринская СОШ",
        1,
        "руководитель",
        state,
        sha256,
    )
    assert len(rows) == 2 + 8 and len({r[5] for r in rows[2:]}) == 8
    page = client.get("/inspector/").get_data(as_text=True)
    (row,) = re.findall(r"<td class=\"title\">7\. .*?</tr>", page, re.S)
    signed = re.search(r'data-label="Подписан">(.*?)</td>', row).group(1)
    assert signed == f'<span class="ok">да</span>; {state}'
    assert re.search(r'data-label="Файлы">(.*?)</td>', row).group(1) == (
        "удалены вместе с документом"
    )

    login(client, "director")
    page = client.get("/director/signed").get_data(as_text=True)
    now = re.findall(
        r'<td data-label="Сейчас">([^<]*)</td>\s*<td class="links">'
        r'<a href="/director/documents/(\d+)"',
        page,
    )
    assert {d: s for s, d in now}[str(order)] == state
    page = client.get(f"/director/documents/{order}").get_data(as_text=True)
    assert f'состояние: <strong class="status status-archived">{state}</strong>' in page

    login(client, "secretary")
    page = client.get(f"/secretary/batches/{batch}").get_data(as_text=True)
    rows_of = dict(re.findall(r'<tr data-document="(\d+)">(.*?)</tr>', page, re.S))
    cells = re.findall(r'class="status status-\w+">([^<]*)</td>', rows_of[str(order)])
    assert cells == [state]
    # review22b: its file is gone, and the table says so instead of a link «Не найдено»
    assert ">удалён вместе с документом<" in rows_of[str(order)]
    assert f'href="/documents/{order}/file"' not in page

    shown = CliRunner().invoke(main, ["--home", str(settings.home), "archive", "status"])
    assert shown.exit_code == 0, shown.output
    (line,) = [x for x in shown.output.splitlines() if x.startswith("7. ")]
    following = shown.output.splitlines()[shown.output.splitlines().index(line) + 1]
    assert following.endswith(f"; {state}"), following
    assert "Итого: есть 8 из 8, в архиве 7." in shown.output


def test_the_curators_pairs_count_what_the_school_keeps(exported, tmp_path):
    """left22b: П-01's programme destroyed by an act was still counted on the curator's
    «Пары» as one of the pair's documents, signed («9, подписано 3»), while the pair's card
    lists it «уничтожен (акт № … от …)»: the row counts it apart."""
    from service.web import create_app
    from tests.test_web_pages import texts

    settings = copy_home(exported[0], tmp_path / "школа")
    make_users(settings)
    program = document_id(settings, "program", "П-01")
    with session_scope(settings.database_url) as s:
        due = archive_item_of(s, program).retain_until
    destroy_as_director(settings, [program], due)
    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "curator")
    page = texts(client.get("/curator/pairs"))
    row = page[page.index("П-01") : page.index("П-02")]
    assert row.endswith(" 8, подписано 2, уничтожено 1 ZIP ")
    other = page[page.index("П-02") :]
    assert "уничтожено" not in other
