"""Kill test: `lf-export export` killed with SIGKILL in the middle of its download leaves no file under the
final name, and `lf-export resume TASK_ID --out DIR` with the task id it printed finishes it, byte for byte,
and removes the hidden temp file the killed run could not.

The emulator (in this process) slows the download origin down so the kill lands mid-transfer; the CLI runs as
a child process with its credentials in the environment, and everything it prints goes through the leak guard.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from lf_emulator.testing import EmulatorServer, FaultProfile
from lf_export import ExportClient, ExportOptions

from .conftest import LeakGuard

SIZE = 6 * 1024 * 1024 + 321
TASK_STARTED = re.compile(r"export task ([0-9a-f-]{36}) started")
CLI = shutil.which("lf-export", path=str(Path(sys.executable).parent)) or shutil.which("lf-export")

pytestmark = pytest.mark.skipif(CLI is None, reason="the lf-export command is not installed")


def visible_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def temp_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.mark.emulator_config(task_seconds=0.2, large_edoc_bytes=SIZE)
def test_sigkill_mid_download_leaves_no_final_file_and_resume_finishes(
    emulator: EmulatorServer, tmp_path: Path, leak_guard: LeakGuard
) -> None:
    assert CLI is not None
    entry = emulator.documents["large_edoc"]
    reference = tmp_path / "reference"
    reference.mkdir()
    with ExportClient(emulator.base_url, emulator.repository_id, token=emulator.token) as lf:
        expected = hashlib.sha256(
            lf.export(entry, ExportOptions.edoc(), reference, mode="sync").path.read_bytes()
        )
    emulator.set_faults(FaultProfile(download_delay_seconds=0.25))  # a few seconds for the whole body

    out = tmp_path / "out"
    out.mkdir()
    env = dict(
        os.environ,
        LF_BASE_URL=emulator.base_url,
        LF_REPOSITORY_ID=emulator.repository_id,
        LF_ACCESS_TOKEN=emulator.token,
        NO_COLOR="1",
    )
    cmd = [CLI, "export", str(entry), "--part", "edoc", "--mode", "async", "--out", str(out), "-v"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    printed: list[str] = []
    readers = [
        threading.Thread(target=lambda s=stream: printed.extend(s), daemon=True)
        for stream in (proc.stdout, proc.stderr)
    ]
    for reader in readers:
        reader.start()
    task_id = None
    try:
        limit = time.monotonic() + 60
        while time.monotonic() < limit and proc.poll() is None:
            found = [m.group(1) for line in list(printed) if (m := TASK_STARTED.search(line))]
            if found and temp_bytes(out) > 0:
                task_id = found[0]
                break
            time.sleep(0.02)
        assert task_id is not None, f"no task id printed or no download started: {printed}"
        assert proc.poll() is None, "the export finished before the kill"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        for reader in readers:
            reader.join(5)
    killed_output = "".join(printed)

    # Killed mid-download: at most a hidden temp file, nothing under the final name.
    assert visible_files(out) == []
    assert 0 < temp_bytes(out) < SIZE

    # The killed process cannot remove its temp file; the next download into the folder does (it is not
    # locked: its writer is gone). Age it past the few seconds' grace that protects a file being created.
    (leftover,) = [p for p in out.iterdir() if p.name.endswith(".part")]
    os.utime(leftover, (time.time() - 60, time.time() - 60))

    emulator.clear_faults()
    resumed = subprocess.run(
        [CLI, "resume", task_id, "--out", str(out)], env=env, capture_output=True, text=True, timeout=60
    )
    assert resumed.returncode == 0, resumed.stderr
    files = visible_files(out)
    assert len(files) == 1
    final = out / files[0]
    assert final.stat().st_size == SIZE
    assert hashlib.sha256(final.read_bytes()).digest() == expected.digest()
    assert not leftover.exists()  # issue 14: SIGKILL litter is cleaned by the next run
    assert temp_bytes(out) == 0
    assert emulator.counters()["download_auth_headers"] == 0
    # The token is in the children's environment only: never in anything they printed.
    leak_guard.texts.extend([killed_output, resumed.stdout, resumed.stderr])
    assert emulator.token not in killed_output + resumed.stdout + resumed.stderr
