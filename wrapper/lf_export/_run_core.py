"""What the sync and async durable runs share (see `_runs` for the public functions): opening the journal and
checking that it belongs to this run, deciding each job (`_journal_model.plan_job`) in portions, and every
write — a task started, a file placed (`_run_files.Placer`), a failure — so the two drivers differ only in how
they call the client. Every method here blocks: the async driver calls them from its writer thread.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ._config import coerce_jobs
from ._errors import (
    AuthenticationError,
    ClientClosedError,
    ExportInterrupted,
    ExportTimeoutError,
    LaserficheError,
    NotFoundError,
    OptionIssue,
    OptionsError,
)
from ._journal import Journal
from ._journal_model import (
    NOT_FOUND,
    Action,
    EntryVersion,
    JobRecord,
    JobState,
    Mode,
    RunIdentity,
    identity_problems,
    needs,
    options_of,
    plan_job,
    request_key,
    run_fingerprint,
    run_mode,
)
from ._options import ExportOptions
from ._results import EntryInfo, ExportJob, JobOutcome, ProgressEvent, ProgressPhase
from ._run_files import Placer

if TYPE_CHECKING:
    from ._aio import AsyncExportClient
    from ._client import ExportClient

__all__ = ["JobSpec", "RunCore", "RunSettings", "RunSummary", "answer_of", "version_of"]

JobSpec = ExportJob | int | tuple[int, ExportOptions]
Key = tuple[int, str]
JOURNAL_NAME = Path(".lf-export") / "journal.sqlite"


@attrs.frozen(kw_only=True)
class RunSummary:
    """What one invocation did. `exported`: files written (of which `adopted` came from tasks an earlier,
    interrupted invocation had started); `unchanged`: jobs already done and kept; `failed`: (entry id,
    error) per job that failed (tried again by the next run); `deleted`: entries gone from the repository
    (their files are kept); `unfinished`: jobs left pending or running (a deadline passed): run again."""

    journal: Path
    dest_dir: Path
    mode: str  # "resume", "rerun" or "full" (see _journal_model.Mode)
    exported: int = 0
    adopted: int = 0
    unchanged: int = 0
    failed: tuple[tuple[int, str], ...] = ()
    deleted: tuple[int, ...] = ()
    unfinished: int = 0
    bytes_exported: int = 0
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.unfinished


def _now() -> datetime:
    return datetime.now(UTC)


def _client_facts(client: ExportClient | AsyncExportClient) -> tuple[str, str, ExportOptions]:
    """Repository id, API host and default options of a client."""
    import urllib.parse

    host = urllib.parse.urlsplit(client.base_url).netloc
    return client.repository_id, host, client.default_options


def version_of(info: EntryInfo) -> EntryVersion:
    return EntryVersion(
        entry_id=info.entry_id,
        last_modified=info.last_modified,
        size=info.electronic_size,
        page_count=info.page_count,
    )


@attrs.frozen(kw_only=True)
class RunSettings:
    """How an invocation runs (see `run_export` for each)."""

    full: bool = False
    check_changes: bool = True
    override: bool = False
    overwrite: bool = False
    unique_names: bool = True
    versions: Mapping[int, EntryVersion] = attrs.field(factory=dict)
    concurrency: int = 1


def answer_of(lookup: Callable[[], EntryInfo]) -> EntryVersion | str:
    """A lookup's answer for `plan_job`: the version, `NOT_FOUND`, or why it failed (a failed sign-in or a
    closed client ends the run instead)."""
    try:
        return version_of(lookup())
    except NotFoundError:
        return NOT_FOUND
    except (AuthenticationError, ClientClosedError):
        raise
    except LaserficheError as exc:
        return str(exc)


@attrs.define
class Chunk:
    keys: list[Key]
    lookups: list[int]  # entry ids to look up
    answers: dict[int, EntryVersion | str] = attrs.field(factory=dict)


@attrs.define
class RunCore:
    """One invocation: the journal, what each job needs and gets, and every write. All methods are blocking
    (the async driver calls them in its writer thread)."""

    journal: Journal
    dest: Path
    mode: Mode
    options: dict[Key, ExportOptions]
    records: dict[Key, JobRecord]
    placer: Placer
    settings: RunSettings
    summary: Counter[str] = attrs.field(factory=Counter)
    failed: list[tuple[int, str]] = attrs.field(factory=list)
    deleted: list[int] = attrs.field(factory=list)
    running: dict[int, Key] = attrs.field(factory=dict)  # entry id → key, in the chunk being exported
    adopting: dict[str, Key] = attrs.field(factory=dict)
    started_at: float = attrs.field(factory=time.monotonic)

    @classmethod
    def open(
        cls,
        client: ExportClient | AsyncExportClient,
        jobs: Iterable[JobSpec] | None,
        dest_dir: Path | str | None,
        journal_path: Path | str | None,
        settings: RunSettings,
    ) -> RunCore:
        """Open the journal (`jobs=None`: resume its own jobs) and record this invocation's jobs."""
        repository_id, host, default = _client_facts(client)
        if journal_path is None:
            if dest_dir is None:
                raise OptionsError([OptionIssue("journal", None, "give the journal of the run to resume")])
            journal_path = Path(dest_dir) / JOURNAL_NAME
        journal = Journal.open(journal_path)
        try:
            return cls._prepare(
                journal, jobs, dest_dir, RunIdentity(repository_id, host, ""), default, settings
            )
        except BaseException:
            journal.close()
            raise

    @classmethod
    def _prepare(
        cls,
        journal: Journal,
        jobs: Iterable[JobSpec] | None,
        dest_dir: Path | str | None,
        wanted: RunIdentity,
        default: ExportOptions,
        settings: RunSettings,
    ) -> RunCore:
        recorded = journal.run()
        if jobs is None:  # resume_run: the journal's own jobs, folder and settings
            if recorded is None:
                raise OptionsError([OptionIssue("journal", str(journal.path), "records no run to resume")])
            jobs = [ExportJob(r.entry_id, options_of(r.request)) for r in journal.records()]
            dest_dir = dest_dir or recorded[1]
            stored = recorded[2]
            settings = attrs.evolve(
                settings,
                overwrite=bool(stored.get("overwrite")),
                unique_names=bool(stored.get("unique_names", True)),
            )
        if dest_dir is None:
            raise OptionsError([OptionIssue("dest_dir", None, "give the folder to export into")])
        dest = Path(dest_dir).resolve()
        options: dict[Key, ExportOptions] = {}
        for spec in coerce_jobs(jobs):
            chosen = spec.options or default
            options.setdefault((spec.entry_id, request_key(chosen)), chosen)
        wanted = attrs.evolve(wanted, fingerprint=run_fingerprint(request for _, request in options))
        if recorded is not None:
            identity = recorded[0]
            problems = identity_problems(identity, wanted)
            if recorded[1] != dest:
                problems.append(f"it exports into {recorded[1]}, not {dest}")
            if problems and not settings.override:
                rule = "belongs to another run: " + "; ".join(problems)
                hint = " (give another journal path, or override=True / --override to take it over)"
                raise OptionsError([OptionIssue("journal", str(journal.path), rule + hint)])
            if (identity.repository_id, identity.host) != (wanted.repository_id, wanted.host):
                settings = attrs.evolve(settings, full=True)  # another repository's ids name other entries
        checking = bool(recorded is not None and recorded[2].get("checking"))
        mode = run_mode(journal.counts(), full=settings.full, checking=checking)
        # A rerun that checks for changes is remembered until it went through every job: one interrupted
        # half-way is continued as a rerun (still looking entries up), not as a mere resume.
        stored_settings = {
            "overwrite": settings.overwrite,
            "unique_names": settings.unique_names,
            "checking": mode is Mode.RERUN and settings.check_changes,
        }
        journal.set_run(wanted, dest, stored_settings, _now())
        journal.add(
            (entry_id, request, options[(entry_id, request)].part.value) for entry_id, request in options
        )
        records = {r.key: r for r in journal.records()}
        placer = Placer.make(dest, journal.path, records.values(), settings.overwrite, settings.unique_names)
        return cls(journal, dest, mode, options, records, placer, settings)

    # ------------------------------------------------------------------------------------------ planning

    def chunks(self) -> Iterator[Chunk]:
        """The jobs in portions: recent tasks first (adopted before they expire), then in order; each portion
        has an entry id at most once (progress events name entries) and grows from a few to a few hundred, so
        the first export starts soon and the stream rarely drains."""
        now = _now()
        order = sorted(self.options, key=lambda k: self.records[k].position)
        adopt = [k for k in order if plan_job(self.records[k], self.mode, now=now).action is Action.ADOPT]
        adopted = set(adopt)
        rest = [k for k in order if k not in adopted]
        size = max(8, 2 * self.settings.concurrency)
        pending = adopt + rest
        while pending:
            chunk: list[Key] = []
            seen: set[int] = set()
            later: list[Key] = []
            for key in pending:
                if len(chunk) < size and key[0] not in seen:
                    chunk.append(key)
                    seen.add(key[0])
                else:
                    later.append(key)
            pending = later
            size = min(size * 2, 256)
            lookups = []
            for key in chunk:
                need = needs(self.records[key], self.mode, check_changes=self.settings.check_changes)
                if need.lookup and key[0] not in self.settings.versions:
                    lookups.append(key[0])
            yield Chunk(chunk, sorted(set(lookups)))

    def settle(self, chunk: Chunk) -> list[ExportJob]:
        """Check files, decide each job of the chunk, record what was seen; the jobs to export now."""
        now = _now()
        answers: dict[int, EntryVersion | str] = {**self.settings.versions, **chunk.answers}
        seen: list[tuple[Key, EntryVersion]] = []
        todo: list[ExportJob] = []
        fresh: list[Key] = []
        self.running.clear()
        self.adopting.clear()
        for key in chunk.keys:
            record = self.records[key]
            need = needs(record, self.mode, check_changes=self.settings.check_changes)
            file_ok = self.placer.verify(record) if need.check_file else None
            current = answers.get(key[0]) if need.lookup else None
            decision = plan_job(record, self.mode, now=now, file_ok=file_ok, current=current)
            if isinstance(current, EntryVersion) and decision.action is Action.EXPORT:
                seen.append((key, current))
            if decision.action is Action.KEEP:
                self.summary["unchanged"] += 1
            elif decision.action is Action.DELETED:
                self.deleted.append(key[0])
                self.journal.ended(key, JobState.SKIPPED, decision.reason, now)
            elif decision.action is Action.FAIL:
                self.failed.append((key[0], decision.reason))
                self.journal.ended(key, JobState.FAILED, decision.reason, now)
            else:
                self.running[key[0]] = key
                if decision.task_id is not None:
                    self.adopting[decision.task_id] = key
                elif record.state is not JobState.PENDING:
                    fresh.append(key)
                todo.append(ExportJob(key[0], self.options[key], task_id=decision.task_id))
        if seen:
            self.journal.set_seen(seen, now)
        if fresh:
            self.journal.set_pending(fresh)
        return todo

    # ------------------------------------------------------------------------------------------ recording

    def progress(self, event: ProgressEvent) -> None:
        if event.phase is not ProgressPhase.SUBMITTED or event.task_id is None:
            return
        adopted = self.adopting.get(event.task_id)
        key = adopted or (self.running.get(event.entry_id) if event.entry_id is not None else None)
        if key is not None:
            self.journal.started(key, event.task_id, _now(), adopted=adopted is not None)

    def outcome(self, outcome: JobOutcome) -> None:
        key = self.running.get(outcome.job.entry_id)
        if key is None:
            return
        now = _now()
        if isinstance(outcome.error, ExportTimeoutError):  # the deadline: not the job's failure
            if outcome.error.cancelled:
                self.journal.set_pending([key])
            return
        if outcome.result is None:
            message = str(outcome.error or "failed")
            self.failed.append((key[0], message))
            self.journal.ended(key, JobState.FAILED, message, now)
            return
        try:
            size = self.placer.place(self.journal, self.records[key], outcome.result, now)
        except (OptionsError, OSError) as exc:
            message = f"could not place the file: {exc}"
            self.failed.append((key[0], message))
            self.journal.ended(key, JobState.FAILED, message, now)
            return
        self.summary["exported"] += 1
        self.summary["bytes"] += size
        if outcome.task_id in self.adopting:
            self.summary["adopted"] += 1

    def interrupted(self, exc: ExportInterrupted) -> None:
        """Ctrl-C: tasks the client cancelled are pending again (an adopted cancelled task would fail)."""
        keys = [self.running[e] for t, e in exc.tasks.items() if t in exc.cancelled and e in self.running]
        if keys:
            self.journal.set_pending(keys)

    def went_through(self) -> None:
        """Every job was decided (no deadline, no interrupt): a rerun's check for changes is complete."""
        run = self.journal.run()
        if run is not None and run[2].get("checking"):
            self.journal.set_run(run[0], run[1], {**run[2], "checking": False}, _now())

    def result(self) -> RunSummary:
        states = {r.key: r.state for r in self.journal.records()}
        open_states = (JobState.PENDING, JobState.STARTED)
        unfinished = sum(1 for key in self.options if states.get(key) in open_states)
        return RunSummary(
            journal=self.journal.path,
            dest_dir=self.dest,
            mode=self.mode.value,
            exported=self.summary["exported"],
            adopted=self.summary["adopted"],
            unchanged=self.summary["unchanged"],
            failed=tuple(self.failed),
            deleted=tuple(self.deleted),
            unfinished=unfinished,
            bytes_exported=self.summary["bytes"],
            elapsed=time.monotonic() - self.started_at,
        )
