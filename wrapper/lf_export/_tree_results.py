"""Value types of trees, searches and their exports: listed entries with their place in the tree, an entry's
metadata (fields with every value, tags, links), one entry's fate in an export run, and the run's summary.

Pure: no I/O. `TreeOutcome` is streamed as each entry is settled (`iter_export_tree`), so a caller — or a
journal — keeps what finished even if the run stops."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import attrs

from ._errors import LaserficheError
from ._options import ExportOptions
from ._results import EntryInfo, ExportResult

__all__ = [
    "EntryField",
    "EntryLink",
    "EntryMetadata",
    "EntryTag",
    "OutcomeStatus",
    "PartChoice",
    "Tally",
    "TreeEntry",
    "TreeOutcome",
    "TreeSummary",
]

#: Which part of a document a tree export writes: `auto` = the electronic file when there is one, else the
#: page images (in the chosen image format).
PartChoice = Literal["auto", "image", "text", "edoc"]
OutcomeStatus = Literal["exported", "failed", "skipped", "folder"]


@attrs.frozen(kw_only=True)
class TreeEntry:
    """An entry as a listing (or a search) shows it, with its place in the walked tree.

    `path` is the entry's path below the walked folder, names joined by backslashes (``2023\\Q4\\Budget``;
    a search result's is its name). `full_path` is the repository path when known (search results have
    none). `via_shortcut` is the id of the shortcut the walk followed to reach the entry."""

    entry: EntryInfo
    path: str
    full_path: str | None = None
    template_name: str | None = None
    template_id: int | None = None
    creator: str | None = None
    created: datetime | None = None
    is_electronic: bool | None = None
    target_id: int | None = None  # a shortcut's
    target_type: str | None = None
    via_shortcut: int | None = None

    @property
    def entry_id(self) -> int:
        return self.entry.entry_id

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def entry_type(self) -> str:
        return self.entry.entry_type

    @property
    def is_container(self) -> bool:
        return self.entry.entry_type in ("Folder", "RecordSeries")

    @property
    def depth(self) -> int:
        return self.path.count("\\") + 1 if self.path else 0


@attrs.frozen(kw_only=True)
class EntryField:
    """One metadata field with all its values (ListFields; a listing's ``fields=`` has first values only)."""

    name: str
    values: tuple[str, ...]
    field_type: str | None = None
    field_id: int | None = None
    is_multi_value: bool = False
    is_required: bool = False
    has_more_values: bool = False
    group_id: int | None = None


@attrs.frozen(kw_only=True)
class EntryTag:
    tag_id: int
    name: str
    display_name: str | None = None
    description: str | None = None
    is_secure: bool = False
    watermark: Mapping[str, Any] | None = None


@attrs.frozen(kw_only=True)
class EntryLink:
    link_id: int
    description: str | None = None
    source_id: int | None = None
    source_full_path: str | None = None
    source_label: str | None = None
    target_id: int | None = None
    target_full_path: str | None = None
    target_label: str | None = None
    link_definition_id: int | None = None
    link_definition_description: str | None = None
    custom_properties: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class EntryMetadata:
    """What a sidecar records beyond the listing: fields, tags, links; `error` if reading them failed."""

    fields: tuple[EntryField, ...] = ()
    tags: tuple[EntryTag, ...] = ()
    links: tuple[EntryLink, ...] = ()
    error: str | None = None


@attrs.frozen(kw_only=True)
class TreeOutcome:
    """One entry's fate in `export_tree` / `export_search`.

    `status`: "exported" (`result` is the file), "failed" (`error`), "skipped" (`reason`: a document with no
    pages and no electronic file, a shortcut not followed or looping, a filtered or folder search result) or
    "folder" (its directory `path` was made). `path` is where the file or directory is (or would be) on
    disk; `sidecar` the metadata file written beside it, `sha256` the file's digest (both set by the client
    once written). `options` are the export options used, `part` their part."""

    entry: TreeEntry
    status: OutcomeStatus
    path: Path | None = None
    reason: str | None = None
    part: str | None = None
    options: ExportOptions | None = None
    result: ExportResult | None = None
    error: LaserficheError | None = None
    metadata: EntryMetadata | None = None
    sidecar: Path | None = None
    sha256: str | None = None
    task_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@attrs.frozen(kw_only=True)
class TreeSummary:
    """A run's totals. `manifest` is ``manifest.jsonl`` (``manifest.csv`` beside it); `failed` counts
    documents (and folders) that failed; `metadata_errors` documents whose fields, tags or links could not
    be read (their files were still exported)."""

    dest: Path
    manifest: Path | None
    documents: int = 0
    folders: int = 0
    bytes: int = 0
    failed: int = 0
    skipped: int = 0
    metadata_errors: int = 0

    @property
    def ok(self) -> bool:
        return self.failed == 0


@attrs.define
class Tally:
    """Counts outcomes into a `TreeSummary`."""

    documents: int = 0
    folders: int = 0
    bytes: int = 0
    failed: int = 0
    skipped: int = 0
    metadata_errors: int = 0

    def add(self, outcome: TreeOutcome) -> None:
        if outcome.status == "exported":
            self.documents += 1
            self.bytes += outcome.result.size if outcome.result is not None else 0
        elif outcome.status == "folder":
            self.folders += 1
        elif outcome.status == "failed":
            self.failed += 1
        else:
            self.skipped += 1
        if outcome.metadata is not None and outcome.metadata.error is not None:
            self.metadata_errors += 1

    def summary(self, dest: Path, manifest: Path | None) -> TreeSummary:
        return TreeSummary(dest=dest, manifest=manifest, **attrs.asdict(self))
