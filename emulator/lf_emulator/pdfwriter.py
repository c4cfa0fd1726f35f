"""A small deterministic PDF writer: one RGB image per page, optional real PDF annotations.

Pillow can write PDFs, but not annotation objects, and it stamps the current time; this writer does
neither (same pages in → same bytes out). One image pixel is one PDF point.
"""

from __future__ import annotations

import dataclasses
import zlib

from PIL import Image

__all__ = ["PdfAnnotation", "PdfPage", "write_pdf"]


@dataclasses.dataclass(frozen=True)
class PdfAnnotation:
    """``Highlight`` or ``Square`` (sticky-note box) over ``box`` in image pixels (origin top-left)."""

    subtype: str
    box: tuple[int, int, int, int]
    color: tuple[float, float, float]
    contents: str = ""


@dataclasses.dataclass(frozen=True)
class PdfPage:
    image: Image.Image
    annotations: tuple[PdfAnnotation, ...] = ()


def _pdf_string(text: str) -> bytes:
    data = text.encode("utf-16-be")
    return b"<FEFF" + data.hex().upper().encode() + b">"


def write_pdf(pages: list[PdfPage], *, title: str = "") -> bytes:
    """Serialise ``pages`` as a PDF 1.7 file."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below, once the pages tree id is known
    pages_id = add(b"")
    info = add(b"<< /Producer " + _pdf_string("lf_emulator") + b" /Title " + _pdf_string(title) + b" >>")
    kids: list[int] = []
    for page in pages:
        image = page.image.convert("RGB")
        width, height = image.size
        raw = zlib.compress(image.tobytes(), 6)
        image_id = add(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
            % (width, height, len(raw))
            + raw
            + b"\nendstream"
        )
        content = b"q %d 0 0 %d 0 0 cm /Im0 Do Q" % (width, height)
        content_id = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        annot_ids = []
        for annotation in page.annotations:
            x0, y0, x1, y1 = annotation.box
            rect = b"%d %d %d %d" % (x0, height - y1, x1, height - y0)
            color = b" ".join(b"%.3f" % c for c in annotation.color)
            extra = b""
            if annotation.subtype == "Highlight":
                quad = b"%d %d %d %d %d %d %d %d" % (
                    x0,
                    height - y0,
                    x1,
                    height - y0,
                    x0,
                    height - y1,
                    x1,
                    height - y1,
                )
                extra = b" /QuadPoints [" + quad + b"]"
            annot_ids.append(
                add(
                    b"<< /Type /Annot /Subtype /"
                    + annotation.subtype.encode("ascii")
                    + b" /Rect ["
                    + rect
                    + b"] /C ["
                    + color
                    + b"] /F 4 /Contents "
                    + _pdf_string(annotation.contents)
                    + extra
                    + b" >>"
                )
            )
        annots = b""
        if annot_ids:
            annots = b" /Annots [" + b" ".join(b"%d 0 R" % a for a in annot_ids) + b"]"
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] "
                b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R"
                % (pages_id, width, height, image_id, content_id)
                + annots
                + b" >>"
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = (
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    )

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        info,
        xref,
    )
    return bytes(out)
