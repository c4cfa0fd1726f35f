"""Property-based API testing of the emulator from the spec (bounded): no 5xx, every response conforms."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from lf_emulator.testing import EmulatorConfig, EmulatorServer
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "laserfiche-repository-v2.yaml"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def fuzzed_emulator() -> Iterator[EmulatorServer]:
    config = EmulatorConfig(task_seconds=0.1, long_poll_max_seconds=0.5, large_edoc_bytes=64 * 1024)
    with EmulatorServer(config) as emu:
        yield emu


# Loaded at import (schemathesis' fixture-based loader does not work with pytest 9); the emulator's base URL
# is given per call.
schema = schemathesis.openapi.from_path(SPEC)
schema.config.generation.update(modes=["positive"], max_examples=12, deterministic=True, database="none")
# The coverage phase enumerates boundary values at collection time (~25 s here); spec examples plus
# bounded fuzzing keep the run short.
schema.config.phases.update(phases=["examples", "fuzzing"])


@schema.parametrize()
@settings(
    max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
)
def test_emulator_conforms_to_the_spec(case: schemathesis.Case, fuzzed_emulator: EmulatorServer) -> None:
    if "{repositoryId}" in case.path and case.path_parameters is not None:
        # Mostly the real repository, so requests reach the operations rather than stopping at 404.
        case.path_parameters["repositoryId"] = fuzzed_emulator.repository_id
    case.call_and_validate(
        base_url=fuzzed_emulator.base_url,
        headers={"Authorization": f"Bearer {fuzzed_emulator.token}"},
        checks=CHECKS,
        timeout=30,
    )


def test_fuzzing_reached_every_operation(fuzzed_emulator: EmulatorServer) -> None:
    counters = fuzzed_emulator.counters()
    operations = {
        "ExportEntry",
        "StartExportEntry",
        "ListTasks",
        "CancelTasks",
        "ListAuditReasons",
        "GetEntry",
        "CreateAccessToken",
        "StartCopyEntry",
        "StartDeleteEntry",
        "ListEntries",
        "GetEntryByPath",
        "ListFields",
        "ListTags",
        "ListLinks",
        "StartSearchEntry",
        "ListSearchResults",
    }
    assert operations <= set(counters["requests"])
    assert not [k for k in counters["responses"] if k.endswith((" 500", " 502", " 503", " 504"))]
