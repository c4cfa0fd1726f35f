"""File names from untrusted sources (Content-Disposition parsing, sanitising) and putting files under them.

A download link's server (or a zip archive it sent) chooses names; a hostile or careless one can send
`../../etc/passwd`, `C:\\x`, `CON`, control characters or 300-character names. Everything that becomes a path
component on our side goes through :func:`safe_filename` first.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

__all__ = [
    "FileExists",
    "filename_from_content_disposition",
    "filename_from_url",
    "fsync_dir",
    "numbered_name",
    "place_file",
    "safe_filename",
]

# Characters Windows forbids in names, plus both path separators. Replaced, not dropped, so that names which
# differ only in them stay distinguishable.
_FORBIDDEN = frozenset('/\\<>:"|?*')
# Invisible characters that reorder text: `invoice\u202efdp.exe` would *display* as `invoiceexe.pdf`.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"{base}{n}" for base in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")}
)
_DOT_RUN = re.compile(r"\.{2,}")
# An extension we try to keep when shortening: a dot, then 1-16 characters without dots or spaces.
_EXTENSION = re.compile(r"\.[^.\s]{1,16}$")


def safe_filename(name: str, *, max_length: int = 200, fallback: str = "export") -> str:
    """Turn an untrusted name into one safe file name component on Windows, macOS and Linux.

    - path separators (``/`` and ``\\``), ``<>:"|?*`` and control characters become ``_``;
      bidirectional-override characters are dropped;
    - runs of dots collapse to one (no ``..``); leading dots and spaces (hidden files) and trailing dots and
      spaces (which Windows strips) are removed;
    - Windows device names (``CON``, ``nul.txt``, ``COM1``, ``LPT9.tar.gz`` ...) get a leading ``_``;
    - the result is at most `max_length` bytes in UTF-8, cut at a character boundary, keeping the extension;
    - if nothing usable is left, `fallback` is returned.

    >>> safe_filename("../../etc/passwd")
    '_._etc_passwd'
    >>> safe_filename("con.txt")
    '_con.txt'
    """
    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    text = unicodedata.normalize("NFC", name)
    chars: list[str] = []
    for ch in text:
        if ch in _BIDI_CONTROLS:
            continue
        if ch in _FORBIDDEN or unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            chars.append("_")
        else:
            chars.append(ch)
    cleaned = _trim(_DOT_RUN.sub(".", "".join(chars)))
    cleaned = _trim(_shorten(cleaned, max_length))
    if not cleaned or cleaned.strip("_") == "":
        return fallback
    if _is_device_name(cleaned):
        cleaned = _trim(_shorten("_" + cleaned, max_length))
    return cleaned


def _trim(name: str) -> str:
    return name.lstrip(". ").rstrip(". ")


def _is_device_name(name: str) -> bool:
    # Windows reserves the device name before the first dot, ignoring trailing spaces: `CON .txt` too.
    return name.split(".", 1)[0].rstrip(" ").upper() in _DEVICE_NAMES


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", errors="ignore")


def _shorten(name: str, max_bytes: int) -> str:
    if _utf8_len(name) <= max_bytes:
        return name
    match = _EXTENSION.search(name)
    if match is not None and _utf8_len(match.group()) < max_bytes:
        extension = match.group()
        stem = name[: match.start()]
        return _cut(stem, max_bytes - _utf8_len(extension)).rstrip(". ") + extension
    return _cut(name, max_bytes)


def filename_from_content_disposition(header: str | None) -> str | None:
    """The file name a ``Content-Disposition`` header suggests, or ``None``.

    ``filename*`` (RFC 6266 / RFC 5987: ``UTF-8''percent-encoded``, or ``ISO-8859-1''...``) wins over
    ``filename``; a ``filename*`` that cannot be decoded is ignored in favour of ``filename``.
    The result is the server's name **unsanitised** — pass it through :func:`safe_filename` before using it
    as a path.

    >>> filename_from_content_disposition("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf; filename=x.pdf")
    'résumé.pdf'
    """
    if not header:
        return None
    params = _parse_params(header)
    extended = params.get("filename*")
    if extended is not None:
        decoded = _decode_ext_value(extended)
        if decoded:
            return decoded
    plain = params.get("filename")
    return plain or None


def _parse_params(header: str) -> dict[str, str]:
    """Parameters of a header like ``attachment; a=b; c="d;e"``; the first occurrence of a name wins."""
    params: dict[str, str] = {}
    i, n = 0, len(header)
    # Skip the disposition type.
    while i < n and header[i] != ";":
        i += 1
    while i < n:
        i += 1  # past ';'
        while i < n and header[i] in " \t":
            i += 1
        start = i
        while i < n and header[i] not in "=;":
            i += 1
        key = header[start:i].strip().lower()
        if i >= n or header[i] == ";":
            continue
        i += 1  # past '='
        while i < n and header[i] in " \t":
            i += 1
        if i < n and header[i] == '"':
            i += 1
            value_chars: list[str] = []
            while i < n and header[i] != '"':
                if header[i] == "\\" and i + 1 < n:
                    i += 1
                value_chars.append(header[i])
                i += 1
            i += 1  # past closing quote (or end)
            value = "".join(value_chars)
            while i < n and header[i] != ";":
                i += 1
        else:
            start = i
            while i < n and header[i] != ";":
                i += 1
            value = header[start:i].strip()
        if key and key not in params:
            params[key] = value
    return params


def _decode_ext_value(value: str) -> str | None:
    """Decode an RFC 5987 ``charset'language'percent-encoded`` value; ``None`` if it is malformed."""
    parts = value.split("'", 2)
    if len(parts) != 3:
        return None
    charset, _language, encoded = parts
    charset = charset.strip().lower()
    if charset not in ("utf-8", "iso-8859-1", "latin-1", "latin1"):
        return None
    try:
        return unquote_to_bytes(encoded).decode("utf-8" if charset == "utf-8" else "latin-1")
    except UnicodeDecodeError:
        return None


def filename_from_url(url: str) -> str | None:
    """The last non-empty segment of the URL's path, percent-decoded, query ignored; unsanitised."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    segment = path.rstrip("/").rsplit("/", 1)[-1]
    return unquote(segment) or None


class FileExists(Exception):
    """`place_file` refused to replace an existing path (the caller maps it to its own error)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} already exists")


def numbered_name(path: Path, number: int) -> Path:
    """``Invoice.pdf`` → ``Invoice (2).pdf`` (the way browsers and file managers number a taken name)."""
    return path.with_name(f"{path.stem} ({number}){path.suffix}")


def place_file(tmp: Path, final: Path, *, overwrite: bool) -> None:
    """Move the finished file `tmp` to `final` atomically; same folder (same file system) required.

    With ``overwrite=False`` a file that exists at `final` — even one created a moment ago by another
    process — is never clobbered: a hard link fails if the name is taken (:class:`FileExists`). File systems
    without hard links fall back to check-then-rename. Other failures raise ``OSError``.
    """
    if overwrite:
        os.replace(tmp, final)
        return
    try:
        os.link(tmp, final)
    except FileExistsError:
        raise FileExists(final) from None
    except OSError:
        if os.path.lexists(final):
            raise FileExists(final) from None
        os.rename(tmp, final)
        return
    tmp.unlink()


def fsync_dir(folder: Path) -> None:
    """Make renames in `folder` durable (POSIX); a no-op where directories cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
