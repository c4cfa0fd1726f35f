"""Soak: `export_many` of many documents (mixed parts and formats) against an emulator with faults on.

The emulator runs in a child process so this process's RSS measures the client alone. Faults: 10% 429 with
Retry-After, 5% 503, 2% connection resets (half before, half after the server processed the request), 2%
truncated downloads, 2% stalled downloads, 5% failed tasks. Every job must end either downloaded and
byte-identical to a fault-free export of the same document and options, or failed with a reason that comes
from the server (or, for a POST cut before any answer, the network error that makes retrying unsafe).

Size: ``LF_CHAOS_SIZE=large`` (``make chaos``) exports 200 documents; the default 80 keeps ``make test`` fast.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lf_emulator.testing import EmulatorProcess
from lf_export import (
    ApiError,
    ExportClient,
    ExportJob,
    ExportOptions,
    NetworkError,
    PollPolicy,
    ProgressEvent,
    ProgressPhase,
    RetryPolicy,
    TaskFailedError,
    Timeouts,
)

from ._support import LARGE, PeakRss, RecordingTransport, RequestLog, partial_files
from .conftest import LeakGuard

DOCUMENTS = 200 if LARGE else 80
CLIENT_LIMIT = 3  # the client's max_concurrent_tasks; the emulator allows 4 per token
DEADLINE = 600.0 if LARGE else 120.0
RSS_BOUND = 64 * 1024 * 1024  # growth of the client process's RSS over the whole soak

FAULTS: dict[str, Any] = {
    "seed": 8,
    "p_429": 0.10,
    "retry_after_seconds": 1,
    "p_5xx": 0.05,
    "statuses_5xx": [503],
    "p_reset_before": 0.01,
    "p_reset_after": 0.01,
    "p_download_truncate": 0.02,
    "p_download_stall": 0.02,
    "stall_seconds": 2.0,
    "p_task_fail": 0.05,
}

#: (document key, options). Locked → the task fails with the server's 423; no_pages (Image) → 400 at submit.
COMBOS: list[tuple[str, ExportOptions]] = [
    ("one_page", ExportOptions.tiff()),
    ("one_page", ExportOptions.png()),
    ("one_page", ExportOptions.jpeg(quality=40)),
    ("three_pages", ExportOptions.single_page_tiff(page_prefix="_p")),
    ("three_pages", ExportOptions.pdf(pages="1-2")),
    ("three_pages", ExportOptions.jpeg(pages="2-3")),
    ("annotated", ExportOptions.pdf(watermark="CONFIDENTIAL")),
    ("annotated", ExportOptions.tiff(include_annotations=False, pages="3-9")),
    ("annotated", ExportOptions.text(include_redactions=False)),
    ("forty_pages", ExportOptions.tiff(pages="1-5,30-40")),
    ("forty_pages", ExportOptions.pdf()),
    ("non_ascii", ExportOptions.pdf()),
    ("non_ascii", ExportOptions.text()),
    ("letter", ExportOptions.text(redaction_character="#")),
    ("letter", ExportOptions.png(pages="2")),
    ("record_document", ExportOptions.tiff()),
    ("edoc_pdf", ExportOptions.edoc()),
    ("edoc_docx", ExportOptions.edoc()),
    ("large_edoc", ExportOptions.edoc()),
    ("locked", ExportOptions.pdf()),
    ("no_pages", ExportOptions.tiff()),
]
DOOMED = {"locked", "no_pages"}  # fail even without faults, with the server's reason


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_export_many_soak_under_faults(tmp_path: Path, leak_guard: LeakGuard) -> None:
    args = ["--task-seconds", "0.05", "--long-poll-max-seconds", "0.5", "--max-concurrent-tasks", "4"]
    args += ["--large-edoc-bytes", str(2 * 1024 * 1024 + 77)]
    with EmulatorProcess(*args) as emu:
        docs = emu.documents
        requests = RequestLog()

        def client(**kwargs: Any) -> ExportClient:
            settings: dict[str, Any] = {
                "retry": RetryPolicy(max_attempts=6, initial_wait=0.01, max_wait=0.1, max_retry_after=0.2),
                "poll": PollPolicy(initial_wait=0.01, max_wait=0.05, quick_answer=0.2),
                # A short download read timeout turns a stalled download into a resume.
                "timeouts": Timeouts(connect=2, read=10, long_poll_read=10, download_read=0.5),
            }
            return ExportClient(emu.base_url, emu.repository_id, token=emu.token, **(settings | kwargs))

        # Fault-free reference: every combo exported once with the simple Export (this also warms the
        # emulator's render cache, so no first render outlasts the short download read timeout below).
        reference: dict[int, str] = {}
        ref_dir = tmp_path / "reference"
        with client(timeouts=Timeouts()) as lf:
            for index, (key, options) in enumerate(COMBOS):
                if key in DOOMED:
                    continue
                out = ref_dir / str(index)
                out.mkdir(parents=True)
                reference[index] = sha256(lf.export(docs[key], options, out, mode="sync").path)
        emu.reset()
        emu.set_faults(FAULTS)

        combo_of = list(itertools.islice(itertools.cycle(range(len(COMBOS))), DOCUMENTS))
        jobs = [ExportJob(docs[COMBOS[c][0]], COMBOS[c][1]) for c in combo_of]
        dest = tmp_path / "out"
        running: set[str] = set()
        high_water = 0
        verified: dict[str, tuple[Path, str]] = {}  # task id → (path, sha256) the moment its file landed
        landed: list[tuple[Path, str]] = []  # the same, in the order files landed
        task_entry: dict[str, int] = {}

        def on_progress(event: ProgressEvent) -> None:
            nonlocal high_water
            if event.phase is ProgressPhase.SUBMITTED and event.task_id:
                running.add(event.task_id)
                task_entry[event.task_id] = event.entry_id or 0
                high_water = max(high_water, len(running))
            elif event.phase is ProgressPhase.DONE and event.path is not None:
                # Files of the same document and format share a name (overwrite=True below), so each one
                # is checked the moment it lands, before a later job may replace it.
                assert event.task_id is not None
                verified[event.task_id] = (event.path, sha256(event.path))
                landed.append(verified[event.task_id])
            if event.phase in (ProgressPhase.DONE, ProgressPhase.FAILED) and event.task_id:
                running.discard(event.task_id)

        with (
            client(
                transport=RecordingTransport(requests), download_transport=RecordingTransport(requests)
            ) as lf,
            PeakRss() as rss,
        ):
            started = time.monotonic()
            outcomes = lf.export_many(
                jobs,
                dest,
                max_concurrent_tasks=CLIENT_LIMIT,
                deadline=DEADLINE,
                on_progress=on_progress,
                overwrite=True,
            )
            deadline_at = started + DEADLINE
        counters = emu.counters()

    # One outcome per job, in order; each either a verified file or an explained failure.
    assert len(outcomes) == len(jobs)
    kinds: Counter[str] = Counter()
    for combo, job, outcome in zip(combo_of, jobs, outcomes, strict=True):
        assert outcome.job == job
        key = COMBOS[combo][0]
        if outcome.ok:
            assert key not in DOOMED
            assert outcome.result is not None
            assert outcome.task_id is not None
            path, digest = verified.pop(outcome.task_id)
            assert path == outcome.result.path
            assert digest == reference[combo], f"job for {key} {COMBOS[combo][1]!r}: bytes differ"
            kinds["ok"] += 1
            continue
        error = outcome.error
        assert error is not None
        assert outcome.result is None
        leak_guard.texts.append(str(error))
        leak_guard.texts.append(repr(error))
        if key == "locked":
            assert isinstance(error, TaskFailedError | NetworkError | ApiError), error
        if isinstance(error, TaskFailedError):
            assert error.errors, "a failed task must carry the server's ProblemDetails"
            assert error.detail is not None
            assert "injected fault" in error.detail or "locked" in error.detail, error
            kinds["task failed (server's ProblemDetails)"] += 1
        elif isinstance(error, ApiError):
            assert error.status >= 400
            assert error.detail or error.title, error
            kinds[f"HTTP {error.status} (server's reason)"] += 1
        elif isinstance(error, NetworkError):
            # Only a POST cut before any answer: the export may or may not exist, so it is not retried.
            assert outcome.task_id is None, error
            assert error.method == "POST", error
            kinds["POST cut by a connection reset"] += 1
        else:
            pytest.fail(f"job for {key}: unexpected failure {type(error).__name__}: {error}")
    assert verified == {}  # no file landed for a job reported failed

    # Every document that could succeed did, except those hit by a fault the client must not retry: a failed
    # task, a connection reset (a POST is not repeated once sent) or a 503 to ExportAsync (a POST that reached
    # the server is not repeated; only 429 and connect errors are).
    injected = counters["faults_injected"]
    non_retryable = (
        injected.get("task_fail", 0)
        + injected.get("reset_before", 0)
        + injected.get("reset_after", 0)
        + counters["responses"].get("StartExportEntry 503", 0)
    )
    failed_ok_jobs = sum(
        1 for c, o in zip(combo_of, outcomes, strict=True) if not o.ok and COMBOS[c][0] not in DOOMED
    )
    assert failed_ok_jobs <= non_retryable, (failed_ok_jobs, injected)
    assert kinds["ok"] > 0

    # The final folder: whole files only, each byte-identical to a fault-free export.
    assert partial_files(dest) == []
    last_digest = dict(landed)
    for path in dest.iterdir():
        assert last_digest[path] == sha256(path)

    # Concurrency: never more than the client's limit of tasks in flight, on either side. Tasks the
    # client never heard of (a POST whose answer was cut) may add to the server's count.
    known = len(task_entry)
    orphans = counters["tasks_started"] - known
    assert 0 <= orphans <= injected.get("reset_after", 0) + injected.get("reset_before", 0)
    assert high_water <= CLIENT_LIMIT
    assert counters["concurrent_tasks_high_water"] <= CLIENT_LIMIT + orphans

    # Batched polling: one ListTasks per round for all running tasks, never one without taskIds.
    assert counters["requests"].get("ListTasks without taskIds", 0) == 0
    assert counters["requests"].get("CancelTasks without taskIds", 0) == 0

    # Deadline: nothing was sent after it (the run ends long before; this checks the bookkeeping).
    assert requests.sent
    assert max(s.at for s in requests.sent) < deadline_at

    # Security: the download origin never saw an Authorization header.
    assert counters["download_auth_headers"] == 0
    assert counters["downloads"] >= kinds["ok"]

    # Memory: bounded, whatever the number of documents.
    assert rss.growth < RSS_BOUND, f"RSS grew by {rss.growth / 2**20:.1f} MiB"
    assert leak_guard.lines

    summary = {
        "documents": DOCUMENTS,
        "outcomes": dict(kinds),
        "faults_injected": injected,
        "requests_sent": len(requests.sent),
        "rss_growth_mib": round(rss.growth / 2**20, 1),
        "high_water": counters["concurrent_tasks_high_water"],
    }
    print("soak:", json.dumps(summary, sort_keys=True))
