"""download() and adownload() over httpx.MockTransport handlers: every case runs through both drivers."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from lf_export._download import (
    DownloadDeadlineError,
    DownloadResult,
    adownload,
    async_download_link_client,
    download,
    download_link_client,
)
from lf_export._errors import DownloadError
from lf_export._partfile import PartFile
from lf_export._policy import Deadline

LINK = "https://store.example.com/exports/abc123?sig=TOPSECRET&se=2030"
DATA = hashlib.sha256(b"seed").digest() * 4096  # 128 KiB, not repetitive at small scales
Handler = Callable[[httpx.Request], httpx.Response]
Fetch = Callable[..., Awaitable[DownloadResult]]


class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body for both drivers that can stop early or raise mid-way (a connection reset)."""

    def __init__(self, data: bytes, *, chunk: int = 8192, raise_after: int | None = None) -> None:
        self.data = data
        self.chunk = chunk
        self.raise_after = raise_after

    def _chunks(self) -> Iterator[bytes]:
        limit = len(self.data) if self.raise_after is None else self.raise_after
        for start in range(0, limit, self.chunk):
            yield self.data[start : min(start + self.chunk, limit)]
        if self.raise_after is not None:
            raise httpx.ReadError("connection reset by peer")

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks():
            yield chunk


class RangeServer:
    """A storage host: serves DATA, optionally with Range support, scripted faults per request number."""

    def __init__(
        self,
        data: bytes = DATA,
        *,
        ranges: bool = True,
        etag: str | None = '"v1"',
        cut_at: dict[int, int] | None = None,  # request number -> stop sending after this many body bytes
        reset_at: dict[int, int] | None = None,  # request number -> raise ReadError after this many bytes
        range_reply: Callable[[int, int], httpx.Response | None]
        | None = None,  # (request no, start) -> reply
        headers: dict[str, str] | None = None,
    ) -> None:
        self.data = data
        self.ranges = ranges
        self.etag = etag
        self.cut_at = cut_at or {}
        self.reset_at = reset_at or {}
        self.range_reply = range_reply
        self.headers = headers or {}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        number = len(self.requests)
        headers = {
            "Content-Type": "application/pdf",
            "Content-Disposition": "attachment; filename*=UTF-8''Contract%20(2).pdf",
            **self.headers,
        }
        if self.etag:
            headers["ETag"] = self.etag
        if self.ranges:
            headers["Accept-Ranges"] = "bytes"
        start, status = 0, 200
        range_header = request.headers.get("range")
        if range_header and self.ranges:
            start = int(range_header.removeprefix("bytes=").rstrip("-"))
            if self.range_reply is not None and (reply := self.range_reply(number, start)) is not None:
                return reply
            status = 206
            headers["Content-Range"] = f"bytes {start}-{len(self.data) - 1}/{len(self.data)}"
        body = self.data[start:]
        headers["Content-Length"] = str(len(body))
        if number in self.cut_at:
            body = body[: self.cut_at[number]]
        stream = Body(body, raise_after=self.reset_at.get(number))
        return httpx.Response(status, headers=headers, stream=stream)


@pytest.fixture(params=["sync", "async"])
def fetch(request: pytest.FixtureRequest) -> Fetch:
    """`await fetch(handler, dest, **kwargs)` runs download() or adownload() over a MockTransport."""
    mode = request.param

    async def run(handler: Handler, dest: Path | str, link: str = LINK, **kwargs: Any) -> DownloadResult:
        kwargs.setdefault("chunk_size", 8192)  # small writes, so a reset mid-body leaves bytes to resume from
        if mode == "sync":
            with download_link_client(transport=httpx.MockTransport(handler)) as client:
                return download(client, link, dest, **kwargs)
        async with async_download_link_client(transport=httpx.MockTransport(handler)) as aclient:
            return await adownload(aclient, link, dest, **kwargs)

    return run


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- happy paths ---------------------------------------------------------------------------------------------


async def test_downloads_into_folder_with_server_name(fetch: Fetch, tmp_path: Path) -> None:
    server = RangeServer()
    seen: list[tuple[int, int | None]] = []
    result = await fetch(server, tmp_path, on_progress=lambda done, total: seen.append((done, total)))
    assert result == DownloadResult(
        path=tmp_path / "Contract (2).pdf",
        size=len(DATA),
        content_type="application/pdf",
        suggested_name="Contract (2).pdf",
        resumed=False,
    )
    assert result.path.read_bytes() == DATA
    assert leftovers(tmp_path) == ["Contract (2).pdf"]
    assert seen[-1] == (len(DATA), len(DATA))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert len(server.requests) == 1
    assert "range" not in server.requests[0].headers
    assert server.requests[0].headers["accept-encoding"] == "identity"


async def test_downloads_to_explicit_file_path(fetch: Fetch, tmp_path: Path) -> None:
    target = tmp_path / "mine.bin"
    result = await fetch(RangeServer(), target)
    assert result.path == target
    assert target.read_bytes() == DATA
    assert result.suggested_name == "Contract (2).pdf"


async def test_missing_folder_is_a_clear_error(fetch: Fetch, tmp_path: Path) -> None:
    server = RangeServer()
    with pytest.raises(DownloadError, match="does not exist"):
        await fetch(server, tmp_path / "nope" / "file.pdf")
    with pytest.raises(DownloadError, match="does not exist"):
        await fetch(server, f"{tmp_path / 'nope'}/")
    assert server.requests == []


async def test_chunked_body_without_content_length(fetch: Fetch, tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Body(DATA))  # no Content-Length, no name

    result = await fetch(handler, tmp_path, default_name="doc.pdf")
    assert result.path == tmp_path / "doc.pdf"
    assert result.path.read_bytes() == DATA


@pytest.mark.parametrize(
    ("headers", "default_name", "expected"),
    [
        ({"Content-Type": "application/pdf"}, "Entry 7", "Entry 7.pdf"),
        ({"Content-Type": "application/zip"}, None, "abc123.zip"),  # from the URL path, query ignored
        ({}, None, "abc123"),
        ({"Content-Disposition": 'attachment; filename="x.tif"'}, "ignored.pdf", "x.tif"),
    ],
)
async def test_name_fallbacks(
    fetch: Fetch, tmp_path: Path, headers: dict[str, str], default_name: str | None, expected: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=headers, content=b"body")

    result = await fetch(handler, tmp_path, default_name=default_name)
    assert result.path == tmp_path / expected
    assert result.path.read_bytes() == b"body"


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        ('attachment; filename="../../etc/passwd"', "_._etc_passwd"),
        ('attachment; filename="C:\\\\x"', "C__x"),
        ('attachment; filename="CON"', "_CON"),
        ('attachment; filename="con.txt"', "_con.txt"),
        ("attachment; filename*=UTF-8''%2e%2e%2fx", "_x"),
        ("attachment; filename*=UTF-8''a%00b%0Ac%1B.pdf", "a_b_c_.pdf"),
        ("attachment; filename*=UTF-8''%E6%96%87%E6%9B%B8%20%C3%A9.pdf", "文書 é.pdf"),
        (f'attachment; filename="{"n" * 300}.pdf"', "n" * 196 + ".pdf"),
    ],
)
async def test_hostile_names_stay_inside_the_folder(
    fetch: Fetch, tmp_path: Path, disposition: str, expected: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Disposition": disposition}, content=b"x")

    result = await fetch(handler, folder)
    assert result.path == folder / expected
    assert leftovers(folder) == [expected]
    assert leftovers(tmp_path) == ["out"]


async def test_compressed_body_is_decoded(fetch: Fetch, tmp_path: Path) -> None:
    import gzip

    packed = gzip.compress(DATA)

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Encoding": "gzip", "Content-Length": str(len(packed))}
        return httpx.Response(200, headers=headers, content=packed)

    result = await fetch(handler, tmp_path / "f.bin")
    assert result.path.read_bytes() == DATA


# -- credentials never leave -------------------------------------------------------------------------------


async def test_redirect_to_other_host_carries_no_credentials(fetch: Fetch, tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.example.com":
            return httpx.Response(
                302,
                headers={
                    "Location": "https://blob.other.net/c/file.pdf?sig=SECOND",
                    "Set-Cookie": "session=abc; Domain=.example.com; Path=/",
                },
            )
        return httpx.Response(200, content=b"pdf", headers={"Content-Type": "application/pdf"})

    result = await fetch(handler, tmp_path, link="https://api.example.com/dl?token=x")
    assert result.path.read_bytes() == b"pdf"
    assert [r.url.host for r in seen] == ["api.example.com", "blob.other.net"]
    for request in seen:
        assert "authorization" not in request.headers
        assert "cookie" not in request.headers


def test_link_clients_have_no_auth_and_finite_timeouts() -> None:
    with download_link_client() as client:
        assert client.auth is None
        assert client.follow_redirects
        assert "authorization" not in client.headers
        assert None not in (
            client.timeout.connect,
            client.timeout.read,
            client.timeout.write,
            client.timeout.pool,
        )
    with pytest.raises(ValueError, match="finite"):
        download_link_client(timeout=httpx.Timeout(None))
    with pytest.raises(ValueError, match="finite"):
        async_download_link_client(timeout=httpx.Timeout(10.0, read=None))


async def test_a_client_with_credentials_is_refused(tmp_path: Path) -> None:
    server = RangeServer()
    with (
        httpx.Client(transport=httpx.MockTransport(server), auth=("u", "p")) as basic,
        pytest.raises(ValueError, match="download_link_client"),
    ):
        download(basic, LINK, tmp_path)
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(server), headers={"Authorization": "Bearer t"}
    ) as bearer:
        with pytest.raises(ValueError, match="download_link_client"):
            await adownload(bearer, LINK, tmp_path)
    assert server.requests == []


# -- breaks, resume, restart -------------------------------------------------------------------------------


async def test_connection_reset_resumes_with_range(fetch: Fetch, tmp_path: Path) -> None:
    server = RangeServer(reset_at={1: 50_000})
    seen: list[int] = []
    result = await fetch(server, tmp_path, on_progress=lambda done, total: seen.append(done))
    assert result.path.read_bytes() == DATA
    assert result.resumed
    assert len(server.requests) == 2
    second = server.requests[1].headers
    assert second["range"] == "bytes=50000-"  # every byte received before the reset is kept
    assert second["if-range"] == '"v1"'
    assert 0 not in seen[1:]  # never went back to zero
    assert leftovers(tmp_path) == ["Contract (2).pdf"]


async def test_truncated_body_resumes_with_range(fetch: Fetch, tmp_path: Path) -> None:
    server = RangeServer(cut_at={1: 1000, 2: 5000}, etag=None, headers={"Last-Modified": "Mon, 01 Jan 2024"})
    result = await fetch(server, tmp_path)
    assert result.path.read_bytes() == DATA
    assert result.resumed
    ranges = [r.headers.get("range") for r in server.requests]
    assert ranges == [None, "bytes=1000-", "bytes=6000-"]
    assert server.requests[1].headers["if-range"] == "Mon, 01 Jan 2024"


async def test_break_without_range_support_restarts_from_zero(fetch: Fetch, tmp_path: Path) -> None:
    server = RangeServer(ranges=False, reset_at={1: 40_000})
    seen: list[int] = []
    result = await fetch(server, tmp_path, on_progress=lambda done, total: seen.append(done))
    assert result.path.read_bytes() == DATA
    assert not result.resumed
    assert [r.headers.get("range") for r in server.requests] == [None, None]
    assert 0 in seen  # progress was reset


async def test_200_to_range_request_restarts_cleanly(fetch: Fetch, tmp_path: Path) -> None:
    def full_body(number: int, start: int) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": str(len(DATA))}, stream=Body(DATA))

    server = RangeServer(reset_at={1: 30_000}, range_reply=full_body)
    result = await fetch(server, tmp_path)
    assert result.path.read_bytes() == DATA  # no duplicated prefix
    assert not result.resumed
    assert server.requests[1].headers["range"] == "bytes=30000-"


async def test_416_restarts_without_range(fetch: Fetch, tmp_path: Path) -> None:
    def refuse(number: int, start: int) -> httpx.Response:
        return httpx.Response(416, headers={"Content-Range": f"bytes */{len(DATA)}"})

    server = RangeServer(reset_at={1: 30_000}, range_reply=refuse)
    result = await fetch(server, tmp_path)
    assert result.path.read_bytes() == DATA
    assert [r.headers.get("range") for r in server.requests] == [None, "bytes=30000-", None]


@pytest.mark.parametrize(
    "content_range",
    ["bytes 0-131071/131072", "bytes 30000-131071/999999", "bytes 30000-131071/*", "garbage"],
)
async def test_mismatching_content_range_restarts(fetch: Fetch, tmp_path: Path, content_range: str) -> None:
    def wrong(number: int, start: int) -> httpx.Response:
        return httpx.Response(206, headers={"Content-Range": content_range}, content=DATA)

    server = RangeServer(reset_at={1: 30_000}, range_reply=wrong)
    result = await fetch(server, tmp_path)
    assert result.path.read_bytes() == DATA
    assert [r.headers.get("range") for r in server.requests] == [None, "bytes=30000-", None]


async def test_changed_etag_on_resume_restarts(fetch: Fetch, tmp_path: Path) -> None:
    def changed(number: int, start: int) -> httpx.Response:
        headers = {"Content-Range": f"bytes {start}-{len(DATA) - 1}/{len(DATA)}", "ETag": '"v2"'}
        return httpx.Response(206, headers=headers, content=DATA[start:])

    server = RangeServer(reset_at={1: 30_000}, range_reply=changed)
    result = await fetch(server, tmp_path)
    assert result.path.read_bytes() == DATA
    assert len(server.requests) == 3


async def test_partial_206_asks_for_the_rest(fetch: Fetch, tmp_path: Path) -> None:
    def small_parts(number: int, start: int) -> httpx.Response:
        end = min(start + 20_000, len(DATA)) - 1
        headers = {"Content-Range": f"bytes {start}-{end}/{len(DATA)}"}
        return httpx.Response(206, headers=headers, content=DATA[start : end + 1])

    server = RangeServer(reset_at={1: 100_000}, range_reply=small_parts)
    result = await fetch(server, tmp_path, max_resume_attempts=1)
    assert result.path.read_bytes() == DATA
    assert result.resumed


async def test_gives_up_after_bounded_attempts(fetch: Fetch, tmp_path: Path) -> None:
    server = RangeServer(cut_at={n: 100 for n in range(1, 10)})
    with pytest.raises(DownloadError, match="gave up after 2 resume") as caught:
        await fetch(server, tmp_path, max_resume_attempts=2)
    assert len(server.requests) == 3
    assert leftovers(tmp_path) == []
    assert "TOPSECRET" not in str(caught.value)


async def test_connection_drop_leaves_nothing(fetch: Fetch, tmp_path: Path) -> None:
    server = RangeServer(reset_at={1: 60_000})
    with pytest.raises(DownloadError) as caught:
        await fetch(server, tmp_path, max_resume_attempts=0)
    assert isinstance(caught.value.__cause__, httpx.ReadError)
    assert leftovers(tmp_path) == []


async def test_content_length_mismatch_is_detected(fetch: Fetch, tmp_path: Path) -> None:
    def short(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": "1000"}, stream=Body(b"x" * 999))

    with pytest.raises(DownloadError, match="999 of 1000"):
        await fetch(short, tmp_path / "f.bin", max_resume_attempts=0)

    def long(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": "1000"}, stream=Body(b"x" * 1001, chunk=1001))

    with pytest.raises(DownloadError, match="more than the announced 1000"):
        await fetch(long, tmp_path / "f.bin")
    assert leftovers(tmp_path) == []


async def test_connect_errors_are_retried_then_mapped(fetch: Fetch, tmp_path: Path) -> None:
    calls: list[int] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(DownloadError, match="ConnectError") as caught:
        await fetch(refuse, tmp_path, max_resume_attempts=2)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert len(calls) == 3
    assert leftovers(tmp_path) == []


async def test_redirect_loop_is_mapped(fetch: Fetch, tmp_path: Path) -> None:
    def loop(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "https://store.example.com/again?sig=LOOP"})

    with pytest.raises(DownloadError) as caught:
        await fetch(loop, tmp_path)
    assert isinstance(caught.value.__cause__, httpx.TooManyRedirects)
    assert "LOOP" not in str(caught.value)


# -- statuses ----------------------------------------------------------------------------------------------


async def test_expired_link_403(fetch: Fetch, tmp_path: Path) -> None:
    def expired(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            403, headers={"Content-Type": "application/xml"}, content=b"<Error>expired</Error>"
        )

    with pytest.raises(DownloadError, match="expired") as caught:
        await fetch(expired, tmp_path)
    err = caught.value
    assert err.status == 403
    assert err.url == "https://store.example.com/…/abc123"  # host and file name only
    assert "exports" not in str(err)
    assert "TOPSECRET" not in str(err)
    assert "TOPSECRET" not in repr(err)
    assert leftovers(tmp_path) == []


async def test_html_error_page_is_not_saved(fetch: Fetch, tmp_path: Path) -> None:
    def gateway(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, headers={"Content-Type": "text/html"}, content=b"<html>Bad gateway</html>")

    with pytest.raises(DownloadError, match="502") as caught:
        await fetch(gateway, tmp_path)
    assert caught.value.status == 502
    assert leftovers(tmp_path) == []


async def test_unexpected_success_status(fetch: Fetch, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="unexpected status 204"):
        await fetch(lambda request: httpx.Response(204), tmp_path)


# -- overwrite ---------------------------------------------------------------------------------------------


async def test_existing_file_is_not_overwritten(fetch: Fetch, tmp_path: Path) -> None:
    existing = tmp_path / "Contract (2).pdf"
    existing.write_bytes(b"mine")
    server = RangeServer()
    with pytest.raises(DownloadError, match=r"Contract \(2\)\.pdf already exists; pass overwrite=True"):
        await fetch(server, tmp_path)
    assert existing.read_bytes() == b"mine"
    assert leftovers(tmp_path) == ["Contract (2).pdf"]

    target = tmp_path / "explicit.pdf"
    target.write_bytes(b"keep")
    with pytest.raises(DownloadError, match=r"explicit\.pdf already exists"):
        await fetch(server, target)
    assert len(server.requests) == 1  # an explicit path is checked before any request


async def test_overwrite_true_replaces(fetch: Fetch, tmp_path: Path) -> None:
    existing = tmp_path / "Contract (2).pdf"
    existing.write_bytes(b"old")
    result = await fetch(RangeServer(), tmp_path, overwrite=True)
    assert result.path == existing
    assert existing.read_bytes() == DATA
    assert leftovers(tmp_path) == ["Contract (2).pdf"]


async def test_file_appearing_during_download_is_never_clobbered(fetch: Fetch, tmp_path: Path) -> None:
    final = tmp_path / "Contract (2).pdf"

    def someone_else_writes(done: int, total: int | None) -> None:
        if done == len(DATA):
            final.write_bytes(b"theirs")

    with pytest.raises(DownloadError, match="already exists"):
        await fetch(RangeServer(), tmp_path, on_progress=someone_else_writes)
    assert final.read_bytes() == b"theirs"
    assert leftovers(tmp_path) == ["Contract (2).pdf"]


# -- deadline and interruption -----------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_deadline_already_passed_sends_nothing(fetch: Fetch, tmp_path: Path) -> None:
    clock = FakeClock()
    server = RangeServer()
    with pytest.raises(DownloadDeadlineError, match="deadline"):
        await fetch(server, tmp_path, deadline=Deadline(clock.now - 1, clock))
    assert server.requests == []


async def test_deadline_passing_mid_stream_removes_temp(fetch: Fetch, tmp_path: Path) -> None:
    clock = FakeClock()

    def tick(done: int, total: int | None) -> None:
        clock.now += 1.0  # each chunk "takes" a second

    with pytest.raises(DownloadDeadlineError) as caught:
        await fetch(RangeServer(), tmp_path, deadline=Deadline(clock.now + 5, clock), on_progress=tick)
    assert isinstance(caught.value, DownloadError)
    assert leftovers(tmp_path) == []


async def test_request_timeouts_are_capped_by_deadline(fetch: Fetch, tmp_path: Path) -> None:
    clock = FakeClock()
    seen: list[dict[str, float]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, content=b"x")

    await fetch(handler, tmp_path / "f", deadline=Deadline(clock.now + 2.5, clock))
    assert seen == [{"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}]


async def test_timeout_after_deadline_is_a_deadline_error(fetch: Fetch, tmp_path: Path) -> None:
    clock = FakeClock()

    def slow(request: httpx.Request) -> httpx.Response:
        clock.now += 10
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(DownloadDeadlineError) as caught:
        await fetch(slow, tmp_path, deadline=Deadline(clock.now + 5, clock))
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)


async def test_keyboard_interrupt_cleans_up(fetch: Fetch, tmp_path: Path) -> None:
    def interrupt(done: int, total: int | None) -> None:
        if done > 20_000:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        await fetch(RangeServer(), tmp_path, on_progress=interrupt)
    assert leftovers(tmp_path) == []


async def test_async_cancellation_cleans_up(tmp_path: Path) -> None:
    started = asyncio.Event()

    class SlowBody(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield b"x" * 1000
            started.set()
            await asyncio.Event().wait()  # never finishes: only cancellation ends it
            yield b""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": "5000"}, stream=SlowBody())

    async with async_download_link_client(transport=httpx.MockTransport(handler)) as client:
        task = asyncio.create_task(adownload(client, LINK, tmp_path / "f.bin", chunk_size=1000))
        await started.wait()
        assert len(leftovers(tmp_path)) == 1  # the hidden temp file exists mid-way
        assert leftovers(tmp_path)[0].startswith(".f.bin.")
        assert leftovers(tmp_path)[0].endswith(".part")
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert leftovers(tmp_path) == []


# -- logging -----------------------------------------------------------------------------------------------


async def test_logs_never_contain_the_query(
    fetch: Fetch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="lf_export")
    await fetch(RangeServer(reset_at={1: 30_000}), tmp_path)
    with pytest.raises(DownloadError):
        await fetch(lambda request: httpx.Response(403), tmp_path)
    messages = [record.getMessage() for record in caplog.records if record.name == "lf_export.download"]
    assert any("https://store.example.com/…/abc123" in m for m in messages)
    assert any("resuming" in m for m in messages)
    assert not any("TOPSECRET" in m or "sig=" in m or "/exports/" in m for m in messages)


SECRET_PATH_LINK = "http://127.0.0.1:8080/d/0123456789abcdef0123456789abcdef/Invoice%201001.pdf?exp=9&sig=S"


async def test_a_secret_in_the_link_path_is_never_shown(
    fetch: Fetch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Some storage services (and the emulator) carry the secret in the path: errors, reprs and log lines
    (ours, and httpx's request lines through the log filter) show the host and the file name only."""
    from lf_export import redact_http_logs

    redact_http_logs()
    caplog.set_level(logging.DEBUG)
    secret = "0123456789abcdef0123456789abcdef"
    with pytest.raises(DownloadError) as caught:
        await fetch(lambda request: httpx.Response(404), tmp_path, link=SECRET_PATH_LINK)
    err = caught.value
    assert err.url == "http://127.0.0.1:8080/…/Invoice 1001.pdf"
    assert str(err).startswith("download failed (http://127.0.0.1:8080/…/Invoice 1001.pdf): HTTP 404")
    for text in (str(err), repr(err), *(record.getMessage() for record in caplog.records)):
        assert secret not in text
        assert "sig=" not in text
    assert any("Invoice 1001.pdf" in record.getMessage() for record in caplog.records)


def test_a_slow_but_steady_host_cannot_hold_a_download_past_its_deadline(tmp_path: Path) -> None:
    sent: list[int] = []

    class Drip(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            for piece in range(40):  # 40 small pieces, 50 ms apart: 2 s in all
                time.sleep(0.05)
                sent.append(piece)
                yield b"x" * 100

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": "4000"}, stream=Drip())

    with (
        download_link_client(transport=httpx.MockTransport(handler)) as client,
        pytest.raises(DownloadDeadlineError),
    ):
        download(client, LINK, tmp_path / "slow.bin", deadline=Deadline.after(0.3, time.monotonic))
    assert len(sent) < 40  # stopped at the deadline, not after the whole (chunk-sized) buffer
    assert list(tmp_path.iterdir()) == []


# -- the async driver keeps file I/O off the event loop --------------------------------------------------


async def test_async_file_io_never_runs_on_the_event_loop(tmp_path: Path, monkeypatch: Any) -> None:
    loop_thread = threading.get_ident()
    threads: dict[str, set[int]] = {}
    writing, ticked = threading.Event(), threading.Event()
    loop_ran_during_write: list[bool] = []

    def recorded(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(self: PartFile, *args: Any, **kwargs: Any) -> Any:
            threads.setdefault(name, set()).add(threading.get_ident())
            if name == "write":
                # Held until a coroutine on the loop has run: a write on the loop thread would wait in vain.
                writing.set()
                on_loop = threading.get_ident() == loop_thread  # then waiting could only time out
                loop_ran_during_write.append(not on_loop and ticked.wait(timeout=10))
                writing.clear()
                ticked.clear()
            return method(self, *args, **kwargs)

        return call

    for name in ("open", "write", "commit", "discard"):
        monkeypatch.setattr(PartFile, name, recorded(name, getattr(PartFile, name)))

    async def probe() -> None:
        while True:
            if writing.is_set():
                ticked.set()
            await asyncio.sleep(0.001)

    progress_threads: set[int] = set()
    data = DATA * 8  # 1 MiB in 8 KiB network pieces, written in 64 KiB batches
    server = RangeServer(data)
    probing = asyncio.create_task(probe())
    try:
        async with async_download_link_client(transport=httpx.MockTransport(server)) as client:
            result = await adownload(
                client,
                LINK,
                tmp_path,
                chunk_size=64 * 1024,
                on_progress=lambda done, total: progress_threads.add(threading.get_ident()),
            )
    finally:
        probing.cancel()
    assert result.path.read_bytes() == data
    assert set(threads) == {"open", "write", "commit"}
    assert loop_thread not in set().union(*threads.values())
    assert len(loop_ran_during_write) == len(data) // (64 * 1024)  # batched, not one call per piece
    assert all(loop_ran_during_write)
    assert progress_threads == {loop_thread}  # callbacks stay on the caller's thread


async def test_cancelled_during_a_write_in_the_worker_thread_cleans_up(
    tmp_path: Path, monkeypatch: Any
) -> None:
    in_write, release = threading.Event(), threading.Event()
    original = PartFile._write

    def stuck_write(self: PartFile, offset: int, chunks: Any) -> None:  # runs holding the part file's lock
        in_write.set()
        release.wait(timeout=10)
        original(self, offset, chunks)

    monkeypatch.setattr(PartFile, "_write", stuck_write)
    async with async_download_link_client(transport=httpx.MockTransport(RangeServer())) as client:
        task = asyncio.create_task(adownload(client, LINK, tmp_path, chunk_size=8192))
        assert await asyncio.to_thread(in_write.wait, 10)
        task.cancel()
        await asyncio.sleep(0.01)
        assert not task.done()  # the write in flight finishes first; the file is not closed under it
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert leftovers(tmp_path) == []


def test_part_file_restart_cuts_the_stale_tail(tmp_path: Path) -> None:
    part = PartFile(tmp_path / "f.bin", 4, LINK)
    part.open()
    part.write(0, [b"abcdef", b"gh"])
    part.write(8, [b"ij"])
    with pytest.raises(RuntimeError, match="hole"):
        part.write(20, [b"x"])
    part.write(0, [b"XY"])  # a restart: everything after byte 0 goes
    part.write(2, [b"Z"])
    assert part.commit(3, overwrite=False, rename=False) == tmp_path / "f.bin"
    assert leftovers(tmp_path) == ["f.bin"]
    part.discard()  # after the move: nothing left to remove
    assert (tmp_path / "f.bin").read_bytes() == b"XYZ"


def test_part_file_commit_drops_stale_bytes_and_numbers_taken_names(tmp_path: Path) -> None:
    part = PartFile(tmp_path / "f.bin", 1 << 20, LINK)
    part.open()
    part.write(0, [b"old attempt"])
    assert part.commit(0, overwrite=False, rename=True) == tmp_path / "f.bin"  # restarted, then empty
    assert (tmp_path / "f.bin").read_bytes() == b""
    (tmp_path / "g.bin").write_bytes(b"taken")
    again = PartFile(tmp_path / "g.bin", 1 << 20, LINK)
    again.open()
    again.write(0, [b"new"])
    assert again.commit(3, overwrite=False, rename=True) == tmp_path / "g (2).bin"
    assert leftovers(tmp_path) == ["f.bin", "g (2).bin", "g.bin"]


# -- stale temp files --------------------------------------------------------------------------------------


def test_stale_temp_files_of_killed_downloads_are_removed_and_nothing_else(tmp_path: Path) -> None:
    import fcntl
    import os

    from lf_export import _partfile

    old = time.time() - 3600
    stale = tmp_path / ".Invoice 1001.pdf.0123456789ab.part"
    fresh = tmp_path / ".fresh.pdf.00112233aabb.part"
    locked = tmp_path / ".locked.pdf.aabbccddeeff.part"
    others = [
        tmp_path / ".x.part",  # not our pattern: no 12 hex digits
        tmp_path / "x.0123456789ab.part",  # not hidden
        tmp_path / ".x.0123456789AB.part",  # upper case: not secrets.token_hex
        tmp_path / ".x.0123456789ab.part.bak",
        tmp_path / "Invoice 1001.pdf",
    ]
    for path in (stale, fresh, locked, *others):
        path.write_bytes(b"partial")
    link = tmp_path / ".link.pdf.0123456789ac.part"
    link.symlink_to(tmp_path / "Invoice 1001.pdf")
    folder = tmp_path / ".dir.pdf.0123456789ad.part"
    folder.mkdir()
    for path in (stale, locked, *others, folder):
        os.utime(path, (old, old))
    holder = os.open(locked, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a download still writing it (another process)
    try:
        removed = _partfile.remove_stale_parts(tmp_path)
    finally:
        os.close(holder)
    assert removed == [stale]
    assert not stale.exists()
    for path in (fresh, locked, *others, link, folder):
        assert os.path.lexists(path), path


def test_a_download_into_a_folder_removes_its_stale_temp_files_once(tmp_path: Path) -> None:
    import os

    from lf_export import _partfile

    stale = tmp_path / ".f.bin.0123456789ab.part"
    stale.write_bytes(b"left by a killed run")
    os.utime(stale, (time.time() - 60, time.time() - 60))
    _partfile._swept.discard(tmp_path.absolute())

    def body(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"x" * 100)

    with download_link_client(transport=httpx.MockTransport(body)) as client:
        download(client, LINK, tmp_path / "f.bin")
    assert not stale.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["f.bin"]


def test_a_running_download_keeps_its_temp_file_locked(tmp_path: Path) -> None:
    """The lock is what tells a live temp file from a dead one, also within one process."""
    from lf_export import _partfile

    part = _partfile.PartFile(tmp_path / "f.bin", 1024, LINK)
    part.open()
    try:
        assert part.path is not None
        import os

        os.utime(part.path, (time.time() - 3600, time.time() - 3600))
        assert _partfile.remove_stale_parts(tmp_path) == []
        assert part.path.exists()
    finally:
        part.discard()
