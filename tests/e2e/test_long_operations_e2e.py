"""Every long operation the guides describe, through the task handle, against the emulator over real HTTP:
the Long Operations guide's worked example (a folder copy), delete, many tasks of mixed types waited on with
one ListTasks per round, cancel midway, expiry, and a resume token finished by another process."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from lf_emulator.testing import EmulatorServer
from lf_export import (
    AsyncExportClient,
    EntryInfo,
    ExportClient,
    LongOperation,
    OptionsError,
    PollPolicy,
    TaskCancelledError,
    TaskExpiredError,
    TaskFailedError,
    TaskStatus,
    TaskType,
)

pytestmark = pytest.mark.e2e

FAST_POLL = PollPolicy(initial_wait=0.01, max_wait=0.05, quick_answer=0.5)


def client(emu: EmulatorServer, **kwargs: Any) -> ExportClient:
    return ExportClient(emu.base_url, emu.repository_id, token=emu.token, poll=FAST_POLL, **kwargs)


def test_the_guides_worked_example_copies_a_folder(emulator: EmulatorServer) -> None:
    docs = emulator.documents
    before = emulator.tree()
    with client(emulator) as lf:
        op = lf.start_copy(docs["guide_folder"], docs["destination_folder"], "CopiedEntry", auto_rename=True)
        assert op.task_type == TaskType.COPY_ENTRY
        assert not op.done()
        copied = op.result()
        assert op.done() is False or op.last_status is not None
    assert isinstance(copied, EntryInfo)
    assert (copied.name, copied.entry_type, copied.parent_id) == (
        "CopiedEntry",
        "Folder",
        docs["destination_folder"],
    )
    after = emulator.tree()
    new_paths = sorted(path for path, *_ in after if path not in {p for p, *_ in before})
    assert new_paths == [
        "\\destination\\CopiedEntry",
        "\\destination\\CopiedEntry\\Nested",
        "\\destination\\CopiedEntry\\Nested\\Nested Page",
        "\\destination\\CopiedEntry\\Sample Page",
    ]
    # The new entry was read from result.uri, on the API's origin: one GET of it, no GetEntry by id needed.
    assert emulator.counters()["requests"].get("GetEntry", 0) >= 1


def test_copy_then_delete_of_the_copy_leaves_the_tree_as_it_was(emulator: EmulatorServer) -> None:
    docs = emulator.documents
    before = emulator.tree()
    with client(emulator) as lf:
        copied = lf.copy(docs["projects_folder"], docs["destination_folder"])  # named like the source
        assert copied.name == "Projects"
        again = lf.copy(docs["projects_folder"], docs["destination_folder"], auto_rename=True)
        assert again.name == "Projects (2)"
        assert lf.delete(copied.entry_id) is None
        lf.delete(again.entry_id)
    assert emulator.tree() == before


def test_async_copy_and_delete(emulator: EmulatorServer) -> None:
    docs = emulator.documents
    before = emulator.tree()

    async def main() -> tuple[EntryInfo, str]:
        async with AsyncExportClient(
            emulator.base_url, emulator.repository_id, token=emulator.token, poll=FAST_POLL
        ) as lf:
            op = await lf.start_copy(docs["guide_folder"], docs["destination_folder"], "Async copy")
            copied = await op.result()
            delete = await lf.start_delete(copied.entry_id)
            final = await delete.wait()
            assert await delete.result() is None
            return copied, str(final.status)

    copied, status = asyncio.run(main())
    assert copied.name == "Async copy"
    assert status == TaskStatus.COMPLETED
    assert emulator.tree() == before


def test_mixed_task_types_are_waited_on_with_one_list_tasks_per_round(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    docs = emulator.documents
    with client(emulator) as lf:
        scratch = lf.copy(docs["guide_folder"], docs["destination_folder"], "To delete")
        emulator.reset()  # count from here
        ops = [
            lf.start_copy(docs["projects_folder"], docs["destination_folder"], "Mixed copy"),
            lf.start_delete(scratch.entry_id),
            lf.start_export(docs["three_pages"]),
        ]
        finished = list(lf.as_completed(ops))
        assert {op.task_type for op in finished} == {"CopyEntry", "DeleteEntry", "ExportEntry"}
        assert all(op.done() for op in ops)
        rounds = emulator.counters()["requests"]["ListTasks"]
        assert isinstance(ops[0].result(), EntryInfo)
        assert ops[1].result() is None
        exported = ops[2].download(tmp_path)
    assert exported.path.exists()
    # Every round asked about every task still running: never one request per task per round.
    assert rounds <= 3 + 10


@pytest.mark.emulator_config(task_seconds=10.0)
def test_cancelling_a_copy_midway_leaves_a_partial_copy(emulator: EmulatorServer) -> None:
    docs = emulator.documents
    emulator_entries = len(emulator.tree())
    with client(emulator) as lf:
        op = lf.start_copy(docs["projects_folder"], docs["destination_folder"], "Half")
        emulator.advance_clock(6)  # about half of the copy is done
        assert op.cancel() is True
        with pytest.raises(TaskCancelledError) as caught:
            op.wait()
    assert "partial" in str(caught.value)
    partial = [path for path, *_ in emulator.tree() if path.startswith("\\destination\\Half")]
    assert partial  # what was copied before the cancel stays: the docs show how to find it
    assert len(emulator.tree()) < emulator_entries + 12


@pytest.mark.emulator_config(require_audit_reason=True)
def test_a_delete_needing_an_audit_reason_says_which(emulator: EmulatorServer) -> None:
    docs = emulator.documents
    with client(emulator) as lf:
        with pytest.raises(TaskFailedError) as caught:
            lf.delete(docs["empty_folder"])
        assert "DeleteEntry" in str(caught.value)
        reason = lf.audit_reasons("DeleteEntry")[0]
        lf.delete(docs["empty_folder"], audit_reason_id=reason.reason_id, audit_reason_comment="e2e")
    assert emulator.entry_id("\\Projects\\Archive") is None


def test_an_expired_handle_says_so(emulator: EmulatorServer) -> None:
    with client(emulator) as lf:
        op = lf.start_delete(emulator.documents["empty_folder"])
        op.wait()
        emulator.advance_clock(15 * 60 + 1)
        with pytest.raises(TaskExpiredError):
            op.status()
        with pytest.raises(TaskExpiredError):
            lf.operation(op.task_id)


def test_a_resume_token_finishes_the_wait_in_another_process(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    docs = emulator.documents
    with client(emulator) as lf:
        token = lf.start_copy(docs["guide_folder"], docs["destination_folder"], "From token").resume_token()
    assert json.loads(token)["version"] == 1
    assert emulator.token not in token
    script = textwrap.dedent(
        f"""
        from lf_export import ExportClient, LongOperation, PollPolicy
        with ExportClient({emulator.base_url!r}, {emulator.repository_id!r}, token={emulator.token!r}) as lf:
            op = LongOperation.from_resume_token(lf, {token!r})
            print(op.result().name)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "From token"


def test_resume_tokens_are_checked(emulator: EmulatorServer) -> None:
    with client(emulator) as lf:
        op = lf.start_delete(emulator.documents["empty_folder"])
        token = json.loads(op.resume_token())
        for broken in (
            "not json",
            json.dumps({**token, "version": 2}),
            json.dumps({**token, "repository_id": "r-x"}),
        ):
            with pytest.raises(OptionsError):
                LongOperation.from_resume_token(lf, broken)
        op.wait()


def test_a_handle_from_a_token_in_another_spelling_waits_and_cancels(emulator: EmulatorServer) -> None:
    with client(emulator) as lf:
        op = lf.start_copy(
            emulator.documents["projects_folder"], emulator.documents["destination_folder"], "Spelt"
        )
        token = json.loads(op.resume_token())
        shouted = LongOperation.from_resume_token(
            lf, json.dumps({**token, "task_id": token["task_id"].upper()})
        )
        assert shouted.task_id == op.task_id
        assert shouted.cancel() is True
        with pytest.raises(TaskCancelledError):
            shouted.wait()
        with pytest.raises(OptionsError, match="not a GUID"):
            LongOperation.from_resume_token(lf, json.dumps({**token, "task_id": "not-a-guid"}))


def test_waiting_on_many_marks_a_forgotten_task_done_and_expired(emulator: EmulatorServer) -> None:
    with client(emulator) as lf:
        gone = lf.start_delete(emulator.documents["empty_folder"])
        gone.wait()
        emulator.advance_clock(15 * 60 + 1)  # the server forgets it
        fresh = lf.start_export(emulator.documents["one_page"])
        finished = lf.wait_all([gone, fresh])
        assert all(op.done() for op in finished)
        with pytest.raises(TaskExpiredError):
            gone.result()
        assert fresh.result().startswith("http")
