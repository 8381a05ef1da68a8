"""The section-12 set of the school year the register is in. After September 2024's workbook
(«Учебный год» 2024–2025) the training order and the final-event order of 2023–2024, signed
and numbered last year, are still the latest versions of their kinds: the §12 sheet of
2024–2025 (``nastavnik archive status``, the bag's «Сводка по разделу 12») and the inspector's
completeness page counted them as this year's — «есть 8 из 8» before any training or final
event of the new year. A document belongs to the year its text is about (its context's school
year); last year's are found under last year."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

from sqlalchemy import inspect, select

from service.archive.archiving import archive_documents
from service.archive.section12 import completeness
from service.archive.status import section12_status
from service.intake import demo
from service.register.archive_models import ArchiveItem
from service.register.db import session_scope
from service.register.queries import signed_by
from service.register.succession import replaced_in_year
from service.signing.workflow import pending_documents
from tests.signing_calls import sign_documents
from tests.test_school_year import parameters
from tests.test_signing_workflow import DIRECTOR_PASSWORD, doc_id, school  # noqa: F401
from tests.test_web_pages import texts
from tests.test_year_results import PAIR_HEADER, Outcome, p02, process
from tests.web_school import KEY_PASSWORD, login


def sign_the_directors_queue(settings, password: str) -> None:
    """The director signs every document waiting for him."""
    with session_scope(settings.database_url) as s:
        queue = [d.id for d in pending_documents(s, "director")]
    assert all(r.ok for r in sign_documents(settings, "director", queue, password))


def next_septembers_workbook(settings, tmp_path) -> None:
    """September 2024's workbook over the 2023–2024 register: the new «Учебный год» and П-02
    continued from 16 September."""
    term = [*p02(date(2025, 5, 23))]
    term[5] = date(2024, 9, 16)
    organization = parameters(dict(demo.ORGANIZATION, **{"Учебный год": "2024–2025"}))
    year = process(settings, tmp_path / "2024.xlsx", {"Организация": organization,
                                                      "Пары": [PAIR_HEADER, term]})  # fmt: skip
    assert year.outcome == Outcome.DONE, year.message


def test_last_years_orders_are_not_this_years_section12_set(school, tmp_path):  # noqa: F811
    sign_the_directors_queue(school, DIRECTOR_PASSWORD)
    with session_scope(school.database_url) as s:
        assert [row.present for row in section12_status(s)] == [True] * 8

    next_septembers_workbook(school, tmp_path)
    with session_scope(school.database_url) as s:
        sheet = [(row.cells()[1], row.cells()[2]) for row in section12_status(s)]
        page = [(row.kind.id, row.present, row.signed) for row in completeness(s)]
    assert sheet == [
        ("Положение о наставничестве", "есть"),
        ("Приказ о внедрении целевой модели наставничества", "есть"),
        ("Программа целевой модели наставничества", "есть"),
        ("Дорожная карта внедрения системы наставничества", "есть"),
        ("Приказ о назначении координатора и кураторов", "есть"),
        ("Приказ об организации обучения наставников", "ОТСУТСТВУЕТ"),
        ("Приказ об утверждении наставников и наставнических пар", "есть"),
        ("Приказ о проведении итогового мероприятия", "ОТСУТСТВУЕТ"),
    ]
    assert page == [
        ("regulation", True, False),
        ("order_implementation", True, False),
        ("target_model", True, False),
        ("roadmap", True, False),
        ("order_coordinators", True, False),
        ("order_training", False, False),
        ("order_pairs", True, False),
        ("order_final_event", False, False),
    ]


def test_last_years_signed_order_archived_late_is_filed_under_last_year(school, tmp_path):  # noqa: F811
    """The 2023–2024 training order, signed in October, is archived only after September
    2024's workbook: it is filed under 2023–2024 (its year), not under the register's 2024–2025
    — there, the 2024–2025 set would hold last year's order and 2023–2024's would miss it."""
    training = doc_id(school, "order_training")
    [signed] = sign_documents(school, "director", [training], DIRECTOR_PASSWORD)
    assert signed.ok, signed.message
    organization = parameters(dict(demo.ORGANIZATION, **{"Учебный год": "2024–2025"}))
    year = process(school, tmp_path / "2024.xlsx", {"Организация": organization})
    assert year.outcome == Outcome.DONE, year.message
    with session_scope(school.database_url) as s:
        (result,) = archive_documents(s, school, [training], {"director": DIRECTOR_PASSWORD})
    assert result.ok, result.message
    with session_scope(school.database_url) as s:
        assert s.scalars(select(ArchiveItem.school_year)).all() == ["2023–2024"]
        last_year = section12_status(s, "2023–2024")
        this_year = section12_status(s)
        page = [r.kind.id for r in completeness(s, "2023–2024") if r.present]
    assert [r.kind.id for r in last_year if r.archived_at] == ["order_training"]
    # last year's orders on pairs and final event, never signed, are that year's still
    assert [r.kind.id for r in last_year if r.present] == page
    assert page == ["order_training", "order_pairs", "order_final_event"]
    # no pairs, training or final event of 2024–2025 yet
    assert [r.kind.id for r in this_year if not r.present] == [
        "order_training",
        "order_pairs",
        "order_final_event",
    ]


def test_the_inspector_sees_each_years_section12_set(client, web_school, tmp_path):
    """After September 2024's workbook the inspector's sheet is 2024–2025's and says so; last
    year's set — signed, numbered — is one link away («2023–2024»), and so is its ZIP."""
    settings = web_school.settings
    sign_the_directors_queue(settings, KEY_PASSWORD)
    next_septembers_workbook(settings, tmp_path)
    login(client, "inspector")
    now = texts(client.get("/inspector/"))
    assert "Комплектность раздела 12 — 2024–2025 учебный год" in now
    assert "Итого: есть 6 из 8, подписано 0." in now
    assert 'href="/inspector/?year=2023%E2%80%932024"' in client.get("/inspector/").get_data(
        as_text=True
    )
    last = client.get("/inspector/?year=2023–2024")
    assert last.status_code == 200
    assert "Комплектность раздела 12 — 2023–2024 учебный год" in texts(last)
    assert "Итого: есть 8 из 8, подписано 8." in texts(last)
    pack = client.get("/packs/section12.zip?year=2023–2024")
    names = zipfile.ZipFile(io.BytesIO(pack.data)).namelist()
    assert len([n for n in names if n.endswith(".docx")]) == 8
    assert client.get("/inspector/?year=1999–2000").status_code == 404
    assert "Есть документы 2023–2024 и 2024–2025 учебных годов." in texts(
        client.get("/inspector/?year=1999")
    )
    # the API as the page: this year's by default, last year's by ?year=
    assert client.get("/api/section12").get_json()["year"] == "2024–2025"
    last = client.get("/api/section12?year=2023–2024").get_json()
    assert last["year"] == "2023–2024"
    assert [(d["present"], d["signed"]) for d in last["documents"]] == [(True, True)] * 8
    pack = client.get("/api/packs/section12?year=2023–2024")
    names = zipfile.ZipFile(io.BytesIO(pack.data)).namelist()
    assert len([n for n in names if n.endswith(".docx")]) == 8
    assert client.get("/api/section12?year=1999–2000").status_code == 404
    assert client.get("/api/packs/section12?year=1999–2000").status_code == 404


def test_last_years_sheet_shows_what_was_signed_last_year(school, tmp_path):  # noqa: F811
    """`nastavnik archive status --year 2023–2024` (the sheet and the bag's summary) showed only
    last year's archived documents: signed and not archived yet, each was «ОТСУТСТВУЕТ» there
    while the inspector's page of that year listed it signed."""
    sign_the_directors_queue(school, DIRECTOR_PASSWORD)
    organization = parameters(dict(demo.ORGANIZATION, **{"Учебный год": "2024–2025"}))
    year = process(school, tmp_path / "2024.xlsx", {"Организация": organization})
    assert year.outcome == Outcome.DONE, year.message
    with session_scope(school.database_url) as s:
        sheet = [(r.document_id, r.cells()[2]) for r in section12_status(s, "2023–2024")]
        page = [(r.document.id, r.signed) for r in completeness(s, "2023–2024")]
    assert [shown for _, shown in sheet] == ["есть"] * 8
    assert [document for document, _ in sheet] == [document for document, _ in page]
    assert [signed for _, signed in page] == [True] * 8


def test_a_school_year_is_read_as_a_person_types_it(client, web_school):
    """The sheet's heading says «2023–2024 учебный год», but ``?year=2023`` (or the hyphen a
    keyboard types, «2023-2024») answered «Документов 2023 учебного года … нет», and
    ``?year=abc`` «Документов abc учебного года…»: a year is read as its start or as both
    years, with any dash or a slash; what is not a year is told how one is written; a year
    with no documents names those that have them."""
    login(client, "inspector")
    for typed in ["2023", "2023-2024", " 2023–2024 ", "2023/2024", "2023/24", "2023 - 2024"]:
        page = client.get("/inspector/", query_string={"year": typed})
        assert page.status_code == 200, typed
        assert "Комплектность раздела 12 — 2023–2024 учебный год" in texts(page)
    assert client.get("/packs/section12.zip?year=2023-2024").status_code == 200
    assert client.get("/api/section12?year=2023").get_json()["year"] == "2023–2024"
    today = date.today()  # the example is the school year under way, not a fixed 2023–2024
    first = today.year if today.month >= 9 else today.year - 1
    wrong = (
        f"Учебный год пишется так: {first}–{first + 1} (год начала и год окончания) или {first}."
    )
    for typed in ["abc", "2023–2025", "23", "2023–2024–2025"]:
        page = client.get("/inspector/", query_string={"year": typed})
        assert page.status_code == 400, typed
        assert wrong in texts(page)
    assert client.get("/api/section12?year=abc").get_json() == {"error": wrong}
    none = client.get("/inspector/?year=2025")
    assert none.status_code == 404
    assert (
        "Документов 2025–2026 учебного года в реестре и архиве нет. Есть документы "
        "2023–2024 учебного года." in texts(none)
    )


def test_a_signed_document_stands_in_the_set_while_its_new_version_awaits(school, tmp_path):  # noqa: F811
    """play12: the director signed the roadmap; a later «Обучение наставников» moved its
    training stage to other months (a session in February), and the roadmap's new version
    awaits him. The inspector's page said «нет (ожидает подписи)» with no .p7s, and the §12
    pack held the unsigned draft: the signed roadmap stands, the new version is named beside
    it."""
    from service.archive.section12 import section12_documents

    roadmap = doc_id(school, "roadmap")
    signing = [doc_id(school, "order_implementation"), roadmap]  # an appendix of the order
    assert all(r.ok for r in sign_documents(school, "director", signing, DIRECTOR_PASSWORD))
    header = ["Тема", "Дата", "Часов", "Форма", "Ответственный"]
    later = ["Роль наставника", date(2024, 2, 7), 4, "семинар", "Бутрина О. Н."]
    kept = list(demo.TRAININGS[0])  # the sheet is the whole schedule (play17)
    sheet = {"Обучение наставников": [header, kept, later]}
    done = process(school, tmp_path / "обучение.xlsx", sheet)
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(school.database_url) as s:
        [row] = [r for r in completeness(s) if r.kind.id == "roadmap"]
        assert (row.document.id, row.signed, row.pending.version) == (roadmap, True, 2)
        assert roadmap in [d.id for d in section12_documents(s)]


def test_the_inspector_sees_the_signed_version_and_the_new_one(client, web_school, tmp_path):
    """The page of the set above: the signed roadmap with its .p7s, and what its new version
    awaits (found first as «новая версия 4 возвращён на доработку»)."""
    settings = web_school.settings
    signing = [doc_id(settings, "order_implementation"), doc_id(settings, "roadmap")]
    assert all(r.ok for r in sign_documents(settings, "director", signing, KEY_PASSWORD))
    header = ["Тема", "Дата", "Часов", "Форма", "Ответственный"]
    later = ["Роль наставника", date(2024, 2, 7), 4, "семинар", "Бутрина О. Н."]
    kept = list(demo.TRAININGS[0])  # the sheet is the whole schedule (play17)
    sheet = {"Обучение наставников": [header, kept, later]}
    done = process(settings, tmp_path / "обучение.xlsx", sheet)
    assert done.outcome == Outcome.DONE, done.message
    login(client, "inspector")
    page = texts(client.get("/inspector/"))
    row = page[page.index("4. Дорожная") : page.index("5. Приказ")]
    assert row.startswith(
        "4. Дорожная карта внедрения системы наставничества да да (в новой версии 2 документ "
        "ожидает подписи) Кинякина Т.И., "
    )
    assert row.endswith(" — DOCX .p7s ")  # the signed version's files


def test_the_directors_signed_list_does_not_call_next_years_order_a_new_version(
    client, web_school, tmp_path
):
    """play16: on «Подписанные» last year's implementation order read «в архиве; есть новая
    подписанная версия 2 (№ 6/26)» — this year's order, as if it had voided last year's. The
    other lists already held each year's order as its own; a version signed later in the same
    year still says so."""
    settings = web_school.settings
    sign_the_directors_queue(settings, KEY_PASSWORD)
    organization = parameters(dict(demo.ORGANIZATION, **{"Учебный год": "2024–2025"}))
    year = process(settings, tmp_path / "2024.xlsx", {"Организация": organization})
    assert year.outcome == Outcome.DONE, year.message
    sign_the_directors_queue(settings, KEY_PASSWORD)
    changed = dict(demo.ORGANIZATION, **{"Учебный год": "2024–2025"})
    changed["Координатор (ФИО)"] = "Ершова Анна Ивановна"
    again = process(settings, tmp_path / "ноябрь.xlsx", {"Организация": parameters(changed)})
    assert again.outcome == Outcome.DONE, again.message
    sign_the_directors_queue(settings, KEY_PASSWORD)
    login(client, "director")
    page = texts(client.get("/director/signed"))
    row = r"{}, №&nbsp;(\S+) МБОУ Идринская СОШ (\d) [^О]*? г\., \d\d:\d\d (.*?) Открыть"
    implementation = re.findall(
        row.format("Приказ о внедрении целевой модели наставничества"), page
    )
    assert [(version, state) for _, version, state in implementation] == [
        ("2", "подписан"),
        ("1", "подписан"),
    ]
    orders = re.findall(row.format("Приказ о назначении координатора и кураторов"), page)
    assert [(version, state) for _, version, state in orders] == [
        ("3", "подписан"),
        ("2", f"подписан; есть новая подписанная версия 3 (№&nbsp;{orders[0][0]})"),
        ("1", "подписан"),
    ]
    # the years are read by the database: no signed version's context (tens of kB) is loaded
    with session_scope(settings.database_url) as s:
        documents = [x.document for x in signed_by(s, "director")]
        found = replaced_in_year(s, documents, with_superseded=True)
        assert sorted(
            (d.kind, d.version, found[d.id].version) for d in documents if d.id in found
        ) == [("order_coordinators", 2, 3)]
        loaded = {
            x.id for x in [*documents, *found.values()] if "context" not in inspect(x).unloaded
        }
        assert loaded == set()


def archive_rows(client, query: str = "") -> list[tuple[str, str, str]]:
    """(document, about, version) of each row of the inspector's archive page."""
    html = client.get(f"/inspector/archive{query}").get_data(as_text=True)
    return re.findall(
        r'<td class="title">([^<]+)</td>\s*<td data-label="О ком / о чём">([^<]+)</td>\s*'
        r'<td data-label="Версия">(\d+)</td>',
        html,
    )


def test_the_inspectors_archive_page_lists_one_years_documents(client, web_school, tmp_path):
    """The archive page listed the register's current versions of both years at once — two
    «Положение о наставничестве», no year said (inspector20). It lists one school year's now,
    this year's by default, each document in the version that stands for that year."""
    settings = web_school.settings
    sign_the_directors_queue(settings, KEY_PASSWORD)
    next_septembers_workbook(settings, tmp_path)
    login(client, "inspector")
    page = texts(client.get("/inspector/archive"))
    assert "Документы 2024–2025 учебного года" in page
    assert "Учебный год: 2023–2024 · 2024–2025" in page
    now, last = archive_rows(client), archive_rows(client, "?year=2023–2024")
    regulation = "Положение о наставничестве"
    assert [v for title, _, v in now if title == regulation] == ["2"]
    assert [v for title, _, v in last if title == regulation] == ["1"]
    assert "Документы 2023–2024 учебного года" in texts(
        client.get("/inspector/archive?year=2023–2024")
    )
    assert client.get("/inspector/archive?year=1999–2000").status_code == 404


def test_the_curator_chooses_a_school_year_of_documents(client, web_school, tmp_path):
    """«Все документы» after September 2024's workbook held both years' current versions —
    two «Положение о наставничестве», no year said (inspector20). The curator chooses a year
    (the form's «Учебный год»); without one, every year as before."""
    settings = web_school.settings
    sign_the_directors_queue(settings, KEY_PASSWORD)
    next_septembers_workbook(settings, tmp_path)
    login(client, "curator")
    html = client.get("/curator/").get_data(as_text=True)
    assert '<option value="2023–2024">2023–2024</option>' in html
    regulation = "Положение о наставничестве"

    def versions(query: str) -> list[str]:
        rows = re.findall(
            r'<td class="title">([^<]+)</td>\s*<td data-label="О ком / о чём">[^<]+</td>\s*'
            r'<td data-label="Версия">(\d+)</td>',
            client.get(f"/curator/{query}").get_data(as_text=True),
        )
        return [v for title, v in rows if title == regulation]

    assert versions("") == ["1", "2"]
    assert versions("?year=2023–2024") == ["1"]
    assert versions("?year=2024–2025") == ["2"]
    assert '<option value="2024–2025" selected>' in client.get("/curator/?year=2024–2025").get_data(
        as_text=True
    )


def test_a_newer_signed_version_stands_over_the_archived_one(school, tmp_path):  # noqa: F811
    """Play20: the final event's order № 8/26 signed and archived, then the event moved, the
    order made again (№ 9/26, voiding № 8/26) and signed: the inspector's page named № 9/26,
    `nastavnik archive status` (and the bag's «Сводка по разделу 12») the void № 8/26 «в
    архиве». The newer signed version stands there too, «не в архиве» till it is archived."""

    order = doc_id(school, "order_final_event")
    assert sign_documents(school, "director", [order], DIRECTOR_PASSWORD)[0].ok
    with session_scope(school.database_url) as s:
        [done] = archive_documents(s, school, [order], {"director": DIRECTOR_PASSWORD})
        assert done.ok, done.message
    moved = parameters({**demo.FINAL_EVENT, "Место": "актовый зал, 2 этаж"})
    result = process(school, tmp_path / "место.xlsx", {"Итоговое мероприятие": moved})
    assert result.outcome == Outcome.DONE, result.message
    with session_scope(school.database_url) as s:
        [again] = [d.id for d in pending_documents(s, "director") if d.kind == "order_final_event"]
    assert sign_documents(school, "director", [again], DIRECTOR_PASSWORD)[0].ok
    with session_scope(school.database_url) as s:
        [page] = [r for r in completeness(s) if r.kind.id == "order_final_event"]
        [sheet] = [r for r in section12_status(s) if r.kind.id == "order_final_event"]
        assert (sheet.document_id, sheet.version, sheet.archived_at) == (again, 2, None)
        assert (sheet.number, sheet.reg_date) == (page.number, page.reg_date)
