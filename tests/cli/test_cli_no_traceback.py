"""No traceback reaches a user (issue 14, item 3): every case runs the installed entry point in a subprocess.

An `--out` that cannot be created or written (also in `resume`, also with `--json`, which still prints its
document), stdout on a full device, the emulator on a busy port or an unresolvable host, and the commands
without their extras (the one-line `pip install` hint, exit 2).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from lf_emulator.testing import EmulatorServer

from .conftest import LF_EXPORT, Cli

LF_EMULATOR = LF_EXPORT.with_name("lf-emulator")
TASK = "0f9c1d2e-0000-4000-8000-000000000001"


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text, text
    assert 'File "' not in text, text


@pytest.mark.parametrize("json_mode", [False, True])
@pytest.mark.parametrize("target", ["afile/sub", "/dev/null"])
@pytest.mark.parametrize("command", ["export", "resume"])
def test_an_out_that_cannot_be_created_is_exit_2_before_any_request(
    own_cli: Cli, emulator: EmulatorServer, command: str, target: str, json_mode: bool
) -> None:
    (own_cli.cwd / "afile").write_text("a file, not a folder")
    first = ["export", "10", "11"] if command == "export" else ["resume", TASK]
    result = own_cli.run(*first, "--out", target, *(["--json"] if json_mode else []))
    assert result.returncode == 2, result
    _no_traceback(result.stdout + result.stderr)
    assert "--out" in result.stderr
    if json_mode:
        doc = result.json()
        assert doc["exit_code"] == 2
        assert doc["error"]["issues"][0]["flag"] == "--out"
    assert emulator.counters()["requests"] == {}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_parent_is_exit_2_before_any_request(own_cli: Cli, emulator: EmulatorServer) -> None:
    parent = own_cli.cwd / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        for target in ("locked/sub", "locked"):
            result = own_cli.run("export", "10", "--out", target, "--json")
            assert result.returncode == 2, result
            _no_traceback(result.stderr)
            assert result.json()["error"]["issues"][0]["flag"] == "--out"
    finally:
        parent.chmod(0o755)
    assert emulator.counters()["tasks_started"] == 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args", [["validate", "--json"], ["validate"], ["--help"], ["export", "10", "--json"]]
)
def test_stdout_on_a_full_device_is_one_line_not_a_traceback(cli: Cli, args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [str(LF_EXPORT), *args],
            cwd=cli.cwd,
            env=cli.env,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    _no_traceback(proc.stderr)
    if args == ["--help"] or args == ["validate"]:
        # click writes help (and validate's human output) in small pieces: a full device is still an error
        assert proc.returncode in (0, 1), proc.stderr
    else:
        assert proc.returncode == 1, proc.stderr
        assert "cannot write the output" in proc.stderr
    assert proc.stderr.count("error:") <= 1, proc.stderr


def _busy_port() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


@pytest.mark.parametrize("program", [[str(LF_EMULATOR)], [str(LF_EXPORT), "emulator", "serve"]])
def test_emulator_on_a_busy_port_or_an_unknown_host_says_so(program: list[str]) -> None:
    with _busy_port() as busy:
        port = busy.getsockname()[1]
        cases = {
            "already in use": ["--port", str(port)],
            "cannot be resolved": ["--host", "no-such-host.invalid"],
        }
        for words, args in cases.items():
            proc = subprocess.run([*program, *args], capture_output=True, text=True, timeout=60, check=False)
            assert proc.returncode == 1, proc.stderr
            _no_traceback(proc.stderr)
            assert words in proc.stderr
            assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_emulator_usage_line_names_the_commands() -> None:
    for program in ([str(LF_EMULATOR)], [str(LF_EXPORT), "emulator", "serve"]):
        proc = subprocess.run([*program, "--help"], capture_output=True, text=True, timeout=60, check=False)
        assert proc.returncode == 0
        assert proc.stdout.startswith("usage: lf-emulator"), proc.stdout
        assert "lf-export emulator serve" in proc.stdout
        assert "python -m lf_emulator [" not in proc.stdout


# Without the extras: the imports fail as they do in a plain install (the packaging tests install one for
# real); here a module finder that refuses them stands in, so the check runs in every test run.
_BLOCK = """
import sys
class _Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, _Refuse())
sys.argv = [{prog!r}, *{args!r}]
"""


def _without(blocked: set[str], prog: str, args: list[str], call: str) -> subprocess.CompletedProcess[str]:
    code = _BLOCK.format(blocked=blocked, prog=prog, args=args) + call
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["export", "10"]])
def test_without_the_cli_extra_one_line_hint_exit_2(args: list[str]) -> None:
    call = "from lf_export.cli import main\nsys.exit(main())\n"
    proc = _without({"click", "rich", "platformdirs"}, "lf-export", args, call)
    assert proc.returncode == 2, proc.stderr
    _no_traceback(proc.stderr)
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert "pip install 'lf-export[cli]'" in proc.stderr


@pytest.mark.parametrize(
    "call",
    [
        "import runpy\nrunpy.run_module('lf_emulator', run_name='__main__')\n",
        "from lf_emulator.__main__ import main\nsys.exit(main())\n",
    ],
)
def test_without_the_emulator_extra_one_line_hint_exit_2(call: str) -> None:
    proc = _without({"uvicorn", "starlette", "PIL", "openapi_core", "yaml", "jwt"}, "lf-emulator", [], call)
    assert proc.returncode == 2, proc.stderr
    _no_traceback(proc.stderr)
    assert "pip install 'lf-export[emulator]'" in proc.stderr


def test_json_usage_errors_are_still_one_document(cli: Cli) -> None:
    result = cli.run("export", "--json", "--mode", "bogus")
    assert result.returncode == 2
    assert json.loads(result.stdout)["exit_code"] == 2
    _no_traceback(result.stderr)
