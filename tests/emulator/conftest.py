"""Helpers for the emulator's own tests: an authenticated httpx client and a response-conformance check."""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from lf_emulator.testing import EmulatorServer
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "laserfiche-repository-v2.yaml"


@pytest.fixture
def client(emulator: EmulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=emulator.api_url(""), headers={"Authorization": f"Bearer {emulator.token}"}, timeout=30
    ) as c:
        yield c


@pytest.fixture(scope="session")
def session_client(emulator_session: EmulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=emulator_session.api_url(""),
        headers={"Authorization": f"Bearer {emulator_session.token}"},
        timeout=30,
    ) as c:
        yield c


@functools.cache
def _openapi(origin: str) -> OpenAPI:
    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["servers"] = [{"url": origin + "/repository"}]
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    return OpenAPI.from_dict(data, config=config)


@dataclass
class _Req:
    host_url: str
    path: str
    method: str
    body: bytes | None
    content_type: str
    parameters: Any = field(default_factory=RequestParameters)


@dataclass
class _Resp:
    status_code: int
    content_type: str
    headers: Any
    data: bytes


def assert_conforms(response: httpx.Response) -> None:
    """The response is one the spec allows for its request (status, media type, schema)."""
    request = response.request
    origin = f"{request.url.scheme}://{request.url.netloc.decode()}"
    req = _Req(
        host_url=origin,
        path=request.url.path,
        method=request.method.lower(),
        body=request.content or None,
        content_type=request.headers.get("content-type", "application/json"),
        parameters=RequestParameters(
            query=ImmutableMultiDict(list(request.url.params.multi_items())),
            header=Headers(dict(request.headers)),
        ),
    )
    resp = _Resp(
        status_code=response.status_code,
        content_type=response.headers.get("content-type", ""),
        headers=Headers(dict(response.headers)),
        data=response.content,
    )
    _openapi(origin).validate_response(req, resp)
