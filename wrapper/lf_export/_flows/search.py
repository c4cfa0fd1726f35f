"""Searches: start one (StartSearchEntry), wait for its task, page its results, and always close it.

A search stays open on the server (and counts against the token's few open searches) until it is closed
with CancelTasks; results are cached a few minutes and every read refreshes them. The search source closes
it when the results end, when reading them fails, and when the caller stops early (an `Abandoned` stream, an
interrupt, a deadline): whatever ends the iteration, one CancelTasks with its own short time budget is sent
(a failure to close is logged, never raised over the reason the search ended).

`export_search_flow` exports the documents found into one folder (search results carry no paths): names
are kept apart as in a tree mirror (`_mirror`); folders among the results are recorded, not walked."""

from __future__ import annotations

import logging
from typing import Any

import attrs

from .._errors import ApiError, LaserficheError, OptionIssue, OptionsError
from .._mirror import MANIFEST_NAMES, DirNames
from .._policy import Deadline
from .._tree_results import TreeEntry
from .calls import cancel_tasks
from .commands import Flow, FlowContext, Send, expect
from .listing import get_tree_entry, search_results_pager
from .polling import wait_flow
from .tree import Found, Planner, Source, deliver_found
from .tree_export import DocPlan, TreeRequest, export_found_flow, plan_document

__all__ = ["SearchQuery", "export_search_flow", "search_flow", "search_source", "start_search_entry"]

log = logging.getLogger("lf_export.search")

FUZZY_TYPES = ("None", "Percentage", "NumberOfLetters")


@attrs.frozen(kw_only=True)
class SearchQuery:
    command: str
    fuzzy_type: str | None = None
    fuzzy_factor: int | None = None
    page_size: int | None = None
    follow_shortcuts: bool = False

    def check(self) -> None:
        issues = []
        if not isinstance(self.command, str) or not self.command.strip():
            issues.append(
                OptionIssue("searchCommand", self.command, 'must be a search, e.g. {LF:Name="Invoice*"}')
            )
        if self.fuzzy_type is not None and self.fuzzy_type not in FUZZY_TYPES:
            issues.append(
                OptionIssue("fuzzyType", self.fuzzy_type, f"must be one of {', '.join(FUZZY_TYPES)}")
            )
        factor = self.fuzzy_factor
        if factor is not None and (isinstance(factor, bool) or not isinstance(factor, int) or factor < 0):
            issues.append(OptionIssue("fuzzyFactor", factor, "must be a non-negative integer"))
        if issues:
            raise OptionsError(issues)


def start_search_entry(query: SearchQuery) -> Send:
    """SearchAsync: the answer is a task id."""
    from lf_repository_v2.models import FuzzyType, StartSearchEntryRequest, StartTaskResponse
    from lf_repository_v2.types import UNSET

    body = StartSearchEntryRequest(
        search_command=query.command,
        fuzzy_type=UNSET if query.fuzzy_type is None else FuzzyType(query.fuzzy_type),
        fuzzy_factor=UNSET if query.fuzzy_factor is None else query.fuzzy_factor,
    )

    def parse(response: Any) -> str:
        return str(expect(StartTaskResponse)(response).task_id)

    return Send("searches.start_search_entry", {"body": body}, parse)


def _close(task_id: str) -> Flow[None]:
    try:
        answered: dict[str, bool] = yield cancel_tasks([task_id], cleanup=True)
    except LaserficheError as error:
        log.warning("search %s could not be closed: %s", task_id, error)
        return
    log.info("search %s closed%s", task_id, "" if answered.get(task_id, True) else " (it had ended)")


def search_source(
    ctx: FlowContext, query: SearchQuery, deadline: Deadline | None, plan: Planner | None = None
) -> Source:
    """The results of a search as `Found` items (named in one folder when `plan` is given); the search is
    closed however the iteration ends (see the module docstring)."""
    task_id: str = yield start_search_entry(query)
    log.info("search %s started: %s", task_id, query.command)
    names = DirNames(MANIFEST_NAMES) if plan is not None else None
    try:
        yield from wait_flow(ctx, [task_id], deadline)
        pager = search_results_pager(task_id, ctx.base_url, query.page_size)
        while (page := (yield from pager.next_page())) is not None:
            for result in page:
                yield from _found(result, query, names, plan)
    except GeneratorExit:
        raise  # closed without a driver: nothing can be sent any more
    except BaseException:
        yield from _close(task_id)
        raise
    yield from _close(task_id)


def _found(result: TreeEntry, query: SearchQuery, names: DirNames | None, plan: Planner | None) -> Source:
    entry = result
    if entry.entry_type == "Shortcut" and query.follow_shortcuts and entry.target_id:
        try:
            target: TreeEntry = yield get_tree_entry(entry.target_id)
        except ApiError as error:
            yield Found(entry, reason=f"a shortcut whose target {entry.target_id} cannot be read: {error}")
            return
        if target.entry_type != "Document":
            yield Found(
                entry, reason=f"a shortcut to a {target.entry_type} (a search export writes documents)"
            )
            return
        entry = attrs.evolve(
            target,
            entry=attrs.evolve(target.entry, name=entry.name),
            path=entry.name,
            via_shortcut=entry.entry_id,
        )
    if entry.entry_type != "Document":
        yield Found(entry, reason=f"a {entry.entry_type} (a search export writes the documents it finds)")
        return
    if plan is None or names is None:
        yield Found(entry)
        return
    doc_plan, suffix, sidecar = plan(entry)
    yield Found(entry, (names.take(entry.name, entry.entry_id, suffix, sidecar=sidecar),), plan=doc_plan)


def search_flow(ctx: FlowContext, query: SearchQuery, deadline: Deadline | None) -> Flow[int]:
    """`search()`: deliver every result (shortcuts and folders included, as the server lists them)."""
    return (yield from deliver_found(search_source(ctx, query, deadline)))


def export_search_flow(
    ctx: FlowContext, query: SearchQuery, req: TreeRequest, deadline: Deadline | None
) -> Flow[None]:
    """`export_search`: every document the search finds, exported into `req.dest` (module docstring)."""

    def plan(entry: TreeEntry) -> tuple[DocPlan, str, bool]:
        return plan_document(entry, req.part, req.options)

    yield from export_found_flow(ctx, req, search_source(ctx, query, deadline, plan), deadline)
