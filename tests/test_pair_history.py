"""Who took part in a pair during the year: a mentor replaced in January and a mentee who left
a group stay in the year's documents that count or list the year's participants (seed 000 §3:
the curator counts the participants of the programmes; §7: a programme may change its people).

September's workbook (П-01…П-03 and the training) is signed; in January П-01 loses Алиев and
П-02's Белова hands over to Петрова; May brings П-01's results and the final event. The
training order signed in September stays as signed (Белова was trained); the final-event order
and the final report count Белова and Алиев.
"""

from __future__ import annotations

from pathlib import Path

from service.documents.text import docx_text
from service.intake import demo
from tests.test_school_year import (
    DIRECTOR,
    FOLDER_EXTRAS,
    ORG,
    ORG_DOCS,
    PASSWORD,
    documents,
    files_in,
    parameters,
    september,
    sign_pending,
    table,
)
from tests.test_signing_cli import run
from tests.workbooks import write_workbook


def january(path: Path) -> Path:
    """Алиев leaves the group П-01; П-02 goes on with Петрова instead of Белова."""
    pairs = [
        dict(demo.PAIRS[0], **{"Наставляемые": "Смирнов Илья Олегович"}),
        dict(demo.PAIRS[1], **{"Наставник": "Петрова Анна Сергеевна"}),
    ]
    return write_workbook(path, {"Пары": table(pairs)})


def may(path: Path) -> Path:
    return write_workbook(
        path,
        {
            "Итоговое мероприятие": parameters(demo.FINAL_EVENT),
            "Итоги": table(demo.RESULTS[:1]),
        },
    )


def figures(text: str) -> dict[str, str]:
    """The report's «name | value» rows of two cells."""
    return dict(line.split(" | ") for line in text.splitlines() if line.count(" | ") == 1)


def test_people_who_left_a_pair_are_counted_in_the_year(tmp_path):
    home = tmp_path / "школа"
    made = run(
        home,
        "init",
        "--org",
        demo.ORGANIZATION["Полное наименование"],
        "--ca-password-stdin",
        stdin="пароль-уц-школы\n",
    )
    assert made.returncode == 0, made.stderr
    assert run(home, "process", str(september(tmp_path / "Сентябрь.xlsx"))).returncode == 0
    run(home, "signer", "add", "--user", DIRECTOR, "--password-stdin",
        stdin="пароль-уц-школы\nвыдал-администратор\n")  # fmt: skip
    run(home, "signer", "password", "--user", DIRECTOR, "--password-stdin",
        stdin=f"выдал-администратор\n{PASSWORD}\n")  # fmt: skip
    assert len(sign_pending(home)) == 11
    signed = documents(home)

    done = run(home, "process", str(january(tmp_path / "Январь.xlsx")))
    assert done.returncode == 0, done.stderr
    # the order on pairs and both programmes change; Белова's consent names the pair she led
    # and the training order the mentors trained: both stay as they were
    assert files_in(Path(done.stdout.strip())) == FOLDER_EXTRAS | {
        ORG_DOCS["order_pairs"],
        "Персонализированная программа наставничества — П-01 (Петрова А.С.).docx",
        "Персонализированная программа наставничества — П-02 (Петрова А.С.).docx",
        "Согласие на назначение наставником — Петрова Анна Сергеевна.docx",
    }
    after = documents(home)
    for kind in ("order_training", "mentor_consent"):
        key = (kind, ORG if kind == "order_training" else "Белова Елена Викторовна")
        assert (after[key]["id"], after[key]["status"]) == (
            signed[key]["id"],
            signed[key]["status"],
        )

    done = run(home, "process", str(may(tmp_path / "Май.xlsx")))
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip())
    order = docx_text(folder / "Приказ о проведении итогового мероприятия.docx")
    assert "всех наставнических пар (групп)\xa0— 3 пары (группы), 7 участников;" in order
    report = docx_text(folder / "Итоговый аналитический отчёт.docx")
    assert {
        k: v
        for k, v in figures(report).items()
        if k.startswith(("Наставни", "Наставляемых", "Участников", "Обучающихся, вовл"))
    } == {
        "Наставнических пар и групп, всего": "3",
        "Наставников": "3",
        "Наставляемых": "4",
        "Участников программы наставничества, всего": "7",
        "Обучающихся, вовлечённых в наставничество": "3",
    }
    assert "«Учитель – учитель» | 1 | 1 | 2" in report
    assert "«Учитель – ученик» | 1 | 2 | 1" in report
    assert "Наставляемый | Педагог в процессе адаптации | 1" in report
