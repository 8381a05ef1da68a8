"""What the director's page lists as changed between two versions of a document
(service/documents/compare.py): lines that read the same are not changes."""

from __future__ import annotations

from service.documents.compare import ChangedLine, text_changes

NBSP = "\u00a0"


def test_lines_differing_only_in_no_break_spaces_are_not_changes():
    """play21: the renderer joins a class's number and letter now («5 А»); the order approving
    the pairs made after that, compared with the one signed before, listed every row naming a
    class as removed and added again, the two reading alike."""
    signed = "П-03 | Цой О.И. | Беляев Илья Ильич (7 В класс)\nП-04 | Фомин П.И. | (5 А класс)\n"
    new = (
        f"П-03 | Цой О.И. | Беляев Илья Ильич (7{NBSP}В класс)\n"
        f"П-04 | Фомин П.И. | (5{NBSP}А класс); Черных Ольга Андреевна (5{NBSP}А класс)\n"
    )
    assert text_changes(signed, new) == [
        ChangedLine(" ", f"П-03 | Цой О.И. | Беляев Илья Ильич (7{NBSP}В класс)"),
        ChangedLine("-", "П-04 | Фомин П.И. | (5 А класс)"),
        ChangedLine(
            "+", f"П-04 | Фомин П.И. | (5{NBSP}А класс); Черных Ольга Андреевна (5{NBSP}А класс)"
        ),
    ]
    assert text_changes(signed, new.replace("; Черных Ольга Андреевна (5\u00a0А класс)", "")) == []
