"""`lf-export emulator serve ...`: the local Laserfiche emulator (the `emulator` extra), as `lf-emulator`."""

from __future__ import annotations

from typing import NoReturn

import click

from ._output import EXIT_USAGE

__all__ = ["emulator_group"]


@click.group("emulator")
def emulator_group() -> None:
    """The local Laserfiche emulator (needs the `emulator` extra)."""


@emulator_group.command(
    "serve",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def serve_command(args: tuple[str, ...]) -> NoReturn:
    """Serve the emulator until Ctrl-C (flags: see `lf-export emulator serve --help`)."""
    try:
        from lf_emulator.__main__ import main as serve
    except ImportError as exc:  # the emulator extra is not installed
        click.echo(
            f"error: the emulator is not installed ({exc}); pip install 'lf-export[emulator]'", err=True
        )
        raise click.exceptions.Exit(EXIT_USAGE) from None
    raise click.exceptions.Exit(serve(list(args)))
