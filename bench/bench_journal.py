"""Durable runs at scale: the journal's cost per document, resuming a 10,000-job journal, and memory.

- Journal overhead per document: the journal's own work for one exported file (task started, name claimed,
  file hashed and moved into place, downloaded recorded: what `run_export` adds to `export_many`), timed
  alone on real files, against the wall time of one export over loopback (the emulator in a child process,
  ``task_seconds`` 0.05). Target: under 5 %. The end-to-end comparison (a batch through `export_many` and
  through `run_export` without lookups, interleaved) is shown beside it, for information.
- Resume of a 10,000-job journal (half downloaded, with their files to check; half pending): seconds until
  the first new export is started, beside the same for 1,000 jobs. Target: under 5 s.
- Memory: peak RSS of a fresh client process rerunning 10,000 jobs against 1,000 (journal read, every file
  checked, plans made; no export is due). Target: within 1.2x (flat).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from _emu import QUICK, Emulator
from _report import Figure, report
from lf_export import ExportClient, ExportOptions, PollPolicy, ProgressEvent, ProgressPhase
from lf_export._journal import Journal
from lf_export._journal_model import RunIdentity, request_key, run_fingerprint
from lf_export._results import ExportResult
from lf_export._run_files import Placer
from lf_export._runs import resume_run, run_export

POLL = PollPolicy(initial_wait=0.01, max_wait=0.05, quick_answer=0.5)
FIRST = 1_000_000 + 102  # first synthetic document when the tree has 10,100 entries (101 folders)
BATCH = 40 if QUICK else 100


class _Stop(Exception):
    pass


def journal_cost_per_file(size: int, count: int = 300) -> float:
    """Seconds of journal work per placed file (the writes and the file handling `run_export` adds)."""
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp)
        journal = Journal.open(dest / ".lf-export" / "journal.sqlite")
        request = request_key(ExportOptions.tiff())
        journal.set_run(RunIdentity("r", "h", "f"), dest, {}, datetime.now(UTC))
        journal.add((n, request, "Image") for n in range(count))
        records = {r.key: r for r in journal.records()}
        placer = Placer.make(dest, journal.path, records.values(), False, True)
        payload = b"x" * size
        staged = []
        for n in range(count):
            path = placer.staging / f"doc {n}.tif"
            path.write_bytes(payload)
            staged.append(path)
        start = time.perf_counter()
        for n, path in enumerate(staged):
            key = (n, request)
            now = datetime.now(UTC)
            journal.started(key, f"task-{n}", now, adopted=False)
            result = ExportResult(
                entry_id=n, path=path, size=size, content_type=None, suggested_name=path.name,
                task_id=None, mode="async", elapsed=0.0,
            )  # fmt: skip
            placer.place(journal, records[key], result, now)
        elapsed = time.perf_counter() - start
        journal.close()
    return elapsed / count


def build_journal(dest: Path, emu: Emulator, jobs: int) -> Path:
    """A journal of `jobs` jobs: the first half downloaded (small files on disk), the rest pending."""
    request = request_key(ExportOptions.tiff())
    path = dest / ".lf-export" / "journal.sqlite"
    journal = Journal.open(path)
    host = emu.base_url.split("//", 1)[1].split("/", 1)[0]
    fingerprint = run_fingerprint([request])
    journal.set_run(RunIdentity(emu.repository_id, host, fingerprint), dest.resolve(), {}, datetime.now(UTC))
    journal.add((FIRST + n, request, "Image") for n in range(jobs))
    journal.close()
    db = sqlite3.connect(path)
    rows = []
    for n in range(jobs // 2):
        body = f"file {n}".encode() * 64
        (dest / f"doc {n}.tif").write_bytes(body)
        rows.append((f"doc {n}.tif", len(body), hashlib.sha256(body).hexdigest(), FIRST + n))
    stamp = datetime.now(UTC).isoformat()
    db.executemany(
        f"UPDATE jobs SET state='downloaded', path=?, size=?, sha256=?, finished_at='{stamp}', attempts=1 "
        "WHERE entry_id=?",
        rows,
    )
    db.commit()
    db.close()
    return path


def time_to_first_export(lf: ExportClient, journal: Path) -> float:
    start = time.perf_counter()
    first: list[float] = []

    def on_progress(event: ProgressEvent) -> None:
        if event.phase is ProgressPhase.SUBMITTED:
            first.append(time.perf_counter() - start)
            raise _Stop

    with contextlib.suppress(_Stop):
        resume_run(lf, journal, max_concurrent_tasks=4, on_progress=on_progress, check_changes=False)
    return first[0] if first else float("nan")


def rerun_rss(emu: Emulator, jobs: int) -> int:
    """Peak RSS (bytes) of a fresh interpreter rerunning `jobs` jobs, all downloaded (nothing to export: the
    journal read, every file checked, every job planned)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = build_journal(Path(tmp), emu, jobs * 2)
        db = sqlite3.connect(path)
        db.execute("DELETE FROM jobs WHERE state != 'downloaded'")
        db.commit()
        db.close()
        args = [sys.executable, __file__, "--rerun-rss", emu.base_url, str(path), str(jobs)]
        done = subprocess.run(
            args, capture_output=True, text=True, check=True, env={**os.environ, "LF_TOKEN": emu.token}
        )
        return int(done.stdout.split()[-1])


def _rerun_child(base_url: str, journal: str, jobs: int) -> None:
    import resource

    with ExportClient(base_url, "r-emulator", token=os.environ["LF_TOKEN"], poll=POLL) as lf:
        summary = resume_run(lf, journal, check_changes=False)
    if summary.unchanged != jobs:
        raise SystemExit(f"unexpected: {summary}")
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


def main() -> None:
    figures: list[Figure] = []
    with (
        Emulator(
            "--task-seconds", "0.05", "--synthetic-entries", "10100", "--max-concurrent-tasks", "4"
        ) as emu,
        ExportClient(emu.base_url, emu.repository_id, token=emu.token, poll=POLL) as lf,
    ):
        docs = list(range(FIRST, FIRST + BATCH))
        with tempfile.TemporaryDirectory() as tmp:
            singles = []
            for n in range(10):
                start = time.perf_counter()
                result = lf.export(FIRST + n, dest=Path(tmp) / f"single-{n}.tif", mode="async")
                singles.append(time.perf_counter() - start)
            one_export = statistics.median(singles)
            size = result.size
        per_file = journal_cost_per_file(size)
        ratio = per_file / one_export
        figures.append(
            Figure(
                "journal: overhead per document / one export's wall time",
                ratio * 100,
                "%",
                "< 5 %",
                ratio < 0.05,
                f"journal {per_file * 1e3:.2f} ms/file ({size} B) vs export {one_export * 1e3:.0f} ms",
            )
        )
        plain, journaled = [], []
        for _ in range(2):
            with tempfile.TemporaryDirectory() as tmp:
                start = time.perf_counter()
                lf.export_many(docs, tmp, max_concurrent_tasks=4)
                plain.append(time.perf_counter() - start)
            with tempfile.TemporaryDirectory() as tmp:
                start = time.perf_counter()
                run_export(lf, docs, tmp, max_concurrent_tasks=4, check_changes=False)
                journaled.append(time.perf_counter() - start)
        batch = min(journaled) / min(plain)
        figures.append(
            Figure(
                f"journal: run_export / export_many wall time, {BATCH} documents",
                batch,
                "x",
                "info",
                True,
                f"export_many {min(plain):.2f} s, run_export {min(journaled):.2f} s (best of 2)",
            )
        )
        resume = {}
        for jobs in (1_000, 10_000):
            with tempfile.TemporaryDirectory() as tmp:
                resume[jobs] = time_to_first_export(lf, build_journal(Path(tmp), emu, jobs))
        figures.append(
            Figure(
                "journal: resume of 10,000 jobs, seconds to the first new export",
                resume[10_000],
                "s",
                "< 5 s",
                resume[10_000] < 5.0,
                f"1,000 jobs: {resume[1_000]:.2f} s; 10,000 jobs: {resume[10_000]:.2f} s "
                "(half downloaded: their files checked first)",
            )
        )
        small, large = rerun_rss(emu, 1_000), rerun_rss(emu, 10_000)
        growth = large / small
        figures.append(
            Figure(
                "journal: client peak RSS of a rerun, 10,000 jobs / 1,000 jobs",
                growth,
                "x",
                "<= 1.2x",
                growth <= 1.2,
                f"1,000 jobs: {small / 2**20:.1f} MiB; 10,000 jobs: {large / 2**20:.1f} MiB",
            )
        )
    report(figures)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--rerun-rss":
        _rerun_child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
