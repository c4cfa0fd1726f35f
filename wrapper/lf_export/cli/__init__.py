"""`lf-export`: export documents from a Laserfiche repository from the command line.

    lf-export export 2161949 --format pdf --pages 1-3 --watermark CONFIDENTIAL --out exports/
    lf-export export --from-file ids.txt --max-concurrent-tasks 2 --deadline 30m --out exports/
    lf-export tasks status 0f9c...; lf-export tasks wait 0f9c...; lf-export tasks cancel 0f9c...
    lf-export resume 0f9c... --out exports/
    lf-export export 10 11 12 --journal --out archive/       # durable: the same command again continues
    lf-export resume --journal archive/; lf-export runs status archive/
    lf-export copy 9 --to 8 --auto-rename; lf-export delete 70 --yes --audit-reason "Created in error"
    lf-export audit-reasons --json
    lf-export validate --format jpeg --jpeg-quality 120 --pages 3-1     # offline; exit 2 with every problem
    lf-export emulator serve --port 8080

The command line uses only the public `lf_export` API. Modules:

* `_app`: the click group and `main` (the console script); one module per command: `export`, `tasks`,
  `resume`, `runs`, `copy`, `delete`, `tree` (export-tree), `search` (export-search), `ls`, `validate`,
  `audit_reasons`, `emulator`.
* `export`'s parts: `_export_loops` (one entry after the other, or a batch of tasks), `_no_wait`
  (``--no-wait`` of export, copy and delete), `_journal_run` (``--journal``, ``resume --journal``,
  ``runs resume``), `_audit` (``--audit-reason ID|NAME`` against the ExportDocument or DeleteEntry reasons),
  `_repository` (whether a 404 is the repository's: a wrong repository id is run-level, exit 4).
* `_params`: typed parameters (durations, entry ids, task ids, ...) whose problems are collected, so a
  command line with several mistakes gets one error listing all of them (exit 2).
* `_flags`: flags several commands share; `_options`: export option flags → `ExportOptions`;
  `_config`: connection settings and ``--pacing`` (flags, then environment, then a config file).
* `_run`: one invocation (its connection, client, exit); `_output`: exit codes, errors, JSON, tables;
  `_progress`: live progress bars; `_rows`: the result rows of `export` and `resume`.

Decisions:
* One interrupt rule: a command cancels only what it started, and prints the command that finishes every
  task left running (``lf-export resume`` for an export, ``lf-export tasks wait`` for a copy or a delete).
  Its one client per run is built with ``cancel_on_deadline=False`` (a deadline leaves the tasks running;
  the command prints how to finish them) and ``cancel_on_interrupt=not --keep-on-interrupt`` (on Ctrl-C,
  SIGTERM or SIGHUP the library cancels the tasks `export`, `copy` or `delete` started and
  `ExportInterrupted` names them). ``tasks wait`` and ``resume`` never cancel: they did not start the task.
* Reruns: an existing file is refused unless ``--overwrite`` / ``--rename`` / ``--skip-existing``; with
  ``--out-file`` before any export, in ``--out`` when the server-named file arrives (see `export`).
* Each entry's outcome is printed as it ends (`_rows.OutcomeStream`; ``--jsonl``: JSON lines).
* Without the `cli` extra the console script prints one ``pip install 'lf-export[cli]'`` line (exit 2);
  without the `cloud` extra a service principal's run stops before any request with one such line (exit 2).
* A Laserfiche Cloud service principal (``LF_SERVICE_PRINCIPAL_KEY`` + ``LF_ACCESS_KEY``) signs in once per
  run; tasks belong to the token that started them, so a later run may not see them: the resume hint says so.
* Final task statuses are `TaskStatus` members (a StrEnum: JSON shows the same strings).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["cli", "main"]

#: The `cli` extra: without them the console script prints one line saying how to install them (exit 2).
_EXTRA_MODULES = frozenset({"click", "rich", "platformdirs"})
_EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """The `lf-export` console script (see `_app.main`). Without the `cli` extra: a one-line hint, exit 2."""
    try:
        from ._app import main as app_main
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] not in _EXTRA_MODULES:
            raise
        sys.stderr.write(
            f"error: the lf-export command needs the 'cli' extra ({exc.name} is not installed): "
            "pip install 'lf-export[cli]'\n"
        )
        return _EXIT_USAGE
    return app_main(argv)


def __getattr__(name: str) -> Any:
    if name == "cli":
        from ._app import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
