"""The other commands through the real entry point: tasks, resume, audit-reasons, validate, emulator serve,
--version, configuration layers, self-hosted login, and secrets never reaching any output."""

from __future__ import annotations

import json
import signal
import subprocess
import uuid

import httpx
import pytest
from lf_emulator.testing import EmulatorServer
from lf_export import __version__

from .conftest import LF_EXPORT, Cli

UNKNOWN_TASK = "00000000-0000-4000-8000-000000000000"


def test_version(cli: Cli) -> None:
    result = cli.run("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_help_lists_every_command(cli: Cli) -> None:
    result = cli.run("--help")
    assert result.returncode == 0
    for command in ("export", "tasks", "resume", "audit-reasons", "validate", "emulator"):
        assert command in result.stdout


def test_tasks_status_wait_cancel_and_resume(cli: Cli) -> None:
    started = cli.run("export", "11", "12", "--no-wait", "--json")
    assert started.returncode == 0, started
    tasks = [doc["task_id"] for doc in started.json()["started"]]
    assert [doc["entry_id"] for doc in started.json()["started"]] == [11, 12]
    assert all(uuid.UUID(task_id) for task_id in tasks)

    status = cli.run("tasks", "status", *tasks, UNKNOWN_TASK, "--json")
    assert status.returncode == 0, status
    docs = status.json()["tasks"]
    assert [doc["task_id"] for doc in docs] == [*tasks, UNKNOWN_TASK]
    assert all(doc["known"] and doc["task_type"] == "ExportEntry" for doc in docs[:2])
    assert docs[2] == {"task_id": UNKNOWN_TASK, "status": "Unknown", "known": False}

    waited = cli.run("tasks", "wait", *tasks, "--json")
    assert waited.returncode == 0, waited
    assert [doc["status"] for doc in waited.json()["tasks"]] == ["Completed", "Completed"]

    resumed = cli.run("resume", tasks[0], "--out", "resumed", "--json")
    assert resumed.returncode == 0, resumed
    row = resumed.json()["results"][0]
    assert row["entry_id"] == 11
    assert (cli.cwd / row["path"]).stat().st_size == row["size"]

    cancelled = cli.run("tasks", "cancel", tasks[1], "--json")
    assert cancelled.returncode == 0, cancelled
    assert cancelled.json()["tasks"] == [{"task_id": tasks[1], "accepted": True}]

    human = cli.run("tasks", "status", tasks[0])
    assert tasks[0] in human.stdout
    assert "Completed" in human.stdout


def test_tasks_wait_on_an_unknown_task_exits_1(cli: Cli) -> None:
    result = cli.run("tasks", "wait", UNKNOWN_TASK, "--json")
    assert result.returncode == 1, result
    assert result.json()["tasks"][0]["known"] is False


def test_tasks_with_a_malformed_id_is_a_usage_error(cli: Cli) -> None:
    result = cli.run("tasks", "status", "not-a-guid", "--json")
    assert result.returncode == 2, result
    assert "not-a-guid" in result.stderr


def test_cancel_all_is_refused_with_the_reason(own_cli: Cli, emulator: EmulatorServer) -> None:
    unconfirmed = own_cli.run("tasks", "cancel", "--all")
    assert unconfirmed.returncode == 2
    assert "--yes" in unconfirmed.stderr
    confirmed = own_cli.run("tasks", "cancel", "--all", "--yes", "--json")
    assert confirmed.returncode == 2
    assert "minItems 1" in confirmed.json()["error"]["message"]
    assert emulator.counters()["requests"] == {}  # nothing was sent, least of all an id-less DELETE


def test_audit_reasons(cli: Cli) -> None:
    result = cli.run("audit-reasons", "--json")
    assert result.returncode == 0, result
    reasons = {doc["id"]: doc for doc in result.json()["audit_reasons"]}
    assert set(reasons) == set(range(1, 13))
    assert reasons[1] == {"id": 1, "name": "Legal request", "event_type": "ExportDocument"}
    exports = cli.run("audit-reasons", "--event-type", "ExportDocument", "--json")
    assert {doc["id"] for doc in exports.json()["audit_reasons"]} == {1, 2, 3, 4, 5, 6, 7, 11}
    table = cli.run("audit-reasons")
    assert "Legal request" in table.stdout
    assert "DeleteEntry" in table.stdout


def test_validate_offline(cli: Cli) -> None:
    unreachable = {"LF_BASE_URL": "http://127.0.0.1:9/none"}
    ok = cli.run(
        "validate", "--format", "pdf", "--pages", "5,1-3,2", "--watermark", "DRAFT", "--json", env=unreachable
    )
    assert ok.returncode == 0, ok
    doc = ok.json()
    assert doc["valid"] is True
    assert doc["page_range"] == "1-3,5"
    assert doc["body"] == {"part": "Image", "imageOptions": {"format": "PDF", "watermark": {"text": "DRAFT"}}}

    warned = cli.run("validate", "--format", "tiff", "--jpeg-quality", "50", "--json")
    assert warned.returncode == 0
    assert any("jPEGCompressionLevel" in w for w in warned.json()["warnings"])
    assert "warning:" in warned.stderr

    bad = cli.run("validate", "--part", "text", "--format", "pdf", "--redaction-char", " ", "--pages", "0")
    assert bad.returncode == 2
    assert "invalid options (3 problems)" in bad.stderr
    assert "--format: only applies to --part image" in bad.stderr
    assert "^" in bad.stderr  # the page-range caret under the bad character


def test_config_file_and_precedence(cli: Cli, emulator_session: EmulatorServer) -> None:
    config = cli.cwd / "lf.toml"
    config.write_text(
        f'base_url = "{emulator_session.base_url}"\nrepository_id = "r-emulator"\ntoken = "emulator-token"\n',
        encoding="utf-8",
    )
    only_file = {"LF_BASE_URL": None, "LF_REPOSITORY_ID": None, "LF_ACCESS_TOKEN": None}
    result = cli.run("audit-reasons", "--json", "--config", str(config), env=only_file)
    assert result.returncode == 0, result
    via_env = cli.run("audit-reasons", "--json", env={**only_file, "LF_EXPORT_CONFIG": str(config)})
    assert via_env.returncode == 0, via_env
    # The environment beats the file: a wrong token in LF_ACCESS_TOKEN is used, and fails.
    env_wins = cli.run("audit-reasons", "--config", str(config), env={"LF_ACCESS_TOKEN": "s3cr3t-tok3n"})
    assert env_wins.returncode == 3, env_wins
    # A flag beats the environment (and warns that the token lands in shell history).
    flag_wins = cli.run("audit-reasons", "--token", "emulator-token", env={"LF_ACCESS_TOKEN": "s3cr3t-tok3n"})
    assert flag_wins.returncode == 0, flag_wins
    assert "shell history" in flag_wins.stderr


def test_self_hosted_username_and_password(cli: Cli) -> None:
    creds = {"LF_ACCESS_TOKEN": None, "LF_USERNAME": "admin", "LF_PASSWORD": "admin"}
    result = cli.run("export", "10", "--out", "self-hosted", "--json", env=creds)
    assert result.returncode == 0, result
    assert (cli.cwd / result.json()["results"][0]["path"]).is_file()
    wrong = cli.run("audit-reasons", env={**creds, "LF_PASSWORD": "hunter2-pw"})
    assert wrong.returncode == 3, wrong
    no_password = cli.run("audit-reasons", env={**creds, "LF_PASSWORD": None})
    assert no_password.returncode == 2
    assert "LF_PASSWORD" in no_password.stderr


@pytest.mark.emulator_config(tokens=("s3cr3t-tok3n",))
def test_no_token_in_any_output_even_verbose(own_cli: Cli, emulator: EmulatorServer) -> None:
    env = {"LF_ACCESS_TOKEN": "s3cr3t-tok3n"}
    runs = [
        own_cli.run("-v", "export", "10", "11", "23", "--out", "v", "-vv", env=env),
        own_cli.run("export", "12", "--mode", "async", "--out", "v", "--json", "-vv", env=env),
        own_cli.run("export", "12", "--out", "v", "--json", env=env),  # exists already: a download error
        own_cli.run("audit-reasons", "-vv", env=env),
        own_cli.run("export", "10", "--token", "s3cr3t-tok3n", "--out", "t", "-vv", "--overwrite"),
    ]
    for result in runs:  # Cli.run checks every output for the token; make sure they really ran
        assert result.returncode in (0, 1), result
    assert "lf_export" in runs[0].stderr  # -vv logs really were on
    # ... including download links, as their host and file name only: the emulator's link carries its secret
    # in the path (/d/<link id>/NAME), like some storage services
    assert f"{emulator.links_url}/…/" in runs[1].stderr
    assert "sig=" not in runs[1].stderr
    assert "/d/" not in runs[1].stderr


def test_emulator_serve_delegates_to_the_emulator(tmp_path: object) -> None:
    proc = subprocess.Popen(
        [str(LF_EXPORT), "emulator", "serve", "--port", "0", "--json", "--task-seconds", "0.2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        response = httpx.get(
            f"{info['base_url']}/v2/Repositories/{info['repository_id']}/Entries/10",
            headers={"Authorization": f"Bearer {info['token']}"},
        )
        assert response.status_code == 200
        assert response.json()["name"] == "Invoice 1001"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def test_lf_emulator_console_script(tmp_path: object) -> None:
    proc = subprocess.run(
        [str(LF_EXPORT.with_name("lf-emulator")), "generate-access-key", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["access_key"]
    assert doc["service_principal_key"]
