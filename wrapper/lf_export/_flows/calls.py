"""One `Send` per API operation the flows use, each with the parser of its answer; and audit-reason paging.

Each parser imports its generated model where it is used: the models load with the first answer, not with
`import lf_export`."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lf_repository_v2.types import UNSET, Response, Unset

from .._errors import OptionIssue, OptionsError, ServerError
from .._options import ExportOptions
from .._results import AuditReason, EntryInfo
from .._tasks import TaskProgress, wire_value
from .commands import Flow, Send, expect

__all__ = [
    "audit_reasons_flow",
    "cancel_tasks",
    "check_task_ids",
    "entry_from_json",
    "export_entry",
    "get_entry",
    "list_tasks",
    "start_copy_entry",
    "start_delete_entry",
    "start_export_entry",
]

log = logging.getLogger("lf_export.export")


#: A server whose `@odata.nextLink` never ends cannot make us page forever.
MAX_AUDIT_REASONS = 100_000


def check_task_ids(ids: Iterable[str] | str) -> tuple[str, ...]:
    """Task ids as the wire needs them: at least one (an empty list means *all tasks of the token* on the
    server), each a GUID in the server's hyphenated lower-case spelling, duplicates dropped. Raises
    `OptionsError` naming each bad id."""
    unique = tuple(dict.fromkeys(str(i).strip() for i in ([ids] if isinstance(ids, str) else ids)))
    if not unique:
        rule = "must name at least one task (an empty list would act on every task of the access token)"
        raise OptionsError([OptionIssue("taskIds", [], rule)])
    issues = []
    canonical: list[str] = []
    for index, task_id in enumerate(unique):
        try:
            # {braces}, urn:uuid: or 32 hex digits would otherwise never match the answer and look expired.
            canonical.append(str(uuid.UUID(task_id)))
        except ValueError:
            issues.append(OptionIssue(f"taskIds[{index}]", task_id, "must be a task id (a GUID)"))
    if issues:
        raise OptionsError(issues)
    return tuple(dict.fromkeys(canonical))


def _opt(value: Any) -> Any:
    return None if isinstance(value, Unset) else value


def entry_info(entry: Any) -> EntryInfo:
    """An `EntryInfo` from a generated Folder / RecordSeries / Document / Shortcut model."""
    modified = _opt(getattr(entry, "last_modified_time", UNSET))
    return EntryInfo(
        entry_id=entry.id,
        name=entry.name,
        entry_type=wire_value(entry.entry_type),
        page_count=_opt(getattr(entry, "page_count", UNSET)),
        electronic_size=_opt(getattr(entry, "electronic_document_size", UNSET)),
        extension=_opt(getattr(entry, "extension", UNSET)),
        mime_type=_opt(getattr(entry, "mime_type", UNSET)),
        parent_id=_opt(getattr(entry, "parent_id", UNSET)),
        full_path=_opt(getattr(entry, "full_path", UNSET)),
        last_modified=modified if isinstance(modified, datetime) else None,
    )


def parse_entry(response: Response[Any]) -> EntryInfo:
    """GetEntry's answer: one member of the Entry union (the size, pages and media type are Document's)."""
    from lf_repository_v2.models import Document, Folder, RecordSeries, Shortcut

    entry = response.parsed
    if not isinstance(entry, Document | Folder | RecordSeries | Shortcut):
        entry = expect(Document)(response)
    return entry_info(entry)


def entry_from_json(data: object) -> EntryInfo:
    """An entry read from JSON that is not a generated operation's answer (a copy task's `result.uri`)."""
    from lf_repository_v2.models import Document, Folder, RecordSeries, Shortcut

    kinds: dict[str, Any] = {"Folder": Folder, "RecordSeries": RecordSeries, "Document": Document}
    kinds["Shortcut"] = Shortcut
    kind = kinds.get(str(data.get("entryType"))) if isinstance(data, dict) else None
    if kind is None:
        raise ServerError("the new entry's answer was not an Entry", status=200)
    try:
        return entry_info(kind.from_dict(data))
    except (KeyError, TypeError, ValueError) as exc:
        raise ServerError(
            f"the new entry's answer could not be read ({type(exc).__name__})", status=200
        ) from exc


def get_entry(entry_id: int) -> Send:
    return Send("entries.get_entry", {"entry_id": entry_id}, parse_entry)


def _export_kwargs(entry_id: int, options: ExportOptions) -> dict[str, Any]:
    return {
        "entry_id": entry_id,
        "body": options.to_generated(),
        "page_range": options.query_page_range() or UNSET,
    }


def export_entry(entry_id: int, options: ExportOptions) -> Send:
    """The simple Export: the answer is a download link."""

    def parse(response: Response[Any]) -> str:
        from lf_repository_v2.models import ExportEntryResponse

        return expect(ExportEntryResponse)(response).value

    return Send("entries.export_entry", _export_kwargs(entry_id, options), parse)


def _task_id(response: Response[Any]) -> str:
    from lf_repository_v2.models import StartTaskResponse

    return str(expect(StartTaskResponse)(response).task_id)


def start_copy_entry(source_id: int, folder_id: int, name: str, auto_rename: bool) -> Send:
    """CopyAsync into `folder_id`: the answer is a task id."""
    from lf_repository_v2.models import StartCopyEntryRequest

    body = StartCopyEntryRequest(source_id=source_id, name=name, auto_rename=auto_rename)
    return Send("entries.start_copy_entry", {"entry_id": folder_id, "body": body}, _task_id)


def start_delete_entry(entry_id: int, audit_reason_id: int | None, comment: str | None) -> Send:
    """DELETE of an entry (a folder with everything under it): the answer is a task id."""
    from lf_repository_v2.models import StartDeleteEntryRequest

    kwargs: dict[str, Any] = {"entry_id": entry_id}
    if audit_reason_id is not None or comment is not None:
        kwargs["body"] = StartDeleteEntryRequest(
            audit_reason_id=UNSET if audit_reason_id is None else audit_reason_id,
            audit_reason_comment=UNSET if comment is None else comment,
        )
    return Send("entries.start_delete_entry", kwargs, _task_id)


def start_export_entry(entry_id: int, options: ExportOptions) -> Send:
    """ExportAsync: the answer is a task id."""

    return Send("entries.start_export_entry", _export_kwargs(entry_id, options), _task_id)


def list_tasks(ids: Sequence[str]) -> Send:
    def parse(response: Response[Any]) -> list[TaskProgress]:
        from lf_repository_v2.models import TaskCollectionResponse

        return [TaskProgress.from_generated(t) for t in expect(TaskCollectionResponse)(response).value]

    return Send("tasks.list_tasks", {"task_ids": [uuid.UUID(i) for i in check_task_ids(ids)]}, parse)


def cancel_tasks(ids: Sequence[str], *, cleanup: bool = False) -> Send:
    """CancelTasks; the answer maps task id → whether the server accepted (cancelling only starts)."""

    def parse(response: Response[Any]) -> dict[str, bool]:
        from lf_repository_v2.models import CancelTasksResponse

        return {str(r.id): bool(r.result) for r in expect(CancelTasksResponse)(response).value}

    kwargs = {"task_ids": [uuid.UUID(i) for i in check_task_ids(ids)]}
    return Send("tasks.cancel_tasks", kwargs, parse, cleanup=cleanup)


def audit_reasons_flow(event_type: str | None = None, page_size: int = 100) -> Flow[list[AuditReason]]:
    """Every audit reason (of `event_type`, any case, when given), page by page with `$top`/`$skip`, while the
    server sends an `@odata.nextLink` that advances."""
    reasons: list[AuditReason] = []
    skip = 0
    from lf_repository_v2.models import AuditReasonCollectionResponse

    parse = expect(AuditReasonCollectionResponse)
    while True:
        page: AuditReasonCollectionResponse = yield Send(
            "audit_reasons.list_audit_reasons", {"top": page_size, "skip": skip}, parse
        )
        for item in page.value:
            event = _opt(item.audit_event_type)
            reasons.append(
                AuditReason(
                    reason_id=item.id,
                    name=item.name,
                    event_type=None if event is None else wire_value(event),
                )
            )
        next_link = _opt(page.odata_next_link)
        if not next_link or not page.value:
            break
        next_skip = _next_skip(next_link, skip + len(page.value))
        if next_skip <= skip or len(reasons) >= MAX_AUDIT_REASONS:
            log.warning(
                "audit reasons: the server's next page does not advance; stopping at %d", len(reasons)
            )
            break
        skip = next_skip
    wanted = None if event_type is None else event_type.lower()
    return [r for r in reasons if wanted is None or (r.event_type or "").lower() == wanted]


def _next_skip(next_link: str, fallback: int) -> int:
    """The `$skip` of an `@odata.nextLink` (it carries the paging state), else the count seen so far."""
    values = parse_qs(urlsplit(next_link).query).get("$skip")
    if values and values[0].isdigit():
        return int(values[0])
    return fallback
