"""`lf-export export-tree`, `export-search` and `ls` against the emulator (the real console script)."""

from __future__ import annotations

import json

from .conftest import Cli


def test_export_tree_mirrors_a_folder_with_sidecars_and_a_manifest(cli: Cli) -> None:
    result = cli.run("export-tree", "\\Projects", "--out", "mirror", "--format", "pdf", "--json")
    assert result.returncode == 0, result
    doc = result.json()
    assert doc["ok"] is True
    assert doc["summary"]["documents"] == 2  # Kickoff Notes (edoc) and Budget Q4 (pages)
    assert doc["summary"]["folders"] == 3
    assert doc["summary"]["skipped"] == 2  # the two shortcuts, not followed
    mirror = cli.cwd / "mirror"
    assert (mirror / "2023" / "Q4" / "Budget Q4.pdf").is_file()
    assert (mirror / "2023" / "Kickoff Notes.txt").is_file()
    sidecar = json.loads((mirror / "2023" / "Q4" / "Budget Q4.pdf.metadata.json").read_text(encoding="utf-8"))
    assert sidecar["template"]["name"] == "Project"
    rows = (mirror / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 7
    assert (mirror / "manifest.csv").read_text(encoding="utf-8").startswith("path,entry_id")


def test_export_tree_part_image_no_metadata_and_globs(cli: Cli) -> None:
    result = cli.run(
        "export-tree",
        "40",
        "--out",
        "m",
        "--part",
        "image",
        "--no-metadata",
        "--include",
        "Budget*",
        "--follow-shortcuts",
        "--jsonl",
    )
    assert result.returncode == 0, result
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[-1]["type"] == "summary"
    statuses = {line["path_in_repository"]: line["status"] for line in lines if line["type"] == "entry"}
    assert statuses["\\Projects\\2023\\Q4\\Budget Q4"] == "exported"
    assert not list((cli.cwd / "m").rglob("*.metadata.json"))


def test_export_tree_a_failure_is_exit_1_and_the_rest_goes_on(cli: Cli) -> None:
    result = cli.run("export-tree", "\\Contracts", "--out", "c", "--json")
    assert result.returncode == 1, result
    doc = result.json()
    assert doc["summary"]["failed"] == 1  # the locked contract
    assert doc["summary"]["documents"] == 2
    assert doc["failures"][0]["entry_id"] == 23


def test_usage_errors_are_exit_2(cli: Cli) -> None:
    assert cli.run("export-tree", "\\Projects", "--out", "x", "--part", "all").returncode == 2
    assert cli.run("export-tree", "Projects", "--out", "x").returncode == 2  # a path starts at \
    assert cli.run("export-tree", "10", "--out", "x").returncode == 2  # a document, not a folder
    assert cli.run("export-tree", "\\Nowhere", "--out", "x").returncode == 4  # 404


def test_export_search(cli: Cli) -> None:
    result = cli.run("export-search", '{LF:Name="Invoice*", Type="D"}', "--out", "s", "--json")
    assert result.returncode == 0, result
    assert result.json()["summary"]["documents"] == 2
    assert (cli.cwd / "s" / "Invoice 1001.tif").is_file()


def test_ls(cli: Cli) -> None:
    flat = cli.run("ls", "\\Projects")
    assert flat.returncode == 0, flat
    assert [line.split()[0] for line in flat.stdout.splitlines()] == ["Folder", "Folder", "Shortcut"]
    deep = cli.run("ls", "\\Projects", "--recursive", "--json")
    doc = deep.json()
    assert doc["count"] == 7
    assert {e["path"] for e in doc["entries"]} >= {"2023\\Q4\\Budget Q4", "Archive"}
