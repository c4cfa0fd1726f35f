"""Run the real `lf-export` entry point (the console script of this virtualenv) against emulators.

`Cli` runs the command in a subprocess with a clean environment: the emulator's connection variables, a
private config directory (so a developer's own config file never leaks in), no colour variables unless a test
sets them. Every run's stdout and stderr are checked for the access token and passwords by `run()` itself,
so no test can forget to.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest
from lf_emulator.testing import EmulatorServer

LF_EXPORT = Path(sys.executable).with_name("lf-export")
SECRETS = ("emulator-token", "s3cr3t-tok3n", "hunter2-pw")


@attrs.define
class Result:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __str__(self) -> str:
        command = " ".join(self.args)
        return f"lf-export {command} -> {self.returncode}\nstdout:\n{self.stdout}\nstderr:\n{self.stderr}"


def base_env(home: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR")}
    config_home = home / "config"
    config_home.mkdir(parents=True, exist_ok=True)
    return {**keep, "HOME": str(home), "XDG_CONFIG_HOME": str(config_home), "PYTHONUTF8": "1"}


@attrs.define
class Cli:
    """`lf-export` bound to one emulator, one working directory and one environment."""

    emulator: EmulatorServer
    cwd: Path
    env: dict[str, str]

    def run(
        self,
        *args: str,
        env: Mapping[str, str | None] | None = None,
        input: str | None = None,
        timeout: float = 60,
    ) -> Result:
        merged = dict(self.env)
        for key, value in (env or {}).items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        proc = subprocess.run(
            [str(LF_EXPORT), *args],
            cwd=self.cwd,
            env=merged,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        result = Result(tuple(args), proc.returncode, proc.stdout, proc.stderr)
        assert_no_secrets(result.stdout + result.stderr, merged)
        return result

    def popen(self, *args: str, env: Mapping[str, str] | None = None) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(LF_EXPORT), *args],
            cwd=self.cwd,
            env={**self.env, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


def assert_no_secrets(text: str, env: Mapping[str, str]) -> None:
    names = ("LF_ACCESS_TOKEN", "LF_PASSWORD", "LF_SERVICE_PRINCIPAL_KEY", "LF_ACCESS_KEY")
    secrets = {*SECRETS, *(env.get(name, "") for name in names)} - {""}
    for secret in secrets:
        assert secret not in text, f"a secret leaked into the output: {text[:2000]}"


def connection_env(emulator: EmulatorServer) -> dict[str, str]:
    return {
        "LF_BASE_URL": emulator.base_url,
        "LF_REPOSITORY_ID": emulator.repository_id,
        "LF_ACCESS_TOKEN": emulator.token,
    }


@pytest.fixture
def cli(emulator_session: EmulatorServer, tmp_path: Path) -> Cli:
    """`lf-export` against the shared session emulator (do not change its faults or clock)."""
    work = tmp_path / "work"
    work.mkdir()
    return Cli(emulator_session, work, {**base_env(tmp_path / "home"), **connection_env(emulator_session)})


@pytest.fixture
def own_cli(emulator: EmulatorServer, tmp_path: Path) -> Cli:
    """`lf-export` against a fresh emulator (configure it with ``@pytest.mark.emulator_config``)."""
    work = tmp_path / "work"
    work.mkdir()
    return Cli(emulator, work, {**base_env(tmp_path / "home"), **connection_env(emulator)})
