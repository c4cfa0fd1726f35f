"""Run the emulator from Python: a context manager that serves both origins on free loopback ports.

    from lf_emulator.testing import EmulatorServer, EmulatorConfig, FaultProfile

    with EmulatorServer(EmulatorConfig(task_seconds=0.2, long_poll_max_seconds=2.0)) as emu:
        emu.base_url        # "http://127.0.0.1:PORT/repository"
        emu.repository_id   # "r-emulator"
        emu.token           # a valid bearer token
        emu.links_url       # "http://127.0.0.1:PORT2" (download links point here)
        emu.documents       # {"one_page": 10, "forty_pages": 13, ...} (see ``lf_emulator.__doc__``)
        emu.set_faults(FaultProfile(p_429=0.5, seed=7))
        emu.counters()      # {"requests": {...}, "download_auth_headers": 0, ...}
        emu.advance_clock(900)
        emu.tree()          # [(full path, type, target, template, tags), ...] after due copy/delete steps
        emu.entry_id("\\Projects\\2023")   # 41
        emu.issue_token(lifetime_seconds=60)
        emu.token_url       # "http://127.0.0.1:PORT/oauth/Token" (Laserfiche Cloud sign-in)
        key = emu.generate_access_key()   # the test service principal's access key and key

Signing in as the test service principal with lf-export (both URLs override what the key's domain says)::

    key = emu.generate_access_key()
    ExportClient.from_access_key(
        key.service_principal_key, key.access_key, repository_id=emu.repository_id,
        base_url=emu.base_url, token_url=emu.token_url,
    )

Both uvicorn servers run on one event loop in one daemon thread; ``stop()`` (or leaving the ``with``)
ends long-polls and stalled downloads, shuts both servers down and joins the thread.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import signal
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Mapping
from types import MappingProxyType, TracebackType
from typing import Any, Self

import httpx
import uvicorn

from lf_emulator.app import create_api_app
from lf_emulator.config import EmulatorConfig, ServicePrincipal
from lf_emulator.faults import FaultProfile
from lf_emulator.links import LinksApp
from lf_emulator.signin import SIGN_IN_PATH, access_key_for
from lf_emulator.state import EmulatorState
from lf_emulator.tls import TlsMaterial

__all__ = [
    "AccessKeyInfo",
    "EmulatorConfig",
    "EmulatorProcess",
    "EmulatorServer",
    "FaultProfile",
    "ServicePrincipal",
]


@dataclasses.dataclass(frozen=True)
class AccessKeyInfo:
    """What a Laserfiche Cloud user gets from the Developer Console, for an emulator's test principal.
    Not secrets (loopback only), but still kept out of ``repr`` so test logs look like real ones."""

    access_key: str = dataclasses.field(repr=False)
    service_principal_key: str = dataclasses.field(repr=False)
    client_id: str
    key_id: str


_START_TIMEOUT = 15.0
_STOP_TIMEOUT = 15.0


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose proto says TCP,
    # and without it every keep-alive response waits ~40 ms for the client's delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _origin(host: str, sock: socket.socket, scheme: str = "http") -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}"


class EmulatorServer:
    """An emulator serving the API and the download origin until ``stop()``."""

    def __init__(self, config: EmulatorConfig | None = None, *, validate: bool = True) -> None:
        self.config = config or EmulatorConfig()
        self._validate = validate
        self._thread: threading.Thread | None = None
        self._servers: list[uvicorn.Server] = []
        self._sockets: list[socket.socket] = []
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.state = EmulatorState(self.config)
        self.origin = ""
        self.links_url = ""
        self.tls: TlsMaterial | None = None

    # -- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> Self:
        if self._thread is not None:
            raise RuntimeError("EmulatorServer.start(): already started")
        config = self.config
        self._sockets = [_bind(config.host, config.port), _bind(config.host, config.links_port)]
        ssl_options: dict[str, Any] = {}
        if config.tls:
            self.tls = TlsMaterial.create(config.tls_names, expired=config.tls_expired)
            client_ca = str(self.tls.ca_bundle) if config.client_ca == "emulator" else config.client_ca
            ssl_options = self.tls.uvicorn_options(client_ca)
        scheme = "https" if config.tls else "http"
        self.origin = _origin(config.host, self._sockets[0], scheme)
        self.links_url = _origin(config.host, self._sockets[1], scheme)
        self.state.base_url = self.base_url
        self.state.links.base_url = self.links_url
        api = create_api_app(self.state, validate=self._validate)
        links = LinksApp(
            self.state.links,
            on_request=self.state.count_download,
            fault=lambda: self.state.faults.download(),
            stopping=lambda: self.state.stopping,
        )
        for app in (api, links):
            uv_config = uvicorn.Config(
                app,
                log_config=None,
                log_level="warning",
                access_log=False,
                lifespan="off",
                http="h11",
                ws="none",
                timeout_graceful_shutdown=2,
                **ssl_options,
            )
            self._servers.append(uvicorn.Server(uv_config))
        self._thread = threading.Thread(target=self._run, name="lf-emulator", daemon=True)
        self._thread.start()
        if not self._ready.wait(_START_TIMEOUT) or self._error is not None:
            self.stop()
            raise RuntimeError(f"lf_emulator did not start: {self._error!r}")
        return self

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to start() / stop()
            self._error = exc
            self._ready.set()

    async def _serve(self) -> None:
        self.state.tasks.bind_loop(asyncio.get_running_loop())
        runs = [
            asyncio.create_task(server.serve(sockets=[sock]))
            for server, sock in zip(self._servers, self._sockets, strict=True)
        ]
        while not all(server.started for server in self._servers):
            if any(run.done() for run in runs):
                break
            await asyncio.sleep(0.005)
        self._ready.set()
        await asyncio.gather(*runs)

    def stop(self) -> None:
        """Stop both servers and join the thread (idempotent)."""
        self.state.stop()
        for server in self._servers:
            server.should_exit = True
        if self._thread is not None:
            self._thread.join(_STOP_TIMEOUT)
            if self._thread.is_alive():
                for server in self._servers:
                    server.force_exit = True
                self._thread.join(_STOP_TIMEOUT)
        for sock in self._sockets:
            sock.close()
        self._sockets = []
        if self.tls is not None:
            self.tls.cleanup()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- what tests use --------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The API base URL, e.g. ``http://127.0.0.1:PORT/repository``."""
        return self.origin + self.config.base_path

    @property
    def repository_id(self) -> str:
        return self.config.repository_id

    @property
    def ca_bundle(self) -> str | None:
        """With ``tls=True``: the throw-away CA's certificate (PEM), for ``verify=`` / ``--ca-bundle``."""
        return str(self.tls.ca_bundle) if self.tls is not None else None

    def issue_client_cert(self, name: str = "lf-export test client") -> tuple[str, str]:
        """With ``tls=True``: (certificate file, key file) of a client certificate signed by the emulator's CA
        (accepted when ``client_ca="emulator"``)."""
        if self.tls is None:
            raise RuntimeError("issue_client_cert: the emulator was not started with tls=True")
        cert, key = self.tls.issue_client_cert(name)
        return str(cert), str(key)

    @property
    def token(self) -> str:
        """A static bearer token that never expires."""
        return self.config.tokens[0]

    @property
    def token_url(self) -> str:
        """The Cloud sign-in endpoint ``{origin}/oauth/Token``, for ``from_access_key(token_url=...)``."""
        return self.origin + SIGN_IN_PATH

    def generate_access_key(
        self, client_id: str | None = None, *, domain: str | None = None
    ) -> AccessKeyInfo:
        """The access key and service principal key of a configured service principal (the first, or the one
        with ``client_id``). Deterministic: the same configuration always gives the same key. Needs PyJWT
        with cryptography."""
        return generate_access_key(self.config, client_id, domain=domain)

    @property
    def documents(self) -> Mapping[str, int]:
        """Stable keys → entry ids of the sample repository."""
        return MappingProxyType(self.state.documents)

    def set_faults(self, profile: FaultProfile) -> None:
        self.state.set_faults(profile)

    def clear_faults(self) -> None:
        self.state.set_faults(FaultProfile())

    def counters(self) -> dict[str, Any]:
        return self.state.counters()

    def advance_clock(self, seconds: float) -> None:
        self.state.advance_clock(seconds)

    def issue_token(self, lifetime_seconds: float | None = None) -> str:
        """A new bearer token that expires ``lifetime_seconds`` from now on the emulator clock."""
        return self.state.tokens.issue(
            self.config.issued_token_seconds if lifetime_seconds is None else lifetime_seconds
        )

    def reset(self) -> None:
        """Forget tasks and counters and restore the configured faults."""
        self.state.reset()

    def tree(self) -> list[tuple[str, str, int | None, str, tuple[int, ...]]]:
        """The repository's tree now, after every copy and delete step due by the clock: sorted (full path,
        entry type, shortcut target, template name, tag ids) per entry. Compare two to see what changed."""
        return self.state.tree()

    def entry_id(self, full_path: str) -> int | None:
        """The id of the entry at a backslash path (``\\`` is the root), or None."""
        self.state.settle()
        found, _ = self.state.repository.by_path(full_path)
        return found.id if found is not None else None

    def api_url(self, path: str) -> str:
        """``{base_url}/v2/Repositories/{repository_id}/{path}``."""
        return f"{self.base_url}/v2/Repositories/{self.repository_id}/{path.lstrip('/')}"


def generate_access_key(
    config: EmulatorConfig, client_id: str | None = None, *, domain: str | None = None
) -> AccessKeyInfo:
    """`EmulatorServer.generate_access_key` without a running server (same answer for the same config)."""
    principals = [p for p in config.service_principals if client_id is None or p.client_id == client_id]
    if not principals:
        known = ", ".join(p.client_id for p in config.service_principals) or "none"
        raise ValueError(f"generate_access_key: no service principal {client_id!r} (configured: {known})")
    principal = principals[0]
    return AccessKeyInfo(
        access_key=access_key_for(principal, domain=domain),
        service_principal_key=principal.service_principal_key,
        client_id=principal.client_id,
        key_id=principal.key_id,
    )


class EmulatorProcess:
    """The emulator in a child process (``python -m lf_emulator --json --port 0 [args]``), for measurements
    where it must not share the caller's GIL or memory (benchmarks, the soak's RSS check). Driven through its
    admin endpoints; stopped with SIGTERM (then SIGKILL) when the ``with`` block ends."""

    def __init__(self, *args: str) -> None:
        self.args = list(args)
        self.proc: subprocess.Popen[str] | None = None
        self.info: dict[str, Any] = {}

    def __enter__(self) -> Self:
        cmd = [sys.executable, "-m", "lf_emulator", "--json", "--port", "0", *self.args]
        # Our own module with a fixed argv (plus the caller's flags): no shell, nothing untrusted.
        self.proc = subprocess.Popen(  # noqa: S603
            cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            self.proc.kill()
            raise RuntimeError(f"lf_emulator did not start: {cmd}")
        self.info = json.loads(line)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def base_url(self) -> str:
        return str(self.info["base_url"])

    @property
    def repository_id(self) -> str:
        return str(self.info["repository_id"])

    @property
    def token(self) -> str:
        return str(self.info["token"])

    @property
    def documents(self) -> dict[str, int]:
        return dict(self.info["documents"])

    @property
    def admin(self) -> str:
        return str(self.info["admin_url"]).removesuffix("/state")

    def _verify(self) -> ssl.SSLContext | bool:
        # With --tls the admin endpoints are HTTPS too, signed by the child's throw-away CA.
        bundle = self.info.get("ca_bundle")
        return ssl.create_default_context(cafile=bundle) if bundle else True

    def state(self) -> dict[str, Any]:
        answer = httpx.get(f"{self.admin}/state", timeout=10, verify=self._verify())
        return dict(answer.raise_for_status().json())

    def counters(self) -> dict[str, Any]:
        return dict(self.state()["counters"])

    def set_faults(self, profile: dict[str, Any]) -> None:
        httpx.post(f"{self.admin}/faults", json=profile, timeout=10, verify=self._verify()).raise_for_status()

    def reset(self) -> None:
        httpx.post(f"{self.admin}/reset", timeout=10, verify=self._verify()).raise_for_status()
