"""Pages → export files: TIFF, zip of TIFFs, PNG, JPEG, PDF, text, electronic documents.

Rendering is deterministic: the same entry and :class:`ExportSpec` always give byte-identical files
(fixed fonts, no timestamps, fixed zip entry dates).

Decisions where the vendor is silent:
- PNG and JPEG of one page are the image itself; of several pages a zip with one image per page, named
  ``<entry name><pagePrefix><page number>.png|.jpg`` (like SinglePageTIFF's ``.tif`` entries).
- Zip entry names carry the document's page numbers (``pageRange=2,5`` → ``…2.tif``, ``…5.tif``).
- A page range selects the union of its pages, once each, in ascending order.
- Text exports join page texts with a form feed (``\\f``); every page text ends with a newline.
- Watermarks are red (RGB ≈ 220,0,0), rotated counter-clockwise by ``rotationAngle``, scaled so the
  unrotated text is ``pageSpanPercentage`` of the page width, centred on the requested cell of a 3×3 grid
  and kept on the page.
- PDF with annotations and ``convertPdfAnnotations`` → real PDF annotations (Highlight, Square), not burnt in.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import zipfile
from collections.abc import Callable, Iterator
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

from lf_emulator.pdfwriter import PdfAnnotation, PdfPage, write_pdf
from lf_emulator.repository import PAGE_HEIGHT, PAGE_WIDTH, Entry, Page, large_edoc_chunks

__all__ = [
    "WATERMARK_RGB",
    "Artifact",
    "ExportSpec",
    "PageRangeError",
    "WatermarkSpec",
    "build_artifact",
    "describe_artifact",
    "render_text_page",
    "select_pages",
]

Part = Literal["Image", "Text", "Edoc"]
WATERMARK_RGB = (220, 0, 0)
_HIGHLIGHT_RGBA = (255, 230, 0, 110)
_NOTE_RGB = (40, 90, 220)
_POSITIONS = {
    "TopLeft": (0, 0),
    "TopCenter": (1, 0),
    "TopRight": (2, 0),
    "MiddleLeft": (0, 1),
    "DeadCenter": (1, 1),
    "MiddleRight": (2, 1),
    "BottomLeft": (0, 2),
    "BottomCenter": (1, 2),
    "BottomRight": (2, 2),
}
_FORMAT_TYPES = {
    "MultiPageTIFF": ("tif", "image/tiff"),
    "SinglePageTIFF": ("tif", "image/tiff"),
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "PDF": ("pdf", "application/pdf"),
}
_ZIP_DATE = (2023, 9, 7, 14, 12, 26)


class PageRangeError(ValueError):
    """A page range that is malformed or names pages the document does not have."""


@dataclasses.dataclass(frozen=True)
class WatermarkSpec:
    text: str
    position: str = "DeadCenter"
    rotation_angle: int = 0
    page_span_percentage: int = 50


@dataclasses.dataclass(frozen=True)
class ExportSpec:
    """A validated export request with defaults applied (wire names → Python names)."""

    part: Part
    pages: tuple[int, ...] = ()
    image_format: str = "MultiPageTIFF"
    jpeg_quality: int = 70
    include_annotations: bool = True
    convert_pdf_annotations: bool = True
    include_redactions: bool = True
    page_prefix: str = ", Page "
    watermark: WatermarkSpec | None = None
    text_include_redactions: bool = True
    redaction_character: str = "X"


@dataclasses.dataclass(frozen=True)
class Artifact:
    """An export file: ``data`` in memory, or ``chunks(start, end)`` streaming an inclusive byte range."""

    filename: str
    content_type: str
    size: int
    data: bytes | None = None
    chunks: Callable[[int, int], Iterator[bytes]] | None = None


def select_pages(page_range: str | None, page_count: int) -> tuple[int, ...]:
    """Pages named by ``page_range`` (``"1,3-5"``); all pages when it is ``None`` or empty."""
    if page_range is None or page_range.strip() == "":
        return tuple(range(1, page_count + 1))
    selected: set[int] = set()
    for raw in page_range.split(","):
        item = raw.strip()
        first, sep, last = item.partition("-")
        try:
            start = int(first)
            end = int(last) if sep else start
        except ValueError:
            raise PageRangeError(
                f"pageRange={page_range!r}: {item!r} is not a page number or a range like 3-5"
            ) from None
        if start < 1 or end < start:
            raise PageRangeError(f"pageRange={page_range!r}: {item!r} must be ascending page numbers from 1")
        if end > page_count:
            raise PageRangeError(
                f"pageRange={page_range!r}: page {end} is beyond the document's {page_count} page(s)"
            )
        selected.update(range(start, end + 1))
    return tuple(sorted(selected))


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _line_y(index: int) -> int:
    if index == 0:
        return 36
    if index == 1:
        return 70
    return 110 + (index - 2) * 24


def render_text_page(title: str, lines: list[str]) -> Image.Image:
    """A plain page with a title and lines (used for the sample PDF electronic document)."""
    image = Image.new("RGB", (PAGE_WIDTH, PAGE_HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 36), title, fill="black", font=_font(22))
    for i, line in enumerate(lines):
        draw.text((40, 90 + 24 * i), line, fill="black", font=_font(14))
    return image


@functools.lru_cache(maxsize=256)
def _page_image(page: Page, burn_annotations: bool, redact: bool) -> Image.Image:
    image = Image.new("RGB", (PAGE_WIDTH, PAGE_HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(page.lines):
        draw.text((40, _line_y(i)), line, fill="black", font=_font(22 if i == 0 else 14))
    draw.text((PAGE_WIDTH // 2, 740), str(page.number), fill="black", font=_font(28), anchor="mm")
    draw.rectangle((20, 20, PAGE_WIDTH - 21, PAGE_HEIGHT - 21), outline=(90, 90, 90))
    if redact:
        font = _font(14)
        for r in page.redactions:
            line = page.lines[r.line]
            x0 = 40 + draw.textlength(line[: r.start], font=font)
            x1 = 40 + draw.textlength(line[: r.end], font=font)
            y = _line_y(r.line)
            draw.rectangle((x0 - 1, y - 2, x1 + 1, y + 18), fill="black")
    if burn_annotations and page.annotations:
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        odraw = ImageDraw.Draw(overlay)
        for a in page.annotations:
            if a.kind == "highlight":
                odraw.rectangle(a.box, fill=_HIGHLIGHT_RGBA)
            else:
                odraw.rectangle(a.box, fill=(230, 238, 255, 255), outline=(*_NOTE_RGB, 255), width=2)
                odraw.text((a.box[0] + 8, a.box[1] + 8), a.text, fill=(*_NOTE_RGB, 255), font=_font(14))
        image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    return image


def _drawable(text: str) -> str:
    """Text Pillow can draw: lone surrogates and control characters (JSON allows both) become '?'."""
    return "".join("?" if 0xD800 <= ord(c) <= 0xDFFF or not c.isprintable() else c for c in text)


def _apply_watermark(image: Image.Image, wm: WatermarkSpec) -> Image.Image:
    font = _font(64)
    text = _drawable(wm.text)
    left, top, right, bottom = font.getbbox(text)
    layer = Image.new("RGBA", (int(right - left) + 8, int(bottom - top) + 8), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((4 - left, 4 - top), text, fill=(*WATERMARK_RGB, 255), font=font)
    width, height = image.size
    target_w = max(1, round(width * wm.page_span_percentage / 100))
    target_h = max(1, round(layer.height * target_w / layer.width))
    layer = layer.resize((target_w, target_h), Image.Resampling.BILINEAR)
    if wm.rotation_angle % 360:
        layer = layer.rotate(wm.rotation_angle, expand=True, resample=Image.Resampling.BICUBIC)
    col, row = _POSITIONS[wm.position]
    cx, cy = (col + 0.5) * width / 3, (row + 0.5) * height / 3
    x = min(max(round(cx - layer.width / 2), 0), max(width - layer.width, 0))
    y = min(max(round(cy - layer.height / 2), 0), max(height - layer.height, 0))
    out = image.copy()
    out.paste(layer, (x, y), layer)
    return out


def _pages(entry: Entry, spec: ExportSpec, *, burn_annotations: bool) -> list[Image.Image]:
    images = []
    for number in spec.pages:
        cached = _page_image(entry.pages[number - 1], burn_annotations, spec.include_redactions)
        # Always a copy: Pillow's encoders leave state on the image they save (JPEG sets ``encoderconfig``,
        # which a later TIFF save of the same object misreads), and exports run in several threads.
        image = cached.copy() if spec.watermark is None else _apply_watermark(cached, spec.watermark)
        images.append(image)
    return images


def _encode(image: Image.Image, fmt: str, quality: int) -> bytes:
    buffer = io.BytesIO()
    if fmt == "PNG":
        image.save(buffer, "PNG", optimize=False, compress_level=6)
    elif fmt == "JPEG":
        image.save(buffer, "JPEG", quality=max(1, quality), optimize=False)
    else:
        image.save(buffer, "TIFF", compression="tiff_deflate")
    return buffer.getvalue()


def _zip(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, data)
    return buffer.getvalue()


def describe_artifact(entry: Entry, spec: ExportSpec) -> tuple[str, str]:
    """File name and content type of the export, without rendering it."""
    if spec.part == "Edoc":
        assert entry.edoc is not None
        return f"{entry.name}.{entry.edoc.extension}", entry.edoc.mime_type
    if spec.part == "Text":
        return f"{entry.name}.txt", "text/plain; charset=utf-8"
    ext, content_type = _FORMAT_TYPES[spec.image_format]
    several = spec.image_format == "SinglePageTIFF" or (
        spec.image_format in ("PNG", "JPEG") and len(spec.pages) > 1
    )
    if several:
        return f"{entry.name}.zip", "application/zip"
    return f"{entry.name}.{ext}", content_type


def build_artifact(entry: Entry, spec: ExportSpec) -> Artifact:
    """Render the export file (CPU-bound: run it off the event loop)."""
    filename, content_type = describe_artifact(entry, spec)
    if spec.part == "Edoc":
        edoc = entry.edoc
        assert edoc is not None
        if edoc.streamed:
            size = edoc.size
            return Artifact(filename, content_type, size, chunks=lambda s, e: large_edoc_chunks(size, s, e))
        return Artifact(filename, content_type, edoc.size, data=edoc.blob)
    if spec.part == "Text":
        texts = [
            entry.pages[n - 1].text(
                include_redactions=spec.text_include_redactions, redaction_character=spec.redaction_character
            )
            for n in spec.pages
        ]
        data = "\f".join(texts).encode("utf-8")
        return Artifact(filename, content_type, len(data), data=data)
    fmt = spec.image_format
    if fmt == "PDF":
        convert = spec.include_annotations and spec.convert_pdf_annotations
        images = _pages(entry, spec, burn_annotations=spec.include_annotations and not convert)
        pdf_pages = []
        for number, image in zip(spec.pages, images, strict=True):
            annotations: tuple[PdfAnnotation, ...] = ()
            if convert:
                annotations = tuple(
                    PdfAnnotation("Highlight", a.box, (1.0, 0.9, 0.0))
                    if a.kind == "highlight"
                    else PdfAnnotation("Square", a.box, (0.16, 0.35, 0.86), a.text)
                    for a in entry.pages[number - 1].annotations
                )
            pdf_pages.append(PdfPage(image, annotations))
        data = write_pdf(pdf_pages, title=entry.name)
        return Artifact(filename, content_type, len(data), data=data)
    images = _pages(entry, spec, burn_annotations=spec.include_annotations)
    if fmt == "MultiPageTIFF":
        buffer = io.BytesIO()
        images[0].save(buffer, "TIFF", save_all=True, append_images=images[1:], compression="tiff_deflate")
        data = buffer.getvalue()
    elif content_type == "application/zip":
        ext = _FORMAT_TYPES[fmt][0]
        data = _zip(
            [
                (f"{entry.name}{spec.page_prefix}{n}.{ext}", _encode(image, fmt, spec.jpeg_quality))
                for n, image in zip(spec.pages, images, strict=True)
            ]
        )
    else:
        data = _encode(images[0], fmt, spec.jpeg_quality)
    return Artifact(filename, content_type, len(data), data=data)
