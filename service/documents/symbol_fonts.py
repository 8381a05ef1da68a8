"""What a character of a symbol font prints: the Symbol font's Greek letters, signs and marks,
and the bullets of Wingdings, as Unicode, for the text the director reads.

A symbol font's character is stored as a code of the font, not as the character it shows:
LibreOffice saves a bullet of the Symbol font («Вставка → Символ», a list's «•») as the text
U+F0B7 in a run of the font ``Symbol``, and Word prints «•» for it, as it prints «α» for an «a»
of that font. Read as stored, the director's page showed a box (template18). Word's
``w:sym`` (the symbol as an element) is checked apart (:func:`~service.documents.appearance.
symbol_problem`). Codes of 0x20–0xFF, or the same in the private use area U+F020–U+F0FF, are
the font's; a code with no entry here is left as it is.
"""

from __future__ import annotations

_SYMBOL_ASCII = (
    " !∀#∃%&∋()∗+,−./0123456789:;<=>?"
    "≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_"
    "\uf8e5αβχδεφγηιϕκλμνοπθρστυϖωξψζ{|}∼"
)
"""The Symbol font's 0x20–0x7E (Adobe's Symbol encoding; 0x60 has no character of its own)."""
_SYMBOL_HIGH = "€ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…\uf8e6\uf8e7↵ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓◊〈®©™∑"
"""The Symbol font's 0xA0–0xE5; above are the pieces of large brackets and integrals, which
say nothing read alone."""
SYMBOL = {
    **{0x20 + i: c for i, c in enumerate(_SYMBOL_ASCII)},
    **{0xA0 + i: c for i, c in enumerate(_SYMBOL_HIGH)},
    0xF1: "〉",
    0xF2: "∫",
}
SYMBOL = {code: c for code, c in SYMBOL.items() if not "\ue000" <= c <= "\uf8ff"}

WINGDINGS = {
    0x6C: "●", 0x6D: "❍", 0x6E: "■", 0x6F: "□", 0x71: "❑", 0x72: "❒", 0x75: "◆",
    0x76: "❖", 0x9F: "•", 0xA1: "○", 0xA7: "▪", 0xA8: "◻", 0xD8: "➢", 0xE8: "➔",
    0xFB: "✗", 0xFC: "✓", 0xFD: "☒", 0xFE: "☑",
}  # fmt: skip
"""The Wingdings characters Word offers as bullets and check marks («Определить новый маркер»):
«❖» (0x76), «▪» (0xA7), «➢» (0xD8), «✓» (0xFC) and the like."""

FONTS = {"symbol": SYMBOL, "wingdings": WINGDINGS}
"""The symbol fonts read, by their name in lower case."""


def printed(font: str, text: str) -> str:
    """``text`` of a run of ``font`` as it prints: each code of a symbol font (:data:`FONTS`)
    as the character it shows; any other font's text, and any other code, as it is."""
    table = FONTS.get(font.strip().lower())
    if table is None:
        return text
    out = []
    for char in text:
        code = ord(char)
        if 0xF020 <= code <= 0xF0FF:
            code -= 0xF000
        out.append(table.get(code, char) if code <= 0xFF else char)
    return "".join(out)
