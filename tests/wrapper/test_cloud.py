"""Laserfiche Cloud sign-in: access-key parsing, the client assertion claim by claim, refresh, one flight."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from typing import Any

import httpx
import jwt
import pytest
import stamina
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from lf_export import AsyncExportClient, AuthenticationError, ExportClient, OptionsError
from lf_export._cloud import AccessKeyToken, client_assertion, parse_access_key

SECRET = "SP-KEY-do-not-print-0123456789"
T1 = "98b07b1d-2a0f-4f7e-843d-28335a7ddfa2"


@pytest.fixture(autouse=True)
def _no_waits() -> Any:
    with stamina.set_testing(True, attempts=3, cap=True):
        yield


def make_key(
    *, curve: ec.EllipticCurve | None = None, kid: str | None = "key-1", **overrides: Any
) -> tuple[str, Any]:
    private = ec.generate_private_key(curve or ec.SECP256R1())
    jwk = json.loads(ECAlgorithm.to_jwk(private))
    if kid is not None:
        jwk["kid"] = kid
    body = {
        "customerId": "1234567890",
        "clientId": "client-abc",
        "domain": "laserfiche.test",
        "jwk": jwk,
    } | overrides
    return base64.b64encode(json.dumps(body).encode()).decode(), private.public_key()


def test_access_key_parses_and_masks_the_private_key() -> None:
    encoded, _ = make_key()
    key = parse_access_key(encoded)
    assert (key.client_id, key.domain, key.key_id) == ("client-abc", "laserfiche.test", "key-1")
    assert key.api_base_url == "https://api.laserfiche.test/repository"
    assert key.token_url == "https://signin.laserfiche.test/oauth/Token"
    assert key.jwk["d"] not in repr(key)
    unpadded = encoded.rstrip("=")
    assert parse_access_key(unpadded) == key


@pytest.mark.parametrize(
    ("build", "field", "rule"),
    [
        (lambda: "!!! not base64 !!!", "accessKey", "base64"),
        (lambda: base64.b64encode(b"not json").decode(), "accessKey", "JSON object"),
        (lambda: base64.b64encode(b"[1, 2]").decode(), "accessKey", "JSON object"),
        (lambda: make_key(kid=None)[0], "accessKey.jwk.kid", "without kid is invalid"),
        (lambda: make_key(clientId="")[0], "accessKey.clientId", "is required"),
        (lambda: make_key(domain="evil.test/path")[0], "accessKey.domain", "host name"),
        (lambda: make_key(curve=ec.SECP384R1())[0], "accessKey.jwk.crv", "P-256"),
    ],
)
def test_bad_access_keys_are_clear_errors(build: Any, field: str, rule: str) -> None:
    with pytest.raises(OptionsError) as caught:
        parse_access_key(build())
    assert any(issue.field == field and rule in issue.rule for issue in caught.value.issues), str(
        caught.value
    )


def test_an_rsa_key_is_refused() -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(RSAAlgorithm.to_jwk(private)) | {"kid": "k"}
    body = {"customerId": "1", "clientId": "c", "domain": "laserfiche.test", "jwk": jwk}
    with pytest.raises(OptionsError) as caught:
        parse_access_key(base64.b64encode(json.dumps(body).encode()).decode())
    assert {i.field for i in caught.value.issues} >= {"accessKey.jwk.kty", "accessKey.jwk.crv"}
    assert jwk["d"] not in str(caught.value)


def test_client_assertion_claim_by_claim() -> None:
    encoded, public = make_key()
    key = parse_access_key(encoded)
    now = 1_700_000_000.0
    token = client_assertion(key, SECRET, "repository.Read", now=now)
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "ES256", "typ": "JWT", "kid": "key-1"}
    claims = jwt.decode(
        token,
        public,
        algorithms=["ES256"],
        audience="laserfiche.com",
        options={"verify_exp": False, "verify_nbf": False},
    )
    assert claims == {
        "client_id": "client-abc",
        "client_secret": SECRET,
        "aud": "laserfiche.com",
        "iat": int(now) - 1,
        "nbf": int(now) - 1,
        "exp": int(now) + 3600,
        "scope": "repository.Read",
    }
    assert "scope" not in jwt.decode(
        client_assertion(key, SECRET, None, now=now),
        public,
        algorithms=["ES256"],
        audience="laserfiche.com",
        options={"verify_exp": False, "verify_nbf": False},
    )


class SignIn:
    """A mock sign-in service and API: counts token requests, issues short-lived tokens, 401s old ones."""

    def __init__(self, public: Any, lifetime: int = 43200) -> None:
        self.public = public
        self.lifetime = lifetime
        self.issued: list[str] = []
        self.valid: set[str] = set()
        self.token_requests: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "signin.laserfiche.test":
            self.token_requests.append(request)
            assertion = request.headers["Authorization"].removeprefix("Bearer ")
            claims = jwt.decode(assertion, self.public, algorithms=["ES256"], audience="laserfiche.com")
            if claims["client_secret"] != SECRET:
                return httpx.Response(401, json={"status": 401, "title": "Invalid client credentials."})
            token = f"access-{len(self.issued)}"
            self.issued.append(token)
            self.valid = {token}
            return httpx.Response(
                200, json={"access_token": token, "token_type": "bearer", "expires_in": self.lifetime}
            )
        if request.headers.get("Authorization", "").removeprefix("Bearer ") not in self.valid:
            return httpx.Response(401, json={"status": 401, "title": "expired"})
        return httpx.Response(200, json={"value": [{"id": T1, "status": "InProgress"}]})


def test_sign_in_then_api_calls_with_the_issued_token(caplog: pytest.LogCaptureFixture) -> None:
    encoded, public = make_key()
    service = SignIn(public)
    caplog.set_level(logging.DEBUG)
    with ExportClient.from_access_key(
        SECRET, encoded, repository_id="r-abc", transport=httpx.MockTransport(service.handler)
    ) as lf:
        assert lf.tasks(T1)[0].task_id == T1
        assert lf.tasks(T1)[0].task_id == T1
        assert "https://api.laserfiche.test/repository" in repr(lf)
        assert SECRET not in repr(lf._config)  # type: ignore[attr-defined]
    assert len(service.token_requests) == 1
    (grant,) = service.token_requests
    assert grant.content == b"grant_type=client_credentials&scope=repository.Read"
    assert SECRET not in caplog.text
    assert "access-0" not in caplog.text


def test_refresh_happens_before_expiry_without_a_failed_request() -> None:
    encoded, public = make_key()
    service = SignIn(public, lifetime=100)
    now = [0.0]
    source = AccessKeyToken(SECRET, parse_access_key(encoded), clock=lambda: now[0])
    with ExportClient(
        "https://api.laserfiche.test/repository",
        "r-abc",
        token_provider=source,
        transport=httpx.MockTransport(service.handler),
    ) as lf:
        lf.tasks(T1)
        now[0] = 79.0  # before 80 % of the lifetime: same token
        lf.tasks(T1)
        now[0] = 81.0  # past 80 %: refreshed before the server would refuse it
        lf.tasks(T1)
    assert len(service.token_requests) == 2
    assert service.issued == ["access-0", "access-1"]


def test_a_burst_of_401s_triggers_exactly_one_token_request() -> None:
    encoded, public = make_key()
    service = SignIn(public)

    async def main() -> None:
        async with AsyncExportClient.from_access_key(
            SECRET, encoded, repository_id="r-abc", transport=httpx.MockTransport(service.handler)
        ) as lf:
            await lf.tasks(T1)
            service.valid = set()  # the server forgets the token: every request now gets a 401 once
            results = await asyncio.gather(*(lf.tasks(T1) for _ in range(20)))
            assert all(r[0].task_id == T1 for r in results)

    asyncio.run(main())
    assert len(service.token_requests) == 2  # the first sign-in and one refresh for all 20 requests


def test_wrong_service_principal_key_is_explained_without_secrets() -> None:
    encoded, public = make_key()
    service = SignIn(public)
    with (
        ExportClient.from_access_key(
            "wrong-key", encoded, repository_id="r-abc", transport=httpx.MockTransport(service.handler)
        ) as lf,
        pytest.raises(AuthenticationError) as caught,
    ):
        lf.tasks(T1)
    text = str(caught.value)
    assert "sign-in was refused: HTTP 401" in text
    assert "service principal key" in text
    assert "wrong-key" not in text
    assert len(service.token_requests) == 1  # a 4xx from sign-in is final


def test_expired_assertion_from_clock_skew_is_refused_by_the_server() -> None:
    encoded, public = make_key()
    service = SignIn(public)
    source = AccessKeyToken(SECRET, parse_access_key(encoded), wall_clock=lambda: time.time() - 7200)
    with (
        ExportClient(
            "https://api.laserfiche.test/repository",
            "r-abc",
            token_provider=source,
            transport=httpx.MockTransport(_expired_is_401(service)),
        ) as lf,
        pytest.raises(AuthenticationError, match="sign-in was refused"),
    ):
        lf.tasks(T1)


def _expired_is_401(service: SignIn) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        try:
            return service.handler(request)
        except jwt.ExpiredSignatureError:
            return httpx.Response(401, json={"status": 401, "title": "The client assertion has expired."})

    return handler


def test_missing_service_principal_key_is_an_options_error() -> None:
    encoded, _ = make_key()
    with pytest.raises(OptionsError, match="servicePrincipalKey"):
        ExportClient.from_access_key("", encoded, repository_id="r-abc")


def test_a_busy_ledger_keeps_the_token_past_the_refresh_point_but_not_past_expiry() -> None:
    encoded, public = make_key()
    service = SignIn(public, lifetime=100)
    now = [0.0]
    source = AccessKeyToken(SECRET, parse_access_key(encoded), clock=lambda: now[0])
    with ExportClient(
        "https://api.laserfiche.test/repository",
        "r-abc",
        token_provider=source,
        transport=httpx.MockTransport(service.handler),
    ) as lf:
        lf.tasks(T1)
        source.ledger.hold([T1])  # a task of this token is being polled
        now[0] = 90.0  # past 80 %: kept, the task belongs to this token
        lf.tasks(T1)
        assert service.issued == ["access-0"]
        now[0] = 95.5  # within 5 % of the real expiry: refreshed anyway, rather than failing with 401
        lf.tasks(T1)
        assert service.issued == ["access-0", "access-1"]
        source.ledger.release([T1])
        assert not source.ledger.busy
