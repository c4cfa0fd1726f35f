"""Kill test for durable runs: a bulk `run_export` in a child process is SIGKILLed at random moments (while
submitting, polling, downloading or writing its journal) several times and run again each time until done.

Then: every document is on disk exactly once, byte-identical to a fault-free run; no partial file sits under a
final name (nothing is left in the staging folder either); and after each kill the number of exports started
again is no larger than the number that were in flight when it died (tasks the journal recorded are adopted,
not started again). The counts are printed (``-s`` shows them).
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest
from lf_emulator.synthetic import SYNTHETIC_ROOT_ID
from lf_emulator.testing import EmulatorServer
from lf_export import ExportClient, PollPolicy
from lf_export._runs import run_export

from ._support import LARGE
from .conftest import LeakGuard

DOCS = 300 if LARGE else 40
KILLS = 6 if LARGE else 3
POLL = PollPolicy(initial_wait=0.02, max_wait=0.1, quick_answer=0.5)

CHILD = textwrap.dedent(
    """
    import os, sys
    from lf_export import ExportClient, PollPolicy
    from lf_export._runs import run_export
    docs, out = [int(e) for e in sys.argv[1].split(",")], sys.argv[2]
    poll = PollPolicy(initial_wait=0.02, max_wait=0.1, quick_answer=0.5)
    env = os.environ
    lf = ExportClient(env["LF_BASE_URL"], env["LF_REPOSITORY_ID"], token=env["LF_ACCESS_TOKEN"], poll=poll)
    with lf:
        summary = run_export(lf, docs, out, max_concurrent_tasks=4)
    print("done", summary.exported, summary.adopted, summary.unchanged, len(summary.failed), flush=True)
    """
)


def final_files(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".")
    }


def export_starts(emu: EmulatorServer) -> Counter[int]:
    tasks = list(emu.state.tasks._tasks.values())
    return Counter(t.entry_id for t in tasks if t.task_type == "ExportEntry")


def downloaded(out: Path) -> set[int]:
    db = sqlite3.connect(out / ".lf-export" / "journal.sqlite")
    try:
        return {e for (e,) in db.execute("SELECT entry_id FROM jobs WHERE state='downloaded'")}
    finally:
        db.close()


@pytest.mark.emulator_config(
    synthetic_entries=DOCS + DOCS // 50 + 10,  # room for the tree's folders and shortcuts
    task_seconds=0.5,
    max_concurrent_tasks=4,
    long_poll_max_seconds=1.0,
)
def test_a_run_killed_again_and_again_ends_with_every_document_exactly_once(
    emulator: EmulatorServer, tmp_path: Path, leak_guard: LeakGuard
) -> None:
    tree = emulator.state.repository.subtree(SYNTHETIC_ROOT_ID)
    docs = [e.id for e in tree if e.entry_type == "Document"][:DOCS]  # not its folders and shortcuts
    assert len(docs) == DOCS
    reference = tmp_path / "reference"
    with ExportClient(emulator.base_url, emulator.repository_id, token=emulator.token, poll=POLL) as lf:
        clean = run_export(lf, docs, reference, max_concurrent_tasks=4)
    assert clean.ok, clean.failed
    assert clean.exported == DOCS
    expected = final_files(reference)
    assert len(expected) == DOCS

    out = tmp_path / "out"
    env = dict(
        os.environ,
        LF_BASE_URL=emulator.base_url,
        LF_REPOSITORY_ID=emulator.repository_id,
        LF_ACCESS_TOKEN=emulator.token,
    )
    cmd = [sys.executable, "-c", CHILD, ",".join(map(str, docs)), str(out)]
    rng = random.Random(int(os.environ.get("LF_CHAOS_SEED", "17")))
    printed: list[str] = []
    rows: list[str] = []
    kills = 0
    before = export_starts(emulator)  # the reference run's tasks
    in_flight: set[int] | None = None
    started_before: Counter[int] = Counter()
    for attempt in range(KILLS + 20):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        killed = False
        if kills < KILLS:
            time.sleep(rng.uniform(0.7, 1.6))  # ~0.5 s of it is the child start-up
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                killed = True
        stdout, stderr = proc.communicate(timeout=300)
        printed += [stdout, stderr]
        now = export_starts(emulator) - before
        if in_flight is not None:
            # Exports started by this run for entries that an earlier run had already started.
            again = sum(now[e] - started_before[e] for e in started_before)
            rows.append(f"after kill {kills}: {len(in_flight)} in flight, {again} started again")
            assert again <= len(in_flight), rows[-1]
        if not killed:
            assert proc.returncode == 0, stderr
            assert stdout.startswith("done"), stdout + stderr
            break
        kills += 1
        done = downloaded(out) if (out / ".lf-export" / "journal.sqlite").exists() else set()
        started_before = now.copy()
        in_flight = {e for e, n in now.items() if n and e not in done}
        rows.append(
            f"kill {kills} (attempt {attempt + 1}): {len(done)} downloaded, {len(in_flight)} in flight"
        )
    else:
        pytest.fail(f"the run never finished: {rows}")
    print("\n" + "\n".join(rows))
    print(f"exports started in all: {sum((export_starts(emulator) - before).values())} for {DOCS} documents")

    assert kills == KILLS
    assert final_files(out) == expected  # each exactly once, byte-identical, under its final name
    staged = [p for p in (out / ".lf-export").rglob("*") if p.is_file() and "incoming" in str(p)]
    assert staged == []
    leak_guard.texts.extend(printed)
