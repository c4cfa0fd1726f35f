"""The seeded sample repository: entries, pages with text layers, annotations, redactions, audit reasons.

Everything here is derived from fixed seeds, so two emulators hold identical documents. The table of
entries is in the package docstring (``lf_emulator.__doc__``); ``SAMPLE_DOCUMENTS`` maps the stable keys
used by tests to entry ids.
"""

from __future__ import annotations

import dataclasses
import io
import random
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Literal

from lf_emulator.pdfwriter import PdfPage, write_pdf

__all__ = [
    "LARGE_EDOC_BLOCK",
    "SAMPLE_DOCUMENTS",
    "AuditReason",
    "Edoc",
    "Entry",
    "Page",
    "Repository",
    "build_sample_repository",
    "large_edoc_chunks",
]

EntryType = Literal["Folder", "RecordSeries", "Document", "Shortcut"]

#: Page size in pixels (US Letter at 72 dpi, so a PDF point is a pixel).
PAGE_WIDTH = 612
PAGE_HEIGHT = 792

#: Stable keys → entry ids of the sample repository (see the package docstring for names and page counts).
SAMPLE_DOCUMENTS: dict[str, int] = {
    "root": 1,
    "folder": 2,
    "contracts_folder": 3,
    "record_series": 4,
    "electronic_folder": 5,
    "one_page": 10,
    "three_pages": 11,
    "annotated": 12,
    "forty_pages": 13,
    "non_ascii": 14,
    "letter": 15,
    "record_document": 16,
    "edoc_pdf": 20,
    "edoc_docx": 21,
    "large_edoc": 22,
    "locked": 23,
    "no_pages": 24,
    "shortcut": 30,
}

_WORDS = [
    "invoice",
    "amount",
    "payable",
    "account",
    "balance",
    "contract",
    "party",
    "agreement",
    "term",
    "clause",
    "schedule",
    "record",
    "retention",
    "review",
    "approved",
    "customer",
    "vendor",
    "delivery",
    "payment",
    "receipt",
    "quarter",
    "annual",
    "report",
    "summary",
    "signature",
    "witness",
    "notary",
    "exhibit",
    "appendix",
    "policy",
    "procedure",
    "department",
    "office",
    "archive",
    "scanned",
]


@dataclasses.dataclass(frozen=True)
class Annotation:
    """An annotation in page pixels: ``highlight`` (translucent yellow) or ``note`` (blue sticky note)."""

    kind: Literal["highlight", "note"]
    box: tuple[int, int, int, int]
    text: str = ""


@dataclasses.dataclass(frozen=True)
class Redaction:
    """A redacted span of one text line: characters ``start:end`` of ``lines[line]``."""

    line: int
    start: int
    end: int


@dataclasses.dataclass(frozen=True)
class Page:
    number: int
    lines: tuple[str, ...]
    annotations: tuple[Annotation, ...] = ()
    redactions: tuple[Redaction, ...] = ()

    def text(self, *, include_redactions: bool, redaction_character: str) -> str:
        """The text layer of this page; redacted spans become ``redaction_character`` when included."""
        lines = list(self.lines)
        if include_redactions:
            for r in self.redactions:
                line = lines[r.line]
                lines[r.line] = line[: r.start] + redaction_character * (r.end - r.start) + line[r.end :]
        return "\n".join(lines) + "\n"


@dataclasses.dataclass(frozen=True)
class Edoc:
    """An electronic document: a stored blob, or (``streamed``) a large deterministic byte stream."""

    mime_type: str
    extension: str
    size: int
    blob: bytes = b""
    streamed: bool = False


@dataclasses.dataclass(frozen=True)
class Entry:
    id: int
    name: str
    entry_type: EntryType
    parent_id: int | None
    creator: str
    creation_time: datetime
    last_modified_time: datetime
    template_name: str = ""
    volume_name: str = "DEFAULT"
    pages: tuple[Page, ...] = ()
    edoc: Edoc | None = None
    locked: bool = False
    target_id: int | None = None

    @property
    def is_container(self) -> bool:
        return self.entry_type in ("Folder", "RecordSeries")


@dataclasses.dataclass(frozen=True)
class AuditReason:
    id: int
    name: str
    audit_event_type: str


class Repository:
    """Read-only entries and audit reasons of one repository."""

    def __init__(self, repository_id: str, entries: list[Entry], audit_reasons: list[AuditReason]) -> None:
        self.repository_id = repository_id
        self.entries = {e.id: e for e in entries}
        self.audit_reasons = tuple(audit_reasons)

    def get(self, entry_id: int) -> Entry | None:
        return self.entries.get(entry_id)

    def full_path(self, entry: Entry) -> str:
        parts: list[str] = []
        current: Entry | None = entry
        while current is not None and current.parent_id is not None:
            parts.append(current.name)
            current = self.entries.get(current.parent_id)
        return "\\" + "\\".join(reversed(parts))

    def folder_path(self, entry: Entry) -> str:
        if entry.parent_id is None:
            return ""
        parent = self.entries[entry.parent_id]
        return self.full_path(parent)

    def under_record_series(self, entry: Entry) -> bool:
        parent = self.entries.get(entry.parent_id) if entry.parent_id is not None else None
        while parent is not None:
            if parent.entry_type == "RecordSeries":
                return True
            parent = self.entries.get(parent.parent_id) if parent.parent_id is not None else None
        return False

    def export_reason_ids(self) -> set[int]:
        return {r.id for r in self.audit_reasons if r.audit_event_type == "ExportDocument"}


#: Size of the repeating block of the streamed large document (each block is stamped with its index).
LARGE_EDOC_BLOCK = 1024 * 1024
_LARGE_BLOCK = random.Random("lf-emulator-large-edoc").randbytes(LARGE_EDOC_BLOCK)
_LARGE_HEADER = b"LFEMULATOR-LARGE-EDOC\n"


def _large_block(index: int) -> bytes:
    stamp = _LARGE_HEADER + f"block {index:012d}\n".encode()
    return stamp + _LARGE_BLOCK[len(stamp) :]


def large_edoc_chunks(size: int, start: int, end: int, chunk: int = 256 * 1024) -> Iterator[bytes]:
    """Bytes ``start..end`` (inclusive) of the deterministic large document of ``size`` bytes, streamed.

    Memory stays at one block (1 MiB) whatever the size.
    """
    end = min(end, size - 1)
    position = start
    while position <= end:
        index, offset = divmod(position, LARGE_EDOC_BLOCK)
        block = memoryview(_large_block(index))
        stop = min(LARGE_EDOC_BLOCK, end - index * LARGE_EDOC_BLOCK + 1)
        for piece in range(offset, stop, chunk):
            yield bytes(block[piece : min(piece + chunk, stop)])
        position = index * LARGE_EDOC_BLOCK + stop


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _make_pages(
    doc_id: int, name: str, count: int, *, annotated: bool = False, redacted: bool = False, extra: str = ""
) -> tuple[Page, ...]:
    pages = []
    for n in range(1, count + 1):
        rng = random.Random(f"lf-emulator:{doc_id}:{n}")
        lines = [name, f"Page {n} of {count}"]
        lines += [_sentence(rng, rng.randint(5, 9)) for _ in range(10)]
        if extra:
            lines[3] = extra
        redactions: list[Redaction] = []
        if redacted:
            ssn = f"{rng.randint(100, 899)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"
            prefix = "Account holder SSN: "
            lines[5] = prefix + ssn
            redactions.append(Redaction(5, len(prefix), len(prefix) + len(ssn)))
            email = f"holder{n}@example.com"
            prefix = "Private contact "
            lines[9] = prefix + email + " (confidential)"
            redactions.append(Redaction(9, len(prefix), len(prefix) + len(email)))
        annotations: tuple[Annotation, ...] = ()
        if annotated:
            annotations = (
                Annotation("highlight", (40, 156, 420, 176)),
                Annotation("note", (420, 40, 590, 100), text=f"Reviewed p{n}"),
            )
        pages.append(Page(n, tuple(lines), annotations, tuple(redactions)))
    return tuple(pages)


def _docx_blob(title: str, paragraphs: list[str]) -> bytes:
    """A minimal, valid, deterministic DOCX (fixed zip timestamps)."""
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in [title, *paragraphs])
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2023, 9, 7, 14, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def _pdf_blob(title: str, lines: list[str]) -> bytes:
    from lf_emulator.render import render_text_page

    image = render_text_page(title, lines)
    return write_pdf([PdfPage(image=image)], title=title)


def build_sample_repository(repository_id: str, *, large_edoc_bytes: int) -> Repository:
    """The sample repository documented in the package docstring."""
    base = datetime(2023, 9, 6, 13, 53, 20, tzinfo=UTC)

    def when(n: int) -> datetime:
        return base + timedelta(days=n, minutes=7 * n)

    def folder(id_: int, name: str, parent: int | None, kind: EntryType = "Folder") -> Entry:
        return Entry(id_, name, kind, parent, "Emulator Admin", when(0), when(id_), volume_name="")

    def doc(
        id_: int,
        name: str,
        parent: int,
        pages: tuple[Page, ...] = (),
        edoc: Edoc | None = None,
        *,
        locked: bool = False,
        template: str = "",
    ) -> Entry:
        return Entry(
            id_,
            name,
            "Document",
            parent,
            "Guide User",
            when(id_),
            when(id_ + 3),
            template_name=template,
            pages=pages,
            edoc=edoc,
            locked=locked,
        )

    policy_pdf = _pdf_blob("Policy Handbook", ["Section 1: Records retention.", "Section 2: Exports."])
    notes_docx = _docx_blob("Meeting Notes", ["Attendees: A, B, C.", "Decision: archive the 2022 scans."])
    entries = [
        folder(1, "", None),
        folder(2, "Invoices", 1),
        folder(3, "Contracts", 1),
        folder(4, "Records", 1, "RecordSeries"),
        folder(5, "Electronic", 1),
        doc(10, "Invoice 1001", 2, _make_pages(10, "Invoice 1001", 1), template="Invoice"),
        doc(11, "Invoice 1002", 2, _make_pages(11, "Invoice 1002", 3), template="Invoice"),
        doc(
            12,
            "Contract Alpha",
            3,
            _make_pages(12, "Contract Alpha", 12, annotated=True, redacted=True),
            template="Contract",
        ),
        doc(13, "Annual Report 2023", 2, _make_pages(13, "Annual Report 2023", 40)),
        doc(
            14,
            "Résumé – Zoë Ångström",
            3,
            _make_pages(14, "Résumé – Zoë Ångström", 2, extra="Zoë's résumé: naïve café, Ørsted, Ærø"),
        ),
        doc(15, "Scanned Letter (2)", 2, _make_pages(15, "Scanned Letter (2)", 5, redacted=True)),
        doc(16, "Retention Schedule", 4, _make_pages(16, "Retention Schedule", 2)),
        doc(20, "Policy Handbook", 5, edoc=Edoc("application/pdf", "pdf", len(policy_pdf), policy_pdf)),
        doc(
            21,
            "Meeting Notes",
            5,
            edoc=Edoc(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx",
                len(notes_docx),
                notes_docx,
            ),
        ),
        doc(
            22,
            "Large Archive",
            5,
            edoc=Edoc("application/octet-stream", "bin", large_edoc_bytes, streamed=True),
        ),
        doc(23, "Locked Contract", 3, _make_pages(23, "Locked Contract", 3), locked=True),
        doc(24, "Empty Document", 5),
        Entry(30, "Shortcut to Invoice 1001", "Shortcut", 1, "Guide User", when(30), when(30), target_id=10),
    ]
    reasons = [
        AuditReason(1, "Legal request", "ExportDocument"),
        AuditReason(2, "Customer request", "ExportDocument"),
        AuditReason(3, "Internal audit", "ExportDocument"),
        AuditReason(4, "Backup", "ExportDocument"),
        AuditReason(5, "Public records request", "ExportDocument"),
        AuditReason(6, "Litigation hold", "ExportDocument"),
        AuditReason(7, "Migration", "ExportDocument"),
        AuditReason(8, "Duplicate", "DeleteEntry"),
        AuditReason(9, "Retention expired", "DeleteEntry"),
        AuditReason(10, "Created in error", "DeleteEntry"),
        AuditReason(11, "Other export", "ExportDocument"),
        AuditReason(12, "Other deletion", "DeleteEntry"),
    ]
    return Repository(repository_id, entries, reasons)
