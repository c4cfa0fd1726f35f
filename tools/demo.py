"""`make demo`: start the emulator on a free port, run real `lf-export` exports of the sample repository, show
what was produced, stop the emulator (also on Ctrl-C or an error).

Each step is the real command line a user would type (the connection comes from LF_* variables, so no token
appears in any command); its --json document feeds the final table. Files land in demo-out/ (gitignored,
emptied at the start of each run).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

# The demo runs in the repository root unless LF_DEMO_DIR names another folder (the docs test uses one).
ROOT = Path(os.environ.get("LF_DEMO_DIR") or Path(__file__).resolve().parents[1]).resolve()
OUT = ROOT / "demo-out"
LF_EXPORT = Path(sys.executable).with_name("lf-export")
START_TIMEOUT = 30.0

# (label in the table, what the step shows, the command line after `lf-export`)
STEPS: list[tuple[str, str, str]] = [
    ("tiff", "multi-page TIFF", "export 12 --out demo-out/tiff"),
    (
        "pdf",
        "PDF with a watermark and a page range; audit reason given by name",
        "export 13 --format pdf --pages 1-3,7 --watermark CONFIDENTIAL --watermark-position TopRight "
        "--watermark-angle 30 --audit-reason 'Legal request' --audit-comment demo --out demo-out/pdf",
    ),
    (
        "pages",
        "SinglePageTIFF zip with a custom page prefix, extracted to a folder",
        "export 11 --format single-tiff --page-prefix _p --extract --out demo-out/pages",
    ),
    (
        "text",
        "text with redactions shown as '#'",
        "export 15 --part text --redaction-char '#' --out demo-out/text",
    ),
    ("edoc", "the electronic document as stored (DOCX)", "export 21 --part edoc --out demo-out/edoc"),
    (
        "batch",
        "export_many: 7 entries as tasks, 3 at a time, polled together",
        "export 10 11 12 13 14 15 16 --max-concurrent-tasks 3 --out demo-out/batch",
    ),
    (
        "journal",
        "a durable run: a journal (SQLite, in the output folder) records every job",
        "export 10 11 --journal --out demo-out/journal",
    ),
    (
        "journal",
        "the same command again: the journal says nothing changed",
        "export 10 11 --journal --out demo-out/journal",
    ),
    (
        "tree",
        "a folder tree mirrored to disk, with a metadata sidecar per document and a manifest",
        "export-tree 40 --format pdf --out demo-out/tree",
    ),
    (
        "copy",
        "the Long Operations guide's worked example: copy a folder as a task, read the new entry",
        "copy 9 --to 8 --name 'Demo copy' --auto-rename",
    ),
]


def start_emulator() -> tuple[subprocess.Popen[str], dict[str, Any]]:
    """`lf-export emulator serve` on free ports; returns the process and its connection info."""
    proc = subprocess.Popen(  # noqa: S603 (our own console script)
        [str(LF_EXPORT), "emulator", "serve", "--port", "0", "--json", "--task-seconds", "0.5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline() if proc.stdout else ""))
    reader.start()
    reader.join(START_TIMEOUT)
    if not line or not line[0].strip():
        stop_emulator(proc)
        raise SystemExit("demo: the emulator did not start")
    return proc, json.loads(line[0])


def stop_emulator(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def run_step(console: Console, env: dict[str, str], title: str, args: list[str]) -> dict[str, Any]:
    """Run one `lf-export` command as a user would, with --json added to collect what it wrote."""
    console.print(f"\n[bold]{title}[/]")
    console.print(f"[dim]$[/] lf-export {shlex.join(args)}", highlight=False)
    # stderr is inherited: on a terminal the command draws its own progress bars.
    done = subprocess.run(  # noqa: S603 (our own console script)
        [str(LF_EXPORT), *args, "--json"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    doc: dict[str, Any] = json.loads(done.stdout)
    console.print(f"  exit {done.returncode}: {_outcome(doc)}", highlight=False)
    return doc


def _shown(path: str) -> str:
    return str(Path(path).resolve().relative_to(ROOT)) if Path(path).resolve().is_relative_to(ROOT) else path


def _outcome(doc: dict[str, Any]) -> str:
    """One line about what a command's JSON document says it did."""
    if "results" in doc:
        ok = sum(1 for row in doc["results"] if row["status"] == "ok")
        return f"{ok} of {len(doc['results'])} exported"
    if "journal" in doc:
        return (
            f"{doc['exported']} exported, {doc['unchanged']} unchanged since the last run; "
            f"journal {_shown(doc['journal'])}"
        )
    if "summary" in doc:
        tree = doc["summary"]
        return (
            f"{tree['documents']} documents in {tree['folders']} folders, {tree['bytes'] / 1024:.1f} KiB, "
            f"{tree['skipped']} skipped (nothing to export), {tree['failed']} failed; manifest "
            f"{_shown(tree['manifest'])}"
        )
    if "entry" in doc:
        entry = doc["entry"]
        return f"new {entry['entry_type']} {entry['entry_id']} at {entry['path']} (task {doc['task_id']})"
    return "done"


def summary(docs: list[tuple[str, dict[str, Any]]]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=f"What was produced (in {OUT.name}/)", title_justify="left")
    for name in ("step", "entry", "file", "size", "type"):
        table.add_column(name, justify="right" if name in ("entry", "size") else "left", overflow="fold")
    for label, doc in docs:
        for row in doc.get("results", []):
            if row["status"] != "ok":
                table.add_row(label, str(row["entry_id"]), "-", "-", row["status"])
                continue
            file = str(Path(row["path"]).relative_to(OUT.name))
            if row["extracted"]:
                file += f" → {len(row['extracted'])} files in {Path(row['extracted'][0]).parent.name}/"
            kind = (row["content_type"] or "-").split(";")[0]
            if len(kind) > 24:
                kind = kind.split("/")[0] + "/…" + Path(row["path"]).suffix
            table.add_row(label, str(row["entry_id"]), file, f"{row['size'] / 1024:.1f} KiB", kind)
    return table


def main() -> int:
    console = Console(highlight=False)
    started = time.monotonic()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir()
    proc, info = start_emulator()
    try:
        console.print(f"emulator: {info['base_url']} (repository {info['repository_id']})")
        env = {
            **os.environ,
            "LF_BASE_URL": info["base_url"],
            "LF_REPOSITORY_ID": info["repository_id"],
            "LF_ACCESS_TOKEN": info["token"],
        }
        docs = [(label, run_step(console, env, title, shlex.split(line))) for label, title, line in STEPS]
        console.print()
        console.print(summary(docs))
        failed = [doc for _, doc in docs if doc["exit_code"] != 0]
        console.print(f"{len(docs)} commands in {time.monotonic() - started:.1f}s; files are in {OUT}")
        return 1 if failed else 0
    except KeyboardInterrupt:
        console.print("\ninterrupted: stopping the emulator")
        return 130
    finally:
        stop_emulator(proc)


if __name__ == "__main__":
    sys.exit(main())
