"""The commands a flow yields, and what every flow is given.

A flow is a generator: it yields a command, the driver carries it out and sends back its result (or throws its
error into the flow). Nothing here touches the network, the disk or the clock: the drivers (`_client.py`,
`_aio.py`) do, and `tests/wrapper/test_flows.py` answers with scripted values instead.

=================  ============================================================  ==========================
command            what the driver does                                          sends back
=================  ============================================================  ==========================
`Send`             calls one generated operation (``lf_repository_v2.api.*``)    ``parse(response)``
`Fetch`            GETs an absolute URL on the API origin, with the token         ``parse(json)``
`Sleep`            waits                                                          None
`Download`         fetches a download link to disk (no credentials), atomically  `DownloadResult`, extracted
`EnsureFolder`     creates a destination folder (`OptionsError` if it cannot)    None
`Hold` / `Release` marks task ids in flight for the token source (tasks belong   None
                   to the token that started them)
`Progress`         hands a `ProgressEvent` to the caller's callback              None
`Deliver`          hands a finished item (a `JobOutcome`) to a caller that      None
                   streams them (`iter_export_many`); others ignore it
=================  ============================================================  ==========================
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any, TypeVar

import attrs
from lf_repository_v2.types import Response

from .._errors import ServerError
from .._modes import AutoRule
from .._options import ExportOptions
from .._policy import Clock, PollPolicy
from .._results import ProgressEvent

__all__ = [
    "Abandoned",
    "Command",
    "Deliver",
    "Download",
    "EnsureFolder",
    "Fetch",
    "Flow",
    "FlowContext",
    "Hold",
    "Progress",
    "Release",
    "Send",
    "Sleep",
    "expect",
    "is_interrupt",
]

T = TypeVar("T")


@attrs.frozen
class Send:
    """Call the generated operation ``lf_repository_v2.api.<operation>`` (e.g. ``"tasks.list_tasks"``)
    with the repository id and `kwargs`; the driver sends back ``parse(response)``. A `cleanup` call
    (cancelling our tasks after a deadline or an interrupt) runs under a short budget of its own instead of
    the caller's deadline, and is not itself cancelled by the interrupt."""

    operation: str
    kwargs: dict[str, Any]
    parse: Callable[[Response[Any]], Any] = attrs.field(repr=False)
    cleanup: bool = False


@attrs.frozen
class Fetch:
    """GET `url` — an absolute URL the flow has checked is on the API's origin (scheme, host, port), so it may
    carry the token — and send back ``parse(json_body)``."""

    url: str
    parse: Callable[[object], Any] = attrs.field(repr=False)


@attrs.frozen
class Sleep:
    seconds: float


@attrs.frozen
class Download:
    """Fetch `link` into `dest` (a folder, or a file path). `entry_id` / `task_id` label the byte progress."""

    link: str = attrs.field(repr=False)  # a credential: its query string signs it
    dest: Path
    overwrite: bool
    extract: bool
    rename: bool  # a taken name becomes "name (2).ext" instead of an error
    entry_id: int | None = None
    task_id: str | None = None


@attrs.frozen
class EnsureFolder:
    path: Path
    field: str  # the argument named in the OptionsError when the folder cannot be made


@attrs.frozen
class Hold:
    task_ids: tuple[str, ...]


@attrs.frozen
class Release:
    task_ids: tuple[str, ...]


@attrs.frozen
class Progress:
    event: ProgressEvent


@attrs.frozen
class Deliver:
    item: Any


Command = Send | Fetch | Sleep | Download | EnsureFolder | Hold | Release | Progress | Deliver
Flow = Generator[Command, Any, T]


@attrs.frozen(kw_only=True)
class FlowContext:
    """What every flow needs from its client: how to behave, and the client's one clock."""

    base_url: str  # the API's; a URL on its origin may receive the token, no other URL ever does
    poll: PollPolicy
    auto: AutoRule
    cancel_on_deadline: bool  # also when polling failed for good
    cancel_on_interrupt: bool
    default_options: ExportOptions
    clock: Clock


def expect(model: type[T]) -> Callable[[Response[Any]], T]:
    """A `Send.parse` that accepts only a parsed `model` (anything else is the server's fault)."""

    def parse(response: Response[Any]) -> T:
        if isinstance(response.parsed, model):
            return response.parsed
        raise ServerError(
            f"HTTP {int(response.status_code)}: the server's answer was not a {model.__name__}",
            status=int(response.status_code),
        )

    return parse


class Abandoned(BaseException):
    """Thrown into a flow whose caller stopped consuming its stream: it cleans up as for an interrupt."""


def is_interrupt(exc: BaseException) -> bool:
    """Ctrl-C, asyncio/anyio cancellation, SystemExit: a BaseException that is not an Exception (known
    without importing asyncio; `GeneratorExit` is how a generator is closed, not an interrupt)."""
    return not isinstance(exc, Exception | GeneratorExit)
