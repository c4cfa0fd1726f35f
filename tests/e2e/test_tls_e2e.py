"""Enterprise networks over real sockets: the emulator serving HTTPS from a throw-away CA (``tls=True``),
client certificates (``client_ca``), and a small forward proxy started here (loopback only, bounded).

Every failure must be a `NetworkError` whose message says which host, what failed and what to do, never a
raw ssl traceback; a proxy's password never appears in a message or a log line.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import selectors
import socket
import socketserver
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from lf_emulator.testing import EmulatorConfig, EmulatorServer
from lf_export import (
    AsyncExportClient,
    DownloadError,
    ExportClient,
    NetworkError,
    OptionsError,
    PollPolicy,
    RetryPolicy,
)
from lf_export._tls import InsecureTLSWarning

pytestmark = pytest.mark.e2e

FAST = {"task_seconds": 0.2, "long_poll_max_seconds": 2.0}
FAST_POLL = PollPolicy(initial_wait=0.01, max_wait=0.05, quick_answer=0.5)
ONCE = RetryPolicy(max_attempts=1)  # a failure is reported at once, not after the retry policy's waits


# ------------------------------------------------------------------------------------ a tiny forward proxy


class _Proxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    max_connections = 200  # bounded: a runaway test cannot make it spin forever

    def __init__(self, credentials: tuple[str, str] | None) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.credentials = credentials
        self.seen: list[tuple[str, str, bool]] = []  # (method, target, had Proxy-Authorization)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def targets(self) -> set[str]:
        return {target for method, target, _ in self.seen if method == "CONNECT"}


class _ProxyHandler(socketserver.BaseRequestHandler):
    server: _Proxy

    def handle(self) -> None:
        client: socket.socket = self.request
        client.settimeout(10)
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            chunk = client.recv(4096)
            if not chunk:
                return
            head += chunk
        head, _, rest = head.partition(b"\r\n\r\n")
        line, *lines = head.decode("latin-1").split("\r\n")
        method, target, _version = line.split(" ", 2)
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines)}
        auth = headers.get("proxy-authorization")
        proxy = self.server
        if len(proxy.seen) >= proxy.max_connections:
            return
        proxy.seen.append((method, target, auth is not None))
        if proxy.credentials is not None:
            expected = "Basic " + base64.b64encode(":".join(proxy.credentials).encode()).decode()
            if auth != expected:
                client.sendall(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n"
                    b"Content-Length: 0\r\nConnection: close\r\n\r\n"
                )
                return
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
        else:  # absolute-form: http://host:port/path
            authority = target.split("://", 1)[1].split("/", 1)[0]
            host, _, port = authority.rpartition(":")
        if host not in ("127.0.0.1", "localhost"):  # loopback only
            client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        with socket.create_connection((host, int(port)), timeout=10) as upstream:
            if method == "CONNECT":
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            else:
                path = "/" + target.split("://", 1)[1].split("/", 1)[1]
                kept = [h for h in lines if not h.lower().startswith(("proxy-", "connection:"))]
                upstream.sendall(
                    "\r\n".join([f"{method} {path} {_version}", *kept, "Connection: close", "", ""]).encode(
                        "latin-1"
                    )
                    + rest
                )
            _pipe(client, upstream)


def _pipe(a: socket.socket, b: socket.socket) -> None:
    with selectors.DefaultSelector() as sel:
        sel.register(a, selectors.EVENT_READ, b)
        sel.register(b, selectors.EVENT_READ, a)
        while True:
            events = sel.select(timeout=10)
            if not events:
                return
            for key, _ in events:
                data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                if not data:
                    return
                key.data.sendall(data)


@contextlib.contextmanager
def forward_proxy(credentials: tuple[str, str] | None = None) -> Iterator[_Proxy]:
    proxy = _Proxy(credentials)
    thread = threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(10)


# --------------------------------------------------------------------------------------------- fixtures


@pytest.fixture
def tls_emulator(request: pytest.FixtureRequest) -> Iterator[EmulatorServer]:
    marker = request.node.get_closest_marker("emulator_config")
    with EmulatorServer(EmulatorConfig(tls=True, **{**FAST, **(marker.kwargs if marker else {})})) as emu:
        yield emu


def client(emu: EmulatorServer, **options: Any) -> ExportClient:
    return ExportClient(emu.base_url, emu.repository_id, token=emu.token, poll=FAST_POLL, **options)


def failure(emu: EmulatorServer, **options: Any) -> str:
    with pytest.raises(NetworkError) as info, client(emu, retry=ONCE, **options) as lf:
        lf.entry(emu.documents["one_page"])
    message = str(info.value)
    assert "Traceback" not in message
    assert "SSLCertVerificationError" not in message
    return message


def host_of(emu: EmulatorServer) -> str:
    return emu.origin.split("://", 1)[1]


# ------------------------------------------------------------------------------------------------ tests


def test_the_emulator_speaks_https_with_a_ca_bundle(tls_emulator: EmulatorServer) -> None:
    assert tls_emulator.base_url.startswith("https://")
    assert tls_emulator.links_url.startswith("https://")
    assert tls_emulator.ca_bundle is not None
    assert "BEGIN CERTIFICATE" in Path(tls_emulator.ca_bundle).read_text()


def test_trusted_ca_exports_and_downloads(tls_emulator: EmulatorServer, tmp_path: Path) -> None:
    with client(tls_emulator, verify=tls_emulator.ca_bundle) as lf:
        result = lf.export(tls_emulator.documents["one_page"], dest=tmp_path)
    assert result.path.stat().st_size == result.size > 0


async def test_trusted_ca_async(tls_emulator: EmulatorServer, tmp_path: Path) -> None:
    async with AsyncExportClient(
        tls_emulator.base_url,
        tls_emulator.repository_id,
        token=tls_emulator.token,
        poll=FAST_POLL,
        verify=tls_emulator.ca_bundle,
    ) as lf:
        result = await lf.export(tls_emulator.documents["one_page"], dest=tmp_path)
    assert result.size > 0


def test_ssl_cert_file_is_honoured(
    tls_emulator: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_emulator.ca_bundle))
    with client(tls_emulator) as lf:
        assert lf.export(tls_emulator.documents["one_page"], dest=tmp_path).size > 0
    assert "not trusted" in failure(tls_emulator, trust_env=False)


def test_untrusted_ca_says_what_to_do(tls_emulator: EmulatorServer) -> None:
    message = failure(tls_emulator)
    assert host_of(tls_emulator) in message
    assert "certificate authority not trusted" in message
    assert "--ca-bundle FILE" in message


@pytest.mark.emulator_config(tls_names=("lf.example.test",))
def test_wrong_host_name(tls_emulator: EmulatorServer) -> None:
    message = failure(tls_emulator, verify=tls_emulator.ca_bundle)
    assert "for another host name" in message
    assert host_of(tls_emulator) in message


@pytest.mark.emulator_config(tls_expired=True)
def test_expired_certificate(tls_emulator: EmulatorServer) -> None:
    message = failure(tls_emulator, verify=tls_emulator.ca_bundle)
    assert "has expired" in message


def test_verify_false_works_and_warns_every_time(tls_emulator: EmulatorServer, tmp_path: Path) -> None:
    for _ in range(2):
        with pytest.warns(InsecureTLSWarning, match="NOT verified"), client(tls_emulator, verify=False) as lf:
            assert lf.entry(tls_emulator.documents["one_page"]).entry_id > 0


def test_download_verify_is_a_separate_setting(tls_emulator: EmulatorServer, tmp_path: Path) -> None:
    doc = tls_emulator.documents["one_page"]
    # The API trusts the emulator's CA; links checked against the default store fail (as for another CA).
    with (
        pytest.raises(DownloadError) as info,
        client(tls_emulator, verify=tls_emulator.ca_bundle, download_verify=True) as lf,
    ):
        lf.export(doc, dest=tmp_path)
    assert "not trusted" in str(info.value)
    assert "--ca-bundle" in str(info.value)
    assert tls_emulator.links_url.split("://", 1)[1] in str(info.value)
    with (
        client(tls_emulator, verify=True, download_verify=tls_emulator.ca_bundle) as lf,
        pytest.raises(NetworkError),
    ):
        lf.entry(doc)
    with client(tls_emulator, verify=tls_emulator.ca_bundle, download_verify=tls_emulator.ca_bundle) as lf:
        assert lf.export(doc, dest=tmp_path, overwrite=True).size > 0


# ------------------------------------------------------------------------------------ client certificates


@pytest.mark.emulator_config(client_ca="emulator")
def test_client_certificate_given(tls_emulator: EmulatorServer, tmp_path: Path) -> None:
    cert, key = tls_emulator.issue_client_cert()
    with client(tls_emulator, verify=tls_emulator.ca_bundle, cert=(cert, key)) as lf:
        result = lf.export(tls_emulator.documents["one_page"], dest=tmp_path)  # the links origin asks too
    assert result.size > 0


@pytest.mark.emulator_config(client_ca="emulator")
def test_client_certificate_missing_or_untrusted(tls_emulator: EmulatorServer, tmp_path: Path) -> None:
    message = failure(tls_emulator, verify=tls_emulator.ca_bundle)
    assert host_of(tls_emulator) in message
    assert "client certificate" in message
    assert "--client-cert" in message
    stranger = tmp_path / "stranger.pem"
    trustme.CA().issue_cert("x@clients.test").private_key_and_cert_chain_pem.write_to_path(str(stranger))
    assert "client certificate" in failure(tls_emulator, verify=tls_emulator.ca_bundle, cert=str(stranger))


# ------------------------------------------------------------------------------------------------- proxies


def test_proxy_carries_api_calls_and_downloads(
    tls_emulator: EmulatorServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with forward_proxy(("proxyuser", "pr0xy-secret")) as proxy:
        proxy_url = proxy.url.replace("http://", "http://proxyuser:pr0xy-secret@")
        with client(tls_emulator, verify=tls_emulator.ca_bundle, proxy=proxy_url) as lf:
            result = lf.export(tls_emulator.documents["one_page"], dest=tmp_path)
    assert result.size > 0
    api, links = host_of(tls_emulator), tls_emulator.links_url.split("://", 1)[1]
    assert proxy.targets() == {api, links}
    assert all(had_auth for _, _, had_auth in proxy.seen)
    assert "pr0xy-secret" not in caplog.text


def test_https_proxy_from_the_environment_and_no_proxy(
    tls_emulator: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with forward_proxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        with client(tls_emulator, verify=tls_emulator.ca_bundle) as lf:
            assert lf.export(tls_emulator.documents["one_page"], dest=tmp_path).size > 0
        assert len(proxy.targets()) == 2
        proxy.seen.clear()
        with client(tls_emulator, verify=tls_emulator.ca_bundle, trust_env=False) as lf:
            lf.entry(tls_emulator.documents["one_page"])
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        with client(tls_emulator, verify=tls_emulator.ca_bundle) as lf:
            lf.entry(tls_emulator.documents["one_page"])
        assert proxy.seen == []


def test_plain_http_through_a_forward_proxy(emulator: EmulatorServer, tmp_path: Path) -> None:
    with forward_proxy() as proxy, client(emulator, proxy=proxy.url) as lf:
        assert lf.export(emulator.documents["one_page"], dest=tmp_path).size > 0
    assert {method for method, _, _ in proxy.seen} >= {"GET", "POST"}


def test_a_proxy_that_refuses(tls_emulator: EmulatorServer, emulator: EmulatorServer) -> None:
    with forward_proxy(("proxyuser", "right")) as proxy:
        wrong = proxy.url.replace("http://", "http://proxyuser:wrong-secret@")
        message = failure(tls_emulator, verify=tls_emulator.ca_bundle, proxy=wrong)
        assert f"the proxy {proxy.url} refused to connect to {host_of(tls_emulator)}" in message
        assert "407" in message
        assert "wrong-secret" not in message
        plain = failure(emulator, proxy=wrong)  # a forward proxy's 407 is the proxy's, not the API's
        assert "407" in plain
        assert "the proxy" in plain
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    message = failure(tls_emulator, verify=tls_emulator.ca_bundle, proxy=f"http://u:hush@127.0.0.1:{port}")
    assert f"the proxy http://127.0.0.1:{port} refused the connection" in message
    assert "hush" not in message


def test_cloud_sign_in_through_a_proxy(tls_emulator: EmulatorServer, tmp_path: Path) -> None:
    key = tls_emulator.generate_access_key()
    with forward_proxy() as proxy:
        with ExportClient.from_access_key(
            key.service_principal_key,
            key.access_key,
            repository_id=tls_emulator.repository_id,
            base_url=tls_emulator.base_url,
            token_url=tls_emulator.token_url,
            poll=FAST_POLL,
            verify=tls_emulator.ca_bundle,
            proxy=proxy.url,
        ) as lf:
            assert lf.export(tls_emulator.documents["one_page"], dest=tmp_path).size > 0
        assert host_of(tls_emulator) in proxy.targets()
    assert tls_emulator.counters()["requests"].get("CloudSignIn", 1) >= 1


def test_invalid_settings_are_one_options_error(tls_emulator: EmulatorServer, tmp_path: Path) -> None:
    with pytest.raises(OptionsError) as info:
        client(
            tls_emulator, verify=str(tmp_path / "missing.pem"), proxy="ftp://u:pw@proxy:21", cert="nope.pem"
        )
    fields = [issue.field for issue in info.value.issues]
    assert fields == ["verify", "proxy"] or set(fields) >= {"verify", "proxy"}
    assert "pw" not in str(info.value).replace("proxy", "")


def test_no_warning_without_verify_false(tls_emulator: EmulatorServer) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", InsecureTLSWarning)
        client(tls_emulator, verify=tls_emulator.ca_bundle).close()


def test_async_proxy_and_client_certificate(tmp_path: Path) -> None:
    config = EmulatorConfig(tls=True, client_ca="emulator", **FAST)
    with EmulatorServer(config) as emu, forward_proxy() as proxy:
        cert, key = emu.issue_client_cert()

        async def run() -> int:
            async with AsyncExportClient(
                emu.base_url,
                emu.repository_id,
                token=emu.token,
                poll=FAST_POLL,
                verify=emu.ca_bundle,
                cert=(cert, key),
                proxy=proxy.url,
            ) as lf:
                return (await lf.export(emu.documents["one_page"], dest=tmp_path)).size

        assert asyncio.run(run()) > 0
        assert len(proxy.targets()) == 2
