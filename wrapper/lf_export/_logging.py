"""Keep credentials out of logs.

lf_export's own loggers (``lf_export.*``) never format a token or a URL's query string in the first place:
they log methods, paths, ids and redacted URLs (`_redact`). Loading this module changes no logging
configuration except giving the ``lf_export`` logger a `NullHandler`, as libraries do.

Other libraries are another matter. httpx logs every request at INFO as ``HTTP Request: GET <full URL>
"HTTP/1.1 200 OK"``, and httpcore's DEBUG trace logs raw response headers (a redirect's ``Location``
included); for a download link the URL's query string is a credential. `redact_http_logs()` (opt-in: the CLI
turns it on; call it if your application logs httpx or httpcore) adds a filter to those loggers that rewrites
every URL in a record to its redacted form (scheme, host, path) and every bearer token to ``[redacted]``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import Counter
from collections.abc import Iterator

from ._redact import link_key, redact_text

__all__ = [
    "HTTP_LOGGERS",
    "is_secret_link",
    "library_null_handler",
    "redact_http_logs",
    "redact_text",
    "secret_link",
]

#: Loggers whose records may carry a full URL (httpcore logs from its submodules, and a filter only applies
#: to the logger a record is created on, not to its parents).
HTTP_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


class _Redact(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken log call elsewhere: leave the record to logging's own error report
            return True
        cleaned = redact_text(message, is_secret_link)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_FILTER = _Redact("lf_export")


def redact_http_logs(enabled: bool = True) -> None:
    """Redact download-link signatures, userinfo and bearer tokens in httpx's and httpcore's log records.

    Adds one filter to each logger in `HTTP_LOGGERS` (idempotent); ``redact_http_logs(False)`` removes it.
    Handlers and levels are left alone: this changes what those records say, not where they go.

    Examples:
        >>> import logging
        >>> redact_http_logs()
        >>> redact_http_logs()  # idempotent
        >>> sum(isinstance(f, _Redact) for f in logging.getLogger("httpx").filters)
        1
        >>> redact_http_logs(False)
        >>> sum(isinstance(f, _Redact) for f in logging.getLogger("httpx").filters)
        0
    """
    for name in HTTP_LOGGERS:
        logger = logging.getLogger(name)
        if enabled and _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
        elif not enabled and _FILTER in logger.filters:
            logger.removeFilter(_FILTER)


def library_null_handler() -> None:
    """Give the ``lf_export`` logger a `NullHandler` (once), the library convention: without logging
    configured, our warnings do not reach stderr through logging's last resort. Touches no other logger."""
    named = logging.getLogger("lf_export")
    if not any(isinstance(h, logging.NullHandler) for h in named.handlers):
        named.addHandler(logging.NullHandler())


library_null_handler()


# Links being downloaded right now (by `link_key`), counted: the same link may be fetched by two downloads
# at once. While one is, text that shows it (httpx's request lines, an error's text) shows host and file only.
_LINKS: Counter[str] = Counter()
_LINKS_LOCK = threading.Lock()


@contextlib.contextmanager
def secret_link(url: str) -> Iterator[None]:
    """While the block runs, `is_secret_link` knows `url` (with any query) for a download link."""
    key = link_key(url)
    with _LINKS_LOCK:
        _LINKS[key] += 1
    try:
        yield
    finally:
        with _LINKS_LOCK:
            _LINKS[key] -= 1
            if _LINKS[key] <= 0:
                del _LINKS[key]


def is_secret_link(url: str) -> bool:
    if not _LINKS:
        return False
    key = link_key(url)
    with _LINKS_LOCK:
        return key in _LINKS
