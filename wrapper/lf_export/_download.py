"""Fetch an export's download link to disk: streamed, atomic, resumable, never with our credentials.

The link is a pre-signed URL, usually on another host. It is fetched with a plain GET on a client that has no
auth, no cookies and no Authorization header, so the bearer token can never reach the storage host, not even
through a redirect.

One logic, two drivers: :class:`_Transfer` makes every decision (file name, overwrite check, Range headers,
response validation, resume or restart, progress, temp-file lifecycle) without network I/O; :func:`download`
and :func:`adownload` are short loops that feed it an ``httpx`` stream and act on its answers.

Guarantees, whatever happens (exception, truncated body, deadline, Ctrl-C, task cancellation):

- the body is written in chunks to a hidden temp file next to the destination (``.<name>.<random>.part``),
  flushed, fsynced and then renamed into place atomically, never clobbering a file that appeared meanwhile
  unless ``overwrite=True``;
- on failure the temp file is removed and nothing exists under the final name;
- no message or log line carries the link's query string (its signature).

Example::

    with download_link_client() as http:
        result = download(http, link, Path("exports"), on_progress=lambda done, total: print(done, total))
    print(result.path, result.size)
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import time
from collections.abc import Callable
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Final

import anyio.to_thread
import httpx

from ._errors import DownloadDeadlineError, DownloadError, redact_url
from ._extract import UnsafeArchiveError, extract_zip
from ._filenames import (
    FileExists,
    filename_from_content_disposition,
    filename_from_url,
    fsync_dir,
    numbered_name,
    place_file,
    safe_filename,
)
from ._results import DownloadResult

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_DOWNLOAD_TIMEOUT",
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_MAX_RESUME_ATTEMPTS",
    "DownloadDeadlineError",
    "DownloadResult",
    "UnsafeArchiveError",
    "adownload",
    "async_download_link_client",
    "download",
    "download_link_client",
    "extract_zip",
    "filename_from_content_disposition",
    "safe_filename",
]

logger = logging.getLogger("lf_export.download")

#: Finite everywhere: a storage host that stops sending must not hang a download forever.
DEFAULT_DOWNLOAD_TIMEOUT: Final = httpx.Timeout(connect=15.0, read=60.0, write=30.0, pool=15.0)
DEFAULT_CHUNK_SIZE: Final = 1 << 20
DEFAULT_MAX_REDIRECTS: Final = 5
DEFAULT_MAX_RESUME_ATTEMPTS: Final = 3

# Read at call time so tests can drive deadlines with a fake clock instead of sleeping.
_now: Callable[[], float] = time.monotonic

_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", re.IGNORECASE)
_QUERY = re.compile(r"\?[^\s'\"<>]*")
# Extensions added when the chosen name has none (e.g. a link whose path is an opaque id).
_EXTENSIONS: Final = {
    "application/pdf": ".pdf",
    "application/zip": ".zip",
    "image/tiff": ".tif",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "text/plain": ".txt",
}
# Exceptions after which the same GET may simply be sent again (resumed with Range when possible).
_RETRYABLE: Final = (httpx.NetworkError, httpx.TimeoutException, httpx.RemoteProtocolError)


def _check_timeout(timeout: httpx.Timeout) -> None:
    if None in (timeout.connect, timeout.read, timeout.write, timeout.pool):
        raise ValueError("download timeouts must be finite: set connect, read, write and pool")


def _no_cookies() -> CookieJar:
    # Pre-signed links need no cookies; refusing them all keeps a redirect hop from planting one for the next.
    # Hand httpx the CookieJar itself: wrapping it in httpx.Cookies first would copy it into a default jar
    # and lose the refusing policy.
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


def download_link_client(
    *,
    timeout: httpx.Timeout = DEFAULT_DOWNLOAD_TIMEOUT,
    transport: httpx.BaseTransport | None = None,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
) -> httpx.Client:
    """A client for download links only: no auth, no cookies, redirects followed, finite timeouts.

    Never reuse the API client for links: it carries the bearer token.

    >>> with download_link_client() as http:
    ...     http.auth is None
    True
    """
    _check_timeout(timeout)
    return httpx.Client(
        auth=None,
        cookies=_no_cookies(),
        follow_redirects=True,
        max_redirects=max_redirects,
        timeout=timeout,
        transport=transport,
    )


def async_download_link_client(
    *,
    timeout: httpx.Timeout = DEFAULT_DOWNLOAD_TIMEOUT,
    transport: httpx.AsyncBaseTransport | None = None,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
) -> httpx.AsyncClient:
    """The async twin of :func:`download_link_client`."""
    _check_timeout(timeout)
    return httpx.AsyncClient(
        auth=None,
        cookies=_no_cookies(),
        follow_redirects=True,
        max_redirects=max_redirects,
        timeout=timeout,
        transport=transport,
    )


def _check_client(client: httpx.Client | httpx.AsyncClient) -> None:
    if client.auth is not None or "authorization" in client.headers or "cookie" in client.headers:
        raise ValueError(
            "this client sends credentials; fetch download links with download_link_client() instead"
        )


def _describe(exc: BaseException) -> str:
    text = _QUERY.sub("", str(exc)) or "no details"
    return f"{type(exc).__name__}: {text}"


def _int_header(response: httpx.Response, name: str) -> int | None:
    value = response.headers.get(name)
    if value is None or not (value.strip().isascii() and value.strip().isdigit()):
        return None  # absent, or not one plain number (e.g. "12, 12"): treated as unknown
    return int(value)


class _Restart(Exception):
    """Internal: the current response cannot continue the file; start again from byte 0."""


class _Transfer:
    """Every decision of one download, with no network I/O. Used as a context manager that cleans up."""

    def __init__(
        self,
        link: str,
        dest: Path | str,
        *,
        overwrite: bool,
        deadline: float | None,
        on_progress: Callable[[int, int | None], None] | None,
        chunk_size: int,
        max_resume_attempts: int,
        default_name: str | None,
        rename: bool = False,
    ) -> None:
        if chunk_size < 1:
            raise ValueError("chunk_size must be positive")
        if max_resume_attempts < 0:
            raise ValueError("max_resume_attempts must be 0 or more")
        self.link = link
        self.url = redact_url(link)
        self.overwrite = overwrite
        self.rename = rename and not overwrite
        self.deadline = deadline
        self.on_progress = on_progress
        self.chunk_size = chunk_size
        self.max_resume_attempts = max_resume_attempts
        self.default_name = default_name
        self.started = _now()

        dest_path = Path(dest)
        self.folder: Path | None = dest_path if dest_path.is_dir() else None
        if self.folder is None and str(dest).endswith(("/", os.sep)):
            raise DownloadError(f"the folder {dest_path} does not exist; create it first", url=link)
        self.final_path: Path | None = None
        if self.folder is None:
            if not dest_path.parent.is_dir():
                raise DownloadError(
                    f"the folder {dest_path.parent} does not exist; create it first", url=link
                )
            self.final_path = dest_path
            self._refuse_existing(dest_path)

        self.tmp_path: Path | None = None
        self.file: BinaryIO | None = None
        self.written = 0  # bytes in the temp file
        self.total: int | None = None  # size of the whole file, when the server said
        self.content_type: str | None = None
        self.suggested_name: str | None = None
        self.etag: str | None = None
        self.if_range: str | None = None
        self.ranges_ok = False
        self.decoding = False
        self.attempts = 0  # resumes and restarts used
        self.resumed = False
        self.complete = False
        self.committed = False
        # Per request:
        self.ranged = False
        self.body_end: int | None = None  # byte offset where the current body should end

    # -- lifecycle ---------------------------------------------------------------------------------------

    def __enter__(self) -> _Transfer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # Runs for BaseException too (Ctrl-C, task cancellation): no temp file is left behind.
        if self.file is not None:
            with contextlib.suppress(OSError):
                self.file.close()
            self.file = None
        if self.tmp_path is not None:
            with contextlib.suppress(OSError):
                self.tmp_path.unlink(missing_ok=True)
        if exc is not None and not self.committed:
            logger.info(
                "download of %s failed after %d bytes: %s", self.url, self.written, type(exc).__name__
            )

    def _refuse_existing(self, path: Path) -> None:
        if not self.overwrite and not self.rename and os.path.lexists(path):
            raise DownloadError(f"{path} already exists; pass overwrite=True to replace it", url=self.link)

    def _check_deadline(self, cause: BaseException | None = None) -> None:
        if self.deadline is not None and _now() >= self.deadline:
            err = DownloadDeadlineError(
                f"deadline passed after {self.written} of {self._total_text()} bytes", url=self.link
            )
            raise err from cause

    def _total_text(self) -> str:
        return "?" if self.total is None else str(self.total)

    # -- requests ----------------------------------------------------------------------------------------

    def next_request(self, client_timeout: httpx.Timeout) -> tuple[dict[str, str], httpx.Timeout]:
        """Headers and timeout for the next GET; raises once the deadline has passed."""
        self._check_deadline()
        # Identity: byte offsets for Range and Content-Length then mean the bytes we write.
        headers = {"Accept-Encoding": "identity"}
        self.ranged = self.written > 0
        if self.ranged:
            headers["Range"] = f"bytes={self.written}-"
            if self.if_range is not None:
                headers["If-Range"] = self.if_range
        logger.debug("GET %s (attempt %d, from byte %d)", self.url, self.attempts + 1, self.written)
        return headers, self._timeout(client_timeout)

    def _timeout(self, timeout: httpx.Timeout) -> httpx.Timeout:
        if self.deadline is None:
            return timeout
        left = max(self.deadline - _now(), 0.001)

        def cap(value: float | None) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(
            connect=cap(timeout.connect),
            read=cap(timeout.read),
            write=cap(timeout.write),
            pool=cap(timeout.pool),
        )

    # -- responses ---------------------------------------------------------------------------------------

    def start_response(self, response: httpx.Response) -> bool:
        """Validate the status and headers; ``True`` means: read the body into the file now."""
        status = response.status_code
        logger.debug("GET %s -> %d", self.url, status)
        try:
            if self.ranged and status == 206:
                self._start_partial(response)
            elif self.ranged and status == 416:
                raise _Restart("the server refused the range (416)")
            elif status in (200, 203):
                self._start_full(response)
            else:
                raise DownloadError(self._status_reason(response), url=self.link, status=status)
        except _Restart as restart:
            self._restart(str(restart))
            return False
        return True

    def _status_reason(self, response: httpx.Response) -> str:
        status = response.status_code
        if status in (401, 403, 404, 410):
            return "the link was refused; it may have expired: export again to get a new link"
        if 200 <= status < 300:
            return f"unexpected status {status} for a download"
        return f"the storage host answered {status} {response.reason_phrase}".strip()

    def _start_full(self, response: httpx.Response) -> None:
        if self.written:
            # A 200 to a Range request: the server sends everything again (or the file changed).
            logger.info("%s: server ignored the range request; restarting from byte 0", self.url)
            self._truncate()
        # Compressed despite `Accept-Encoding: identity`: Content-Length and Range offsets then count encoded
        # bytes, not the decoded ones we write, so no size check and no Range resume (h11 still sees a cut).
        self.decoding = response.headers.get("content-encoding", "identity").strip().lower() not in (
            "identity",
            "",
        )
        length = _int_header(response, "content-length")
        self.total = None if self.decoding else length
        self.body_end = self.total
        self.content_type = response.headers.get("content-type")
        etag = response.headers.get("etag")
        self.etag = etag
        # If-Range needs a strong validator: a strong ETag, else Last-Modified.
        self.if_range = etag if etag and not etag.startswith("W/") else response.headers.get("last-modified")
        self.ranges_ok = "bytes" in response.headers.get("accept-ranges", "").lower()
        suggested = filename_from_content_disposition(response.headers.get("content-disposition"))
        self.suggested_name = safe_filename(suggested) if suggested else None
        if self.final_path is None:
            self._choose_name(suggested)
        self._open_temp()

    def _start_partial(self, response: httpx.Response) -> None:
        match = _CONTENT_RANGE.match(response.headers.get("content-range", ""))
        if match is None or match.group(3) == "*":
            raise _Restart("206 without a usable Content-Range")
        start, end, total = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if start != self.written or end < start or end >= total:
            raise _Restart(
                f"Content-Range {match.group(0).strip()!r} does not continue at byte {self.written}"
            )
        if self.total is not None and total != self.total:
            raise _Restart(f"the file size changed from {self.total} to {total}")
        length = _int_header(response, "content-length")
        if length is not None and length != end - start + 1:
            raise _Restart("Content-Length does not match Content-Range")
        etag = response.headers.get("etag")
        if etag and self.etag and etag != self.etag:
            raise _Restart("the file changed (ETag differs)")
        self.total = total
        self.body_end = end + 1
        self.ranges_ok = True
        self.resumed = True
        logger.info("%s: resuming at byte %d of %d", self.url, start, total)

    def _restart(self, why: str) -> None:
        self._use_attempt(why, None)
        logger.warning("%s: %s; restarting from byte 0", self.url, why)
        self._truncate()

    def _truncate(self) -> None:
        if self.file is not None:
            self.file.seek(0)
            self.file.truncate()
        self.written = 0
        self.resumed = False
        self._progress()

    def _choose_name(self, suggested: str | None) -> None:
        assert self.folder is not None
        raw = suggested or self.default_name or filename_from_url(self.link) or "export"
        name = safe_filename(raw)
        media_type = (self.content_type or "").split(";", 1)[0].strip().lower()
        if not Path(name).suffix and media_type in _EXTENSIONS:
            name = safe_filename(name + _EXTENSIONS[media_type])
        self.final_path = self.folder / name
        self._refuse_existing(self.final_path)

    def _open_temp(self) -> None:
        if self.file is not None:
            return
        assert self.final_path is not None
        base = self.final_path.name.encode("utf-8")[:100].decode("utf-8", errors="ignore")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        for _ in range(10):
            candidate = self.final_path.with_name(f".{base}.{secrets.token_hex(6)}.part")
            try:
                fd = os.open(candidate, flags, 0o666)  # the umask applies, as for any new file
            except FileExistsError:
                continue
            except OSError as exc:
                raise DownloadError(
                    f"cannot create a file in {self.final_path.parent}: {exc}", url=self.link
                ) from exc
            self.tmp_path = candidate
            # Pieces arrive as the network delivers them; `chunk_size` is the write buffer that batches them.
            self.file = open(fd, "wb", buffering=self.chunk_size)  # noqa: SIM115 - closed in __exit__ or commit
            return
        raise DownloadError(
            f"cannot create a unique temporary file in {self.final_path.parent}", url=self.link
        )

    # -- body --------------------------------------------------------------------------------------------

    def write(self, chunk: bytes) -> None:
        """Append one chunk of the body to the temp file."""
        assert self.file is not None
        self._check_deadline()
        if not self.decoding and self.body_end is not None and self.written + len(chunk) > self.body_end:
            raise DownloadError(
                f"the server sent more than the announced {self.body_end} bytes", url=self.link
            )
        try:
            self.file.write(chunk)
        except OSError as exc:
            raise DownloadError(f"cannot write {self.tmp_path}: {exc}", url=self.link) from exc
        self.written += len(chunk)
        self._progress()

    def _progress(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.written, self.total)

    def end_body(self) -> None:
        """The body ended normally: complete, or cut short (then resume or restart)."""
        if self.body_end is not None and self.written < self.body_end:
            self._interrupted(f"body ended after {self.written} of {self.body_end} bytes", None)
            return
        if self.total is not None and self.written < self.total:
            return  # a 206 covered only part of the rest; ask for the next part
        self.complete = True

    def fail(self, exc: Exception) -> None:
        """An httpx error happened; raise the mapped DownloadError, or arrange a resume and return."""
        self._check_deadline(exc)
        if not isinstance(exc, _RETRYABLE):
            raise DownloadError(_describe(exc), url=self.link) from exc
        self._interrupted(_describe(exc), exc)

    def _interrupted(self, why: str, exc: BaseException | None) -> None:
        self._use_attempt(why, exc)
        if self.written and self.ranges_ok and not self.decoding:
            logger.warning("%s: transfer broke (%s); resuming from byte %d", self.url, why, self.written)
        else:
            logger.warning("%s: transfer broke (%s); restarting from byte 0", self.url, why)
            self._truncate()

    def _use_attempt(self, why: str, exc: BaseException | None) -> None:
        if self.attempts >= self.max_resume_attempts:
            err = DownloadError(
                f"{why}; gave up after {self.attempts} resume attempt(s) "
                f"with {self.written} of {self._total_text()} bytes",
                url=self.link,
            )
            raise err from exc
        self.attempts += 1

    # -- commit ------------------------------------------------------------------------------------------

    def _place(self, tmp: Path, final: Path) -> Path:
        """Move `tmp` into place; with `rename`, a taken name becomes ``name (2).ext``, ``(3)`` and so on."""
        if not self.rename:
            place_file(tmp, final, overwrite=self.overwrite)
            return final
        for number in range(1, _MAX_RENAMES + 1):
            candidate = final if number == 1 else numbered_name(final, number)
            try:
                place_file(tmp, candidate, overwrite=False)
            except FileExists:
                continue
            return candidate
        raise FileExists(final)

    def commit(self) -> DownloadResult:
        """fsync the temp file and move it into place atomically; blocks (async: run it in a thread)."""
        assert self.file is not None
        assert self.tmp_path is not None
        assert self.final_path is not None
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            self.file = None
            self.final_path = self._place(self.tmp_path, self.final_path)
        except FileExists:
            raise DownloadError(
                f"{self.final_path} already exists; pass overwrite=True to replace it", url=self.link
            ) from None
        except OSError as exc:
            raise DownloadError(
                f"cannot move the download to {self.final_path}: {exc}", url=self.link
            ) from exc
        self.committed = True
        fsync_dir(self.final_path.parent)
        elapsed = _now() - self.started
        logger.info(
            "downloaded %s to %s: %d bytes in %.2fs%s",
            self.url,
            self.final_path,
            self.written,
            elapsed,
            " (resumed)" if self.resumed else "",
        )
        return DownloadResult(
            path=self.final_path,
            size=self.written,
            content_type=self.content_type,
            suggested_name=self.suggested_name,
            resumed=self.resumed,
        )


_HTTPX_ERRORS: Final = (httpx.HTTPError, httpx.InvalidURL)
_MAX_RENAMES: Final = 1000


def download(
    client: httpx.Client,
    link: str,
    dest: Path | str,
    *,
    overwrite: bool = False,
    deadline: float | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    max_resume_attempts: int = DEFAULT_MAX_RESUME_ATTEMPTS,
    default_name: str | None = None,
    rename: bool = False,
) -> DownloadResult:
    """Stream `link` to `dest` (a folder: the name comes from the server; else the file path to write).

    `deadline` is an absolute :func:`time.monotonic` value; `on_progress(bytes_so_far, total_or_None)` is
    called after every chunk. A transfer that breaks is resumed with HTTP Range when the server supports it,
    else restarted, at most `max_resume_attempts` times. Raises :class:`DownloadError` (with a redacted URL),
    :class:`DownloadDeadlineError` past the deadline.

    With ``rename=True`` (and not `overwrite`), a taken name is never an error: the file is placed under
    ``name (2).ext``, ``name (3).ext`` ... instead; `DownloadResult.path` says where.

    >>> with download_link_client() as http:  # doctest: +SKIP
    ...     download(http, link, "exports/").path
    PosixPath('exports/Contract 2024.pdf')
    """
    _check_client(client)
    with _Transfer(
        link,
        dest,
        overwrite=overwrite,
        deadline=deadline,
        on_progress=on_progress,
        chunk_size=chunk_size,
        max_resume_attempts=max_resume_attempts,
        default_name=default_name,
        rename=rename,
    ) as transfer:
        while not transfer.complete:
            headers, timeout = transfer.next_request(client.timeout)
            try:
                with client.stream("GET", link, headers=headers, timeout=timeout, auth=None) as response:
                    if transfer.start_response(response):
                        # No chunk size: each piece as it arrives, so the deadline is checked per network
                        # read (a slow but steady host cannot hold us past it) and a reset loses nothing
                        # buffered in httpx.
                        for chunk in response.iter_bytes():
                            transfer.write(chunk)
                        transfer.end_body()
            except _HTTPX_ERRORS as exc:
                transfer.fail(exc)
        return transfer.commit()


async def adownload(
    client: httpx.AsyncClient,
    link: str,
    dest: Path | str,
    *,
    overwrite: bool = False,
    deadline: float | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    max_resume_attempts: int = DEFAULT_MAX_RESUME_ATTEMPTS,
    default_name: str | None = None,
    rename: bool = False,
) -> DownloadResult:
    """The async twin of :func:`download`; the final fsync and rename run in a worker thread."""
    _check_client(client)
    with _Transfer(
        link,
        dest,
        overwrite=overwrite,
        deadline=deadline,
        on_progress=on_progress,
        chunk_size=chunk_size,
        max_resume_attempts=max_resume_attempts,
        default_name=default_name,
        rename=rename,
    ) as transfer:
        while not transfer.complete:
            headers, timeout = transfer.next_request(client.timeout)
            try:
                async with client.stream(
                    "GET", link, headers=headers, timeout=timeout, auth=None
                ) as response:
                    if transfer.start_response(response):
                        async for chunk in response.aiter_bytes():  # as in `download`
                            transfer.write(chunk)
                        transfer.end_body()
            except _HTTPX_ERRORS as exc:
                transfer.fail(exc)
        return await anyio.to_thread.run_sync(transfer.commit)
