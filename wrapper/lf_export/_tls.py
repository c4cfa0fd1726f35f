"""TLS and proxy settings of both HTTP clients (the words for their failures are in `_tls_errors`).

`NetworkSettings.make` checks ``verify=``, ``cert=``, ``proxy=``, ``trust_env=`` and ``download_verify=`` once
(every problem in one `OptionsError`) and builds the `ssl.SSLContext` each client uses, so the same rules hold
on every supported httpx (0.27 deprecates nothing we use; 0.28 wants contexts, not paths):

- ``verify``: True (the system's CA store as httpx finds it: certifi, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``
  when `trust_env`), a CA bundle file or a folder of hashed CA certificates, an `ssl.SSLContext` (used as
  is), or False (no verification at all: an `InsecureTLSWarning` on every client made that way).
- ``cert``: the client certificate, a PEM file holding certificate and key, or a (certificate, key) pair.
- ``proxy``: an ``http://``, ``https://`` or ``socks5://`` proxy URL for every request. Without one and with
  `trust_env`, httpx's environment rules apply: ``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``, ``NO_PROXY``.
- ``download_verify``: how download links are verified when they live on another host with another CA;
  None (the default) uses the API's context, client certificate included. Any other value makes a context
  of its own, without the client certificate: the API's identity is not shown to the storage host.

`transport()` / `async_transport()` give httpx transports with those settings. A request that goes through a
proxy and fails names the proxy (never its credentials) in the error text, and a forward proxy's 407 becomes
an `httpx.ProxyError`, so `describe_failure` can tell "the proxy refused" from "the server refused".
`_tls_errors.describe_failure` says what a certificate or proxy failure was (see `_responses.network_error`).
"""

from __future__ import annotations

import os
import ssl
import sys
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

import attrs
import httpx

from ._errors import OptionIssue, OptionsError

__all__ = [
    "CertSetting",
    "InsecureTLSWarning",
    "NetworkSettings",
    "VerifySetting",
    "shown_proxy",
]

VerifySetting: TypeAlias = "bool | str | os.PathLike[str] | ssl.SSLContext"
CertSetting: TypeAlias = (
    "str | os.PathLike[str] | tuple[str | os.PathLike[str], str | os.PathLike[str]] | None"
)

_PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


class InsecureTLSWarning(UserWarning):
    """A client was made with ``verify=False``: nothing proves who answers, so anyone on the way can read
    and change every request, the bearer token included. Shown every time (see `warn_if_insecure`)."""


def shown_proxy(url: str) -> str:
    """A proxy URL as it may appear in a message or a log line: scheme, host and port, never credentials."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return "<invalid proxy URL>"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}"


def _no_password() -> str:
    # An encrypted key must not make OpenSSL prompt on the terminal: an empty password fails instead.
    return ""


def _load_cert(context: ssl.SSLContext, cert: CertSetting) -> str | None:
    """Load the client certificate into `context`; the rule it breaks, or None."""
    if isinstance(cert, tuple):
        if len(cert) != 2 or not all(isinstance(p, str | os.PathLike) for p in cert):
            return "must be a PEM file, or a (certificate file, key file) pair"
        certfile, keyfile = os.fspath(cert[0]), os.fspath(cert[1])
    elif isinstance(cert, str | os.PathLike):
        certfile, keyfile = os.fspath(cert), None
    else:
        return "must be a PEM file, or a (certificate file, key file) pair"
    for path in (certfile, keyfile):
        if path is not None and not Path(path).is_file():
            return f"must name existing files ({path} is not a file)"
    try:
        context.load_cert_chain(certfile, keyfile, password=_no_password)
    except ssl.SSLError as exc:
        reason = exc.reason or str(exc)
        if "BAD_DECRYPT" in str(reason).upper() or "bad decrypt" in str(exc).lower():
            return "the key is encrypted; give an unencrypted PEM key"
        return f"must be a PEM certificate with its private key ({reason})"
    except OSError as exc:
        return f"must be readable PEM files ({exc.strerror or exc})"
    return None


def _context(field: str, verify: object, trust_env: bool, issues: list[OptionIssue]) -> ssl.SSLContext | None:
    """The context `verify` asks for (no client certificate yet), or None with an issue added."""
    if verify is True:
        return httpx.create_ssl_context(trust_env=trust_env)
    if verify is False:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if isinstance(verify, ssl.SSLContext):
        return verify
    rule = "must be True, False, a CA bundle file or folder, or an ssl.SSLContext"
    if not isinstance(verify, str | os.PathLike) or not os.fspath(verify):
        issues.append(OptionIssue(field, verify, rule))
        return None
    path = Path(os.fspath(verify))
    try:
        if path.is_dir():
            return ssl.create_default_context(capath=str(path))
        if path.is_file():
            context = ssl.create_default_context(cafile=str(path))
            if not context.get_ca_certs():
                issues.append(OptionIssue(field, str(path), "must hold at least one CA certificate (PEM)"))
                return None
            return context
    except ssl.SSLError as exc:
        issues.append(OptionIssue(field, str(path), f"must be a PEM file of CA certificates ({exc.reason})"))
        return None
    except OSError as exc:
        issues.append(OptionIssue(field, str(path), f"must be a readable file ({exc.strerror or exc})"))
        return None
    issues.append(OptionIssue(field, str(path), "must be an existing CA bundle file or folder"))
    return None


def _proxy_issues(proxy: object) -> list[OptionIssue]:
    if proxy is None:
        return []
    rule = "must be a proxy URL such as http://proxy.example:3128 (http, https or socks5)"
    if not isinstance(proxy, str):
        return [OptionIssue("proxy", type(proxy).__name__, rule)]
    try:
        parsed = httpx.URL(proxy)
    except httpx.InvalidURL:
        return [OptionIssue("proxy", "<invalid URL>", rule)]
    if parsed.scheme not in _PROXY_SCHEMES or not parsed.host:
        return [OptionIssue("proxy", shown_proxy(proxy), rule)]
    if parsed.scheme.startswith("socks"):
        try:
            import importlib

            importlib.import_module("socksio")  # httpx's socks support
        except ImportError:
            rule = "a socks5 proxy needs httpx's socks extra: pip install 'httpx[socks]'"
            return [OptionIssue("proxy", shown_proxy(proxy), rule)]
    return []


def _masked(value: object) -> str:
    return "<SSLContext>" if isinstance(value, ssl.SSLContext) else repr(value)


@attrs.frozen(kw_only=True, repr=False)
class NetworkSettings:
    """How both clients reach the network: the API's TLS context, the download links' one, the proxy."""

    context: ssl.SSLContext
    download_context: ssl.SSLContext
    proxy: str | None  # may carry credentials: never shown (see `shown_proxy`)
    trust_env: bool
    insecure: tuple[tuple[str, str], ...]  # (setting, what is not verified) for each `False`
    custom: bool  # anything other than the defaults (it cannot apply to a transport the caller made)

    @classmethod
    def make(
        cls,
        *,
        verify: VerifySetting = True,
        cert: CertSetting = None,
        proxy: str | None = None,
        trust_env: bool = True,
        download_verify: VerifySetting | None = None,
    ) -> NetworkSettings:
        """Check the settings and build the contexts; one `OptionsError` lists every problem."""
        issues: list[OptionIssue] = []
        if not isinstance(trust_env, bool):
            issues.append(OptionIssue("trust_env", trust_env, "must be True or False"))
            trust_env = True
        context = _context("verify", verify, trust_env, issues)
        downloads = (
            None
            if download_verify is None
            else _context("download_verify", download_verify, trust_env, issues)
        )
        if cert is not None:
            if isinstance(verify, ssl.SSLContext):
                rule = "with verify=<SSLContext>, load the client certificate into it (load_cert_chain)"
                issues.append(OptionIssue("cert", cert, rule))
            else:
                # Checked even when `verify` is wrong (on a scratch context): every problem in one error.
                problem = _load_cert(context or ssl.create_default_context(), cert)
                if problem is not None:
                    issues.append(OptionIssue("cert", cert, problem))
        issues += _proxy_issues(proxy)
        if issues or context is None:
            raise OptionsError(issues)
        insecure: list[tuple[str, str]] = []
        if verify is False:
            insecure.append(
                ("verify", "the API" + (" and download links" if download_verify is None else ""))
            )
        if download_verify is False:
            insecure.append(("download_verify", "download links"))
        custom = (verify, cert, proxy, download_verify) != (True, None, None, None)
        return cls(
            context=context,
            download_context=downloads or context,
            proxy=proxy,
            trust_env=trust_env,
            insecure=tuple(insecure),
            custom=custom,
        )

    def __repr__(self) -> str:
        proxy = shown_proxy(self.proxy) if self.proxy else None
        insecure = [name for name, _ in self.insecure]
        return f"NetworkSettings(proxy={proxy!r}, trust_env={self.trust_env}, insecure={insecure})"

    def warn_if_insecure(self, stacklevel: int = 2) -> None:
        """The loud warning for ``verify=False`` / ``download_verify=False``, every time a client is made:
        `warnings.warn_explicit` with a fresh registry, so even the "default" action (show once per place)
        shows it again; only a filter the user sets ("ignore", "error") changes that."""
        frame = sys._getframe(stacklevel)  # the caller's line, as `stacklevel` would give it
        for name, what in self.insecure:
            warnings.warn_explicit(
                f"lf-export: {name}=False: TLS certificates of {what} are NOT verified; anyone on the "
                "network path can read and change the traffic (the bearer token too). Trust your CA instead: "
                "--ca-bundle FILE / verify='FILE'",
                InsecureTLSWarning,
                frame.f_code.co_filename,
                frame.f_lineno,
                module=frame.f_globals.get("__name__"),
                registry=None,
            )

    def _routes(self) -> list[tuple[str, str | None]]:
        """(URL pattern, proxy URL or None for "direct") as httpx would mount them."""
        if self.proxy is not None:
            return [("all://", self.proxy)]
        if not self.trust_env:
            return []
        from httpx._utils import get_environment_proxies  # httpx's own reading of the *_PROXY variables

        return list(get_environment_proxies().items())

    def transport(self, *, downloads: bool = False) -> httpx.BaseTransport:
        """A sync transport with these settings (`downloads`: the download links' TLS context)."""
        context = self.download_context if downloads else self.context

        def build(proxy: str | None) -> httpx.BaseTransport:
            if proxy is None:
                return httpx.HTTPTransport(verify=context, trust_env=self.trust_env)
            inner = httpx.HTTPTransport(
                verify=context, trust_env=self.trust_env, proxy=_proxy(proxy, context)
            )
            return _ViaProxy(inner, shown_proxy(proxy))

        return _route(self._routes(), build, _Router)

    def async_transport(self, *, downloads: bool = False) -> httpx.AsyncBaseTransport:
        """The async twin of `transport`."""
        context = self.download_context if downloads else self.context

        def build(proxy: str | None) -> httpx.AsyncBaseTransport:
            if proxy is None:
                return httpx.AsyncHTTPTransport(verify=context, trust_env=self.trust_env)
            inner = httpx.AsyncHTTPTransport(
                verify=context, trust_env=self.trust_env, proxy=_proxy(proxy, context)
            )
            return _AsyncViaProxy(inner, shown_proxy(proxy))

        return _route(self._routes(), build, _AsyncRouter)


def _proxy(url: str, context: ssl.SSLContext) -> httpx.Proxy:
    # An https:// proxy is verified with the same context as the server (an enterprise proxy has the
    # organisation's CA too); httpx would otherwise use its default store for it.
    return httpx.Proxy(url, ssl_context=context if url.lower().startswith("https:") else None)


T = TypeVar("T")
_Pattern: TypeAlias = Any  # httpx._utils.URLPattern


def _route(
    routes: list[tuple[str, str | None]],
    build: Callable[[str | None], T],
    router: Callable[[T, list[tuple[_Pattern, T | None]]], T],
) -> T:
    direct = build(None)
    if not any(proxy for _, proxy in routes):
        return direct
    from httpx._utils import URLPattern  # the matching (and its priority order) of httpx's own mounts

    mounts = sorted(
        ((URLPattern(pattern), build(proxy) if proxy else None) for pattern, proxy in routes),
        key=lambda item: item[0],
    )
    return router(direct, mounts)


class _Router(httpx.BaseTransport):
    """Sends each request the way httpx's `Client` would with these mounts (env proxies, NO_PROXY)."""

    def __init__(
        self, direct: httpx.BaseTransport, mounts: list[tuple[_Pattern, httpx.BaseTransport | None]]
    ) -> None:
        self._direct, self._mounts = direct, mounts

    def _pick(self, url: httpx.URL) -> httpx.BaseTransport:
        for pattern, transport in self._mounts:
            if pattern.matches(url):
                return transport or self._direct
        return self._direct

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._pick(request.url).handle_request(request)

    def close(self) -> None:
        for transport in _all(self._direct, self._mounts):
            transport.close()


class _AsyncRouter(httpx.AsyncBaseTransport):
    def __init__(
        self, direct: httpx.AsyncBaseTransport, mounts: list[tuple[_Pattern, httpx.AsyncBaseTransport | None]]
    ) -> None:
        self._direct, self._mounts = direct, mounts

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        for pattern, transport in self._mounts:
            if pattern.matches(request.url):
                return await (transport or self._direct).handle_async_request(request)
        return await self._direct.handle_async_request(request)

    async def aclose(self) -> None:
        for transport in _all(self._direct, self._mounts):
            await transport.aclose()


def _all(direct: T, mounts: Iterable[tuple[_Pattern, T | None]]) -> list[T]:
    return [direct, *(transport for _, transport in mounts if transport is not None)]


def _through(exc: httpx.TransportError, shown: str, request: httpx.Request) -> httpx.TransportError:
    """The same kind of error, its text naming the proxy (so the message can say who refused)."""
    return type(exc)(f"{exc} [through the proxy {shown}]", request=request)


def _refused_by_proxy(response: httpx.Response, request: httpx.Request, shown: str) -> httpx.ProxyError:
    # A plain-http request through a forward proxy gets the proxy's 407 as an answer: it is the proxy's.
    text = f"{response.status_code} {response.reason_phrase} [through the proxy {shown}]"
    return httpx.ProxyError(text, request=request)


class _ViaProxy(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, shown: str) -> None:
        self._inner, self._shown = inner, shown

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self._inner.handle_request(request)
        except httpx.TransportError as exc:
            raise _through(exc, self._shown, request) from exc
        if response.status_code == 407:
            response.close()
            raise _refused_by_proxy(response, request, self._shown)
        return response

    def close(self) -> None:
        self._inner.close()


class _AsyncViaProxy(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, shown: str) -> None:
        self._inner, self._shown = inner, shown

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self._inner.handle_async_request(request)
        except httpx.TransportError as exc:
            raise _through(exc, self._shown, request) from exc
        if response.status_code == 407:
            await response.aclose()
            raise _refused_by_proxy(response, request, self._shown)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
