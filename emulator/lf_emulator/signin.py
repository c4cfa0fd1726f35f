"""Laserfiche Cloud sign-in for the emulator's test service principals: ``POST {origin}/oauth/Token``.

The endpoint lives on the API origin, outside the repository base path (the real service is
``https://signin.<domain>/oauth/Token``). It accepts the client-credentials grant the vendor's clients send::

    POST /oauth/Token
    Authorization: Bearer <client assertion: an ES256 JWT>
    Content-Type: application/x-www-form-urlencoded

    grant_type=client_credentials&scope=repository.Read

and checks, in this order: ``grant_type`` (400 ``unsupported_grant_type``), the bearer assertion is a JWT
(401 ``invalid_client``), header ``alg`` is ES256, ``kid`` names a registered principal, the signature
verifies with that principal's public key, ``aud`` is ``laserfiche.com``, ``nbf``/``exp``/``iat`` against
the emulator clock (± ``assertion_leeway_seconds``), ``client_id`` is the principal's, ``client_secret`` is
its service principal key (all 401 ``invalid_client``, each with its own title), the principal is enabled
(403 ``unauthorized_client``), the requested scopes are granted (400 ``invalid_scope``). Success:
``{access_token, token_type: "bearer", expires_in, scope?}``; the token works on the API until
``cloud_token_seconds`` pass on the emulator clock. Refusals are ProblemDetails whose ``title`` starts with
the OAuth error code and says what is wrong; no answer or log line repeats the assertion or the secret.

Access keys (``access_key_for``) are base64 of ``{customerId, clientId, domain, jwk}`` with the private JWK
(``kid`` included), derived deterministically from the principal's ``key_seed``.

PyJWT and cryptography (the ``lf-export[cloud]`` extra) are imported only here, lazily: without them the
emulator still runs and the endpoint answers 501 saying what to install.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lf_emulator.config import ServicePrincipal

__all__ = [
    "AUDIENCE",
    "SIGN_IN_PATH",
    "Grant",
    "SignInRefused",
    "SignInUnavailable",
    "access_key_for",
    "private_jwk",
    "verify_sign_in",
]

SIGN_IN_PATH = "/oauth/Token"
AUDIENCE = "laserfiche.com"
# Order of the P-256 group: the private scalar must lie in [1, n - 1].
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


class SignInUnavailable(Exception):
    """PyJWT or cryptography is missing."""


class SignInRefused(Exception):
    """A refusal: HTTP ``status``, OAuth ``error`` code, and a human ``reason`` (never a secret)."""

    def __init__(self, status: int, error: str, reason: str) -> None:
        super().__init__(f"{error}: {reason}")
        self.status = status
        self.error = error
        self.reason = reason

    @property
    def title(self) -> str:
        return f"{self.error}: {self.reason}"


@dataclass(frozen=True)
class Grant:
    """Who signed in, and the scopes granted (space-separated, None when none were asked for)."""

    principal: ServicePrincipal
    scope: str | None


def _libraries() -> tuple[Any, Any]:
    try:
        import jwt
        from cryptography.hazmat.primitives.asymmetric import ec
    except ImportError as exc:
        raise SignInUnavailable(
            "the sign-in endpoint needs PyJWT with cryptography: pip install 'lf-export[cloud]'"
        ) from exc
    return jwt, ec


def _private_key(principal: ServicePrincipal) -> Any:
    _, ec = _libraries()
    digest = hashlib.sha256(principal.key_seed.encode("utf-8")).digest()
    scalar = int.from_bytes(digest, "big") % (_P256_ORDER - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


def private_jwk(principal: ServicePrincipal) -> dict[str, str]:
    """The principal's EC P-256 private key as a JWK (``kty``, ``crv``, ``x``, ``y``, ``d``, ``kid``)."""
    _libraries()
    from jwt.algorithms import ECAlgorithm

    jwk: dict[str, str] = ECAlgorithm.to_jwk(_private_key(principal), as_dict=True)
    jwk["kid"] = principal.key_id
    return jwk


def access_key_for(principal: ServicePrincipal, *, domain: str | None = None) -> str:
    """The base64 access key of ``principal`` (as the Developer Console would give it)."""
    body = {
        "customerId": principal.customer_id,
        "clientId": principal.client_id,
        "domain": domain or principal.domain,
        "jwk": private_jwk(principal),
    }
    return base64.b64encode(json.dumps(body, separators=(",", ":")).encode("utf-8")).decode("ascii")


def _invalid_client(reason: str) -> SignInRefused:
    return SignInRefused(401, "invalid_client", reason)


def _claims(jwt: Any, assertion: str, principal: ServicePrincipal) -> dict[str, Any]:
    public_key = _private_key(principal).public_key()
    try:
        claims: dict[str, Any] = jwt.decode(
            assertion,
            public_key,
            algorithms=["ES256"],
            audience=AUDIENCE,
            # Time claims are checked against the emulator clock below, not the host's.
            options={
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
                "require": ["aud", "exp", "nbf", "client_id", "client_secret"],
            },
        )
    except jwt.InvalidSignatureError:
        raise _invalid_client(
            f"the client assertion's signature does not verify with key {principal.key_id!r}"
        ) from None
    except jwt.MissingRequiredClaimError as exc:
        raise _invalid_client(f"the client assertion has no {exc.claim!r} claim") from None
    except jwt.InvalidAudienceError:
        raise _invalid_client(f"the client assertion's audience (aud) must be {AUDIENCE!r}") from None
    except jwt.PyJWTError as exc:
        raise _invalid_client(f"the client assertion was refused ({type(exc).__name__})") from None
    return claims


def _check_times(claims: Mapping[str, Any], now: float, leeway: float) -> None:
    for name in ("exp", "nbf", "iat"):
        value = claims.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise _invalid_client(f"the client assertion's {name} must be a number (seconds since 1970)")
    if claims["exp"] <= now - leeway:
        raise _invalid_client("the client assertion has expired (exp is in the past; check the clock)")
    if claims["nbf"] > now + leeway:
        raise _invalid_client("the client assertion is not valid yet (nbf is in the future; check the clock)")
    iat = claims.get("iat")
    if iat is not None and iat > now + leeway:
        raise _invalid_client("the client assertion was issued in the future (iat; check the clock)")


def _bearer(authorization: str) -> str:
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise _invalid_client("missing client assertion (send Authorization: Bearer <ES256 JWT>)")
    return value.strip()


def verify_sign_in(
    form: Mapping[str, str],
    authorization: str,
    principals: Sequence[ServicePrincipal],
    *,
    now: float,
    leeway: float,
) -> Grant:
    """Check one token request (see the module docstring). ``now`` is Unix time on the emulator clock.
    Raises `SignInRefused` (or `SignInUnavailable`)."""
    jwt, _ = _libraries()
    grant_type = form.get("grant_type")
    if grant_type != "client_credentials":
        shown = "missing" if not grant_type else f"{grant_type[:40]!r} is not supported"
        raise SignInRefused(400, "unsupported_grant_type", f"grant_type {shown}; use client_credentials")
    assertion = _bearer(authorization)
    try:
        header = jwt.get_unverified_header(assertion)
    except jwt.PyJWTError:
        raise _invalid_client("the client assertion is not a JWT") from None
    if header.get("alg") != "ES256":
        raise _invalid_client(f"the client assertion must be signed with ES256 (alg {header.get('alg')!r})")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise _invalid_client("the client assertion's header has no kid (the access key's jwk.kid)")
    principal = next((p for p in principals if p.key_id == kid), None)
    if principal is None:
        raise _invalid_client(f"unknown signing key (kid {kid[:64]!r}): the access key may have been deleted")
    claims = _claims(jwt, assertion, principal)
    _check_times(claims, now, leeway)
    if claims["client_id"] != principal.client_id:
        raise _invalid_client("the client_id does not belong to the signing key (kid)")
    secret = claims["client_secret"]
    if not isinstance(secret, str) or not hmac.compare_digest(
        secret.encode("utf-8"), principal.service_principal_key.encode("utf-8")
    ):
        raise _invalid_client("invalid client credentials: the service principal key does not match")
    if principal.disabled:
        raise SignInRefused(403, "unauthorized_client", "the service principal is disabled")
    requested = form.get("scope") or claims.get("scope")
    if requested is not None and not isinstance(requested, str):
        raise SignInRefused(400, "invalid_scope", "scope must be a space-separated string")
    scopes = requested.split() if requested else []
    refused = [s for s in scopes if s not in principal.scopes]
    if refused:
        raise SignInRefused(
            400,
            "invalid_scope",
            f"scope(s) {' '.join(refused)[:200]!r} not granted to this service principal "
            f"(granted: {' '.join(principal.scopes)})",
        )
    return Grant(principal, " ".join(scopes) or None)
