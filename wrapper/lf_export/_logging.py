"""Keep credentials out of logs, at the source.

httpx logs every request at INFO as ``HTTP Request: GET <full URL> "HTTP/1.1 200 OK"`` — for a download link
that
full URL includes the signed query string, which is a credential. `install_redaction()` adds a filter to the
``httpx`` logger that replaces URL arguments by their redacted form (scheme, host, path). lf_export's own
loggers
(``lf_export.*``) never format a token or a query string in the first place.
"""

from __future__ import annotations

import logging

import httpx

from .errors import redact_url

__all__ = ["install_redaction"]


class _RedactUrls(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, httpx.URL) for a in record.args):
            record.args = tuple(redact_url(str(a)) if isinstance(a, httpx.URL) else a for a in record.args)
        return True


_FILTER = _RedactUrls("lf_export")


def install_redaction() -> None:
    """Idempotent: add the filter to the ``httpx`` logger once."""
    logger = logging.getLogger("httpx")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
