"""`ExportClient`: the synchronous driver of the export flows (see flows.py for what an export does).

>>> from lf_export import ExportClient, ExportOptions
>>> base = "https://api.laserfiche.com/repository"
>>> with ExportClient(base, "r-abc123", token=token) as lf:  # doctest: +SKIP
...     result = lf.export(2161949, ExportOptions.pdf(pages="1-3", watermark="CONFIDENTIAL"), "exports/")
...     print(result.path, result.size)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self, cast

import httpx
from lf_repository_v2 import Client as GeneratedClient

from ._download import DownloadResult, download, download_link_client
from ._driver import (
    ClientBase,
    Mode,
    Planned,
    api_call_name,
    api_http_kwargs,
    call_deadline,
    check_open,
    extract_if_zip,
    make_deadline,
    mapped_errors,
    send_step,
)
from ._flows import Command, Download, Sleep
from ._options import ExportOptions
from ._policy import Deadline
from ._results import AuditReason, EntryInfo, ExportJob, ExportResult, JobOutcome, ProgressCallback
from ._tasks import TaskProgress
from ._transport import BearerAuth, RateGate, RetryTransport, deadline_scope, raise_for_api_error

__all__ = ["ExportClient"]


class ExportClient(ClientBase[httpx.BaseTransport]):
    """Export documents from one repository. A context manager owning one HTTP client for the API and one,
    without credentials, for download links.

    Constructor arguments and `from_access_key`: see `ClientBase` (in _driver.py).
    """

    def _open(
        self, transport: httpx.BaseTransport | None, download_transport: httpx.BaseTransport | None
    ) -> None:
        config = self._config
        self._http = httpx.Client(
            **api_http_kwargs(config),
            auth=BearerAuth(config.tokens),
            transport=RetryTransport(
                transport, policy=config.retry, gate=RateGate(), timeouts=config.timeouts
            ),
            event_hooks={"response": [raise_for_api_error]},
        )
        self._api = GeneratedClient(base_url=config.base_url).set_httpx_client(self._http)
        self._links = download_link_client(timeout=config.timeouts.download(), transport=download_transport)
        self._closed = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True
        self._http.close()
        self._links.close()

    # ------------------------------------------------------------------------------------------ the driver

    def _run(self, planned: Planned) -> Any:
        check_open(self._closed)
        flow, deadline = planned
        value: Any = None
        error: BaseException | None = None
        while True:
            done, command = send_step(flow, value, error)
            if done:
                return command
            value, error = None, None
            try:
                value = self._execute(command, deadline)
            except BaseException as exc:  # handed to the flow, which cleans up and decides
                error = exc

    def _execute(self, command: Command, deadline: Deadline | None) -> Any:
        if isinstance(command, Sleep):
            time.sleep(command.seconds)
            return None
        if isinstance(command, Download):
            result = download(
                self._links,
                command.link,
                command.dest,
                overwrite=command.overwrite,
                rename=command.rename,
                deadline=None if deadline is None else deadline.at,
                on_progress=command.on_bytes,
            )
            return result, extract_if_zip(result, command.extract, command.overwrite)
        scope = call_deadline(command, deadline)
        with deadline_scope(scope), mapped_errors(scope, api_call_name(command)):
            response = command.operation.sync_detailed(
                self._config.repository_id, client=self._api, **command.kwargs
            )
            return command.parse(response)

    # ------------------------------------------------------------------------------------------ the API

    def entry(self, entry_id: int) -> EntryInfo:
        """GetEntry: name, type, page count and electronic file size."""
        return cast(EntryInfo, self._run(self._flows.entry(entry_id)))

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
        (remote task cancelled unless `cancel_on_abort=False`), `DownloadError`, `NetworkError`.
        """
        planned = self._flows.export(
            entry_id,
            options,
            dest,
            mode=mode,
            deadline=deadline,
            on_progress=on_progress,
            overwrite=overwrite,
            extract=extract,
        )
        return cast(ExportResult, self._run(planned))

    def start_export(self, entry_id: int, options: ExportOptions | None = None) -> str:
        """ExportAsync: start an export task; returns its id (then `wait`, or `resume` to download)."""
        return cast(str, self._run(self._flows.start_export(entry_id, options)))

    def tasks(self, ids: Sequence[str] | str) -> list[TaskProgress]:
        """One ListTasks for all `ids` (never empty). Ids the server does not know are simply absent."""
        return cast(list[TaskProgress], self._run(self._flows.tasks(ids)))

    def cancel(self, ids: Sequence[str] | str) -> dict[str, bool]:
        """Start cancelling the tasks (poll to see `Cancelled`); returns id → whether the server accepted."""
        return cast(dict[str, bool], self._run(self._flows.cancel(ids)))

    def wait(
        self,
        ids: Sequence[str] | str,
        *,
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> dict[str, TaskProgress]:
        """Poll until every task ended (one ListTasks per round). Raises the first task error once all ended,
        `ExportTimeoutError` at the deadline (tasks left running)."""
        return cast(
            dict[str, TaskProgress],
            self._run(self._flows.wait(ids, deadline=deadline, on_progress=on_progress)),
        )

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
        check_open(self._closed)
        limit = make_deadline(deadline)
        at = None if limit is None else limit.at
        return download(self._links, link, dest, overwrite=overwrite, deadline=at, on_progress=on_progress)

    def audit_reasons(self, event_type: str | None = None) -> list[AuditReason]:
        """Every audit reason (all pages), optionally only those of `event_type` (e.g. "ExportDocument")."""
        return cast(list[AuditReason], self._run(self._flows.audit_reasons(event_type)))

    def resume(
        self,
        task_id: str,
        dest: Path | str = ".",
        *,
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
        overwrite: bool = False,
        extract: bool = False,
    ) -> ExportResult:
        """Finish an export task started earlier (by this or another process, with the same token)."""
        planned = self._flows.resume(
            task_id, dest, deadline=deadline, on_progress=on_progress, overwrite=overwrite, extract=extract
        )
        return cast(ExportResult, self._run(planned))

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
        planned = self._flows.export_many(
            jobs,
            dest_dir,
            max_concurrent_tasks=max_concurrent_tasks,
            deadline=deadline,
            on_progress=on_progress,
            overwrite=overwrite,
            extract=extract,
            unique_names=unique_names,
        )
        return cast(list[JobOutcome], self._run(planned))
