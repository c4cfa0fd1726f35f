"""The pure journal model: how a rerun decides each job, what counts as a change, whose journal it is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lf_export import ExportOptions
from lf_export._journal_model import (
    ADOPT_WINDOW,
    NOT_FOUND,
    Action,
    EntryVersion,
    JobRecord,
    JobState,
    Mode,
    RunIdentity,
    identity_problems,
    name_candidates,
    needs,
    options_of,
    plan_job,
    rate_and_eta,
    request_key,
    run_fingerprint,
    run_mode,
    same_family,
    version_changed,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
V1 = EntryVersion(entry_id=7, last_modified=NOW - timedelta(days=3), size=100, page_count=2)


def record(state: JobState, **kw: object) -> JobRecord:
    return JobRecord(entry_id=7, request="{}", part="Image", state=state, **kw)  # type: ignore[arg-type]


def test_a_new_job_is_exported_and_looked_up_first() -> None:
    assert needs(None, Mode.NEW, check_changes=True) == needs(None, Mode.RESUME, check_changes=True)
    assert needs(None, Mode.NEW, check_changes=True).lookup
    assert not needs(None, Mode.NEW, check_changes=False).lookup
    assert plan_job(None, Mode.NEW, now=NOW).action is Action.EXPORT


def test_a_downloaded_job_is_kept_only_when_its_file_checks_out() -> None:
    done = record(JobState.DOWNLOADED, path="a.pdf", size=1, sha256="x", seen=V1)
    assert needs(done, Mode.RESUME, check_changes=True).check_file
    assert not needs(done, Mode.RESUME, check_changes=True).lookup  # a resume does not ask the repository
    assert plan_job(done, Mode.RESUME, now=NOW, file_ok=True).action is Action.KEEP
    assert plan_job(done, Mode.RESUME, now=NOW, file_ok=False).action is Action.EXPORT


def test_a_rerun_of_a_complete_run_exports_what_changed_and_reports_what_is_gone() -> None:
    done = record(JobState.DOWNLOADED, path="a.pdf", size=1, sha256="x", seen=V1)
    assert needs(done, Mode.RERUN, check_changes=True) == needs(done, Mode.RERUN, check_changes=True)
    assert needs(done, Mode.RERUN, check_changes=True).lookup
    assert not needs(done, Mode.RERUN, check_changes=False).lookup
    same = plan_job(done, Mode.RERUN, now=NOW, file_ok=True, current=V1)
    assert same.action is Action.KEEP
    touched = EntryVersion(entry_id=7, last_modified=NOW, size=100, page_count=2)
    assert plan_job(done, Mode.RERUN, now=NOW, file_ok=True, current=touched).action is Action.EXPORT
    grown = EntryVersion(entry_id=7, last_modified=V1.last_modified, size=101, page_count=2)
    assert plan_job(done, Mode.RERUN, now=NOW, file_ok=True, current=grown).action is Action.EXPORT
    gone = plan_job(done, Mode.RERUN, now=NOW, file_ok=True, current=NOT_FOUND)
    assert gone.action is Action.DELETED
    assert "deleted" in gone.reason


def test_full_exports_everything() -> None:
    done = record(JobState.DOWNLOADED, path="a.pdf", size=1, sha256="x", seen=V1)
    assert not needs(done, Mode.FULL, check_changes=True).check_file
    assert plan_job(done, Mode.FULL, now=NOW, current=V1).action is Action.EXPORT
    assert run_mode({JobState.DOWNLOADED: 3}, full=True) is Mode.FULL


def test_a_recent_task_is_adopted_an_old_one_is_started_again() -> None:
    recent = record(JobState.STARTED, task_id="t-1", started_at=NOW - timedelta(minutes=14))
    decision = plan_job(recent, Mode.RESUME, now=NOW)
    assert (decision.action, decision.task_id) == (Action.ADOPT, "t-1")
    old = record(JobState.STARTED, task_id="t-1", started_at=NOW - ADOPT_WINDOW)
    assert plan_job(old, Mode.RESUME, now=NOW).action is Action.EXPORT
    no_id = record(JobState.STARTED, started_at=NOW)
    assert plan_job(no_id, Mode.RESUME, now=NOW).action is Action.EXPORT
    # A clock set back after the start: the task cannot be old, adopt it (the client restarts if forgotten).
    future = record(JobState.STARTED, task_id="t-2", started_at=NOW + timedelta(hours=1))
    assert plan_job(future, Mode.RESUME, now=NOW).action is Action.ADOPT


def test_pending_and_failed_jobs_are_exported() -> None:
    assert plan_job(record(JobState.PENDING), Mode.RESUME, now=NOW).action is Action.EXPORT
    assert plan_job(record(JobState.FAILED), Mode.RERUN, now=NOW).action is Action.EXPORT
    assert needs(record(JobState.PENDING, seen=V1), Mode.RESUME, check_changes=True) == needs(
        record(JobState.FAILED, seen=V1), Mode.RERUN, check_changes=True
    )
    assert not needs(record(JobState.PENDING, seen=V1), Mode.RESUME, check_changes=True).lookup
    assert needs(record(JobState.PENDING), Mode.RESUME, check_changes=True).lookup


def test_a_lookup_that_fails_fails_the_job_and_a_missing_new_entry_is_an_error() -> None:
    assert plan_job(None, Mode.NEW, now=NOW, current="503 busy").action is Action.FAIL
    assert plan_job(None, Mode.NEW, now=NOW, current=NOT_FOUND).action is Action.FAIL


def test_a_deleted_entry_stays_reported_until_it_comes_back() -> None:
    skipped = record(JobState.SKIPPED, path="a.pdf", size=1, sha256="x", seen=V1)
    assert plan_job(skipped, Mode.RESUME, now=NOW).action is Action.DELETED
    assert plan_job(skipped, Mode.RERUN, now=NOW, current=NOT_FOUND).action is Action.DELETED
    assert plan_job(skipped, Mode.RERUN, now=NOW, current=V1).action is Action.EXPORT


def test_run_mode() -> None:
    assert run_mode({}, full=False) is Mode.NEW
    assert run_mode({JobState.DOWNLOADED: 3, JobState.PENDING: 1}, full=False) is Mode.RESUME
    assert run_mode({JobState.DOWNLOADED: 3, JobState.STARTED: 1}, full=False) is Mode.RESUME
    assert run_mode({JobState.DOWNLOADED: 3, JobState.FAILED: 1}, full=False) is Mode.RERUN
    # A rerun cut short keeps checking for changes, though jobs are pending again.
    states = {JobState.DOWNLOADED: 3, JobState.PENDING: 1}
    assert run_mode(states, full=False, checking=True) is Mode.RERUN


def test_version_changed() -> None:
    assert version_changed(None, V1)
    assert not version_changed(V1, V1)
    unknown_time = EntryVersion(entry_id=7, size=100, page_count=2)
    assert not version_changed(V1, unknown_time)  # what is known did not change
    assert version_changed(V1, EntryVersion(entry_id=7, size=100, page_count=3))
    assert version_changed(EntryVersion(entry_id=7), EntryVersion(entry_id=7))  # nothing to compare


def test_requests_are_canonical_and_round_trip() -> None:
    pdf = ExportOptions.pdf(pages="1-3")
    assert request_key(pdf) == request_key(ExportOptions.pdf(pages="1-3"))
    assert request_key(pdf) != request_key(ExportOptions.pdf(pages="1-4"))
    assert options_of(request_key(pdf)) == pdf
    text = ExportOptions.text()
    assert run_fingerprint([request_key(pdf), request_key(text)]) == run_fingerprint(
        [request_key(text), request_key(pdf), request_key(pdf)]
    )
    assert run_fingerprint([request_key(pdf)]) != run_fingerprint([request_key(text)])


def test_identity_problems_name_the_repository_and_the_options() -> None:
    mine = RunIdentity("r-1", "api.example.com", "aaaa")
    assert identity_problems(mine, RunIdentity("r-1", "API.example.com", "aaaa")) == []
    [repo] = identity_problems(mine, RunIdentity("r-2", "api.example.com", "aaaa"))
    assert "r-1" in repo
    assert "r-2" in repo
    [opts] = identity_problems(mine, RunIdentity("r-1", "api.example.com", "bbbb"))
    assert "options" in opts


def test_name_candidates_and_families() -> None:
    names = name_candidates("Invoice.pdf")
    assert [next(names) for _ in range(3)] == ["Invoice.pdf", "Invoice (2).pdf", "Invoice (3).pdf"]
    assert next(iter(name_candidates("README"))) == "README"
    assert same_family("invoice (12).PDF", "Invoice.pdf")
    assert same_family("Invoice.pdf", "Invoice.pdf")
    assert not same_family("Invoice (2).tif", "Invoice.pdf")
    assert not same_family("Other (2).pdf", "Invoice.pdf")


def test_rate_and_eta() -> None:
    assert rate_and_eta([], 5) == (None, None)
    assert rate_and_eta([NOW], 5) == (None, None)
    finishes = [NOW + timedelta(seconds=10 * i) for i in range(7)]  # 6 more files in 60 s
    rate, eta = rate_and_eta(finishes, 12)
    assert rate == 6.0
    assert eta == 120.0
    # Only the last ten minutes count: an old burst does not make a stalled run look fast.
    old = [NOW - timedelta(hours=2) + timedelta(seconds=i) for i in range(100)]
    rate, _ = rate_and_eta([*old, *finishes], 1)
    assert rate == 6.0
