"""What the sync and async clients share: configuration, the generated-client setup, error mapping at the
boundary, and the public-argument checks. No network I/O here; `client.py` and `aio.py` only add the loops
that execute flow commands."""

from __future__ import annotations

import contextlib
import math
import time
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Generic, Literal, Self, TypeVar

import httpx

from ._errors import (
    ClientClosedError,
    ExportTimeoutError,
    LaserficheError,
    NetworkError,
    OptionIssue,
    OptionsError,
    ServerError,
)
from ._extract import extract_zip
from ._flows import (
    ApiCall,
    AutoRule,
    Command,
    ExportRequest,
    FlowContext,
    audit_reasons_flow,
    cancel_tasks_call,
    export_flow,
    export_many_flow,
    get_entry_call,
    list_tasks_call,
    resume_flow,
    start_export_call,
    wait_flow,
)
from ._options import ExportOptions
from ._policy import (
    CLEANUP_SECONDS,
    DEFAULT_POLL_POLICY,
    DEFAULT_RETRY_POLICY,
    DEFAULT_TIMEOUTS,
    Deadline,
    PollPolicy,
    RetryPolicy,
)
from ._policy import Timeouts as Timeouts
from ._results import AuditReason, DownloadResult, ExportJob, ProgressCallback
from ._tokens import CallableToken, PasswordGrant, StaticToken, TaskLedger, TokenSource

Mode = Literal["auto", "sync", "async"]
_MODES = ("auto", "sync", "async")


def token_source(
    base_url: str,
    repository_id: str,
    token: str | None,
    token_provider: Callable[[], str] | TokenSource | None,
    username: str | None,
    password: str | None,
) -> TokenSource:
    given = [
        name for name, value in (("token", token), ("token_provider", token_provider)) if value is not None
    ]
    if username is not None or password is not None:
        given.append("username/password")
    if len(given) != 1:
        raise OptionsError(
            [
                OptionIssue(
                    "credentials",
                    given or None,
                    "give exactly one of token=, token_provider= or username= with password=",
                )
            ]
        )
    if token is not None:
        return StaticToken(token)
    if token_provider is not None:
        return token_provider if isinstance(token_provider, TokenSource) else CallableToken(token_provider)
    if not username or password is None:
        raise OptionsError([OptionIssue("username", username, "username and password are both required")])
    return PasswordGrant(base_url, repository_id, username, password)


class ClientConfig:
    """Validated settings of one client (shared by `ExportClient` and `AsyncExportClient`)."""

    def __init__(
        self,
        base_url: str,
        repository_id: str,
        *,
        token: str | None,
        token_provider: Callable[[], str] | TokenSource | None,
        username: str | None,
        password: str | None,
        timeouts: Timeouts | None,
        retry: RetryPolicy | None,
        poll: PollPolicy | None,
        auto: AutoRule | None,
        cancel_on_abort: bool,
        default_options: ExportOptions | None,
    ) -> None:
        issues = []
        try:
            url = httpx.URL(base_url) if isinstance(base_url, str) else None
        except httpx.InvalidURL:
            url = None
        if url is None or url.scheme not in ("http", "https") or not url.host:
            issues.append(
                OptionIssue(
                    "base_url",
                    base_url,
                    "must be an http(s) URL such as https://api.laserfiche.com/repository",
                )
            )
        elif url.query or url.fragment:
            issues.append(OptionIssue("base_url", base_url, "must not carry a query string or fragment"))
        if not isinstance(repository_id, str) or not repository_id.strip() or "/" in repository_id:
            issues.append(
                OptionIssue("repository_id", repository_id, "must be a repository id such as r-abc123")
            )
        if issues:
            raise OptionsError(issues)
        self.base_url = base_url.rstrip("/")
        self.repository_id = repository_id
        self.tokens = token_source(self.base_url, repository_id, token, token_provider, username, password)
        self.timeouts = timeouts or DEFAULT_TIMEOUTS
        self.retry = retry or DEFAULT_RETRY_POLICY
        ledger = getattr(self.tokens, "ledger", None)
        self.context = FlowContext(
            ledger=ledger if isinstance(ledger, TaskLedger) else TaskLedger(),
            repository_id=repository_id,
            poll=poll or DEFAULT_POLL_POLICY,
            auto=auto or AutoRule(),
            cancel_on_abort=cancel_on_abort,
            default_options=default_options or ExportOptions.tiff(),
        )

    def __repr__(self) -> str:
        return f"ClientConfig({self.base_url!r}, {self.repository_id!r}, tokens={self.tokens!r})"


def export_request(
    config: ClientConfig,
    entry_id: int,
    options: ExportOptions | None,
    dest: Path | str,
    mode: str,
    overwrite: bool,
    extract: bool,
) -> ExportRequest:
    issues = entry_id_issues("entry_id", entry_id)
    if mode not in _MODES:
        issues.append(OptionIssue("mode", mode, "must be one of auto, sync, async"))
    if options is not None and not isinstance(options, ExportOptions):
        issues.append(OptionIssue("options", type(options).__name__, "must be an ExportOptions"))
    if issues:
        raise OptionsError(issues)
    return ExportRequest(
        entry_id=entry_id,
        options=options or config.context.default_options,
        dest=Path(dest),
        mode=mode,
        overwrite=overwrite,
        extract=extract,
    )


def entry_id_issues(field: str, entry_id: object) -> list[OptionIssue]:
    if isinstance(entry_id, bool) or not isinstance(entry_id, int) or not 1 <= entry_id <= 2_147_483_647:
        return [OptionIssue(field, entry_id, "must be an entry id: an integer between 1 and 2147483647")]
    return []


def coerce_jobs(jobs: Iterable[ExportJob | int | tuple[int, ExportOptions]]) -> list[ExportJob]:
    """Jobs as `ExportJob`s: an entry id, an ``(entry id, ExportOptions)`` pair, or an `ExportJob`."""
    coerced: list[ExportJob] = []
    issues: list[OptionIssue] = []
    for i, job in enumerate(jobs):
        if isinstance(job, tuple) and (len(job) != 2 or not isinstance(job[1], ExportOptions | None)):
            rule = "must be an entry id, an (entry id, ExportOptions) pair, or an ExportJob"
            issues.append(OptionIssue(f"jobs[{i}]", job, rule))
            continue
        one = ExportJob.coerce(job)
        issues += entry_id_issues(f"jobs[{i}].entry_id", one.entry_id)
        if one.options is not None and not isinstance(one.options, ExportOptions):
            rule = "must be an ExportOptions"
            issues.append(OptionIssue(f"jobs[{i}].options", type(one.options).__name__, rule))
        coerced.append(one)
    if issues:
        raise OptionsError(issues)
    return coerced


def make_deadline(seconds: float | None) -> Deadline | None:
    if seconds is not None and (
        isinstance(seconds, bool)
        or not isinstance(seconds, (int, float))
        or not math.isfinite(seconds)
        or seconds <= 0
    ):
        rule = "must be a finite number of seconds > 0, or None"
        raise OptionsError([OptionIssue("deadline", seconds, rule)])
    return None if seconds is None else Deadline.after(seconds, time.monotonic)


def call_deadline(command: ApiCall, deadline: Deadline | None) -> Deadline | None:
    """The deadline one API call runs under: the caller's, or for cleanup (cancelling after the deadline or
    an interrupt) a short budget of its own, so cleaning up never takes longer than `CLEANUP_SECONDS`."""
    return Deadline.after(CLEANUP_SECONDS, time.monotonic) if command.ignore_deadline else deadline


def check_open(closed: bool) -> None:
    if closed:
        raise ClientClosedError("this client is closed; create a new one (or use it inside its `with` block)")


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
        method = url = None
        with contextlib.suppress(RuntimeError):
            method, url = exc.request.method, str(exc.request.url)
        kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
        raise NetworkError(f"{what} {kind}: {type(exc).__name__}", method=method, url=url) from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ServerError(
            f"{what}: the server's answer could not be read ({type(exc).__name__})", status=200
        ) from exc


def extract_if_zip(result: DownloadResult, extract: bool, overwrite: bool) -> tuple[Path, ...]:
    """With `extract=True`, unpack a zip export (SinglePageTIFF, multi-page PNG/JPEG) next to it, safely."""
    if not extract or not zipfile.is_zipfile(result.path):
        return ()
    target = (
        result.path.with_suffix("") if result.path.suffix else result.path.with_name(result.path.name + ".d")
    )
    return tuple(extract_zip(result.path, target, overwrite=overwrite))


def access_key_setup(
    service_principal_key: str,
    access_key: str | bytes | Mapping[str, Any],
    *,
    scope: str | None,
    base_url: str | None,
    token_url: str | None,
) -> tuple[str, TokenSource]:
    """(API base URL, token source) for a Cloud service principal; see cloud.py."""
    from ._cloud import AccessKeyToken, parse_access_key

    key = parse_access_key(access_key)
    for field, url in (("token_url", token_url or key.token_url), ("base_url", base_url or key.api_base_url)):
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL:
            parsed = None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
            raise OptionsError([OptionIssue(field, url, "must be an http(s) URL")])
    source = AccessKeyToken(service_principal_key, key, scope=scope, token_url=token_url)
    return base_url or key.api_base_url, source


def api_http_kwargs(config: ClientConfig) -> dict[str, Any]:
    return {"base_url": config.base_url, "timeout": config.timeouts.api(), "follow_redirects": False}


def ids_tuple(ids: Sequence[str] | str) -> list[str]:
    return [ids] if isinstance(ids, str) else list(ids)


Planned = tuple[Generator[Command, Any, Any], Deadline | None]


class Flows:
    """Builds the flow (and its deadline) behind each public method, so `ExportClient` and `AsyncExportClient`
    differ only in how they run it."""

    def __init__(self, config: ClientConfig) -> None:
        self._config = config
        self._ctx = config.context

    def entry(self, entry_id: int) -> Planned:
        _check_entry_id(entry_id)
        return single(get_entry_call(self._ctx, entry_id)), None

    def export(
        self,
        entry_id: int,
        options: ExportOptions | None,
        dest: Path | str,
        *,
        mode: str,
        deadline: float | None,
        on_progress: ProgressCallback | None,
        overwrite: bool,
        extract: bool,
    ) -> Planned:
        request = export_request(self._config, entry_id, options, dest, mode, overwrite, extract)
        limit = make_deadline(deadline)
        return export_flow(self._ctx, request, limit, on_progress), limit

    def start_export(self, entry_id: int, options: ExportOptions | None) -> Planned:
        request = export_request(self._config, entry_id, options, ".", "async", False, False)
        return single(start_export_call(entry_id, request.options)), None

    def tasks(self, ids: Sequence[str] | str) -> Planned:
        return single(list_tasks_call(ids_tuple(ids))), None

    def cancel(self, ids: Sequence[str] | str) -> Planned:
        return single(cancel_tasks_call(ids_tuple(ids))), None

    def wait(
        self, ids: Sequence[str] | str, *, deadline: float | None, on_progress: ProgressCallback | None
    ) -> Planned:
        limit = make_deadline(deadline)
        return wait_flow(self._ctx, ids_tuple(ids), limit, on_progress), limit

    def audit_reasons(self, event_type: str | None) -> Planned:
        return filtered(audit_reasons_flow(), event_type), None

    def resume(
        self,
        task_id: str,
        dest: Path | str,
        *,
        deadline: float | None,
        on_progress: ProgressCallback | None,
        overwrite: bool,
        extract: bool,
    ) -> Planned:
        request = export_request(self._config, 1, None, dest, "async", overwrite, extract)
        limit = make_deadline(deadline)
        return resume_flow(self._ctx, task_id, request, limit, on_progress), limit

    def export_many(
        self,
        jobs: Iterable[ExportJob | int | tuple[int, ExportOptions]],
        dest_dir: Path | str,
        *,
        max_concurrent_tasks: int,
        deadline: float | None,
        on_progress: ProgressCallback | None,
        overwrite: bool,
        extract: bool,
        unique_names: bool,
    ) -> Planned:
        limit = make_deadline(deadline)
        coerced = coerce_jobs(jobs)
        folder = Path(dest_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OptionsError(
                [OptionIssue("dest_dir", str(folder), f"must be a folder we can write ({exc.strerror})")]
            ) from exc
        flow = export_many_flow(
            self._ctx,
            coerced,
            folder,
            max_concurrent_tasks=max_concurrent_tasks,
            overwrite=overwrite,
            extract=extract,
            deadline=limit,
            on_progress=on_progress,
            unique_names=unique_names,
        )
        return flow, limit


def _check_entry_id(entry_id: object) -> None:
    issues = entry_id_issues("entry_id", entry_id)
    if issues:
        raise OptionsError(issues)


def single(call: ApiCall) -> Generator[Command, Any, Any]:
    result = yield call
    return result


def filtered(
    flow: Generator[Command, Any, list[AuditReason]], event_type: str | None
) -> Generator[Command, Any, Any]:
    reasons = yield from flow
    wanted = None if event_type is None else event_type.lower()
    return [r for r in reasons if wanted is None or (r.event_type or "").lower() == wanted]


def send_step(
    flow: Generator[Command, Any, Any], value: Any, error: BaseException | None
) -> tuple[bool, Any]:
    """Advance a flow by one command: (False, command) to execute, or (True, result) when it returned."""
    try:
        command = flow.throw(error) if error is not None else flow.send(value)
    except StopIteration as stop:
        return True, stop.value
    return False, command


def api_call_name(call: ApiCall) -> str:
    return str(call.operation.__name__).rsplit(".", 1)[-1]


TransportT = TypeVar("TransportT", httpx.BaseTransport, httpx.AsyncBaseTransport)


class ClientBase(Generic[TransportT]):
    """Construction shared by `ExportClient` and `AsyncExportClient`: settings, credentials, flows. A driver
    only adds `_open` (its HTTP clients), the loop that runs flows, and its public methods.

    Credentials: exactly one of `token=`, `token_provider=` (a callable returning a token, called again after
    a 401, or a `TokenSource`), or `username=` + `password=` (self-hosted password grant); or the
    `from_access_key` constructor for a Laserfiche Cloud service principal. `transport` / `download_transport`
    let tests and proxies plug in httpx transports.
    """

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
        poll: PollPolicy | None = None,
        auto: AutoRule | None = None,
        cancel_on_abort: bool = True,
        default_options: ExportOptions | None = None,
        transport: TransportT | None = None,
        download_transport: TransportT | None = None,
    ) -> None:
        self._config = ClientConfig(
            base_url,
            repository_id,
            token=token,
            token_provider=token_provider,
            username=username,
            password=password,
            timeouts=timeouts,
            retry=retry,
            poll=poll,
            auto=auto,
            cancel_on_abort=cancel_on_abort,
            default_options=default_options,
        )
        self._flows = Flows(self._config)
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
        Console). The API base comes from the key's domain; tokens are refreshed before they expire."""
        api, source = access_key_setup(
            service_principal_key, access_key, scope=scope, base_url=base_url, token_url=token_url
        )
        return cls(api, repository_id, token_provider=source, **options)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._config.base_url!r}, {self._config.repository_id!r})"
