"""The emulator's Laserfiche Cloud sign-in (``POST /oauth/Token``) over real HTTP, with PyJWT and httpx only.

Each refusal reason has its own status and title; a granted token works on the API until it expires on the
emulator clock; no answer repeats the assertion or the service principal key.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm
from lf_emulator import signin
from lf_emulator.config import ServicePrincipal
from lf_emulator.faults import FaultProfile
from lf_emulator.testing import AccessKeyInfo, EmulatorConfig, EmulatorServer, generate_access_key


def decode_key(info: AccessKeyInfo) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(base64.b64decode(info.access_key))
    return data


def assertion(
    emu: EmulatorServer,
    *,
    key: Any = None,
    headers: dict[str, Any] | None = None,
    algorithm: str = "ES256",
    now: float | None = None,
    drop: tuple[str, ...] = (),
    **claims: Any,
) -> str:
    """A client assertion as the vendor's clients build it (overridable piece by piece)."""
    info = emu.generate_access_key()
    jwk = decode_key(info)["jwk"]
    issued = int(time.time() if now is None else now) - 1
    body: dict[str, Any] = {
        "client_id": info.client_id,
        "client_secret": info.service_principal_key,
        "aud": "laserfiche.com",
        "iat": issued,
        "nbf": issued,
        "exp": issued + 3601,
    } | claims
    for name in drop:
        body.pop(name)
    signing_key = key if key is not None else ECAlgorithm.from_jwk(json.dumps(jwk))
    header = {"kid": jwk["kid"], "typ": "JWT"} | (headers or {})
    header = {name: value for name, value in header.items() if value is not None}  # None: leave out
    return jwt.encode(body, signing_key, algorithm=algorithm, headers=header)


def sign_in(
    emu: EmulatorServer, bearer: str | None, form: dict[str, str] | None = None, method: str = "POST"
) -> httpx.Response:
    headers = {} if bearer is None else {"Authorization": f"Bearer {bearer}"}
    data = {"grant_type": "client_credentials", "scope": "repository.Read"} if form is None else form
    return httpx.request(method, emu.token_url, data=data, headers=headers, timeout=30)


def get_entry(emu: EmulatorServer, token: str) -> httpx.Response:
    return httpx.get(emu.api_url("Entries/10"), headers={"Authorization": f"Bearer {token}"}, timeout=30)


def test_the_test_principal_signs_in_and_the_token_works_on_the_api(emulator: EmulatorServer) -> None:
    response = sign_in(emulator, assertion(emulator, scope="repository.Read"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 43200
    assert body["scope"] == "repository.Read"
    assert response.headers["cache-control"] == "no-store"
    entry = get_entry(emulator, body["access_token"])
    assert entry.status_code == 200
    assert entry.json()["name"] == "Invoice 1001"
    counters = emulator.counters()
    assert counters["token_requests"] == 1
    assert counters["token_responses"] == {"200": 1}


@pytest.mark.emulator_config(cloud_token_seconds=60)
def test_a_token_expires_on_the_emulator_clock(emulator: EmulatorServer) -> None:
    body = sign_in(emulator, assertion(emulator)).json()
    assert body["expires_in"] == 60
    token = body["access_token"]
    emulator.advance_clock(59)
    assert get_entry(emulator, token).status_code == 200
    emulator.advance_clock(2)
    expired = get_entry(emulator, token)
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]
    # A fresh assertion, dated on the emulator clock, gets a fresh token.
    fresh = sign_in(emulator, assertion(emulator, now=time.time() + 61)).json()["access_token"]
    assert fresh != token
    assert get_entry(emulator, fresh).status_code == 200


def _other_key() -> Any:
    return ec.generate_private_key(ec.SECP256R1())


REFUSALS: list[tuple[str, Any, int, str]] = [
    ("no grant_type", lambda e: sign_in(e, assertion(e), form={}), 400, "unsupported_grant_type"),
    (
        "password grant",
        lambda e: sign_in(e, assertion(e), form={"grant_type": "password"}),
        400,
        "'password' is not supported",
    ),
    ("no assertion", lambda e: sign_in(e, None), 401, "missing client assertion"),
    ("not a JWT", lambda e: sign_in(e, "not.a.jwt"), 401, "not a JWT"),
    (
        "HS256 instead of ES256",
        lambda e: sign_in(e, assertion(e, key="a-shared-secret-of-32-bytes-long!", algorithm="HS256")),
        401,
        "must be signed with ES256",
    ),
    ("no kid", lambda e: sign_in(e, assertion(e, headers={"kid": None})), 401, "has no kid"),
    (
        "unknown kid",
        lambda e: sign_in(e, assertion(e, headers={"kid": "deleted-key"})),
        401,
        "unknown signing key",
    ),
    (
        "signed by another key",
        lambda e: sign_in(e, assertion(e, key=_other_key())),
        401,
        "signature does not verify",
    ),
    ("wrong audience", lambda e: sign_in(e, assertion(e, aud="example.com")), 401, "audience (aud)"),
    (
        "no client_secret claim",
        lambda e: sign_in(e, assertion(e, drop=("client_secret",))),
        401,
        "no 'client_secret' claim",
    ),
    ("no exp claim", lambda e: sign_in(e, assertion(e, drop=("exp",))), 401, "no 'exp' claim"),
    (
        "expired assertion",
        lambda e: sign_in(e, assertion(e, now=time.time() - 7200)),
        401,
        "the client assertion has expired",
    ),
    (
        "assertion from the future",
        lambda e: sign_in(e, assertion(e, now=time.time() + 600)),
        401,
        "not valid yet",
    ),
    (
        "client_id of another principal",
        lambda e: sign_in(e, assertion(e, client_id="someone-else")),
        401,
        "client_id does not belong",
    ),
    (
        "wrong service principal key",
        lambda e: sign_in(e, assertion(e, client_secret="not-the-key")),
        401,
        "service principal key does not match",
    ),
    (
        "scope not granted",
        lambda e: sign_in(
            e, assertion(e), form={"grant_type": "client_credentials", "scope": "repository.Admin"}
        ),
        400,
        "invalid_scope",
    ),
    ("GET", lambda e: sign_in(e, assertion(e), method="GET"), 405, "use POST"),
]


@pytest.mark.parametrize(
    ("request_", "status", "title"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_each_refusal_is_a_problem_with_a_clear_title(
    emulator: EmulatorServer, request_: Any, status: int, title: str
) -> None:
    response: httpx.Response = request_(emulator)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status
    assert title in problem["title"], problem
    assert problem["title"].startswith(problem["error"] + ": ")
    sent = response.request.headers.get("authorization", "").removeprefix("Bearer ")
    shown = response.text + json.dumps(dict(response.headers))
    assert emulator.generate_access_key().service_principal_key not in shown
    assert "not-the-key" not in shown
    if len(sent) > 20:
        assert sent not in shown
        assert sent.split(".")[2] not in shown  # not even the signature
    assert emulator.counters()["token_responses"] == {str(status): 1}


def test_clock_skew_is_tolerated_within_the_leeway_only(emulator: EmulatorServer) -> None:
    # The emulator's clock runs 20 s ahead of the client's: within the 30 s leeway for exp.
    assert sign_in(emulator, assertion(emulator, now=time.time() - 3620)).status_code == 200
    emulator.advance_clock(2 * 3600)
    late = sign_in(emulator, assertion(emulator))
    assert late.status_code == 401
    assert "expired" in late.json()["title"]


@pytest.mark.emulator_config(service_principals=(ServicePrincipal(disabled=True),))
def test_a_disabled_principal_is_forbidden(emulator: EmulatorServer) -> None:
    response = sign_in(emulator, assertion(emulator))
    assert response.status_code == 403
    assert response.json()["title"] == "unauthorized_client: the service principal is disabled"


@pytest.mark.emulator_config(
    service_principals=(
        ServicePrincipal(),
        ServicePrincipal(client_id="second", key_id="second-key", key_seed="another seed", scopes=()),
    )
)
def test_principals_are_told_apart_by_kid(emulator: EmulatorServer) -> None:
    first, second = emulator.generate_access_key(), emulator.generate_access_key("second")
    assert decode_key(second)["jwk"]["kid"] == "second-key"
    assert decode_key(first)["jwk"]["d"] != decode_key(second)["jwk"]["d"]
    jwk = decode_key(second)["jwk"]
    token = jwt.encode(
        {
            "client_id": "second",
            "client_secret": second.service_principal_key,
            "aud": "laserfiche.com",
            "nbf": int(time.time()) - 1,
            "exp": int(time.time()) + 3600,
        },
        ECAlgorithm.from_jwk(json.dumps(jwk)),
        algorithm="ES256",
        headers={"kid": "second-key"},
    )
    assert sign_in(emulator, token, form={"grant_type": "client_credentials"}).status_code == 200
    refused = sign_in(emulator, token)  # asks for repository.Read, which "second" was not granted
    assert refused.status_code == 400
    assert "not granted" in refused.json()["title"]
    with pytest.raises(ValueError, match="no service principal 'nobody'"):
        emulator.generate_access_key("nobody")


def test_the_access_key_is_deterministic_and_well_formed(emulator: EmulatorServer) -> None:
    info = emulator.generate_access_key()
    assert info == generate_access_key(EmulatorConfig())
    assert info.access_key not in repr(info)
    assert info.service_principal_key not in repr(info)
    data = decode_key(info)
    assert set(data) == {"customerId", "clientId", "domain", "jwk"}
    assert data["domain"] == "localhost"
    assert set(data["jwk"]) == {"kty", "crv", "x", "y", "d", "kid"}
    assert (data["jwk"]["kty"], data["jwk"]["crv"]) == ("EC", "P-256")
    assert decode_key(emulator.generate_access_key(domain="laserfiche.ca"))["domain"] == "laserfiche.ca"


@pytest.mark.parametrize("as_json", [False, True])
def test_generate_access_key_command_matches_the_server(emulator: EmulatorServer, as_json: bool) -> None:
    args = [sys.executable, "-m", "lf_emulator", "generate-access-key", *(["--json"] if as_json else [])]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=60, check=True)
    expected = emulator.generate_access_key()
    if as_json:
        doc = json.loads(proc.stdout)
        assert (doc["access_key"], doc["service_principal_key"]) == (
            expected.access_key,
            expected.service_principal_key,
        )
        assert doc["token_path"] == "/oauth/Token"
    else:
        assert proc.stdout.splitlines() == [expected.access_key, expected.service_principal_key]


def test_fault_profiles_reach_sign_in_only_when_they_name_it(emulator: EmulatorServer) -> None:
    emulator.set_faults(FaultProfile(p_5xx=1.0, statuses_5xx=(503,)))
    assert sign_in(emulator, assertion(emulator)).status_code == 200
    emulator.set_faults(FaultProfile(p_5xx=1.0, statuses_5xx=(503,), operations=("SignIn",)))
    assert sign_in(emulator, assertion(emulator)).status_code == 503
    emulator.reset()
    assert emulator.counters()["token_requests"] == 0
    assert sign_in(emulator, assertion(emulator)).status_code == 200


def test_without_pyjwt_the_endpoint_says_what_to_install(
    emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> Any:
        raise signin.SignInUnavailable("the sign-in endpoint needs PyJWT with cryptography: pip install x")

    monkeypatch.setattr(signin, "_libraries", missing)
    response = sign_in(emulator, "a.b.c")
    assert response.status_code == 501
    assert "needs PyJWT" in response.json()["title"]


def test_the_emulator_imports_without_pyjwt() -> None:
    code = (
        "import sys; sys.modules['jwt'] = None; sys.modules['cryptography'] = None\n"
        "from lf_emulator.testing import EmulatorServer\n"
        "from lf_emulator.app import create_api_app\n"
        "print('ok')"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
