"""Where a signer's line is on a PDF copy: every word of the pages with its box, read by
poppler's ``pdftotext -bbox-layout``, and the last «____» beside the signer's «И.О. Фамилия»
(:mod:`service.archive.mark` puts the mark of his electronic signature there); and the table
cell framing that line, when its borders are drawn (:func:`vertical_rules`, :func:`cell_of`).
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader


@dataclass(frozen=True)
class Word:
    page: int
    """0-based."""
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    """Points from the page's top-left corner, as pdftotext reports them."""


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def words_of(pdf: bytes) -> tuple[list[Word], list[tuple[float, float]]]:
    """Every word of the PDF with its box, and each page's size (poppler's pdftotext)."""
    with tempfile.TemporaryDirectory(prefix="nastavnik-mark-") as tmp:
        path = Path(tmp) / "copy.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(
            ["pdftotext", "-bbox-layout", str(path), "-"],
            capture_output=True,
            timeout=120,
            check=True,
        )
    words, sizes = [], []
    for number, page in enumerate(done.stdout.decode("utf-8").split("<page ")[1:]):
        size = re.match(r'width="([\d.]+)" height="([\d.]+)"', page)
        sizes.append((float(size[1]), float(size[2])) if size else (0.0, 0.0))
        for x0, top, x1, bottom, text in _WORD.findall(page):
            words.append(Word(number, text, float(x0), float(top), float(x1), float(bottom)))
    return words, sizes


def signature_line(words: list[Word], surname: str) -> tuple[Word, Word] | None:
    """The last «____» with the signer's surname to its right on the same line (or, for a
    double surname wrapped at its hyphen, the part of it there: :func:`ends_name`; for a
    surname with particles, «А.К.\u00a0фон Мекк», its first particle: :func:`starts_name`)."""
    parts = surname.split()
    found = None
    for index, name in enumerate(words):
        if len(parts) > 1:
            if not starts_name(words, index, parts):
                continue
        elif not ends_name(name, surname, words):
            continue
        for line in words:
            if (
                line.page == name.page
                and set(line.text) == {"_"}
                and len(line.text) >= 6
                and line.x1 <= name.x0
                and abs(line.bottom - name.bottom) < 4
            ):
                found = (line, name)
    return found


def starts_name(words: list[Word], index: int, parts: list[str]) -> bool:
    """Whether ``words[index]`` begins the signer's surname of several words, ``parts`` («фон»,
    «Визин»): it ends with the first of them and the words after it on the page go on with the
    rest — on the same line, or the next one where the name wrapped after a particle. The
    particle alone does not do: «фон» also begins «А.К.\u00a0фон Мекк», the curator's line of
    the programme the director «фон Визин» signs too."""
    tokens = words[index].text.split()
    if not tokens or tokens[-1] != parts[0]:
        return False
    rest = parts[1:]
    for word in words[index + 1 :]:
        if not rest:
            break
        if word.page != words[index].page:
            return False
        following = word.text.split()
        if following != rest[: len(following)]:
            return False
        rest = rest[len(following) :]
    return not rest


def ends_name(word: Word, surname: str, words: list[Word]) -> bool:
    """Whether ``word`` stands for the signer's name on his line: its last part is the surname
    («Т.И.\u00a0Кинякина» is one word), or the surname is a double one that its paragraph or
    cell wrapped at the hyphen — «А.В.\u00a0Салтыкова-» over «Щедрина» in a narrow cell, where
    the line is beside the tail, or «____________ Ю.А.\u00a0Голенищева-» over «Кутузова» in the
    «УТВЕРЖДАЮ» stamp and the contract's requisites, where the line is beside the head."""
    last = word.text.split()[-1:]
    if last == [surname]:
        return True
    if not last:
        return False
    height = word.bottom - word.top
    if last[0].endswith("-") and surname.startswith(last[0]) and len(last[0]) < len(surname):
        tail = surname[len(last[0]) :]  # «Кутузова», first on the next line
        return any(
            w.page == word.page
            and w.text.split()[:1] == [tail]
            and 0 < w.top - word.top <= 2 * height  # the line just below
            for w in words
        )
    if not surname.endswith("-" + last[0]):
        return False
    head = surname[: -len(last[0])]  # «Салтыкова-»
    return any(
        w.page == word.page
        and w.text.split()[-1:] == [head]
        and 0 <= word.top - w.top <= 2 * height  # the line just above
        and w.x0 < word.x1
        and word.x0 < w.x1
        for w in words
    )


Rule = tuple[int, float, float, float]
"""A vertical border drawn on a page: (0-based page, x, top, bottom), in points from the
page's top-left corner, as the words' boxes."""
_VERTICAL = re.compile(rb"(?<![\d.])([\d.]+) ([\d.]+) m\s+([\d.]+) ([\d.]+) l S")


def vertical_rules(pdf: bytes, sizes: list[tuple[float, float]]) -> list[Rule]:
    """The vertical lines drawn on the pages: the borders of framed table cells, as
    LibreOffice writes them («x y1 m x y2 l S» in the page's own coordinates)."""
    reader = PdfFileReader(io.BytesIO(pdf))
    rules: list[Rule] = []
    for number, page in enumerate(_pages(reader.root["/Pages"].get_object())):
        height = sizes[number][1] if number < len(sizes) else 0.0
        contents = page.get("/Contents")
        if contents is None or not height:
            continue
        contents = contents.get_object()
        streams = contents if isinstance(contents, list) else [contents]
        data = b"\n".join(part.get_object().data for part in streams)
        for x, y1, x2, y2 in _VERTICAL.findall(data):
            if abs(float(x) - float(x2)) < 0.01:
                top, bottom = sorted((height - float(y1), height - float(y2)))
                rules.append((number, float(x), top, bottom))
    return rules


def _pages(node) -> list:
    if node.get("/Type") == "/Page" or "/Kids" not in node:
        return [node]
    return [page for kid in node["/Kids"] for page in _pages(kid.get_object())]


def cell_of(line: Word, rules: list[Rule]) -> tuple[float, float] | None:
    """The left and right borders of the framed cell the «____» ``line`` stands in: the
    nearest vertical rules either side of it spanning its height; None when it is not framed
    (the orders' signature blocks have no borders)."""
    spanning = [
        x
        for page, x, top, bottom in rules
        if page == line.page and top <= line.top + 1 and line.bottom - 1 <= bottom
    ]
    left = [x for x in spanning if x <= line.x0]
    right = [x for x in spanning if x >= line.x1]
    if not left or not right:
        return None
    return max(left), min(right)
