"""Reruns and streaming (issue 14, items 2 and 6).

The rule: a file that exists is never replaced or duplicated silently. Without a flag the entry fails (exit 1)
and the file is kept; ``--overwrite`` replaces, ``--rename`` keeps both, ``--skip-existing`` reports the entry
``exists`` (exit 0); the three are mutually exclusive. With ``--out-file`` the name is known beforehand and
the check runs before any request; in ``--out`` the server names the file, so the check runs when it arrives.
Each outcome is printed as it ends; ``--jsonl`` prints one JSON line per result, then the summary.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from lf_emulator.testing import EmulatorServer

from .conftest import LF_EXPORT, Cli

TIFF_MAGIC = (b"II*\x00", b"MM\x00*")


def _files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_a_batch_rerun_does_not_multiply_files(cli: Cli) -> None:
    first = cli.run("export", "10", "11", "--out", "d", "--json")
    assert first.returncode == 0, first
    before = _files(cli.cwd / "d")
    again = cli.run("export", "10", "11", "--out", "d", "--json")
    assert again.returncode == 1, again
    assert _files(cli.cwd / "d") == before == ["Invoice 1001.tif", "Invoice 1002.tif"]
    for row in again.json()["results"]:
        assert row["status"] == "failed"
        assert row["error"]["existing"].startswith("d/")
        assert row["error"]["exit_code"] == 1  # what the process exits with for this error alone
        assert "overwrite=True" not in row["error"]["message"]
    assert "--overwrite" in again.stderr
    assert "--rename" in again.stderr
    assert "--skip-existing" in again.stderr


def test_skip_existing_and_rename(cli: Cli) -> None:
    assert cli.run("export", "10", "11", "--out", "d").returncode == 0
    (cli.cwd / "d" / "Invoice 1001.tif").write_bytes(b"mine")
    skipped = cli.run("export", "10", "11", "--out", "d", "--skip-existing", "--json")
    assert skipped.returncode == 0, skipped
    assert [row["status"] for row in skipped.json()["results"]] == ["exists", "exists"]
    assert (cli.cwd / "d" / "Invoice 1001.tif").read_bytes() == b"mine"
    renamed = cli.run("export", "10", "--out", "d", "--rename", "--json")
    assert renamed.returncode == 0, renamed
    assert renamed.json()["results"][0]["path"] == "d/Invoice 1001 (2).tif"
    assert (cli.cwd / "d" / "Invoice 1001.tif").read_bytes() == b"mine"


def test_the_three_flags_are_mutually_exclusive(own_cli: Cli, emulator: EmulatorServer) -> None:
    result = own_cli.run("export", "10", "--overwrite", "--rename", "--skip-existing", "--json")
    assert result.returncode == 2, result
    assert "mutually exclusive" in result.stderr
    assert emulator.counters()["requests"] == {}


def test_out_file_is_checked_before_any_export_is_started(own_cli: Cli, emulator: EmulatorServer) -> None:
    target = own_cli.cwd / "x.tif"
    target.write_bytes(b"mine")
    refused = own_cli.run("export", "13", "--out-file", "x.tif", "--json")
    assert refused.returncode == 1, refused
    row = refused.json()["results"][0]
    assert (row["status"], row["error"]["existing"]) == ("failed", "x.tif")
    skipped = own_cli.run("export", "13", "--out-file", "x.tif", "--skip-existing", "--json")
    assert skipped.returncode == 0, skipped
    assert skipped.json()["results"][0]["status"] == "exists"
    assert emulator.counters()["requests"] == {}  # neither run sent anything
    assert target.read_bytes() == b"mine"

    renamed = own_cli.run("export", "10", "--out-file", "x.tif", "--rename", "--json")
    assert renamed.returncode == 0, renamed
    assert renamed.json()["results"][0]["path"] == "x (2).tif"
    replaced = own_cli.run("export", "10", "--out-file", "x.tif", "--overwrite", "--json")
    assert replaced.returncode == 0, replaced
    assert target.read_bytes()[:4] in TIFF_MAGIC
    assert own_cli.run("export", "10", "11", "--out-file", "x.tif").returncode == 2


def test_resume_suggests_the_flag_not_the_python_spelling(cli: Cli) -> None:
    first = cli.run("export", "10", "--mode", "async", "--out", "r", "--json")
    assert first.returncode == 0, first
    started = cli.run("export", "10", "--no-wait", "--json")
    task_id = started.json()["started"][0]["task_id"]
    again = cli.run("resume", task_id, "--out", "r", "--json")
    assert again.returncode == 1, again
    message = again.json()["results"][0]["error"]["message"]
    assert "add --overwrite" in message
    assert "overwrite=True" not in again.stdout + again.stderr


@pytest.mark.emulator_config(task_seconds=0.2)
def test_jsonl_prints_each_result_as_it_ends_then_the_summary(own_cli: Cli, emulator: EmulatorServer) -> None:
    proc = subprocess.Popen(
        [str(LF_EXPORT), "export", "10", "13", "--max-concurrent-tasks", "1", "--out", "j", "--jsonl"],
        cwd=own_cli.cwd,
        env=own_cli.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = json.loads(proc.stdout.readline())  # arrives while entry 13 (40 pages) is still exporting
    seen_at = time.monotonic()
    rest, _ = proc.communicate(timeout=60)
    ended_at = time.monotonic()
    assert proc.returncode == 0
    assert (first["type"], first["entry_id"], first["status"]) == ("result", 10, "ok")
    lines = [json.loads(line) for line in rest.splitlines()]
    assert [line["type"] for line in lines] == ["result", "summary"]
    assert lines[0]["entry_id"] == 13
    assert lines[1]["exit_code"] == 0
    assert "results" not in lines[1]
    assert ended_at > seen_at


def test_human_output_streams_each_outcome_on_stderr(cli: Cli) -> None:
    result = cli.run("export", "10", "23", "--out", "h")
    assert result.returncode == 1, result
    assert "✓ entry 10 → h/Invoice 1001.tif" in result.stderr
    assert "error: entry 23:" in result.stderr
