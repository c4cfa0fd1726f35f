"""The README cannot rot: every command and example in it is run here against the emulator.

Fenced blocks, by tag:

* ``sh``: run with bash (``set -euo pipefail``) in a fresh folder. ``export LF_…=…`` lines are rewritten to
  the emulator's values (Cloud and self-hosted examples both point at it; username/password are the
  emulator's ``admin``/``admin``; the service principal is its test principal, signing in at its
  ``/oauth/Token`` through ``LF_TOKEN_URL``). ``lf-export emulator serve …`` lines would serve forever:
  they are run on their own, on a free port, checked to print their connection info and stopped with Ctrl-C.
* ``python``: run with this interpreter, with the emulator's ``LF_*`` variables set.
  A block that uses ``LF_ACCESS_KEY`` must really sign in (the emulator counts token requests), and no
  block's output may show the token, the service principal key or the access key.
* ``shell``: ``make`` targets only; each must exist in the Makefile. ``make demo`` is run here (tools/demo.py
  in a temporary folder); ``make test`` is what runs this file; the others are CI's (check-generated is
  part of ``make test``; spec-interop needs node).
* ``toml``: a config file: must be accepted by the command line's configuration reader.
* ``json``: an emulator fault profile: must load as a `FaultProfile`.

Any other tag (or none) is a failure, so a new kind of block gets a runner before it gets into the README.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from lf_emulator.testing import EmulatorServer, FaultProfile
from lf_export.cli._config import ConnectionFlags, resolve_connection

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BIN = Path(sys.executable).parent
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
EXPORT_VAR = re.compile(r"^export (LF_[A-Z_]+)=.*$", re.MULTILINE)
SERVE = re.compile(r"^lf-export emulator serve\b.*$", re.MULTILINE)
KNOWN_TAGS = {"sh", "python", "shell", "toml", "json"}


def _blocks() -> list[tuple[str, str]]:
    return [(m.group(1).strip(), m.group(2)) for m in FENCE.finditer(README.read_text(encoding="utf-8"))]


def _of(tag: str) -> list[str]:
    return [body for kind, body in _blocks() if kind == tag]


def _ids(tag: str) -> list[str]:
    return [f"{tag}-{n}" for n in range(1, len(_of(tag)) + 1)]


def _cloud(emulator: EmulatorServer) -> dict[str, str]:
    key = emulator.generate_access_key()
    return {
        "LF_SERVICE_PRINCIPAL_KEY": key.service_principal_key,
        "LF_ACCESS_KEY": key.access_key,
        "LF_TOKEN_URL": emulator.token_url,
    }


def _secrets(emulator: EmulatorServer) -> list[str]:
    cloud = _cloud(emulator)
    return [emulator.token, cloud["LF_SERVICE_PRINCIPAL_KEY"], cloud["LF_ACCESS_KEY"]]


def _env(emulator: EmulatorServer, home: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "TMPDIR")}
    (home / "config").mkdir(parents=True, exist_ok=True)
    return {
        **_cloud(emulator),
        **keep,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "PYTHONUTF8": "1",
        "LF_BASE_URL": emulator.base_url,
        "LF_REPOSITORY_ID": emulator.repository_id,
        "LF_ACCESS_TOKEN": emulator.token,
    }


def test_every_block_has_a_runner_and_the_top_is_the_two_commands() -> None:
    blocks = _blocks()
    assert {tag for tag, _ in blocks} <= KNOWN_TAGS
    assert blocks[0] == ("shell", "make demo\nmake test\n")
    assert _of("sh")
    assert _of("python")


@pytest.mark.parametrize("body", _of("sh"), ids=_ids("sh"))
def test_sh_block(body: str, emulator_session: EmulatorServer, tmp_path: Path) -> None:
    values = {
        "LF_BASE_URL": emulator_session.base_url,
        "LF_REPOSITORY_ID": emulator_session.repository_id,
        "LF_ACCESS_TOKEN": emulator_session.token,
        "LF_USERNAME": "admin",
        "LF_PASSWORD": "admin",
        **_cloud(emulator_session),
    }
    assert "lf-export" in body
    sign_ins = emulator_session.counters()["token_requests"]
    script = EXPORT_VAR.sub(lambda m: f"export {m.group(1)}={values[m.group(1)]}", body)
    script = SERVE.sub(":", script)  # run by test_emulator_serve_lines
    proc = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + script],
        cwd=tmp_path,
        env=_env(emulator_session, tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"{script}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    for secret in _secrets(emulator_session):
        assert secret not in proc.stdout + proc.stderr
    if "LF_ACCESS_KEY" in body:
        assert emulator_session.counters()["token_requests"] > sign_ins


def test_emulator_serve_lines() -> None:
    lines = [m.group(0) for body in _of("sh") for m in SERVE.finditer(body)]
    assert lines
    for line in lines:
        args = re.sub(r"--port \d+", "--port 0", line).split()[1:]
        proc = subprocess.Popen(
            [str(BIN / "lf-export"), *args, "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout is not None
            info = json.loads(proc.stdout.readline())
            assert info["base_url"].startswith("http://127.0.0.1:")
            assert info["repository_id"] == "r-emulator"
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=20) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.communicate()


@pytest.mark.parametrize("body", _of("python"), ids=_ids("python"))
def test_python_block(body: str, emulator_session: EmulatorServer, tmp_path: Path) -> None:
    sign_ins = emulator_session.counters()["token_requests"]
    proc = subprocess.run(
        [sys.executable, "-c", body],
        cwd=tmp_path,
        env=_env(emulator_session, tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"{body}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    assert proc.stdout.strip()  # every example prints what it did
    for secret in _secrets(emulator_session):
        assert secret not in proc.stdout + proc.stderr
    if "LF_ACCESS_KEY" in body:
        assert emulator_session.counters()["token_requests"] > sign_ins


def test_make_targets_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = set(re.search(r"^\.PHONY:(.*)$", makefile, re.MULTILINE).group(1).split())  # type: ignore[union-attr]
    for body in _of("shell"):
        for line in body.strip().splitlines():
            words = line.split()
            assert words[0] == "make", line
            assert set(words[1:]) <= phony, line


def test_make_demo(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "demo.py")],
        env={**os.environ, "LF_DEMO_DIR": str(tmp_path), "COLUMNS": "160"},
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = tmp_path / "demo-out"
    assert len(list((out / "batch").iterdir())) == 7
    assert next((out / "pdf").glob("*.pdf")).read_bytes().startswith(b"%PDF")
    assert len(list((out / "pages").glob("*/*_p*.tif"))) == 3
    assert "What was produced" in proc.stdout


def test_config_file_block(tmp_path: Path) -> None:
    (body,) = _of("toml")
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    conn = resolve_connection(ConnectionFlags(config=path), {"LF_ACCESS_TOKEN": "t"})
    assert conn.base_url == "https://api.laserfiche.com/repository"
    assert conn.sources["base_url"] == f"--config {path}"


def test_fault_profile_block() -> None:
    for body in _of("json"):
        profile = FaultProfile.from_dict(json.loads(body))
        assert profile != FaultProfile()
