"""Durable bulk runs: `run_export` exports many entries with a journal (`_journal_model` says what it records
and how a rerun decides, `_journal` keeps the file), `resume_run` continues the run a journal describes;
`arun_export` / `aresume_run` are the same for `AsyncExportClient`.

    >>> with ExportClient(base, "r-abc123", token=token) as lf:  # doctest: +SKIP
    ...     summary = run_export(lf, [101, 102, 103], "exports/", max_concurrent_tasks=2)
    ...     print(summary.exported, summary.unchanged, summary.failed)

Files are downloaded into a staging folder (``<dest>/.lf-export/incoming-*``) and moved into `dest_dir` under
a name the journal claimed first: a file under a final name is always complete, and a file the journal does
not record as complete is never taken for done (replaced when it is the job's own leftover; kept, the new file
taking a numbered name, when it is someone else's, unless `overwrite`).

Both drivers share every decision and write (`_run_core.RunCore`): they only call the client, sync or async;
the async one runs the journal's writes and file checks in one worker thread, off the event loop, in order.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import aclosing
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._errors import ExportInterrupted
from ._journal import Journal, JournalError, stamp
from ._journal_model import EntryVersion, JobState, rate_and_eta
from ._results import ProgressCallback, ProgressEvent
from ._run_core import JobSpec, RunCore, RunSettings, RunSummary, answer_of

if TYPE_CHECKING:
    from ._aio import AsyncExportClient
    from ._client import ExportClient

__all__ = ["RunStatus", "aresume_run", "arun_export", "read_run_status", "resume_run", "run_export"]

_T = TypeVar("_T")


def run_export(
    client: ExportClient,
    jobs: Iterable[JobSpec],
    dest_dir: Path | str = ".",
    *,
    journal: Path | str | None = None,
    max_concurrent_tasks: int = 1,
    deadline: float | None = None,
    on_progress: ProgressCallback | None = None,
    full: bool = False,
    check_changes: bool = True,
    override: bool = False,
    overwrite: bool = False,
    unique_names: bool = True,
    versions: Mapping[int, EntryVersion] | None = None,
) -> RunSummary:
    """Export many entries durably: run it again after a crash or Ctrl-C and it continues (finished files
    checked and kept, recent tasks waited on, the rest started); run it again later and it exports only what
    changed or is new, and reports what was deleted.

    `journal`: the journal file (default ``<dest_dir>/.lf-export/journal.sqlite``); one of another
    repository, folder or other options is refused (`OptionsError`) unless `override`. `full`: export
    everything again. `check_changes`: look each entry up (GetEntry) before exporting it, to tell later what
    changed (`versions`: versions already known, e.g. from a folder listing, spare those lookups).
    `deadline` (seconds) bounds this invocation: what is left stays for the next. `overwrite`: replace files
    in `dest_dir` the journal does not know (else the new file takes a numbered name; with
    `unique_names=False` that job fails). Raises `JournalError` (damaged, newer, or in use by another
    process), `OptionsError`, and on Ctrl-C `ExportInterrupted` (the journal keeps what finished)."""
    settings = RunSettings(
        full=full,
        check_changes=check_changes,
        override=override,
        overwrite=overwrite,
        unique_names=unique_names,
        versions=versions or {},
        concurrency=max_concurrent_tasks,
    )
    core = RunCore.open(client, jobs, dest_dir, journal, settings)
    with core.journal:
        _drive(client, core, deadline, on_progress)
        return core.result()


def resume_run(
    client: ExportClient,
    journal: Path | str,
    *,
    max_concurrent_tasks: int = 1,
    deadline: float | None = None,
    on_progress: ProgressCallback | None = None,
    full: bool = False,
    check_changes: bool = True,
) -> RunSummary:
    """Continue (or run again) the run a journal describes: its jobs, its folder, its file settings."""
    settings = RunSettings(full=full, check_changes=check_changes, concurrency=max_concurrent_tasks)
    core = RunCore.open(client, None, None, journal, settings)
    with core.journal:
        _drive(client, core, deadline, on_progress)
        return core.result()


def _hook(record: Callable[[ProgressEvent], None], user: ProgressCallback | None) -> ProgressCallback:
    def on_progress(event: ProgressEvent) -> None:
        record(event)  # the journal first: a task id is kept before anything else happens
        if user is not None:
            user(event)

    return on_progress


def _left(end: float | None) -> float | None:
    return None if end is None else end - time.monotonic()


def _drive(
    client: ExportClient, core: RunCore, deadline: float | None, on_progress: ProgressCallback | None
) -> None:
    end = None if deadline is None else time.monotonic() + deadline
    hook = _hook(core.progress, on_progress)
    for chunk in core.chunks():
        for entry_id in chunk.lookups:
            chunk.answers[entry_id] = answer_of(lambda e=entry_id: client.entry(e))  # type: ignore[misc]
        jobs = core.settle(chunk)
        left = _left(end)
        if not jobs:
            continue
        if left is not None and left <= 0:
            break
        stream = client.iter_export_many(
            jobs,
            core.placer.staging,
            max_concurrent_tasks=core.settings.concurrency,
            deadline=left,
            on_progress=hook,
        )
        try:
            for outcome in stream:
                core.outcome(outcome)
        except ExportInterrupted as exc:
            core.interrupted(exc)
            raise
    else:
        core.went_through()


class _Writer:
    """The async driver's one writer: a single worker thread, so the journal's writes leave the event loop
    and keep their order (a task's start is written before the outcome that follows it)."""

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lf-export-journal")

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        self._pool.submit(fn, *args)

    async def call(self, fn: Callable[..., _T], *args: Any) -> _T:
        import asyncio

        return await asyncio.wrap_future(self._pool.submit(fn, *args))

    def close(self) -> None:
        self._pool.shutdown(wait=True)


async def arun_export(
    client: AsyncExportClient,
    jobs: Iterable[JobSpec],
    dest_dir: Path | str = ".",
    *,
    journal: Path | str | None = None,
    max_concurrent_tasks: int = 1,
    deadline: float | None = None,
    on_progress: ProgressCallback | None = None,
    full: bool = False,
    check_changes: bool = True,
    override: bool = False,
    overwrite: bool = False,
    unique_names: bool = True,
    versions: Mapping[int, EntryVersion] | None = None,
) -> RunSummary:
    """`run_export` for `AsyncExportClient` (same arguments and rules)."""
    settings = RunSettings(
        full=full,
        check_changes=check_changes,
        override=override,
        overwrite=overwrite,
        unique_names=unique_names,
        versions=versions or {},
        concurrency=max_concurrent_tasks,
    )
    return await _arun(client, jobs, dest_dir, journal, settings, deadline, on_progress)


async def aresume_run(
    client: AsyncExportClient,
    journal: Path | str,
    *,
    max_concurrent_tasks: int = 1,
    deadline: float | None = None,
    on_progress: ProgressCallback | None = None,
    full: bool = False,
    check_changes: bool = True,
) -> RunSummary:
    """`resume_run` for `AsyncExportClient`."""
    settings = RunSettings(full=full, check_changes=check_changes, concurrency=max_concurrent_tasks)
    return await _arun(client, None, None, journal, settings, deadline, on_progress)


async def _arun(
    client: AsyncExportClient,
    jobs: Iterable[JobSpec] | None,
    dest_dir: Path | str | None,
    journal: Path | str | None,
    settings: RunSettings,
    deadline: float | None,
    on_progress: ProgressCallback | None,
) -> RunSummary:
    writer = _Writer()
    try:
        core = await writer.call(RunCore.open, client, jobs, dest_dir, journal, settings)
        try:
            await _adrive(client, core, writer, deadline, on_progress)
            return await writer.call(core.result)
        finally:
            await writer.call(core.journal.close)
    finally:
        writer.close()


async def _adrive(
    client: AsyncExportClient,
    core: RunCore,
    writer: _Writer,
    deadline: float | None,
    on_progress: ProgressCallback | None,
) -> None:
    end = None if deadline is None else time.monotonic() + deadline
    hook = _hook(lambda event: writer.submit(core.progress, event), on_progress)
    for chunk in core.chunks():
        for entry_id in chunk.lookups:
            try:
                info = await client.entry(entry_id)
            except Exception as exc:
                chunk.answers[entry_id] = answer_of(_raiser(exc))
            else:
                chunk.answers[entry_id] = answer_of(lambda info=info: info)  # type: ignore[misc]
        jobs = await writer.call(core.settle, chunk)
        left = _left(end)
        if not jobs:
            continue
        if left is not None and left <= 0:
            break
        stream = client.iter_export_many(
            jobs,
            core.placer.staging,
            max_concurrent_tasks=core.settings.concurrency,
            deadline=left,
            on_progress=hook,
        )
        try:
            async with aclosing(stream):  # type: ignore[type-var]
                async for outcome in stream:
                    await writer.call(core.outcome, outcome)
        except ExportInterrupted as exc:
            await writer.call(core.interrupted, exc)
            raise
    else:
        await writer.call(core.went_through)


def _raiser(exc: Exception) -> Callable[[], Any]:
    def again() -> Any:
        raise exc

    return again


@attrs.frozen(kw_only=True)
class RunStatus:
    """What a journal says about its run (read without the lock: a run in progress can be watched).
    `counts`: jobs by state; `rate_per_minute` over the last ten minutes of finished files, `eta_seconds`
    for the pending and started jobs at that rate (None: not enough finished yet); `last_errors`: (entry id,
    state, message), newest first."""

    journal: Path
    repository_id: str
    host: str
    dest_dir: Path
    created_at: datetime
    updated_at: datetime
    counts: Mapping[str, int]
    total: int
    bytes_downloaded: int
    tasks_started: int
    last_finished: datetime | None
    rate_per_minute: float | None
    eta_seconds: float | None
    last_errors: tuple[tuple[int, str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "journal": str(self.journal),
            "repository_id": self.repository_id,
            "host": self.host,
            "dest_dir": str(self.dest_dir),
            "created_at": stamp(self.created_at),
            "updated_at": stamp(self.updated_at),
            "counts": dict(self.counts),
            "total": self.total,
            "bytes_downloaded": self.bytes_downloaded,
            "tasks_started": self.tasks_started,
            "last_finished": stamp(self.last_finished),
            "rate_per_minute": self.rate_per_minute,
            "eta_seconds": self.eta_seconds,
            "last_errors": [{"entry_id": e, "state": s, "message": m} for e, s, m in self.last_errors],
        }


def read_run_status(journal: Path | str) -> RunStatus:
    """The status of the run a journal records (`JournalError` when it is missing, damaged or not one)."""
    with Journal.open(journal, read_only=True) as reader:
        run = reader.run()
        if run is None:
            raise JournalError(f"the journal {journal} records no run yet", path=journal)
        identity, dest, _, created, updated = run
        counts = {state.value: 0 for state in JobState} | {k.value: v for k, v in reader.counts().items()}
        finishes = reader.finishes()
        size, started = reader.totals()
        errors = tuple(reader.last_errors())
    remaining = counts[JobState.PENDING.value] + counts[JobState.STARTED.value]
    rate, eta = rate_and_eta(finishes, remaining)
    return RunStatus(
        journal=Path(journal),
        repository_id=identity.repository_id,
        host=identity.host,
        dest_dir=dest,
        created_at=created,
        updated_at=updated,
        counts=counts,
        total=sum(counts.values()),
        bytes_downloaded=size,
        tasks_started=started,
        last_finished=max(finishes, default=None),
        rate_per_minute=rate,
        eta_seconds=eta,
        last_errors=errors,
    )
