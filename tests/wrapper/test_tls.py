"""TLS and proxy settings without a network: validation (one OptionsError naming field, value and rule), the
contexts built, the insecure warning, env proxies as httpx reads them, and the words for failures."""

from __future__ import annotations

import ssl
import warnings
from pathlib import Path

import httpx
import pytest
import trustme
from lf_export import ExportClient, OptionsError
from lf_export._download import download_link_client
from lf_export._responses import network_error
from lf_export._tls import InsecureTLSWarning, NetworkSettings, shown_proxy
from lf_export._tls_errors import describe_failure, lasting_failure


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def client_pem(ca: trustme.CA, tmp_path: Path) -> tuple[str, str]:
    leaf = ca.issue_cert("me@clients.test")
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    leaf.cert_chain_pems[0].write_to_path(str(cert))
    leaf.private_key_pem.write_to_path(str(key))
    return str(cert), str(key)


def test_defaults_are_httpx_defaults() -> None:
    network = NetworkSettings.make()
    assert not network.custom
    assert network.insecure == ()
    assert network.download_context is network.context
    assert network.context.verify_mode == ssl.CERT_REQUIRED
    assert network.context.check_hostname


def test_ca_bundle_and_client_certificate(ca_file: str, client_pem: tuple[str, str]) -> None:
    network = NetworkSettings.make(verify=ca_file, cert=client_pem)
    assert network.custom
    assert len(network.context.get_ca_certs()) == 1
    assert network.download_context is network.context  # same TLS settings (client certificate too)


def test_download_verify_gets_its_own_context_without_the_client_certificate(
    ca_file: str, client_pem: tuple[str, str]
) -> None:
    network = NetworkSettings.make(verify=ca_file, cert=client_pem, download_verify=True)
    assert network.download_context is not network.context
    assert network.download_context.verify_mode == ssl.CERT_REQUIRED


def test_an_ssl_context_is_used_as_is(ca_file: str) -> None:
    context = ssl.create_default_context(cafile=ca_file)
    assert NetworkSettings.make(verify=context).context is context


def test_ssl_cert_file_follows_trust_env(ca_file: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", ca_file)
    assert len(NetworkSettings.make().context.get_ca_certs()) == 1
    assert len(NetworkSettings.make(trust_env=False).context.get_ca_certs()) > 1  # certifi's


def test_invalid_settings_one_error_naming_field_value_rule(tmp_path: Path) -> None:
    with pytest.raises(OptionsError) as info:
        ExportClient(
            "https://lf.example",
            "r-1",
            token="t",
            verify=str(tmp_path / "missing.pem"),
            cert=str(tmp_path / "nocert.pem"),
            proxy="ftp://user:s3cret@proxy.example:21",
            trust_env="yes",  # type: ignore[arg-type]
        )
    issues = {issue.field: issue for issue in info.value.issues}
    assert set(issues) == {"verify", "cert", "proxy", "trust_env"}
    assert "missing.pem" in str(issues["verify"].value)
    assert "existing CA bundle" in issues["verify"].rule
    assert "must name existing files" in issues["cert"].rule
    assert issues["proxy"].value == "ftp://proxy.example"  # 21 is ftp's default port
    assert "s3cret" not in str(info.value)


@pytest.mark.parametrize(
    ("verify", "rule"),
    [(123, "must be True, False, a CA bundle"), ("", "must be True, False, a CA bundle")],
)
def test_verify_must_be_a_known_kind(verify: object, rule: str) -> None:
    with pytest.raises(OptionsError, match=rule):
        NetworkSettings.make(verify=verify)  # type: ignore[arg-type]


def test_a_file_without_certificates_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pem"
    empty.write_text("not a certificate\n")
    with pytest.raises(OptionsError) as info:
        NetworkSettings.make(verify=str(empty))
    assert info.value.issues[0].field == "verify"


def test_cert_with_an_ssl_context_is_refused(client_pem: tuple[str, str]) -> None:
    with pytest.raises(OptionsError, match="load the client certificate into it"):
        NetworkSettings.make(verify=ssl.create_default_context(), cert=client_pem)


def test_mismatched_cert_and_key(ca: trustme.CA, client_pem: tuple[str, str], tmp_path: Path) -> None:
    other = tmp_path / "other-key.pem"
    ca.issue_cert("x@clients.test").private_key_pem.write_to_path(str(other))
    with pytest.raises(OptionsError) as info:
        NetworkSettings.make(cert=(client_pem[0], str(other)))
    assert info.value.issues[0].field == "cert"


def test_settings_and_a_callers_transport_do_not_mix(ca_file: str) -> None:
    mock = httpx.MockTransport(lambda request: httpx.Response(200))
    with pytest.raises(OptionsError) as info:
        ExportClient("https://lf.example", "r-1", token="t", verify=ca_file, transport=mock)
    assert info.value.issues[0].field == "transport"
    with pytest.raises(OptionsError):
        download_link_client(transport=mock, proxy="http://proxy.example:3128")


def test_verify_false_warns_on_every_client() -> None:
    with warnings.catch_warnings(record=True) as caught:
        for _ in range(3):
            ExportClient("https://lf.example", "r-1", token="t", verify=False).close()
    record = [w for w in caught if w.category is InsecureTLSWarning]
    assert len(record) == 3  # not only the first: the filter is "always"
    assert "the API and download links" in str(record[0].message)
    with pytest.warns(InsecureTLSWarning, match="download links"):
        download_link_client(verify=False).close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ExportClient("https://lf.example", "r-1", token="t").close()


def test_proxy_credentials_never_shown() -> None:
    network = NetworkSettings.make(proxy="http://me:pa55word@proxy.example:3128")
    assert "pa55word" not in repr(network)
    assert shown_proxy("http://me:pa55word@proxy.example:3128") == "http://proxy.example:3128"


def _failing(
    message: str, cause: BaseException | None = None, url: str = "https://lf.example/x"
) -> Exception:
    exc = httpx.ConnectError(message, request=httpx.Request("GET", url))
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(
    ("code", "text", "words"),
    [
        (20, "unable to get local issuer certificate", "not trusted"),
        (19, "self-signed certificate in certificate chain", "not trusted"),
        (10, "certificate has expired", "has expired"),
        (9, "certificate is not yet valid", "not valid yet"),
        (62, "Hostname mismatch, certificate is not valid for 'lf.example'.", "another host name"),
    ],
)
def test_certificate_failures_in_words(code: int, text: str, words: str) -> None:
    cause = ssl.SSLCertVerificationError(
        1, f"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: {text}"
    )
    cause.verify_code, cause.verify_message = code, text
    exc = _failing(str(cause), cause)
    what, _hint = describe_failure(exc, "lf.example") or ("", "")
    assert words in what
    assert "lf.example" in what
    assert lasting_failure(exc, "lf.example") is not None
    error = network_error(exc, what="GetEntry")
    assert "GetEntry to lf.example failed" in str(error)
    assert words in str(error)


def test_certificate_failure_from_the_text_alone() -> None:
    exc = _failing(
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1)"
    )
    assert "has expired" in str(network_error(exc))


def test_client_certificate_alerts() -> None:
    required = httpx.ReadError(
        "[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required",
        request=httpx.Request("GET", "https://lf.example/x"),
    )
    assert "requires a client certificate" in describe_failure(required, "lf.example")[0]  # type: ignore[index]
    rejected = _failing("[SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1 alert unknown ca")
    assert "did not accept the client certificate" in describe_failure(rejected, "lf.example")[0]  # type: ignore[index]


def test_proxy_failures_in_words() -> None:
    request = httpx.Request("GET", "https://lf.example/x")
    refused = httpx.ProxyError(
        "407 Proxy Authentication Required [through the proxy http://p:3128]", request=request
    )
    what, hint = describe_failure(refused, "lf.example") or ("", "")
    assert (
        what == "the proxy http://p:3128 refused to connect to lf.example (407 Proxy Authentication Required)"
    )
    assert "credentials" in hint
    forbidden = httpx.ProxyError("403 Forbidden [through the proxy http://p:3128]", request=request)
    assert "NO_PROXY" in (describe_failure(forbidden, "lf.example") or ("", ""))[1]
    down = _failing("[Errno 111] Connection refused [through the proxy http://p:3128]")
    assert describe_failure(down, "lf.example")[0] == "the proxy http://p:3128 refused the connection"  # type: ignore[index]
    assert lasting_failure(down, "lf.example") is None  # may come back: left to the retry policy


def test_other_failures_are_not_ours() -> None:
    assert describe_failure(_failing("[Errno 111] Connection refused"), "lf.example") is None
    assert "connection refused" in str(network_error(_failing("[Errno 111] Connection refused")))


def test_env_proxies_route_as_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "lf.internal")
    transport = NetworkSettings.make().transport()
    picked = transport._pick  # type: ignore[attr-defined]
    assert picked(httpx.URL("https://lf.example/x")) is not picked(httpx.URL("https://lf.internal/x"))
    assert picked(httpx.URL("https://lf.internal/x")) is transport._direct  # type: ignore[attr-defined]
    assert isinstance(NetworkSettings.make(trust_env=False).transport(), httpx.HTTPTransport)
    transport.close()
