"""The long-operation methods of the clients (copy, delete, handles, waiting on many), as mixins:
`OperationMethods` for `ExportClient`, `AsyncOperationMethods` (awaited) for `AsyncExportClient`. They only
build plans (`_plans.Planner`) and run them through the client's driver."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from ._config import ClientConfig
from ._flows import OperationRef
from ._operations import AsyncLongOperation, LongOperation
from ._plans import Plan, Planner
from ._results import EntryInfo, ProgressCallback
from ._tasks import TaskProgress

if TYPE_CHECKING:
    from ._aio import AsyncExportClient
    from ._client import ExportClient

__all__ = ["AsyncOperationMethods", "OperationMethods"]


class OperationMethods:
    """Copy, delete and long-operation handles on `ExportClient`."""

    _config: ClientConfig
    _plans: Planner

    if TYPE_CHECKING:

        def _run(self, plan: Plan) -> Any: ...

        def _stream(self, plan: Plan) -> Iterator[Any]: ...

    def _handle(self, ref: OperationRef) -> LongOperation:
        return LongOperation(cast("ExportClient", self), ref, self._config.repository_id)

    def start_copy(
        self, source_id: int, to_folder_id: int, name: str | None = None, *, auto_rename: bool = False
    ) -> LongOperation:
        """CopyAsync: start copying `source_id` (a folder with everything under it) into `to_folder_id`,
        named `name` (default: the source's; `auto_rename` picks a free one, ``name (2)``, if it is taken)."""
        ref = cast(
            OperationRef, self._run(self._plans.start_copy(source_id, to_folder_id, name, auto_rename))
        )
        return self._handle(ref)

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


class AsyncOperationMethods:
    """Copy, delete and long-operation handles on `AsyncExportClient` (awaited)."""

    _config: ClientConfig
    _plans: Planner

    if TYPE_CHECKING:

        async def _run(self, plan: Plan) -> Any: ...

        def _stream(self, plan: Plan) -> AsyncIterator[Any]: ...

    def _handle(self, ref: OperationRef) -> AsyncLongOperation:
        return AsyncLongOperation(cast("AsyncExportClient", self), ref, self._config.repository_id)

    async def start_copy(
        self, source_id: int, to_folder_id: int, name: str | None = None, *, auto_rename: bool = False
    ) -> AsyncLongOperation:
        """CopyAsync: start copying `source_id` (a folder with everything under it) into `to_folder_id`,
        named `name` (default: the source's; `auto_rename` picks a free one, ``name (2)``, if it is taken)."""
        ref = cast(
            OperationRef, await self._run(self._plans.start_copy(source_id, to_folder_id, name, auto_rename))
        )
        return self._handle(ref)

    async def copy(
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
        return cast(EntryInfo, await self._run(plan))

    async def start_delete(
        self, entry_id: int, *, audit_reason_id: int | None = None, audit_reason_comment: str | None = None
    ) -> AsyncLongOperation:
        """Start deleting `entry_id` (a folder with everything under it). A repository may require a
        DeleteEntry audit reason (`audit_reasons("DeleteEntry")`)."""
        plan = self._plans.start_delete(entry_id, audit_reason_id, audit_reason_comment)
        return self._handle(cast(OperationRef, await self._run(plan)))

    async def delete(
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
        await self._run(plan)

    async def operation(self, task_id: str) -> AsyncLongOperation:
        """A handle for a task started elsewhere (one ListTasks learns its type)."""
        progress = cast(TaskProgress, await self._run(self._plans.status(OperationRef(task_id, ""))))
        ref = OperationRef(progress.task_id, progress.task_type or "", progress.entry_id)
        handle = self._handle(ref)
        handle._seen(progress)
        return handle

    async def wait_all(
        self, operations: Sequence[AsyncLongOperation], *, deadline: float | None = None
    ) -> list[AsyncLongOperation]:
        """Wait until every operation ended, with one ListTasks per round for all; the handles, each with its
        final status (`result()` then answers without waiting). Never cancels."""
        async for _ in self.as_completed(operations, deadline=deadline):
            pass
        return list(operations)

    async def as_completed(
        self, operations: Sequence[AsyncLongOperation], *, deadline: float | None = None
    ) -> AsyncIterator[AsyncLongOperation]:
        """Each handle as its operation ends (one ListTasks per round for all). Never cancels."""
        by_id = {op.task_id: op for op in operations}
        plan = self._plans.wait_each([op._ref for op in operations], deadline)
        async for ref, progress in self._stream(plan):
            handle = by_id[ref.task_id]
            handle._seen(progress)
            yield handle
