"""Per-call overhead of the wrapper over calling the generated function directly (target <= 1.2x on 1,000
calls), `import lf_export` time (target: within 40 ms of `import httpx` measured in the same run) and
`lf-export --help` start-up time (target < 500 ms).

Overhead: 1,000 GetEntry calls through ``ExportClient.entry()`` (auth flow, retrying transport with rate gate
and deadline scope, error hook, flow generator, mapping to ``EntryInfo``) against 1,000 calls of the generated
``get_entry.sync_detailed`` on a plain ``AuthenticatedClient``, interleaved in blocks of 100. Measured twice:
over loopback HTTP to the emulator (child process) — what a caller sees — and over an in-memory httpx
transport, which isolates the client-side cost (informational: there is no network to hide it).

Start-up: fresh interpreters, median of 9 runs each, against ``python -c pass`` in the same run.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _emu import Emulator
from _report import Figure, report
from lf_export import ExportClient
from lf_repository_v2 import AuthenticatedClient
from lf_repository_v2.api.entries import get_entry

CALLS = 1000
BLOCK = 100
OVERHEAD_TARGET = 1.2
IMPORT_MARGIN_MS = 40.0  # over `import httpx`, which lf_export cannot avoid
HELP_TARGET_MS = 500.0


def interleaved(first: Callable[[], object], second: Callable[[], object]) -> tuple[float, float]:
    """Seconds per call of each, measured in alternating blocks (after a warm-up)."""
    for _ in range(20):
        first()
        second()
    totals = [0.0, 0.0]
    for _ in range(CALLS // BLOCK):
        for index, run in enumerate((first, second)):
            start = time.perf_counter()
            for _ in range(BLOCK):
                run()
            totals[index] += time.perf_counter() - start
    return totals[0] / CALLS, totals[1] / CALLS


def overhead(
    base_url: str, repository_id: str, token: str, entry_id: int, transport: httpx.BaseTransport | None
):
    generated = AuthenticatedClient(base_url=base_url, token=token)
    if transport is not None:
        generated.set_httpx_client(
            httpx.Client(base_url=base_url, transport=transport, headers={"Authorization": f"Bearer {token}"})
        )
    with ExportClient(base_url, repository_id, token=token, transport=transport) as lf:

        def wrapper_call() -> object:
            return lf.entry(entry_id)

        def generated_call() -> object:
            response = get_entry.sync_detailed(repository_id, entry_id, client=generated)
            assert response.status_code == 200
            return response.parsed

        result = interleaved(wrapper_call, generated_call)
    generated.get_httpx_client().close()
    return result


def in_memory_api(entry: dict[str, object]) -> httpx.MockTransport:
    body = json.dumps(entry).encode()

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    return httpx.MockTransport(handle)


def startup_ms(cmd: list[str]) -> float:
    runs = []
    for _ in range(9):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def import_ms(module: str) -> float:
    """Median time to import `module` in 9 fresh interpreters, measured inside each."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
        for _ in range(9)
    ]
    return statistics.median(runs) * 1000


def main() -> None:
    with Emulator() as emu:
        entry_id = emu.documents["forty_pages"]
        raw = httpx.get(
            f"{emu.base_url}/v2/Repositories/{emu.repository_id}/Entries/{entry_id}",
            headers={"Authorization": f"Bearer {emu.token}"},
        ).json()
        loop_wrapper, loop_generated = overhead(emu.base_url, emu.repository_id, emu.token, entry_id, None)
    mem_wrapper, mem_generated = overhead(
        "https://api.example.test/repository", "r-abc123", "t", entry_id, in_memory_api(raw)
    )
    cli = shutil.which("lf-export") or str(Path(sys.executable).with_name("lf-export"))
    help_ms = startup_ms([cli, "--help"])
    bare_ms = startup_ms([sys.executable, "-c", "pass"])
    httpx_ms = import_ms("httpx")
    imp_ms = import_ms("lf_export")
    loop_ratio = loop_wrapper / loop_generated
    report(
        [
            Figure(
                name=f"wrapper vs generated call, {CALLS} GetEntry over loopback HTTP",
                value=loop_ratio,
                unit="x",
                target=f"<= {OVERHEAD_TARGET}x",
                passed=loop_ratio <= OVERHEAD_TARGET,
                detail=f"{loop_wrapper * 1e6:.0f} us vs {loop_generated * 1e6:.0f} us per call",
            ),
            Figure(
                name=f"wrapper vs generated call, {CALLS} GetEntry over an in-memory transport",
                value=mem_wrapper / mem_generated,
                unit="x",
                target="informational",
                passed=True,
                detail=(
                    f"{mem_wrapper * 1e6:.0f} us vs {mem_generated * 1e6:.0f} us per call: the client-side "
                    f"cost alone, {(mem_wrapper - mem_generated) * 1e6:.0f} us per call"
                ),
            ),
            Figure(
                name="import lf_export time over import httpx",
                value=imp_ms - httpx_ms,
                unit="ms",
                target=f"<= {IMPORT_MARGIN_MS:.0f} ms",
                passed=imp_ms - httpx_ms <= IMPORT_MARGIN_MS,
                detail=(
                    f"lf_export {imp_ms:.0f} ms vs httpx {httpx_ms:.0f} ms ({imp_ms / httpx_ms:.2f}x): "
                    "medians of 9 fresh interpreters each, measured inside the interpreter, in the same run"
                ),
            ),
            Figure(
                name="lf-export --help start-up time",
                value=help_ms,
                unit="ms",
                target=f"< {HELP_TARGET_MS:.0f} ms",
                passed=help_ms < HELP_TARGET_MS,
                detail=f"median of 9 runs, wall time; `python -c pass` takes {bare_ms:.0f} ms here",
            ),
        ]
    )


if __name__ == "__main__":
    main()
