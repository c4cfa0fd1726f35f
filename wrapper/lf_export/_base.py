"""What `ExportClient` and `AsyncExportClient` share: construction, the plan behind each public method, the
commands both carry out the same way, and the error boundary. The two drivers (`_client.py`, `_aio.py`) only
add their HTTP clients and the short loop that executes `Send`, `Sleep` and `Download`."""

from __future__ import annotations

import contextlib
import importlib
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, Generic, Self, TypeVar

import attrs
import httpx

from ._config import ClientConfig, access_key_setup
from ._errors import (
    ClientClosedError,
    ExportTimeoutError,
    LaserficheError,
    NetworkError,
    OptionIssue,
    OptionsError,
    ServerError,
)
from ._flows import (
    Command,
    Deliver,
    Download,
    EnsureFolder,
    Fetch,
    Flow,
    FlowContext,
    Hold,
    Progress,
    Release,
    Send,
    Sleep,
)
from ._modes import AutoRule
from ._options import ExportOptions
from ._pacing import AUTO, PacingSetting
from ._plans import Plan, Planner
from ._policy import CLEANUP_SECONDS, NOT_SENT, Clock, Deadline, PollPolicy, RetryPolicy, Timeouts
from ._results import DownloadResult, ProgressCallback, ProgressEvent, ProgressPhase
from ._tls import CertSetting, VerifySetting
from ._tokens import TaskLedger, TokenSource

__all__ = ["ClientBase", "RunState", "generated_operation", "step"]

TransportT = TypeVar("TransportT", httpx.BaseTransport, httpx.AsyncBaseTransport)


def step(flow: Flow[Any], value: Any, error: BaseException | None) -> tuple[bool, Any]:
    """Advance a flow by one command: (False, command) to execute, or (True, result) when it returned."""
    try:
        command = flow.throw(error) if error is not None else flow.send(value)
    except StopIteration as stop:
        return True, stop.value
    return False, command


@attrs.define
class RunState:
    """One run of a flow: the commands both drivers carry out alike, and the task ids it holds (all released
    when the run ends, however it ends)."""

    ledger: TaskLedger
    on_progress: ProgressCallback | None
    held: list[str] = attrs.field(factory=list)

    def carry_out(self, command: Command) -> Send | Fetch | Sleep | Download | None:
        """Execute `command` if it is one of the common ones (None); else hand it back to the driver."""
        if isinstance(command, Send | Fetch | Sleep | Download):
            return command
        if isinstance(command, Deliver):
            return None  # only a streaming caller takes delivered items
        if isinstance(command, Progress):
            if self.on_progress is not None:
                self.on_progress(command.event)
        elif isinstance(command, Hold):
            self.ledger.hold(command.task_ids)
            self.held += command.task_ids
        elif isinstance(command, Release):
            self.ledger.release(command.task_ids)
            for task_id in command.task_ids:
                self.held.remove(task_id)
        elif isinstance(command, EnsureFolder):
            try:
                command.path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                rule = f"must be a folder we can write ({exc.strerror})"
                raise OptionsError([OptionIssue(command.field, str(command.path), rule)]) from exc
        return None

    def release_all(self) -> None:
        self.ledger.release(self.held)
        self.held.clear()

    def byte_reporter(
        self, entry_id: int | None, task_id: str | None
    ) -> Callable[[int, int | None], None] | None:
        on_progress = self.on_progress
        if on_progress is None:
            return None

        def report(done: int, total: int | None) -> None:
            event = ProgressEvent(
                phase=ProgressPhase.DOWNLOAD,
                entry_id=entry_id,
                task_id=task_id,
                bytes_done=done,
                bytes_total=total,
            )
            on_progress(event)

        return report


_OPERATIONS: dict[str, ModuleType] = {}


def generated_operation(name: str) -> ModuleType:
    """The generated operation module ``lf_repository_v2.api.<name>``, imported on first use."""
    module = _OPERATIONS.get(name)
    if module is None:
        module = _OPERATIONS[name] = importlib.import_module(f"lf_repository_v2.api.{name}")
    return module


def call_deadline(send: Send, deadline: Deadline | None, clock: Clock) -> Deadline | None:
    """The deadline one API call runs under: the caller's, or for cleanup (cancelling after the deadline or an
    interrupt) a short budget of its own, so cleaning up never takes longer than `CLEANUP_SECONDS`."""
    return Deadline.after(CLEANUP_SECONDS, clock) if send.cleanup else deadline


def operation_name(what: str) -> str:
    """``entries.start_export_entry`` → ``StartExportEntry`` (the vendor's operationId); other text as is."""
    if "." not in what or " " in what:
        return what
    return "".join(part.capitalize() for part in what.rsplit(".", 1)[-1].split("_"))


@contextlib.contextmanager
def mapped_errors(deadline: Deadline | None, what: str) -> Iterator[None]:
    """The boundary: httpx and parsing errors from the generated client become lf_export errors."""
    try:
        yield
    except LaserficheError:
        raise
    except httpx.InvalidURL as exc:
        raise NetworkError(f"{what} failed: an invalid URL (check base_url / token_url)") from exc
    except httpx.HTTPError as exc:
        if deadline is not None and deadline.expired():
            raise ExportTimeoutError((), cancelled=False) from exc
        from ._responses import network_error

        error = network_error(exc, what=operation_name(what))
        if what.split(".")[-1].startswith("start_") and not isinstance(exc, NOT_SENT):
            # The request may have reached the server: the task may exist anyway.
            error.add_note(
                "lf-export: the server may have started the task anyway; list the token's tasks before "
                "starting it again"
            )
        raise error from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ServerError(
            f"{what}: the server's answer could not be read ({type(exc).__name__})", status=200
        ) from exc


def extract_if_zip(result: DownloadResult, extract: bool, overwrite: bool) -> tuple[Path, ...]:
    """With `extract=True`, unpack a zip export (SinglePageTIFF, multi-page PNG/JPEG) next to it, safely."""
    import zipfile

    if not extract or not zipfile.is_zipfile(result.path):
        return ()
    from ._extract import extract_zip

    target = (
        result.path.with_suffix("") if result.path.suffix else result.path.with_name(result.path.name + ".d")
    )
    return tuple(extract_zip(result.path, target, overwrite=overwrite))


class ClientBase(Generic[TransportT]):
    """Construction and planning shared by `ExportClient` and `AsyncExportClient`."""

    def __init__(
        self,
        base_url: str,
        repository_id: str,
        *,
        token: str | None = None,
        token_provider: Callable[[], str] | TokenSource | None = None,
        username: str | None = None,
        password: str | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        pacing: PacingSetting = AUTO,
        poll: PollPolicy | None = None,
        auto: AutoRule | None = None,
        cancel_on_deadline: bool = True,
        cancel_on_interrupt: bool = True,
        default_options: ExportOptions | None = None,
        transport: TransportT | None = None,
        download_transport: TransportT | None = None,
        clock: Clock = time.monotonic,
        verify: VerifySetting = True,
        cert: CertSetting = None,
        proxy: str | None = None,
        trust_env: bool = True,
        download_verify: VerifySetting | None = None,
    ) -> None:
        """A client of the repository `repository_id` at `base_url` (e.g. ``https://api.laserfiche.com/repository``
        for Laserfiche Cloud, or ``https://server/LFRepositoryAPI`` self-hosted).

        Credentials, exactly one of: `token` (a bearer token); `token_provider` (a callable returning a token,
        called again after a 401, or a `TokenSource`); `username` + `password` (self-hosted password grant,
        renewed before expiry). For a Laserfiche Cloud service principal use `from_access_key`.

        Behaviour: `timeouts`, `retry` (which requests are retried, how long to wait), `poll` (how often
        ListTasks is asked), `auto` (when ``mode="auto"`` uses the simple Export), `default_options` (for
        calls given none: a multi-page TIFF). `cancel_on_deadline` cancels the tasks a call started when its
        deadline passes or polling fails for good (else they keep running, for `resume`);
        `cancel_on_interrupt` cancels them on Ctrl-C or cancellation of the awaiting asyncio task (either way
        `ExportInterrupted` names them). `transport` / `download_transport` plug in httpx transports (tests,
        proxies); `clock` is the one monotonic clock every deadline, wait and token lifetime is measured on.
        `pacing` keeps every request under the server's limits (a `Pacing`; ``"auto"``: Laserfiche Cloud's
        published limits for Cloud hosts, none elsewhere). Invalid settings raise one `OptionsError`.

        Network (both clients; they do not apply to a `transport` / `download_transport` you pass): `verify`
        is True (the system's CA store: certifi, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``), a CA bundle file or
        folder (your organisation's CA), an `ssl.SSLContext`, or False (no verification: an
        `InsecureTLSWarning` each time such a client is made). `cert` is a client certificate: a PEM file with
        certificate and key, or a (certificate, key) pair. `proxy` (``http://[user:password@]host:port``)
        carries every request; without it, with `trust_env`, ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY``
        / ``NO_PROXY`` apply as in httpx. `download_verify` verifies download links that live on another host
        with another CA (None: as `verify`, client certificate included; otherwise without the client
        certificate). The download client never gets the API's token, and a proxy's credentials never appear
        in a message or log line. A certificate or proxy failure raises a `NetworkError` that says which host,
        what failed and what to do.

        >>> ExportClient(base, "r-abc123", token=token, verify="corp-ca.pem",  # doctest: +SKIP
        ...              proxy="http://proxy.corp.example:3128")
        """
        self._config = ClientConfig.make(
            base_url,
            repository_id,
            token=token,
            token_provider=token_provider,
            username=username,
            password=password,
            timeouts=timeouts,
            retry=retry,
            pacing=pacing,
            poll=poll,
            auto=auto,
            cancel_on_deadline=cancel_on_deadline,
            cancel_on_interrupt=cancel_on_interrupt,
            default_options=default_options,
            clock=clock,
            verify=verify,
            cert=cert,
            proxy=proxy,
            trust_env=trust_env,
            download_verify=download_verify,
        )
        config = self._config
        if config.network.custom and (transport is not None or download_transport is not None):
            rule = "verify=, cert=, proxy= and download_verify= apply to the transports lf-export builds"
            raise OptionsError(
                [OptionIssue("transport", type(transport or download_transport).__name__, rule)]
            )
        config.network.warn_if_insecure(stacklevel=2)
        self._context = FlowContext(
            base_url=config.base_url,
            poll=config.poll,
            auto=config.auto,
            cancel_on_deadline=config.cancel_on_deadline,
            cancel_on_interrupt=config.cancel_on_interrupt,
            default_options=config.default_options,
            clock=config.clock,
        )
        self._plans = Planner(config, self._context)
        self._closed = False
        self._open(transport, download_transport)

    def _open(self, transport: TransportT | None, download_transport: TransportT | None) -> None:
        raise NotImplementedError

    @classmethod
    def from_access_key(
        cls,
        service_principal_key: str,
        access_key: str | bytes | Mapping[str, Any],
        *,
        repository_id: str,
        scope: str | None = "repository.Read",
        base_url: str | None = None,
        token_url: str | None = None,
        **options: Any,
    ) -> Self:
        """A client for Laserfiche Cloud signed in as a service principal (access key from the Developer
        Console). The API base comes from the key's domain; tokens are refreshed before they expire. Other
        keyword arguments are those of the constructor."""
        api, source = access_key_setup(
            service_principal_key, access_key, scope=scope, base_url=base_url, token_url=token_url
        )
        return cls(api, repository_id, token_provider=source, **options)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._config.base_url!r}, {self._config.repository_id!r})"

    @property
    def base_url(self) -> str:
        """The API base URL this client talks to (without a trailing slash)."""
        return self._config.base_url

    @property
    def repository_id(self) -> str:
        return self._config.repository_id

    @property
    def default_options(self) -> ExportOptions:
        """The options of calls given none."""
        return self._config.default_options

    def _check_open(self) -> None:
        if self._closed:
            raise ClientClosedError(
                "this client is closed; create a new one (or use it inside its `with` block)"
            )

    def _run_state(self, plan: Plan) -> RunState:
        self._check_open()
        return RunState(self._config.ledger, plan.on_progress)
