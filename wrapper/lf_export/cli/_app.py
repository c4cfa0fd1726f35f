"""The `lf-export` click group, its commands, and the console script `main`."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Sequence

import click

from lf_export import __version__

from ._flags import output_options
from ._output import EXIT_INTERRUPTED, EXIT_OK
from .audit_reasons import audit_reasons_command
from .emulator import emulator_group
from .export import export_command
from .resume import resume_command
from .tasks import tasks_group
from .validate import validate_command

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, "--version", prog_name="lf-export")
@output_options
def cli(json_mode: bool, quiet: bool, verbose: int) -> None:
    """Export documents from a Laserfiche repository (Repository API V2).

    Connection: flags, else LF_BASE_URL, LF_REPOSITORY_ID, LF_ACCESS_TOKEN (or LF_SERVICE_PRINCIPAL_KEY /
    LF_ACCESS_KEY for a Cloud service principal, or LF_USERNAME / LF_PASSWORD for a self-hosted server), else
    a config file. Exit codes: 0 ok, 1 some exports failed, 2 usage, 3 auth,
    4 API error, 5 deadline passed, 130 interrupted.
    """


for _command in (
    export_command,
    tasks_group,
    resume_command,
    audit_reasons_command,
    validate_command,
    emulator_group,
):
    cli.add_command(_command)


def main(argv: Sequence[str] | None = None) -> int:
    """The `lf-export` console script. Returns the exit code (see `_output`)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)  # SIGTERM cleans up like Ctrl-C
    except ValueError:  # not the main thread (an embedding caller): leave signals alone
        previous = None
    try:
        code = cli.main(args=args, prog_name="lf-export", standalone_mode=False)
    except click.exceptions.Exit as exc:  # click returns it in non-standalone mode; kept for safety
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        if "--json" in args:
            doc = {
                "ok": False,
                "exit_code": exc.exit_code,
                "error": {"type": "UsageError", "message": exc.format_message()},
            }
            sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return code if isinstance(code, int) else EXIT_OK


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
