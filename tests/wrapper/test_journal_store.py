"""The SQLite journal: WAL, schema version, a damaged file, a second process refused by the lock."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lf_export._journal import Journal, JournalError
from lf_export._journal_model import SCHEMA_VERSION, EntryVersion, JobState, RunIdentity

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
KEY = (7, '{"body":{}}')


def make(path: Path) -> Journal:
    journal = Journal.open(path)
    journal.set_run(RunIdentity("r-1", "host", "f"), path.parent, {"overwrite": False}, NOW)
    journal.add([(KEY[0], KEY[1], "Image")])
    return journal


def test_a_new_journal_is_wal_with_the_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "j" / "journal.sqlite"
    with make(path):
        pass
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_rows_follow_each_step(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    with make(path) as journal:
        seen = EntryVersion(entry_id=7, last_modified=NOW, size=10, page_count=1)
        journal.set_seen([(KEY, seen)], NOW)
        journal.started(KEY, "task-1", NOW, adopted=False)
        journal.started(KEY, "task-1", NOW, adopted=True)  # adopting is not another attempt
        [row] = journal.records()
        assert (row.state, row.task_id, row.started_at, row.attempts, row.seen) == (
            JobState.STARTED,
            "task-1",
            NOW,
            1,
            seen,
        )
        journal.claim(KEY, "a.tif", None)
        journal.downloaded(KEY, 10, "ab" * 32, NOW)
        journal.add([(KEY[0], KEY[1], "Image")])  # asked again: the row is kept as it is
        [row] = journal.records()
        assert (row.state, row.path, row.size, row.sha256, row.finished_at) == (
            JobState.DOWNLOADED,
            "a.tif",
            10,
            "ab" * 32,
            NOW,
        )
        assert journal.counts() == {JobState.DOWNLOADED: 1}
        journal.ended(KEY, JobState.FAILED, "boom", NOW)
        assert journal.last_errors() == [(7, "failed", "boom")]
        run = journal.run()
        assert run is not None
        assert run[0] == RunIdentity("r-1", "host", "f")


def test_a_reader_sees_a_run_in_progress_without_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    with make(path) as writer:
        writer.started(KEY, "task-1", NOW, adopted=False)
        with Journal.open(path, read_only=True) as reader:
            assert reader.counts() == {JobState.STARTED: 1}


def test_a_second_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    code = textwrap.dedent(
        f"""
        from lf_export._journal import Journal, JournalError
        try:
            Journal.open({str(path)!r})
        except JournalError as exc:
            print("refused:", exc)
        else:
            print("opened")
        """
    )
    with make(path):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert done.stdout.startswith("refused:"), done.stdout + done.stderr
        assert "in use by process" in done.stdout
    # Once the first one closed it (or died: the OS drops the lock), the next run may open it.
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "opened"


def test_a_damaged_file_is_detected_and_the_user_told_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(JournalError, match=r"damaged.*move it aside") as info:
        Journal.open(path)
    assert info.value.path == str(path)


def test_a_truncated_journal_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    with make(path) as journal:
        journal.add([(n, "{}", "Image") for n in range(5000)])
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(JournalError, match="damaged"), Journal.open(path) as journal:
        journal.records()


def test_another_sqlite_file_and_a_newer_schema_are_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    with pytest.raises(JournalError, match="not an lf-export journal"):
        Journal.open(other)
    path = tmp_path / "journal.sqlite"
    make(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(JournalError, match="newer lf-export"):
        Journal.open(path)


def test_reading_a_missing_journal(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="no journal"):
        Journal.open(tmp_path / "nothing.sqlite", read_only=True)
