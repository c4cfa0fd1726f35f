"""`AsyncExportClient`: the asyncio driver of the flows (see `_flows`); the same methods as `ExportClient`,
awaited. Cancelling the awaiting task cancels the remote export tasks it started (unless
`cancel_on_interrupt=False`); that cleanup is shielded and has its own short time budget.

    >>> async with AsyncExportClient(base, "r-abc123", token=token) as lf:  # doctest: +SKIP
    ...     outcomes = await lf.export_many([101, 102, 103], "exports/", max_concurrent_tasks=2)
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, Self, cast

import anyio
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
from ._download import adownload, async_download_link_client
from ._flows import Abandoned, Deliver, Download, Fetch, OperationRef, Send, Sleep
from ._modes import Mode
from ._operation_api import AsyncOperationMethods
from ._operations import AsyncLongOperation
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
from ._transport import AsyncRetryTransport, BearerAuth, RateGate, araise_for_api_error, deadline_scope
from ._tree_aio import AsyncTreeMethods

__all__ = ["AsyncExportClient"]


class AsyncExportClient(ClientBase[httpx.AsyncBaseTransport], AsyncOperationMethods, AsyncTreeMethods):
    """Export documents from one repository, with asyncio. An async context manager owning one HTTP client for
    the API and one, without credentials, for download links. The constructor's parameters are described on
    `__init__`."""

    def _open(
        self, transport: httpx.AsyncBaseTransport | None, download_transport: httpx.AsyncBaseTransport | None
    ) -> None:
        config = self._config
        # One gate per client: every request's pacing, and the download rate that caps how many tasks may
        # run (a task's link must be fetched within 15 minutes of its completion).
        self._gate = RateGate(config.clock, config.pacing, config.ledger)
        self._http = httpx.AsyncClient(
            base_url=config.base_url,
            timeout=config.timeouts.api(),
            follow_redirects=False,
            auth=BearerAuth(config.tokens),
            # TLS and proxy live in the inner transport (see _tls), so every retry goes the same way.
            transport=AsyncRetryTransport(
                transport or config.network.async_transport(),
                policy=config.retry,
                gate=self._gate,
                timeouts=config.timeouts,
                clock=config.clock,
            ),
            event_hooks={"response": [araise_for_api_error]},
            trust_env=config.network.trust_env,
        )
        self._api = GeneratedClient(base_url=config.base_url).set_async_httpx_client(self._http)
        self._links = async_download_link_client(
            timeout=config.timeouts.download(),
            transport=download_transport or config.network.async_transport(downloads=True),
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._closed = True
        await self._http.aclose()
        await self._links.aclose()

    # ------------------------------------------------------------------------------------------ the driver

    async def _run(self, plan: Plan) -> Any:
        run = self._run_state(plan)
        try:
            async for final, value in self._steps(plan, run):
                if final:
                    return value
        finally:
            run.release_all()
        raise RuntimeError("unreachable: a flow's steps end with its result")  # pragma: no cover

    async def _stream(self, plan: Plan) -> AsyncIterator[Any]:
        """The items the flow delivers, as they come. A consumer that stops early (and closes the iterator,
        e.g. with `contextlib.aclosing`) abandons the flow: it cleans up as for an interrupt."""
        run = self._run_state(plan)
        try:
            async for final, value in self._steps(plan, run):
                if not final:
                    yield value
        except GeneratorExit:
            with contextlib.suppress(Abandoned):
                async for _ in self._steps(plan, run, Abandoned()):
                    pass
            raise
        finally:
            run.release_all()

    async def _steps(
        self, plan: Plan, run: RunState, error: BaseException | None = None
    ) -> AsyncIterator[tuple[bool, Any]]:
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
                    value = await self._execute(driven, plan.deadline, run)
            except BaseException as exc:  # handed to the flow, which cleans up and decides
                error = exc

    async def _execute(
        self, command: Send | Fetch | Sleep | Download, deadline: Deadline | None, run: RunState
    ) -> Any:
        if isinstance(command, Sleep):
            await asyncio.sleep(command.seconds)
            return None
        if isinstance(command, Download):
            started = self._config.clock()
            result = await adownload(
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
            return result, await asyncio.to_thread(extract_if_zip, result, command.extract, command.overwrite)
        if isinstance(command, Fetch):
            with deadline_scope(deadline), mapped_errors(deadline, "GET result.uri"):
                return command.parse((await self._http.get(command.url)).json())
        scope = call_deadline(command, deadline, self._config.clock)
        # Cleanup (cancelling our tasks after an interrupt) must not be cancelled in turn: anyio cancel scopes
        # re-cancel every await inside them. Its own short deadline bounds it instead.
        with (
            anyio.CancelScope(shield=command.cleanup),
            deadline_scope(scope),
            mapped_errors(scope, command.operation),
        ):
            module = generated_operation(command.operation)
            response = await module.asyncio_detailed(
                self._config.repository_id, client=self._api, **command.kwargs
            )
            return command.parse(response)

    # ------------------------------------------------------------------------------------------ the API

    async def entry(self, entry_id: int) -> EntryInfo:
        """GetEntry: name, type, page count and electronic file size."""
        return cast(EntryInfo, await self._run(self._plans.entry(entry_id)))

    async def export(
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
        return cast(ExportResult, await self._run(plan))

    async def start_export(self, entry_id: int, options: ExportOptions | None = None) -> AsyncLongOperation:
        """ExportAsync: start an export task; its handle (`wait`, `download`, `resume_token`, ...)."""
        task_id = cast(str, await self._run(self._plans.start_export(entry_id, options)))
        return AsyncLongOperation(
            self, OperationRef(task_id, TaskType.EXPORT_ENTRY, entry_id), self._config.repository_id
        )

    async def tasks(self, ids: TaskRefs) -> list[TaskProgress]:
        """One ListTasks for all `ids` (never empty). Ids the server does not know are simply absent."""
        return cast(list[TaskProgress], await self._run(self._plans.tasks(ids)))

    async def cancel(self, ids: TaskRefs) -> dict[str, bool]:
        """Start cancelling the tasks (poll to see `Cancelled`); returns id → whether the server accepted."""
        return cast(dict[str, bool], await self._run(self._plans.cancel(ids)))

    async def wait(
        self,
        ids: TaskRefs,
        *,
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> dict[str, TaskProgress]:
        """Poll until every task ended (one ListTasks per round). Raises the first task error once all ended,
        `ExportTimeoutError` at the deadline and `ExportInterrupted` on Ctrl-C (tasks left running)."""
        return cast(dict[str, TaskProgress], await self._run(self._plans.wait(ids, deadline, on_progress)))

    async def download(
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
        return await adownload(
            self._links,
            link,
            dest,
            overwrite=overwrite,
            deadline=limit,
            clock=self._config.clock,
            on_progress=on_progress,
        )

    async def audit_reasons(self, event_type: str | None = None) -> list[AuditReason]:
        """Every audit reason (all pages), optionally only those of `event_type` (e.g. "ExportDocument")."""
        return cast(list[AuditReason], await self._run(self._plans.audit_reasons(event_type)))

    async def resume(
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
        return cast(ExportResult, await self._run(plan))

    async def export_many(
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
        return cast(list[JobOutcome], await self._run(plan))

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
    ) -> AsyncIterator[JobOutcome]:
        """`export_many`, streamed (``async for``): each `JobOutcome` as its job finishes. Arguments are
        checked at once; closing the iterator early (``contextlib.aclosing``) cancels the tasks still
        running."""
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
        return cast(AsyncIterator[JobOutcome], self._stream(plan))
