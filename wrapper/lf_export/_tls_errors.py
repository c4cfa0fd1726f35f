"""The words for a TLS or proxy failure: which host, what failed (unknown CA, expired, wrong host name, a
client certificate missing or refused, a proxy that refuses) and what to do (``--ca-bundle FILE``, ...).

`describe_failure` reads the httpx error and its chain (the `ssl.SSLCertVerificationError` with OpenSSL's
verify code, the TLS alert text, the ``[through the proxy ...]`` mark `_tls` adds); `_responses.network_error`
builds the `NetworkError` message from it.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Iterable

import httpx

__all__ = ["describe_failure", "lasting_failure"]

_CA_HINT = "pass the CA's certificate: --ca-bundle FILE (verify='FILE' in Python, or SSL_CERT_FILE)"
_VIA = re.compile(r"\[through the proxy ([^\]\s]+)\]")


# OpenSSL's X509_V_ERR_* codes (ssl.SSLCertVerificationError.verify_code).
_UNKNOWN_CA = frozenset({2, 18, 19, 20, 21, 27})
_EXPIRED, _NOT_YET_VALID = 10, 9
_WRONG_NAME = frozenset({62, 64})
_TEXT_CAUSES = (
    (("certificate has expired",), "expired"),
    (("certificate is not yet valid",), "not yet valid"),
    (("hostname mismatch", "ip address mismatch", "doesn't match"), "wrong name"),
    (
        ("unable to get local issuer", "self-signed certificate", "self signed certificate", "unknown ca"),
        "unknown CA",
    ),
)


def _chain(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _verify_failure(exc: BaseException) -> tuple[str, str] | None:
    """(kind, OpenSSL's words) of a certificate verification failure anywhere in the chain, or None."""
    text = ""
    for error in _chain(exc):
        if isinstance(error, ssl.SSLCertVerificationError):
            message = error.verify_message or str(error)
            code = error.verify_code
            if code in _UNKNOWN_CA:
                return "unknown CA", message
            if code == _EXPIRED:
                return "expired", message
            if code == _NOT_YET_VALID:
                return "not yet valid", message
            if code in _WRONG_NAME:
                return "wrong name", message
            text = message
        text = text or (str(error) if "certificate verify failed" in str(error).lower() else "")
    if not text:
        return None
    lower = text.lower()
    for words, kind in _TEXT_CAUSES:
        if any(word in lower for word in words):
            return kind, text.split("certificate verify failed:")[-1].split(" (_ssl")[0].strip()
    return "other", text


def _alert(exc: BaseException) -> str | None:
    """The TLS alert the server sent about our client certificate, if that is what ended the connection."""
    text = " ".join(str(error) for error in _chain(exc)).lower()
    if "certificate required" in text or "certificate_required" in text:
        return "required"
    if "alert unknown ca" in text or "alert bad certificate" in text or "alert certificate unknown" in text:
        return "rejected"
    if "alert handshake failure" in text:
        return "handshake"
    return None


def describe_failure(exc: BaseException, host: str) -> tuple[str, str] | None:
    """What a TLS or proxy failure was, in words, and what to do; None for any other failure.

    `host` is the server the request was for (``host:port``)."""
    text = " ".join(str(error) for error in _chain(exc))
    via = _VIA.search(text)
    verify = _verify_failure(exc)
    if verify is not None:
        kind, detail = verify
        if kind == "unknown CA":
            what = f"the TLS certificate of {host} is signed by a certificate authority not trusted here"
            return f"{what} ({detail})", f"if your organisation runs its own CA, {_CA_HINT}"
        if kind == "expired":
            return f"the TLS certificate of {host} has expired", (
                "the server's administrator must renew it (or this machine's clock is wrong)"
            )
        if kind == "not yet valid":
            return f"the TLS certificate of {host} is not valid yet", "check this machine's clock"
        if kind == "wrong name":
            return f"the TLS certificate of {host} is for another host name ({detail})", (
                "use the host name the certificate names in base_url (ask the server's administrator)"
            )
        return f"the TLS certificate of {host} was not accepted ({detail})", _CA_HINT
    alert = _alert(exc)
    if alert == "required":
        return f"{host} requires a client certificate", "give one: --client-cert FILE --client-key FILE"
    if alert == "rejected":
        return f"{host} did not accept the client certificate", (
            "check --client-cert / --client-key: the server must trust the CA that issued it"
        )
    if "without sending a response" in text and _scheme(exc) == "https":
        # A server that wants a client certificate and got none (or one it does not trust) may drop the
        # connection right after the handshake without a readable alert (TLS 1.3): say so as a possibility.
        return f"{host} closed the connection without answering", (
            "try again; if the server requires a client certificate, give one it trusts: "
            "--client-cert FILE --client-key FILE"
        )
    if via is not None:
        proxy = via.group(1)
        status = re.match(r"\s*([45]\d\d)\b[^\[]*", str(exc)) if isinstance(exc, httpx.ProxyError) else None
        if status is not None:
            answer = status.group(0).strip()
            hint = "check the proxy's credentials (http://user:password@proxy:port) or ask its administrator"
            if not answer.startswith("407"):
                hint = f"the proxy does not allow {host}: ask its administrator, or add the host to NO_PROXY"
            return f"the proxy {proxy} refused to connect to {host} ({answer})", hint
        if "refused" in text.lower():
            return f"the proxy {proxy} refused the connection", (
                "is the proxy running there? check --proxy / HTTPS_PROXY (and NO_PROXY)"
            )
        if isinstance(exc, httpx.ProxyError | httpx.ConnectError | httpx.ConnectTimeout):
            return f"could not get through the proxy {proxy} ({_first_line(exc)})", (
                "check --proxy / HTTPS_PROXY (and NO_PROXY)"
            )
    return None


def lasting_failure(exc: BaseException, host: str) -> tuple[str, str] | None:
    """`describe_failure` for the failures that trying again cannot mend (a certificate not accepted, a TLS
    alert about the client certificate, a proxy's refusal status), else None."""
    refused = isinstance(exc, httpx.ProxyError) and re.match(r"\s*[45]\d\d\b", str(exc)) is not None
    if _verify_failure(exc) is None and _alert(exc) is None and not refused:
        return None
    return describe_failure(exc, host)


def _scheme(exc: BaseException) -> str | None:
    try:
        return exc.request.url.scheme if isinstance(exc, httpx.RequestError) else None
    except RuntimeError:  # an error raised without its request
        return None


def _first_line(exc: BaseException) -> str:
    text = _VIA.sub("", str(exc)).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
