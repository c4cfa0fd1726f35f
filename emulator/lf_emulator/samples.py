"""The sample repository: the tree, templates with fields of every type, tags, links, audit reasons.

Its table of entries is in the package docstring (``lf_emulator.__doc__``); ``SAMPLE_DOCUMENTS`` maps the
stable keys used by tests to entry ids.
"""

from __future__ import annotations

import base64
import io
import zipfile
from datetime import UTC, datetime, timedelta

from lf_emulator.metadata import EntryLink, FieldDef, Tag, Template
from lf_emulator.pdfwriter import PdfPage, write_pdf
from lf_emulator.repository import AuditReason, Edoc, Entry, EntryType, Page, Repository, make_pages

__all__ = ["LONG_NAME", "SAMPLE_DOCUMENTS", "build_sample_repository", "sample_templates"]

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
    "projects_folder": 40,
    "year_folder": 41,
    "quarter_folder": 42,
    "empty_folder": 43,
    "odd_names_folder": 44,
    "record_folder": 45,
    "all_fields": 50,
    "loop_shortcut": 51,
    "text_edoc": 52,
    "edoc_shortcut": 53,
    "forbidden_chars": 54,
    "trailing_dot": 55,
    "trailing_space": 56,
    "long_name": 57,
    "reserved_name": 58,
    "emoji_name": 59,
    "record_folder_document": 60,
    "self_shortcut": 61,
    "destination_folder": 8,
    "guide_folder": 9,
    "guide_nested_folder": 46,
    "guide_document": 62,
    "guide_nested_document": 63,
}

#: The longest sample name (249 characters; Windows allows 255 per path component, 260 per path).
LONG_NAME = ("A very long document name that keeps going " * 6)[:246].rstrip() + " end"
_BLOB = base64.b64encode(b"\x00\x01binary field value\xff").decode()


def sample_templates() -> list[Template]:
    """Contract (100), Invoice (101) and Project (102: a field of every fieldType, several multi-value)."""
    return [
        Template(
            100,
            "Contract",
            (
                FieldDef(1, "Contract Number", "String", is_required=True),
                FieldDef(2, "Parties", "String", is_multi_value=True, group_id=1),
                FieldDef(3, "Effective Date", "Date"),
                FieldDef(4, "Contract Value", "Number"),
            ),
        ),
        Template(
            101,
            "Invoice",
            (
                FieldDef(10, "Invoice Number", "String", is_required=True),
                FieldDef(11, "Amount", "Number"),
                FieldDef(12, "Invoice Date", "Date"),
                FieldDef(13, "Vendor", "List"),
                FieldDef(14, "Line Items", "String", is_multi_value=True, group_id=2),
            ),
        ),
        Template(
            102,
            "Project",
            (
                FieldDef(20, "Kickoff", "DateTime"),
                FieldDef(21, "Attachment", "Blob"),
                FieldDef(22, "Due Date", "Date"),
                FieldDef(23, "Priority", "ShortInteger"),
                FieldDef(24, "Budget Code", "LongInteger"),
                FieldDef(25, "Status", "List", is_required=True),
                FieldDef(26, "Budget", "Number"),
                FieldDef(27, "Owner", "String"),
                FieldDef(28, "Review Time", "Time"),
                FieldDef(29, "Reviewers", "String", is_multi_value=True, group_id=3),
                FieldDef(30, "Milestones", "Date", is_multi_value=True, group_id=3),
                FieldDef(31, "Scores", "ShortInteger", is_multi_value=True),
            ),
        ),
    ]


_FIELD_VALUES: dict[int, dict[str, tuple[str, ...]]] = {
    10: {
        "Invoice Number": ("INV-1001",),
        "Amount": ("1250.5",),
        "Invoice Date": ("2023-09-01",),
        "Vendor": ("Acme Corp",),
        "Line Items": ("Paper", "Toner", "Staples"),
    },
    11: {
        "Invoice Number": ("INV-1002",),
        "Amount": ("99.99",),
        "Invoice Date": ("2023-09-15",),
        "Vendor": ("Globex",),
        "Line Items": ("Consulting",),
    },
    12: {
        "Contract Number": ("C-ALPHA-7",),
        "Parties": ("Acme Corp", "Initech", "Zoë Ångström"),
        "Effective Date": ("2023-01-01",),
        "Contract Value": ("250000",),
    },
    50: {
        "Kickoff": ("2023-10-02T09:30:00",),
        "Attachment": (_BLOB,),
        "Due Date": ("2023-12-31",),
        "Priority": ("2",),
        "Budget Code": ("9007199254740993",),
        "Status": ("Active",),
        "Budget": ("125000.75",),
        "Owner": ("Guide User",),
        "Review Time": ("14:30:00",),
        "Reviewers": ("Ann", "Bob", "Chloé"),
        "Milestones": ("2023-10-15", "2023-11-15", "2023-12-15"),
        "Scores": ("3", "5", "4", "5"),
    },
    60: {"Contract Number": ("C-CLOSED-1",), "Parties": ("Initech",)},
}
_TAGS: dict[int, tuple[int, ...]] = {10: (1,), 12: (2, 3), 50: (2, 4), 16: (3,)}


def sample_tags() -> list[Tag]:
    return [
        Tag(1, "Paid", "Paid", "The invoice has been paid."),
        Tag(2, "Confidential", "Confidential", "Restricted to the legal team.", True, "CONFIDENTIAL"),
        Tag(3, "LegalHold", "Legal Hold", "Must not be deleted while the hold lasts.", True),
        Tag(4, "Budget", "Budget", "Budget material."),
    ]


def sample_links() -> list[EntryLink]:
    return [
        EntryLink(1, 10, 12, "Supporting document", 1, "Invoice", "Contract", {"reason": "payment terms"}),
        EntryLink(2, 50, 52, "Related notes", 2, "Budget", "Notes"),
        EntryLink(3, 11, 15, "Correspondence", 3, "Invoice", "Letter", {"channel": "mail", "ref": "L-2"}),
    ]


def build_sample_repository(repository_id: str, *, large_edoc_bytes: int) -> Repository:
    """The sample repository documented in the package docstring."""
    base = datetime(2023, 9, 6, 13, 53, 20, tzinfo=UTC)

    def when(n: int) -> datetime:
        return base + timedelta(days=n, minutes=7 * n)

    def folder(
        id_: int, name: str, parent: int | None, kind: EntryType = "Folder", *, record: bool = False
    ) -> Entry:
        return Entry(
            id_,
            name,
            kind,
            parent,
            "Emulator Admin",
            when(0),
            when(id_),
            volume_name="",
            is_record_folder=record,
        )

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
            field_values=tuple(_FIELD_VALUES.get(id_, {}).items()),
            tag_ids=_TAGS.get(id_, ()),
        )

    def shortcut(id_: int, name: str, parent: int, target: int) -> Entry:
        return Entry(id_, name, "Shortcut", parent, "Guide User", when(id_), when(id_), target_id=target)

    def pages(id_: int, name: str, count: int) -> tuple[Page, ...]:
        return make_pages(id_, name, count)

    policy_pdf = _pdf_blob("Policy Handbook", ["Section 1: Records retention.", "Section 2: Exports."])
    notes_docx = _docx_blob("Meeting Notes", ["Attendees: A, B, C.", "Decision: archive the 2022 scans."])
    kickoff = b"Kickoff notes\nScope: Q4 budget.\nOwner: Guide User.\n"
    long_text = f"{LONG_NAME}\n".encode()
    forbidden = 'Q3 <draft>: "final"? a|b*c/d'
    entries = [
        folder(1, "", None),
        folder(2, "Invoices", 1),
        folder(3, "Contracts", 1),
        folder(4, "Records", 1, "RecordSeries"),
        folder(5, "Electronic", 1),
        doc(10, "Invoice 1001", 2, pages(10, "Invoice 1001", 1), template="Invoice"),
        doc(11, "Invoice 1002", 2, pages(11, "Invoice 1002", 3), template="Invoice"),
        doc(
            12,
            "Contract Alpha",
            3,
            make_pages(12, "Contract Alpha", 12, annotated=True, redacted=True),
            template="Contract",
        ),
        doc(13, "Annual Report 2023", 2, pages(13, "Annual Report 2023", 40)),
        doc(
            14,
            "Résumé – Zoë Ångström",
            3,
            make_pages(14, "Résumé – Zoë Ångström", 2, extra="Zoë's résumé: naïve café, Ørsted, Ærø"),
        ),
        doc(15, "Scanned Letter (2)", 2, make_pages(15, "Scanned Letter (2)", 5, redacted=True)),
        doc(16, "Retention Schedule", 4, pages(16, "Retention Schedule", 2)),
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
        doc(23, "Locked Contract", 3, pages(23, "Locked Contract", 3), locked=True),
        doc(24, "Empty Document", 5),
        shortcut(30, "Shortcut to Invoice 1001", 1, 10),
        folder(40, "Projects", 1),
        folder(41, "2023", 40),
        folder(42, "Q4", 41),
        folder(43, "Archive", 40),
        folder(44, "Odd Names", 1),
        folder(45, "Closed Matters", 4, record=True),
        doc(50, "Budget Q4", 42, pages(50, "Budget Q4", 2), template="Project"),
        shortcut(51, "Up to Projects", 42, 40),
        doc(52, "Kickoff Notes", 41, edoc=Edoc("text/plain", "txt", len(kickoff), kickoff)),
        shortcut(53, "Shortcut to Policy Handbook", 40, 20),
        doc(54, forbidden, 44, pages(54, forbidden, 1)),
        doc(55, "Trailing dot.", 44, pages(55, "Trailing dot.", 1)),
        doc(56, "Trailing space ", 44, pages(56, "Trailing space ", 1)),
        doc(57, LONG_NAME, 44, edoc=Edoc("text/plain", "txt", len(long_text), long_text)),
        doc(58, "CON", 44, pages(58, "CON", 1)),
        doc(59, "Ünïcödé 文件 📄", 44, pages(59, "Unicode document", 1)),
        doc(60, "Disposition Log", 45, pages(60, "Disposition Log", 1), template="Contract"),
        shortcut(61, "Shortcut to Odd Names", 44, 44),
        folder(8, "destination", 1),
        folder(9, "Guide Example", 1),
        folder(46, "Nested", 9),
        doc(62, "Sample Page", 9, pages(62, "Sample Page", 1)),
        doc(63, "Nested Page", 46, pages(63, "Nested Page", 2)),
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
    return Repository(
        repository_id,
        entries,
        reasons,
        templates=sample_templates(),
        tags=sample_tags(),
        links=sample_links(),
    )


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
