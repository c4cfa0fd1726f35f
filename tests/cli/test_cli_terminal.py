"""Progress bars render on a terminal (a real pty, via pexpect) and are absent when piped or with NO_COLOR."""

from __future__ import annotations

import re
import subprocess

import pexpect
import pytest
from lf_emulator.testing import EmulatorServer

from .conftest import LF_EXPORT, Cli

BAR = "━"  # rich's bar glyph
ANSI = re.compile(r"\x1b\[")


def _spawn(cli: Cli, *args: str, extra_env: dict[str, str] | None = None) -> str:
    env = {**cli.env, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40", **(extra_env or {})}
    child = pexpect.spawn(str(LF_EXPORT), list(args), cwd=str(cli.cwd), env=env, encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    output: str = child.before or ""
    assert child.exitstatus == 0, output
    return output


@pytest.mark.emulator_config(task_seconds=1.5)
def test_progress_bars_render_on_a_tty(own_cli: Cli, emulator: EmulatorServer) -> None:
    output = _spawn(own_cli, "export", "11", "12", "--max-concurrent-tasks", "2", "--out", "tty")
    assert BAR in output  # the bars were drawn
    assert "entry 11 task" in output  # one bar per running task, named by entry
    assert ANSI.search(output)  # colour and cursor control on a terminal
    assert "✓ entry 11" in output  # a line per finished file
    assert (own_cli.cwd / "tty" / "Invoice 1002.tif").is_file()


@pytest.mark.emulator_config(task_seconds=1.5)
def test_no_bars_with_no_color_even_on_a_tty(own_cli: Cli) -> None:
    output = _spawn(own_cli, "export", "11", "--mode", "async", "--out", "nc", extra_env={"NO_COLOR": "1"})
    assert BAR not in output
    assert "Invoice 1002.tif" in output  # the summary table is still there


@pytest.mark.emulator_config(task_seconds=1.5)
def test_no_bars_or_escapes_when_piped(own_cli: Cli) -> None:
    proc = subprocess.run(
        [str(LF_EXPORT), "export", "11", "12", "--max-concurrent-tasks", "2", "--out", "piped"],
        cwd=own_cli.cwd,
        env={**own_cli.env, "TERM": "xterm-256color"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    both = proc.stdout + proc.stderr
    assert BAR not in both
    assert not ANSI.search(both)
    assert "Invoice 1002.tif" in proc.stdout
    # nothing but each entry's outcome as it ends (issue 14: a killed run keeps what it printed), no noise
    assert sorted(proc.stderr.splitlines()) == [
        "✓ entry 11 → piped/Invoice 1002.tif",
        "✓ entry 12 → piped/Contract Alpha.tif",
    ]
