"""Keep credentials out of logs, at the source.

httpx logs every request at INFO as ``HTTP Request: GET <full URL> "HTTP/1.1 200 OK"``, and httpcore's DEBUG
trace logs raw response headers (a redirect's ``Location`` included). For a download link, the URL's query
string is a credential. `install_redaction()` adds a filter to the ``httpx`` logger and to httpcore's loggers
that rewrites every URL in a record to its redacted form (scheme, host, path). lf_export's own loggers
(``lf_export.*``) never format a token or a query string in the first place.
"""

from __future__ import annotations

import logging
import re

__all__ = ["install_redaction", "redact_text"]

# A URL's query string or fragment, also inside the repr of bytes (b'https://host/p?sig=..'), and the same for
# a path-absolute reference such as a relative redirect (Location: /blob?sig=..).
_QUERY = re.compile(r"(?P<url>(?:https?|wss?)://[^\s'\"?#<>]*)[?#][^\s'\"<>]*", re.IGNORECASE)
_RELATIVE = re.compile(r"(?P<pre>['\"\s=:(,])(?P<path>/[^\s'\"?#<>]*)[?#][^\s'\"<>]*")
_BEARER = re.compile(r"(?P<scheme>bearer)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)

#: Loggers whose records may carry a full URL (httpcore logs from its submodules, and a filter only applies
#: to the logger a record is created on, not to its parents).
LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


def redact_text(text: str) -> str:
    """`text` without any URL's query string or fragment (as `errors.redact_url` shows URLs) and with each
    bearer token replaced by ``[redacted]``."""
    text = _RELATIVE.sub(r"\g<pre>\g<path>", _QUERY.sub(r"\g<url>", text))
    return _BEARER.sub(r"\g<scheme> [redacted]", text)


class _Redact(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact_text(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_FILTER = _Redact("lf_export")


def install_redaction() -> None:
    """Idempotent: add the filter to each logger in `LOGGERS` once.

    Also gives ``lf_export`` (and ``stamina``, whose retry notices we cause) a `NullHandler`, as libraries do:
    without logging configured, their warnings would otherwise reach stderr through logging's last resort.
    Configured handlers still get every record."""
    for name in ("lf_export", "stamina"):
        named = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in named.handlers):
            named.addHandler(logging.NullHandler())
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
