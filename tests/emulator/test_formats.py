"""Every export format opened and checked page by page; options change the pixels they should."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import httpx
import pypdf
import pytest
from lf_emulator.testing import EmulatorServer
from PIL import Image, ImageChops

PAGE_SIZE = (612, 792)


def export(
    client: httpx.Client, doc: int, body: dict[str, Any], page_range: str | None = None
) -> httpx.Response:
    params = {"pageRange": page_range} if page_range else {}
    response = client.post(f"Entries/{doc}/Export", params=params, json=body)
    assert response.status_code == 200, response.text
    download = httpx.get(response.json()["value"], timeout=30)
    assert download.status_code == 200
    assert int(download.headers["content-length"]) == len(download.content)
    return download


def image(client: httpx.Client, doc: int, page_range: str | None = None, **options: Any) -> httpx.Response:
    return export(client, doc, {"part": "Image", "imageOptions": options}, page_range)


def _mask(img: Image.Image, low: tuple[int, int, int], high: tuple[int, int, int]) -> Image.Image:
    bands = img.convert("RGB").split()
    masks = [
        b.point(lambda v, lo=lo, hi=hi: 255 if lo <= v <= hi else 0).convert("1")
        for b, lo, hi in zip(bands, low, high, strict=True)
    ]
    return ImageChops.logical_and(ImageChops.logical_and(masks[0], masks[1]), masks[2])


def red(img: Image.Image) -> Image.Image:
    return _mask(img, (170, 0, 0), (255, 70, 70))


def count(mask: Image.Image) -> int:
    return mask.convert("L").histogram()[255]


@pytest.fixture(scope="module")
def docs(emulator_session: EmulatorServer) -> dict[str, int]:
    return dict(emulator_session.documents)


def test_multipage_tiff_has_exactly_the_selected_pages(
    session_client: httpx.Client, docs: dict[str, int]
) -> None:
    full = image(session_client, docs["three_pages"])
    assert full.headers["content-type"] == "image/tiff"
    tiff = Image.open(io.BytesIO(full.content))
    assert tiff.n_frames == 3
    frames = []
    for i in range(3):
        tiff.seek(i)
        assert tiff.size == PAGE_SIZE
        frames.append(tiff.convert("RGB"))
    picked = Image.open(io.BytesIO(image(session_client, docs["three_pages"], "1,3").content))
    assert picked.n_frames == 2
    picked.seek(1)
    assert ImageChops.difference(picked.convert("RGB"), frames[2]).getbbox() is None
    assert ImageChops.difference(frames[0], frames[2]).getbbox() is not None


def test_single_page_tiff_zip_named_with_prefix(session_client: httpx.Client, docs: dict[str, int]) -> None:
    download = image(session_client, docs["three_pages"], "1,3", format="SinglePageTIFF", pagePrefix="_p")
    assert download.headers["content-type"] == "application/zip"
    assert 'filename="Invoice 1002.zip"' in download.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert archive.namelist() == ["Invoice 1002_p1.tif", "Invoice 1002_p3.tif"]
    for name in archive.namelist():
        page = Image.open(io.BytesIO(archive.read(name)))
        assert page.format == "TIFF"
        assert page.n_frames == 1
        assert page.size == PAGE_SIZE


def test_png_one_page_is_an_image_several_are_a_zip(
    session_client: httpx.Client, docs: dict[str, int]
) -> None:
    one = image(session_client, docs["three_pages"], "2", format="PNG")
    assert one.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(one.content)).size == PAGE_SIZE
    several = image(session_client, docs["three_pages"], format="PNG")
    assert several.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(several.content)).namelist()
    assert names == [f"Invoice 1002, Page {n}.png" for n in (1, 2, 3)]


def test_jpeg_quality_changes_size(session_client: httpx.Client, docs: dict[str, int]) -> None:
    low = image(session_client, docs["one_page"], format="JPEG", jPEGCompressionLevel=5)
    high = image(session_client, docs["one_page"], format="JPEG", jPEGCompressionLevel=95)
    assert low.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(low.content)).format == "JPEG"
    assert len(low.content) * 2 < len(high.content)
    pages = zipfile.ZipFile(io.BytesIO(image(session_client, docs["three_pages"], format="JPEG").content))
    assert [n.rsplit(".", 1)[1] for n in pages.namelist()] == ["jpg"] * 3


def test_pdf_pages_and_converted_annotations(session_client: httpx.Client, docs: dict[str, int]) -> None:
    download = image(session_client, docs["annotated"], "2-4", format="PDF")
    assert download.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(download.content))
    assert len(reader.pages) == 3
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == PAGE_SIZE
        subtypes = {a.get_object()["/Subtype"] for a in page["/Annots"]}
        assert subtypes == {"/Highlight", "/Square"}
    burnt = pypdf.PdfReader(
        io.BytesIO(
            image(session_client, docs["annotated"], "2", format="PDF", convertPdfAnnotations=False).content
        )
    )
    assert "/Annots" not in burnt.pages[0]
    bare = pypdf.PdfReader(
        io.BytesIO(
            image(session_client, docs["annotated"], "2", format="PDF", includeAnnotations=False).content
        )
    )
    assert "/Annots" not in bare.pages[0]
    assert len(burnt.pages[0].images) == 1


def test_annotations_follow_their_flag(session_client: httpx.Client, docs: dict[str, int]) -> None:
    def yellow(**options: Any) -> int:
        png = Image.open(
            io.BytesIO(image(session_client, docs["annotated"], "1", format="PNG", **options).content)
        )
        return count(_mask(png.crop((40, 156, 420, 176)), (240, 235, 100), (255, 255, 170)))

    assert yellow() > 2000
    assert yellow(includeAnnotations=False) == 0


def test_redactions_follow_their_flag(session_client: httpx.Client, docs: dict[str, int]) -> None:
    def black(**options: Any) -> int:
        png = Image.open(
            io.BytesIO(image(session_client, docs["annotated"], "1", format="PNG", **options).content)
        )
        return count(_mask(png.crop((150, 178, 300, 200)), (0, 0, 0), (10, 10, 10)))

    assert black() > 1000
    assert black(includeRedactions=False) < 200


CELLS = {
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


@pytest.mark.parametrize("position", list(CELLS))
def test_watermark_lands_in_its_grid_cell(
    session_client: httpx.Client, docs: dict[str, int], position: str
) -> None:
    wm = {"text": "CONFIDENTIAL", "position": position, "pageSpanPercentage": 25}
    png = Image.open(io.BytesIO(image(session_client, docs["one_page"], format="PNG", watermark=wm).content))
    box = red(png).getbbox()
    assert box is not None
    centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    cell = (int(centre[0] // (PAGE_SIZE[0] / 3)), int(centre[1] // (PAGE_SIZE[1] / 3)))
    assert cell == CELLS[position]


def test_watermark_rotation_and_span(session_client: httpx.Client, docs: dict[str, int]) -> None:
    def box(**wm: Any) -> tuple[int, int, int, int]:
        png = Image.open(
            io.BytesIO(
                image(
                    session_client, docs["one_page"], format="PNG", watermark={"text": "DRAFT COPY", **wm}
                ).content
            )
        )
        found = red(png).getbbox()
        assert found is not None
        return found

    flat = box(pageSpanPercentage=60)
    assert flat[2] - flat[0] > 3 * (flat[3] - flat[1])
    assert abs((flat[2] - flat[0]) - 0.6 * PAGE_SIZE[0]) < 0.05 * PAGE_SIZE[0]
    upright = box(pageSpanPercentage=60, rotationAngle=90)
    assert upright[3] - upright[1] > 3 * (upright[2] - upright[0])
    small = box(pageSpanPercentage=10)
    assert small[2] - small[0] < (flat[2] - flat[0]) / 4
    plain = Image.open(io.BytesIO(image(session_client, docs["one_page"], format="PNG").content))
    assert red(plain).getbbox() is None


def test_text_with_and_without_redactions(session_client: httpx.Client, docs: dict[str, int]) -> None:
    body = {"part": "Text", "textOptions": {"redactionCharacter": "#"}}
    text = export(session_client, docs["annotated"], body, "1-3")
    assert text.headers["content-type"].startswith("text/plain")
    pages = text.text.split("\f")
    assert len(pages) == 3
    assert [p.splitlines()[1] for p in pages] == ["Page 1 of 12", "Page 2 of 12", "Page 3 of 12"]
    assert "Account holder SSN: ###########" in pages[0]
    revealed = export(
        session_client, docs["annotated"], {"part": "Text", "textOptions": {"includeRedactions": False}}, "1"
    )
    line = next(x for x in revealed.text.splitlines() if x.startswith("Account holder SSN: "))
    ssn = line.removeprefix("Account holder SSN: ")
    assert len(ssn) == 11
    assert ssn[3] == "-"
    assert ssn.replace("-", "").isdigit()
    default = export(session_client, docs["annotated"], {"part": "Text"}, "1")
    assert "Account holder SSN: XXXXXXXXXXX" in default.text
    empty = export(session_client, docs["no_pages"], {"part": "Text"})
    assert empty.content == b""


def test_edoc_exports_the_stored_file(session_client: httpx.Client, docs: dict[str, int]) -> None:
    entry = session_client.get(f"Entries/{docs['edoc_pdf']}").json()
    pdf = export(session_client, docs["edoc_pdf"], {"part": "Edoc"}, "7")
    assert pdf.headers["content-type"] == "application/pdf"
    assert len(pdf.content) == entry["electronicDocumentSize"]
    assert len(pypdf.PdfReader(io.BytesIO(pdf.content)).pages) == 1
    docx = export(session_client, docs["edoc_docx"], {"part": "Edoc"})
    assert docx.headers["content-type"].endswith("wordprocessingml.document")
    assert 'filename="Meeting Notes.docx"' in docx.headers["content-disposition"]
    assert b"archive the 2022 scans" in zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml")


def test_large_edoc_streams_with_ranges(
    session_client: httpx.Client, docs: dict[str, int], emulator_session: EmulatorServer
) -> None:
    size = emulator_session.config.large_edoc_bytes
    link = session_client.post(f"Entries/{docs['large_edoc']}/Export", json={"part": "Edoc"}).json()["value"]
    with httpx.stream("GET", link) as response:
        assert int(response.headers["content-length"]) == size
        whole = b"".join(response.iter_bytes())
    assert len(whole) == size
    part = httpx.get(link, headers={"Range": "bytes=1048570-1048599"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 1048570-1048599/{size}"
    assert part.content == whole[1048570:1048600]
    tail = httpx.get(link, headers={"Range": "bytes=-100"})
    assert tail.content == whole[-100:]


def test_rendering_is_deterministic(session_client: httpx.Client, docs: dict[str, int]) -> None:
    options = {"format": "PDF", "watermark": {"text": "COPY", "rotationAngle": 33}}
    first = image(session_client, docs["annotated"], "1-2", **options)
    second = image(session_client, docs["annotated"], "1-2", **options)
    assert first.content == second.content
    tiffs = [image(session_client, docs["three_pages"], format="SinglePageTIFF").content for _ in range(2)]
    assert tiffs[0] == tiffs[1]


def test_jpeg_then_tiff_of_the_same_page(session_client: httpx.Client, docs: dict[str, int]) -> None:
    """Encoding one page as JPEG must not leave state that breaks a later TIFF of the same page."""
    image(session_client, docs["letter"], "4", format="JPEG", jPEGCompressionLevel=40)
    tiff = Image.open(io.BytesIO(image(session_client, docs["letter"], "4").content))
    assert tiff.n_frames == 1
    assert tiff.size == PAGE_SIZE
