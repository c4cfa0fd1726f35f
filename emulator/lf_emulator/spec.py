"""Request validation from ``openapi/laserfiche-repository-v2.yaml`` with openapi-core.

The spec decides what is valid: the emulator hands each API request to openapi-core and turns every
violation into one ``detail`` line naming the field, the rule and the message. The spec's ``servers`` are
replaced in memory by a fixed origin plus the emulator's base path, so the Host header never matters.

The spec file is looked up in this order: ``$LF_EMULATOR_SPEC``, ``<checkout>/openapi/…`` (next to the
``emulator/`` folder), then ``lf_emulator/spec/…`` (force-included in the wheel).
"""

from __future__ import annotations

import copy
import functools
import logging
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["SPEC_FILE_NAME", "SpecValidator", "find_spec", "load_validator"]

SPEC_FILE_NAME = "laserfiche-repository-v2.yaml"
_ORIGIN = "http://emulator.invalid"
_log = logging.getLogger("lf_emulator")


def find_spec() -> Path | None:
    """The spec file this emulator validates against, or None when none is found."""
    candidates = []
    if env := os.environ.get("LF_EMULATOR_SPEC"):
        candidates.append(Path(env))
    here = Path(__file__).resolve().parent
    candidates += [here.parent.parent / "openapi" / SPEC_FILE_NAME, here / "spec" / SPEC_FILE_NAME]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


@dataclass
class _Request:
    """openapi-core's Request protocol, built from what the ASGI app received."""

    method: str
    path: str
    body: bytes | None
    content_type: str
    parameters: Any
    host_url: str = _ORIGIN
    full_url_pattern: str = field(default="")


def _normalise(template: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", template).rstrip("/")


_END_OF_INPUT = r"(?![\s\S])"


def _ecma_patterns(node: Any) -> Any:
    """Give every ``pattern`` ECMA-262 end-of-input semantics.

    JSON Schema patterns are ECMA-262 regexes, where ``$`` matches only at the end of the input; Python's
    ``$`` also matches before a final newline, which would let ``"1\\n"`` pass ``^[0-9]+$``. A trailing,
    unescaped ``$`` becomes ``(?![\\s\\S])`` ("nothing follows"), which both dialects read the same way.
    """
    if isinstance(node, dict):
        out = {k: _ecma_patterns(v) for k, v in node.items()}
        pattern = out.get("pattern")
        if isinstance(pattern, str) and re.search(r"(?<!\\)(?:\\\\)*\$$", pattern):
            out["pattern"] = pattern[:-1] + _END_OF_INPUT
        return out
    if isinstance(node, list):
        return [_ecma_patterns(v) for v in node]
    return node


def _field(path: Sequence[Any], prefix: str = "") -> str:
    parts = [prefix] if prefix else []
    for item in path:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{item}]"]
        else:
            parts.append(str(item))
    return ".".join(parts) or "(body)"


def _schema_messages(exc: BaseException, prefix: str) -> list[str]:
    errors = getattr(exc, "schema_errors", None)
    if not errors:
        return [f"{prefix or '(body)'}: {exc}"]
    messages = []
    for error in errors:
        where = _field(list(getattr(error, "absolute_path", [])), prefix)
        rule = getattr(error, "validator", "schema")
        message = str(getattr(error, "message", error)).replace(repr(_END_OF_INPUT)[1:-1], "$")
        messages.append(f"{where}: {message} (rule: {rule})")
    return messages


def describe_error(exc: BaseException) -> list[str]:
    """Human lines for one openapi-core validation error."""
    from openapi_core.validation.request.exceptions import (
        MissingRequiredParameter,
        MissingRequiredRequestBody,
        ParameterValidationError,
        RequestBodyValidationError,
    )

    cause = exc.__cause__
    if isinstance(exc, MissingRequiredParameter):
        return [f"{exc.location} parameter {exc.name}: is required (rule: required)"]
    if isinstance(exc, ParameterValidationError):
        where = f"{exc.location} parameter {exc.name}"
        if cause is not None and getattr(cause, "schema_errors", None):
            return _schema_messages(cause, where)
        return [f"{where}: {cause or exc} (rule: type)"]
    if isinstance(exc, MissingRequiredRequestBody):
        return ["(body): a JSON request body is required (rule: required)"]
    if isinstance(exc, RequestBodyValidationError):
        if cause is not None:
            return _schema_messages(cause, "")
        return [f"(body): {exc}"]
    return [str(exc)]


class SpecValidator:
    """Validates requests against one loaded spec."""

    def __init__(self, spec: Mapping[str, Any], base_path: str, source: str = "") -> None:
        from openapi_core import OpenAPI

        data = _ecma_patterns(copy.deepcopy(dict(spec)))
        data["servers"] = [{"url": f"{_ORIGIN}{base_path}"}]
        self.source = source
        self.base_path = base_path
        self.operations = {
            (method.upper(), _normalise(path))
            for path, item in (data.get("paths") or {}).items()
            for method in item
            if method in ("get", "put", "post", "delete", "patch", "head", "options")
        }
        self._openapi = OpenAPI.from_dict(data)

    def has(self, method: str, template: str) -> bool:
        """Whether the spec declares ``method`` on ``template`` (a path relative to the base path)."""
        return (method.upper(), _normalise(template)) in self.operations

    def validate(
        self,
        *,
        method: str,
        path: str,
        query: Sequence[tuple[str, str]],
        headers: Mapping[str, str],
        body: bytes | None,
        content_type: str,
    ) -> list[str]:
        """Problems with the request (empty when valid). ``path`` includes the base path."""
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        request = _Request(
            method=method.lower(),
            path=path,
            body=body or None,
            content_type=content_type.lower() if content_type else "application/json",
            parameters=RequestParameters(
                query=ImmutableMultiDict(list(query)),
                header=Headers(list(headers.items())),
                cookie=ImmutableMultiDict(),
            ),
        )
        problems: list[str] = []
        for error in self._openapi.request_validator.iter_errors(request):
            problems.extend(describe_error(error))
        return problems


@functools.cache
def _load(path: str, mtime: float, base_path: str) -> SpecValidator | None:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict) or not data.get("paths"):
        _log.warning("spec %s has no paths yet: request validation is off", path)
        return None
    return SpecValidator(data, base_path, source=path)


def load_validator(base_path: str, spec_path: str | Path | None = None) -> SpecValidator | None:
    """The (cached) validator for ``base_path``, or None when no usable spec exists."""
    path = Path(spec_path) if spec_path is not None else find_spec()
    if path is None:
        _log.warning("no %s found: request validation is off", SPEC_FILE_NAME)
        return None
    return _load(str(path), path.stat().st_mtime, base_path)
