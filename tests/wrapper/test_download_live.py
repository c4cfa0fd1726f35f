"""download() over real sockets (a loopback HTTP server with Range support) and its memory use on 200 MB."""

from __future__ import annotations

import hashlib
import random
import threading
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from lf_export._download import adownload, async_download_link_client, download, download_link_client

DATA = random.Random(5).randbytes(3 << 20)  # 3 MiB


class StorageHost(BaseHTTPRequestHandler):
    """Serves DATA at /file with Range support; the first full GET is cut off half-way (connection closed)."""

    protocol_version = "HTTP/1.1"
    seen: list[dict[str, str]]
    cut_first: bool

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        type(self).seen.append({k.lower(): v for k, v in self.headers.items()} | {"path": self.path})
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "/file?sig=SECOND")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start = 0
        range_header = self.headers.get("Range")
        if range_header:
            start = int(range_header.removeprefix("bytes=").rstrip("-"))
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(DATA) - 1}/{len(DATA)}")
        else:
            self.send_response(200)
        body = DATA[start:]
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", '"abc"')
        self.send_header("Content-Disposition", "attachment; filename*=UTF-8''Live%20export.pdf")
        self.end_headers()
        if type(self).cut_first and not range_header:
            type(self).cut_first = False
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


Storage = tuple[str, type[StorageHost]]


@pytest.fixture
def storage() -> Iterator[Storage]:
    handler = type("Host", (StorageHost,), {"seen": [], "cut_first": True})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_real_server_cut_connection_is_resumed(
    storage: tuple[str, type[StorageHost]], tmp_path: Path
) -> None:
    base, host = storage
    with download_link_client() as client:
        result = download(client, f"{base}/redirect?sig=FIRST", tmp_path, chunk_size=64 * 1024)
    assert result.path == tmp_path / "Live export.pdf"
    assert hashlib.sha256(result.path.read_bytes()).digest() == hashlib.sha256(DATA).digest()
    assert result.resumed
    assert [p.name for p in tmp_path.iterdir()] == ["Live export.pdf"]
    ranges = [seen.get("range") for seen in host.seen if seen["path"].startswith("/file")]
    assert ranges[0] is None
    assert ranges[1] is not None
    assert ranges[1].startswith("bytes=")
    assert all("authorization" not in seen and "cookie" not in seen for seen in host.seen)


async def test_real_server_async(storage: Storage, tmp_path: Path) -> None:
    base, host = storage
    async with async_download_link_client() as client:
        result = await adownload(client, f"{base}/file?sig=X", tmp_path / "out.pdf", chunk_size=64 * 1024)
    assert result.path.read_bytes() == DATA
    assert result.resumed
    assert [seen.get("range") is not None for seen in host.seen] == [False, True]


GENERATED = 200 * 1024 * 1024
PIECE = bytes(range(256)) * 256  # 64 KiB, reused: the source itself allocates nothing per chunk


class Generated(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        for _ in range(GENERATED // len(PIECE)):
            yield PIECE

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(GENERATED // len(PIECE)):
            yield PIECE


def serve_generated(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Length": str(GENERATED)}, stream=Generated())


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_memory_stays_flat_on_200_mb(tmp_path: Path, mode: str) -> None:
    target = tmp_path / "big.bin"
    tracemalloc.start()
    try:
        if mode == "sync":
            with download_link_client(transport=httpx.MockTransport(serve_generated)) as client:
                result = download(client, "https://store.example/big?sig=s", target)
        else:
            async with async_download_link_client(transport=httpx.MockTransport(serve_generated)) as aclient:
                result = await adownload(aclient, "https://store.example/big?sig=s", target)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.size == GENERATED
    assert target.stat().st_size == GENERATED
    assert peak < 6 * 1024 * 1024, f"peak traced allocation {peak / 2**20:.1f} MiB"
