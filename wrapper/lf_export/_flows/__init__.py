"""What lf-export *does*, written once, with no I/O (sans-I/O, as h11 does it).

Each flow is a generator that yields commands (`commands`: send an API call, sleep, download, make a folder,
hold/release task ids, report progress) and receives their results; `ExportClient` (`_client.py`) and
`AsyncExportClient` (`_aio.py`) are short loops that carry the commands out. So submit / poll / cancel /
download / batch logic, the poll schedule and every error decision exist exactly once, and
`tests/wrapper/test_flows.py` drives them with scripted answers: no sockets, no sleeps.

* `calls`    one `Send` per API operation, with the parser of its answer; audit-reason paging
* `polling`  ListTasks rounds and their schedule (`Poller`), waiting on tasks, the abort rule
* `export`   one export (mode choice, sync → async fallback, download), resuming a task
* `many`     many exports as tasks, N at a time
* `operations` every long operation behind one handle: copy, delete, status, result by type, wait many
"""

from .calls import audit_reasons_flow, cancel_tasks, check_task_ids, get_entry, list_tasks, start_export_entry
from .commands import (
    Abandoned,
    Command,
    Deliver,
    Download,
    EnsureFolder,
    Fetch,
    Flow,
    FlowContext,
    Hold,
    Progress,
    Release,
    Send,
    Sleep,
    is_interrupt,
)
from .export import Destination, ExportRequest, export_flow, resume_flow
from .many import ManyRequest, export_many_flow
from .operations import (
    OperationRef,
    operation_result,
    result_flow,
    run_flow,
    start_copy_flow,
    start_delete_flow,
    status_flow,
    wait_each_flow,
)
from .polling import wait_flow

__all__ = [
    "Abandoned",
    "Command",
    "Deliver",
    "Destination",
    "Download",
    "EnsureFolder",
    "ExportRequest",
    "Fetch",
    "Flow",
    "FlowContext",
    "Hold",
    "ManyRequest",
    "OperationRef",
    "Progress",
    "Release",
    "Send",
    "Sleep",
    "audit_reasons_flow",
    "cancel_tasks",
    "check_task_ids",
    "export_flow",
    "export_many_flow",
    "get_entry",
    "is_interrupt",
    "list_tasks",
    "operation_result",
    "result_flow",
    "resume_flow",
    "run_flow",
    "start_copy_flow",
    "start_delete_flow",
    "start_export_entry",
    "status_flow",
    "wait_each_flow",
    "wait_flow",
]
