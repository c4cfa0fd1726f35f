"""What a tree or search export writes beside the files: a sidecar per document and the run's manifest.

* ``<file>.metadata.json`` (`sidecar_json`): the entry (id, name, paths, type, creator, times, pages,
  electronic file), its template and every field with all its values and its type, its tags and links, and
  how it was exported (status, options with the audit reason, task, size, sha256). Written atomically: a
  temp file in the same folder, then a rename.
* ``manifest.jsonl`` and ``manifest.csv`` (`RunRecorder`): one row per entry settled — path on disk
  (relative to the mirror), entry, outcome, reason, size, sha256, content type. Rows are appended to hidden
  temp files as outcomes arrive and the files are renamed into place when the run ends, however it ends.

This is the driver side (it writes files); the flows only decide (`_flows.tree_export`)."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import attrs

from ._filenames import fsync_dir
from ._mirror import MANIFEST_NAMES
from ._tree_results import EntryMetadata, Tally, TreeOutcome, TreeSummary

__all__ = ["SIDECAR_VERSION", "RunRecorder", "file_sha256", "sidecar_json", "write_json_atomic"]

SIDECAR_VERSION = 1
COLUMNS = (
    "path",
    "entry_id",
    "entry_type",
    "name",
    "repository_path",
    "status",
    "reason",
    "part",
    "size",
    "sha256",
    "content_type",
    "task_id",
    "sidecar",
)


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _metadata_json(metadata: EntryMetadata | None) -> dict[str, Any]:
    if metadata is None:
        return {}
    return {
        "fields": [
            {
                "name": f.name,
                "type": f.field_type,
                "values": list(f.values),
                "is_multi_value": f.is_multi_value,
                "is_required": f.is_required,
                "field_id": f.field_id,
                "group_id": f.group_id,
            }
            for f in metadata.fields
        ],
        "tags": [attrs.asdict(t) for t in metadata.tags],
        "links": [attrs.asdict(link) for link in metadata.links],
        "metadata_error": metadata.error,
    }


def sidecar_json(outcome: TreeOutcome) -> dict[str, Any]:
    """The sidecar of a document's outcome (see the module docstring)."""
    tree, info = outcome.entry, outcome.entry.entry
    options = outcome.options
    result = outcome.result
    export: dict[str, Any] = {
        "status": outcome.status,
        "reason": outcome.reason,
        "file": outcome.path.name if outcome.path is not None and outcome.status == "exported" else None,
        "part": outcome.part,
        "options": None if options is None else options.to_request_body(),
        "page_range": None if options is None else options.query_page_range(),
        "audit_reason_id": None if options is None else options.audit_reason_id,
        "audit_reason_comment": None if options is None else options.audit_reason_comment,
        "task_id": outcome.task_id,
        "mode": None if result is None else result.mode,
        "size": None if result is None else result.size,
        "content_type": None if result is None else result.content_type,
        "sha256": outcome.sha256,
    }
    return {
        "sidecar_version": SIDECAR_VERSION,
        "entry_id": info.entry_id,
        "name": info.name,
        "entry_type": info.entry_type,
        "full_path": tree.full_path,
        "path_in_export": tree.path,
        "via_shortcut": tree.via_shortcut,
        "parent_id": info.parent_id,
        "template": {"name": tree.template_name, "id": tree.template_id},
        "creator": tree.creator,
        "created": _time(tree.created),
        "last_modified": _time(info.last_modified),
        "page_count": info.page_count,
        "is_electronic": tree.is_electronic,
        "electronic_size": info.electronic_size,
        "extension": info.extension,
        "mime_type": info.mime_type,
        **_metadata_json(outcome.metadata),
        "export": export,
    }


def write_json_atomic(path: Path, data: Any) -> None:
    """Write `data` as JSON to `path`: a temp file beside it, then a rename (replacing an older one)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:60]}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class RunRecorder:
    """Writes the sidecars and the manifest of one run, and sums its `TreeSummary`."""

    def __init__(self, dest: Path, *, manifest: bool = True, sidecars: bool = True) -> None:
        self.dest = dest
        self.sidecars = sidecars
        self.manifest = manifest
        self._files: list[tuple[Path, Path, IO[str]]] = []  # (temp, final, handle)
        self._csv: Any = None
        self._jsonl: IO[str] | None = None
        self._closed = False
        self.tally = Tally()

    @property
    def summary(self) -> TreeSummary:
        return self.tally.summary(self.dest, self.dest / MANIFEST_NAMES[0] if self.manifest else None)

    def _open(self) -> None:
        if self._files or not self.manifest:
            return
        for name in MANIFEST_NAMES:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=self.dest)
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
            self._files.append((Path(tmp), self.dest / name, handle))
        self._jsonl = self._files[0][2]
        self._csv = csv.writer(self._files[1][2])
        self._csv.writerow(COLUMNS)

    def record(self, outcome: TreeOutcome) -> TreeOutcome:
        """Write what belongs to `outcome` (sidecar, manifest rows); the outcome with `sha256` and `sidecar`
        as written."""
        sha = None
        if outcome.status == "exported" and outcome.result is not None:
            sha = file_sha256(outcome.result.path)
        outcome = attrs.evolve(outcome, sha256=sha)
        sidecar = outcome.sidecar if self.sidecars and outcome.status in ("exported", "skipped") else None
        if sidecar is not None:
            write_json_atomic(sidecar, sidecar_json(outcome))
        outcome = attrs.evolve(outcome, sidecar=sidecar)
        self.tally.add(outcome)
        if self.manifest:
            self._open()
            self._row(outcome)
        return outcome

    def _relative(self, path: Path | None) -> str | None:
        if path is None:
            return None
        try:
            return path.relative_to(self.dest).as_posix()
        except ValueError:
            return str(path)

    def _row(self, outcome: TreeOutcome) -> None:
        tree, result = outcome.entry, outcome.result
        where = result.path if result is not None else outcome.path
        error = None if outcome.error is None else f"{type(outcome.error).__name__}: {outcome.error}"
        row = {
            "path": self._relative(where),
            "entry_id": tree.entry_id,
            "entry_type": tree.entry_type,
            "name": tree.name,
            "repository_path": tree.full_path or tree.path,
            "status": outcome.status,
            "reason": outcome.reason or error,
            "part": outcome.part,
            "size": None if result is None else result.size,
            "sha256": outcome.sha256,
            "content_type": None if result is None else result.content_type,
            "task_id": outcome.task_id,
            "sidecar": self._relative(outcome.sidecar),
        }
        if self._jsonl is not None:
            self._jsonl.write(json.dumps(row, ensure_ascii=False) + "\n")
            self._jsonl.flush()
        self._csv.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
        self._files[1][2].flush()

    def close(self) -> None:
        """Put the manifest in place (also after a failed or interrupted run: it lists what was done)."""
        if self._closed:
            return
        self._closed = True
        if self.manifest and self.dest.is_dir():
            self._open()
        for tmp, final, handle in self._files:
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            os.replace(tmp, final)
        if self._files:
            fsync_dir(self.dest)
