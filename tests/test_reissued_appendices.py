"""An implementation order made again after the director signed it (a new curator) declares
the signed order void («Признать утратившим силу приказ … № 1/26»). Its appendices — the
roadmap, the regulation, the target model — were signed as appendices of that order and carry
its number: unchanged, they stayed as signed, so the regulation still said «Введено в действие
приказом … № 1/26» of the void order and the new order had no appendices of its own. They are
made again with it, to be signed with the new order and carry its number; the dry run says
so too."""

from __future__ import annotations

from sqlalchemy import select

from service.documents.catalogue import BY_ID
from service.dryrun import dry_run
from service.intake import demo
from service.register.db import session_scope
from service.register.models import Document
from tests.signing_calls import sign_documents
from tests.test_reissued_orders import versions
from tests.test_school_year import parameters
from tests.test_signing_workflow import DIRECTOR_PASSWORD, school  # noqa: F401
from tests.test_year_register import docx_text_of
from tests.test_year_results import Outcome, process
from tests.workbooks import write_workbook

APPENDICES = ("roadmap", "regulation", "target_model")
NEW_CURATOR = dict(demo.ORGANIZATION, **{"Куратор (ФИО)": "Иванова Ольга Николаевна"})


def sign_latest(settings, kinds: tuple[str, ...]) -> None:
    ids = [versions(settings, kind)[-1].id for kind in kinds]
    results = sign_documents(settings, "director", ids, DIRECTOR_PASSWORD)
    assert [r.message for r in results if not r.ok] == []


def enacted_by(settings, kind: str = "regulation") -> str:
    text = docx_text_of(settings, versions(settings, kind)[-1].sha256)
    return next(line for line in text.splitlines() if line.startswith("Введено в действие"))


def test_the_appendices_of_a_replaced_order_are_made_again_with_it(school, tmp_path):  # noqa: F811
    sign_latest(school, ("order_implementation", *APPENDICES))
    [first] = versions(school, "order_implementation")

    workbook = {"Организация": parameters(NEW_CURATOR)}
    preview = dry_run(school, write_workbook(tmp_path / "0.xlsx", workbook))
    moved = process(school, tmp_path / "1.xlsx", workbook)
    assert moved.outcome == Outcome.DONE, moved.message
    with session_scope(school.database_url) as s:
        made = set(s.scalars(select(Document.kind).where(Document.version == 2)))
    assert {c.title for c in preview.new_versions} == {BY_ID[kind].title for kind in made}
    assert made >= {"order_implementation", *APPENDICES}
    states = {k: [(v.version, v.status) for v in versions(school, k)] for k in APPENDICES}
    assert states == {k: [(1, "signed"), (2, "awaiting_signature")] for k in APPENDICES}

    sign_latest(school, ("order_implementation", *APPENDICES))
    second = versions(school, "order_implementation")[-1]
    assert second.number != first.number
    assert enacted_by(school).endswith(f"№\xa0{second.number}")
    assert f"№\xa0{first.number} «О внедрении" in docx_text_of(school, second.sha256)

    # the same data again (its rows in another order, another file): nothing new
    same = parameters(dict(reversed(NEW_CURATOR.items())))
    again = process(school, tmp_path / "2.xlsx", {"Организация": same})
    assert again.outcome == Outcome.DONE, again.message
    assert [len(versions(school, k)) for k in APPENDICES] == [2, 2, 2]


def test_an_order_made_again_before_it_was_ever_signed_replaces_nothing(school, tmp_path):  # noqa: F811
    """The draft made again (a new curator) before the director signed any version is the same
    first order: no «Признать утратившим силу», and its appendices are not made again."""
    moved = process(school, tmp_path / "1.xlsx", {"Организация": parameters(NEW_CURATOR)})
    assert moved.outcome == Outcome.DONE, moved.message
    [first, draft] = versions(school, "order_implementation")
    assert (first.status, draft.version, draft.status) == ("superseded", 2, "awaiting_signature")
    text = docx_text_of(school, draft.sha256)
    assert "утратившим силу" not in text
    assert "5. Контроль" not in text and "4. Контроль за исполнением" in text
    assert [len(versions(school, kind)) for kind in APPENDICES] == [1, 1, 1]
