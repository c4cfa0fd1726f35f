"""The plans behind the tree, search and metadata methods of both clients (`_tree_api`, `_tree_aio`):
arguments checked at once (one `OptionsError`), flows built, deadlines set."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._errors import OptionIssue, OptionsError
from ._flows.commands import FlowContext
from ._flows.listing import (
    children_pager,
    deliver_pages,
    fields_pager,
    links_pager,
    metadata_flow,
    tags_pager,
)
from ._flows.search import SearchQuery, export_search_flow, search_flow
from ._flows.tree import WalkSpec, walk_flow
from ._flows.tree_export import TreeRequest, export_tree_flow
from ._metadata import RunRecorder
from ._modes import MODES, Mode
from ._options import ExportOptions
from ._plans import Plan, Planner
from ._results import ProgressCallback
from ._tree_results import PartChoice

__all__ = ["EntryRef", "TreePlans"]

EntryRef = Any  # an entry id, or anything with an `entry_id` (EntryInfo, TreeEntry, TreeOutcome.entry)


def _entry_id(entry: EntryRef) -> int:
    value = getattr(entry, "entry_id", entry)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise OptionsError([OptionIssue("entry", entry, "must be an entry id (a positive integer)")])
    return value


def _globs(name: str, value: str | Sequence[str] | None) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else tuple(value or ())
    if not all(isinstance(item, str) and item for item in items):
        raise OptionsError([OptionIssue(name, value, "must be glob patterns (strings)")])
    return items


def _page_size(value: int | None) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise OptionsError([OptionIssue("page_size", value, "must be a positive integer")])
    return value


class TreePlans:
    def __init__(self, context: FlowContext, planner: Planner, default_options: ExportOptions) -> None:
        self._context = context
        self._planner = planner
        self._default = default_options

    @property
    def base_url(self) -> str:
        return self._context.base_url

    def children(self, folder: EntryRef, page_size: int | None) -> Plan:
        return Plan(deliver_pages(children_pager(_entry_id(folder), self.base_url, _page_size(page_size))))

    def walk(self, folder: int | str, spec: WalkSpec) -> Plan:
        return Plan(walk_flow(self.base_url, folder, spec))

    def spec(
        self,
        *,
        recursive: bool,
        include: str | Sequence[str] | None,
        exclude: str | Sequence[str] | None,
        follow_shortcuts: bool,
        page_size: int | None,
    ) -> WalkSpec:
        return WalkSpec(
            recursive=bool(recursive),
            include=_globs("include", include),
            exclude=_globs("exclude", exclude),
            follow_shortcuts=bool(follow_shortcuts),
            page_size=_page_size(page_size),
        )

    def query(
        self,
        command: str,
        *,
        fuzzy_type: str | None,
        fuzzy_factor: int | None,
        page_size: int | None,
        follow_shortcuts: bool = False,
    ) -> SearchQuery:
        query = SearchQuery(
            command=command,
            fuzzy_type=fuzzy_type,
            fuzzy_factor=fuzzy_factor,
            page_size=_page_size(page_size),
            follow_shortcuts=follow_shortcuts,
        )
        query.check()
        return query

    def search(self, query: SearchQuery, deadline: float | None) -> Plan:
        limit = self._planner.deadline(deadline)
        return Plan(search_flow(self._context, query, limit), limit)

    def fields(self, entry: EntryRef) -> Plan:
        return Plan(deliver_pages(fields_pager(_entry_id(entry), self.base_url)))

    def tags(self, entry: EntryRef) -> Plan:
        return Plan(deliver_pages(tags_pager(_entry_id(entry), self.base_url)))

    def links(self, entry: EntryRef) -> Plan:
        return Plan(deliver_pages(links_pager(_entry_id(entry), self.base_url)))

    def metadata(self, entry: EntryRef) -> Plan:
        return Plan(metadata_flow(_entry_id(entry), self.base_url))

    def request(
        self,
        dest_dir: Path | str,
        options: ExportOptions | None,
        *,
        part: PartChoice,
        mode: Mode,
        metadata: bool,
        overwrite: bool,
        max_concurrent_tasks: int,
    ) -> TreeRequest:
        if options is not None and not isinstance(options, ExportOptions):
            raise OptionsError([OptionIssue("options", options, "must be ExportOptions or None")])
        if mode not in MODES:
            raise OptionsError([OptionIssue("mode", mode, "must be auto, sync or async")])
        request = TreeRequest(
            dest=Path(dest_dir),
            options=options or self._default,
            part=part,
            mode=mode,
            metadata=bool(metadata),
            overwrite=bool(overwrite),
            max_concurrent_tasks=max_concurrent_tasks,
        )
        request.check()
        return request

    def export_tree(
        self,
        source: int | str,
        request: TreeRequest,
        spec: WalkSpec,
        deadline: float | None,
        on_progress: ProgressCallback | None,
        manifest: bool,
    ) -> tuple[Plan, RunRecorder]:
        limit = self._planner.deadline(deadline)
        flow = export_tree_flow(self._context, source, request, spec, limit)
        recorder = RunRecorder(request.dest, manifest=manifest, sidecars=request.metadata)
        return Plan(flow, limit, on_progress), recorder

    def export_search(
        self,
        query: SearchQuery,
        request: TreeRequest,
        deadline: float | None,
        on_progress: ProgressCallback | None,
        manifest: bool,
    ) -> tuple[Plan, RunRecorder]:
        limit = self._planner.deadline(deadline)
        flow = export_search_flow(self._context, query, request, limit)
        recorder = RunRecorder(request.dest, manifest=manifest, sidecars=request.metadata)
        return Plan(flow, limit, on_progress), recorder
