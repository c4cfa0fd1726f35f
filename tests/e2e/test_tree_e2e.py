"""Trees and searches against the emulator over real HTTP: the sample tree exported into a mirror and checked
file by file and sidecar by sidecar against the emulator's own data; a search export; searches broken off
early are closed (the token's two open searches never run out)."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from lf_emulator.testing import EmulatorServer
from lf_export import AsyncExportClient, ExportClient, ExportOptions, PollPolicy
from PIL import Image

pytestmark = pytest.mark.e2e

FAST_POLL = PollPolicy(initial_wait=0.01, max_wait=0.05, quick_answer=0.5)


def client(emu: EmulatorServer, **kwargs: Any) -> ExportClient:
    return ExportClient(emu.base_url, emu.repository_id, token=emu.token, poll=FAST_POLL, **kwargs)


def manifest(dest: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in (dest / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    with (dest / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert [r["entry_id"] for r in table] == [str(r["entry_id"]) for r in rows]
    return rows


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_sample_tree_is_mirrored_file_by_file_and_sidecar_by_sidecar(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    repo = emulator.state.repository
    with client(emulator) as lf:
        summary = lf.export_tree("\\", tmp_path, follow_shortcuts=True, page_size=4, max_concurrent_tasks=2)
    rows = manifest(tmp_path)
    by_id = {row["entry_id"]: row for row in rows}
    documents = [e for e in repo.entries.values() if e.entry_type == "Document"]
    assert {e.id for e in documents} <= set(by_id)
    for entry in documents:
        row = by_id[entry.id]
        full_path = repo.full_path(entry)
        assert row["repository_path"] == full_path
        has_pages, edoc = len(entry.pages) > 0, entry.edoc
        if entry.locked:
            assert row["status"] == "failed", row
            continue
        if edoc is None and not has_pages:
            assert row["status"] == "skipped"
            assert "nothing to export" in row["reason"]
            assert (tmp_path / row["sidecar"]).is_file()
            continue
        assert row["status"] == "exported", row
        file = tmp_path / row["path"]
        assert file.is_file()
        assert row["sha256"] == sha256(file)
        assert row["size"] == file.stat().st_size
        # the folders of the mirror are the entry's folders, sanitised
        assert len(Path(row["path"]).parts) == full_path.count("\\")
        if edoc is not None:
            assert row["part"] == "Edoc"
            assert file.stat().st_size == edoc.size
            assert file.suffix == f".{edoc.extension}"
        else:
            assert row["part"] == "Image"
            with Image.open(file) as image:
                assert getattr(image, "n_frames", 1) == len(entry.pages)
        sidecar = json.loads((tmp_path / row["sidecar"]).read_text(encoding="utf-8"))
        assert sidecar["entry_id"] == entry.id
        assert sidecar["full_path"] == full_path
        assert sidecar["creator"] == entry.creator
        assert sidecar["page_count"] == len(entry.pages)
        assert sidecar["template"]["name"] == (entry.template_name or None)
        assert sidecar["export"]["sha256"] == row["sha256"]
        template = repo.template_of(entry)
        want_fields = [
            (f.name, str(f.field_type), list(entry.values_of(f.name)))
            for f in (template.fields if template else ())
            if entry.values_of(f.name)
        ]
        got_fields = [(f["name"], f["type"], f["values"]) for f in sidecar["fields"] if f["values"]]
        assert got_fields == want_fields
        assert sorted(t["tag_id"] for t in sidecar["tags"]) == sorted(entry.tag_ids)
        want_links = sorted(link.id for link in repo.links_of(entry.id))
        assert sorted(link["link_id"] for link in sidecar["links"]) == want_links
    # every multi-value field came whole (a listing's fields= would give only the first value)
    budget = json.loads((tmp_path / by_id[50]["sidecar"]).read_text(encoding="utf-8"))
    assert any(len(f["values"]) > 1 for f in budget["fields"])
    # hostile names are sanitised, folders are directories, record series too
    assert (tmp_path / "Odd Names" / "_CON.tif").is_file()
    assert (tmp_path / "Odd Names" / "Trailing dot.tif").is_file()
    assert (tmp_path / "Records" / "Closed Matters").is_dir()
    assert (tmp_path / "Projects" / "Archive").is_dir()  # an empty folder is mirrored too
    # shortcuts: every target is inside the tree, so each is recorded, none exported twice
    for shortcut in (30, 51, 53, 61):
        assert by_id[shortcut]["status"] == "skipped"
    assert summary.documents == sum(r["status"] == "exported" for r in rows)
    assert summary.folders == sum(r["status"] == "folder" for r in rows)
    assert summary.bytes == sum(r["size"] or 0 for r in rows if r["status"] == "exported")


def test_shortcuts_are_followed_out_of_the_tree_but_never_into_a_loop(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    with client(emulator) as lf:
        outcomes = {
            o.entry.path: o for o in lf.iter_export_tree("\\Projects", tmp_path, follow_shortcuts=True)
        }
        handbook = outcomes["Shortcut to Policy Handbook"]
        assert handbook.status == "exported"
        assert handbook.entry.via_shortcut == 53
        assert handbook.path == tmp_path / "Shortcut to Policy Handbook.pdf"
        assert outcomes["2023\\Q4\\Up to Projects"].status == "skipped"
        loop = lf.export_tree("\\Projects\\2023", tmp_path / "y", follow_shortcuts=True, metadata=False)
        assert loop.failed == 0
        rows = {r["entry_id"]: r for r in manifest(tmp_path / "y")}
        assert "loop" in rows[51]["reason"]
        assert not list((tmp_path / "y").rglob("*.metadata.json"))
        not_followed = lf.export_tree("\\Projects", tmp_path / "z", metadata=False)
        assert not_followed.skipped == 2  # both shortcuts, recorded


def test_a_second_run_names_everything_alike(emulator: EmulatorServer, tmp_path: Path) -> None:
    with client(emulator) as lf:
        lf.export_tree("\\Odd Names", tmp_path / "a", ExportOptions.pdf(), metadata=False)
        lf.export_tree("\\Odd Names", tmp_path / "b", ExportOptions.pdf(), metadata=False)
        again = lf.export_tree("\\Odd Names", tmp_path / "b", ExportOptions.pdf(), metadata=False)
    first = sorted(p.relative_to(tmp_path / "a").as_posix() for p in (tmp_path / "a").rglob("*"))
    second = sorted(p.relative_to(tmp_path / "b").as_posix() for p in (tmp_path / "b").rglob("*"))
    assert first == second
    assert again.documents == 0  # the files are there: not overwritten without overwrite=True
    assert all(r["status"] != "exported" for r in manifest(tmp_path / "b"))


def test_a_search_export(emulator: EmulatorServer, tmp_path: Path) -> None:
    with client(emulator) as lf:
        summary = lf.export_search('{LF:Name="Invoice*"}', tmp_path, ExportOptions.pdf())
    rows = {r["entry_id"]: r for r in manifest(tmp_path)}
    assert rows[10]["path"] == "Invoice 1001.pdf"
    assert rows[11]["path"] == "Invoice 1002.pdf"
    assert rows[2]["status"] == "skipped"  # the folder "Invoices" is a result too
    assert summary.documents == 2
    sidecar = json.loads((tmp_path / "Invoice 1001.pdf.metadata.json").read_text(encoding="utf-8"))
    assert sidecar["export"]["options"]["imageOptions"]["format"] == "PDF"
    assert sidecar["tags"][0]["name"] == "Paid"
    assert emulator.counters()["requests"]["CancelTasks"] == 1


@pytest.mark.emulator_config(max_open_searches=2)
def test_a_search_broken_off_early_is_closed(emulator: EmulatorServer) -> None:
    with client(emulator) as lf:
        for _ in range(4):  # more than the two open searches a token may hold
            with contextlib.closing(lf.search('{LF:Type="D"}', page_size=2)) as results:
                first = next(results)
            assert first.entry_type == "Document"
        assert emulator.counters()["requests"]["CancelTasks"] == 4
        assert len(list(lf.search('{LF:Name="Invoice*"}'))) == 3


def test_listings_and_metadata(emulator: EmulatorServer) -> None:
    with client(emulator) as lf:
        names = [e.name for e in lf.children(2, page_size=2)]
        assert names == ["Annual Report 2023", "Invoice 1001", "Invoice 1002", "Scanned Letter (2)"]
        walked = [e.path for e in lf.walk("\\Projects", include="Budget*")]
        assert walked == ["2023", "2023\\Q4", "2023\\Q4\\Budget Q4", "Archive"]
        assert [t.name for t in lf.tags(12)] == ["Confidential", "LegalHold"]
        assert [link.target_id for link in lf.links(10)] == [12]
        fields = {f.name: f for f in lf.fields(50)}
        assert any(f.is_multi_value and len(f.values) > 1 for f in fields.values())
        assert lf.metadata(50).fields == tuple(fields.values())


def test_async_tree_and_search(emulator: EmulatorServer, tmp_path: Path) -> None:
    async def main() -> None:
        async with AsyncExportClient(
            emulator.base_url, emulator.repository_id, token=emulator.token, poll=FAST_POLL
        ) as lf:
            paths = [e.path async for e in lf.walk("\\Projects")]
            assert "2023\\Q4\\Budget Q4" in paths
            summary = await lf.export_tree(
                "\\Invoices", tmp_path, ExportOptions.pdf(), max_concurrent_tasks=2
            )
            assert summary.documents == 4
            assert summary.failed == 0
            async with contextlib.aclosing(lf.search('{LF:Type="D"}', page_size=1)) as results:
                async for _ in results:
                    break
            assert emulator.counters()["requests"]["CancelTasks"] == 1
            fields = [f async for f in lf.fields(10)]
            assert fields

    asyncio.run(main())
    assert (tmp_path / "Annual Report 2023.pdf").is_file()
