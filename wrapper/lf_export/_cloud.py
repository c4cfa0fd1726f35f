"""Laserfiche Cloud sign-in as a service principal: access key → ES256-signed client assertion → access token.

The wire flow (as the vendor's own clients do it):
* the *access key* is base64 of a JSON object ``{customerId, clientId, domain, jwk}``; ``jwk`` is an EC P-256
  private key with a ``kid``;
* the client signs a JWT with ES256 (header ``{alg: ES256, typ: JWT, kid}``; claims ``client_id``,
  ``client_secret`` = the service principal key, ``aud: "laserfiche.com"``, ``iat``/``nbf`` = now − 1, ``exp``
  = now + 3600, and ``scope`` when asked);
* it POSTs ``grant_type=client_credentials[&scope=...]`` (form) to ``https://signin.<domain>/oauth/Token``
  with ``Authorization: Bearer <that JWT>``, and gets ``{access_token, token_type, expires_in}`` (about 12
  hours). The repository API of that key lives at ``https://api.<domain>/repository``.

`AccessKeyToken` is a `TokenSource`: tokens are cached and refreshed at `refresh_at` (80 %) of their lifetime,
*before* they expire, because tasks belong to the token that started them. `BearerAuth` makes token requests
single-flight. Secrets (the service principal key, the private key, tokens, assertions) never appear in a
repr, an error message or a log line. PyJWT with `cryptography` does the signing: install
``lf-export[cloud]``.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import httpx

from ._errors import OptionIssue, OptionsError
from ._tokens import TaskLedger, TokenFlow, _Cache, token_grant

__all__ = ["AccessKey", "AccessKeyToken", "parse_access_key"]

log = logging.getLogger("lf_export.cloud")

_AUDIENCE = "laserfiche.com"
_ASSERTION_LIFETIME = 3600


def _mask(_value: object) -> str:
    return "'***'"


@attrs.frozen
class AccessKey:
    """A parsed service-principal access key. `jwk` (the private key) is masked in `repr`."""

    customer_id: str
    client_id: str
    domain: str
    jwk: Mapping[str, str] = attrs.field(repr=_mask)

    @property
    def key_id(self) -> str:
        return self.jwk["kid"]

    @property
    def api_base_url(self) -> str:
        return f"https://api.{self.domain}/repository"

    @property
    def token_url(self) -> str:
        return f"https://signin.{self.domain}/oauth/Token"


def _b64decode(text: str) -> bytes:
    cleaned = "".join(text.split())
    padded = cleaned + "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(
            padded, altchars=b"-_" if ("-" in cleaned or "_" in cleaned) else None, validate=True
        )
    except (binascii.Error, ValueError) as exc:
        raise OptionsError(
            [OptionIssue("accessKey", "***", "must be base64 (as downloaded from the Developer Console)")]
        ) from exc


def parse_access_key(access_key: str | bytes | Mapping[str, Any]) -> AccessKey:
    """Parse and check an access key strictly. Every problem is reported in one `OptionsError`; no secret is
    echoed (values are shown as ``***``)."""
    if isinstance(access_key, Mapping):
        data: Any = access_key
    else:
        raw = access_key.decode("ascii", "replace") if isinstance(access_key, bytes) else access_key
        if not isinstance(raw, str) or not raw.strip():
            raise OptionsError([OptionIssue("accessKey", None, "must be a non-empty base64 string")])
        decoded = _b64decode(raw)
        try:
            data = json.loads(decoded.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise OptionsError([OptionIssue("accessKey", "***", "must be base64 of a JSON object")]) from exc
    if not isinstance(data, Mapping):
        raise OptionsError([OptionIssue("accessKey", "***", "must be base64 of a JSON object")])
    issues: list[OptionIssue] = []
    for name in ("customerId", "clientId", "domain"):
        value = data.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and name == "customerId":
            continue
        if not isinstance(value, str) or not value.strip():
            issues.append(
                OptionIssue(
                    f"accessKey.{name}", "***" if value else value, "is required (a non-empty string)"
                )
            )
    jwk = data.get("jwk")
    if isinstance(jwk, str):
        try:
            jwk = json.loads(jwk)
        except ValueError:
            jwk = None
    if not isinstance(jwk, Mapping):
        issues.append(
            OptionIssue("accessKey.jwk", "***" if jwk else jwk, "is required (an EC P-256 private JWK)")
        )
    else:
        if jwk.get("kty") != "EC":
            issues.append(
                OptionIssue("accessKey.jwk.kty", jwk.get("kty"), "must be EC (an elliptic-curve key)")
            )
        if jwk.get("crv") != "P-256":
            issues.append(OptionIssue("accessKey.jwk.crv", jwk.get("crv"), "must be P-256 (ES256 signing)"))
        for member in ("x", "y", "d", "kid"):
            if not isinstance(jwk.get(member), str) or not jwk.get(member):
                rule = "is required (a key without kid is invalid)" if member == "kid" else "is required"
                issues.append(OptionIssue(f"accessKey.jwk.{member}", None, rule))
    domain = data.get("domain")
    if isinstance(domain, str) and domain and any(c in domain for c in "/?#@ :"):
        issues.append(OptionIssue("accessKey.domain", domain, "must be a host name such as laserfiche.com"))
    if issues or not isinstance(jwk, Mapping):  # a jwk that is no mapping has its issue listed above
        raise OptionsError(issues)
    return AccessKey(
        customer_id=str(data["customerId"]),
        client_id=str(data["clientId"]),
        domain=str(data["domain"]).strip(),
        jwk={k: str(v) for k, v in jwk.items()},
    )


def _jwt() -> Any:
    try:
        import jwt
        from jwt.algorithms import ECAlgorithm
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise OptionsError(
            [OptionIssue("accessKey", None, "needs PyJWT with cryptography: pip install 'lf-export[cloud]'")]
        ) from exc
    return jwt, ECAlgorithm


def client_assertion(
    key: AccessKey, service_principal_key: str, scope: str | None, *, now: float | None = None
) -> str:
    """The ES256-signed JWT sent as the bearer of the token request (see the module docstring)."""
    jwt, ec_algorithm = _jwt()
    try:
        private_key = ec_algorithm.from_jwk(json.dumps(dict(key.jwk)))
    except Exception as exc:  # PyJWT raises InvalidKeyError, ValueError ... for a bad key
        raise OptionsError(
            [OptionIssue("accessKey.jwk", "***", "is not a usable EC P-256 private key")]
        ) from exc
    issued = int(now if now is not None else time.time()) - 1
    claims: dict[str, Any] = {
        "client_id": key.client_id,
        "client_secret": service_principal_key,
        "aud": _AUDIENCE,
        "iat": issued,
        "nbf": issued,
        "exp": issued + 1 + _ASSERTION_LIFETIME,
    }
    if scope:
        claims["scope"] = scope
    token: str = jwt.encode(claims, private_key, algorithm="ES256", headers={"kid": key.key_id, "typ": "JWT"})
    return token


_HINTS = {
    400: "the sign-in service refused the request: check the access key and the requested scope",
    401: "the sign-in service refused the credentials: check the service principal key and that the "
    "access key belongs to this service principal (and was not deleted)",
    403: "the service principal is not allowed: it may be disabled, or lack the requested scope",
    404: "no sign-in service at this address: check the access key's domain",
}


@attrs.define(repr=False)
class AccessKeyToken:
    """A `TokenSource` for a Laserfiche Cloud service principal (see the module docstring)."""

    service_principal_key: str
    access_key: AccessKey
    scope: str | None = "repository.Read"
    token_url: str | None = None  # default: the access key's sign-in URL
    refresh_at: float = 0.8
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], float] = time.time
    ledger: TaskLedger = attrs.field(factory=TaskLedger)
    _cache: _Cache = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.service_principal_key, str) or not self.service_principal_key.strip():
            raise OptionsError([OptionIssue("servicePrincipalKey", None, "is required (a non-empty string)")])
        if not 0 < self.refresh_at <= 1:
            raise OptionsError([OptionIssue("refresh_at", self.refresh_at, "must be in (0, 1]")])
        self._cache = _Cache(self.clock, self.ledger)

    def __repr__(self) -> str:
        return (
            f"AccessKeyToken(client_id={self.access_key.client_id!r}, domain={self.access_key.domain!r}, "
            f"scope={self.scope!r}, service_principal_key=***)"
        )

    def token_flow(self, *, stale: str | None = None) -> TokenFlow:
        token = self._cache.get(stale)
        if token is not None:
            return token
        assertion = client_assertion(
            self.access_key, self.service_principal_key, self.scope, now=self.wall_clock()
        )
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        url = self.token_url or self.access_key.token_url
        request = httpx.Request("POST", url, data=form, headers={"Authorization": f"Bearer {assertion}"})
        token = yield from token_grant(
            request, self._cache, self.refresh_at, "Laserfiche Cloud sign-in", _HINTS
        )
        log.info("signed in as client %s", self.access_key.client_id)
        return token
