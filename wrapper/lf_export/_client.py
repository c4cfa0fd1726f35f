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
from collections.abc import Callable, Iterable, Iterator
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
from ._operation_api import OperationMethods
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
from ._transport import BearerAuth, RateGate, RetryTransport, deadline_scope, raise_for_api_error
from ._tree_api import TreeMethods

__all__ = ["ExportClient"]


class ExportClient(ClientBase[httpx.BaseTransport], OperationMethods, TreeMethods):
    """Export documents from one repository. A context manager owning one HTTP client for the API and one,
    without credentials, for download links. The constructor's parameters are described on `__init__`."""

    def _open(
        self, transport: httpx.BaseTransport | None, download_transport: httpx.BaseTransport | None
    ) -> None:
        config = self._config
        # One gate per client: every request's pacing, and the download rate that caps how many tasks may
        # run (a task's link must be fetched within 15 minutes of its completion).
        self._gate = RateGate(config.clock, config.pacing, config.ledger)
        self._http = httpx.Client(
            base_url=config.base_url,
            timeout=config.timeouts.api(),
            follow_redirects=False,
            auth=BearerAuth(config.tokens),
            # TLS and proxy live in the inner transport (see _tls), so every retry goes the same way.
            transport=RetryTransport(
                transport or config.network.transport(),
                policy=config.retry,
                gate=self._gate,
                timeouts=config.timeouts,
                clock=config.clock,
            ),
            event_hooks={"response": [raise_for_api_error]},
            trust_env=config.network.trust_env,
        )
        self._api = GeneratedClient(base_url=config.base_url).set_httpx_client(self._http)
        from ._download import download_link_client  # the download machinery loads with the first client

        self._links = download_link_client(
            timeout=config.timeouts.download(),
            transport=download_transport or config.network.transport(downloads=True),
        )

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

            started = self._config.clock()
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
            self._gate.downloaded(self._config.clock() - started)
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
        rename: bool = False,
    ) -> ExportResult:
        """Export one entry to `dest` (a folder: the server's file name, sanitised; else the file path).
        A file already there is an error unless `overwrite` (replace it) or `rename` (``name (2).ext``).

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
            rename=rename,
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
        rename: bool = False,
    ) -> ExportResult:
        """Finish an export task started earlier (by this or another process, with the same token)."""
        plan = self._plans.resume(
            task_id,
            dest,
            deadline=deadline,
            on_progress=on_progress,
            overwrite=overwrite,
            extract=extract,
            rename=rename,
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
