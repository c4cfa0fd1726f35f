"""Live progress of a command run: one bar per running task and per download, on stderr."""

from __future__ import annotations

import threading

from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TransferSpeedColumn,
)
from rich.progress import Task as RichTask
from rich.text import Text

from lf_export import ProgressEvent, ProgressPhase

from ._output import Ui

__all__ = ["ProgressView"]


class _KindColumn(ProgressColumn):
    """Bytes and rate for a download bar; the server's status for a task bar."""

    def __init__(self) -> None:
        super().__init__()
        self._bytes = DownloadColumn()
        self._rate = TransferSpeedColumn()

    def render(self, task: RichTask) -> Text:
        if task.fields.get("kind") == "download":
            return Text.assemble(self._bytes.render(task), " ", self._rate.render(task))
        return Text(str(task.fields.get("status", "")), style="cyan")


class ProgressView:
    """Receives the client's `ProgressEvent`s and draws one bar per running task (server percent) and per
    download (bytes, rate) when `enabled`; otherwise does nothing. (Each entry's outcome line is printed by
    the command, `_rows.OutcomeStream`, as it ends.) Safe to call from any thread. (Which
    tasks a run started is the library's business: `ExportInterrupted` and `ExportTimeoutError` name them.)"""

    def __init__(self, ui: Ui, *, enabled: bool | None = None) -> None:
        self._ui = ui
        self.enabled = ui.show_progress if enabled is None else enabled
        self._lock = threading.Lock()
        self._task_bars: dict[str, TaskID] = {}
        self._download_bars: dict[tuple[int | None, str | None], TaskID] = {}
        self._progress: Progress | None = None
        if self.enabled:
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                _KindColumn(),
                console=ui.err,
                transient=True,
                refresh_per_second=10,
            )

    def __enter__(self) -> ProgressView:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def __call__(self, event: ProgressEvent) -> None:
        if self._progress is None:
            return
        with self._lock:
            self._draw(self._progress, event)

    @staticmethod
    def _label(entry_id: int | None, task_id: str | None) -> str:
        return f"entry {entry_id}" if entry_id is not None else f"task {(task_id or '')[:8]}"

    def _draw(self, progress: Progress, event: ProgressEvent) -> None:
        label = self._label(event.entry_id, event.task_id)
        task_id = event.task_id
        if event.phase in (ProgressPhase.SUBMITTED, ProgressPhase.TASK) and task_id:
            bar = self._task_bars.get(task_id)
            if bar is None:
                bar = progress.add_task(f"{escape(label)} task", total=100, kind="task", status="submitted")
                self._task_bars[task_id] = bar
            if event.phase is ProgressPhase.TASK:
                progress.update(bar, completed=event.percent or 0, status=str(event.status or ""))
        elif event.phase is ProgressPhase.DOWNLOAD:
            key = (event.entry_id, task_id)
            bar = self._download_bars.get(key)
            if bar is None:
                if task_id in self._task_bars:
                    progress.remove_task(self._task_bars.pop(task_id))
                bar = progress.add_task(f"{escape(label)} download", total=event.bytes_total, kind="download")
                self._download_bars[key] = bar
            progress.update(bar, completed=event.bytes_done or 0, total=event.bytes_total)
        elif event.phase in (ProgressPhase.DONE, ProgressPhase.FAILED):
            if task_id in self._task_bars:
                progress.remove_task(self._task_bars.pop(task_id))
            bar = self._download_bars.pop((event.entry_id, task_id), None)
            if bar is not None:
                progress.remove_task(bar)
