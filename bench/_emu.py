"""Shared by the bench scripts: the emulator in a child process, the size switch, small timing helpers.

The emulator always runs in its own process so it does not compete for this process's GIL: the figures
measure the client. ``LF_BENCH_QUICK=1`` shrinks the big download (256 MiB instead of 1 GiB) and batches.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

import httpx

QUICK = os.environ.get("LF_BENCH_QUICK", "").strip() not in ("", "0")
MiB = 1024 * 1024
GiB = 1024 * MiB


class Emulator:
    """``python -m lf_emulator --json`` on free loopback ports; stopped with SIGTERM on exit."""

    def __init__(self, *args: str) -> None:
        self.args = list(args)
        self.proc: subprocess.Popen[str] | None = None
        self.info: dict[str, Any] = {}

    def __enter__(self) -> Self:
        cmd = [sys.executable, "-m", "lf_emulator", "--json", "--port", "0", *self.args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"lf_emulator did not start: {cmd}")
        self.info = json.loads(line)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    @property
    def base_url(self) -> str:
        return str(self.info["base_url"])

    @property
    def repository_id(self) -> str:
        return str(self.info["repository_id"])

    @property
    def token(self) -> str:
        return str(self.info["token"])

    @property
    def documents(self) -> dict[str, int]:
        return dict(self.info["documents"])

    def counters(self) -> dict[str, Any]:
        state = httpx.get(str(self.info["admin_url"]), timeout=10).raise_for_status().json()
        return dict(state["counters"])

    def reset(self) -> None:
        admin = str(self.info["admin_url"]).removesuffix("/state")
        httpx.post(f"{admin}/reset", timeout=10).raise_for_status()


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)
