"""The two ways `export` runs its entries: one after the other (`export_each`: `ExportClient.export` per
entry, one deadline for the run) or as a batch of export tasks (`export_batch`: `iter_export_many`). Both add
each entry's row as it ends (and print it), so an interrupt keeps what finished (`interrupted_rows` adds the
rest)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import attrs

from lf_export import (
    DownloadError,
    ExportClient,
    ExportInterrupted,
    ExportJob,
    ExportOptions,
    ExportTimeoutError,
    JobOutcome,
    LaserficheError,
)

from ._output import EXIT_API, is_run_level
from ._params import ExportMode
from ._progress import ProgressView
from ._repository import RepositoryCheck
from ._rows import ExistsPolicy, OutcomeStream, Row, failure_status

__all__ = ["Settings", "export_batch", "export_each", "failed_row", "interrupted_rows"]


@attrs.frozen
class Settings:
    dest: Path  # the folder, or --out-file
    mode: ExportMode
    limit: int
    deadline: float | None
    policy: ExistsPolicy
    extract: bool
    repository: RepositoryCheck  # whether a 404 is the repository's (run-level, exit 4)


def export_each(
    client: ExportClient,
    ids: Sequence[int],
    options: ExportOptions,
    settings: Settings,
    view: ProgressView,
    rows: dict[int, Row],
    stream: OutcomeStream,
) -> None:
    """Entries one after the other with `export` (one deadline for all), each row added to `rows` (and
    printed) as it ends, so an interrupt keeps those; a run-level error stops the rest."""
    started = time.monotonic()
    deadline = settings.deadline

    def add(row: Row) -> None:
        rows[len(rows)] = row
        stream(row)

    for index, entry_id in enumerate(ids):
        left = None if deadline is None else deadline - (time.monotonic() - started)
        if left is not None and left <= 0:
            error = ExportTimeoutError([])
            for e in ids[index:]:
                add(Row(e, "timeout", error=error))
            break
        try:
            result = client.export(
                entry_id,
                options,
                settings.dest,
                mode=settings.mode,
                deadline=left,
                on_progress=view,
                overwrite=settings.policy == "overwrite",
                extract=settings.extract,
            )
        except LaserficheError as exc:
            task_id = exc.task_ids[0] if isinstance(exc, ExportTimeoutError) and exc.task_ids else None
            row = failed_row(entry_id, exc, task_id, settings.policy)
            missing = settings.repository.missing_after(exc)
            if missing:
                row.exit_code = EXIT_API
            add(row)
            if missing or is_run_level(exc) or isinstance(exc, ExportTimeoutError):
                for e in ids[index + 1 :]:
                    add(Row(e, "skipped"))
                break
        else:
            add(Row(entry_id, "ok", result=result, task_id=result.task_id))


def export_batch(
    client: ExportClient,
    ids: Sequence[int],
    options: ExportOptions,
    settings: Settings,
    view: ProgressView,
    rows: dict[int, Row],
    stream: OutcomeStream,
) -> None:
    """`iter_export_many`: each outcome is printed as its job ends (a killed run keeps what it printed)."""
    outcomes = client.iter_export_many(
        [ExportJob(entry_id, options) for entry_id in ids],
        settings.dest,
        max_concurrent_tasks=settings.limit,
        deadline=settings.deadline,
        on_progress=view,
        overwrite=settings.policy == "overwrite",
        extract=settings.extract,
        unique_names=settings.policy == "rename",
    )
    for outcome in outcomes:
        row = _outcome_row(outcome, settings.policy)
        missing = settings.repository.missing_after(outcome.error)
        if missing:
            row.exit_code = EXIT_API
        rows[outcome.index] = row
        stream(row)
        if missing:  # a wrong repository id: every other job would meet the same 404
            break
    for index, entry_id in enumerate(ids):
        if settings.repository.missing and index not in rows:
            rows[index] = Row(entry_id, "skipped")


def _outcome_row(outcome: JobOutcome, policy: ExistsPolicy) -> Row:
    entry_id, task_id = outcome.job.entry_id, outcome.task_id
    if outcome.result is not None:
        return Row(entry_id, "ok", result=outcome.result, task_id=task_id)
    if outcome.error is None:
        return Row(entry_id, "failed", task_id=task_id)
    return failed_row(entry_id, outcome.error, task_id, policy)


def failed_row(entry_id: int, error: LaserficheError, task_id: str | None, policy: ExistsPolicy) -> Row:
    if policy == "skip" and isinstance(error, DownloadError) and error.existing is not None:
        return Row(entry_id, "exists", task_id=task_id, existing=error.existing)
    return Row(entry_id, failure_status(error), error=error, task_id=task_id)


def interrupted_rows(ids: Sequence[int], rows: dict[int, Row], exc: ExportInterrupted | None) -> list[Row]:
    """After Ctrl-C: every entry that had not ended, as interrupted, with its task when one was running."""
    task_of = {} if exc is None else {entry: task for task, entry in exc.tasks.items() if entry is not None}
    ended = {row.entry_id for row in rows.values()}
    return [Row(e, "interrupted", task_id=task_of.get(e)) for e in ids if e not in ended]
