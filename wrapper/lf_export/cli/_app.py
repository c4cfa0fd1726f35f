"""The `lf-export` click group, its commands, and the console script `main`."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

import click

from lf_export import __version__

from ._flags import output_options
from ._output import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, clip
from .audit_reasons import audit_reasons_command
from .copy import copy_command
from .delete import delete_command
from .emulator import emulator_group
from .export import export_command
from .ls import ls_command
from .resume import resume_command
from .runs import runs_group
from .search import export_search_command
from .tasks import tasks_group
from .tree import export_tree_command
from .validate import validate_command

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, "--version", prog_name="lf-export")
@output_options
def cli(json_mode: bool, jsonl: bool, quiet: bool, verbose: int) -> None:
    """Export documents from a Laserfiche repository (Repository API V2).

    Connection: flags, else LF_BASE_URL, LF_REPOSITORY_ID, LF_ACCESS_TOKEN (or LF_SERVICE_PRINCIPAL_KEY /
    LF_ACCESS_KEY for a Cloud service principal, or LF_USERNAME / LF_PASSWORD for a self-hosted server), else
    a config file. Exit codes: 0 ok, 1 some exports (copies, deletes) failed, 2 usage (or an unusable
    journal), 3 auth, 4 API error (or a wrong repository id), 5 deadline passed, 130 interrupted.
    """


for _command in (
    export_command,
    export_tree_command,
    export_search_command,
    ls_command,
    copy_command,
    delete_command,
    tasks_group,
    resume_command,
    runs_group,
    audit_reasons_command,
    validate_command,
    emulator_group,
):
    cli.add_command(_command)


def main(argv: Sequence[str] | None = None) -> int:
    """The `lf-export` console script. Returns the exit code (see `_output`). SIGTERM and SIGHUP (a closed
    terminal, a dropped ssh session) end the run like Ctrl-C: what it started is cancelled, ids are printed.
    No traceback reaches the user: an output that cannot be written (a full disk, a closed pipe) and any
    other unexpected error end in one line on stderr (``LF_EXPORT_TRACEBACK=1`` shows the traceback)."""
    args = list(sys.argv[1:] if argv is None else argv)
    previous: dict[int, Any] = {}
    for name in _INTERRUPTING_SIGNALS:
        number = getattr(signal, name, None)
        if number is None:  # SIGHUP does not exist on Windows
            continue
        try:
            previous[number] = signal.signal(number, _terminate)
        except ValueError:  # not the main thread (an embedding caller): leave signals alone
            break
    try:
        return _main(args)
    except OSError as exc:  # writing the output failed (stdout on a full disk, a closed pipe)
        return _output_failed(exc)
    except Exception as exc:  # a bug of ours: one line, not a traceback
        if os.environ.get("LF_EXPORT_TRACEBACK"):
            raise
        _stderr(
            f"error: unexpected {type(exc).__name__}: {clip(str(exc), 300)} (a bug in lf-export; "
            "LF_EXPORT_TRACEBACK=1 shows the traceback)"
        )
        return EXIT_FAILED
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


_INTERRUPTING_SIGNALS = ("SIGTERM", "SIGHUP")


def _main(args: list[str]) -> int:
    try:
        code = cli.main(args=args, prog_name="lf-export", standalone_mode=False)
    except click.exceptions.Exit as exc:  # click returns it in non-standalone mode; kept for safety
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        if "--json" in args or "--jsonl" in args:
            doc = {
                "ok": False,
                "exit_code": exc.exit_code,
                "error": {"type": "UsageError", "message": clip(exc.format_message(), 2000)},
            }
            sys.stdout.write(json.dumps(doc, indent=None if "--jsonl" in args else 2) + "\n")
            sys.stdout.flush()
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    return code if isinstance(code, int) else EXIT_OK


def _output_failed(exc: OSError) -> int:
    """stdout (or stderr) could not be written: say so once on stderr when it still works, and point stdout
    at the null device so that the interpreter's last flush at exit does not fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    if not isinstance(exc, BrokenPipeError):  # `| head` closing early is not worth a message
        _stderr(f"error: cannot write the output: {exc.strerror or exc}")
    return EXIT_FAILED


def _stderr(line: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
