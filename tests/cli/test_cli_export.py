"""`lf-export export` through the real entry point: every part and the main formats, files really written,
--json parsed and checked against the files on disk, batches, ids from a file or stdin."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lf_emulator.testing import EmulatorServer
from pypdf import PdfReader

from .conftest import Cli

TIFF_MAGIC = (b"II*\x00", b"MM\x00*")


def _only_result(doc: dict[str, object]) -> dict[str, object]:
    results = doc["results"]
    assert isinstance(results, list)
    assert len(results) == 1
    row = results[0]
    assert isinstance(row, dict)
    return row


def _file(cli: Cli, row: dict[str, object]) -> Path:
    path = cli.cwd / str(row["path"])
    assert path.is_file()
    assert path.stat().st_size == row["size"]
    return path


def test_multi_page_tiff_is_written_and_reported(cli: Cli) -> None:
    result = cli.run("export", "11", "--out", "tiff", "--json")
    assert result.returncode == 0, result
    doc = result.json()
    assert doc["command"] == "export"
    assert doc["ok"] is True
    assert doc["exit_code"] == 0
    row = _only_result(doc)
    assert row["status"] == "ok"
    assert row["entry_id"] == 11
    path = _file(cli, row)
    assert path.parent == cli.cwd / "tiff"
    assert path.read_bytes()[:4] in TIFF_MAGIC
    assert row["content_type"] == "image/tiff"


def test_pdf_with_watermark_and_page_range(cli: Cli) -> None:
    result = cli.run(
        "export", "12", "--format", "pdf", "--pages", "1-3,7", "--watermark", "CONFIDENTIAL",
        "--watermark-position", "TopRight", "--watermark-angle", "45", "--out", "pdf", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result
    path = _file(cli, _only_result(result.json()))
    assert path.suffix == ".pdf"
    assert len(PdfReader(io.BytesIO(path.read_bytes())).pages) == 4


def test_single_page_tiff_zip_with_prefix_is_extracted(cli: Cli) -> None:
    result = cli.run(
        "export",
        "11",
        "--format",
        "single-tiff",
        "--page-prefix",
        " p",
        "--extract",
        "--out",
        "zip",
        "--json",
    )
    assert result.returncode == 0, result
    row = _only_result(result.json())
    archive = _file(cli, row)
    assert zipfile.is_zipfile(archive)
    extracted = [cli.cwd / p for p in row["extracted"]]  # type: ignore[union-attr]
    assert sorted(p.name for p in extracted) == [f"Invoice 1002 p{n}.tif" for n in (1, 2, 3)]
    for path in extracted:
        assert path.is_file()
        assert path.read_bytes()[:4] in TIFF_MAGIC


def test_text_with_redaction_character(cli: Cli) -> None:
    result = cli.run("export", "15", "--part", "text", "--redaction-char", "#", "--out", "text", "--json")
    assert result.returncode == 0, result
    path = _file(cli, _only_result(result.json()))
    text = path.read_text(encoding="utf-8")
    assert "Scanned Letter (2)" in text
    assert "#####" in text  # the redacted SSN / e-mail, one '#' per character


def test_edoc_is_exported_as_stored(cli: Cli) -> None:
    result = cli.run("export", "20", "--part", "edoc", "--out", "edoc", "--json")
    assert result.returncode == 0, result
    path = _file(cli, _only_result(result.json()))
    assert path.read_bytes().startswith(b"%PDF")


def test_human_output_is_a_summary_table(cli: Cli) -> None:
    result = cli.run("export", "10", "--out", "human")
    assert result.returncode == 0, result
    assert (cli.cwd / "human" / "Invoice 1001.tif").is_file()
    header = result.stdout.splitlines()[0]
    for column in ("entry", "file", "size", "time", "status"):
        assert column in header
    assert "Invoice 1001.tif" in result.stdout
    assert " ok" in result.stdout


@pytest.mark.emulator_config(max_concurrent_tasks=4)
def test_batch_uses_tasks_within_the_concurrency_limit(own_cli: Cli, emulator: EmulatorServer) -> None:
    ids = ["10", "11", "12", "14", "15", "16"]
    result = own_cli.run("export", *ids, "--max-concurrent-tasks", "2", "--out", "batch", "--json")
    assert result.returncode == 0, result
    rows = result.json()["results"]
    assert [row["entry_id"] for row in rows] == [int(i) for i in ids]
    assert all(row["status"] == "ok" and row["mode"] == "async" and row["task_id"] for row in rows)
    assert len({_file(own_cli, row) for row in rows}) == len(ids)
    counters = emulator.counters()
    assert counters["tasks_started"] == len(ids)
    assert counters["concurrent_tasks_high_water_per_token"] <= 2


def test_ids_from_file_and_stdin(cli: Cli) -> None:
    (cli.cwd / "ids.txt").write_text("# invoices\n10\n11, 10  # duplicate dropped\n\n", encoding="utf-8")
    result = cli.run("export", "--from-file", "ids.txt", "--out", "from-file", "--json")
    assert result.returncode == 0, result
    assert [row["entry_id"] for row in result.json()["results"]] == [10, 11]

    result = cli.run("export", "--from-file", "-", "--out", "stdin", "--json", input="14\n")
    assert result.returncode == 0, result
    row = _only_result(result.json())
    assert row["entry_id"] == 14
    assert _file(cli, row).name.startswith("R")  # "Résumé – Zoë Ångström", a non-ASCII name


def test_existing_file_is_kept_unless_overwrite(cli: Cli) -> None:
    first = cli.run("export", "10", "--out", "o", "--json")
    assert first.returncode == 0, first
    path = _file(cli, _only_result(first.json()))
    path.write_bytes(b"mine")
    again = cli.run("export", "10", "--out", "o", "--json")
    assert again.returncode == 1, again
    assert _only_result(again.json())["error"]["type"] == "DownloadError"  # type: ignore[index]
    assert "--overwrite" in again.stderr
    assert path.read_bytes() == b"mine"
    forced = cli.run("export", "10", "--out", "o", "--overwrite", "--json")
    assert forced.returncode == 0, forced
    assert path.read_bytes()[:4] in TIFF_MAGIC


@pytest.mark.emulator_config(require_audit_reason=True)
def test_audit_reason_by_name(own_cli: Cli) -> None:
    missing = own_cli.run("export", "10", "--mode", "async", "--out", "a", "--json")
    assert missing.returncode == 1, missing
    assert "--audit-reason" in missing.stderr
    assert "Legal request" in missing.stderr
    named = own_cli.run(
        "export", "10", "--audit-reason", "legal REQUEST", "--audit-comment", "case 7", "--out", "a", "--json"
    )
    assert named.returncode == 0, named
    unknown = own_cli.run("export", "10", "--audit-reason", "No such reason", "--out", "a", "--json")
    assert unknown.returncode == 2, unknown
    issues = unknown.json()["error"]["issues"]
    assert issues[0]["field"] == "--audit-reason"
    assert "Legal request" in issues[0]["rule"]
