"""`lf-export` over real TLS (issue 20): the emulator serves HTTPS from a throw-away CA (``tls=True``), and a
small forward proxy started here (loopback only, bounded) carries the requests of ``--proxy``.

Every failure is one readable message with its documented exit code, never a traceback; a proxy's password
never appears in any output (human, -vv, --json).
"""

from __future__ import annotations

import base64
import contextlib
import selectors
import socket
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lf_emulator.testing import EmulatorConfig, EmulatorServer

from .conftest import Cli, Result, base_env, connection_env

pytestmark = pytest.mark.e2e

FAST: dict[str, Any] = {"task_seconds": 0.2, "long_poll_max_seconds": 2.0}
PROXY_PASSWORD = "pr0xy-s3cret-pw"


# --------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def tls_emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(tls=True, **FAST)) as emu:
        yield emu


@pytest.fixture
def tls_cli(tls_emulator: EmulatorServer, tmp_path: Path) -> Cli:
    work = tmp_path / "work"
    work.mkdir()
    return Cli(tls_emulator, work, {**base_env(tmp_path / "home"), **connection_env(tls_emulator)})


def ca(emu: EmulatorServer) -> str:
    assert emu.ca_bundle is not None
    return emu.ca_bundle


def doc(emu: EmulatorServer) -> str:
    return str(emu.documents["one_page"])


def exported(cli: Cli, *args: str, env: dict[str, str | None] | None = None) -> Result:
    result = cli.run("export", doc(cli.emulator), "--out", "out", "--overwrite", *args, env=env)
    assert result.returncode == 0, result
    assert any(p.is_file() and p.stat().st_size > 0 for p in (cli.cwd / "out").iterdir()), result
    return result


def assert_clean(result: Result) -> None:
    text = result.stdout + result.stderr
    assert "Traceback" not in text, result
    assert "SSLCertVerificationError" not in text, result


# ------------------------------------------------------------------------------------------ a CA bundle


def test_ca_bundle_flag_exports(tls_cli: Cli) -> None:
    result = exported(tls_cli, "--ca-bundle", ca(tls_cli.emulator))
    assert_clean(result)
    assert "warning" not in result.stderr


def test_untrusted_certificate_is_one_friendly_error(tls_cli: Cli) -> None:
    result = tls_cli.run("export", doc(tls_cli.emulator), "--out", "out")
    assert result.returncode == 4, result  # a network error (the exit-code table)
    assert_clean(result)
    assert "certificate authority not trusted" in result.stderr
    assert "--ca-bundle FILE" in result.stderr
    assert tls_cli.emulator.base_url.split("://", 1)[1].split("/", 1)[0] in result.stderr

    as_json = tls_cli.run("ls", "1", "--json")
    assert as_json.returncode == 4, as_json
    assert_clean(as_json)
    error = as_json.json()["error"]
    assert error["type"] == "NetworkError"
    assert error["exit_code"] == 4
    assert "--ca-bundle FILE" in error["message"]


def test_ca_bundle_from_the_environment_and_the_config_file(tls_cli: Cli, tmp_path: Path) -> None:
    exported(tls_cli, env={"LF_CA_BUNDLE": ca(tls_cli.emulator)})

    config = tmp_path / "config.toml"
    config.write_text(f"ca_bundle = {ca(tls_cli.emulator)!r}\n", encoding="utf-8")
    exported(tls_cli, "--config", str(config))


def test_flag_then_environment_then_config_file(tls_cli: Cli, tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-ca.pem")
    config = tmp_path / "config.toml"
    config.write_text(f"ca_bundle = {missing!r}\n", encoding="utf-8")
    # The flag wins over a bad variable and a bad file; the variable over a bad file.
    exported(
        tls_cli, "--config", str(config), "--ca-bundle", ca(tls_cli.emulator), env={"LF_CA_BUNDLE": missing}
    )
    exported(tls_cli, "--config", str(config), env={"LF_CA_BUNDLE": ca(tls_cli.emulator)})
    # The file's bad value is named by the file and its key.
    result = tls_cli.run("ls", "1", "--config", str(config))
    assert result.returncode == 2, result
    assert f"ca_bundle in --config {config}" in result.stderr
    assert "must be an existing CA bundle file or folder" in result.stderr


def test_bad_settings_are_one_usage_error_named_by_flag(tls_cli: Cli, tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-ca.pem")
    result = tls_cli.run(
        "ls",
        "1",
        "--ca-bundle",
        missing,
        "--client-cert",
        missing,
        "--download-ca-bundle",
        missing,
        "--json",
        env={"LF_REPOSITORY_ID": None},
    )
    assert result.returncode == 2, result
    assert_clean(result)
    problems = result.json()["error"]["problems"]
    joined = "\n".join(problems)
    assert "no repository" in joined  # collected with the other problems, in one error
    assert "--ca-bundle: must be an existing CA bundle" in joined
    assert "--client-cert: must name existing files" in joined
    assert "--download-ca-bundle: must be an existing CA bundle" in joined
    assert "verify" not in joined  # the library's field names, translated
    assert "cert:" not in joined.replace("--client-cert:", "")

    from_env = tls_cli.run("ls", "1", env={"LF_CA_BUNDLE": missing})
    assert from_env.returncode == 2, from_env
    assert "LF_CA_BUNDLE: must be an existing CA bundle" in from_env.stderr


def test_download_ca_bundle(tls_cli: Cli) -> None:
    exported(tls_cli, "--ca-bundle", ca(tls_cli.emulator), "--download-ca-bundle", ca(tls_cli.emulator))


# ------------------------------------------------------------------------------------------- --insecure


def test_insecure_warns_once_and_works(tls_cli: Cli) -> None:
    result = exported(tls_cli, "--insecure")
    warnings = [line for line in result.stderr.splitlines() if "NOT verified" in line]
    assert len(warnings) == 1, result
    assert warnings[0].startswith("warning: --insecure")
    assert "InsecureTLSWarning" not in result.stderr  # the library's Python warning is not repeated
    assert_clean(result)
    # Even with --quiet: nothing proves who answers.
    quiet = exported(tls_cli, "--insecure", "-q")
    assert "NOT verified" in quiet.stderr


def test_insecure_from_the_config_file(tls_cli: Cli, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("insecure = true\n", encoding="utf-8")
    result = exported(tls_cli, "--config", str(config))
    assert f"insecure in --config {config}" in result.stderr
    assert "NOT verified" in result.stderr

    config.write_text('insecure = "yes"\n', encoding="utf-8")
    bad = tls_cli.run("ls", "1", "--config", str(config))
    assert bad.returncode == 2, bad
    assert "insecure must be true or false" in bad.stderr


def test_ca_bundle_with_insecure_is_a_usage_error(tls_cli: Cli) -> None:
    result = tls_cli.run("ls", "1", "--insecure", "--ca-bundle", ca(tls_cli.emulator))
    assert result.returncode == 2, result
    assert "--insecure and --ca-bundle cannot be combined" in result.stderr
    assert_clean(result)


# ------------------------------------------------------------------------------------ client certificates


def test_client_key_alone_is_a_usage_error(tls_cli: Cli, tmp_path: Path) -> None:
    key = tmp_path / "key.pem"
    key.write_text("not used\n", encoding="utf-8")
    result = tls_cli.run("ls", "1", "--client-key", str(key), "--ca-bundle", ca(tls_cli.emulator))
    assert result.returncode == 2, result
    assert "--client-key needs --client-cert" in result.stderr
    assert_clean(result)


def test_client_certificate_given_and_not_given(tmp_path: Path) -> None:
    with EmulatorServer(EmulatorConfig(tls=True, client_ca="emulator", **FAST)) as emu:
        work = tmp_path / "work"
        work.mkdir()
        cli = Cli(emu, work, {**base_env(tmp_path / "home"), **connection_env(emu)})
        cert, key = emu.issue_client_cert()
        exported(cli, "--ca-bundle", ca(emu), "--client-cert", cert, "--client-key", key)

        combined = tmp_path / "client.pem"
        combined.write_text(Path(cert).read_text() + Path(key).read_text(), encoding="utf-8")
        config = tmp_path / "config.toml"
        config.write_text(f"ca_bundle = {ca(emu)!r}\nclient_cert = {str(combined)!r}\n", encoding="utf-8")
        exported(cli, "--config", str(config))

        refused = cli.run("ls", "1", "--ca-bundle", ca(emu))
        assert refused.returncode == 4, refused
        assert_clean(refused)


# ------------------------------------------------------------------------------------------------ --proxy


class _Proxy(socketserver.ThreadingTCPServer):
    """A CONNECT proxy for loopback targets, with Basic credentials."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, user: str, password: str) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.connects: list[str] = []

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"


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
        line, *lines = head.partition(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
        method, target, _ = line.split(" ", 2)
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines)}
        if headers.get("proxy-authorization") != self.server.expected:
            client.sendall(
                b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n"
                b"Content-Length: 0\r\nConnection: close\r\n\r\n"
            )
            return
        host, _, port = target.rpartition(":")
        if method != "CONNECT" or host not in ("127.0.0.1", "localhost") or len(self.server.connects) > 200:
            client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        self.server.connects.append(target)
        with socket.create_connection((host, int(port)), timeout=10) as upstream:
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            with selectors.DefaultSelector() as sel:
                sel.register(client, selectors.EVENT_READ, upstream)
                sel.register(upstream, selectors.EVENT_READ, client)
                while events := sel.select(timeout=10):
                    for key, _ in events:
                        data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                        if not data:
                            return
                        key.data.sendall(data)


@contextlib.contextmanager
def forward_proxy(user: str, password: str) -> Iterator[_Proxy]:
    proxy = _Proxy(user, password)
    thread = threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(10)


def test_proxy_carries_the_requests_and_its_password_is_never_printed(tls_cli: Cli) -> None:
    emu = tls_cli.emulator
    with forward_proxy("alice", PROXY_PASSWORD) as proxy:
        url = f"http://alice:{PROXY_PASSWORD}@{proxy.address}"
        results = [
            exported(tls_cli, "--ca-bundle", ca(emu), "--proxy", url, "-vv"),
            exported(tls_cli, "--ca-bundle", ca(emu), "--proxy", url, "--json"),
        ]
        api_host = emu.base_url.split("://", 1)[1].split("/", 1)[0]
        links_host = emu.links_url.split("://", 1)[1]
        assert {api_host, links_host} <= set(proxy.connects)  # the API calls and the downloads
        assert f"proxy http://{proxy.address}" in results[0].stderr  # -v names it without credentials
        assert "--proxy with a password puts it in your shell history" in results[0].stderr

        wrong_url = f"http://alice:{PROXY_PASSWORD}-wrong@{proxy.address}"
        wrong = tls_cli.run("ls", "1", "--ca-bundle", ca(emu), "--proxy", wrong_url, "-vv", "--json")
        assert wrong.returncode == 4, wrong
        assert_clean(wrong)
        assert proxy.address in wrong.stderr
        results.append(wrong)

        config = tls_cli.cwd / "config.toml"
        config.write_text(f"ca_bundle = {ca(emu)!r}\nproxy = {url!r}\n", encoding="utf-8")
        results.append(exported(tls_cli, "--config", str(config), "-vv"))
        assert "shell history" not in results[-1].stderr

    bad = tls_cli.run("ls", "1", "--proxy", f"ftp://alice:{PROXY_PASSWORD}@proxy.example:21", "--json")
    assert bad.returncode == 2, bad
    assert "--proxy: must be a proxy URL" in bad.stdout
    results.append(bad)
    for result in results:
        assert PROXY_PASSWORD not in result.stdout + result.stderr, result
