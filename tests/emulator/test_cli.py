"""``python -m lf_emulator`` prints where it serves and serves until terminated."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "lf_emulator", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[subprocess.Popen[str]]:
    process = _serve(*request.param)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=20)
        assert process.returncode == 0


@pytest.mark.parametrize("served", [["--json", "--task-seconds", "0.2"]], indirect=True)
def test_json_line_then_serves(served: subprocess.Popen[str]) -> None:
    assert served.stdout is not None
    info = json.loads(served.stdout.readline())
    assert info["repository_id"] == "r-emulator"
    assert info["base_url"].startswith("http://127.0.0.1:")
    assert info["base_url"].endswith("/repository")
    assert info["documents"]["one_page"] == 10
    response = httpx.get(
        f"{info['base_url']}/v2/Repositories/{info['repository_id']}/Entries/10",
        headers={"Authorization": f"Bearer {info['token']}"},
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Invoice 1001"


def test_three_lines_and_fault_profile(tmp_path: Path) -> None:
    profile = tmp_path / "faults.json"
    profile.write_text(json.dumps({"p_429": 1.0, "operations": ["GetEntry"]}))
    process = _serve("--token", "cli-secret", "--faults", str(profile))
    try:
        assert process.stdout is not None
        base_url, repository_id, token = (process.stdout.readline().strip() for _ in range(3))
        assert token == "cli-secret"
        response = httpx.get(
            f"{base_url}/v2/Repositories/{repository_id}/Entries/10",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 429
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_bad_flags_are_reported() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "lf_emulator", "--max-concurrent-tasks", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "max_concurrent_tasks" in result.stderr
