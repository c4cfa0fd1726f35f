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
* The client is built with ``cancel_on_abort=False`` so that a deadline leaves the tasks running and the
  command can print ``lf-export resume`` lines; on Ctrl-C the command itself cancels the tasks it started
  (``--keep-on-interrupt`` lists them instead). ``tasks wait`` cancels the tasks it waits on when
  interrupted, unless ``--keep-on-interrupt``; ``resume`` never cancels (the task was started elsewhere).
* A Laserfiche Cloud service principal (``LF_SERVICE_PRINCIPAL_KEY`` + ``LF_ACCESS_KEY``): one token source
  per command run, shared by every client of the run, so the client that cancels tasks after Ctrl-C uses
  the token that started them (tasks belong to their token). A later run signs in again and may not see
  tasks the earlier run started: the resume hint says so.
"""

from ._app import cli, main

__all__ = ["cli", "main"]
