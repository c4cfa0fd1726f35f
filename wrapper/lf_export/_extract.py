"""Unpack an export zip (SinglePageTIFF, multi-page PNG/JPEG) without trusting it.

Refused outright: absolute paths, drive letters, ``..`` components, symlinks and other special entries,
encrypted entries, two entries that land on the same name (compared case-insensitively, as Windows and macOS
would), more than `max_files` files. Each path component goes through :func:`safe_filename` (device names,
control characters ...). While streaming, the uncompressed bytes are counted: the total and each entry's
expansion ratio are capped, so a zip bomb stops early whatever its headers claim.

Everything is written into a hidden temp folder inside `dest_dir` first and moved into place only when the
whole archive has been read, so a refused or broken archive leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path
from typing import Final

from ._errors import DownloadError
from ._filenames import FileExists, fsync_dir, place_file, safe_filename

__all__ = ["UnsafeArchiveError", "extract_zip"]

# Below this many output bytes an entry may expand as much as it likes: tiny files compress absurdly well.
_RATIO_GRACE_BYTES: Final = 1 << 20
_READ_SIZE: Final = 1 << 16
_DRIVE: Final = re.compile(r"^[A-Za-z]:")
_SEPARATORS: Final = re.compile(r"[/\\]")


class UnsafeArchiveError(DownloadError):
    """A zip archive was refused: unsafe names or entry types, or limits against zip bombs exceeded."""


def _refuse(archive: Path, reason: str) -> UnsafeArchiveError:
    return UnsafeArchiveError(f"{archive.name}: {reason}; nothing was extracted")


def _plan(
    archive: Path, zf: zipfile.ZipFile, max_files: int, max_total_bytes: int
) -> list[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    """Check every entry before writing anything; return (entry, safe path components) for each file."""
    files: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = []
    file_keys: set[tuple[str, ...]] = set()
    dir_keys: set[tuple[str, ...]] = set()
    declared = 0
    for info in zf.infolist():
        name = info.filename
        shown = ascii(name)
        if info.flag_bits & 0x1:
            raise _refuse(archive, f"entry {shown} is encrypted")
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind == stat.S_IFLNK:
            raise _refuse(archive, f"entry {shown} is a symbolic link")
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise _refuse(archive, f"entry {shown} is a special file")
        if name.startswith(("/", "\\")) or _DRIVE.match(name):
            raise _refuse(archive, f"entry {shown} has an absolute path")
        raw_parts = [part for part in _SEPARATORS.split(name) if part not in ("", ".")]
        # Windows drops trailing dots and spaces, so `...` and `.. ` mean `..` there.
        if any(len(part.strip(" ")) >= 2 and set(part.strip(" ")) == {"."} for part in raw_parts):
            raise _refuse(archive, f"entry {shown} climbs out of the folder (..)")
        if info.is_dir() or kind == stat.S_IFDIR:
            continue  # folders are created as the files inside them need them
        if not raw_parts:
            raise _refuse(archive, f"entry {shown} has no file name")
        parts = tuple(safe_filename(part) for part in raw_parts)
        key = tuple(part.casefold() for part in parts)
        prefixes = {key[:i] for i in range(1, len(key))}
        if key in file_keys or key in dir_keys or prefixes & file_keys:
            raise _refuse(archive, f"entry {shown} collides with another entry after making names safe")
        file_keys.add(key)
        dir_keys |= prefixes
        files.append((info, parts))
        if len(files) > max_files:
            raise _refuse(archive, f"more than {max_files} files")
        declared += info.file_size
        if declared > max_total_bytes:
            raise _refuse(archive, f"more than {max_total_bytes} bytes uncompressed")
    return files


def _unpack(
    archive: Path,
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    target: Path,
    budget: int,
    max_ratio: float,
) -> int:
    """Stream one entry to `target`; return its size. Limits are checked on the bytes actually produced."""
    written = 0
    with zf.open(info) as source, open(target, "xb") as sink:
        while chunk := source.read(_READ_SIZE):
            written += len(chunk)
            if written > budget:
                raise _refuse(archive, "the uncompressed total exceeds max_total_bytes")
            if written > info.file_size:
                raise _refuse(archive, f"entry {info.filename!a} is larger than its header says")
            if written > _RATIO_GRACE_BYTES and written / max(info.compress_size, 1) > max_ratio:
                raise _refuse(
                    archive, f"entry {info.filename!a} expands more than {max_ratio:g}x (zip bomb?)"
                )
            sink.write(chunk)
    return written


def _check_destination(dest_dir: Path, parts: tuple[str, ...], overwrite: bool) -> Path:
    folder = dest_dir
    for part in parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            raise UnsafeArchiveError(f"{folder} is a symbolic link; refusing to extract through it")
        if folder.exists() and not folder.is_dir():
            raise DownloadError(f"{folder} exists and is not a folder")
    final = folder / parts[-1]
    if final.is_dir() and not final.is_symlink():
        raise DownloadError(f"{final} exists and is a folder")
    if not overwrite and os.path.lexists(final):
        raise DownloadError(f"{final} already exists; pass overwrite=True to replace it", existing=final)
    return final


def extract_zip(
    archive: Path,
    dest_dir: Path,
    *,
    max_files: int = 10_000,
    max_total_bytes: int = 8 << 30,
    max_ratio: float = 200.0,
    overwrite: bool = False,
) -> list[Path]:
    """Extract the files of `archive` into `dest_dir` (created if missing); return their paths, in order.

    Raises :class:`UnsafeArchiveError` for a hostile archive (see the module docstring) and
    :class:`~lf_export.errors.DownloadError` for a corrupt one or an existing file (unless `overwrite`).
    On failure no extracted file remains. With ``overwrite=True`` a failure while moving files into place
    (a rare OS error) cannot bring back the files already replaced.

    >>> extract_zip(Path("pages.zip"), Path("pages"))  # doctest: +SKIP
    [PosixPath('pages/page-1.tif'), PosixPath('pages/page-2.tif')]
    """
    archive, dest_dir = Path(archive), Path(dest_dir)
    created_dest = not dest_dir.exists()
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot create {dest_dir}: {exc}") from exc
    placed: list[Path] = []
    made_dirs: list[Path] = []
    staging: Path | None = None
    succeeded = False
    try:
        with zipfile.ZipFile(archive) as zf:
            files = _plan(archive, zf, max_files, max_total_bytes)
            staging = Path(tempfile.mkdtemp(prefix=".extract-", dir=dest_dir))
            budget = max_total_bytes
            for info, parts in files:
                staged = staging.joinpath(*parts)
                staged.parent.mkdir(parents=True, exist_ok=True)
                budget -= _unpack(archive, zf, info, staged, budget, max_ratio)
        finals = [_check_destination(dest_dir, parts, overwrite) for _, parts in files]
        for (_, parts), final in zip(files, finals, strict=True):
            for depth in range(1, len(parts)):
                folder = dest_dir.joinpath(*parts[:depth])
                if not folder.exists():
                    folder.mkdir()
                    made_dirs.append(folder)
            place_file(staging.joinpath(*parts), final, overwrite=overwrite)
            placed.append(final)
        for folder in {final.parent for final in finals}:
            fsync_dir(folder)
        succeeded = True
        return finals
    except BaseException as exc:
        for path in reversed(placed):
            with contextlib.suppress(OSError):
                path.unlink()
        for folder in reversed(made_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(exc, FileExists):
            raise DownloadError(
                f"{exc.path} already exists; pass overwrite=True to replace it", existing=exc.path
            ) from None
        if isinstance(exc, zipfile.BadZipFile | zipfile.LargeZipFile | NotImplementedError | EOFError):
            raise DownloadError(f"{archive.name} is not a readable zip archive: {exc}") from exc
        if isinstance(exc, OSError):
            raise DownloadError(f"cannot extract {archive.name} into {dest_dir}: {exc}") from exc
        raise
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if created_dest and not succeeded:
            with contextlib.suppress(OSError):
                dest_dir.rmdir()
