"""Emulator configuration: one frozen value object, validated on construction.

Every knob that tests or benchmarks turn lives here; change one with ``dataclasses.replace``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from lf_emulator.faults import FaultProfile
from lf_emulator.tls import DEFAULT_TLS_NAMES

__all__ = ["DEFAULT_SERVICE_PRINCIPAL_KEY", "DEFAULT_TOKEN", "EmulatorConfig", "ServicePrincipal"]

#: The bearer token every emulator accepts unless ``tokens`` says otherwise. Not a secret: loopback only.
DEFAULT_TOKEN = "emulator-token"  # noqa: S105
#: The test service principal's key (its "client secret"). Not a secret either: loopback only.
DEFAULT_SERVICE_PRINCIPAL_KEY = "emulator-service-principal-key"


def _positive(name: str, value: float, *, allow_zero: bool = False) -> None:
    if value < 0 or (value == 0 and not allow_zero):
        rule = "must be >= 0" if allow_zero else "must be > 0"
        raise ValueError(f"EmulatorConfig.{name}={value!r}: {rule}")


@dataclasses.dataclass(frozen=True, kw_only=True)
class ServicePrincipal:
    """A Laserfiche Cloud service principal the sign-in endpoint (``POST {origin}/oauth/Token``) knows.

    Its EC P-256 key pair is derived from ``key_seed`` (SHA-256 of the seed, reduced to a P-256 scalar), so
    every emulator with the same configuration, and ``python -m lf_emulator generate-access-key``, agree on
    the access key without storing one. ``key_id`` is the JWK ``kid`` the client assertion must name.
    ``scopes`` are the scopes it may ask for; a ``disabled`` principal is refused (403).
    """

    client_id: str = "emulator-client"
    customer_id: str = "1234567890"
    service_principal_key: str = dataclasses.field(default=DEFAULT_SERVICE_PRINCIPAL_KEY, repr=False)
    key_id: str = "emulator-key-1"
    key_seed: str = dataclasses.field(default="lf-emulator test service principal", repr=False)
    domain: str = "localhost"
    scopes: tuple[str, ...] = ("repository.Read", "repository.Write")
    disabled: bool = False

    def __post_init__(self) -> None:
        for name in ("client_id", "customer_id", "service_principal_key", "key_id", "key_seed", "domain"):
            if not getattr(self, name):
                raise ValueError(f"ServicePrincipal.{name}: must be a non-empty string")


@dataclasses.dataclass(frozen=True, kw_only=True)
class EmulatorConfig:
    """How an emulator instance behaves.

    Durations are in seconds of the emulator's clock (``advance_clock`` moves it forward).

    - ``task_seconds``: duration of an export task for a document of up to 10 pages (or 10 MiB of
      electronic document); larger documents take proportionally longer, at most 5 times as long.
    - ``long_poll_max_seconds``: the longest ListTasks holds a request when no requested task changes state.
    - ``task_expiry_seconds``: how long an ended task stays listable (15 min on the real server).
    - ``max_concurrent_tasks``: long operations a token may have running at once (429 beyond that).
    - ``rate_limit_per_minute``: requests a token may make per sliding minute; ``0`` disables the limit.
    - ``export_calls_per_minute``: ExportEntry and StartExportEntry calls a token may make per sliding minute
      (Laserfiche Cloud: about 30, shared with imports); beyond it 429 with ``Retry-After``; ``0``: no limit.
      A call refused by the all-calls limit does not count here.
    - ``rate_window_seconds``: the sliding window both per-minute limits are counted over (60). A limit of
      ``n`` a minute allows ``max(1, floor(n * window / 60))`` calls per window: a short window keeps the
      rate and makes a benchmark of it take seconds, not minutes.
    - ``link_seconds``: validity of a download link.
    - ``require_audit_reason``: exports without a valid ExportDocument ``auditReasonId`` fail (errorCode 216).
    - ``strict_task_ids``: ListTasks/CancelTasks without ``taskIds`` get the spec's 400 instead of the real
      server's behaviour (acting on every task of the token). Either way such calls are counted under
      ``"ListTasks without taskIds"`` / ``"CancelTasks without taskIds"`` in ``counters()["requests"]``.
    - ``large_edoc_bytes``: size of the streamed "large_edoc" sample document.
    - ``max_open_searches``: searches a token may hold open (started, not closed with CancelTasks, results
      not expired) before StartSearchEntry answers 429 (2 on Laserfiche Cloud).
    - ``search_cache_seconds``: how long search results stay readable after the search ends; each read of
      them starts the period again (about 5 minutes on the real service).
    - ``synthetic_entries``: size of a generated tree under ``\\Synthetic`` (0: none): that many entries in
      all (folders of up to 100 entries each, documents, a few shortcuts), deterministic from
      ``synthetic_seed``; documents render their pages only when exported (see ``lf_emulator.synthetic``).
    - ``tokens``: static bearer tokens that never expire; ``users`` are username → password pairs
      accepted by the password grant, whose tokens live ``issued_token_seconds``.
    - ``service_principals``: who may sign in at ``POST {origin}/oauth/Token`` (Laserfiche Cloud's
      client-credentials grant with an ES256 client assertion); its tokens live ``cloud_token_seconds``
      (12 h like the real service; shorten it to test refresh). ``assertion_leeway_seconds`` is the clock
      skew tolerated on the assertion's ``nbf``/``exp``/``iat``.
    - ``tls``: serve both origins over HTTPS with a server certificate for ``tls_names`` from a throw-away CA
      made at start-up (``EmulatorServer.ca_bundle`` is its certificate); ``tls_expired`` makes that
      certificate one that has expired. ``client_ca``: a PEM file of CA certificates; with it, both origins
      require a client certificate signed by one of them (``EmulatorServer.issue_client_cert`` makes one
      signed by the emulator's own CA, which ``client_ca="emulator"`` accepts).
    """

    host: str = "127.0.0.1"
    port: int = 0
    links_port: int = 0
    base_path: str = "/repository"
    repository_id: str = "r-emulator"
    tokens: tuple[str, ...] = (DEFAULT_TOKEN,)
    users: Mapping[str, str] = dataclasses.field(default_factory=lambda: MappingProxyType({"admin": "admin"}))
    issued_token_seconds: float = 900.0
    service_principals: tuple[ServicePrincipal, ...] = (ServicePrincipal(),)
    cloud_token_seconds: float = 43200.0
    assertion_leeway_seconds: float = 30.0
    task_seconds: float = 2.0
    long_poll_max_seconds: float = 60.0
    task_expiry_seconds: float = 900.0
    max_concurrent_tasks: int = 4
    rate_limit_per_minute: int = 0
    export_calls_per_minute: int = 0
    rate_window_seconds: float = 60.0
    link_seconds: float = 900.0
    require_audit_reason: bool = False
    strict_task_ids: bool = False
    large_edoc_bytes: int = 16 * 1024 * 1024
    max_open_searches: int = 2
    search_cache_seconds: float = 300.0
    synthetic_entries: int = 0
    synthetic_seed: int = 0
    signing_key: bytes = b""
    faults: FaultProfile = dataclasses.field(default_factory=FaultProfile)
    tls: bool = False
    tls_names: tuple[str, ...] = DEFAULT_TLS_NAMES
    tls_expired: bool = False
    client_ca: str | None = None

    def __post_init__(self) -> None:
        if not self.base_path.startswith("/") or self.base_path.endswith("/"):
            raise ValueError(
                f"EmulatorConfig.base_path={self.base_path!r}: must start with '/' and not end with '/'"
            )
        if not self.repository_id or "/" in self.repository_id:
            raise ValueError(f"EmulatorConfig.repository_id={self.repository_id!r}: must be a non-empty name")
        if not self.tokens:
            raise ValueError("EmulatorConfig.tokens: at least one static token is required")
        for name in ("task_seconds", "long_poll_max_seconds", "link_seconds", "issued_token_seconds"):
            _positive(name, getattr(self, name))
        _positive("task_expiry_seconds", self.task_expiry_seconds, allow_zero=True)
        _positive("assertion_leeway_seconds", self.assertion_leeway_seconds, allow_zero=True)
        if self.cloud_token_seconds < 1:
            # expires_in is a whole number of seconds; below 1 it would read as "no lifetime".
            raise ValueError(f"EmulatorConfig.cloud_token_seconds={self.cloud_token_seconds!r}: must be >= 1")
        kids = [p.key_id for p in self.service_principals]
        if len(set(kids)) != len(kids):
            raise ValueError(f"EmulatorConfig.service_principals: key ids must be unique (got {kids})")
        _positive("rate_limit_per_minute", self.rate_limit_per_minute, allow_zero=True)
        _positive("export_calls_per_minute", self.export_calls_per_minute, allow_zero=True)
        _positive("rate_window_seconds", self.rate_window_seconds)
        if self.max_concurrent_tasks < 1:
            raise ValueError(
                f"EmulatorConfig.max_concurrent_tasks={self.max_concurrent_tasks!r}: must be >= 1"
            )
        if self.max_open_searches < 1:
            raise ValueError(f"EmulatorConfig.max_open_searches={self.max_open_searches!r}: must be >= 1")
        _positive("search_cache_seconds", self.search_cache_seconds)
        _positive("synthetic_entries", self.synthetic_entries, allow_zero=True)
        if self.large_edoc_bytes < 1024:
            raise ValueError(f"EmulatorConfig.large_edoc_bytes={self.large_edoc_bytes!r}: must be >= 1024")
        if (self.client_ca is not None or self.tls_expired) and not self.tls:
            raise ValueError("EmulatorConfig.client_ca / tls_expired: need tls=True")
        if self.client_ca not in (None, "emulator") and not Path(self.client_ca).is_file():
            raise ValueError(
                f"EmulatorConfig.client_ca={self.client_ca!r}: must be a PEM file of CA certificates"
            )
        if not self.tls_names or not all(isinstance(n, str) and n for n in self.tls_names):
            raise ValueError(f"EmulatorConfig.tls_names={self.tls_names!r}: must be non-empty host names")
        for name in ("port", "links_port"):
            port = getattr(self, name)
            if not 0 <= port <= 65535:
                raise ValueError(f"EmulatorConfig.{name}={port!r}: must be 0..65535 (0 picks a free port)")

    def summary(self) -> dict[str, Any]:
        """The configuration as JSON-ready data, without tokens, passwords or the signing key."""
        return {
            "host": self.host,
            "tls": self.tls,
            "client_certificates": self.client_ca is not None,
            "base_path": self.base_path,
            "repository_id": self.repository_id,
            "task_seconds": self.task_seconds,
            "long_poll_max_seconds": self.long_poll_max_seconds,
            "task_expiry_seconds": self.task_expiry_seconds,
            "max_concurrent_tasks": self.max_concurrent_tasks,
            "rate_limit_per_minute": self.rate_limit_per_minute,
            "export_calls_per_minute": self.export_calls_per_minute,
            "rate_window_seconds": self.rate_window_seconds,
            "link_seconds": self.link_seconds,
            "require_audit_reason": self.require_audit_reason,
            "strict_task_ids": self.strict_task_ids,
            "large_edoc_bytes": self.large_edoc_bytes,
            "max_open_searches": self.max_open_searches,
            "search_cache_seconds": self.search_cache_seconds,
            "synthetic_entries": self.synthetic_entries,
            "synthetic_seed": self.synthetic_seed,
            "issued_token_seconds": self.issued_token_seconds,
            "cloud_token_seconds": self.cloud_token_seconds,
            "assertion_leeway_seconds": self.assertion_leeway_seconds,
            "service_principals": [
                {
                    "client_id": p.client_id,
                    "key_id": p.key_id,
                    "scopes": list(p.scopes),
                    "disabled": p.disabled,
                }
                for p in self.service_principals
            ],
        }
