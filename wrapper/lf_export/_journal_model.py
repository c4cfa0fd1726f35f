"""What a durable run's journal records, and how a rerun decides what to do with each job (pure: no I/O, no
clock reads; the store `_journal` and the driver `_runs` hand in what they read).

A run is a set of jobs, each an entry and the exact request asked for it (wire body + page range). Each job
has one row: its state (pending → started → downloaded, or failed; skipped when the entry was deleted), the
task that works on it and when it was started (UTC), the file written (path, size, sha256), the entry's
version as seen before it was exported (`EntryVersion`), attempts and the last error.

How an invocation treats a job (`plan_job`), given its row and what the driver found out:

- no row, or ``full``: export it (again);
- downloaded: kept when its file still has the recorded size and sha256 (else exported again; a file on disk
  that the journal does not record as complete is never trusted); when the run was complete and changes are
  checked, also compared with the entry's current version: changed → exported again, gone → reported deleted;
- started less than `ADOPT_WINDOW` ago with a task id: the task is adopted (waited on, not started again; the
  client starts anew if the server forgot it);
- anything else (pending, failed, an older task): exported.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta

import attrs

from ._options import ExportOptions

__all__ = [
    "ADOPT_WINDOW",
    "SCHEMA_VERSION",
    "Action",
    "Decision",
    "EntryVersion",
    "JobRecord",
    "JobState",
    "Mode",
    "Needs",
    "RunIdentity",
    "identity_problems",
    "name_candidates",
    "needs",
    "plan_job",
    "request_key",
    "run_fingerprint",
    "run_mode",
    "version_changed",
]

#: The journal's schema; a file written by a newer lf-export (higher number) is refused, not guessed at.
SCHEMA_VERSION = 1
#: A task started less than this long ago is adopted on resume: the server keeps a task listable 15 minutes
#: after it ends, so one started this recently cannot have expired yet.
ADOPT_WINDOW = timedelta(minutes=15)


class JobState(enum.StrEnum):
    PENDING = "pending"  # asked for, not started (or its earlier task is forgotten)
    STARTED = "started"  # a task works on it (task_id, started_at)
    DOWNLOADED = "downloaded"  # the file is in place (path, size, sha256)
    FAILED = "failed"  # the last attempt failed (last_error); tried again on the next run
    SKIPPED = "skipped"  # not exported: the entry is gone from the repository (its earlier file is kept)


@attrs.frozen(kw_only=True)
class EntryVersion:
    """What the repository said about an entry before it was exported: `last_modified` (UTC, GetEntry's
    ``lastModifiedTime``), the electronic document's `size` in bytes and the `page_count`. A rerun exports an
    entry again when any of those it knows differs."""

    entry_id: int
    last_modified: datetime | None = None
    size: int | None = None
    page_count: int | None = None


def version_changed(old: EntryVersion | None, new: EntryVersion) -> bool:
    """Whether the entry changed since `old` was seen (no record: changed, nothing says otherwise)."""
    if old is None:
        return True
    pairs = ((old.last_modified, new.last_modified), (old.size, new.size), (old.page_count, new.page_count))
    return any(a is not None and b is not None and a != b for a, b in pairs) or all(
        a is None or b is None for a, b in pairs
    )


def request_key(options: ExportOptions) -> str:
    """A job's request as canonical JSON: the wire body and the ``pageRange`` query (stable across runs)."""
    doc = {"body": options.to_request_body(), "pageRange": options.query_page_range()}
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def options_of(request: str) -> ExportOptions:
    """The `ExportOptions` a journal's request JSON stands for (validated again)."""
    doc = json.loads(request)
    return ExportOptions.from_request_body(doc["body"], doc.get("pageRange"))


def run_fingerprint(requests: Iterable[str]) -> str:
    """What a run asks for, in 16 hex digits: the distinct requests of its jobs."""
    text = "\n".join(sorted(set(requests)))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@attrs.frozen
class RunIdentity:
    """Which repository a journal belongs to, and what its jobs ask for."""

    repository_id: str
    host: str
    fingerprint: str


def identity_problems(recorded: RunIdentity, wanted: RunIdentity) -> list[str]:
    """Why a journal does not belong to this run (empty: it does)."""
    problems = []
    if (recorded.repository_id, recorded.host.lower()) != (wanted.repository_id, wanted.host.lower()):
        problems.append(
            f"it was written for repository {recorded.repository_id} at {recorded.host}, "
            f"not {wanted.repository_id} at {wanted.host}"
        )
    if recorded.fingerprint != wanted.fingerprint:
        problems.append(
            f"its jobs asked for other export options (fingerprint {recorded.fingerprint}, "
            f"now {wanted.fingerprint})"
        )
    return problems


@attrs.frozen(kw_only=True)
class JobRecord:
    """One row of the journal."""

    entry_id: int
    request: str  # request_key(options)
    part: str
    state: JobState = JobState.PENDING
    position: int = 0  # order in which jobs were first asked for
    task_id: str | None = None
    started_at: datetime | None = None
    path: str | None = None
    size: int | None = None
    sha256: str | None = None
    finished_at: datetime | None = None
    seen: EntryVersion | None = None
    attempts: int = 0
    last_error: str | None = None

    @property
    def key(self) -> tuple[int, str]:
        return (self.entry_id, self.request)


class Mode(enum.StrEnum):
    NEW = "new"  # the journal records no job yet
    RESUME = "resume"  # the journal has unfinished jobs: finish them, keep what is done
    RERUN = "rerun"  # the run was complete: export what changed (and what is new), report what is gone
    FULL = "full"  # export everything again


def run_mode(states: Mapping[JobState, int], *, full: bool, checking: bool = False) -> Mode:
    """The mode of an invocation, from the journal's counts by state before it started; `checking`: the last
    invocation was a rerun checking for changes that did not get through every job (so this one is too)."""
    if full:
        return Mode.FULL
    if not any(states.values()):
        return Mode.NEW
    if checking:
        return Mode.RERUN
    unfinished = states.get(JobState.PENDING, 0) + states.get(JobState.STARTED, 0)
    return Mode.RESUME if unfinished else Mode.RERUN


@attrs.frozen
class Needs:
    """What the driver must find out before `plan_job` can decide."""

    check_file: bool  # read the recorded file's size and sha256
    lookup: bool  # ask the repository for the entry's current version (GetEntry)


def needs(record: JobRecord | None, mode: Mode, *, check_changes: bool) -> Needs:
    if record is None or mode is Mode.FULL:
        return Needs(check_file=False, lookup=check_changes)
    done = record.state is JobState.DOWNLOADED
    rerun = mode is Mode.RERUN and check_changes
    if done:
        return Needs(check_file=True, lookup=rerun)
    if record.state is JobState.SKIPPED:
        return Needs(check_file=False, lookup=rerun)
    return Needs(check_file=False, lookup=check_changes and record.seen is None)


class Action(enum.StrEnum):
    KEEP = "keep"  # done and still good: nothing to do
    ADOPT = "adopt"  # wait on the task started earlier
    EXPORT = "export"  # start an export
    DELETED = "deleted"  # the entry is gone: report it, keep its earlier file
    FAIL = "fail"  # cannot be exported now (the lookup failed): record the error


@attrs.frozen
class Decision:
    action: Action
    reason: str
    task_id: str | None = None


#: What `plan_job` is told a lookup found: the entry's version, that it does not exist, or why it failed.
NOT_FOUND = "not found"


def plan_job(
    record: JobRecord | None,
    mode: Mode,
    *,
    now: datetime,
    file_ok: bool | None = None,
    current: EntryVersion | str | None = None,
) -> Decision:
    """Decide one job (see the module docstring). `file_ok`: the recorded file matched (None: not checked);
    `current`: the lookup's answer (an `EntryVersion`, `NOT_FOUND`, another error's text, or None)."""
    if isinstance(current, str):
        if current != NOT_FOUND:
            return Decision(Action.FAIL, f"looking the entry up failed: {current}")
        if record is not None and record.state in (JobState.DOWNLOADED, JobState.SKIPPED):
            return Decision(Action.DELETED, "deleted from the repository; its earlier file is kept")
        return Decision(Action.FAIL, "the entry does not exist (or this user cannot see it)")
    if record is None:
        return Decision(Action.EXPORT, "new")
    if mode is Mode.FULL:
        return Decision(Action.EXPORT, "full export asked for")
    if record.state is JobState.DOWNLOADED:
        if file_ok is False:
            return Decision(Action.EXPORT, "its file is missing or differs from the one recorded")
        if current is not None and version_changed(record.seen, current):
            return Decision(Action.EXPORT, "changed in the repository")
        return Decision(Action.KEEP, "unchanged")
    if record.state is JobState.SKIPPED:
        if current is not None:
            return Decision(Action.EXPORT, "back in the repository")
        return Decision(Action.DELETED, "deleted from the repository; its earlier file is kept")
    if record.state is JobState.STARTED and record.task_id is not None and record.started_at is not None:
        if now - record.started_at < ADOPT_WINDOW:
            return Decision(Action.ADOPT, "task started recently", record.task_id)
        return Decision(Action.EXPORT, "its task is too old to be listed any more")
    return Decision(Action.EXPORT, f"was {record.state.value}")


_NUMBERED = re.compile(r"^(?P<stem>.*) \((?P<n>[0-9]+)\)$")


def _split(name: str) -> tuple[str, str]:
    dot = name.rfind(".")
    return (name, "") if dot <= 0 else (name[:dot], name[dot:])


def name_candidates(desired: str, limit: int = 10_000) -> Iterator[str]:
    """The names a file may take, in order: ``name.ext``, ``name (2).ext``, ``name (3).ext``, ..."""
    stem, ext = _split(desired)
    yield desired
    for n in range(2, limit + 1):
        yield f"{stem} ({n}){ext}"


def same_family(name: str, desired: str) -> bool:
    """Whether `name` is `desired` or one of its numbered variants (``name (2).ext``)."""
    if name.casefold() == desired.casefold():
        return True
    stem, ext = _split(name)
    want_stem, want_ext = _split(desired)
    match = _NUMBERED.match(stem)
    if match is None:
        return False
    return ext.casefold() == want_ext.casefold() and match["stem"].casefold() == want_stem.casefold()


#: The recent finishes a rate is measured over.
RATE_WINDOW = timedelta(minutes=10)


def rate_and_eta(finished: Iterable[datetime], remaining: int) -> tuple[float | None, float | None]:
    """Files per minute over the last `RATE_WINDOW` of finishes (ending at the latest), and the seconds left
    at that rate for `remaining` jobs (None when fewer than two finishes tell a rate)."""
    times = sorted(finished)
    if len(times) < 2:
        return None, None
    recent = [t for t in times if times[-1] - t <= RATE_WINDOW]
    if len(recent) < 2:
        recent = times[-2:]
    span = (recent[-1] - recent[0]).total_seconds()
    if span <= 0:
        return None, None
    per_second = (len(recent) - 1) / span
    return per_second * 60, remaining / per_second
