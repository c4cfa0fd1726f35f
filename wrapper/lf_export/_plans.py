"""The plan behind each public call: its arguments checked (one `OptionsError` for everything wrong, before
anything is sent), its flow built, its deadline set. `ExportClient` and `AsyncExportClient` only run plans."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

from ._config import (
    ClientConfig,
    check_copy_args,
    check_delete_args,
    check_export_args,
    coerce_jobs,
    make_deadline,
)
from ._flows import (
    Destination,
    ExportRequest,
    Flow,
    FlowContext,
    ManyRequest,
    OperationRef,
    Send,
    audit_reasons_flow,
    cancel_tasks,
    export_flow,
    export_many_flow,
    get_entry,
    list_tasks,
    operation_result,
    result_flow,
    resume_flow,
    run_flow,
    start_copy_flow,
    start_delete_flow,
    start_export_entry,
    status_flow,
    wait_each_flow,
    wait_flow,
)
from ._modes import Mode
from ._options import ExportOptions
from ._policy import Deadline
from ._results import ExportJob, ProgressCallback
from ._tasks import TaskProgress

__all__ = ["HasTaskId", "Plan", "Planner", "TaskRefs"]


class HasTaskId(Protocol):
    """A task id's holder (an operation handle)."""

    @property
    def task_id(self) -> str: ...


TaskRefs = Sequence[str | HasTaskId] | str | HasTaskId


@attrs.frozen
class Plan:
    """A public call, ready to run: its flow, its deadline, the caller's progress callback."""

    flow: Flow[Any]
    deadline: Deadline | None = None
    on_progress: ProgressCallback | None = None


def _single(send: Send) -> Flow[Any]:
    return (yield send)


def _ids(ids: Any) -> list[str]:
    """Task ids from ids or operation handles (one, or several)."""
    items = ids if isinstance(ids, Sequence) and not isinstance(ids, str) else [ids]
    return [str(getattr(item, "task_id", item)) for item in items]


class Planner:
    """Builds the plan of each public method from a client's settings."""

    def __init__(self, config: ClientConfig, context: FlowContext) -> None:
        self._config = config
        self._context = context

    def deadline(self, seconds: float | None) -> Deadline | None:
        return make_deadline(seconds, self._config.clock)

    def entry(self, entry_id: int) -> Plan:
        check_export_args(entry_id)
        return Plan(_single(get_entry(entry_id)))

    def export(
        self,
        entry_id: int,
        options: ExportOptions | None,
        dest: Path | str,
        *,
        mode: Mode,
        deadline: float | None,
        on_progress: ProgressCallback | None,
        overwrite: bool,
        extract: bool,
        rename: bool = False,
    ) -> Plan:
        check_export_args(entry_id, options, mode)
        request = ExportRequest(
            entry_id=entry_id,
            options=options or self._config.default_options,
            mode=mode,
            dest=Destination(path=Path(dest), overwrite=overwrite, extract=extract, rename=rename),
        )
        limit = self.deadline(deadline)
        return Plan(export_flow(self._context, request, limit), limit, on_progress)

    def start_export(self, entry_id: int, options: ExportOptions | None) -> Plan:
        check_export_args(entry_id, options)
        return Plan(_single(start_export_entry(entry_id, options or self._config.default_options)))

    def tasks(self, ids: TaskRefs) -> Plan:
        return Plan(_single(list_tasks(_ids(ids))))

    def cancel(self, ids: TaskRefs) -> Plan:
        return Plan(_single(cancel_tasks(_ids(ids))))

    def wait(self, ids: TaskRefs, deadline: float | None, on_progress: ProgressCallback | None) -> Plan:
        limit = self.deadline(deadline)
        return Plan(wait_flow(self._context, _ids(ids), limit), limit, on_progress)

    def audit_reasons(self, event_type: str | None) -> Plan:
        return Plan(audit_reasons_flow(event_type))

    def resume(
        self,
        task_id: str | HasTaskId,
        dest: Path | str,
        *,
        deadline: float | None,
        on_progress: ProgressCallback | None,
        overwrite: bool,
        extract: bool,
        rename: bool = False,
    ) -> Plan:
        limit = self.deadline(deadline)
        target = Destination(path=Path(dest), overwrite=overwrite, extract=extract, rename=rename)
        (task,) = _ids(task_id)
        return Plan(resume_flow(self._context, task, target, limit), limit, on_progress)

    def many(
        self,
        jobs: Iterable[ExportJob | int | tuple[int, ExportOptions]],
        dest_dir: Path | str,
        *,
        max_concurrent_tasks: int,
        deadline: float | None,
        on_progress: ProgressCallback | None,
        overwrite: bool,
        extract: bool,
        unique_names: bool,
    ) -> Plan:
        limit = self.deadline(deadline)
        request = ManyRequest(
            jobs=coerce_jobs(jobs),
            dest=Destination(path=Path(dest_dir), overwrite=overwrite, extract=extract, rename=unique_names),
            max_concurrent_tasks=max_concurrent_tasks,
        )
        return Plan(export_many_flow(self._context, request, limit), limit, on_progress)

    # ------------------------------------------------------------------------------------ long operations

    def status(self, ref: OperationRef) -> Plan:
        return Plan(status_flow(ref.task_id))

    def result(self, ref: OperationRef, final: TaskProgress | None, deadline: float | None) -> Plan:
        """The result of an operation: at once when its final progress is known, else after waiting."""
        if final is not None and final.is_final:
            return Plan(operation_result(self._context, final))
        limit = self.deadline(deadline)
        return Plan(result_flow(self._context, ref, limit), limit)

    def start_copy(self, source_id: int, to_folder_id: int, name: str | None, auto_rename: bool) -> Plan:
        check_copy_args(source_id, to_folder_id, name, auto_rename)
        return Plan(start_copy_flow(source_id, to_folder_id, name, auto_rename))

    def copy(
        self,
        source_id: int,
        to_folder_id: int,
        name: str | None,
        auto_rename: bool,
        deadline: float | None,
        on_progress: ProgressCallback | None,
    ) -> Plan:
        check_copy_args(source_id, to_folder_id, name, auto_rename)
        limit = self.deadline(deadline)
        start = start_copy_flow(source_id, to_folder_id, name, auto_rename)
        return Plan(run_flow(self._context, start, limit), limit, on_progress)

    def start_delete(self, entry_id: int, audit_reason_id: int | None, comment: str | None) -> Plan:
        check_delete_args(entry_id, audit_reason_id, comment)
        return Plan(start_delete_flow(entry_id, audit_reason_id, comment))

    def delete(
        self,
        entry_id: int,
        audit_reason_id: int | None,
        comment: str | None,
        deadline: float | None,
        on_progress: ProgressCallback | None,
    ) -> Plan:
        check_delete_args(entry_id, audit_reason_id, comment)
        limit = self.deadline(deadline)
        start = start_delete_flow(entry_id, audit_reason_id, comment)
        return Plan(run_flow(self._context, start, limit), limit, on_progress)

    def wait_each(self, refs: Sequence[OperationRef], deadline: float | None) -> Plan:
        limit = self.deadline(deadline)
        return Plan(wait_each_flow(self._context, refs, limit), limit)
