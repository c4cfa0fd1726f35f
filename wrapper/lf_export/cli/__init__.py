"""`lf-export`: export documents from a Laserfiche repository from the command line.

    lf-export export 2161949 --format pdf --pages 1-3 --watermark CONFIDENTIAL --out exports/
    lf-export export --from-file ids.txt --max-concurrent-tasks 2 --deadline 30m --out exports/
    lf-export tasks status 0f9c...; lf-export tasks wait 0f9c...; lf-export tasks cancel 0f9c...
    lf-export resume 0f9c... --out exports/
    lf-export audit-reasons --json
    lf-export validate --format jpeg --jpeg-quality 120 --pages 3-1     # offline; exit 2 with every problem
    lf-export emulator serve --port 8080

The command line uses only the public `lf_export` API. Modules:

* `_app`: the click group and `main` (the console script); one module per command: `export`, `tasks`,
  `resume`, `validate`, `audit_reasons`, `emulator`.
* `_params`: typed parameters (durations, entry ids, task ids, ...) whose problems are collected, so a
  command line with several mistakes gets one error listing all of them (exit 2).
* `_flags`: flags several commands share; `_options`: export option flags → `ExportOptions`;
  `_config`: connection settings (flags, then environment, then a config file).
* `_run`: one invocation (its connection, client, exit); `_output`: exit codes, errors, JSON, tables;
  `_progress`: live progress bars; `_rows`: the result rows of `export` and `resume`.

Decisions:
* The CLI uses the library's abort handling and adds none of its own: its one client per run is built with
  ``cancel_on_deadline=False`` (a deadline leaves the tasks running and the command prints
  ``lf-export resume`` lines) and ``cancel_on_interrupt=not --keep-on-interrupt`` (on Ctrl-C the library
  cancels the tasks it started and `ExportInterrupted` names them). Only ``tasks wait``, which waits on tasks
  it did not start, cancels them itself on Ctrl-C (unless ``--keep-on-interrupt``), on the same client;
  ``resume`` never cancels (the task was started elsewhere).
* A Laserfiche Cloud service principal (``LF_SERVICE_PRINCIPAL_KEY`` + ``LF_ACCESS_KEY``) signs in once per
  run; tasks belong to the token that started them, so a later run may not see them: the resume hint says so.
* Final task statuses are `TaskStatus` members (a StrEnum: JSON shows the same strings).
"""

from ._app import cli, main

__all__ = ["cli", "main"]
