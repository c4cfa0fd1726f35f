"""Handles for long operations: one for every task the server runs (export, copy, delete, search, ...).

    >>> op = lf.start_copy(2161949, to_folder_id=1)          # doctest: +SKIP
    >>> token = op.resume_token()                             # doctest: +SKIP
    >>> LongOperation.from_resume_token(lf, token).result()   # doctest: +SKIP
    EntryInfo(entry_id=2161960, name='Invoices', entry_type='Folder', ...)

A handle holds the task id and type, not a connection of its own: its methods run on the client that made it
(`LongOperation` on an `ExportClient`, `AsyncLongOperation`, whose methods are awaited, on an
`AsyncExportClient`). `done()` is local: it says whether the last status seen was final. A resume token is
versioned JSON holding only the task id and type, the entry id and the repository id: never credentials.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, cast

import attrs

from ._errors import OptionIssue, OptionsError, TaskExpiredError
from ._flows import OperationRef, check_task_ids
from ._results import ExportResult, ProgressCallback
from ._tasks import TaskProgress, TaskType

if TYPE_CHECKING:
    from ._aio import AsyncExportClient  # noqa: F401 - named in the handles' base classes
    from ._client import ExportClient  # noqa: F401

__all__ = ["AsyncLongOperation", "LongOperation", "OperationBase"]

RESUME_TOKEN_VERSION = 1
_TOKEN_KIND = "lf-export/long-operation"  # noqa: S105 - a format name, not a secret

ClientT = TypeVar("ClientT")


class OperationBase(Generic[ClientT]):
    """What both handles share: identity, the last status seen, resume tokens."""

    def __init__(self, client: ClientT, ref: OperationRef, repository_id: str) -> None:
        self._client = client
        # The server's spelling (hyphenated lower case): results of waits and cancels are keyed by it.
        (task_id,) = check_task_ids([ref.task_id])
        self._ref = ref if task_id == ref.task_id else attrs.evolve(ref, task_id=task_id)
        self._repository_id = repository_id
        self._last: TaskProgress | None = None
        self._expired = False  # a wait on many found the server no longer knows the task

    @property
    def task_id(self) -> str:
        return self._ref.task_id

    @property
    def task_type(self) -> str:
        """A `TaskType` value ("ExportEntry", "CopyEntry", "DeleteEntry", ...) or a newer server's."""
        return self._ref.task_type

    @property
    def entry_id(self) -> int | None:
        """The entry the operation concerns: exported, deleted, or the copy's source."""
        return self._ref.entry_id

    @property
    def last_status(self) -> TaskProgress | None:
        """The last progress seen (by `status`, `wait` or a wait on many), without asking the server."""
        return self._last

    def done(self) -> bool:
        """Whether the last status seen was final (Completed, Failed, Cancelled), or the server was found to
        no longer know the task (then `result()` raises `TaskExpiredError`). Asks nothing."""
        return self._expired or (self._last is not None and self._last.is_final)

    def _seen(self, progress: TaskProgress | None) -> None:
        """Record a status; None means a wait on many found the task gone (expired, or never this token's)."""
        if progress is None:
            self._expired = True
        else:
            self._last = progress

    def _check_known(self) -> None:
        if self._expired:
            raise TaskExpiredError(self.task_id)

    def resume_token(self) -> str:
        """Versioned JSON that rebuilds this handle in another process (`from_resume_token`)."""
        body = {
            "kind": _TOKEN_KIND,
            "version": RESUME_TOKEN_VERSION,
            "task_id": self.task_id,
            "task_type": self.task_type,
            "entry_id": self.entry_id,
            "repository_id": self._repository_id,
        }
        return json.dumps(body, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_resume_token(cls, client: ClientT, token: str) -> Self:
        """A handle, on `client`, for the operation a `resume_token` describes. Raises `OptionsError` for a
        token of another version, kind or repository."""
        ref, repository_id = _read_token(token)
        expected = getattr(getattr(client, "_config", None), "repository_id", repository_id)
        if repository_id != expected:
            rule = f"belongs to repository {repository_id!r}, not this client's {expected!r}"
            raise OptionsError([OptionIssue("resume_token", "…", rule)])
        return cls(client, ref, repository_id)

    def _require_export(self) -> None:
        if self.task_type != TaskType.EXPORT_ENTRY:
            rule = f"download is for export tasks; this one is a {self.task_type}"
            raise OptionsError([OptionIssue("task_type", self.task_type, rule)])

    def __repr__(self) -> str:
        status = "unknown" if self._last is None else str(self._last.status)
        name = type(self).__name__
        return f"{name}(task_id={self.task_id!r}, task_type={self.task_type!r}, status={status!r})"


def _read_token(token: str) -> tuple[OperationRef, str]:
    try:
        data = json.loads(token)
    except (TypeError, ValueError):
        data = None
    if not isinstance(data, dict) or data.get("kind") != _TOKEN_KIND:
        raise OptionsError([OptionIssue("resume_token", "…", "is not an lf-export long-operation token")])
    if data.get("version") != RESUME_TOKEN_VERSION:
        rule = f"has version {data.get('version')!r}; this lf-export reads version {RESUME_TOKEN_VERSION}"
        raise OptionsError([OptionIssue("resume_token", "…", rule)])
    task_id, task_type = data.get("task_id"), data.get("task_type")
    entry_id, repository_id = data.get("entry_id"), data.get("repository_id")
    fields_ok = isinstance(task_id, str) and isinstance(task_type, str) and isinstance(repository_id, str)
    if not fields_ok or not (
        entry_id is None or (isinstance(entry_id, int) and not isinstance(entry_id, bool))
    ):
        raise OptionsError(
            [OptionIssue("resume_token", "…", "is damaged: a field is missing or of the wrong type")]
        )
    try:
        (canonical,) = check_task_ids([cast(str, task_id)])
    except OptionsError:
        raise OptionsError(
            [OptionIssue("resume_token", "…", "is damaged: its task id is not a GUID")]
        ) from None
    return OperationRef(canonical, cast(str, task_type), entry_id), cast(str, repository_id)


class LongOperation(OperationBase["ExportClient"]):
    """A long operation running on the server, on an `ExportClient` (see the module docstring)."""

    def status(self) -> TaskProgress:
        """One ListTasks: the current progress (`TaskExpiredError` once the server no longer knows it)."""
        client = self._client
        progress = cast(TaskProgress, client._run(client._plans.status(self._ref)))
        self._seen(progress)
        return progress

    def wait(
        self, *, deadline: float | None = None, on_progress: ProgressCallback | None = None
    ) -> TaskProgress:
        """Poll until the task ended; its final progress. Raises its error (failed, cancelled, expired),
        `ExportTimeoutError` at the deadline (the task keeps running: a handle never cancels by itself)."""
        final = self._client.wait(self, deadline=deadline, on_progress=on_progress)
        self._seen(final[self.task_id])
        return final[self.task_id]

    def result(self, *, deadline: float | None = None) -> Any:
        """Wait, then the result by task type: an export's download link, a copy's new `EntryInfo`, None for a
        delete, the final `TaskProgress` for other types."""
        self._check_known()
        client = self._client
        return client._run(client._plans.result(self._ref, self._last, deadline))

    def cancel(self) -> bool:
        """Start cancelling (poll to see Cancelled); whether the server accepted. A copy or delete cancelled
        midway can leave partial results."""
        return bool(self._client.cancel(self).get(self.task_id, False))

    def download(
        self,
        dest: Path | str = ".",
        *,
        overwrite: bool = False,
        extract: bool = False,
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> ExportResult:
        """An export task's file, downloaded into `dest` once the task completed."""
        self._require_export()
        return self._client.resume(
            self.task_id,
            dest,
            overwrite=overwrite,
            extract=extract,
            deadline=deadline,
            on_progress=on_progress,
        )


class AsyncLongOperation(OperationBase["AsyncExportClient"]):
    """A long operation on an `AsyncExportClient`: the methods of `LongOperation`, awaited."""

    async def status(self) -> TaskProgress:
        """One ListTasks: the current progress (`TaskExpiredError` once the server no longer knows it)."""
        client = self._client
        progress = cast(TaskProgress, await client._run(client._plans.status(self._ref)))
        self._seen(progress)
        return progress

    async def wait(
        self, *, deadline: float | None = None, on_progress: ProgressCallback | None = None
    ) -> TaskProgress:
        """See `LongOperation.wait`."""
        final = await self._client.wait(self, deadline=deadline, on_progress=on_progress)
        self._seen(final[self.task_id])
        return final[self.task_id]

    async def result(self, *, deadline: float | None = None) -> Any:
        """See `LongOperation.result`."""
        self._check_known()
        client = self._client
        return await client._run(client._plans.result(self._ref, self._last, deadline))

    async def cancel(self) -> bool:
        """See `LongOperation.cancel`."""
        return bool((await self._client.cancel(self)).get(self.task_id, False))

    async def download(
        self,
        dest: Path | str = ".",
        *,
        overwrite: bool = False,
        extract: bool = False,
        deadline: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> ExportResult:
        """See `LongOperation.download`."""
        self._require_export()
        return await self._client.resume(
            self.task_id,
            dest,
            overwrite=overwrite,
            extract=extract,
            deadline=deadline,
            on_progress=on_progress,
        )
