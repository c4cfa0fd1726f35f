"""The documented exit codes, one failure class at a time, and Ctrl-C (SIGINT) cancelling remote tasks.

0 ok · 1 some exports failed (others kept) · 2 usage/validation · 3 auth · 4 API error · 5 deadline ·
130 interrupted.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time

import pytest
from lf_emulator.testing import EmulatorServer, FaultProfile

from .conftest import Cli, assert_no_secrets


def _wait_for(predicate: object, timeout: float = 15.0) -> None:
    assert callable(predicate)
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("condition not reached")
        time.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_1_some_exports_failed_others_kept(cli: Cli) -> None:
    result = cli.run("export", "10", "23", "999", "--out", "mixed", "--json")
    assert result.returncode == 1, result
    rows = {row["entry_id"]: row for row in result.json()["results"]}
    assert rows[10]["status"] == "ok"
    assert (cli.cwd / rows[10]["path"]).is_file()
    # The locked document's task fails (status 423); an unknown entry id is a 404.
    assert rows[23]["status"] == "failed"
    assert rows[23]["error"]["type"] == "TaskFailedError"
    assert rows[999]["status"] == "failed"
    assert rows[999]["error"]["status"] == 404
    assert "entry 23" in result.stderr
    assert "entry 999" in result.stderr


def test_2_validation_lists_every_problem_and_sends_nothing(own_cli: Cli, emulator: EmulatorServer) -> None:
    result = own_cli.run(
        "export", "10", "x7", "--format", "jpeg", "--jpeg-quality", "120", "--pages", "3-1",
        "--watermark", "  ", "--watermark-angle", "400", "--redaction-char", "ab", "--deadline", "soon",
        "--json",
    )  # fmt: skip
    assert result.returncode == 2, result
    issues = result.json()["error"]["issues"]
    flags = {issue["flag"] for issue in issues}
    assert flags >= {
        "ENTRY_ID",
        "--jpeg-quality",
        "--pages",
        "--watermark",
        "--watermark-angle",
        "--redaction-char",
        "--deadline",
    }
    assert "invalid options (" in result.stderr
    assert "--watermark-angle (imageOptions.watermark.rotationAngle)" in result.stderr
    assert emulator.counters()["requests"] == {}


def test_2_usage_error_from_click(cli: Cli) -> None:
    result = cli.run("export", "10", "--no-such-flag", "--json")
    assert result.returncode == 2, result
    assert result.json()["error"]["type"] == "UsageError"


def test_2_missing_configuration(cli: Cli) -> None:
    result = cli.run("audit-reasons", env={"LF_BASE_URL": None, "LF_ACCESS_TOKEN": None})
    assert result.returncode == 2, result
    assert "no server" in result.stderr
    assert "no credentials" in result.stderr


def test_3_authentication(cli: Cli) -> None:
    result = cli.run("export", "10", "--out", "x", "--json", env={"LF_ACCESS_TOKEN": "s3cr3t-tok3n"})
    assert result.returncode == 3, result
    assert result.json()["results"][0]["error"]["status"] == 401
    assert not (cli.cwd / "x" / "Invoice 1001.tif").exists()
    other = cli.run("audit-reasons", "--json", env={"LF_ACCESS_TOKEN": "s3cr3t-tok3n"})
    assert other.returncode == 3, other
    assert other.json()["error"]["type"] == "AuthenticationError"


def test_4_api_unreachable(cli: Cli) -> None:
    url = f"http://127.0.0.1:{_free_port()}/repository"
    result = cli.run(
        "tasks", "status", "0f9c2a6e-1111-4222-8333-944445555666", "--json", env={"LF_BASE_URL": url}
    )
    assert result.returncode == 4, result
    assert result.json()["error"]["type"] == "NetworkError"
    assert "stamina" not in result.stderr  # the retries' log notices stay quiet without -v


@pytest.mark.emulator_config(
    faults=FaultProfile(p_5xx=1.0, statuses_5xx=(500,), operations=("ListAuditReasons",))
)
def test_4_server_error(own_cli: Cli) -> None:
    result = own_cli.run("audit-reasons", "--json")
    assert result.returncode == 4, result
    assert result.json()["error"]["status"] == 500


@pytest.mark.emulator_config(task_seconds=60)
def test_5_deadline_leaves_the_task_running_and_prints_resume(own_cli: Cli, emulator: EmulatorServer) -> None:
    result = own_cli.run("export", "11", "--mode", "async", "--deadline", "500ms", "--out", "late", "--json")
    assert result.returncode == 5, result
    doc = result.json()
    row = doc["results"][0]
    assert row["status"] == "timeout"
    task_id = row["task_id"]
    assert doc["resume"] == [f"lf-export resume {task_id} --out late"]
    assert f"lf-export resume {task_id} --out late" in result.stderr
    assert emulator.counters()["tasks_cancelled"] == 0

    emulator.advance_clock(120)  # the task completes on the emulator's clock
    resumed = own_cli.run("resume", task_id, "--out", "late", "--json")
    assert resumed.returncode == 0, resumed
    done = resumed.json()["results"][0]
    assert done["entry_id"] == 11
    assert (own_cli.cwd / done["path"]).is_file()


def _interrupt_after_submit(
    cli: Cli, emulator: EmulatorServer, *args: str
) -> subprocess.CompletedProcess[str]:
    proc = cli.popen(*args)
    try:
        _wait_for(lambda: emulator.counters()["tasks_started"] >= 1 or proc.poll() is not None)
        _wait_for(lambda: emulator.counters()["long_polls"] >= 1 or proc.poll() is not None)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.emulator_config(task_seconds=60, long_poll_max_seconds=30)
def test_130_sigint_during_export_cancels_the_remote_task(own_cli: Cli, emulator: EmulatorServer) -> None:
    done = _interrupt_after_submit(own_cli, emulator, "export", "11", "--mode", "async", "--json")
    assert done.returncode == 130, done
    assert_no_secrets(done.stdout + done.stderr, own_cli.env)
    assert emulator.counters()["tasks_cancelled"] == 1
    doc = __import__("json").loads(done.stdout)
    assert doc["exit_code"] == 130
    assert doc["interrupted"] is True
    assert len(doc["cancelled"]) == 1
    assert doc["results"][0]["status"] == "interrupted"
    assert doc["results"][0]["task_id"] == doc["cancelled"][0]
    assert "cancelled remote task(s)" in done.stderr


@pytest.mark.emulator_config(task_seconds=60, long_poll_max_seconds=30)
def test_130_sigint_during_tasks_wait_leaves_the_task_and_prints_resume(
    own_cli: Cli, emulator: EmulatorServer
) -> None:
    """One rule: a command cancels only what it started. `tasks wait` did not start the task."""
    started = own_cli.run("export", "12", "--no-wait", "--json")
    assert started.returncode == 0, started
    task_id = started.json()["started"][0]["task_id"]
    done = _interrupt_after_submit(own_cli, emulator, "tasks", "wait", task_id, "--json")
    assert done.returncode == 130, done
    assert f"lf-export resume {task_id}" in done.stderr
    doc = __import__("json").loads(done.stdout)
    assert (doc["cancelled"], doc["left_running"]) == ([], [task_id])
    assert doc["resume"] == [f"lf-export resume {task_id}"]
    assert emulator.counters()["tasks_cancelled"] == 0
    status = own_cli.run("tasks", "status", task_id, "--json")
    assert status.json()["tasks"][0]["status"] == "InProgress"


@pytest.mark.emulator_config(task_seconds=60, long_poll_max_seconds=30)
def test_130_sigint_during_resume_prints_its_resume_command(own_cli: Cli, emulator: EmulatorServer) -> None:
    started = own_cli.run("export", "12", "--no-wait", "--json")
    task_id = started.json()["started"][0]["task_id"]
    done = _interrupt_after_submit(own_cli, emulator, "resume", task_id, "--out", "later", "--json")
    assert done.returncode == 130, done
    assert f"lf-export resume {task_id} --out later" in done.stderr
    doc = __import__("json").loads(done.stdout)
    assert doc["resume"] == [f"lf-export resume {task_id} --out later"]
    assert doc["results"][0]["status"] == "interrupted"
    assert doc["results"][0]["error"]["exit_code"] == 130
    assert emulator.counters()["tasks_cancelled"] == 0


@pytest.mark.emulator_config(task_seconds=60, long_poll_max_seconds=30)
def test_130_sighup_during_export_cancels_like_ctrl_c(own_cli: Cli, emulator: EmulatorServer) -> None:
    """A dropped ssh session (SIGHUP) cancels what the command started and names it, as Ctrl-C does."""
    proc = own_cli.popen("export", "11", "--mode", "async", "--json")
    try:
        _wait_for(lambda: emulator.counters()["long_polls"] >= 1 or proc.poll() is not None)
        proc.send_signal(signal.SIGHUP)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, (out, err)
    doc = __import__("json").loads(out)
    assert len(doc["cancelled"]) == 1
    assert emulator.counters()["tasks_cancelled"] == 1


@pytest.mark.emulator_config(task_seconds=60, long_poll_max_seconds=30)
def test_130_keep_on_interrupt_lists_the_task_instead(own_cli: Cli, emulator: EmulatorServer) -> None:
    done = _interrupt_after_submit(
        own_cli, emulator, "export", "11", "--mode", "async", "--keep-on-interrupt"
    )
    assert done.returncode == 130, done
    assert "left running on the server" in done.stderr
    assert "lf-export resume " in done.stderr
    assert emulator.counters()["tasks_cancelled"] == 0


@pytest.mark.emulator_config(task_seconds=60, long_poll_max_seconds=30)
def test_130_tasks_wait_keep_on_interrupt_is_deprecated_but_accepted(
    own_cli: Cli, emulator: EmulatorServer
) -> None:
    started = own_cli.run("export", "12", "--no-wait", "--json")
    task_id = started.json()["started"][0]["task_id"]
    done = _interrupt_after_submit(
        own_cli, emulator, "tasks", "wait", task_id, "--keep-on-interrupt", "--json"
    )
    assert done.returncode == 130, done
    assert "--keep-on-interrupt is deprecated" in done.stderr
    doc = __import__("json").loads(done.stdout)
    assert (doc["interrupted"], doc["cancelled"], doc["left_running"]) == (True, [], [task_id])
    assert "left running on the server" in done.stderr
    assert emulator.counters()["tasks_cancelled"] == 0
