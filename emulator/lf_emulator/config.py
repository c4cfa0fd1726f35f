"""Emulator configuration: one frozen value object, validated on construction.

Every knob that tests or benchmarks turn lives here; change one with ``dataclasses.replace``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from lf_emulator.faults import FaultProfile

__all__ = ["DEFAULT_TOKEN", "EmulatorConfig"]

#: The bearer token every emulator accepts unless ``tokens`` says otherwise. Not a secret: loopback only.
DEFAULT_TOKEN = "emulator-token"  # noqa: S105


def _positive(name: str, value: float, *, allow_zero: bool = False) -> None:
    if value < 0 or (value == 0 and not allow_zero):
        rule = "must be >= 0" if allow_zero else "must be > 0"
        raise ValueError(f"EmulatorConfig.{name}={value!r}: {rule}")


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
    - ``link_seconds``: validity of a download link.
    - ``require_audit_reason``: exports without a valid ExportDocument ``auditReasonId`` fail (errorCode 216).
    - ``strict_task_ids``: ListTasks/CancelTasks without ``taskIds`` get the spec's 400 instead of the real
      server's behaviour (acting on every task of the token). Either way such calls are counted under
      ``"ListTasks without taskIds"`` / ``"CancelTasks without taskIds"`` in ``counters()["requests"]``.
    - ``large_edoc_bytes``: size of the streamed "large_edoc" sample document.
    - ``tokens``: static bearer tokens that never expire; ``users`` are username → password pairs
      accepted by the password grant, whose tokens live ``issued_token_seconds``.
    """

    host: str = "127.0.0.1"
    port: int = 0
    links_port: int = 0
    base_path: str = "/repository"
    repository_id: str = "r-emulator"
    tokens: tuple[str, ...] = (DEFAULT_TOKEN,)
    users: Mapping[str, str] = dataclasses.field(default_factory=lambda: MappingProxyType({"admin": "admin"}))
    issued_token_seconds: float = 900.0
    task_seconds: float = 2.0
    long_poll_max_seconds: float = 60.0
    task_expiry_seconds: float = 900.0
    max_concurrent_tasks: int = 4
    rate_limit_per_minute: int = 0
    link_seconds: float = 900.0
    require_audit_reason: bool = False
    strict_task_ids: bool = False
    large_edoc_bytes: int = 16 * 1024 * 1024
    signing_key: bytes = b""
    faults: FaultProfile = dataclasses.field(default_factory=FaultProfile)

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
        _positive("rate_limit_per_minute", self.rate_limit_per_minute, allow_zero=True)
        if self.max_concurrent_tasks < 1:
            raise ValueError(
                f"EmulatorConfig.max_concurrent_tasks={self.max_concurrent_tasks!r}: must be >= 1"
            )
        if self.large_edoc_bytes < 1024:
            raise ValueError(f"EmulatorConfig.large_edoc_bytes={self.large_edoc_bytes!r}: must be >= 1024")
        for name in ("port", "links_port"):
            port = getattr(self, name)
            if not 0 <= port <= 65535:
                raise ValueError(f"EmulatorConfig.{name}={port!r}: must be 0..65535 (0 picks a free port)")

    def summary(self) -> dict[str, Any]:
        """The configuration as JSON-ready data, without tokens, passwords or the signing key."""
        return {
            "host": self.host,
            "base_path": self.base_path,
            "repository_id": self.repository_id,
            "task_seconds": self.task_seconds,
            "long_poll_max_seconds": self.long_poll_max_seconds,
            "task_expiry_seconds": self.task_expiry_seconds,
            "max_concurrent_tasks": self.max_concurrent_tasks,
            "rate_limit_per_minute": self.rate_limit_per_minute,
            "link_seconds": self.link_seconds,
            "require_audit_reason": self.require_audit_reason,
            "strict_task_ids": self.strict_task_ids,
            "large_edoc_bytes": self.large_edoc_bytes,
            "issued_token_seconds": self.issued_token_seconds,
        }
