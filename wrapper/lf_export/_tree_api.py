"""`TreeMethods`: the tree, search and metadata methods of `ExportClient` (a mixin: it only builds plans and
runs them with the client's `_run` / `_stream`). Listings stream: one page in memory at a time.

>>> with ExportClient(base, "r-abc123", token=token) as lf:  # doctest: +SKIP
...     for item in lf.walk("\\\\Invoices\\\\2024", include="*.pdf"):
...         print(item.path, item.entry_type)
...     summary = lf.export_tree("\\\\Invoices\\\\2024", "mirror/", ExportOptions.pdf())
...     print(summary.documents, summary.failed, summary.manifest)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ._mirror import MANIFEST_NAMES
from ._modes import Mode
from ._options import ExportOptions
from ._plans import Plan
from ._results import ProgressCallback

if TYPE_CHECKING:
    from ._config import ClientConfig
    from ._flows.commands import FlowContext
    from ._metadata import RunRecorder
    from ._plans import Planner
    from ._tree_plans import TreePlans
    from ._tree_results import (
        EntryField,
        EntryLink,
        EntryMetadata,
        EntryTag,
        PartChoice,
        TreeEntry,
        TreeOutcome,
        TreeSummary,
    )

__all__ = ["TreeMethods"]

Globs = str | Sequence[str] | None
EntryRef = Any  # an entry id, or anything with an `entry_id` (EntryInfo, TreeEntry, TreeOutcome.entry)


class TreeMethods:
    """Folders, searches and metadata; exporting a tree or a search into a mirror on disk."""

    if TYPE_CHECKING:
        _config: ClientConfig
        _context: FlowContext
        _plans: Planner

        def _run(self, plan: Plan) -> Any: ...
        def _stream(self, plan: Plan) -> Iterator[Any]: ...
        def _check_open(self) -> None: ...

    @property
    def _trees(self) -> TreePlans:
        from ._tree_plans import TreePlans  # the tree machinery loads with its first use

        return TreePlans(self._context, self._plans, self._config.default_options)

    def _iterate(self, plan: Plan) -> Iterator[Any]:
        self._check_open()
        return self._stream(plan)

    # ------------------------------------------------------------------------------------------ listings

    def children(self, folder: EntryRef, *, page_size: int | None = None) -> Iterator[TreeEntry]:
        """ListEntries: the folder's children as they are paged (`page_size` per request if given)."""
        return cast("Iterator[TreeEntry]", self._iterate(self._trees.children(folder, page_size)))

    def walk(
        self,
        folder: int | str,
        *,
        recursive: bool = True,
        include: Globs = None,
        exclude: Globs = None,
        follow_shortcuts: bool = False,
        page_size: int | None = None,
    ) -> Iterator[TreeEntry]:
        """Every entry below `folder` (an id or a path like ``\\Invoices\\2024``), depth first, each with its
        `path` below it. `exclude` globs drop entries (and what is below an excluded folder), `include` globs
        keep only the documents (and shortcuts) they match; a glob with ``/`` matches the path, else the
        name. Shortcuts are listed as such unless `follow_shortcuts` (never into a loop)."""
        spec = self._trees.spec(
            recursive=recursive,
            include=include,
            exclude=exclude,
            follow_shortcuts=follow_shortcuts,
            page_size=page_size,
        )
        return cast("Iterator[TreeEntry]", self._iterate(self._trees.walk(folder, spec)))

    def search(
        self,
        command: str,
        *,
        fuzzy_type: str | None = None,
        fuzzy_factor: int | None = None,
        page_size: int | None = None,
        deadline: float | None = None,
    ) -> Iterator[TreeEntry]:
        """Run a search (Laserfiche syntax, e.g. ``{LF:Name="Invoice*", Type="D"}``) and yield its results
        page by page (`full_path` is None: the server sends no paths). The search is closed (CancelTasks)
        when the results end, when reading them fails, and when the loop is left early. `deadline` covers
        waiting for the search."""
        query = self._trees.query(
            command, fuzzy_type=fuzzy_type, fuzzy_factor=fuzzy_factor, page_size=page_size
        )
        return cast("Iterator[TreeEntry]", self._iterate(self._trees.search(query, deadline)))

    def fields(self, entry: EntryRef) -> Iterator[EntryField]:
        """ListFields: every field of the entry with all its values."""
        return cast("Iterator[EntryField]", self._iterate(self._trees.fields(entry)))

    def tags(self, entry: EntryRef) -> Iterator[EntryTag]:
        return cast("Iterator[EntryTag]", self._iterate(self._trees.tags(entry)))

    def links(self, entry: EntryRef) -> Iterator[EntryLink]:
        return cast("Iterator[EntryLink]", self._iterate(self._trees.links(entry)))

    def metadata(self, entry: EntryRef) -> EntryMetadata:
        """Fields, tags and links at once (a refusal is kept in `EntryMetadata.error`)."""
        return cast("EntryMetadata", self._run(self._trees.metadata(entry)))

    # ------------------------------------------------------------------------------------------ exports

    def _recorded(self, plan: Plan, recorder: RunRecorder) -> Iterator[TreeOutcome]:
        stream = self._iterate(plan)
        try:
            for outcome in stream:
                yield recorder.record(outcome)
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()  # an early exit abandons the flow: it cancels its tasks, closes its search
            recorder.close()

    def iter_export_tree(
        self,
        source: int | str,
        dest_dir: Path | str,
        options: ExportOptions | None = None,
        *,
        part: PartChoice = "auto",
        metadata: bool = True,
        recursive: bool = True,
        include: Globs = None,
        exclude: Globs = None,
        follow_shortcuts: bool = False,
        mode: Mode = "auto",
        max_concurrent_tasks: int = 1,
        overwrite: bool = False,
        manifest: bool = True,
        page_size: int | None = None,
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Iterator[TreeOutcome]:
        """`export_tree`, streamed: each entry's `TreeOutcome` once its file, sidecar and manifest rows are
        written. Arguments are checked at once; leaving the loop early cancels the tasks still running."""
        trees = self._trees
        spec = trees.spec(
            recursive=recursive,
            include=include,
            exclude=exclude,
            follow_shortcuts=follow_shortcuts,
            page_size=page_size,
        )
        request = trees.request(
            dest_dir,
            options,
            part=part,
            mode=mode,
            metadata=metadata,
            overwrite=overwrite,
            max_concurrent_tasks=max_concurrent_tasks,
        )
        plan, recorder = trees.export_tree(source, request, spec, deadline, on_progress, manifest)
        self._check_open()
        return self._recorded(plan, recorder)

    def export_tree(
        self,
        source: int | str,
        dest_dir: Path | str,
        options: ExportOptions | None = None,
        *,
        part: PartChoice = "auto",
        metadata: bool = True,
        recursive: bool = True,
        include: Globs = None,
        exclude: Globs = None,
        follow_shortcuts: bool = False,
        mode: Mode = "auto",
        max_concurrent_tasks: int = 1,
        overwrite: bool = False,
        manifest: bool = True,
        page_size: int | None = None,
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> TreeSummary:
        """Export the folder `source` (id or path) and everything below it into `dest_dir`, mirroring its
        folders as directories (names sanitised, collisions kept apart with the entry id, stable across
        runs). Each document's `part`: ``auto`` = its electronic file if it has one, else its pages as
        `options` says (default: the client's, a multi-page TIFF); a document with neither is recorded as
        skipped. With `metadata`, a ``<file>.metadata.json`` sidecar per document (every field with all
        values, tags, links, template, creator, times, the export options and audit reason); always a
        ``manifest.jsonl`` + ``manifest.csv``. Small documents use the simple Export (``mode="auto"``), the
        others export tasks, at most `max_concurrent_tasks` at once, polled together. One document's failure
        never stops the rest (see the summary and the manifest); raises `ExportTimeoutError` at the
        deadline and `ExportInterrupted` on Ctrl-C, after recording what finished."""
        outcomes = self.iter_export_tree(
            source,
            dest_dir,
            options,
            part=part,
            metadata=metadata,
            recursive=recursive,
            include=include,
            exclude=exclude,
            follow_shortcuts=follow_shortcuts,
            mode=mode,
            max_concurrent_tasks=max_concurrent_tasks,
            overwrite=overwrite,
            manifest=manifest,
            page_size=page_size,
            deadline=deadline,
            on_progress=on_progress,
        )
        return _drain(outcomes, Path(dest_dir), manifest)

    def iter_export_search(
        self,
        command: str,
        dest_dir: Path | str,
        options: ExportOptions | None = None,
        *,
        part: PartChoice = "auto",
        metadata: bool = True,
        follow_shortcuts: bool = False,
        fuzzy_type: str | None = None,
        fuzzy_factor: int | None = None,
        mode: Mode = "auto",
        max_concurrent_tasks: int = 1,
        overwrite: bool = False,
        manifest: bool = True,
        page_size: int | None = 50,
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Iterator[TreeOutcome]:
        """`export_search`, streamed (see `iter_export_tree`); the search is closed however the loop ends."""
        trees = self._trees
        query = trees.query(
            command,
            fuzzy_type=fuzzy_type,
            fuzzy_factor=fuzzy_factor,
            page_size=page_size,
            follow_shortcuts=follow_shortcuts,
        )
        request = trees.request(
            dest_dir,
            options,
            part=part,
            mode=mode,
            metadata=metadata,
            overwrite=overwrite,
            max_concurrent_tasks=max_concurrent_tasks,
        )
        plan, recorder = trees.export_search(query, request, deadline, on_progress, manifest)
        self._check_open()
        return self._recorded(plan, recorder)

    def export_search(
        self,
        command: str,
        dest_dir: Path | str,
        options: ExportOptions | None = None,
        *,
        part: PartChoice = "auto",
        metadata: bool = True,
        follow_shortcuts: bool = False,
        fuzzy_type: str | None = None,
        fuzzy_factor: int | None = None,
        mode: Mode = "auto",
        max_concurrent_tasks: int = 1,
        overwrite: bool = False,
        manifest: bool = True,
        page_size: int | None = 50,
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> TreeSummary:
        """Export every document a search finds into `dest_dir` (one folder: results carry no paths), with
        sidecars and a manifest as `export_tree`; the search is closed at the end, however it ends."""
        outcomes = self.iter_export_search(
            command,
            dest_dir,
            options,
            part=part,
            metadata=metadata,
            follow_shortcuts=follow_shortcuts,
            fuzzy_type=fuzzy_type,
            fuzzy_factor=fuzzy_factor,
            mode=mode,
            max_concurrent_tasks=max_concurrent_tasks,
            overwrite=overwrite,
            manifest=manifest,
            page_size=page_size,
            deadline=deadline,
            on_progress=on_progress,
        )
        return _drain(outcomes, Path(dest_dir), manifest)


def _drain(outcomes: Iterator[TreeOutcome], dest: Path, manifest: bool) -> TreeSummary:
    from ._tree_results import Tally

    tally = Tally()
    for outcome in outcomes:
        tally.add(outcome)
    return tally.summary(dest, dest / MANIFEST_NAMES[0] if manifest else None)
