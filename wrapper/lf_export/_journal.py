"""The journal of a durable run on disk: one SQLite file (stdlib `sqlite3`, WAL), written by one process at a
time. What it records and how a rerun decides lives in `_journal_model`; this module only stores it.

- WAL with ``synchronous=NORMAL``: every step is its own small transaction, durable across a crash of the
  process (a power cut may lose the last few, which only makes a rerun redo that work: a file is trusted only
  when its row says downloaded *and* its size and sha256 still match).
- One writer: `Journal.open` takes an exclusive lock on ``<journal>.lock`` (released by the OS when the
  process dies, so a killed run never leaves a stale lock); a second process is refused with `JournalError`.
  Readers (`Journal.open(..., read_only=True)`, e.g. ``lf-export runs status``) need no lock.
- A damaged file, or one that is not a journal, is detected on open (``PRAGMA quick_check``) and refused with
  what to do next; a journal of a newer schema is refused rather than misread.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Self

from ._errors import LaserficheError
from ._journal_model import SCHEMA_VERSION, EntryVersion, JobRecord, JobState, RunIdentity

__all__ = ["Journal", "JournalError"]

_SCHEMA = """
CREATE TABLE run (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    schema_version INTEGER NOT NULL,
    repository_id TEXT NOT NULL,
    host TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    dest_dir TEXT NOT NULL,
    settings TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE jobs (
    position INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL,
    request TEXT NOT NULL,
    part TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'started', 'downloaded', 'failed', 'skipped')),
    task_id TEXT,
    started_at TEXT,
    path TEXT,
    stale_path TEXT,
    size INTEGER,
    sha256 TEXT,
    finished_at TEXT,
    seen_modified TEXT,
    seen_size INTEGER,
    seen_pages INTEGER,
    seen_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    UNIQUE (entry_id, request)
);
CREATE INDEX jobs_state ON jobs (state);
CREATE INDEX jobs_finished ON jobs (finished_at);
"""

_SELECT_JOBS = (
    "SELECT position, entry_id, request, part, state, task_id, started_at, path, size, sha256, finished_at, "
    "seen_modified, seen_size, seen_pages, attempts, last_error FROM jobs ORDER BY position"
)


class JournalError(LaserficheError):
    """A run's journal cannot be used: damaged, not a journal, newer than this lf-export, or in use by another
    process. The message says which file and what to do."""

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.path = None if path is None else str(path)


def stamp(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _record(row: tuple[Any, ...]) -> JobRecord:
    (position, entry_id, request, part, state, task_id, started, path, size, sha, finished) = row[:11]
    modified, seen_size, seen_pages, attempts, error = row[11:]
    seen = None
    if modified is not None or seen_size is not None or seen_pages is not None:
        seen = EntryVersion(
            entry_id=entry_id, last_modified=_moment(modified), size=seen_size, page_count=seen_pages
        )
    return JobRecord(
        entry_id=entry_id,
        request=request,
        part=part,
        state=JobState(state),
        position=position,
        task_id=task_id,
        started_at=_moment(started),
        path=path,
        size=size,
        sha256=sha,
        finished_at=_moment(finished),
        seen=seen,
        attempts=attempts,
        last_error=error,
    )


def _take_lock(path: Path) -> IO[str]:
    """An exclusive, non-blocking lock on ``<journal>.lock`` held for the journal's lifetime."""
    lock_path = path.with_name(path.name + ".lock")
    handle = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 - held until close()
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise JournalError(
            f"the journal {path} is in use by {holder}: wait for that run to end (or stop it) — two runs "
            "never write one journal",
            path=path,
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"process {os.getpid()}")
    handle.flush()
    return handle


def _damaged(path: Path, detail: str) -> JournalError:
    return JournalError(
        f"the journal {path} is damaged ({detail}): move it aside (or delete it) and run again — every "
        "document is then exported again; the files already exported are left alone",
        path=path,
    )


class Journal:
    """One open journal. Thread-safe: every method takes the connection's lock (the async driver writes from
    a worker thread)."""

    def __init__(self, path: Path, connection: sqlite3.Connection, lock: IO[str] | None) -> None:
        self.path = path
        self._db = connection
        self._lock_file = lock
        self._mutex = threading.Lock()

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False) -> Self:
        """Open (or, unless `read_only`, create) the journal at `path`. Raises `JournalError`."""
        path = Path(path)
        if read_only and not path.is_file():
            raise JournalError(f"no journal at {path}", path=path)
        lock = None
        if not read_only:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise JournalError(
                    f"cannot create the journal's folder {path.parent}: {exc.strerror}"
                ) from exc
            lock = _take_lock(path)
        try:
            uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rwc'}"
            db = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None, timeout=10)
        except sqlite3.Error as exc:
            if lock is not None:
                lock.close()
            raise JournalError(f"cannot open the journal {path}: {exc}", path=path) from exc
        journal = cls(path, db, lock)
        try:
            journal._prepare(read_only)
        except BaseException:
            journal.close()
            raise
        return journal

    def _prepare(self, read_only: bool) -> None:
        try:
            tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables and not read_only:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.executescript(f"BEGIN; {_SCHEMA} PRAGMA user_version={SCHEMA_VERSION}; COMMIT;")
                tables = {"run", "jobs"}
            check = self._db.execute("PRAGMA quick_check").fetchone()
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.path, str(exc)) from exc
        if check is None or check[0] != "ok":
            raise _damaged(self.path, f"integrity check: {check[0] if check else 'no answer'}")
        if not {"run", "jobs"} <= tables:
            raise JournalError(
                f"{self.path} is an SQLite file but not an lf-export journal: give another journal path",
                path=self.path,
            )
        if version > SCHEMA_VERSION:
            raise JournalError(
                f"the journal {self.path} was written by a newer lf-export (schema {version}, this one reads "
                f"{SCHEMA_VERSION}): upgrade lf-export",
                path=self.path,
            )
        if not read_only:
            self._db.execute("PRAGMA synchronous=NORMAL")

    def close(self) -> None:
        with self._mutex:
            self._db.close()
            if self._lock_file is not None:
                self._lock_file.close()
                self._lock_file = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._mutex:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                raise _damaged(self.path, str(exc)) from exc

    def _read(self, sql: str, args: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._mutex:
            try:
                return self._db.execute(sql, tuple(args)).fetchall()
            except sqlite3.DatabaseError as exc:
                raise _damaged(self.path, str(exc)) from exc

    # ------------------------------------------------------------------------------------------ the run

    def run(self) -> tuple[RunIdentity, Path, dict[str, Any], datetime, datetime] | None:
        """The run's identity, folder, settings, creation and last update (None: a new journal)."""
        rows = self._read(
            "SELECT repository_id, host, fingerprint, dest_dir, settings, created_at, updated_at FROM run"
        )
        if not rows:
            return None
        repo, host, fingerprint, dest, settings, created, updated = rows[0]
        created_at, updated_at = _moment(created), _moment(updated)
        if created_at is None or updated_at is None:
            raise _damaged(self.path, "the run has no creation time")
        return RunIdentity(repo, host, fingerprint), Path(dest), json.loads(settings), created_at, updated_at

    def set_run(self, identity: RunIdentity, dest_dir: Path, settings: dict[str, Any], now: datetime) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO run (id, schema_version, repository_id, host, fingerprint, dest_dir, settings, "
                "created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "repository_id=excluded.repository_id, host=excluded.host, fingerprint=excluded.fingerprint, "
                "dest_dir=excluded.dest_dir, settings=excluded.settings, updated_at=excluded.updated_at",
                (
                    SCHEMA_VERSION,
                    identity.repository_id,
                    identity.host,
                    identity.fingerprint,
                    str(dest_dir),
                    json.dumps(settings, sort_keys=True),
                    stamp(now),
                    stamp(now),
                ),
            )

    # ------------------------------------------------------------------------------------------ the jobs

    def records(self) -> list[JobRecord]:
        return [_record(row) for row in self._read(_SELECT_JOBS)]

    def counts(self) -> dict[JobState, int]:
        rows = self._read("SELECT state, count(*) FROM jobs GROUP BY state")
        return {JobState(state): count for state, count in rows}

    def add(self, jobs: Iterable[tuple[int, str, str]]) -> None:
        """Record new jobs (entry id, request, part) as pending; jobs already recorded are left alone."""
        with self._write() as db:
            db.executemany(
                "INSERT OR IGNORE INTO jobs (entry_id, request, part, state) VALUES (?, ?, ?, 'pending')",
                jobs,
            )

    def set_seen(self, seen: Iterable[tuple[tuple[int, str], EntryVersion]], now: datetime) -> None:
        rows = [
            (stamp(v.last_modified), v.size, v.page_count, stamp(now), entry_id, request)
            for (entry_id, request), v in seen
        ]
        with self._write() as db:
            db.executemany(
                "UPDATE jobs SET seen_modified=?, seen_size=?, seen_pages=?, seen_at=? "
                "WHERE entry_id=? AND request=?",
                rows,
            )

    def set_pending(self, keys: Iterable[tuple[int, str]]) -> None:
        """Jobs to be exported afresh: pending again (their file, if any, is kept until replaced)."""
        with self._write() as db:
            db.executemany(
                "UPDATE jobs SET state='pending', task_id=NULL, started_at=NULL "
                "WHERE entry_id=? AND request=?",
                keys,
            )

    def started(self, key: tuple[int, str], task_id: str, now: datetime, *, adopted: bool) -> None:
        """A task works on the job (a new one counts as an attempt; an adopted one keeps its start time)."""
        with self._write() as db:
            if adopted:
                db.execute(
                    "UPDATE jobs SET state='started', task_id=? WHERE entry_id=? AND request=?",
                    (task_id, *key),
                )
            else:
                db.execute(
                    "UPDATE jobs SET state='started', task_id=?, started_at=?, attempts=attempts+1 "
                    "WHERE entry_id=? AND request=?",
                    (task_id, stamp(now), *key),
                )

    def claim(self, key: tuple[int, str], path: str, stale_path: str | None) -> None:
        """The job will place its file at `path` (before it is moved there: a file under a claimed name that
        is not recorded as downloaded is the job's own leftover, replaced without asking)."""
        with self._write() as db:
            db.execute(
                "UPDATE jobs SET path=?, stale_path=coalesce(stale_path, ?) WHERE entry_id=? AND request=?",
                (path, stale_path, *key),
            )

    def downloaded(self, key: tuple[int, str], size: int, sha256: str, now: datetime) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE jobs SET state='downloaded', size=?, sha256=?, finished_at=?, last_error=NULL, "
                "stale_path=NULL WHERE entry_id=? AND request=?",
                (size, sha256, stamp(now), *key),
            )

    def ended(self, key: tuple[int, str], state: JobState, error: str, now: datetime) -> None:
        """The job failed (or was skipped): the reason is kept as its last error."""
        with self._write() as db:
            db.execute(
                "UPDATE jobs SET state=?, last_error=?, finished_at=? WHERE entry_id=? AND request=?",
                (state.value, error[:2000], stamp(now), *key),
            )

    def stale_paths(self) -> list[tuple[tuple[int, str], str]]:
        rows = self._read("SELECT entry_id, request, stale_path FROM jobs WHERE stale_path IS NOT NULL")
        return [((entry_id, request), stale) for entry_id, request, stale in rows]

    def finishes(self, limit: int = 1000) -> list[datetime]:
        rows = self._read(
            "SELECT finished_at FROM jobs WHERE state='downloaded' AND finished_at IS NOT NULL "
            "ORDER BY finished_at DESC LIMIT ?",
            (limit,),
        )
        return [moment for (text,) in rows if (moment := _moment(text)) is not None]

    def totals(self) -> tuple[int, int]:
        """Bytes downloaded and the number of started tasks recorded (attempts), over every job."""
        rows = self._read(
            "SELECT coalesce(sum(CASE WHEN state='downloaded' THEN size END), 0), "
            "coalesce(sum(attempts), 0) FROM jobs"
        )
        return int(rows[0][0]), int(rows[0][1])

    def last_errors(self, limit: int = 5) -> list[tuple[int, str, str]]:
        rows = self._read(
            "SELECT entry_id, state, last_error FROM jobs WHERE last_error IS NOT NULL "
            "ORDER BY finished_at DESC LIMIT ?",
            (limit,),
        )
        return [(int(e), str(s), str(m)) for e, s, m in rows]
