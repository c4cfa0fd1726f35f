"""Exporting what a source finds (a folder walk, a search) into a mirror on disk.

Each document is settled as it is found — only the documents waiting for an export task are held, at most
`CHUNK` of them:

* its part is chosen (`plan_document`); one with nothing to export is recorded as skipped, not failed;
* with ``metadata``, its fields (every value), tags and links are read (`listing.metadata_flow`);
* the mode is chosen as for `export` (``auto``: the simple Export for small documents, falling back to a
  task when it times out); documents for tasks are gathered and run through `export_many_flow` — at most N
  tasks at once, one ListTasks per round, per-token holds, the deadline and the abort rules of
  `export_many` — with each download pointed at the document's file in the mirror;
* its `TreeOutcome` is delivered (`Deliver`): the client writes the sidecar and the manifest rows.

One document's failure never stops the rest. At the deadline the documents waiting are failed and
`ExportTimeoutError` ends the run; an interrupt or an abandoned stream cancels what runs (as `export_many`
does) and closes the source (a search is closed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from .._errors import ExportTimeoutError, LaserficheError, OptionIssue, OptionsError
from .._mirror import SIDECAR_SUFFIX, export_suffix
from .._modes import Mode, choose_mode
from .._options import ExportOptions, ExportPart
from .._policy import Deadline
from .._results import ExportJob, ExportResult, JobOutcome, ProgressEvent, ProgressPhase
from .._tree_results import EntryMetadata, PartChoice, TreeEntry, TreeOutcome
from .calls import export_entry
from .commands import Deliver, Download, EnsureFolder, Flow, FlowContext, Progress
from .export import Destination, fetch, timed_out
from .listing import metadata_flow
from .many import ManyRequest, export_many_flow
from .tree import Found, Source, WalkSpec, resolve_folder, walk_source

__all__ = [
    "CHUNK",
    "DocPlan",
    "Pull",
    "TreeRequest",
    "export_found_flow",
    "export_tree_flow",
    "plan_document",
]

#: Documents gathered for export tasks before they are run together (bounds memory, keeps N tasks busy).
CHUNK = 64
PARTS: tuple[PartChoice, ...] = ("auto", "image", "text", "edoc")


class Pull:
    """Pull found items from a source one at a time, carrying out the commands it yields in between."""

    def __init__(self, source: Source) -> None:
        self._source = source
        self._done = False

    def next(self) -> Flow[Found | None]:
        value: Any = None
        error: BaseException | None = None
        while not self._done:
            try:
                item = self._source.throw(error) if error is not None else self._source.send(value)
            except StopIteration:
                self._done = True
                break
            if isinstance(item, Found):
                return item
            value, error = None, None
            try:
                value = yield item
            except BaseException as exc:
                error = exc
        return None

    def abort(self, why: BaseException) -> Flow[None]:
        """Throw `why` into the source so that it cleans up (a search closes itself); carry out its cleanup
        commands. Whatever it raises is dropped: the caller re-raises `why`."""
        error: BaseException | None = why
        value: Any = None
        while not self._done:
            try:
                item = self._source.throw(error) if error is not None else self._source.send(value)
            except BaseException:
                self._done = True
                return
            value, error = None, None
            if isinstance(item, Found):
                error = why
                continue
            try:
                value = yield item
            except BaseException as exc:
                error = exc


@attrs.frozen(kw_only=True)
class DocPlan:
    options: ExportOptions | None
    reason: str | None = None


@attrs.frozen(kw_only=True)
class TreeRequest:
    dest: Path
    options: ExportOptions  # the image (or text) options; the audit reason goes to every export
    part: PartChoice = "auto"
    mode: Mode = "auto"
    metadata: bool = True
    overwrite: bool = False
    max_concurrent_tasks: int = 1

    def check(self) -> None:
        issues = []
        if self.part not in PARTS:
            issues.append(OptionIssue("part", self.part, f"must be one of {', '.join(PARTS)}"))
        limit = self.max_concurrent_tasks
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            issues.append(OptionIssue("max_concurrent_tasks", limit, "must be at least 1"))
        if issues:
            raise OptionsError(issues)


def _with_audit(made: ExportOptions, given: ExportOptions) -> ExportOptions:
    return attrs.evolve(
        made, audit_reason_id=given.audit_reason_id, audit_reason_comment=given.audit_reason_comment
    )


def plan_document(entry: TreeEntry, part: PartChoice, options: ExportOptions) -> tuple[DocPlan, str, bool]:
    """What to export of a document: (plan, file extension, sidecar wanted). See `PartChoice`."""
    info = entry.entry
    pages = info.page_count or 0
    electronic = entry.is_electronic if entry.is_electronic is not None else bool(info.electronic_size)
    edoc = _with_audit(ExportOptions.edoc(), options)
    image = options if options.part is ExportPart.IMAGE else _with_audit(ExportOptions.tiff(), options)
    text = options if options.part is ExportPart.TEXT else _with_audit(ExportOptions.text(), options)
    chosen: ExportOptions | None = None
    reason = None
    if part == "auto":
        chosen = edoc if electronic else image if pages else None
        reason = None if chosen else "no pages and no electronic file: nothing to export"
    elif part == "edoc":
        chosen = edoc if electronic else None
        reason = None if chosen else "no electronic file"
    else:
        chosen = (image if part == "image" else text) if pages else None
        extra = " (it has an electronic file: part 'auto' or 'edoc' exports it)" if electronic else ""
        reason = None if chosen else f"no pages{extra}"
    suffix = "" if chosen is None else export_suffix(chosen, pages, info.extension)
    return DocPlan(options=chosen, reason=reason), suffix, True


@attrs.frozen
class _Pending:
    found: Found
    file: Path
    options: ExportOptions
    metadata: EntryMetadata | None


class _Exporter:
    def __init__(self, ctx: FlowContext, req: TreeRequest, deadline: Deadline | None) -> None:
        self.ctx = ctx
        self.req = req
        self.deadline = deadline
        self.chunk: list[_Pending] = []

    def _where(self, found: Found) -> Path | None:
        return self.req.dest.joinpath(*found.rel) if found.rel else None

    def _outcome(self, pending: _Pending, **kwargs: Any) -> TreeOutcome:
        sidecar = pending.file.with_name(pending.file.name + SIDECAR_SUFFIX) if self.req.metadata else None
        return TreeOutcome(
            entry=pending.found.entry,
            path=pending.file,
            part=str(pending.options.part),
            options=pending.options,
            metadata=pending.metadata,
            sidecar=sidecar,
            **kwargs,
        )

    def settle(self, found: Found) -> Flow[None]:
        entry, where = found.entry, self._where(found)
        if found.reason is not None:
            yield Deliver(TreeOutcome(entry=entry, status="skipped", reason=found.reason))
        elif entry.is_container:
            yield from self._folder(entry, where)
        elif entry.entry_type == "Document" and isinstance(found.plan, DocPlan) and where is not None:
            yield from self._document(found, found.plan, where)
        else:
            yield Deliver(TreeOutcome(entry=entry, status="skipped", reason="not a document"))

    def _folder(self, entry: TreeEntry, where: Path | None) -> Flow[None]:
        if where is None:
            return
        try:
            yield EnsureFolder(where, "dest_dir")
        except OptionsError as error:
            yield Deliver(TreeOutcome(entry=entry, status="failed", path=where, error=error))
            return
        yield Deliver(TreeOutcome(entry=entry, status="folder", path=where))

    def _document(self, found: Found, plan: DocPlan, file: Path) -> Flow[None]:
        metadata = (
            (yield from metadata_flow(found.entry.entry_id, self.ctx.base_url)) if self.req.metadata else None
        )
        if plan.options is None:
            sidecar = file.with_name(file.name + SIDECAR_SUFFIX) if self.req.metadata else None
            outcome = TreeOutcome(
                entry=found.entry, status="skipped", reason=plan.reason, metadata=metadata, sidecar=sidecar
            )
            yield Deliver(outcome)
            return
        pending = _Pending(found, file, plan.options, metadata)
        mode = self.req.mode
        if mode == "auto":
            mode = choose_mode(found.entry.entry, plan.options, self.ctx.auto)
        if mode == "sync" and (yield from self._sync(pending)):
            return
        if any(p.found.entry.entry_id == found.entry.entry_id for p in self.chunk):
            yield from self.flush()  # one entry twice (through a shortcut): downloads are told apart by id
        self.chunk.append(pending)
        if len(self.chunk) >= max(CHUNK, 2 * self.req.max_concurrent_tasks):
            yield from self.flush()

    def _sync(self, pending: _Pending) -> Flow[bool]:
        """The simple Export; False when it timed out in ``auto`` mode (then a task does it)."""
        entry_id = pending.found.entry.entry_id
        started = self.ctx.clock()
        try:
            link: str = yield export_entry(entry_id, pending.options)
            dest = Destination(path=pending.file, overwrite=self.req.overwrite)
            result: ExportResult = yield from fetch(self.ctx, dest, link, entry_id, None, started)
        except LaserficheError as error:
            if self.req.mode == "auto" and timed_out(error):
                return False
            yield Progress(ProgressEvent(phase=ProgressPhase.FAILED, entry_id=entry_id, message=str(error)))
            yield Deliver(self._outcome(pending, status="failed", error=error))
            return True
        yield Deliver(self._outcome(pending, status="exported", result=result))
        return True

    def flush(self) -> Flow[None]:
        """Run the gathered documents as export tasks (`export_many_flow`), each download to its file."""
        chunk, self.chunk = self.chunk, []
        if not chunk:
            return
        files = {p.found.entry.entry_id: p.file for p in chunk}
        request = ManyRequest(
            jobs=tuple(ExportJob(p.found.entry.entry_id, p.options) for p in chunk),
            dest=Destination(path=self.req.dest, overwrite=self.req.overwrite),
            max_concurrent_tasks=self.req.max_concurrent_tasks,
        )
        inner = export_many_flow(self.ctx, request, self.deadline)
        value: Any = None
        error: BaseException | None = None
        while True:
            try:
                command = inner.throw(error) if error is not None else inner.send(value)
            except StopIteration:
                return
            value, error = None, None
            if isinstance(command, Download) and command.entry_id in files:
                command = attrs.evolve(command, dest=files[command.entry_id], rename=False)
            elif isinstance(command, Deliver) and isinstance(command.item, JobOutcome):
                done = command.item
                status = "exported" if done.ok else "failed"
                outcome = self._outcome(
                    chunk[done.index],
                    status=status,
                    result=done.result,
                    error=done.error,
                    task_id=done.task_id,
                )
                command = Deliver(outcome)
            try:
                value = yield command
            except BaseException as exc:
                error = exc


def export_found_flow(
    ctx: FlowContext, req: TreeRequest, source: Source, deadline: Deadline | None
) -> Flow[None]:
    """Export everything `source` finds (see the module docstring); every outcome is delivered."""
    pull = Pull(source)
    exporter = _Exporter(ctx, req, deadline)
    try:
        yield EnsureFolder(req.dest, "dest_dir")
        while True:
            if deadline is not None and deadline.expired():
                yield from exporter.flush()  # fails what waits, with the deadline's error
                raise ExportTimeoutError([], cancelled=False)
            found = yield from pull.next()
            if found is None:
                break
            yield from exporter.settle(found)
        yield from exporter.flush()
    except BaseException as exc:
        if isinstance(exc, GeneratorExit):
            raise
        yield from pull.abort(exc)
        raise


def export_tree_flow(
    ctx: FlowContext, ref: int | str, req: TreeRequest, spec: WalkSpec, deadline: Deadline | None
) -> Flow[None]:
    """`export_tree`: the folder `ref` (id or path) and everything below it, mirrored into `req.dest`."""
    root = yield from resolve_folder(ref)

    def plan(entry: TreeEntry) -> tuple[DocPlan, str, bool]:
        return plan_document(entry, req.part, req.options)

    yield from export_found_flow(ctx, req, walk_source(ctx.base_url, root, spec, plan), deadline)
