"""Smaller cases of issue 14 (item 9): deadlines too short to start, huge arguments, unknown audit reasons,
exit codes in --json."""

from __future__ import annotations

import pytest
from lf_emulator.testing import EmulatorServer

from .conftest import Cli


def test_a_deadline_too_short_to_start_says_so(cli: Cli) -> None:
    result = cli.run("export", "10", "11", "--deadline", "0.001", "--out", "d")
    assert result.returncode == 5, result
    assert "deadline passed before 2 export(s) could start" in result.stderr


def test_a_huge_argument_is_not_echoed_back_whole(cli: Cli) -> None:
    result = cli.run("export", "10", "--watermark", "x" * 120_000, "--out", "d", "--json")
    assert result.returncode == 2, result
    assert len(result.stderr) < 2_000
    assert len(result.stdout) < 4_000
    assert "more characters" in result.stderr


@pytest.mark.emulator_config(require_audit_reason=True)
def test_an_unknown_numeric_audit_reason_is_refused_before_any_export(
    own_cli: Cli, emulator: EmulatorServer
) -> None:
    result = own_cli.run("export", "10", "--audit-reason", "999", "--out", "d", "--json")
    assert result.returncode == 2, result
    assert "is not an ExportDocument audit reason" in result.stderr
    assert "Legal request" in result.stderr
    assert emulator.counters()["tasks_started"] == 0
    assert "ExportEntry" not in emulator.counters()["requests"]
    known = own_cli.run("export", "10", "--audit-reason", "1", "--out", "d", "--json")
    assert known.returncode == 0, known


def test_json_exit_code_of_each_error_is_the_process_exit_code_for_it_alone(cli: Cli) -> None:
    for entry, code in (("23", 1), ("999", 1)):  # locked; not found
        result = cli.run("export", entry, "--out", "e", "--json")
        assert result.returncode == code, result
        assert result.json()["results"][0]["error"]["exit_code"] == result.returncode
