"""Tree, metadata, copy, delete and search operations (the wire sheet's "Trees, metadata, search").

Choices where the real service leaves room (see also ``treeops`` and ``search``):

- ``ListEntries`` of a document or shortcut is a 400 ("not a folder"); of an unknown id a 404. Default order:
  name (case-insensitive), then id; ``groupByEntryType=true`` puts folders and record series first, then
  documents, then shortcuts. ``fields`` takes at most 10 names (400 beyond) and shows each named field of the
  entry's template with its first value only (``hasMoreValues`` tells); ``formatFieldValues`` and ``culture``
  are accepted and ignored.
- ``GetEntryByPath``: segments compare case-insensitively; a missing path is a 404, or with
  ``fallbackToClosestAncestor=true`` a 200 with ``entry: null`` and the closest existing ``ancestorEntry``.
- ``StartCopyEntry``: unknown source or destination → 404; a destination that is not a folder or record
  series → 400; copying an entry into itself or its own subtree → 400 (nothing starts). A taken name without
  ``autoRename`` → the task starts and fails at once with a 409 error (nothing copied): the spec declares no
  409 for the request itself. Duration: ``task_seconds`` per 10 entries copied (at least ``task_seconds``).
- ``StartDeleteEntry``: the root → 400; a locked entry itself → 423 (declared for the request); a folder with
  a locked entry inside → the task fails with a 423 error when it reaches it (see ``treeops``). An audit
  reason is checked as for export: a given ``auditReasonId`` must be a ``DeleteEntry`` reason, and with
  ``require_audit_reason`` one must be given; otherwise the task fails at once with a 400 error,
  errorCode 216, that lists the ``DeleteEntry`` reasons (nothing deleted).
- ``StartSearchEntry``: a command outside the supported subset is a 400 (nothing starts). The matches are
  taken when the search starts and shown as the task progresses (all of them once Completed). The results
  stay ``search_cache_seconds`` after the task ends, and every read of them extends that; after it, or once
  the search is closed (CancelTasks), ``ListSearchResults`` answers 404 "Task with requested taskId was not
  found". ``refresh=true`` runs the search again on the current tree. ``fuzzyType``/``fuzzyFactor`` are
  accepted and ignored. A token may hold ``max_open_searches`` open searches (429 beyond).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse, Response

from lf_emulator.entries import ENTRY_SORT_KEYS, entry_json, link_json, listed_entry, paged, parse_select
from lf_emulator.metadata import field_json, tag_json
from lf_emulator.repository import Entry
from lf_emulator.search import Search, SearchSyntaxError, parse_search
from lf_emulator.state import EmulatorState
from lf_emulator.tasks import Task, TooManyTasks
from lf_emulator.treeops import CopyWork, DeleteWork, copy_seconds
from lf_emulator.wire import Call, Problem, problem_body

__all__ = ["TreeOperations"]

_ENTRY_PAGE = 150
_META_PAGE = 100
_MAX_FIELDS = 10
_AUDIT_REASON_CODE = 216
_NOT_FOUND_TASK = "Task with requested taskId was not found"
_COPY_CREATOR = "API User"
_GROUP = {"Folder": 0, "RecordSeries": 0, "Document": 1, "Shortcut": 2}


class SearchState:
    def __init__(self, search: Search, results: list[int]) -> None:
        self.search = search
        self.results = results


def _flag(call: Call, name: str) -> bool:
    return call.request.query_params.get(name, "false").lower() == "true"


def _body(call: Call) -> dict[str, Any]:
    try:
        body = json.loads(call.body or b"{}")
    except ValueError as exc:
        raise Problem(400, f"(body): not valid JSON ({exc})") from None
    if not isinstance(body, dict):
        raise Problem(400, "(body): must be a JSON object (rule: type)")
    return body


class TreeOperations:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self.config = state.config

    @property
    def handlers(self) -> dict[str, Any]:
        return {
            "GetEntry": self.get_entry,
            "GetEntryByPath": self.get_entry_by_path,
            "ListEntries": self.list_entries,
            "ListFields": self.list_fields,
            "ListTags": self.list_tags,
            "ListLinks": self.list_links,
            "StartCopyEntry": self.start_copy,
            "StartDeleteEntry": self.start_delete,
            "StartSearchEntry": self.start_search,
            "ListSearchResults": self.list_search_results,
        }

    # -- helpers ---------------------------------------------------------------------------------------

    def _context(self, call: Call, suffix: str) -> str:
        return f"{call.origin}{self.config.base_path}/v2/$metadata#{suffix}"

    def _api(self, call: Call) -> str:
        return f"{call.origin}{self.config.base_path}/v2/Repositories/{self.config.repository_id}"

    def _entry(self, raw: Any, what: str = "entryId") -> Entry:
        try:
            entry_id = int(raw)
        except (TypeError, ValueError):
            raise Problem(400, f"{what}: {raw!r} is not an integer (rule: type)") from None
        entry = self.state.repository.get(entry_id)
        if entry is None:
            raise Problem(404, f"Entry {entry_id} not found", source="Repository")
        return entry

    def _full(self, call: Call, entry: Entry | None) -> dict[str, Any] | None:
        if entry is None:
            return None
        return entry_json(self.state.repository, entry)

    def _start(self, call: Call, entry_id: int, **kwargs: Any) -> Task:
        try:
            return self.state.tasks.start(call.token, entry_id, **kwargs)
        except TooManyTasks as exc:
            if exc.searches:
                detail = (
                    f"Too many open searches for this access token ({exc.active} open, limit "
                    f"{self.config.max_open_searches}); close one with CancelTasks"
                )
            else:
                detail = (
                    f"Too many concurrent long operations for this access token ({exc.active} running, limit "
                    f"{self.config.max_concurrent_tasks}); wait for one to finish"
                )
            raise Problem(429, detail, headers={"Retry-After": str(exc.retry_after)}) from None

    def _error(self, call: Call, problem: Problem) -> dict[str, Any]:
        return problem_body(
            problem.status,
            problem.detail,
            instance=call.request.url.path,
            request_id=call.request_id,
            error_code=problem.error_code,
            source=problem.source,
        )

    def _accepted(self, call: Call, task: Task) -> Response:
        return JSONResponse(
            {
                "@odata.context": self._context(call, "Laserfiche.Repository.StartTaskResponse"),
                "taskId": task.id,
            },
            status_code=202,
        )

    # -- entries ---------------------------------------------------------------------------------------

    async def get_entry(self, call: Call) -> Response:
        entry = self._entry(call.params["entryId"])
        query = call.request.query_params
        body = entry_json(
            self.state.repository,
            entry,
            select=query.get("$select"),
            child_info=_flag(call, "includeChildInfo"),
            total_size=_flag(call, "includeTotalSize"),
        )
        context = self._context(
            call,
            f"Repositories('{self.config.repository_id}')/entries/Laserfiche.Repository.{entry.entry_type}/$entity",
        )
        return JSONResponse({"@odata.context": context, **body})

    async def get_entry_by_path(self, call: Call) -> Response:
        path = call.request.query_params.get("fullPath")
        if path is None:
            raise Problem(400, "query parameter fullPath: is required (rule: required)")
        repository = self.state.repository
        found, ancestor = repository.by_path(path)
        if found is None and not _flag(call, "fallbackToClosestAncestor"):
            raise Problem(404, f"Entry with path {path!r} not found", source="Repository")
        return JSONResponse(
            {
                "@odata.context": self._context(call, "Laserfiche.Repository.FindEntryResult"),
                "entry": self._full(call, found),
                "ancestorEntry": None if found is not None else self._full(call, ancestor),
            }
        )

    def _fields_param(self, call: Call) -> list[str]:
        fields = [f for f in call.request.query_params.getlist("fields") if f]
        if len(fields) > _MAX_FIELDS:
            raise Problem(400, f"query parameter fields: at most {_MAX_FIELDS} names (rule: maxItems)")
        return fields

    def _entry_listing(
        self, call: Call, entries: list[Entry], context: str, *, null_paths: bool = False
    ) -> Response:
        repository = self.state.repository
        query = call.request.query_params
        select = parse_select(query.get("$select"))
        fields = self._fields_param(call)
        return paged(
            call,
            entries,
            context=context,
            default_page_size=_ENTRY_PAGE,
            render=lambda e, row: listed_entry(
                repository, e, row, select=select, fields=fields, null_paths=null_paths
            ),
            sort_keys=ENTRY_SORT_KEYS,
            group=(lambda e: _GROUP.get(e.entry_type, 3)) if _flag(call, "groupByEntryType") else None,
        )

    async def list_entries(self, call: Call) -> Response:
        folder = self._entry(call.params["entryId"])
        if not folder.is_container:
            raise Problem(
                400, f"Entry {folder.id} is a {folder.entry_type}, not a folder", source="Repository"
            )
        children = sorted(self.state.repository.children(folder.id), key=lambda e: (e.name.casefold(), e.id))
        return self._entry_listing(
            call, children, self._context(call, f"Repositories('{self.config.repository_id}')/entries")
        )

    async def list_fields(self, call: Call) -> Response:
        entry = self._entry(call.params["entryId"])
        template = self.state.repository.template_of(entry)
        fields = list(template.fields) if template is not None else []
        return paged(
            call,
            fields,
            context=self._context(call, "Fields"),
            default_page_size=_META_PAGE,
            render=lambda f, _row: field_json(f, entry.values_of(f.name)),
            sort_keys={
                "id": lambda f: f.id,
                "name": lambda f: f.name.casefold(),
                "fieldType": lambda f: f.field_type,
            },
        )

    async def list_tags(self, call: Call) -> Response:
        entry = self._entry(call.params["entryId"])
        tags = [t for i in entry.tag_ids if (t := self.state.repository.tags.get(i)) is not None]
        return paged(
            call,
            tags,
            context=self._context(call, "Tags"),
            default_page_size=_META_PAGE,
            render=lambda t, _row: tag_json(t),
            sort_keys={"id": lambda t: t.id, "name": lambda t: t.name.casefold()},
        )

    async def list_links(self, call: Call) -> Response:
        entry = self._entry(call.params["entryId"])
        repository = self.state.repository
        links = sorted(repository.links_of(entry.id), key=lambda link: link.id)
        api = self._api(call)
        return paged(
            call,
            links,
            context=self._context(call, "Links"),
            default_page_size=_META_PAGE,
            render=lambda link, _row: link_json(repository, link, api),
            sort_keys={"id": lambda link: link.id},
        )

    # -- copy and delete -------------------------------------------------------------------------------

    async def start_copy(self, call: Call) -> Response:
        body = _body(call)
        destination = self._entry(call.params["entryId"])
        if "sourceId" not in body:
            raise Problem(400, "sourceId: is required (rule: required)")
        source = self._entry(body["sourceId"], "sourceId")
        name = body.get("name")
        if not isinstance(name, str) or not name:
            raise Problem(400, "name: must be a non-empty string (rule: minLength)")
        auto_rename = bool(body.get("autoRename", False))
        repository = self.state.repository
        if not destination.is_container:
            raise Problem(
                400,
                f"Entry {destination.id} is a {destination.entry_type}, not a folder",
                source="Repository",
            )
        if repository.is_in_subtree(destination.id, source.id):
            raise Problem(
                400,
                f"Cannot copy entry {source.id} into itself or one of its own subfolders (destination "
                f"{destination.id})",
                source="Repository",
            )
        with repository.lock:
            sources = repository.subtree(source.id)
            conflict = not auto_rename and repository.child_named(destination.id, name) is not None
        work = CopyWork(
            repository,
            sources,
            destination.id,
            name,
            auto_rename=auto_rename,
            creator=_COPY_CREATOR,
            now=self.state.clock.wall,
            conflict=conflict,
        )
        error = None
        fail_after = 0.5
        fault = self.state.faults.task()
        if conflict:
            error = self._error(
                call,
                Problem(
                    409,
                    f"An entry named {name!r} already exists in folder {destination.id}; use autoRename",
                    source="Repository",
                ),
            )
            fail_after = 0.0
        elif fault.fail:
            error = self._error(call, Problem(500, f"Copy of entry {source.id} failed (injected fault)"))
            work.limit = len(sources) // 2
            fail_after = work.limit / len(sources)
        api = self._api(call)

        def result() -> dict[str, Any] | None:
            if work.top_id is None:
                return None
            return {"entryId": work.top_id, "uri": f"{api}/Entries/{work.top_id}"}

        task = self._start(
            call,
            source.id,
            duration=copy_seconds(self.config.task_seconds, len(sources)),
            outcome="fail" if error else ("hang" if fault.hang else "complete"),
            error=error,
            unknown_enum=fault.unknown_enum,
            task_type="CopyEntry",
            fail_after=fail_after,
            work=work,
            result_fn=result,
        )
        return self._accepted(call, task)

    def _delete_audit_problem(self, body: dict[str, Any]) -> Problem | None:
        reason = body.get("auditReasonId")
        repository = self.state.repository
        valid = repository.reason_ids("DeleteEntry")
        if (reason is None and not self.config.require_audit_reason) or reason in valid:
            return None
        names = ", ".join(f"{r.id} ({r.name})" for r in repository.audit_reasons if r.id in valid)
        return Problem(
            400,
            "Need to provide correct audit reason for deleting this entry. "
            f"Valid DeleteEntry audit reasons: {names}",
            error_code=_AUDIT_REASON_CODE,
            source="Repository",
        )

    async def start_delete(self, call: Call) -> Response:
        entry = self._entry(call.params["entryId"])
        body = _body(call) if call.body.strip() else {}
        repository = self.state.repository
        if entry.parent_id is None:
            raise Problem(400, "The root folder cannot be deleted", source="Repository")
        if entry.locked:
            raise Problem(
                423, f"Entry {entry.id} is locked by another user; try again later", source="Repository"
            )
        work = DeleteWork(repository, entry.id)
        fault = self.state.faults.task()
        error: dict[str, Any] | None = None
        audit = self._delete_audit_problem(body)
        if audit is not None:
            error = self._error(call, audit)
            work.limit = 0
        elif work.locked_entry is not None:
            locked = work.locked_entry
            error = self._error(
                call,
                Problem(
                    423,
                    f"Entry {locked.id} ({repository.full_path(locked)}) is locked by another user; "
                    f"{work.limit} of {work.total} entries were deleted",
                    source="Repository",
                ),
            )
        elif fault.fail:
            error = self._error(call, Problem(500, f"Delete of entry {entry.id} failed (injected fault)"))
            work.limit = work.total // 2
        task = self._start(
            call,
            entry.id,
            duration=copy_seconds(self.config.task_seconds, work.total),
            outcome="fail" if error else ("hang" if fault.hang else "complete"),
            error=error,
            unknown_enum=fault.unknown_enum,
            task_type="DeleteEntry",
            fail_after=work.limit / work.total,
            work=work,
            result_fn=lambda: None,
        )
        return self._accepted(call, task)

    # -- search ----------------------------------------------------------------------------------------

    async def start_search(self, call: Call) -> Response:
        body = _body(call)
        command = body.get("searchCommand")
        if not isinstance(command, str) or not command:
            raise Problem(400, "searchCommand: must be a non-empty string (rule: minLength)")
        try:
            search = parse_search(command)
        except SearchSyntaxError as exc:
            raise Problem(400, str(exc), source="Repository") from None
        repository = self.state.repository
        state = SearchState(search, search.run(repository))
        api = self._api(call)
        holder: list[str] = []
        duration = self.config.task_seconds
        now = self.state.clock.now()
        task = self._start(
            call,
            0,
            duration=duration,
            task_type="SearchEntry",
            result_fn=lambda: {"entryId": 0, "uri": f"{api}/Searches/{holder[0]}/Results"},
            expires_at=now + duration + self.config.search_cache_seconds,
            payload=state,
        )
        holder.append(task.id)
        return self._accepted(call, task)

    async def list_search_results(self, call: Call) -> Response:
        tasks = self.state.tasks
        task = tasks.get(call.token, call.params["taskId"])
        now = self.state.clock.now()
        if task is None or not task.is_open_search(now) or not isinstance(task.payload, SearchState):
            raise Problem(404, _NOT_FOUND_TASK, source="Repository")
        status, _, _ = task.status(now)
        if status in ("Failed", "Cancelled"):
            raise Problem(404, _NOT_FOUND_TASK, source="Repository")
        state = task.payload
        repository = self.state.repository
        if _flag(call, "refresh"):
            state.results = state.search.run(repository)
        end = task.created + task.duration
        task.expires_at = max(end, now) + self.config.search_cache_seconds
        ids = state.results
        if status != "Completed":
            ids = ids[: int(len(ids) * task.fraction(now))]
        entries = [e for i in ids if (e := repository.get(i)) is not None]
        return self._entry_listing(
            call,
            entries,
            self._context(call, f"Repositories('{self.config.repository_id}')/entries"),
            null_paths=True,
        )
