"""Fetch an export's download link to disk: streamed, atomic, resumable, never with our credentials.

The link is a pre-signed URL, usually on another host. It is fetched with a plain GET on a client that has no
auth, no cookies and no Authorization header, so the bearer token can never reach the storage host, not even
through a redirect.

One logic, two drivers: ``_transfer._Transfer`` makes every decision (file name, overwrite check, Range
headers, response validation, resume or restart, deadline, progress) without network I/O; :func:`download` and
:func:`adownload` are short loops that feed it an ``httpx`` stream and write what it accepts to its part file.
:func:`adownload` never touches the disk on the event loop: the chunks it receives are batched (up to
`chunk_size` bytes) and each batch, like opening the temp file, the final fsync + rename and the cleanup, runs
in a worker thread, one call at a time, while the deadline is still checked on every network read.

Guarantees, whatever happens (exception, truncated body, deadline, Ctrl-C, task cancellation):

- the body is written in chunks to a hidden temp file next to the destination (``.<name>.<random>.part``),
  flushed, fsynced and then renamed into place atomically, never clobbering a file that appeared meanwhile
  unless ``overwrite=True``;
- on failure the temp file is removed and nothing exists under the final name;
- no message or log line carries the link's query string (its signature) or its path but the file name: some
  storage services carry the secret in the path (see `_redact.redact_link`; while the download runs,
  `_logging.secret_link` has the log filters reduce the link in httpx's own request lines too).

Example::

    with download_link_client() as http:
        result = download(http, link, Path("exports"), on_progress=lambda done, total: print(done, total))
    print(result.path, result.size)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import Final

import anyio
import anyio.to_thread
import httpx

from ._errors import DownloadDeadlineError, DownloadError, OptionIssue, OptionsError
from ._logging import secret_link
from ._partfile import PartFile
from ._policy import Clock, Deadline
from ._results import DownloadResult
from ._tls import CertSetting, NetworkSettings, VerifySetting
from ._tls_errors import lasting_failure
from ._transfer import Progress, _Transfer

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_DOWNLOAD_TIMEOUT",
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_MAX_RESUME_ATTEMPTS",
    "DownloadDeadlineError",
    "DownloadResult",
    "adownload",
    "async_download_link_client",
    "download",
    "download_link_client",
]

#: Finite everywhere: a storage host that stops sending must not hang a download forever.
DEFAULT_DOWNLOAD_TIMEOUT: Final = httpx.Timeout(connect=15.0, read=60.0, write=30.0, pool=15.0)
DEFAULT_CHUNK_SIZE: Final = 1 << 20
DEFAULT_MAX_REDIRECTS: Final = 5
DEFAULT_MAX_RESUME_ATTEMPTS: Final = 3

_HTTPX_ERRORS: Final = (httpx.HTTPError, httpx.InvalidURL)


def _check_timeout(timeout: httpx.Timeout) -> None:
    if None in (timeout.connect, timeout.read, timeout.write, timeout.pool):
        raise ValueError("download timeouts must be finite: set connect, read, write and pool")


def _no_cookies() -> CookieJar:
    # Pre-signed links need no cookies; refusing them all keeps a redirect hop from planting one for the next.
    # Hand httpx the CookieJar itself: wrapping it in httpx.Cookies first would copy it into a default jar
    # and lose the refusing policy.
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


def _network(
    transport: object, verify: VerifySetting, cert: CertSetting, proxy: str | None, trust_env: bool
) -> NetworkSettings | None:
    """The TLS/proxy settings to build a transport with (None: the caller's `transport` is used as is)."""
    if transport is not None:
        if verify is not True or cert is not None or proxy is not None:
            rule = "verify=, cert= and proxy= apply to the transport lf-export builds; set them on yours"
            raise OptionsError([OptionIssue("transport", type(transport).__name__, rule)])
        return None
    network = NetworkSettings.make(verify=verify, cert=cert, proxy=proxy, trust_env=trust_env)
    network.warn_if_insecure(stacklevel=3)
    return network


def download_link_client(
    *,
    timeout: httpx.Timeout = DEFAULT_DOWNLOAD_TIMEOUT,
    transport: httpx.BaseTransport | None = None,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    verify: VerifySetting = True,
    cert: CertSetting = None,
    proxy: str | None = None,
    trust_env: bool = True,
) -> httpx.Client:
    """A client for download links only: no auth, no cookies, redirects followed, finite timeouts.

    Never reuse the API client for links: it carries the bearer token. `verify`, `cert`, `proxy` and
    `trust_env` are those of `ExportClient` (a CA bundle for a storage host with a private CA, a proxy, ...).

    >>> with download_link_client() as http:
    ...     http.auth is None
    True
    """
    _check_timeout(timeout)
    network = _network(transport, verify, cert, proxy, trust_env)
    return httpx.Client(
        auth=None,
        cookies=_no_cookies(),
        follow_redirects=True,
        max_redirects=max_redirects,
        timeout=timeout,
        transport=network.transport() if network is not None else transport,
        trust_env=trust_env,
    )


def async_download_link_client(
    *,
    timeout: httpx.Timeout = DEFAULT_DOWNLOAD_TIMEOUT,
    transport: httpx.AsyncBaseTransport | None = None,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    verify: VerifySetting = True,
    cert: CertSetting = None,
    proxy: str | None = None,
    trust_env: bool = True,
) -> httpx.AsyncClient:
    """The async twin of :func:`download_link_client`."""
    _check_timeout(timeout)
    network = _network(transport, verify, cert, proxy, trust_env)
    return httpx.AsyncClient(
        auth=None,
        cookies=_no_cookies(),
        follow_redirects=True,
        max_redirects=max_redirects,
        timeout=timeout,
        transport=network.async_transport() if network is not None else transport,
        trust_env=trust_env,
    )


def _check_client(client: httpx.Client | httpx.AsyncClient) -> None:
    if client.auth is not None or "authorization" in client.headers or "cookie" in client.headers:
        raise ValueError(
            "this client sends credentials; fetch download links with download_link_client() instead"
        )


def download(
    client: httpx.Client,
    link: str,
    dest: Path | str,
    *,
    overwrite: bool = False,
    rename: bool = False,
    deadline: Deadline | None = None,
    clock: Clock = time.monotonic,
    on_progress: Progress | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    max_resume_attempts: int = DEFAULT_MAX_RESUME_ATTEMPTS,
    default_name: str | None = None,
) -> DownloadResult:
    """Stream `link` to `dest` (a folder: the name comes from the server; else the file path to write).

    `deadline` bounds the whole download, and each request's timeouts are capped at the time it leaves; the
    deadline's clock also times the download (`clock` does when there is no deadline).
    `on_progress(bytes_so_far, total_or_None)` is called after every chunk. A transfer that breaks is resumed
    with HTTP Range when the server supports it, else restarted, at most `max_resume_attempts` times. Raises
    :class:`DownloadError` (with a redacted URL), :class:`DownloadDeadlineError` past the deadline.

    With ``rename=True`` (and not `overwrite`), a taken name is never an error: the file is placed under
    ``name (2).ext``, ``name (3).ext`` ... instead; `DownloadResult.path` says where.

    >>> with download_link_client() as http:  # doctest: +SKIP
    ...     download(http, link, "exports/").path
    PosixPath('exports/Contract 2024.pdf')
    """
    _check_client(client)
    transfer = _Transfer(
        link,
        dest,
        deadline=deadline,
        clock=clock,
        overwrite=overwrite,
        rename=rename,
        on_progress=on_progress,
        chunk_size=chunk_size,
        max_resume_attempts=max_resume_attempts,
        default_name=default_name,
    )
    try:
        with secret_link(link):
            return _download_loop(client, link, transfer)
    except BaseException as exc:  # Ctrl-C too: no temp file is left behind
        transfer.discard()
        transfer.log_failure(exc)
        raise


def _download_loop(client: httpx.Client, link: str, transfer: _Transfer) -> DownloadResult:
    while not transfer.complete:
        headers, timeout = transfer.next_request(client.timeout)
        try:
            with client.stream("GET", link, headers=headers, timeout=timeout, auth=None) as response:
                part = transfer.start_response(response)
                if part is not None:
                    part.open()
                    # No chunk size: each piece as it arrives, so the deadline is checked per network
                    # read (a slow but steady host cannot hold us past it) and a reset loses nothing
                    # buffered in httpx; the part file's buffer batches the writes.
                    for chunk in response.iter_bytes():
                        part.write(transfer.accept(chunk), (chunk,))
                    transfer.end_body()
        except _HTTPX_ERRORS as exc:
            _fail_for_good(exc, link)
            transfer.fail(exc)
    return transfer.commit()


def _fail_for_good(exc: Exception, link: str) -> None:
    """A certificate not accepted or a proxy's refusal: no resume can mend it; say what to do instead."""
    try:
        host = httpx.URL(link).netloc.decode("ascii", "replace")
    except httpx.InvalidURL:
        return
    words = lasting_failure(exc, host)
    if words is not None:
        raise DownloadError(f"{words[0]}; {words[1]}", url=link) from exc


class _Batch:
    """Chunks accepted but not yet written, for one worker-thread call per `limit` bytes (async driver)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.part: PartFile | None = None
        self.offset = 0
        self.chunks: list[bytes] = []
        self.size = 0

    def add(self, part: PartFile, offset: int, chunk: bytes) -> bool:
        """Queue `chunk` for byte `offset` (contiguous with the queued ones); True when a flush is due."""
        if not self.chunks:
            self.part, self.offset = part, offset
        self.chunks.append(chunk)
        self.size += len(chunk)
        return self.size >= self.limit

    async def flush(self) -> None:
        if self.part is None or not self.chunks:
            return
        chunks, self.chunks, self.size = self.chunks, [], 0
        await anyio.to_thread.run_sync(self.part.write, self.offset, chunks)


async def _in_thread(call: Callable[[], object]) -> None:
    await anyio.to_thread.run_sync(call)


async def adownload(
    client: httpx.AsyncClient,
    link: str,
    dest: Path | str,
    *,
    overwrite: bool = False,
    rename: bool = False,
    deadline: Deadline | None = None,
    clock: Clock = time.monotonic,
    on_progress: Progress | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    max_resume_attempts: int = DEFAULT_MAX_RESUME_ATTEMPTS,
    default_name: str | None = None,
) -> DownloadResult:
    """The async twin of :func:`download`; all file I/O runs in worker threads (see the module docstring)."""
    _check_client(client)
    transfer = _Transfer(
        link,
        dest,
        deadline=deadline,
        clock=clock,
        overwrite=overwrite,
        rename=rename,
        on_progress=on_progress,
        chunk_size=chunk_size,
        max_resume_attempts=max_resume_attempts,
        default_name=default_name,
    )
    batch = _Batch(chunk_size)
    try:
        with secret_link(link):
            return await _adownload_loop(client, link, transfer, batch)
    except BaseException as exc:  # cancellation too: the cleanup itself must not be cancelled
        with anyio.CancelScope(shield=True):
            await _in_thread(transfer.discard)
        transfer.log_failure(exc)
        raise


async def _adownload_loop(
    client: httpx.AsyncClient, link: str, transfer: _Transfer, batch: _Batch
) -> DownloadResult:
    while not transfer.complete:
        await batch.flush()  # what arrived before a break, before asking for the rest
        headers, timeout = transfer.next_request(client.timeout)
        try:
            async with client.stream("GET", link, headers=headers, timeout=timeout, auth=None) as response:
                part = transfer.start_response(response)
                if part is not None:
                    await _in_thread(part.open)
                    async for chunk in response.aiter_bytes():  # as in `download`
                        if batch.add(part, transfer.accept(chunk), chunk):
                            await batch.flush()
                    transfer.end_body()
        except _HTTPX_ERRORS as exc:
            _fail_for_good(exc, link)
            transfer.fail(exc)
    await batch.flush()
    return await anyio.to_thread.run_sync(transfer.commit)
