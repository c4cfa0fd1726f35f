"""A client's settings, checked once when it is made, and the checks of public arguments.

Every rejection is an `OptionsError` naming the argument, the value and the rule, raised before anything is
sent.
"""

from __future__ import annotations

import math
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ._errors import OptionIssue, OptionsError
from ._modes import MODES, AutoRule
from ._options import ExportOptions
from ._pacing import AUTO, Pacing, PacingSetting, resolve_pacing
from ._policy import (
    DEFAULT_POLL_POLICY,
    DEFAULT_RETRY_POLICY,
    DEFAULT_TIMEOUTS,
    Clock,
    Deadline,
    PollPolicy,
    RetryPolicy,
    Timeouts,
)
from ._results import ExportJob
from ._tls import CertSetting, NetworkSettings, VerifySetting
from ._tokens import CallableToken, PasswordGrant, StaticToken, TaskLedger, TokenSource

__all__ = [
    "ClientConfig",
    "access_key_setup",
    "check_copy_args",
    "check_delete_args",
    "check_export_args",
    "coerce_jobs",
    "http_url_issues",
    "make_deadline",
]

ENTRY_ID_MAX = 2_147_483_647  # int32, as the wire contract says


def http_url_issues(field: str, url: object) -> list[OptionIssue]:
    """An absolute http(s) URL with a host and no query string or fragment, or the issue saying why not."""
    import httpx  # the URL grammar is httpx's: the same parser that will send the requests

    try:
        parsed = httpx.URL(url) if isinstance(url, str) else None
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        return [
            OptionIssue(field, url, "must be an http(s) URL such as https://api.laserfiche.com/repository")
        ]
    if parsed.query or parsed.fragment:
        return [OptionIssue(field, url, "must not carry a query string or fragment")]
    return []


def _token_source(
    base_url: str,
    repository_id: str,
    clock: Clock,
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
        rule = "give exactly one of token=, token_provider= or username= with password="
        raise OptionsError([OptionIssue("credentials", given or None, rule)])
    if token is not None:
        return StaticToken(token)
    if token_provider is not None:
        if isinstance(token_provider, TokenSource):
            return token_provider
        return CallableToken(token_provider, clock=clock)
    if not username or password is None:
        raise OptionsError([OptionIssue("username", username, "username and password are both required")])
    return PasswordGrant(base_url, repository_id, username, password, clock=clock)


@attrs.frozen(kw_only=True)
class ClientConfig:
    """Validated settings of one client (shared by `ExportClient` and `AsyncExportClient`)."""

    base_url: str
    repository_id: str
    tokens: TokenSource
    ledger: TaskLedger  # task ids in flight; the token source keeps its token while any is (see _tokens)
    timeouts: Timeouts
    retry: RetryPolicy
    pacing: Pacing  # "auto" resolved: Cloud's limits for Cloud hosts, else off (see _pacing)
    poll: PollPolicy
    auto: AutoRule
    cancel_on_deadline: bool
    cancel_on_interrupt: bool
    default_options: ExportOptions
    clock: Clock
    network: NetworkSettings  # TLS contexts and proxy of both HTTP clients (see _tls)

    @classmethod
    def make(
        cls,
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
        clock: Clock = time.monotonic,
        verify: VerifySetting = True,
        cert: CertSetting = None,
        proxy: str | None = None,
        trust_env: bool = True,
        download_verify: VerifySetting | None = None,
    ) -> ClientConfig:
        issues = http_url_issues("base_url", base_url)
        if not isinstance(repository_id, str) or not repository_id.strip() or "/" in repository_id:
            issues.append(
                OptionIssue("repository_id", repository_id, "must be a repository id such as r-abc123")
            )
        if default_options is not None and not isinstance(default_options, ExportOptions):
            issues.append(
                OptionIssue("default_options", type(default_options).__name__, "must be an ExportOptions")
            )
        paced = resolve_pacing(pacing, "" if issues else urllib.parse.urlsplit(base_url).hostname or "")
        if paced is None:
            issues.append(OptionIssue("pacing", pacing, "must be a Pacing or 'auto'"))
        network: NetworkSettings | None = None
        try:
            network = NetworkSettings.make(
                verify=verify, cert=cert, proxy=proxy, trust_env=trust_env, download_verify=download_verify
            )
        except OptionsError as exc:
            issues += exc.issues
        if issues or paced is None or network is None:
            raise OptionsError(issues)
        base = base_url.rstrip("/")
        tokens = _token_source(base, repository_id, clock, token, token_provider, username, password)
        ledger = getattr(tokens, "ledger", None)
        return cls(
            base_url=base,
            repository_id=repository_id,
            tokens=tokens,
            ledger=ledger if isinstance(ledger, TaskLedger) else TaskLedger(),
            timeouts=timeouts or DEFAULT_TIMEOUTS,
            retry=retry or DEFAULT_RETRY_POLICY,
            pacing=paced,
            poll=poll or DEFAULT_POLL_POLICY,
            auto=auto or AutoRule(),
            cancel_on_deadline=cancel_on_deadline,
            cancel_on_interrupt=cancel_on_interrupt,
            default_options=default_options or ExportOptions.tiff(),
            clock=clock,
            network=network,
        )

    def __repr__(self) -> str:
        return f"ClientConfig({self.base_url!r}, {self.repository_id!r}, tokens={self.tokens!r})"


def entry_id_issues(field: str, entry_id: object) -> list[OptionIssue]:
    if isinstance(entry_id, bool) or not isinstance(entry_id, int) or not 1 <= entry_id <= ENTRY_ID_MAX:
        return [OptionIssue(field, entry_id, f"must be an entry id: an integer between 1 and {ENTRY_ID_MAX}")]
    return []


def check_export_args(entry_id: object, options: object = None, mode: object = "auto") -> None:
    """One `OptionsError` for everything wrong with an export's entry id, options and mode."""
    issues = entry_id_issues("entry_id", entry_id)
    if mode not in MODES:
        issues.append(OptionIssue("mode", mode, "must be one of auto, sync, async"))
    if options is not None and not isinstance(options, ExportOptions):
        issues.append(OptionIssue("options", type(options).__name__, "must be an ExportOptions"))
    if issues:
        raise OptionsError(issues)


def _text_issues(field: str, value: object, limit: int) -> list[OptionIssue]:
    if value is None:
        return []
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        return [
            OptionIssue(field, value, f"must be a non-blank string of at most {limit} characters, or None")
        ]
    return []


def check_copy_args(source_id: object, to_folder_id: object, name: object, auto_rename: object) -> None:
    issues = entry_id_issues("source_id", source_id) + entry_id_issues("to_folder_id", to_folder_id)
    issues += _text_issues("name", name, 255)
    if not isinstance(auto_rename, bool):
        issues.append(OptionIssue("auto_rename", auto_rename, "must be True or False"))
    if issues:
        raise OptionsError(issues)


def check_delete_args(entry_id: object, audit_reason_id: object, comment: object) -> None:
    issues = entry_id_issues("entry_id", entry_id)
    if audit_reason_id is not None:
        issues += entry_id_issues("audit_reason_id", audit_reason_id)
    issues += _text_issues("audit_reason_comment", comment, 255)
    if issues:
        raise OptionsError(issues)


def coerce_jobs(jobs: Iterable[ExportJob | int | tuple[int, ExportOptions]]) -> tuple[ExportJob, ...]:
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
            issues.append(
                OptionIssue(f"jobs[{i}].options", type(one.options).__name__, "must be an ExportOptions")
            )
        coerced.append(one)
    if issues:
        raise OptionsError(issues)
    return tuple(coerced)


def make_deadline(seconds: float | None, clock: Clock) -> Deadline | None:
    """`seconds` from now on `clock`, or None (no deadline)."""
    if seconds is None:
        return None
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int | float)
        or not math.isfinite(seconds)
        or seconds <= 0
    ):
        raise OptionsError(
            [OptionIssue("deadline", seconds, "must be a finite number of seconds > 0, or None")]
        )
    return Deadline.after(seconds, clock)


def access_key_setup(
    service_principal_key: str,
    access_key: str | bytes | Mapping[str, Any],
    *,
    scope: str | None,
    base_url: str | None,
    token_url: str | None,
) -> tuple[str, TokenSource]:
    """(API base URL, token source) for a Laserfiche Cloud service principal; see _cloud.py."""
    from ._cloud import AccessKeyToken, parse_access_key  # the signer (cryptography) loads only when used

    key = parse_access_key(access_key)
    issues = http_url_issues("token_url", token_url or key.token_url)
    issues += http_url_issues("base_url", base_url or key.api_base_url)
    if issues:
        raise OptionsError(issues)
    source = AccessKeyToken(service_principal_key, key, scope=scope, token_url=token_url)
    return base_url or key.api_base_url, source
