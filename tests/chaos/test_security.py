"""Security under hostile servers: credentials stay with the API; hostile names and archives are neutralised.

A hostile download origin (two loopback HTTP servers on different ports, i.e. different origins) records every
header it receives. The API side is the real emulator where it can be, else an httpx MockTransport that hands
out links to the hostile origin. Every test also runs under the suite's leak guard (conftest.py): no token
and no link signature in any log line or collected message.
"""

from __future__ import annotations

import io
import logging
import stat
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from lf_emulator.testing import EmulatorServer, FaultProfile
from lf_export import (
    AuthenticationError,
    DownloadError,
    ExportClient,
    ExportOptions,
    LaserficheError,
    PollPolicy,
    RetryPolicy,
)
from lf_export._logging import _FILTER, redact_http_logs

from ._support import partial_files
from .conftest import LeakGuard

SECRET_TOKEN = "tok-9f8e7d6c5b4a-SECRET"  # a marker to grep for, not a credential
SIG = "SIG-0123456789abcdef"
FAST = {"poll": PollPolicy(initial_wait=0.01, max_wait=0.05), "retry": RetryPolicy(initial_wait=0.01)}


@dataclass
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class Origin:
    url: str
    routes: dict[str, Route]
    seen: list[dict[str, str]]


def _handler(routes: dict[str, Route], seen: list[dict[str, str]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            seen.append({k.lower(): v for k, v in self.headers.items()} | {":path": self.path})
            route = routes.get(self.path.split("?", 1)[0], Route(404, body=b"<Error>NoSuchKey</Error>"))
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

    return Handler


@pytest.fixture(autouse=True)
def _http_logs_redacted() -> Iterator[None]:
    """These tests log httpx/httpcore at DEBUG: redaction is opt-in (`redact_http_logs`), so opt in, and leave
    the loggers as they were."""
    was_on = _FILTER in logging.getLogger("httpx").filters
    redact_http_logs()
    try:
        yield
    finally:
        redact_http_logs(was_on)


@pytest.fixture
def origins() -> Iterator[Callable[[], Origin]]:
    servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def start() -> Origin:
        routes: dict[str, Route] = {}
        seen: list[dict[str, str]] = []
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(routes, seen))
        thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
        thread.start()
        servers.append((server, thread))
        return Origin(f"http://127.0.0.1:{server.server_address[1]}", routes, seen)

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join()


def api_handing_out(link: str, seen: list[httpx.Request]) -> httpx.MockTransport:
    """A Laserfiche API whose simple Export answers with `link`."""

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST" and request.url.path.endswith("/Export"):
            return httpx.Response(200, json={"value": link})
        return httpx.Response(404, json={"status": 404, "title": "Not Found"})

    return httpx.MockTransport(handle)


def hostile_client(link: str, api_seen: list[httpx.Request]) -> ExportClient:
    return ExportClient(
        "https://api.example.test/repository",
        "r-abc123",
        token=SECRET_TOKEN,
        transport=api_handing_out(link, api_seen),
        **FAST,
    )


def tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# ------------------------------------------------------------------------------------------ credentials


def redirecting_origins(origins: Callable[[], Origin]) -> tuple[Origin, Origin]:
    """`first` answers /export with a redirect (and a cookie) to `second`, which serves the file."""
    first, second = origins(), origins()
    first.routes["/export"] = Route(
        302,
        {"Location": f"{second.url}/blob?sig={SIG}-2", "Set-Cookie": "session=planted; Path=/"},
    )
    second.routes["/blob"] = Route(
        200,
        {"Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="Report.pdf"'},
        b"%PDF-1.7 hostile but harmless",
    )
    return first, second


def test_redirect_to_another_host_carries_no_authorization(
    origins: Callable[[], Origin], tmp_path: Path, leak_guard: LeakGuard
) -> None:
    first, second = redirecting_origins(origins)
    api_seen: list[httpx.Request] = []
    leak_guard.add_secret(SECRET_TOKEN, SIG)
    with hostile_client(f"{first.url}/export?sig={SIG}", api_seen) as lf:
        result = lf.export(10, ExportOptions.pdf(), tmp_path, mode="sync")
    assert result.path == tmp_path / "Report.pdf"
    assert result.path.read_bytes() == b"%PDF-1.7 hostile but harmless"
    # The API got the token; neither download origin got it, nor anything naming it.
    assert api_seen[0].headers["Authorization"] == f"Bearer {SECRET_TOKEN}"
    for request in first.seen + second.seen:
        assert "authorization" not in request
        assert "proxy-authorization" not in request
        assert SECRET_TOKEN not in str(request)
    assert [r[":path"] for r in first.seen + second.seen] == [f"/export?sig={SIG}", f"/blob?sig={SIG}-2"]


def test_a_cookie_planted_by_a_download_origin_is_never_replayed(
    origins: Callable[[], Origin], tmp_path: Path
) -> None:
    first, second = redirecting_origins(origins)
    with hostile_client(f"{first.url}/export?sig={SIG}", []) as lf:
        lf.export(10, ExportOptions.pdf(), tmp_path / "one.pdf", mode="sync")
        lf.export(10, ExportOptions.pdf(), tmp_path / "two.pdf", mode="sync")
    assert len(first.seen + second.seen) == 4
    assert [r.get("cookie") for r in first.seen + second.seen] == [None, None, None, None]


def httpcore_debug_lines(run: Callable[[], object]) -> list[str]:
    """Every httpcore DEBUG message logged while `run` runs (kept away from the suite's leak guard)."""
    records: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    handler = Capture(logging.DEBUG)
    core = logging.getLogger("httpcore")
    old = core.level
    core.addHandler(handler)
    core.setLevel(logging.DEBUG)
    core.propagate = False
    try:
        run()
    finally:
        core.removeHandler(handler)
        core.setLevel(old)
        core.propagate = True
    return records


def test_httpcore_debug_log_does_not_show_a_redirect_signature(
    origins: Callable[[], Origin], tmp_path: Path
) -> None:
    first, _ = redirecting_origins(origins)

    def run() -> None:
        with hostile_client(f"{first.url}/export?sig={SIG}", []) as lf:
            lf.export(10, ExportOptions.pdf(), tmp_path, mode="sync")

    records = httpcore_debug_lines(run)
    assert records
    assert [r for r in records if SIG in r] == []


def test_httpcore_debug_log_does_not_show_a_relative_redirect_signature(
    origins: Callable[[], Origin], tmp_path: Path
) -> None:
    origin = origins()
    origin.routes["/export"] = Route(302, {"Location": f"/blob?sig={SIG}-relative"})
    origin.routes["/blob"] = Route(
        200,
        {"Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="R.pdf"'},
        b"%PDF",
    )

    def run() -> None:
        with hostile_client(f"{origin.url}/export?sig={SIG}", []) as lf:
            lf.export(10, ExportOptions.pdf(), tmp_path, mode="sync")

    records = httpcore_debug_lines(run)
    assert (tmp_path / "R.pdf").read_bytes() == b"%PDF"
    assert [r for r in records if SIG in r] == []


def test_emulator_download_origin_never_sees_authorization(emulator: EmulatorServer, tmp_path: Path) -> None:
    with ExportClient(emulator.base_url, emulator.repository_id, token=emulator.token, **FAST) as lf:
        for mode in ("sync", "async"):
            out = tmp_path / mode
            out.mkdir()
            lf.export(emulator.documents["letter"], ExportOptions.pdf(), out, mode=mode)  # type: ignore[arg-type]
        task_id = lf.start_export(emulator.documents["one_page"])
        lf.resume(task_id, tmp_path / "resumed")
    counters = emulator.counters()
    assert counters["downloads"] >= 3
    assert counters["download_auth_headers"] == 0


def test_errors_and_reprs_never_show_the_token_or_the_link_signature(
    origins: Callable[[], Origin], emulator: EmulatorServer, tmp_path: Path, leak_guard: LeakGuard
) -> None:
    leak_guard.add_secret(SECRET_TOKEN, SIG)
    texts: list[str] = []

    def collect(error: BaseException) -> None:
        chain: BaseException | None = error
        while chain is not None:  # the error, everything it was raised from, their notes and args
            texts.extend([str(chain), repr(chain), *map(str, chain.args), *getattr(chain, "__notes__", [])])
            chain = chain.__cause__ or chain.__context__

    # A refused token (the emulator does not know it).
    with ExportClient(emulator.base_url, emulator.repository_id, token=SECRET_TOKEN, **FAST) as lf:
        texts.append(repr(lf))
        with pytest.raises(AuthenticationError) as refused:
            lf.export(emulator.documents["one_page"], None, tmp_path, mode="sync")
        collect(refused.value)
    # Links that fail in every way a storage host can fail.
    origin = origins()
    origin.routes["/expired"] = Route(
        403, {"Content-Type": "application/xml"}, b"<Error>AccessDenied</Error>"
    )
    origin.routes["/short"] = Route(200, {"Content-Type": "application/pdf", "Content-Length": "999"}, b"x")
    origin.routes["/loop"] = Route(302, {"Location": f"{origin.url}/loop?sig={SIG}"})
    for path in ("/expired", "/missing", "/loop"):
        api_seen: list[httpx.Request] = []
        with hostile_client(f"{origin.url}{path}?sig={SIG}&exp=1", api_seen) as lf:
            texts.append(repr(lf))
            with pytest.raises(LaserficheError) as failed:
                lf.export(10, ExportOptions.pdf(), tmp_path, mode="sync")
            collect(failed.value)
    # An unreachable storage host.
    with hostile_client(f"http://127.0.0.1:9/x?sig={SIG}", []) as lf, pytest.raises(DownloadError) as down:
        lf.export(10, ExportOptions.pdf(), tmp_path, mode="sync")
    collect(down.value)
    leak_guard.texts.extend(texts)
    assert all(isinstance(t, str) for t in texts)
    assert any("403" in t for t in texts)
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------------------ hostile names


HOSTILE_DISPOSITIONS = [
    'attachment; filename="../../etc/passwd"',
    "attachment; filename*=UTF-8''..%2F..%2F..%2Ftmp%2Fescape.pdf",
    'attachment; filename="/etc/shadow"',
    'attachment; filename="C:\\Windows\\System32\\evil.dll"',
    'attachment; filename="\\\\server\\share\\x.pdf"',
    'attachment; filename="CON"',
    'attachment; filename="nul.txt"',
    'attachment; filename="LPT1.pdf"',
    'attachment; filename=".."',
    'attachment; filename="."',
    'attachment; filename=".bashrc"',
    "attachment; filename*=UTF-8''evil%00.pdf",
    "attachment; filename*=UTF-8''line%0Abreak.pdf",
    "attachment; filename*=UTF-8''%E2%80%AEfdp.exe",
    'attachment; filename="' + "A" * 300 + '.pdf"',
    "attachment; filename*=UTF-8''" + quote("é" * 200) + ".pdf",
]


@pytest.mark.parametrize("disposition", HOSTILE_DISPOSITIONS)
def test_hostile_content_disposition_lands_inside_the_folder(
    origins: Callable[[], Origin], tmp_path: Path, disposition: str
) -> None:
    origin = origins()
    origin.routes["/file"] = Route(
        200, {"Content-Type": "application/pdf", "Content-Disposition": disposition}, b"%PDF-1.7 body"
    )
    dest = tmp_path / "dest"
    dest.mkdir()
    with hostile_client(f"{origin.url}/file?sig={SIG}", []) as lf:
        result = lf.export(10, ExportOptions.pdf(), dest, mode="sync")
    name = result.path.name
    assert result.path.parent == dest
    assert tree(tmp_path) == {"dest", f"dest/{name}"}  # nothing anywhere else
    assert result.path.read_bytes() == b"%PDF-1.7 body"
    assert "/" not in name
    assert "\\" not in name
    assert ".." not in name
    assert not name.startswith(".")
    assert all(ch.isprintable() and ch != "\u202e" for ch in name)
    assert len(name.encode()) <= 255
    assert name.split(".")[0].upper() not in {"CON", "NUL", "PRN", "AUX", "LPT1", "COM1"}


@pytest.mark.emulator_config(faults=FaultProfile(hostile_filenames=True))
def test_emulator_hostile_filenames_are_neutralised(emulator: EmulatorServer, tmp_path: Path) -> None:
    dest = tmp_path / "a" / "b"
    dest.mkdir(parents=True)
    with ExportClient(emulator.base_url, emulator.repository_id, token=emulator.token, **FAST) as lf:
        result = lf.export(emulator.documents["letter"], ExportOptions.pdf(), dest, mode="async")
    assert result.path.parent == dest
    assert tree(tmp_path) == {"a", "a/b", f"a/b/{result.path.name}"}
    assert result.path.name.endswith(".pdf")


# ------------------------------------------------------------------------------------------ hostile zips


def _zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return buffer.getvalue()


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    info.create_system = 3
    return info


ABSOLUTE = "/tmp/lf-export-chaos-absolute-entry.txt"  # must never be created
HOSTILE_ZIPS: dict[str, bytes] = {
    "traversal": _zip([("page1.tif", b"ok"), ("../../escape.txt", b"x")]),
    "absolute": _zip([(ABSOLUTE, b"x")]),
    "drive": _zip([("C:/evil.txt", b"x")]),
    "backslash traversal": _zip([("..\\..\\evil.txt", b"x")]),
    "symlink": _zip([(_symlink("link"), b"/etc/passwd"), ("page1.tif", b"ok")]),
    "bomb": _zip([("bomb.tif", bytes(64 << 20))]),
    "too many files": _zip([(f"p{i}.tif", b"") for i in range(10_001)]),
    "case collision": _zip([("Page.tif", b"1"), ("page.TIF", b"2")]),
}


@pytest.mark.parametrize("kind", list(HOSTILE_ZIPS))
def test_hostile_zip_is_refused_and_nothing_escapes(
    origins: Callable[[], Origin], tmp_path: Path, kind: str
) -> None:
    origin = origins()
    origin.routes["/pages.zip"] = Route(
        200,
        {"Content-Type": "application/zip", "Content-Disposition": 'attachment; filename="pages.zip"'},
        HOSTILE_ZIPS[kind],
    )
    dest = tmp_path / "dest"
    dest.mkdir()
    with (
        hostile_client(f"{origin.url}/pages.zip?sig={SIG}", []) as lf,
        pytest.raises(DownloadError) as refused,
    ):
        lf.export(10, ExportOptions.single_page_tiff(), dest, mode="sync", extract=True)
    assert "nothing was extracted" in str(refused.value)
    # At most the downloaded archive itself, whole; nothing extracted, nothing outside, no symlink, no temp.
    assert tree(tmp_path) <= {"dest", "dest/pages.zip"}
    assert not any(p.is_symlink() for p in tmp_path.rglob("*"))
    assert partial_files(tmp_path) == []
    if (dest / "pages.zip").exists():
        assert (dest / "pages.zip").read_bytes() == HOSTILE_ZIPS[kind]
    assert not Path(ABSOLUTE).exists()


def test_device_names_inside_a_zip_are_renamed(origins: Callable[[], Origin], tmp_path: Path) -> None:
    origin = origins()
    origin.routes["/pages.zip"] = Route(
        200,
        {"Content-Type": "application/zip", "Content-Disposition": 'attachment; filename="pages.zip"'},
        _zip([("CON.tif", b"1"), ("aux", b"2"), ("ok.tif", b"3")]),
    )
    with hostile_client(f"{origin.url}/pages.zip?sig={SIG}", []) as lf:
        result = lf.export(10, ExportOptions.single_page_tiff(), tmp_path, mode="sync", extract=True)
    names = sorted(p.name for p in result.extracted)
    assert "ok.tif" in names
    assert all(n.split(".")[0].upper() not in {"CON", "AUX"} for n in names)
    assert all(p.parent == tmp_path / "pages" for p in result.extracted)
    assert {p.read_bytes() for p in result.extracted} == {b"1", b"2", b"3"}
