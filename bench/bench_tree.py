"""Exporting a synthetic tree (``--synthetic-entries``) into a mirror: requests, memory, time.

- API requests per document without metadata: every request the run made except the listing pages (and the
  one read of the folder), per exported document. Target <= 1.3 (small documents use the simple Export: one
  request each; larger ones a task: start + a share of the ListTasks rounds). The listing pages are shown.
- The same with metadata (ListFields, ListTags, ListLinks per document): reported.
- Client peak RSS exporting the large tree against the small one (each in a fresh process). Target <= 1.2x:
  memory does not grow with the tree (one listing page per level, a bounded batch of waiting documents).
- Time: `export_tree` against `export_many` of the same document ids (same concurrency), for information.

Default sizes are short (about 300 and 3,000 documents); ``LF_BENCH_TREE_FULL=1`` runs 1,000 and 10,000.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _emu import Emulator
from _report import Figure, report
from lf_export import ExportClient, PollPolicy

POLL = PollPolicy(initial_wait=0.01, max_wait=0.05, quick_answer=0.5)
FULL = os.environ.get("LF_BENCH_TREE_FULL", "").strip() not in ("", "0")
SMALL, LARGE = (1_010, 10_100) if FULL else (303, 3_030)  # entries: 1 % folders, ~1 % shortcuts
CONCURRENCY = 4
LISTING = ("ListEntries", "GetEntryByPath", "GetEntry")


def _requests(emu: Emulator) -> dict[str, int]:
    return dict(emu.counters()["requests"])


def _delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: v - before.get(k, 0) for k, v in after.items() if v - before.get(k, 0)}


def _child(base_url: str, dest: str, metadata: bool) -> None:
    """Export \\Synthetic in this fresh process; print documents, seconds and peak RSS as JSON."""
    start = time.perf_counter()
    with ExportClient(base_url, "r-emulator", token=os.environ["LF_TOKEN"], poll=POLL) as lf:
        summary = lf.export_tree(
            "\\Synthetic", dest, metadata=metadata, max_concurrent_tasks=CONCURRENCY, page_size=150
        )
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        json.dumps({"documents": summary.documents, "failed": summary.failed, "seconds": seconds, "rss": rss})
    )


def export_in_child(emu: Emulator, metadata: bool) -> tuple[dict[str, Any], dict[str, int]]:
    before = _requests(emu)
    with tempfile.TemporaryDirectory() as tmp:
        args = [sys.executable, __file__, "--child", emu.base_url, tmp, "1" if metadata else "0"]
        out = subprocess.run(
            args, capture_output=True, text=True, check=True, env={**os.environ, "LF_TOKEN": emu.token}
        )
    return json.loads(out.stdout.strip().splitlines()[-1]), _delta(_requests(emu), before)


def per_document(requests: dict[str, int], documents: int) -> tuple[float, int]:
    listing = sum(requests.get(name, 0) for name in LISTING)
    others = sum(requests.values()) - listing
    return others / max(documents, 1), requests.get("ListEntries", 0)


def versus_export_many(emu: Emulator) -> tuple[float, float, int]:
    with ExportClient(emu.base_url, emu.repository_id, token=emu.token, poll=POLL) as lf:
        ids = [e.entry_id for e in lf.walk("\\Synthetic") if e.entry_type == "Document"]
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            lf.export_tree("\\Synthetic", tmp, metadata=False, max_concurrent_tasks=CONCURRENCY)
            tree = time.perf_counter() - start
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            lf.export_many(ids, tmp, max_concurrent_tasks=CONCURRENCY)
            many = time.perf_counter() - start
    return tree, many, len(ids)


def main() -> None:
    figures: list[Figure] = []
    runs: dict[int, dict[str, Any]] = {}
    for entries in (SMALL, LARGE):
        with Emulator(
            "--task-seconds", "0.05", "--synthetic-entries", str(entries), "--max-concurrent-tasks", "4"
        ) as emu:
            plain, requests = export_in_child(emu, metadata=False)
            runs[entries] = plain
            if entries == LARGE:
                rate, pages = per_document(requests, plain["documents"])
                figures.append(
                    Figure(
                        f"tree: API requests per document, no metadata, {plain['documents']} documents",
                        rate,
                        "req/doc",
                        "<= 1.3",
                        rate <= 1.3 and plain["failed"] == 0,
                        f"plus {pages} listing pages; {plain['seconds']:.1f} s; requests {requests}",
                    )
                )
            if entries == SMALL:
                meta, requests = export_in_child(emu, metadata=True)
                rate, pages = per_document(requests, meta["documents"])
                figures.append(
                    Figure(
                        f"tree: API requests per document with metadata, {meta['documents']} documents",
                        rate,
                        "req/doc",
                        "report",
                        True,
                        f"plus {pages} listing pages (fields, tags, links: one page each here)",
                    )
                )
                tree, many, count = versus_export_many(emu)
                figures.append(
                    Figure(
                        f"tree: export_tree / export_many wall time, {count} documents",
                        tree / many,
                        "x",
                        "info",
                        True,
                        f"export_tree {tree:.2f} s (simple Export for small documents), "
                        f"export_many {many:.2f} s (tasks), {CONCURRENCY} at once",
                    )
                )
    small, large = runs[SMALL], runs[LARGE]
    growth = large["rss"] / small["rss"]
    figures.append(
        Figure(
            f"tree: client peak RSS, {large['documents']} / {small['documents']} documents",
            growth,
            "x",
            "<= 1.2x",
            growth <= 1.2,
            f"{small['rss'] / 2**20:.1f} MiB vs {large['rss'] / 2**20:.1f} MiB",
        )
    )
    report(figures)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], sys.argv[4] == "1")
    else:
        main()
