"""The one place that knows what a credential looks like in text: URL query strings, userinfo, bearer tokens.

A download link's query string is its credential (a pre-signed signature), a URL's userinfo is a password,
and an `Authorization: Bearer ...` value is an access token. Error messages and reprs (`_errors`), log
filters (`_logging`) and the download engine all redact through these functions:

* `redact_url(url)`: one URL as ``scheme://host[:port]/path``.
* `redact_link(url)`: a download link as ``scheme://host[:port]/…/NAME``: a link is a bearer credential for
  its file, and some storage services (and the emulator) carry the secret in the *path*, so only the host and
  the file name are ever shown.
* `secret_link(url)`: while a download runs, `redact_text` (and so the log filters) reduces that link the way
  `redact_link` does wherever it appears, e.g. in httpx's request log lines.
* `redact_text(text)`: every URL in free text (absolute URLs of any scheme, also inside a bytes repr such as
  ``b'https://host/p?sig=..'``, and path-absolute references such as ``Location: /blob?sig=..``) reduced the
  same way, and every bearer token replaced by ``[redacted]``.
* `scrub(text, limit)`: `redact_text`, then one printable line of at most `limit` characters (for messages).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable

__all__ = ["redact_link", "redact_text", "redact_url", "scrub"]

#: An absolute URL of any scheme, up to whitespace, a quote or an angle bracket.
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s\"'<>]+")
#: A path-absolute reference with a query or fragment (a relative redirect's ``Location: /blob?sig=..``).
_RELATIVE = re.compile(r"(?P<pre>^|['\"\s=:(,])(?P<path>/[^\s'\"?#<>]*)[?#][^\s'\"<>]*")
_BEARER = re.compile(r"(?i)\b(?P<scheme>bearer)\s+[A-Za-z0-9\-._~+/]+=*")
_SPACES = re.compile(r"\s+")


def redact_url(url: str) -> str:
    """Return `url` without its userinfo, query string and fragment: `scheme://host[:port]/path`.

    Anything unparseable is reduced to what precedes the first `?` or `#` (and loses its userinfo).

    >>> redact_url("https://user:pw@store.example.com/x/1.pdf?sig=abc#p2")
    'https://store.example.com/x/1.pdf'
    >>> redact_url("/blob?sig=abc")
    '/blob'
    """
    text = str(url)
    try:
        parts = urllib.parse.urlsplit(text)
        host = parts.hostname or ""
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        port = parts.port
    except ValueError:
        cut = min((i for i in (text.find("?"), text.find("#")) if i >= 0), default=len(text))
        head = text[:cut]
        if "@" in head and "://" in head:
            scheme, _, rest = head.partition("://")
            head = f"{scheme}://{rest.rpartition('@')[2]}"
        return head
    netloc = host + (f":{port}" if port is not None else "")
    if parts.scheme and netloc:
        return f"{parts.scheme}://{netloc}{parts.path}"
    if parts.scheme:
        return f"{parts.scheme}:{parts.path}"
    return parts.path


def redact_link(url: str) -> str:
    """A download link reduced to its host and file name: ``scheme://host[:port]/…/NAME`` (the name
    percent-decoded). No path segment but the last, no query, no userinfo.

    >>> redact_link("http://127.0.0.1:8080/d/0123456789abcdef/Invoice%201001.pdf?exp=1&sig=abc")
    'http://127.0.0.1:8080/…/Invoice 1001.pdf'
    >>> redact_link("https://store.example.com/report.pdf?sig=abc")
    'https://store.example.com/report.pdf'
    """
    reduced = redact_url(url)
    scheme, sep, rest = reduced.partition("://")
    host, path = rest.partition("/")[::2] if sep else ("", reduced)
    segments = [segment for segment in path.split("/") if segment and segment != "…"]
    name = urllib.parse.unquote(segments[-1]) if segments else ""
    hidden = len(segments) > 1 or "…" in path.split("/")
    head = f"{scheme}://{host}" if sep else ""
    if not name:
        return head
    return f"{head}{'/…/' if hidden else '/'}{name}" if sep else (f"…/{name}" if hidden else name)


def link_key(url: str) -> str:
    """How a link is recognised in text (its `redact_url` form, percent-decoded); see `_logging`."""
    return urllib.parse.unquote(redact_url(url))


def _never(_url: str) -> bool:
    return False


def redact_text(text: str, secret: Callable[[str], bool] = _never) -> str:
    """`text` with every URL reduced as `redact_url` does (as `redact_link` does for a URL `secret` says is a
    download link) and each bearer token replaced by ``[redacted]``.

    >>> redact_text("GET https://h.example/f.pdf?sig=abc -> 302 Location: /blob?sig=def")
    'GET https://h.example/f.pdf -> 302 Location: /blob'
    >>> redact_text("Authorization: Bearer eyJhbGciOi.x.y")
    'Authorization: Bearer [redacted]'
    """
    text = _URL.sub(lambda m: redact_link(m.group(0)) if secret(m.group(0)) else redact_url(m.group(0)), text)
    text = _RELATIVE.sub(r"\g<pre>\g<path>", text)
    return _BEARER.sub(r"\g<scheme> [redacted]", text)


def scrub(text: str, limit: int = 300) -> str:
    """`redact_text`, then one printable line of at most `limit` characters (an ellipsis marks a cut).

    >>> scrub("line one\\n  line two https://h.example/p?token=1", 40)
    'line one line two https://h.example/p'
    """
    text = redact_text(text)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
