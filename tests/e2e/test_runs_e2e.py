"""Durable runs against the emulator: a run, its rerun (nothing to do), an incremental rerun (changed, new and
deleted entries), a resume that adopts a task started before a crash, files that are not trusted, journals
that belong to another run, and the async twin."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from lf_emulator.testing import EmulatorServer
from lf_export import AsyncExportClient, ExportClient, ExportOptions, OptionsError, PollPolicy
from lf_export._journal_model import request_key
from lf_export._runs import arun_export, read_run_status, resume_run, run_export

pytestmark = [pytest.mark.e2e, pytest.mark.emulator_config(synthetic_entries=30, task_seconds=0.05)]

FAST_POLL = PollPolicy(initial_wait=0.01, max_wait=0.05, quick_answer=0.5)
FIRST = 1_000_002  # the synthetic tree's first document (1_000_001 is its only folder at this size)


def client(emu: EmulatorServer, **kwargs: Any) -> ExportClient:
    return ExportClient(emu.base_url, emu.repository_id, token=emu.token, poll=FAST_POLL, **kwargs)


def documents(n: int) -> list[int]:
    return list(range(FIRST, FIRST + n))


def files(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".")
    }


def journal_rows(dest: Path) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(dest / ".lf-export" / "journal.sqlite")
    try:
        return db.execute("SELECT entry_id, state, path, attempts FROM jobs ORDER BY position").fetchall()
    finally:
        db.close()


def touch(emu: EmulatorServer, entry_id: int, **changes: Any) -> None:
    repo = emu.state.repository
    entry = repo.remove(entry_id)
    assert entry is not None
    repo.add(dataclasses.replace(entry, **changes))


def test_a_run_then_a_rerun_with_nothing_to_do(emulator: EmulatorServer, tmp_path: Path) -> None:
    with client(emulator) as lf:
        first = run_export(lf, documents(12), tmp_path, max_concurrent_tasks=4)
        assert (first.mode, first.exported, first.unchanged, first.ok) == ("new", 12, 0, True)
        on_disk = files(tmp_path)
        assert len(on_disk) == 12
        assert sum((tmp_path / name).stat().st_size for name in on_disk) == first.bytes_exported
        starts = emulator.counters()["requests"]["StartExportEntry"]
        again = run_export(lf, documents(12), tmp_path, max_concurrent_tasks=4)
    assert (again.mode, again.exported, again.unchanged) == ("rerun", 0, 12)
    assert emulator.counters()["requests"]["StartExportEntry"] == starts
    assert files(tmp_path) == on_disk
    assert {state for _, state, _, _ in journal_rows(tmp_path)} == {"downloaded"}
    status = read_run_status(tmp_path / ".lf-export" / "journal.sqlite")
    assert status.counts["downloaded"] == 12
    assert status.bytes_downloaded == first.bytes_exported
    assert status.tasks_started == 12


def test_an_incremental_rerun_exports_changed_and_new_entries_and_reports_deleted_ones(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    with client(emulator) as lf:
        run_export(lf, documents(6), tmp_path, max_concurrent_tasks=4)
        before = files(tmp_path)
        changed, deleted = FIRST + 1, FIRST + 2
        entry = emulator.state.repository.get(changed)
        assert entry is not None
        touch(emulator, changed, last_modified_time=entry.last_modified_time + timedelta(days=1))
        emulator.state.repository.remove(deleted)
        rerun = run_export(lf, documents(8), tmp_path, max_concurrent_tasks=4)
        assert (rerun.exported, rerun.unchanged, rerun.deleted) == (3, 4, (deleted,))  # 1 changed + 2 new
        after = files(tmp_path)
        assert len(after) == 8  # the changed one replaced in place, the deleted one's file kept
        assert set(before) <= set(after)
        full = run_export(lf, documents(8), tmp_path, max_concurrent_tasks=4, full=True)
    assert (full.exported, full.deleted, full.failed) == (7, (deleted,), ())
    assert len(files(tmp_path)) == 8


def test_a_resume_adopts_a_task_started_before_the_crash(emulator: EmulatorServer, tmp_path: Path) -> None:
    with client(emulator) as lf:
        first = run_export(lf, documents(3), tmp_path)
        assert first.exported == 3
        # Simulate a crash just after the server answered a start: the journal says started, with its task.
        started = lf.start_export(FIRST + 3, ExportOptions.tiff())
        task = started if isinstance(started, str) else started.task_id  # a str, or the new operation handle
        db = sqlite3.connect(tmp_path / ".lf-export" / "journal.sqlite")
        request = request_key(ExportOptions.tiff())
        db.execute(
            "INSERT INTO jobs (entry_id, request, part, state, task_id, started_at, attempts) "
            "VALUES (?, ?, 'Image', 'started', ?, ?, 1)",
            (FIRST + 3, request, task, datetime.now(UTC).isoformat()),
        )
        db.commit()
        db.close()
        starts = emulator.counters()["requests"]["StartExportEntry"]
        resumed = resume_run(lf, tmp_path / ".lf-export" / "journal.sqlite")
    assert (resumed.mode, resumed.exported, resumed.adopted, resumed.unchanged) == ("resume", 1, 1, 3)
    assert emulator.counters()["requests"]["StartExportEntry"] == starts  # waited on, not started again
    assert len(files(tmp_path)) == 4


def test_a_file_not_recorded_as_complete_is_never_trusted(emulator: EmulatorServer, tmp_path: Path) -> None:
    with client(emulator) as lf:
        run_export(lf, documents(2), tmp_path)
        name = next(iter(files(tmp_path)))
        good = (tmp_path / name).read_bytes()
        (tmp_path / name).write_bytes(b"tampered")  # the recorded sha256 no longer matches
        (tmp_path / "mine.txt").write_text("a user's own file")
        again = run_export(lf, documents(2), tmp_path)
    assert (again.exported, again.unchanged) == (1, 1)
    assert (tmp_path / name).read_bytes() == good  # replaced under its own name
    assert (tmp_path / "mine.txt").read_text() == "a user's own file"


def test_a_foreign_file_under_the_same_name_is_kept(emulator: EmulatorServer, tmp_path: Path) -> None:
    with client(emulator) as lf:
        reference = tmp_path / "reference"
        run_export(lf, documents(1), reference)
        [name] = files(reference)
        dest = tmp_path / "dest"
        dest.mkdir()
        (dest / name).write_bytes(b"someone else's")
        run_export(lf, documents(1), dest)
    stem, _, ext = name.rpartition(".")
    assert (dest / name).read_bytes() == b"someone else's"
    assert (dest / f"{stem} (2).{ext}").read_bytes() == (reference / name).read_bytes()


def test_a_journal_of_another_run_is_refused_unless_overridden(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    with client(emulator) as lf:
        run_export(lf, documents(2), tmp_path)
        with pytest.raises(OptionsError, match=r"other export options.*override"):
            run_export(lf, [(e, ExportOptions.pdf()) for e in documents(2)], tmp_path)
        taken = run_export(lf, [(e, ExportOptions.pdf()) for e in documents(2)], tmp_path, override=True)
        assert taken.exported == 2
    other = ExportClient(emulator.base_url, "r-other", token=emulator.token, poll=FAST_POLL)
    with other, pytest.raises(OptionsError, match="written for repository r-emulator"):
        run_export(other, [(e, ExportOptions.pdf()) for e in documents(2)], tmp_path)


def test_the_async_run_shares_the_journal_rules(emulator: EmulatorServer, tmp_path: Path) -> None:
    async def main() -> tuple[Any, Any]:
        opts: dict[str, Any] = {"token": emulator.token, "poll": FAST_POLL}
        async with AsyncExportClient(emulator.base_url, emulator.repository_id, **opts) as lf:
            first = await arun_export(lf, documents(8), tmp_path, max_concurrent_tasks=4)
            again = await arun_export(lf, documents(8), tmp_path, max_concurrent_tasks=4)
            return first, again

    first, again = asyncio.run(main())
    assert (first.exported, again.exported, again.unchanged) == (8, 0, 8)
    with client(emulator) as lf:  # and the sync one reads what the async one wrote
        assert run_export(lf, documents(8), tmp_path).unchanged == 8


def test_a_rerun_cut_short_still_checks_for_changes_when_continued(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    with client(emulator) as lf:
        run_export(lf, documents(10), tmp_path, max_concurrent_tasks=4)
        last = FIRST + 9
        entry = emulator.state.repository.get(last)
        assert entry is not None
        touch(emulator, last, last_modified_time=entry.last_modified_time + timedelta(days=1))
        touch(emulator, FIRST, last_modified_time=entry.last_modified_time + timedelta(days=1))
        cut = run_export(lf, documents(10), tmp_path, max_concurrent_tasks=4, deadline=0.0)
        assert cut.exported == 0
        assert cut.unfinished == 1  # the first changed one, pending again; the rest not reached
        went_on = run_export(lf, documents(10), tmp_path, max_concurrent_tasks=4)
    assert (went_on.mode, went_on.exported) == ("rerun", 2)  # the last one's change is still found
