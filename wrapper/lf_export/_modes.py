"""Which export operation ``mode="auto"`` uses for an entry.

GetEntry first; Image and Text exports of at most `AutoRule.max_sync_pages` pages (after the page range) and
Edoc exports of at most `AutoRule.max_sync_bytes` use the simple Export; everything else (or an entry whose
size is unknown) uses ExportAsync. A simple export that times out (no answer within the read timeout, or a
408/504 from a gateway) falls back to ExportAsync (see `_flows.export`).
"""

from __future__ import annotations

from typing import Literal

import attrs

from ._options import ExportOptions, ExportPart
from ._results import EntryInfo

__all__ = ["AutoRule", "Mode", "choose_mode"]

Mode = Literal["auto", "sync", "async"]
MODES: tuple[Mode, ...] = ("auto", "sync", "async")


@attrs.frozen(kw_only=True)
class AutoRule:
    """Limits under which ``mode="auto"`` uses the simple Export (one request, no task)."""

    max_sync_pages: int = attrs.field(default=20, validator=attrs.validators.ge(0))
    max_sync_bytes: int = attrs.field(default=20 * 1024 * 1024, validator=attrs.validators.ge(0))


def choose_mode(entry: EntryInfo, options: ExportOptions, rule: AutoRule) -> Literal["sync", "async"]:
    """ "sync" (simple Export) or "async" (ExportAsync) for ``mode="auto"``; see the module docstring."""
    if options.part is ExportPart.EDOC:
        size = entry.electronic_size
        return "sync" if size is not None and size <= rule.max_sync_bytes else "async"
    if entry.page_count is None:
        return "async"
    pages = entry.page_count
    if options.pages is not None:
        pages = min(pages, options.pages.count())
    return "sync" if pages <= rule.max_sync_pages else "async"
