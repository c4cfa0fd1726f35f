"""Durable runs from the command line (issue 17): ``export --journal [PATH]`` (rerun = continue, later only
what changed; ``--full``), ``resume --journal PATH`` (an alias of ``runs resume``), a journal that cannot be
used exits 2, and ``--pacing auto|cloud|off`` (flag, LF_PACING, the config file's ``pacing``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from lf_export.cli._config import ConfigError, ConnectionFlags, resolve_connection

from .conftest import Cli


def test_export_journal_rerun_continues_and_full_exports_again(cli: Cli) -> None:
    first = cli.run("export", "10", "11", "12", "--out", "out", "--journal", "--json")
    assert first.returncode == 0, first
    doc = first.json()
    assert (doc["exported"], doc["unchanged"], doc["failed"]) == (3, 0, [])
    journal = cli.cwd / "out" / ".lf-export" / "journal.sqlite"
    assert cli.cwd / doc["journal"] == journal
    assert sorted(p.name for p in (cli.cwd / "out").iterdir() if p.is_file()) == [
        "Contract Alpha.tif",
        "Invoice 1001.tif",
        "Invoice 1002.tif",
    ]

    again = cli.run("export", "10", "11", "12", "--out", "out", "--journal", "--json")
    assert again.returncode == 0, again
    assert (again.json()["exported"], again.json()["unchanged"]) == (0, 3)
    human = cli.run("export", "10", "11", "12", "--out", "out", "--journal")
    assert "0 exported" in human.stderr
    assert "3 unchanged" in human.stderr

    full = cli.run("export", "10", "11", "12", "--out", "out", "--journal", "--full", "--json")
    assert full.returncode == 0, full
    assert full.json()["exported"] == 3

    db = sqlite3.connect(journal)
    db.execute("UPDATE jobs SET state='pending' WHERE position=1")
    db.commit()
    db.close()
    resumed = cli.run("resume", "--journal", str(cli.cwd / "out"), "--json")  # the folder or the file
    assert resumed.returncode == 0, resumed
    assert (resumed.json()["exported"], resumed.json()["unchanged"]) == (1, 2)
    also = cli.run("runs", "resume", str(journal), "--json")
    assert also.returncode == 0, also
    assert also.json()["unchanged"] == 3


def test_export_journal_at_a_given_path(cli: Cli) -> None:
    result = cli.run("export", "10", "--out", "out", "--journal=runs/a.sqlite", "--json")
    assert result.returncode == 0, result
    assert (cli.cwd / "runs" / "a.sqlite").is_file()
    assert not (cli.cwd / "out" / ".lf-export" / "journal.sqlite").exists()
    status = cli.run("runs", "status", "runs/a.sqlite", "--json")
    assert status.json()["status"]["counts"]["downloaded"] == 1
    resumed = cli.run("resume", "--journal", "runs/a.sqlite", "--json")
    assert resumed.returncode == 0, resumed
    assert resumed.json()["unchanged"] == 1


def test_a_journal_that_cannot_be_used_exits_2(cli: Cli) -> None:
    (cli.cwd / "bad.sqlite").write_bytes(b"garbage" * 1000)
    for args in (
        ("export", "10", "--out", "out", "--journal=bad.sqlite"),
        ("resume", "--journal", "bad.sqlite"),
        ("runs", "resume", "bad.sqlite"),
        ("runs", "status", "bad.sqlite"),
    ):
        result = cli.run(*args, "--json")
        assert result.returncode == 2, result
        assert result.json()["error"]["type"] == "JournalError"
        assert "Traceback" not in result.stderr


def test_journal_flag_combinations_are_usage_errors(cli: Cli) -> None:
    task = "00000000-0000-4000-8000-000000000000"
    for args, needle in (
        (("export", "10", "--full"), "only applies with --journal"),
        (("export", "10", "--journal", "--out-file", "a.tif"), "cannot be used with --journal"),
        (("export", "10", "--journal", "--no-wait"), "cannot be used with --journal"),
        (("export", "10", "--journal", "--skip-existing"), "cannot be used with --journal"),
        (("resume",), "give TASK_ID or --journal PATH"),
        (("resume", task, "--journal", "x.sqlite"), "not both"),
        (("resume", "--journal", "x.sqlite", "--overwrite"), "only applies with TASK_ID"),
        (("resume", task, "--full"), "only applies with --journal"),
    ):
        result = cli.run(*args)
        assert result.returncode == 2, result
        assert needle in result.stderr, result


@pytest.mark.emulator_config(task_seconds=3)
def test_a_journal_run_stopped_by_its_deadline_is_continued(own_cli: Cli) -> None:
    stopped = own_cli.run(
        "export",
        "10",
        "11",
        "--out",
        "out",
        "--journal",
        "--deadline",
        "1s",
        "--max-concurrent-tasks",
        "2",
        "--json",
    )
    assert stopped.returncode == 5, stopped
    doc = stopped.json()
    assert doc["unfinished"] == 2
    journal = own_cli.cwd / "out" / ".lf-export" / "journal.sqlite"
    assert doc["resume"] == ["lf-export resume --journal out/.lf-export/journal.sqlite"]
    assert "Continue with" in stopped.stderr
    finished = own_cli.run("resume", "--journal", str(journal), "--json")
    assert finished.returncode == 0, finished
    assert finished.json()["exported"] == 2
    assert (
        finished.json()["adopted"] == 2
    )  # the tasks the first run started were waited on, not started again


def test_pacing_flag_env_and_config_file(cli: Cli, tmp_path: Path) -> None:
    flag = cli.run("-v", "audit-reasons", "--pacing", "off")
    assert flag.returncode == 0, flag
    assert "pacing off" in flag.stderr
    assert "pacing from --pacing" in flag.stderr
    env = cli.run("-v", "audit-reasons", env={"LF_PACING": "cloud"})
    assert env.returncode == 0, env
    assert "pacing cloud" in env.stderr
    config = tmp_path / "config.toml"
    config.write_text('pacing = "Cloud"\n', encoding="utf-8")
    from_file = cli.run("-v", "export", "10", "--out", "o", "--config", str(config))
    assert from_file.returncode == 0, from_file
    assert "pacing cloud" in from_file.stderr
    default = cli.run("-v", "audit-reasons")
    assert "pacing auto" in default.stderr
    bad = cli.run("audit-reasons", "--pacing", "fast", "--json")
    assert bad.returncode == 2, bad
    assert "pacing must be one of auto, cloud, off" in bad.stderr


def test_pacing_is_resolved_like_the_other_settings(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('base_url = "http://x"\nrepository_id = "r-1"\ntoken = "t"\npacing = "off"\n', "utf-8")
    assert resolve_connection(ConnectionFlags(config=config), {}).pacing == "off"
    assert resolve_connection(ConnectionFlags(config=config), {"LF_PACING": "cloud"}).pacing == "cloud"
    assert (
        resolve_connection(ConnectionFlags(config=config, pacing="AUTO"), {"LF_PACING": "x"}).pacing == "auto"
    )
    config.write_text(
        'base_url = "http://x"\nrepository_id = "r-1"\ntoken = "t"\npacing = "sometimes"\n', "utf-8"
    )
    with pytest.raises(ConfigError, match="pacing must be one of"):
        resolve_connection(ConnectionFlags(config=config), {})
