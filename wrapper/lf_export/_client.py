"""`ExportClient`: the synchronous driver of the flows (see `_flows` for what an export does).

>>> from lf_export import ExportClient, ExportOptions
>>> base = "https://api.laserfiche.com/repository"
>>> with ExportClient(base, "r-abc123", token=token) as lf:  # doctest: +SKIP
...     result = lf.export(2161949, ExportOptions.pdf(pages="1-3", watermark="CONFIDENTIAL"), "exports/")
...     print(result.path, result.size)
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self, cast

import httpx
from lf_repository_v2 import Client as GeneratedClient

from ._base import (
    ClientBase,
    RunState,
    call_deadline,
    extract_if_zip,
    generated_operation,
    mapped_errors,
    step,
)
from ._flows import Abandoned, Deliver, Download, Fetch, OperationRef, Send, Sleep
from ._modes import Mode
from ._operations import LongOperation
from ._options import ExportOptions
from ._plans import HasTaskId, Plan, TaskRefs
from ._policy import Deadline
from ._results import (
    AuditReason,
    DownloadResult,
    EntryInfo,
    ExportJob,
    ExportResult,
    JobOutcome,
    ProgressCallback,
)
from ._tasks import TaskProgress, TaskType
from ._transport import BearerAuth, RetryTransport, deadline_scope, raise_for_api_error
from ._tree_api import TreeMethods

__all__ = ["ExportClient"]


class ExportClient(ClientBase[httpx.BaseTransport], TreeMethods):
    """Export documents from one repository. A context manager owning one HTTP client for the API and one,
    without credentials, for download links. The constructor's parameters are described on `__init__`."""

    def _open(
        self, transport: httpx.BaseTransport | None, download_transport: httpx.BaseTransport | None
    ) -> None:
        config = self._config
        self._http = httpx.Client(
            base_url=config.base_url,
            timeout=config.timeouts.api(),
            follow_redirects=False,
            auth=BearerAuth(config.tokens),
            transport=RetryTransport(
                transport,
                policy=config.retry,
                timeouts=config.timeouts,
                clock=config.clock,
                pacing=config.pacing,
                ledger=config.ledger,
            ),
            event_hooks={"response": [raise_for_api_error]},
        )
        self._api = GeneratedClient(base_url=config.base_url).set_httpx_client(self._http)
        from ._download import download_link_client  # the download machinery loads with the first client

        self._links = download_link_client(timeout=config.timeouts.download(), transport=download_transport)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True
        self._http.close()
        self._links.close()

    # ------------------------------------------------------------------------------------------ the driver

    def _run(self, plan: Plan) -> Any:
        run = self._run_state(plan)
        try:
            for final, value in self._steps(plan, run):
                if final:
                    return value
        finally:
            run.release_all()
        raise RuntimeError("unreachable: a flow's steps end with its result")  # pragma: no cover

    def _stream(self, plan: Plan) -> Iterator[Any]:
        """The items the flow delivers, as they come. A consumer that stops early abandons the flow: it cleans
        up as for an interrupt (cancels the tasks it started, if `cancel_on_interrupt`)."""
        run = self._run_state(plan)
        try:
            for final, value in self._steps(plan, run):
                if not final:
                    yield value
        except GeneratorExit:
            with contextlib.suppress(Abandoned):
                for _ in self._steps(plan, run, Abandoned()):
                    pass
            raise
        finally:
            run.release_all()

    def _steps(
        self, plan: Plan, run: RunState, error: BaseException | None = None
    ) -> Iterator[tuple[bool, Any]]:
        """Carry out the flow's commands: (False, item) for each delivered item, then (True, its result)."""
        value: Any = None
        while True:
            done, command = step(plan.flow, value, error)
            if done:
                yield True, command
                return
            value, error = None, None
            if isinstance(command, Deliver):
                yield False, command.item
                continue
            try:
                driven = run.carry_out(command)
                if driven is not None:
                    value = self._execute(driven, plan.deadline, run)
            except BaseException as exc:  # handed to the flow, which cleans up and decides
                error = exc

    def _execute(
        self, command: Send | Fetch | Sleep | Download, deadline: Deadline | None, run: RunState
    ) -> Any:
        if isinstance(command, Sleep):
            time.sleep(command.seconds)
            return None
        if isinstance(command, Download):
            from ._download import download

            result = download(
                self._links,
                command.link,
                command.dest,
                overwrite=command.overwrite,
                rename=command.rename,
                deadline=deadline,
                clock=self._config.clock,
                on_progress=run.byte_reporter(command.entry_id, command.task_id),
            )
            return result, extract_if_zip(result, command.extract, command.overwrite)
        if isinstance(command, Fetch):
            with deadline_scope(deadline), mapped_errors(deadline, "GET result.uri"):
                return command.parse(self._http.get(command.url).json())
        scope = call_deadline(command, deadline, self._config.clock)
        with deadline_scope(scope), mapped_errors(scope, command.operation):
            module = generated_operation(command.operation)
            response = module.sync_detailed(self._config.repository_id, client=self._api, **command.kwargs)
            return command.parse(response)

    # ------------------------------------------------------------------------------------------ the API

    def entry(self, entry_id: int) -> EntryInfo:
        """GetEntry: name, type, page count and electronic file size."""
        return cast(EntryInfo, self._run(self._plans.entry(entry_id)))

    def export(
        self,
        entry_id: int,
        options: ExportOptions | None = None,
        dest: Path | str = ".",
        *,
        mode: Mode = "auto",
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
        overwrite: bool = False,
        extract: bool = False,
    ) -> ExportResult:
        """Export one entry to `dest` (a folder: the server's file name, sanitised; else the file path).

        `deadline` (seconds) covers submit, polling and download. Raises `OptionsError`, `ApiError`
        subclasses, `TaskFailedError` / `TaskCancelledError` / `TaskExpiredError`, `ExportTimeoutError`
        (remote task cancelled unless `cancel_on_deadline=False`), `DownloadError`, `NetworkError`, and on
        Ctrl-C `ExportInterrupted`.
        """
        plan = self._plans.export(
            entry_id,
            options,
            dest,
            mode=mode,
            deadline=deadline,
            on_progress=on_progress,
            overwrite=overwrite,
            extract=extract,
        )
        return cast(ExportResult, self._run(plan))

    def start_export(self, entry_id: int, options: ExportOptions | None = None) -> LongOperation:
        """ExportAsync: start an export task; its handle (`wait`, `download`, `resume_token`, ...)."""
        task_id = cast(str, self._run(self._plans.start_export(entry_id, options)))
        return LongOperation(
            self, OperationRef(task_id, TaskType.EXPORT_ENTRY, entry_id), self._config.repository_id
        )

    def tasks(self, ids: TaskRefs) -> list[TaskProgress]:
        """One ListTasks for all `ids` (never empty). Ids the server does not know are simply absent."""
        return cast(list[TaskProgress], self._run(self._plans.tasks(ids)))

    def cancel(self, ids: TaskRefs) -> dict[str, bool]:
        """Start cancelling the tasks (poll to see `Cancelled`); returns id → whether the server accepted."""
        return cast(dict[str, bool], self._run(self._plans.cancel(ids)))

    def wait(
        self,
        ids: TaskRefs,
        *,
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> dict[str, TaskProgress]:
        """Poll until every task ended (one ListTasks per round). Raises the first task error once all ended,
        `ExportTimeoutError` at the deadline and `ExportInterrupted` on Ctrl-C (tasks left running)."""
        return cast(dict[str, TaskProgress], self._run(self._plans.wait(ids, deadline, on_progress)))

    def download(
        self,
        link: str,
        dest: Path | str = ".",
        *,
        overwrite: bool = False,
        deadline: float | None = None,
        on_progress: Callable[[int, int | None], None] | None = None,
    ) -> DownloadResult:
        """Fetch a download link (without the token) into `dest`, atomically."""
        self._check_open()
        limit = self._plans.deadline(deadline)
        from ._download import download

        return download(
            self._links,
            link,
            dest,
            overwrite=overwrite,
            deadline=limit,
            clock=self._config.clock,
            on_progress=on_progress,
        )

    def audit_reasons(self, event_type: str | None = None) -> list[AuditReason]:
        """Every audit reason (all pages), optionally only those of `event_type` (e.g. "ExportDocument")."""
        return cast(list[AuditReason], self._run(self._plans.audit_reasons(event_type)))

    def resume(
        self,
        task_id: str | HasTaskId,
        dest: Path | str = ".",
        *,
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
        overwrite: bool = False,
        extract: bool = False,
    ) -> ExportResult:
        """Finish an export task started earlier (by this or another process, with the same token)."""
        plan = self._plans.resume(
            task_id, dest, deadline=deadline, on_progress=on_progress, overwrite=overwrite, extract=extract
        )
        return cast(ExportResult, self._run(plan))

    def export_many(
        self,
        jobs: Iterable[ExportJob | int | tuple[int, ExportOptions]],
        dest_dir: Path | str = ".",
        *,
        max_concurrent_tasks: int = 1,
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
        overwrite: bool = False,
        extract: bool = False,
        unique_names: bool = True,
    ) -> list[JobOutcome]:
        """Export many entries as tasks, at most `max_concurrent_tasks` at once (Cloud allows few per token),
        polling all running tasks in one request per round. Returns one `JobOutcome` per job, in order.
        Same-named files are kept as ``name (2).ext`` unless `unique_names=False` (then the second fails)."""
        plan = self._plans.many(
            jobs,
            dest_dir,
            max_concurrent_tasks=max_concurrent_tasks,
            deadline=deadline,
            on_progress=on_progress,
            overwrite=overwrite,
            extract=extract,
            unique_names=unique_names,
        )
        return cast(list[JobOutcome], self._run(plan))

    def iter_export_many(
        self,
        jobs: Iterable[ExportJob | int | tuple[int, ExportOptions]],
        dest_dir: Path | str = ".",
        *,
        max_concurrent_tasks: int = 1,
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
        overwrite: bool = False,
        extract: bool = False,
        unique_names: bool = True,
    ) -> Iterator[JobOutcome]:
        """`export_many`, streamed: each `JobOutcome` as its job finishes (`outcome.index` says which job), so
        a program that stops or dies keeps what finished. Arguments are checked at once, before iterating;
        leaving the loop early cancels the tasks still running (unless `cancel_on_interrupt=False`)."""
        plan = self._plans.many(
            jobs,
            dest_dir,
            max_concurrent_tasks=max_concurrent_tasks,
            deadline=deadline,
            on_progress=on_progress,
            overwrite=overwrite,
            extract=extract,
            unique_names=unique_names,
        )
        self._check_open()
        return cast(Iterator[JobOutcome], self._stream(plan))

    # ------------------------------------------------------------------------------------ long operations

    def _handle(self, ref: OperationRef) -> LongOperation:
        return LongOperation(self, ref, self._config.repository_id)

    def start_copy(
        self, source_id: int, to_folder_id: int, name: str | None = None, *, auto_rename: bool = False
    ) -> LongOperation:
        """CopyAsync: start copying `source_id` (a folder with everything under it) into `to_folder_id`,
        named `name` (default: the source's; `auto_rename` picks a free one, ``name (2)``, if it is taken)."""
        ref = cast(
            OperationRef, self._run(self._plans.start_copy(source_id, to_folder_id, name, auto_rename))
        )
        return LongOperation(self, ref, self._config.repository_id)

    def copy(
        self,
        source_id: int,
        to_folder_id: int,
        name: str | None = None,
        *,
        auto_rename: bool = False,
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> EntryInfo:
        """Copy and wait: the new entry. At the deadline the copy is cancelled (unless `cancel_on_deadline`
        is off), which can leave a partial copy."""
        plan = self._plans.copy(source_id, to_folder_id, name, auto_rename, deadline, on_progress)
        return cast(EntryInfo, self._run(plan))

    def start_delete(
        self, entry_id: int, *, audit_reason_id: int | None = None, audit_reason_comment: str | None = None
    ) -> LongOperation:
        """Start deleting `entry_id` (a folder with everything under it). A repository may require a
        DeleteEntry audit reason (`audit_reasons("DeleteEntry")`)."""
        plan = self._plans.start_delete(entry_id, audit_reason_id, audit_reason_comment)
        return self._handle(cast(OperationRef, self._run(plan)))

    def delete(
        self,
        entry_id: int,
        *,
        audit_reason_id: int | None = None,
        audit_reason_comment: str | None = None,
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        """Delete and wait. A delete cancelled midway (deadline, Ctrl-C) can leave a folder partly deleted."""
        plan = self._plans.delete(entry_id, audit_reason_id, audit_reason_comment, deadline, on_progress)
        self._run(plan)

    def operation(self, task_id: str) -> LongOperation:
        """A handle for a task started elsewhere (one ListTasks learns its type)."""
        progress = cast(TaskProgress, self._run(self._plans.status(OperationRef(task_id, ""))))
        ref = OperationRef(progress.task_id, progress.task_type or "", progress.entry_id)
        handle = self._handle(ref)
        handle._seen(progress)
        return handle

    def wait_all(
        self, operations: Sequence[LongOperation], *, deadline: float | None = None
    ) -> list[LongOperation]:
        """Wait until every operation ended, with one ListTasks per round for all; the handles, each with its
        final status (`result()` then answers without waiting). Never cancels."""
        for _ in self.as_completed(operations, deadline=deadline):
            pass
        return list(operations)

    def as_completed(
        self, operations: Sequence[LongOperation], *, deadline: float | None = None
    ) -> Iterator[LongOperation]:
        """Each handle as its operation ends (one ListTasks per round for all). Never cancels."""
        by_id = {op.task_id: op for op in operations}
        plan = self._plans.wait_each([op._ref for op in operations], deadline)
        for ref, progress in self._stream(plan):
            handle = by_id[ref.task_id]
            handle._seen(progress)
            yield handle
