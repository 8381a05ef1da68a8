"""The visible mark of an electronic signature on a PDF rendition (ГОСТ Р 7.0.97-2025, the
mark of an electronic signature): «ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ», the certificate's
serial number, its owner, its validity «с … по …» and the signing time — drawn as the
appearance of a PAdES signature made by pyHanko with the same signer's key, so any PDF reader
can check the copy too.

Each electronic signature of the document becomes one PAdES signature in its own incremental
update. A mark stands where the handwritten signature would be: on the signer's signature line
(the run of «____» beside his «И.О. Фамилия», the last one in the document: the signature
block of an order, the «УТВЕРЖДАЮ» stamp, a curator's line), found in the words poppler's
``pdftotext -bbox-layout`` reads off the page (:mod:`service.archive.signature_line`), and placed
so that it covers no word — narrower (:data:`NARROWER`) where a full one finds no room. A signer
whose line is not found, or has no room, gets his mark on the last page under its last line, or
on an added page when the last one is full. The fonts must have 1000 units per em (PT Sans from
Debian ``fonts-paratype``): pyHanko's text layout assumes it.
"""

from __future__ import annotations

import functools
import io
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.content import ResourceType
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.stamp.base import BaseStamp, BaseStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from service.archive.rendition import ink_bottom
from service.archive.signature_line import (
    Rule,
    Word,
    cell_of,
    signature_line,
    vertical_rules,
    words_of,
)
from service.documents.russian_names import surname_of
from service.signing.ca import PrivateKey, serial_hex

MM = 72 / 25.4
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 30 * MM, 10 * MM, 20 * MM, 20 * MM
"""Page margins of the templates (DESIGN.md): the marks stay inside them."""
MARK_WIDTH = 70 * MM
NARROWER = tuple(w * MM for w in (70, 68, 66, 64, 62, 60))
"""The mark's widths, tried in turn where a full one finds no room on the signer's line: a
name over ~55 mm («Ю.А. Голенищева-Кутузова») beside a position of two lines leaves ~71 mm
between them, 3 mm short of the mark and its gaps. A narrower mark draws its longest lines
(the certificate's serial, the owner) a little smaller; the rows of the signature blocks stay
as they are (a taller row would move the page breaks of every document)."""
GAP = 3 * MM
HEADER = ("ДОКУМЕНТ ПОДПИСАН", "ЭЛЕКТРОННОЙ ПОДПИСЬЮ")
COLOR = (0.05, 0.2, 0.55)
"""Dark blue, as office stamps are."""
HEADER_SIZE, BODY_SIZE, PAD = 8.0, 7.0, 4.5
HEADER_LEADING, BODY_LEADING = 9.0, 8.5
LOWEST = 8 * MM
"""How close to the bottom edge a mark may go (into the bottom margin, which is blank)."""


@dataclass(frozen=True)
class MarkSigner:
    """One electronic signature of the original, to be repeated on its PDF copy."""

    key: PrivateKey | None
    """The signer's private key (already unlocked with his password); None for a key revoked
    or expired after it signed: the mark is drawn, without a PAdES signature
    (:func:`sign_rendition`)."""
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    """Issuer certificates (the school CA) to embed."""
    owner: str
    """The certificate owner's full name (ФИО)."""
    signed_at: datetime
    """When the original was signed (the register's time of the CMS signature)."""


@dataclass(frozen=True)
class MarkFonts:
    regular: str
    """Path to the body font (PT Sans)."""
    bold: str
    """Path to the heading font (PT Sans Bold)."""


@functools.cache
def _font_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def mark_lines(signer: MarkSigner) -> tuple[str, ...]:
    """The body of the mark, under its two-line heading."""
    cert = signer.certificate
    return (
        f"Сертификат: {serial_hex(cert)}",
        f"Владелец: {signer.owner}",
        f"Действителен: с {cert.not_valid_before_utc:%d.%m.%Y} "
        f"по {cert.not_valid_after_utc:%d.%m.%Y}",
        f"Подписан: {signer.signed_at:%d.%m.%Y %H:%M}",
    )


def mark_height() -> float:
    return 2 * PAD + len(HEADER) * HEADER_LEADING + 3 + 4 * BODY_LEADING


@dataclass(frozen=True)
class MarkStampStyle(BaseStampStyle):
    """pyHanko stamp style of the mark: centred bold heading, a rule, left-aligned lines."""

    fonts: MarkFonts = MarkFonts("", "")

    def create_stamp(
        self, writer: BasePdfFileWriter, box: BoxConstraints, text_params: dict
    ) -> MarkStamp:
        return MarkStamp(writer, self, box, tuple(text_params["lines"]))


class MarkStamp(BaseStamp):
    """Draws the mark inside the signature field's box."""

    def __init__(self, writer, style: MarkStampStyle, box, lines: tuple[str, ...]):
        super().__init__(writer=writer, style=style, box=box)
        self.lines = lines

    def _engine(self, path: str, size: float, name: str) -> GlyphAccumulator:
        # pyHanko's GlyphAccumulatorFactory opens the font file and never closes it
        engine = GlyphAccumulator(
            writer=self.writer, font_handle=io.BytesIO(_font_bytes(path)), font_size=size
        )
        self.set_resource(ResourceType.FONT, pdf_name("/" + name), engine.as_resource())
        return engine

    def _render_inner_content(self) -> list[bytes]:
        fonts: MarkFonts = self.style.fonts
        width, height = self.box.width, self.box.height
        bold = self._engine(fonts.bold, HEADER_SIZE, "MarkB")
        regular = self._engine(fonts.regular, BODY_SIZE, "MarkR")
        ops = [b"q %g %g %g rg %g %g %g RG" % (*COLOR, *COLOR)]
        y = height - PAD - HEADER_SIZE
        for line in HEADER:
            shaped = bold.shape(line)
            x = max(PAD, (width - shaped.x_advance * HEADER_SIZE) / 2)
            ops.append(
                b"BT /MarkB %g Tf 1 0 0 1 %g %g Tm %s ET" % (HEADER_SIZE, x, y, shaped.graphics_ops)
            )
            y -= HEADER_LEADING
        ops.append(
            b"0.6 w %g %g m %g %g l S"
            % (PAD, y + BODY_SIZE - 0.5, width - PAD, y + BODY_SIZE - 0.5)
        )
        y -= 3
        for line in self.lines:
            regular.font_size = BODY_SIZE
            shaped = regular.shape(line)
            size = BODY_SIZE
            room = width - 2 * PAD
            if shaped.x_advance * size > room:  # a very long name: a smaller size for the line
                size = regular.font_size = room / shaped.x_advance
                shaped = regular.shape(line)
            ops.append(
                b"BT /MarkR %g Tf 1 0 0 1 %g %g Tm %s ET" % (size, PAD, y, shaped.graphics_ops)
            )
            y -= BODY_LEADING
        ops.append(b"Q")
        return ops


def sign_rendition(
    pdf: bytes, marks: list[MarkSigner], fonts: MarkFonts, reason: str, location: str = ""
) -> bytes:
    """``pdf`` with one PAdES signature (and its visible mark) per entry of ``marks``. A mark
    without a key (its signer's key was revoked or expired after the original was signed: a
    director who has left) is drawn on the page without a signature, before the signatures,
    so that the last PAdES signature still covers the whole file."""
    if not marks:
        return pdf
    placements, add_page = _placements(pdf, marks)
    style = MarkStampStyle(border_width=1, border_color=COLOR, fonts=fonts)
    order = sorted(range(len(marks)), key=lambda i: marks[i].key is not None)
    for number, index in enumerate(order, 1):
        signer, (page, box) = marks[index], placements[index]
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        pages = int(writer.root["/Pages"]["/Count"])
        if add_page and number == 1:
            _append_blank_page(writer)
            pages += 1
        on_page = pages - 1 if page is None else page
        if signer.key is None:
            left, bottom, right, top = box
            constraints = BoxConstraints(right - left, top - bottom)
            MarkStamp(writer, style, constraints, mark_lines(signer)).apply(on_page, left, bottom)
            out = io.BytesIO()
            writer.write(out)
            pdf = out.getvalue()
            continue
        field = f"Signature{_existing_fields(writer) + 1}"
        meta = signers.PdfSignatureMetadata(
            field_name=field,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason,
            location=location or None,
            name=signer.owner,
            tight_size_estimates=True,
        )
        pdf_signer = signers.PdfSigner(
            meta,
            signer=_pyhanko_signer(signer),
            stamp_style=style,
            new_field_spec=fields.SigFieldSpec(field, on_page=on_page, box=box),
        )
        out = io.BytesIO()
        pdf_signer.sign_pdf(
            writer, output=out, appearance_text_params={"lines": mark_lines(signer)}
        )
        pdf = out.getvalue()
    return pdf


Box = tuple[float, float, float, float]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _spot_on_line(
    line: Word,
    words: list[Word],
    taken: list[tuple[int, Box]],
    size: tuple[float, float],
    width: float = MARK_WIDTH,
    rules: list[Rule] | None = None,
) -> Box | None:
    """A box (top-left coordinates) ``width`` wide on the signature line ``line`` covering no
    word: resting on the line, just above it, centred on it, or hanging from it; over the
    whole «____», nearest to centred on it: centred, or slid beside a word (the end of a long
    position, the start of a long name) up to either end of the line. Inside the framed cell
    of the line (``rules``: the page's drawn borders) when it is wide enough — the contract's
    «Организация» cell — else within the page's margins (5 mm into the left one)."""
    limits = [(MARGIN_LEFT - 5 * MM, size[0] - MARGIN_RIGHT)]
    cell = cell_of(line, rules or [])
    if cell is not None and cell[1] - cell[0] - 2 >= width:
        limits.insert(0, (cell[0] + 1, cell[1] - 1))
    for left_limit, right_limit in limits:
        box = _spot_within(line, words, taken, size, width, left_limit, right_limit)
        if box is not None:
            return box
    return None


def _spot_within(
    line: Word,
    words: list[Word],
    taken: list[tuple[int, Box]],
    size: tuple[float, float],
    width: float,
    left_limit: float,
    right_limit: float,
) -> Box | None:
    page_height = size[1]
    height = mark_height()
    centred = (line.x0 + line.x1 - width) / 2
    tops = (
        line.bottom - 2.5 - height,  # resting on the line (its lower edge on the «____»)
        line.top - height,  # just above it
        (line.top + line.bottom - height) / 2,
        line.top - 2,  # hanging from it
    )
    others = [(w.x0, w.top, w.x1, w.bottom) for w in words if w.page == line.page and w is not line]
    others += [box for page, box in taken if page == line.page]
    for top in tops:
        if top < MARGIN_TOP / 2 or top + height > page_height - LOWEST:
            continue
        band = [o for o in others if o[1] < top + height and top < o[3]]
        beside = [o[2] + GAP / 2 for o in band] + [o[0] - GAP / 2 - width for o in band]
        lefts = [x for x in beside if line.x1 - width <= x <= line.x0]
        for left in sorted(
            [centred, line.x0, line.x1 - width, *lefts], key=lambda x: abs(x - centred)
        ):
            left = min(max(left, left_limit), right_limit - width)
            box = (left, top, left + width, top + height)
            if not any(_overlaps(box, other) for other in band):
                return box
    return None


def _placements(pdf: bytes, marks: list[MarkSigner]) -> tuple[list[tuple[int | None, Box]], bool]:
    """Where each mark goes: (0-based page, PDF box) on its signer's signature line, or (None,
    box) on the last page for a mark without a line; and whether a page must be added for
    those."""
    words, sizes = words_of(pdf)
    rules = vertical_rules(pdf, sizes)
    placed: list[tuple[int, Box] | None] = []
    taken: list[tuple[int, Box]] = []
    for signer in marks:
        surname = surname_of(signer.owner)  # «фон Визин» for «фон Визин Денис Иванович»
        line = signature_line(words, surname)
        spot = None
        for width in NARROWER if line else ():
            spot = _spot_on_line(line[0], words, taken, sizes[line[0].page], width, rules)
            if spot is not None:
                break
        if line is None or spot is None:
            placed.append(None)
            continue
        taken.append((line[0].page, spot))
        placed.append((line[0].page, spot))
    rest = sum(1 for p in placed if p is None)
    boxes, add_page = _place(pdf, rest) if rest else ([], False)
    result: list[tuple[int | None, Box]] = []
    fallback = iter(boxes)
    reader = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for item in placed:
        if item is None:
            result.append((None, next(fallback)))
            continue
        page, (left, top, right, bottom) = item
        page_ref, _ = reader.find_page_for_modification(page)
        x0, y0, _, y1 = (float(v) for v in page_ref.get_object()["/MediaBox"])
        height = y1 - y0
        result.append(
            (
                page,
                tuple(
                    round(v, 2)
                    for v in (x0 + left, y0 + height - bottom, x0 + right, y0 + height - top)
                ),
            )
        )
    return result, add_page


def _place(pdf: bytes, count: int) -> tuple[list[tuple[float, float, float, float]], bool]:
    """Boxes (x1, y1, x2, y2) for ``count`` marks on the last page, and whether a blank page
    must be added because the last one has no room left."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    pages = int(writer.root["/Pages"]["/Count"])
    page_ref, _ = writer.find_page_for_modification(pages - 1)
    x0, y0, x1, y1 = (float(v) for v in page_ref.get_object()["/MediaBox"])
    page_width, page_height = x1 - x0, y1 - y0
    per_row = max(1, int((page_width - MARGIN_LEFT - MARGIN_RIGHT + GAP) // (MARK_WIDTH + GAP)))
    rows = -(-count // per_row)
    height = mark_height()
    needed = rows * height + (rows - 1) * GAP
    with tempfile.TemporaryDirectory(prefix="nastavnik-mark-") as tmp:
        path = Path(tmp) / "page.pdf"
        path.write_bytes(pdf)
        bottom = ink_bottom(path, pages)
    top = MARGIN_TOP if bottom is None else bottom + 3 * MM
    add_page = top + needed > page_height - LOWEST
    if add_page:
        top = MARGIN_TOP
    boxes = []
    right = page_width - MARGIN_RIGHT
    for index in range(count):
        row, column = divmod(index, per_row)
        in_row = min(per_row, count - row * per_row)
        left = right - in_row * MARK_WIDTH - (in_row - 1) * GAP + column * (MARK_WIDTH + GAP)
        upper = page_height - top - row * (height + GAP)
        boxes.append((x0 + left, y0 + upper - height, x0 + left + MARK_WIDTH, y0 + upper))
    return [tuple(round(v, 2) for v in box) for box in boxes], add_page


def _append_blank_page(writer: IncrementalPdfFileWriter) -> None:
    last_ref, _ = writer.find_page_for_modification(-1)
    media_box = last_ref.get_object()["/MediaBox"]
    page = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Page"),
            pdf_name("/MediaBox"): generic.ArrayObject(list(media_box)),
            pdf_name("/Resources"): generic.DictionaryObject(),
            pdf_name("/Contents"): writer.add_object(generic.StreamObject(stream_data=b"")),
        }
    )
    writer.insert_page(page)


def _existing_fields(writer: IncrementalPdfFileWriter) -> int:
    form = writer.root.get("/AcroForm")
    return len(form.get_object().get("/Fields", [])) if form is not None else 0


class _KeySigner(signers.SimpleSigner):
    """pyHanko's in-memory signer, signing with the already unlocked ``cryptography`` key
    (``SimpleSigner`` re-parses and re-checks an RSA key for every signature: 0.1 s each)."""

    def __init__(self, key: PrivateKey, **kwargs):
        super().__init__(**kwargs)
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if mechanism == "ecdsa" and isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        return super().sign_raw(data, digest_algorithm)


def _pyhanko_signer(mark: MarkSigner) -> signers.SimpleSigner:
    def der(cert: x509.Certificate) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    key_info = asn1_keys.PrivateKeyInfo.load(
        mark.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return _KeySigner(
        mark.key,
        signing_cert=der(mark.certificate),
        signing_key=key_info,
        cert_registry=SimpleCertificateStore.from_certs([der(c) for c in mark.chain]),
    )


__all__ = ["MarkFonts", "MarkSigner", "mark_lines", "sign_rendition"]
