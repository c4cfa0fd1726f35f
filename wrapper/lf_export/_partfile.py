"""The hidden temp file a download is written to, and its move into place. Every call blocks: the async
driver runs each one in a worker thread.

Bytes are addressed by offset: a write at the end appends; a write at an earlier offset (a restart from
byte 0) first cuts everything after it, and `finish(size)` cuts a stale tail left by a restart.

Stale temp files: a process killed outright (SIGKILL, power loss) cannot remove its ``.NAME.<12 hex>.part``.
The first download into a folder (once per process and folder) removes the ones left there, safely:

* only names of exactly our pattern (a dot, the name, a dot, 12 lowercase hex digits, ``.part``), regular
  files only (no symlinks, folders);
* a writer holds an exclusive `flock` on its temp file from the moment it creates it until it closes it (a
  killed process loses its locks), so a file whose lock can be taken has no writer: it is removed while we
  hold the lock. Files changed in the last `STALE_GRACE_SECONDS` are left alone (the instant between
  creating a file and locking it);
* where `flock` does not exist (Windows), only files untouched for `STALE_UNLOCKED_SECONDS` (a day) go.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import stat
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, Final

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from ._errors import DownloadError
from ._filenames import FileExists, numbered_name, place_file

_MAX_RENAMES: Final = 1000
#: The temp files we write, and only those: ``.<name>.<secrets.token_hex(6)>.part``.
PART_NAME: Final = re.compile(r"^\..+\.[0-9a-f]{12}\.part$", re.DOTALL)
STALE_GRACE_SECONDS: Final = 5.0
STALE_UNLOCKED_SECONDS: Final = 24 * 3600.0

logger = logging.getLogger("lf_export.download")
_swept: set[Path] = set()
_swept_lock = threading.Lock()


def _lock(fd: int) -> bool:
    """Take an exclusive lock on `fd` without waiting; False when another open file holds it."""
    if fcntl is None:  # pragma: no cover - Windows
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def remove_stale_parts(folder: Path, *, now: float | None = None) -> list[Path]:
    """Remove the temp files of downloads that died in `folder` (see the module docstring); returns them."""
    now = time.time() if now is None else now
    min_age = STALE_GRACE_SECONDS if fcntl is not None else STALE_UNLOCKED_SECONDS
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not PART_NAME.match(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < min_age:
                continue
            fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
        except OSError:
            continue
        try:
            if _lock(fd):  # nobody writes it: a killed download's leftover
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            pass
        finally:
            os.close(fd)
    if removed:
        logger.info("removed %d stale temp file(s) of interrupted downloads in %s", len(removed), folder)
    return removed


def _sweep_once(folder: Path) -> None:
    key = folder.absolute()
    with _swept_lock:
        if key in _swept:
            return
        _swept.add(key)
    remove_stale_parts(folder)


class PartFile:
    """``.<name>.<random>.part`` next to `final`. Every method blocks, and holds a lock while it runs: a
    cancelled async download may leave a write running in a worker thread, and its cleanup (`discard`, in
    another one) must wait for it instead of closing the file under it. `open` and `discard` are idempotent.
    """

    def __init__(self, final: Path, buffer_size: int, link: str) -> None:
        self.final = final
        self.path: Path | None = None
        self._buffer_size = buffer_size
        self._link = link
        self._file: BinaryIO | None = None
        self._end = 0  # bytes in the file (written, buffered included)
        self._lock = threading.Lock()

    def open(self) -> None:
        with self._lock:
            self._open()

    def _open(self) -> None:
        if self.path is not None:
            return
        _sweep_once(self.final.parent)
        base = self.final.name.encode("utf-8")[:100].decode("utf-8", errors="ignore")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        for _ in range(10):
            candidate = self.final.with_name(f".{base}.{secrets.token_hex(6)}.part")
            try:
                fd = os.open(candidate, flags, 0o666)  # the umask applies, as for any new file
            except FileExistsError:
                continue
            except OSError as exc:
                raise DownloadError(
                    f"cannot create a file in {self.final.parent}: {exc}", url=self._link
                ) from exc
            _lock(fd)  # held until the file is closed: `remove_stale_parts` leaves a locked file alone
            self.path = candidate
            # Pieces arrive as the network delivers them; the buffer batches them into large writes.
            self._file = open(fd, "wb", buffering=self._buffer_size)  # noqa: SIM115 - closed in finish/discard
            return
        raise DownloadError(f"cannot create a unique temporary file in {self.final.parent}", url=self._link)

    def _opened(self) -> BinaryIO:
        if self._file is None:
            raise RuntimeError("the download's temp file is not open")
        return self._file

    def write(self, offset: int, chunks: Iterable[bytes]) -> None:
        """Write `chunks` from byte `offset`: the end of the file, or an earlier offset (a restart) that
        cuts everything after it."""
        with self._lock:
            self._write(offset, chunks)

    def _write(self, offset: int, chunks: Iterable[bytes]) -> None:
        file = self._opened()
        if offset > self._end:
            raise RuntimeError(f"write at byte {offset} would leave a hole after byte {self._end}")
        try:
            if offset < self._end:
                file.seek(offset)
                file.truncate()
                self._end = offset
            for chunk in chunks:
                file.write(chunk)
                self._end += len(chunk)
        except OSError as exc:
            raise DownloadError(f"cannot write {self.path}: {exc}", url=self._link) from exc

    def commit(self, size: int, *, overwrite: bool, rename: bool) -> Path:
        """Cut the file at `size`, flush, fsync and close it, then move it into place atomically, never over
        an existing file unless `overwrite`; with `rename`, a taken name becomes ``name (2).ext``, ``(3)``
        and so on. Returns where it went; raises `FileExists` or `OSError`."""
        with self._lock:
            self._finish(size)
            return self._place(overwrite=overwrite, rename=rename)

    def _finish(self, size: int) -> None:
        file = self._opened()
        if size > self._end:
            raise RuntimeError(f"the temp file holds {self._end} bytes, not {size}")
        if size < self._end:
            file.seek(size)
            file.truncate()
        file.flush()
        os.fsync(file.fileno())
        file.close()
        self._file = None

    def discard(self) -> None:
        """Close and remove the temp file, if any (after `commit`: nothing to do)."""
        with self._lock:
            self._discard()

    def _discard(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None
        if self.path is not None:
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)
            self.path = None

    def _place(self, *, overwrite: bool, rename: bool) -> Path:
        if self.path is None:
            raise RuntimeError("the download's temp file was never created")
        for number in range(1, (_MAX_RENAMES if rename else 1) + 1):
            candidate = self.final if number == 1 else numbered_name(self.final, number)
            try:
                place_file(self.path, candidate, overwrite=overwrite)
            except FileExists:
                if rename:
                    continue
                raise
            self.path = None
            return candidate
        raise FileExists(self.final)
