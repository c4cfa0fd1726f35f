"""The decisions of one download, shared by the sync and async drivers in `_download.py`; no network I/O.

:class:`_Transfer` chooses the file name, refuses to clobber, builds Range / If-Range requests, validates each
response, decides between resume and restart, counts bytes, checks the deadline and reports progress. The
body goes to a `_partfile.PartFile`, whose calls block (the async driver runs them in a worker thread);
`_Transfer` itself only touches the disk to check names and in `commit` / `discard`, which block too.

Bytes are addressed by offset: :meth:`_Transfer.accept` answers where a chunk goes, and a restart simply sends
the next write to offset 0 (the part file cuts its stale tail then, or at the final fsync).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Final

import httpx

from ._errors import DownloadDeadlineError, DownloadError
from ._filenames import (
    FileExists,
    filename_from_content_disposition,
    filename_from_url,
    fsync_dir,
    safe_filename,
)
from ._logging import is_secret_link
from ._partfile import PartFile
from ._policy import Clock, Deadline
from ._redact import redact_link, redact_text
from ._results import DownloadResult

logger = logging.getLogger("lf_export.download")

_CONTENT_RANGE: Final = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", re.IGNORECASE)
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

Progress = Callable[[int, int | None], None]


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {redact_text(str(exc), is_secret_link) or 'no details'}"


def _int_header(response: httpx.Response, name: str) -> int | None:
    value = response.headers.get(name)
    if value is None or not (value.strip().isascii() and value.strip().isdigit()):
        return None  # absent, or not one plain number (e.g. "12, 12"): treated as unknown
    return int(value)


class _Restart(Exception):
    """Internal: the current response cannot continue the file; start again from byte 0."""


class _Transfer:
    """Every decision of one download. The drivers feed it responses, chunks and httpx errors."""

    def __init__(
        self,
        link: str,
        dest: Path | str,
        *,
        overwrite: bool,
        rename: bool,
        deadline: Deadline | None,
        clock: Clock,
        on_progress: Progress | None,
        chunk_size: int,
        max_resume_attempts: int,
        default_name: str | None,
    ) -> None:
        if chunk_size < 1:
            raise ValueError("chunk_size must be positive")
        if max_resume_attempts < 0:
            raise ValueError("max_resume_attempts must be 0 or more")
        self.link = link
        self.url = redact_link(link)  # for log lines: host and file name only (a link is a credential)
        self.overwrite = overwrite
        self.rename = rename and not overwrite
        self.deadline = deadline
        self.clock = clock if deadline is None else deadline.clock
        self.on_progress = on_progress
        self.chunk_size = chunk_size
        self.max_resume_attempts = max_resume_attempts
        self.default_name = default_name
        self.started = self.clock()

        self.part: PartFile | None = None
        dest_path = Path(dest)
        self.folder: Path | None = dest_path if dest_path.is_dir() else None
        if self.folder is None:
            if str(dest).endswith(("/", os.sep)):
                raise DownloadError(f"the folder {dest_path} does not exist; create it first", url=link)
            if not dest_path.parent.is_dir():
                raise DownloadError(
                    f"the folder {dest_path.parent} does not exist; create it first", url=link
                )
            self._refuse_existing(dest_path)
            self.part = PartFile(dest_path, chunk_size, link)

        self.written = 0  # bytes of the file received so far (the next chunk goes at this offset)
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
        # Per request:
        self.ranged = False
        self.body_end: int | None = None  # byte offset where the current body should end

    # -- lifecycle ---------------------------------------------------------------------------------------

    def discard(self) -> None:
        """Remove the temp file (blocks). Safe to call at any point, also after `commit`."""
        if self.part is not None:
            self.part.discard()

    def log_failure(self, exc: BaseException) -> None:
        logger.info("download of %s failed after %d bytes: %s", self.url, self.written, type(exc).__name__)

    def _refuse_existing(self, path: Path) -> None:
        if not self.overwrite and not self.rename and os.path.lexists(path):
            raise DownloadError(
                f"{path} already exists; pass overwrite=True to replace it", url=self.link, existing=path
            )

    def _check_deadline(self, cause: BaseException | None = None) -> None:
        if self.deadline is not None and self.deadline.expired():
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
        if self.deadline is None:
            return headers, client_timeout
        return headers, httpx.Timeout(**self.deadline.cap(client_timeout.as_dict()))

    # -- responses ---------------------------------------------------------------------------------------

    def start_response(self, response: httpx.Response) -> PartFile | None:
        """Validate the status and headers; a part file (still to be opened) means: read the body into it
        now, ``None``: send the next request."""
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
            self._use_attempt(str(restart), None)
            logger.warning("%s: %s; restarting from byte 0", self.url, restart)
            self._reset()
            return None
        return self.part

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
            self._reset()
        # Compressed despite `Accept-Encoding: identity`: Content-Length and Range offsets then count encoded
        # bytes, not the decoded ones we write, so no size check and no Range resume (h11 still sees a cut).
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        self.decoding = encoding not in ("identity", "")
        self.total = None if self.decoding else _int_header(response, "content-length")
        self.body_end = self.total
        self.content_type = response.headers.get("content-type")
        etag = response.headers.get("etag")
        self.etag = etag
        # If-Range needs a strong validator: a strong ETag, else Last-Modified.
        self.if_range = etag if etag and not etag.startswith("W/") else response.headers.get("last-modified")
        self.ranges_ok = "bytes" in response.headers.get("accept-ranges", "").lower()
        suggested = filename_from_content_disposition(response.headers.get("content-disposition"))
        self.suggested_name = safe_filename(suggested) if suggested else None
        if self.part is None and self.folder is not None:
            self.part = PartFile(self._choose_name(self.folder, suggested), self.chunk_size, self.link)

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

    def _reset(self) -> None:
        """Start the file again from byte 0 (the part file drops the old bytes at its next write)."""
        self.written = 0
        self.resumed = False
        self._progress()

    def _choose_name(self, folder: Path, suggested: str | None) -> Path:
        raw = suggested or self.default_name or filename_from_url(self.link) or "export"
        name = safe_filename(raw)
        media_type = (self.content_type or "").split(";", 1)[0].strip().lower()
        if not Path(name).suffix and media_type in _EXTENSIONS:
            name = safe_filename(name + _EXTENSIONS[media_type])
        self._refuse_existing(folder / name)
        return folder / name

    # -- body --------------------------------------------------------------------------------------------

    def accept(self, chunk: bytes) -> int:
        """Count one chunk of the body (checking the deadline first); return the file offset it goes to."""
        self._check_deadline()
        if not self.decoding and self.body_end is not None and self.written + len(chunk) > self.body_end:
            raise DownloadError(
                f"the server sent more than the announced {self.body_end} bytes", url=self.link
            )
        offset = self.written
        self.written += len(chunk)
        self._progress()
        return offset

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
            self._reset()

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

    def commit(self) -> DownloadResult:
        """fsync the temp file and move it into place atomically; blocks (async: run it in a thread)."""
        part = self.part
        if part is None or not self.complete:
            raise RuntimeError("commit() before the download completed")
        try:
            final = part.commit(self.written, overwrite=self.overwrite, rename=self.rename)
        except FileExists:
            raise DownloadError(
                f"{part.final} already exists; pass overwrite=True to replace it",
                url=self.link,
                existing=part.final,
            ) from None
        except OSError as exc:
            raise DownloadError(f"cannot move the download to {part.final}: {exc}", url=self.link) from exc
        fsync_dir(final.parent)
        logger.info(
            "downloaded %s to %s: %d bytes in %.2fs%s",
            self.url,
            final,
            self.written,
            self.clock() - self.started,
            " (resumed)" if self.resumed else "",
        )
        return DownloadResult(
            path=final,
            size=self.written,
            content_type=self.content_type,
            suggested_name=self.suggested_name,
            resumed=self.resumed,
        )
