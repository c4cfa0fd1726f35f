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
        emu.issue_token(lifetime_seconds=60)

Both uvicorn servers run on one event loop in one daemon thread; ``stop()`` (or leaving the ``with``)
ends long-polls and stalled downloads, shuts both servers down and joins the thread.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Mapping
from types import MappingProxyType, TracebackType
from typing import Any, Self

import uvicorn

from lf_emulator.app import create_api_app
from lf_emulator.config import EmulatorConfig
from lf_emulator.faults import FaultProfile
from lf_emulator.links import LinksApp
from lf_emulator.state import EmulatorState

__all__ = ["EmulatorConfig", "EmulatorServer", "FaultProfile"]

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


def _origin(host: str, sock: socket.socket) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


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

    # -- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> Self:
        if self._thread is not None:
            raise RuntimeError("EmulatorServer.start(): already started")
        config = self.config
        self._sockets = [_bind(config.host, config.port), _bind(config.host, config.links_port)]
        self.origin = _origin(config.host, self._sockets[0])
        self.links_url = _origin(config.host, self._sockets[1])
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
    def token(self) -> str:
        """A static bearer token that never expires."""
        return self.config.tokens[0]

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

    def api_url(self, path: str) -> str:
        """``{base_url}/v2/Repositories/{repository_id}/{path}``."""
        return f"{self.base_url}/v2/Repositories/{self.repository_id}/{path.lstrip('/')}"
