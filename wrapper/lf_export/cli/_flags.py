"""Flags shared by several commands: output (``--json -q -v``), connection, and export options."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ._options import OptionFlags

__all__ = ["connection_options", "export_option_flags", "option_flags", "output_options"]

F = TypeVar("F", bound=Callable[..., Any])


def _apply(func: F, options: list[Callable[[F], F]]) -> F:
    for option in reversed(options):
        func = option(func)
    return func


def output_options(func: F) -> F:
    """``--json``, ``-q``, ``-v``: on the group and on every command (either place counts)."""
    return _apply(
        func,
        [
            click.option(
                "-v", "--verbose", count=True, help="Log requests and task ids to stderr (-vv: more)."
            ),
            click.option("-q", "--quiet", is_flag=True, help="Only errors (and the JSON document)."),
            click.option("--json", "json_mode", is_flag=True, help="Print one JSON document on stdout."),
            click.option(
                "--jsonl",
                is_flag=True,
                help="JSON lines on stdout: each result as it ends, then the summary (--json's document "
                "without its results).",
            ),
        ],
    )


def connection_options(func: F) -> F:
    return _apply(
        func,
        [
            click.option("--base-url", metavar="URL", help="API base URL [env LF_BASE_URL]."),
            click.option(
                "--repository-id", metavar="ID", help="Repository id, e.g. r-abc123 [env LF_REPOSITORY_ID]."
            ),
            click.option(
                "--token",
                metavar="TOKEN",
                help="Access token (lands in shell history: prefer env LF_ACCESS_TOKEN).",
            ),
            click.option(
                "--access-key",
                metavar="KEY",
                help="Laserfiche Cloud service principal access key (lands in shell history: prefer env "
                "LF_ACCESS_KEY).",
            ),
            click.option(
                "--service-principal-key",
                metavar="KEY",
                help="Its service principal key (lands in shell history: prefer env "
                "LF_SERVICE_PRINCIPAL_KEY).",
            ),
            click.option(
                "--token-url",
                metavar="URL",
                help="Sign-in URL for the access key (e.g. the emulator's) [env LF_TOKEN_URL].",
            ),
            click.option(
                "--username",
                metavar="NAME",
                help="Self-hosted user [env LF_USERNAME]; asks for the password.",
            ),
            click.option(
                "--password",
                metavar="PW",
                help="Self-hosted password (prefer env LF_PASSWORD or the prompt).",
            ),
            click.option(
                "--pacing",
                metavar="auto|cloud|off",
                help="Keep requests under the server's limits: auto (Laserfiche Cloud's for Cloud hosts, "
                "none elsewhere), cloud, off [env LF_PACING; config pacing; default auto].",
            ),
            click.option(
                "--ca-bundle",
                metavar="FILE",
                help="CA bundle (PEM file or folder) that signs the server's certificate, e.g. a private "
                "CA [env LF_CA_BUNDLE; config ca_bundle].",
            ),
            click.option(
                "--insecure",
                is_flag=True,
                help="Do not verify TLS certificates at all (warns; anyone on the path can read the "
                "token) [config insecure = true].",
            ),
            click.option(
                "--client-cert",
                metavar="FILE",
                help="Client certificate (PEM: certificate and key, or the certificate with --client-key) "
                "[config client_cert].",
            ),
            click.option(
                "--client-key",
                metavar="FILE",
                help="Private key of --client-cert, unencrypted PEM [config client_key].",
            ),
            click.option(
                "--proxy",
                metavar="URL",
                help="Proxy for every request, e.g. http://proxy.example:3128 [config proxy; without it "
                "HTTPS_PROXY / NO_PROXY apply].",
            ),
            click.option(
                "--download-ca-bundle",
                metavar="FILE",
                help="CA bundle for download links on another host with another CA [config "
                "download_ca_bundle; default: as the API].",
            ),
            click.option(
                "--config",
                "config_path",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Config file (TOML) [env LF_EXPORT_CONFIG; default: the platform's config dir].",
            ),
        ],
    )


def export_option_flags(func: F) -> F:
    """The export option flags, kept as typed: `build_options` checks them all in one pass."""
    return _apply(
        func,
        [
            click.option("--part", metavar="image|text|edoc", help="What to export (default image)."),
            click.option(
                "--format",
                "format_",
                metavar="tiff|single-tiff|png|pdf|jpeg",
                help="Image format (default tiff).",
            ),
            click.option("--pages", metavar="RANGE", help="Pages, e.g. 1-3,7 (default all)."),
            click.option("--jpeg-quality", metavar="N", help="JPEG quality 0..100 (default 70)."),
            click.option("--watermark", metavar="TEXT", help="Watermark text (at most 100 characters)."),
            click.option(
                "--watermark-position",
                metavar="POS",
                help="Watermark position: TopLeft, TopCenter, ..., DeadCenter (default), ..., BottomRight.",
            ),
            click.option(
                "--watermark-angle", metavar="N", help="Watermark rotation 0..360 degrees (default 0)."
            ),
            click.option(
                "--watermark-span", metavar="N", help="Watermark width, % of the page 1..100 (default 50)."
            ),
            click.option("--no-annotations", is_flag=True, help="Leave annotations out of page images."),
            click.option("--no-redactions", is_flag=True, help="Do not apply redactions (needs the right)."),
            click.option(
                "--page-prefix", metavar="S", help="File name prefix of pages in a zip (default ', Page ')."
            ),
            click.option(
                "--redaction-char", metavar="C", help="Character replacing redacted text (default X)."
            ),
            click.option(
                "--audit-reason", metavar="ID|NAME", help="ExportDocument audit reason, by id or name."
            ),
            click.option("--audit-comment", metavar="S", help="Comment for the audit reason."),
        ],
    )


def option_flags(kwargs: dict[str, Any]) -> OptionFlags:
    """Take the export option flags out of a command's keyword arguments."""
    return OptionFlags(
        part=kwargs.pop("part"),
        format=kwargs.pop("format_"),
        pages=kwargs.pop("pages"),
        jpeg_quality=kwargs.pop("jpeg_quality"),
        watermark=kwargs.pop("watermark"),
        watermark_position=kwargs.pop("watermark_position"),
        watermark_angle=kwargs.pop("watermark_angle"),
        watermark_span=kwargs.pop("watermark_span"),
        no_annotations=kwargs.pop("no_annotations"),
        no_redactions=kwargs.pop("no_redactions"),
        page_prefix=kwargs.pop("page_prefix"),
        redaction_char=kwargs.pop("redaction_char"),
        audit_reason=kwargs.pop("audit_reason"),
        audit_comment=kwargs.pop("audit_comment"),
    )
