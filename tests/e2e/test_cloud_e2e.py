"""Laserfiche Cloud sign-in, round trip against the emulator over real HTTP: the emulator's access key →
`from_access_key` → client assertion → token → exports; refresh before expiry; one token request per burst.

The emulator's clock (`advance_clock`) decides when its tokens expire. Where a test needs the client to see
the same time, its `AccessKeyToken` reads the emulator's clock (`clock=emu.state.clock.now`,
`wall_clock=emu.state.clock.epoch`): both move together, as two real machines' clocks would.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from lf_emulator.testing import AccessKeyInfo, EmulatorServer
from lf_export import (
    AsyncExportClient,
    AuthenticationError,
    ExportClient,
    ExportOptions,
    OptionsError,
    PollPolicy,
)
from lf_export._cloud import AccessKeyToken, parse_access_key

pytestmark = pytest.mark.e2e

FAST_POLL = PollPolicy(initial_wait=0.01, max_wait=0.05, quick_answer=0.5)


def secrets_of(key: AccessKeyInfo) -> list[str]:
    jwk = json.loads(base64.b64decode(key.access_key))["jwk"]
    return [key.service_principal_key, key.access_key, jwk["d"]]


def cloud_client(emu: EmulatorServer, key: AccessKeyInfo | None = None, **options: Any) -> ExportClient:
    key = key or emu.generate_access_key()
    return ExportClient.from_access_key(
        key.service_principal_key,
        key.access_key,
        repository_id=emu.repository_id,
        base_url=emu.base_url,
        token_url=emu.token_url,
        poll=FAST_POLL,
        **options,
    )


def token_on_emulator_clock(
    emu: EmulatorServer, *, follow_clock: bool = True, **options: Any
) -> AccessKeyToken:
    """A token source whose clocks are the emulator's (or, with `follow_clock=False`, one that never sees the
    emulator's clock move: it believes its token is fresh while the server says it expired)."""
    key = emu.generate_access_key()
    clock = emu.state.clock
    start = clock.now()
    return AccessKeyToken(
        key.service_principal_key,
        parse_access_key(key.access_key),
        token_url=emu.token_url,
        clock=clock.now if follow_clock else (lambda: start),
        wall_clock=clock.epoch,
        **options,
    )


def api_401s(emu: EmulatorServer) -> dict[str, int]:
    return {name: n for name, n in emu.counters()["responses"].items() if name.endswith(" 401")}


def test_access_key_signs_in_and_exports(
    emulator: EmulatorServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    key = emulator.generate_access_key()
    caplog.set_level(logging.DEBUG)
    with cloud_client(emulator, key) as client:
        pdf = client.export(emulator.documents["three_pages"], ExportOptions.pdf(), tmp_path, mode="sync")
        tiff = client.export(emulator.documents["one_page"], ExportOptions.tiff(), tmp_path, mode="async")
        shown = repr(client)
    assert pdf.path.read_bytes().startswith(b"%PDF")
    assert tiff.path.stat().st_size > 0
    counters = emulator.counters()
    assert counters["token_requests"] == 1  # one token for both exports (and the task it started)
    assert counters["token_responses"] == {"200": 1}
    assert api_401s(emulator) == {}
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "signed in as client emulator-client" in logged
    for secret in secrets_of(key):
        assert secret not in logged
        assert secret not in shown


@pytest.mark.emulator_config(cloud_token_seconds=60)
def test_token_is_refreshed_before_expiry_mid_batch_without_a_failed_request(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    """A batch that outlives its 60 s token: each time the emulator clock passes 80 % of the token's life
    between exports, the next request brings a fresh token first; no request is ever refused."""
    source = token_on_emulator_clock(emulator)
    entries = [emulator.documents[name] for name in ("one_page", "three_pages", "letter", "non_ascii")]
    with ExportClient(
        emulator.base_url, emulator.repository_id, token_provider=source, poll=FAST_POLL
    ) as client:
        results = []
        for number, entry_id in enumerate(entries):
            results.append(client.export(entry_id, ExportOptions.pdf(), tmp_path, mode="async"))
            assert emulator.counters()["token_requests"] == 1 + number // 2
            emulator.advance_clock(25)  # 50 s after two exports: past 48 s (80 %), before 60 s
    assert [r.entry_id for r in results] == entries
    assert all(r.path.read_bytes().startswith(b"%PDF") for r in results)
    counters = emulator.counters()
    assert counters["token_requests"] == 2
    assert counters["token_responses"] == {"200": 2}
    assert api_401s(emulator) == {}


@pytest.mark.emulator_config(cloud_token_seconds=60)
async def test_a_burst_after_expiry_makes_exactly_one_token_request(emulator: EmulatorServer) -> None:
    source = token_on_emulator_clock(emulator)
    entry_id = emulator.documents["one_page"]
    async with AsyncExportClient(emulator.base_url, emulator.repository_id, token_provider=source) as client:
        await client.entry(entry_id)
        emulator.advance_clock(61)  # the token has expired on both clocks
        infos = await asyncio.gather(*(client.entry(entry_id) for _ in range(12)))
    assert {info.name for info in infos} == {"Invoice 1001"}
    assert emulator.counters()["token_requests"] == 2
    assert api_401s(emulator) == {}


@pytest.mark.emulator_config(cloud_token_seconds=60)
async def test_a_burst_of_401s_makes_exactly_one_token_request(emulator: EmulatorServer) -> None:
    """The client's clock does not see the token expire: every request of the burst meets a 401, and the
    single-flight token request serves all of their retries."""
    source = token_on_emulator_clock(emulator, follow_clock=False)
    entry_id = emulator.documents["one_page"]
    async with AsyncExportClient(emulator.base_url, emulator.repository_id, token_provider=source) as client:
        await client.entry(entry_id)
        emulator.advance_clock(61)
        infos = await asyncio.gather(*(client.entry(entry_id) for _ in range(12)))
    assert {info.name for info in infos} == {"Invoice 1001"}
    counters = emulator.counters()
    assert counters["token_requests"] == 2
    assert counters["responses"]["GetEntry 401"] == 12
    assert counters["responses"]["GetEntry 200"] == 13


def test_wrong_service_principal_key_is_an_authentication_error_without_secrets(
    emulator: EmulatorServer,
) -> None:
    key = emulator.generate_access_key()
    wrong = "wrong-service-principal-key-0123"
    with (
        pytest.raises(AuthenticationError) as caught,
        ExportClient.from_access_key(
            wrong,
            key.access_key,
            repository_id=emulator.repository_id,
            base_url=emulator.base_url,
            token_url=emulator.token_url,
        ) as client,
    ):
        client.entry(emulator.documents["one_page"])
    message = str(caught.value)
    assert caught.value.status == 401
    assert "Laserfiche Cloud sign-in was refused: HTTP 401" in message
    assert "service principal key does not match" in message
    assert "check the service principal key" in message
    for secret in [wrong, *secrets_of(key)]:
        assert secret not in message
        assert secret not in repr(caught.value)
    assert emulator.counters()["token_responses"] == {"401": 1}
    assert "GetEntry 200" not in emulator.counters()["responses"]


async def test_wrong_service_principal_key_async_twin(emulator: EmulatorServer) -> None:
    key = emulator.generate_access_key()
    wrong = "wrong-service-principal-key-0123"
    with pytest.raises(AuthenticationError) as caught:
        async with AsyncExportClient.from_access_key(
            wrong,
            key.access_key,
            repository_id=emulator.repository_id,
            base_url=emulator.base_url,
            token_url=emulator.token_url,
        ) as client:
            await client.entry(emulator.documents["one_page"])
    assert "service principal key does not match" in str(caught.value)
    assert wrong not in str(caught.value)
    assert key.service_principal_key not in str(caught.value)


async def test_async_client_signs_in_and_exports(emulator: EmulatorServer, tmp_path: Path) -> None:
    key = emulator.generate_access_key()
    async with AsyncExportClient.from_access_key(
        key.service_principal_key,
        key.access_key,
        repository_id=emulator.repository_id,
        base_url=emulator.base_url,
        token_url=emulator.token_url,
        poll=FAST_POLL,
    ) as client:
        results = await asyncio.gather(
            client.export(emulator.documents["one_page"], ExportOptions.png(), tmp_path, mode="async"),
            client.export(emulator.documents["three_pages"], ExportOptions.pdf(), tmp_path, mode="async"),
        )
    assert [r.path.suffix for r in results] == [".png", ".pdf"]
    assert emulator.counters()["token_requests"] == 1  # two first requests at once, one sign-in


def test_expired_assertion_from_clock_skew_is_explained(emulator: EmulatorServer) -> None:
    """The client's wall clock is two hours behind the sign-in service: its assertion arrives expired."""
    emulator.advance_clock(2 * 3600)
    with pytest.raises(AuthenticationError) as caught, cloud_client(emulator) as client:
        client.entry(emulator.documents["one_page"])
    assert "the client assertion has expired" in str(caught.value)
    assert "check the clock" in str(caught.value)


def test_the_emulator_key_without_overrides_points_at_its_domain(emulator: EmulatorServer) -> None:
    key = emulator.generate_access_key(domain="laserfiche.ca")
    parsed = parse_access_key(key.access_key)
    assert parsed.api_base_url == "https://api.laserfiche.ca/repository"
    assert parsed.token_url == "https://signin.laserfiche.ca/oauth/Token"
    assert parsed.client_id == "emulator-client"
    with pytest.raises(OptionsError) as caught:
        ExportClient.from_access_key(key.service_principal_key, "not an access key", repository_id="r-1")
    assert "base64" in str(caught.value)


@pytest.mark.emulator_config(cloud_token_seconds=60, task_seconds=1.0, long_poll_max_seconds=0.3)
def test_a_task_in_flight_keeps_its_token_past_the_refresh_point(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    source = token_on_emulator_clock(emulator)
    moved: list[float] = []

    def progress(event: object) -> None:
        if getattr(event, "task_id", None) and not moved:
            moved.append(50)
            emulator.advance_clock(50)  # past 80 % of the 60 s token, 10 s before it expires

    with ExportClient(
        emulator.base_url, emulator.repository_id, token_provider=source, poll=FAST_POLL
    ) as client:
        result = client.export(
            emulator.documents["one_page"], ExportOptions.pdf(), tmp_path, mode="async", on_progress=progress
        )
    assert moved == [50]
    assert result.path.read_bytes().startswith(b"%PDF")
    assert api_401s(emulator) == {}
