"""`lf-export runs status JOURNAL [--json]` and `lf-export runs resume JOURNAL` against the emulator."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from lf_emulator.testing import EmulatorServer
from lf_export import ExportClient, PollPolicy
from lf_export._runs import run_export

from .conftest import Cli

POLL = PollPolicy(initial_wait=0.01, max_wait=0.05, quick_answer=0.5)


def exported(emulator: EmulatorServer, dest: Path) -> list[int]:
    ids = [emulator.documents[name] for name in ("one_page", "three_pages", "letter")]
    with ExportClient(emulator.base_url, emulator.repository_id, token=emulator.token, poll=POLL) as lf:
        assert run_export(lf, ids, dest).exported == 3
    return ids


def test_runs_status_shows_counts_and_bytes(cli: Cli, tmp_path: Path) -> None:
    dest = tmp_path / "out"
    exported(cli.emulator, dest)
    result = cli.run("runs", "status", str(dest))  # the folder exported into, or the journal file
    assert result.returncode == 0, result
    assert "3 downloaded" in result.stdout
    assert "r-emulator" in result.stdout
    doc = cli.run("runs", "status", str(dest / ".lf-export" / "journal.sqlite"), "--json").json()
    status = doc["status"]
    assert doc["ok"] is True
    assert status["counts"]["downloaded"] == 3
    assert status["total"] == 3
    assert status["bytes_downloaded"] > 0
    assert status["tasks_started"] == 3


def test_runs_status_names_the_last_errors_and_a_missing_journal(cli: Cli, tmp_path: Path) -> None:
    dest = tmp_path / "out"
    exported(cli.emulator, dest)
    db = sqlite3.connect(dest / ".lf-export" / "journal.sqlite")
    db.execute("UPDATE jobs SET state='failed', last_error='entry locked' WHERE position=1")
    db.commit()
    db.close()
    doc = cli.run("runs", "status", str(dest), "--json").json()
    assert doc["status"]["counts"]["failed"] == 1
    assert doc["status"]["last_errors"][0]["message"] == "entry locked"
    missing = cli.run("runs", "status", str(tmp_path / "nothing.sqlite"))
    assert missing.returncode != 0
    assert "no journal" in missing.stderr


def test_runs_status_refuses_a_damaged_journal(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "journal.sqlite"
    bad.write_bytes(b"garbage" * 1000)
    result = cli.run("runs", "status", str(bad))
    assert result.returncode != 0
    assert "damaged" in result.stderr
    assert "Traceback" not in result.stderr


def test_runs_resume_finishes_what_was_left(cli: Cli, tmp_path: Path) -> None:
    dest = tmp_path / "out"
    exported(cli.emulator, dest)
    db = sqlite3.connect(dest / ".lf-export" / "journal.sqlite")
    db.execute("UPDATE jobs SET state='pending' WHERE position=2")
    db.commit()
    db.close()
    result = cli.run("runs", "resume", str(dest), "--json")
    assert result.returncode == 0, result
    doc = result.json()
    assert (doc["mode"], doc["exported"], doc["unchanged"]) == ("resume", 1, 2)
