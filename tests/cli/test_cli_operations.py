"""`lf-export copy` and `lf-export delete` (issue 15) against a fresh emulator: copy then delete leaves the
tree as it was, --no-wait and `tasks wait` (the task type, a copy's new entry), --yes and the terminal prompt,
audit reasons by id or name, deadlines, Ctrl-C (a command cancels only what it started), exit codes."""

from __future__ import annotations

import signal
import time

import pexpect
import pytest
from lf_emulator.testing import EmulatorServer

from .conftest import LF_EXPORT, Cli

GUIDE_FOLDER = 9  # "\Guide Example": a folder, a nested folder, two documents
DESTINATION = 8  # "\destination"


def test_copy_then_delete_leaves_the_tree_as_it_was(own_cli: Cli, emulator: EmulatorServer) -> None:
    before = emulator.tree()
    copied = own_cli.run("copy", str(GUIDE_FOLDER), "--to", str(DESTINATION), "--json")
    assert copied.returncode == 0, copied
    doc = copied.json()
    entry = doc["entry"]
    assert entry["path"] == "\\destination\\Guide Example"
    assert entry["entry_type"] == "Folder"
    assert doc["task_id"]
    assert emulator.entry_id("\\destination\\Guide Example\\Nested\\Nested Page") is not None  # deep
    assert emulator.tree() != before

    human = own_cli.run(
        "copy", str(GUIDE_FOLDER), "--to", str(DESTINATION), "--auto-rename", "--name", "Guide"
    )
    assert human.returncode == 0, human
    assert "\\destination\\Guide" in human.stdout
    again = own_cli.run("copy", str(GUIDE_FOLDER), "--to", str(DESTINATION), "--name", "Guide", "--json")
    assert again.returncode == 1, again  # the name is taken: the copy's own failure, as for export
    assert again.json()["error"]["exit_code"] == 1

    second = emulator.entry_id("\\destination\\Guide")
    assert second is not None
    deleted = own_cli.run("delete", str(entry["entry_id"]), str(second), "--yes", "--json")
    assert deleted.returncode == 0, deleted
    assert [r["status"] for r in deleted.json()["results"]] == ["deleted", "deleted"]
    assert emulator.tree() == before


def test_no_wait_then_tasks_wait_shows_the_type_and_the_new_entry(
    own_cli: Cli, emulator: EmulatorServer
) -> None:
    before = emulator.tree()
    started = own_cli.run("copy", str(GUIDE_FOLDER), "--to", str(DESTINATION), "--no-wait", "--json")
    assert started.returncode == 0, started
    doc = started.json()
    task = doc["started"][0]["task_id"]
    assert doc["started"][0]["task_type"] == "CopyEntry"
    assert doc["finish"] == [f"lf-export tasks wait {task}"]
    human = own_cli.run("copy", str(GUIDE_FOLDER), "--to", str(DESTINATION), "--no-wait", "--auto-rename")
    assert "finish with: lf-export tasks wait" in human.stderr

    waited = own_cli.run("tasks", "wait", task, "--json")
    assert waited.returncode == 0, waited
    status = waited.json()["tasks"][0]
    assert status["task_type"] == "CopyEntry"
    assert status["status"] == "Completed"
    new_entry = status["new_entry"]
    assert new_entry["path"] == "\\destination\\Guide Example"
    assert new_entry["entry_id"] == emulator.entry_id("\\destination\\Guide Example")
    table = own_cli.run("tasks", "status", task)
    assert "CopyEntry" in table.stdout
    assert "new entry" in table.stdout
    assert "\\destination\\Guide Example" in table.stdout

    renamed = emulator.entry_id("\\destination\\Guide Example (2)")
    assert renamed is not None
    deleting = own_cli.run("delete", str(new_entry["entry_id"]), str(renamed), "--yes", "--no-wait", "--json")
    assert deleting.returncode == 0, deleting
    tasks = [d["task_id"] for d in deleting.json()["started"]]
    assert {d["task_type"] for d in deleting.json()["started"]} == {"DeleteEntry"}
    assert deleting.json()["finish"] == ["lf-export tasks wait " + " ".join(tasks)]
    done = own_cli.run("tasks", "wait", *tasks, "--json")
    assert done.returncode == 0, done
    assert {d["task_type"] for d in done.json()["tasks"]} == {"DeleteEntry"}
    assert emulator.tree() == before


def test_delete_without_yes_is_refused_when_not_on_a_terminal(own_cli: Cli, emulator: EmulatorServer) -> None:
    result = own_cli.run("delete", "10", "--json")
    assert result.returncode == 2, result
    assert "--yes" in result.stderr
    assert emulator.counters()["requests"] == {}  # nothing was sent
    assert emulator.entry_id("\\Invoices\\Invoice 1001") is not None or emulator.tree()


def _spawn(cli: Cli, *args: str) -> pexpect.spawn:
    env = {**cli.env, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    return pexpect.spawn(str(LF_EXPORT), list(args), cwd=str(cli.cwd), env=env, encoding="utf-8", timeout=60)


def test_delete_asks_on_a_terminal(own_cli: Cli, emulator: EmulatorServer) -> None:
    before = emulator.tree()
    child = _spawn(own_cli, "delete", str(GUIDE_FOLDER))
    child.expect("Guide Example")
    child.expect(r"Delete 1 entry\?")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert emulator.tree() == before
    child = _spawn(own_cli, "delete", str(GUIDE_FOLDER))
    child.expect(r"Delete 1 entry\?")
    child.sendline("y")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert emulator.entry_id("\\Guide Example") is None


def test_delete_audit_reason_by_name_or_id_from_the_delete_reasons(
    own_cli: Cli, emulator: EmulatorServer
) -> None:
    wrong_kind = own_cli.run("delete", "62", "--yes", "--audit-reason", "Legal request")
    assert wrong_kind.returncode == 2, wrong_kind  # an ExportDocument reason
    assert "matches no DeleteEntry audit reason" in wrong_kind.stderr
    assert "8 Duplicate" in wrong_kind.stderr
    by_id = own_cli.run("delete", "62", "--yes", "--audit-reason", "1")
    assert by_id.returncode == 2, by_id
    assert "is not a DeleteEntry audit reason" in by_id.stderr
    assert emulator.entry_id("\\Guide Example\\Sample Page") is not None
    by_name = own_cli.run(
        "delete", "62", "--yes", "--audit-reason", "created in error", "--audit-comment", "x"
    )
    assert by_name.returncode == 0, by_name
    assert emulator.entry_id("\\Guide Example\\Sample Page") is None


@pytest.mark.emulator_config(require_audit_reason=True)
def test_delete_names_the_delete_reasons_when_one_is_required(own_cli: Cli) -> None:
    result = own_cli.run("delete", "62", "--yes", "--json")
    assert result.returncode == 1, result
    assert "requires an audit reason" in result.stderr
    assert "8 (Duplicate)" in result.stderr
    assert "1 (Legal request)" not in result.stderr


def test_unknown_entries_fail_on_their_own_and_a_wrong_repository_exits_4(own_cli: Cli) -> None:
    copy = own_cli.run("copy", "999999", "--to", str(DESTINATION), "--json")
    assert copy.returncode == 1, copy
    deleted = own_cli.run("delete", "999999", "62", "--yes", "--json")
    assert deleted.returncode == 1, deleted
    assert [r["status"] for r in deleted.json()["results"]] == ["failed", "deleted"]
    wrong = {"LF_REPOSITORY_ID": "r-nope"}
    for args in (
        ("copy", str(GUIDE_FOLDER), "--to", str(DESTINATION)),
        ("delete", "10", "11", "--yes"),
        ("export", "10", "11", "--out", "x"),
        ("export", "10", "--out", "x"),
        ("audit-reasons",),
    ):
        result = own_cli.run(*args, "--json", env=wrong)
        assert result.returncode == 4, result
        if args[0] != "audit-reasons":
            assert "repository id" in result.stderr, result
    assert (
        own_cli.run("delete", "10", "11", "--yes", "--json", env=wrong).json()["results"][1]["status"]
        == "skipped"
    )


@pytest.mark.emulator_config(task_seconds=30)
def test_copy_deadline_leaves_the_copy_running_and_says_how_to_finish(own_cli: Cli) -> None:
    result = own_cli.run("copy", str(GUIDE_FOLDER), "--to", str(DESTINATION), "--deadline", "1s", "--json")
    assert result.returncode == 5, result
    doc = result.json()
    assert doc["finish"] == [f"lf-export tasks wait {doc['task_id']}"]
    assert "still running" in result.stderr
    status = own_cli.run("tasks", "status", doc["task_id"], "--json").json()["tasks"][0]
    assert status["status"] in ("NotStarted", "InProgress")
    own_cli.run("tasks", "cancel", doc["task_id"])


@pytest.mark.emulator_config(task_seconds=30)
def test_ctrl_c_cancels_the_copy_it_started(own_cli: Cli) -> None:
    proc = own_cli.popen("copy", str(GUIDE_FOLDER), "--to", str(DESTINATION), "--json")
    time.sleep(2.5)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "cancelled remote task(s)" in stderr
    assert "lf-export ls 8" in stderr  # where a partial copy would be
    import json

    doc = json.loads(stdout)
    assert doc["cancelled"] == [doc["task_id"]]
    status = own_cli.run("tasks", "status", doc["task_id"], "--json").json()["tasks"][0]
    assert status["status"] in ("Cancelled", "InProgress")  # cancellation started


@pytest.mark.emulator_config(task_seconds=30)
def test_ctrl_c_with_keep_on_interrupt_leaves_the_delete_running(own_cli: Cli) -> None:
    proc = own_cli.popen("delete", str(GUIDE_FOLDER), "--yes", "--keep-on-interrupt", "--json")
    time.sleep(2.5)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "left running on the server" in stderr
    assert "lf-export tasks wait" in stderr
    import json

    doc = json.loads(stdout)
    assert doc["results"][0]["status"] == "interrupted"
    assert doc["resume"] == [f"lf-export tasks wait {doc['left_running'][0]}"]
