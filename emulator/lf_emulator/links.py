"""The download-link origin: a second server, pre-signed expiring URLs, Range, and an auth-header counter.

A link looks like ``{links_url}/d/{link id}/{file name}?exp={unix time}&sig={hmac}``: the signature is
HMAC-SHA256 over ``"{link id}:{exp}"`` with the emulator's signing key, like a storage service's pre-signed
URL. Expired or tampered links answer 403 with an XML body (as storage services do), unknown ones 404.

Responses carry ``Content-Type``, ``Content-Length``, ``Content-Disposition`` (``filename`` plus
``filename*=UTF-8''…`` when the name is not plain ASCII), ``Accept-Ranges``, ``ETag``; a single
``Range: bytes=…`` gets 206 with ``Content-Range``, an unsatisfiable one 416. Files are rendered on first
download, off the event loop, and cached; the large electronic document is streamed, never held in memory.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import hashlib
import hmac
import math
import re
import secrets
import threading
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any
from urllib.parse import parse_qs, quote

from lf_emulator.clock import Clock
from lf_emulator.faults import DownloadFault
from lf_emulator.render import Artifact, ExportSpec, build_artifact, describe_artifact
from lf_emulator.repository import Entry

__all__ = ["CHUNK_SIZE", "Link", "LinkStore", "abort_connection", "content_disposition", "parse_range"]

CHUNK_SIZE = 64 * 1024
_CACHE_BYTES = 512 * 1024 * 1024
# The name is decoration (the id finds the link); ASGI hands over the decoded path: a %2F in it is a "/".
_PATH = re.compile(r"^/d/(?P<id>[0-9a-f]{32})/(?P<name>.+)$")

Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]


@dataclasses.dataclass(frozen=True)
class Link:
    id: str
    entry: Entry
    spec: ExportSpec
    filename: str
    content_type: str
    expires: int


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` fallback and ``filename*`` for anything else."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in filename)
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def parse_range(header: str | None, size: int) -> tuple[int, int] | bool | None:
    """(start, end) inclusive for one satisfiable range; None to ignore the header; False if unsatisfiable."""
    if not header:
        return None
    match = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        suffix = int(last)
        if suffix == 0 or size == 0:
            return False
        return max(0, size - suffix), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size:
        return False
    if end < start:
        return None
    return start, min(end, size - 1)


async def abort_connection(send: Send) -> None:
    """Drop the client's TCP connection with a reset, whatever has been sent so far.

    uvicorn passes its per-request cycle's bound ``send``; its transport is the client socket. If that is
    not available (another server), raising makes the server end the exchange abruptly instead.
    """
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise ConnectionAbortedError("emulator fault: connection reset")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        import socket
        import struct

        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    # Let connection_lost run so the server marks the request disconnected and sends nothing more.
    for _ in range(3):
        await asyncio.sleep(0)


class LinkStore:
    """Signed links and the rendered-file cache of one emulator."""

    def __init__(self, clock: Clock, *, key: bytes, lifetime: float) -> None:
        self._clock = clock
        self._key = key or secrets.token_bytes(32)
        self.lifetime = lifetime
        self.base_url = ""
        self._lock = threading.Lock()
        self._links: dict[str, Link] = {}
        self._cache: collections.OrderedDict[tuple[int, ExportSpec], Artifact] = collections.OrderedDict()
        self._cache_bytes = 0

    def _sign(self, link_id: str, expires: int) -> str:
        return hmac.new(self._key, f"{link_id}:{expires}".encode(), hashlib.sha256).hexdigest()

    def mint(self, entry: Entry, spec: ExportSpec) -> str:
        """A new signed URL for the export of ``entry`` described by ``spec``."""
        filename, content_type = describe_artifact(entry, spec)
        expires = math.ceil(self._clock.epoch() + self.lifetime)
        link = Link(secrets.token_hex(16), entry, spec, filename, content_type, expires)
        with self._lock:
            self._links[link.id] = link
        return (
            f"{self.base_url}/d/{link.id}/{quote(filename, safe='')}"
            f"?exp={expires}&sig={self._sign(link.id, expires)}"
        )

    def resolve(self, path: str, query: str) -> tuple[int, str, Link | None]:
        """(status, message, link): 200 with the link, or 403/404 with why not."""
        match = _PATH.match(path)
        if match is None:
            return 404, "NoSuchKey", None
        params = parse_qs(query)
        try:
            expires = int(params["exp"][0])
            signature = params["sig"][0]
        except (KeyError, ValueError, IndexError):
            return 403, "Missing or malformed signature", None
        if not hmac.compare_digest(signature, self._sign(match["id"], expires)):
            return 403, "Signature does not match", None
        if self._clock.epoch() > expires:
            return 403, "Request has expired", None
        with self._lock:
            link = self._links.get(match["id"])
        if link is None or link.expires != expires:
            return 404, "NoSuchKey", None
        return 200, "", link

    async def artifact(self, link: Link) -> Artifact:
        key = (link.entry.id, link.spec)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        artifact = await asyncio.to_thread(build_artifact, link.entry, link.spec)
        if artifact.data is not None:
            with self._lock:
                self._cache[key] = artifact
                self._cache_bytes += artifact.size
                while self._cache_bytes > _CACHE_BYTES and len(self._cache) > 1:
                    _, old = self._cache.popitem(last=False)
                    self._cache_bytes -= old.size
        return artifact


def _chunks(artifact: Artifact, start: int, end: int) -> Iterator[bytes]:
    if artifact.chunks is not None:
        yield from artifact.chunks(start, end)
        return
    assert artifact.data is not None
    for offset in range(start, end + 1, CHUNK_SIZE):
        yield artifact.data[offset : min(offset + CHUNK_SIZE, end + 1)]


class LinksApp:
    """The ASGI app of the download origin."""

    def __init__(
        self,
        store: LinkStore,
        *,
        on_request: Callable[[bool], None],
        fault: Callable[[], DownloadFault],
        stopping: Callable[[], bool],
    ) -> None:
        self.store = store
        self._on_request = on_request
        self._fault = fault
        self._stopping = stopping

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        self._on_request("authorization" in headers)
        method = scope["method"]
        if method not in ("GET", "HEAD"):
            await self._error(send, 405, "MethodNotAllowed", "Use GET or HEAD")
            return
        status, message, link = self.store.resolve(scope["path"], scope["query_string"].decode("latin-1"))
        if link is None:
            await self._error(send, status, "AccessDenied" if status == 403 else "NoSuchKey", message)
            return
        artifact = await self.store.artifact(link)
        fault = self._fault()
        size = artifact.size
        filename = link.filename
        if fault.hostile_filename:
            filename = "../../" + filename
        etag = '"' + hashlib.sha256(f"{link.entry.id}:{link.spec!r}:{size}".encode()).hexdigest()[:32] + '"'
        response_headers = [
            (b"content-type", link.content_type.encode()),
            (b"content-disposition", content_disposition(filename).encode("latin-1")),
            (b"accept-ranges", b"bytes"),
            (b"etag", etag.encode()),
            (b"cache-control", b"private, no-store"),
        ]
        byte_range = parse_range(headers.get("range"), size)
        if headers.get("if-range") not in (None, etag):
            byte_range = None
        if byte_range is False:
            response_headers.append((b"content-range", f"bytes */{size}".encode()))
            await self._error(
                send, 416, "InvalidRange", "The requested range is not satisfiable", response_headers
            )
            return
        status = 200
        start, end = 0, size - 1
        if isinstance(byte_range, tuple):
            status = 206
            start, end = byte_range
            response_headers.append((b"content-range", f"bytes {start}-{end}/{size}".encode()))
        length = max(end - start + 1, 0)
        response_headers.append((b"content-length", str(length).encode()))
        await send({"type": "http.response.start", "status": status, "headers": response_headers})
        if method == "HEAD" or length == 0:
            await send({"type": "http.response.body", "body": b""})
            return
        await self._body(send, artifact, start, end, fault)

    async def _body(self, send: Send, artifact: Artifact, start: int, end: int, fault: DownloadFault) -> None:
        length = end - start + 1
        half = length // 2
        sent = 0
        stalled = False
        for chunk in _chunks(artifact, start, end):
            if fault.truncate and sent + len(chunk) > half:
                await send({"type": "http.response.body", "body": chunk[: half - sent], "more_body": True})
                await abort_connection(send)
                return
            if fault.stall_seconds and not stalled and sent + len(chunk) > half:
                stalled = True
                await send({"type": "http.response.body", "body": chunk[: half - sent], "more_body": True})
                chunk = chunk[half - sent :]
                sent = half
                waited = 0.0
                while waited < fault.stall_seconds and not self._stopping():
                    step = min(0.05, fault.stall_seconds - waited)
                    await asyncio.sleep(step)
                    waited += step
            if fault.delay_per_chunk:
                await asyncio.sleep(fault.delay_per_chunk)
            if self._stopping():
                await abort_connection(send)
                return
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
            sent += len(chunk)
        await send({"type": "http.response.body", "body": b""})

    @staticmethod
    async def _error(
        send: Send, status: int, code: str, message: str, extra: list[tuple[bytes, bytes]] | None = None
    ) -> None:
        xml = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
        body = f'<?xml version="1.0" encoding="UTF-8"?>\n{xml}'.encode()
        headers = [(b"content-type", b"application/xml"), (b"content-length", str(len(body)).encode())]
        headers += [h for h in (extra or []) if h[0] not in (b"content-length", b"content-type")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
