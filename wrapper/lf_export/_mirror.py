"""A repository tree mirrored on disk: entry names → sanitised, collision-free, stable file and folder names.

Rules (pure: nothing here touches the disk):

* every name goes through `safe_filename` (forbidden characters become ``_``, device names get a leading
  ``_``, trailing dots and spaces go, long names are cut keeping the extension);
* a document's file is its name plus the extension of what is exported (``.pdf``, ``.tif``, ``.zip`` for a
  multi-file image export, ``.txt``, the electronic file's own extension), not doubled when the name already
  ends with it;
* names are compared as Windows and macOS compare them (case-insensitively, Unicode-normalised); the
  first entry in listing order keeps its name and a later one that collides gets its entry id
  (``Invoice [1234].pdf``): a name never depends on a counter, and a re-run names everything alike;
* a document's sidecar ``<file>.metadata.json`` is reserved with its file, and ``manifest.jsonl`` /
  ``manifest.csv`` at the top of the mirror.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from ._filenames import safe_filename
from ._options import ExportOptions, ExportPart, ImageFormat

__all__ = ["MANIFEST_NAMES", "MAX_STEM", "SIDECAR_SUFFIX", "DirNames", "export_suffix"]

SIDECAR_SUFFIX = ".metadata.json"
MANIFEST_NAMES = ("manifest.jsonl", "manifest.csv")
#: Room left for `` [2147483647]``, the export's extension and the sidecar suffix under 255 bytes.
MAX_STEM = 180

_IMAGE_SUFFIX = {
    ImageFormat.PDF: ".pdf",
    ImageFormat.MULTI_PAGE_TIFF: ".tif",
    ImageFormat.SINGLE_PAGE_TIFF: ".zip",
    ImageFormat.PNG: ".png",
    ImageFormat.JPEG: ".jpg",
}


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def export_suffix(options: ExportOptions, page_count: int | None, extension: str | None) -> str:
    """The file extension an export with `options` produces for a document (see the module docstring)."""
    if options.part is ExportPart.EDOC:
        ext = safe_filename(extension or "", max_length=16, fallback="").lstrip("._")
        return f".{ext}" if ext else ""
    if options.part is ExportPart.TEXT:
        return ".txt"
    image = options.image_options
    fmt = ImageFormat.MULTI_PAGE_TIFF if image is None else image.format
    pages = page_count or 0
    if options.pages is not None:
        pages = min(pages, options.pages.count())
    if fmt in (ImageFormat.PNG, ImageFormat.JPEG) and pages > 1:
        return ".zip"
    return _IMAGE_SUFFIX.get(fmt, "")


class DirNames:
    """The names given in one directory of the mirror."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._taken: set[str] = {_key(name) for name in reserved}

    def __len__(self) -> int:
        return len(self._taken)

    def _free(self, names: Iterable[str]) -> bool:
        return all(_key(name) not in self._taken for name in names)

    def take(self, name: str, entry_id: int, suffix: str = "", *, sidecar: bool = False) -> str:
        """A free name for entry `entry_id` named `name`, ending with `suffix`; with `sidecar` its
        ``.metadata.json`` companion is free too (and both are taken)."""
        stem = safe_filename(name, max_length=MAX_STEM, fallback=f"entry {entry_id}")
        if suffix and _key(stem).endswith(_key(suffix)) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
        candidates = [f"{stem}{suffix}", f"{stem} [{entry_id}]{suffix}"]
        candidates += [f"{stem} [{entry_id}] ({n}){suffix}" for n in range(2, 1000)]
        for candidate in candidates:
            wanted = [candidate, candidate + SIDECAR_SUFFIX] if sidecar else [candidate]
            if self._free(wanted):
                self._taken.update(_key(w) for w in wanted)
                return candidate
        raise ValueError(f"no free name for entry {entry_id}")  # pragma: no cover - 1000 ids collide
