"""`lf-export`: export documents from a Laserfiche repository from the command line.

    lf-export export 2161949 --format pdf --pages 1-3 --watermark CONFIDENTIAL --out exports/
    lf-export export --from-file ids.txt --max-concurrent-tasks 2 --deadline 30m --out exports/
    lf-export tasks status 0f9c...; lf-export tasks wait 0f9c...; lf-export tasks cancel 0f9c...
    lf-export resume 0f9c... --out exports/
    lf-export audit-reasons --json
    lf-export validate --format jpeg --jpeg-quality 120 --pages 3-1     # offline; exit 2 with every problem
    lf-export emulator serve --port 8080

Configuration (flags, then environment, then a config file) lives in `_cli_config`; rendering, exit codes and
progress bars in `_cli_output`. This module wires click commands to `ExportClient` calls.

Decisions:
* One entry (any mode), or several with ``--mode sync``: `ExportClient.export` per entry, one deadline for
  the run. Several entries with ``--mode auto`` or ``async``: `ExportClient.export_many` (export tasks, at
  most ``--max-concurrent-tasks`` at once, all polled with one ListTasks per round).
* The client is built with ``cancel_on_abort=False`` so that a deadline leaves the tasks running and the
  command can print ``lf-export resume`` lines; on Ctrl-C the command itself cancels the tasks it started
  (``--keep-on-interrupt`` lists them instead). ``tasks wait`` cancels the tasks it waits on when
  interrupted, unless ``--keep-on-interrupt``; ``resume`` never cancels (the task was started elsewhere).
* A Laserfiche Cloud service principal (``LF_SERVICE_PRINCIPAL_KEY`` + ``LF_ACCESS_KEY``): one token source
  per command run (what `ExportClient.from_access_key` builds), shared by every client of the run, so the
  client that cancels tasks after Ctrl-C uses the token that started them (tasks belong to their token).
  A later run signs in again and may not see tasks the earlier run started: the resume hint says so.
* ``tasks cancel --all --yes`` is refused: the API cancels every task of the token only when ``taskIds`` is
  absent, and our contract (``minItems: 1``) forbids sending that; give the task ids instead.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import attrs
import click
from rich import box
from rich.table import Table

from . import __version__
from ._cli_config import (
    ConfigError,
    Connection,
    ConnectionFlags,
    OptionFlags,
    build_options,
    parse_duration,
    parse_entry_ids,
    resolve_connection,
)
from ._cli_output import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TIMEOUT,
    EXIT_USAGE,
    ProgressView,
    Ui,
    error_json,
    exit_code_for,
    human_size,
    is_run_level,
    options_issues_json,
    relative,
)
from ._client import ExportClient
from ._driver import access_key_setup
from ._errors import (
    AuditReasonRequiredError,
    DownloadError,
    ExportTimeoutError,
    LaserficheError,
    OptionIssue,
    OptionsError,
    TaskFailedError,
)
from ._options import ExportOptions
from ._results import ExportJob, ExportResult
from ._tasks import TaskProgress
from ._tokens import TokenSource

__all__ = ["cli", "main"]

F = TypeVar("F", bound=Callable[..., Any])
_MODES = ("auto", "sync", "async")
_AUDIT_REASON_REQUIRED = 216

# ------------------------------------------------------------------------------------------- shared flags


def _output_options(func: F) -> F:
    func = click.option("--json", "json_mode", is_flag=True, help="Print one JSON document on stdout.")(func)
    func = click.option("-q", "--quiet", is_flag=True, help="Only errors (and the JSON document).")(func)
    return click.option(
        "-v", "--verbose", count=True, help="Log requests and task ids to stderr (-vv: more)."
    )(func)


def _connection_options(func: F) -> F:
    options = [
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
            help="Its service principal key (lands in shell history: prefer env LF_SERVICE_PRINCIPAL_KEY).",
        ),
        click.option(
            "--token-url",
            metavar="URL",
            help="Sign-in URL for the access key (e.g. the emulator's) [env LF_TOKEN_URL].",
        ),
        click.option(
            "--username", metavar="NAME", help="Self-hosted user [env LF_USERNAME]; asks for the password."
        ),
        click.option(
            "--password", metavar="PW", help="Self-hosted password (prefer env LF_PASSWORD or the prompt)."
        ),
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Config file (TOML) [env LF_EXPORT_CONFIG; default: the platform's config dir].",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _export_option_flags(func: F) -> F:
    options = [
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
        click.option("--watermark-angle", metavar="N", help="Watermark rotation 0..360 degrees (default 0)."),
        click.option(
            "--watermark-span", metavar="N", help="Watermark width, % of the page 1..100 (default 50)."
        ),
        click.option("--no-annotations", is_flag=True, help="Leave annotations out of page images."),
        click.option("--no-redactions", is_flag=True, help="Do not apply redactions (needs the right)."),
        click.option(
            "--page-prefix", metavar="S", help="File name prefix of pages in a zip (default ', Page ')."
        ),
        click.option("--redaction-char", metavar="C", help="Character replacing redacted text (default X)."),
        click.option("--audit-reason", metavar="ID|NAME", help="ExportDocument audit reason, by id or name."),
        click.option("--audit-comment", metavar="S", help="Comment for the audit reason."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _option_flags(kwargs: dict[str, Any]) -> OptionFlags:
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


# ------------------------------------------------------------------------------------------- running


@attrs.define
class _Run:
    """One command invocation: its output settings and its connection flags."""

    command: str
    ui: Ui
    flags: ConnectionFlags
    cloud: tuple[str, TokenSource] | None = None  # API base and token source of a service principal

    def connection(self) -> Connection:
        if self.flags.token is not None:
            self.ui.warn(
                "--token puts the token in your shell history and the process list; "
                "prefer LF_ACCESS_TOKEN or the config file"
            )
        for flag, value, variable in (
            ("--access-key", self.flags.access_key, "LF_ACCESS_KEY"),
            ("--service-principal-key", self.flags.service_principal_key, "LF_SERVICE_PRINCIPAL_KEY"),
        ):
            if value is not None:
                self.ui.warn(
                    f"{flag} puts a secret in your shell history and the process list; "
                    f"prefer {variable} or the config file"
                )
        if self.flags.password is not None:
            self.ui.warn(
                "--password puts the password in your shell history; prefer LF_PASSWORD or the prompt"
            )
        conn = resolve_connection(self.flags)
        if conn.needs_password:
            if not sys.stdin.isatty():
                raise ConfigError(
                    [f"no password for user {conn.username!r}: set LF_PASSWORD (stdin is not a terminal)"]
                )
            password: str = click.prompt(f"Password for {conn.username}", hide_input=True, err=True)
            conn = conn.with_password(password)
        if conn.needs_service_principal_key:
            where = conn.sources.get("credentials", "the access key")
            if not sys.stdin.isatty():
                raise ConfigError(
                    [
                        f"no service principal key for the access key from {where}: set "
                        "LF_SERVICE_PRINCIPAL_KEY (stdin is not a terminal)"
                    ]
                )
            key: str = click.prompt("Service principal key", hide_input=True, err=True)
            conn = conn.with_service_principal_key(key)
        if conn.cloud:
            self.ui.auth_hint = (
                "check the service principal key (LF_SERVICE_PRINCIPAL_KEY) and that the access key "
                "(LF_ACCESS_KEY) belongs to it"
            )
        if self.ui.verbose:
            where = ", ".join(f"{key} from {source}" for key, source in conn.sources.items())
            self.ui.info(f"lf-export: {conn.base_url} repository {conn.repository_id} ({where})")
        return conn

    def client(self, conn: Connection | None = None) -> ExportClient:
        conn = conn or self.connection()
        if conn.access_key is not None:
            if self.cloud is None:
                assert conn.service_principal_key is not None  # connection() asked for it
                self.cloud = access_key_setup(
                    conn.service_principal_key,
                    conn.access_key,
                    scope="repository.Read",
                    base_url=conn.base_url,
                    token_url=conn.token_url,
                )
            base_url, source = self.cloud
            return ExportClient(base_url, conn.repository_id, token_provider=source, cancel_on_abort=False)
        if conn.token is not None:
            return ExportClient(conn.base_url, conn.repository_id, token=conn.token, cancel_on_abort=False)
        return ExportClient(
            conn.base_url,
            conn.repository_id,
            username=conn.username,
            password=conn.password,
            cancel_on_abort=False,
        )

    def cloud_task_note(self) -> None:
        """Tasks belong to the access token that started them; a service principal's next run has another."""
        if self.cloud is not None:
            self.ui.info(
                "note: tasks belong to the access token that started them; a later lf-export run signs in "
                "again with a new token and may not see these tasks"
            )

    def finish(self, code: int, document: dict[str, Any] | None = None) -> NoReturn:
        if self.ui.json_mode:
            self.ui.emit_json(
                {"command": self.command, "ok": code == EXIT_OK, "exit_code": code, **(document or {})}
            )
        raise click.exceptions.Exit(code)


def _make_run(command: str, kwargs: dict[str, Any], *, connection: bool = True) -> _Run:
    # --json / -v / -q may come before the command (group) or after it (command): either counts.
    group = click.get_current_context().find_root().params
    ui = Ui(
        json_mode=kwargs.pop("json_mode") or bool(group.get("json_mode")),
        verbose=kwargs.pop("verbose") + int(group.get("verbose") or 0),
        quiet=kwargs.pop("quiet") or bool(group.get("quiet")),
    )
    _setup_logging(ui.verbose)
    flags = ConnectionFlags()
    if connection:
        flags = ConnectionFlags(
            base_url=kwargs.pop("base_url"),
            repository_id=kwargs.pop("repository_id"),
            token=kwargs.pop("token"),
            access_key=kwargs.pop("access_key"),
            service_principal_key=kwargs.pop("service_principal_key"),
            token_url=kwargs.pop("token_url"),
            username=kwargs.pop("username"),
            password=kwargs.pop("password"),
            config=kwargs.pop("config_path"),
        )
    return _Run(command, ui, flags)


def _setup_logging(verbose: int) -> None:
    if not verbose:
        # The command reports what matters itself; without -v the library's log lines would repeat it.
        logging.getLogger("lf_export").addHandler(logging.NullHandler())
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger = logging.getLogger("lf_export")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    if verbose > 1:
        httpx_logger = logging.getLogger("httpx")
        httpx_logger.addHandler(handler)
        httpx_logger.setLevel(logging.INFO)


def _guarded(run: _Run, body: Callable[[], NoReturn]) -> NoReturn:
    """Run a command body; errors that escape it become their documented exit code and one message."""
    try:
        body()
    except click.exceptions.Exit:
        raise
    except KeyboardInterrupt:
        run.ui.error_block("interrupted")
        run.finish(EXIT_INTERRUPTED, {"error": {"type": "KeyboardInterrupt", "message": "interrupted"}})
    except (LaserficheError, ConfigError) as exc:
        run.ui.report_error(exc)
        run.finish(exit_code_for(exc), {"error": error_json(exc)})


def _collect(*checks: Callable[[], object]) -> list[Any]:
    """Run every check; raise one `OptionsError` with the issues of all that failed."""
    issues: list[OptionIssue] = []
    values: list[Any] = []
    for check in checks:
        try:
            values.append(check())
        except OptionsError as exc:
            issues += exc.issues
            values.append(None)
    if issues:
        raise OptionsError(issues)
    return values


def _deadline_check(text: str | None) -> Callable[[], float | None]:
    def check() -> float | None:
        if text is None:
            return None
        try:
            return parse_duration(text)
        except ValueError as exc:
            raise OptionsError([OptionIssue("--deadline", text, str(exc))]) from None

    return check


def _cancel_quietly(run: _Run, conn: Connection, task_ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """After Ctrl-C: cancel `task_ids` on a fresh client. Returns (cancelled, left running)."""
    if not task_ids:
        return [], []
    try:
        with run.client(conn) as client:
            answered = client.cancel(list(task_ids))
    except (LaserficheError, KeyboardInterrupt):
        return [], list(task_ids)
    cancelled = [task_id for task_id in task_ids if answered.get(task_id, False)]
    return cancelled, [task_id for task_id in task_ids if task_id not in cancelled]


def _report_interrupt(run: _Run, cancelled: Sequence[str], left: Sequence[str]) -> dict[str, Any]:
    lines = []
    if cancelled:
        lines.append("cancelled remote task(s): " + ", ".join(cancelled))
    if left:
        lines.append("left running on the server: " + ", ".join(left))
    run.ui.error_block("interrupted", lines)
    return {"interrupted": True, "cancelled": list(cancelled), "left_running": list(left)}


# ------------------------------------------------------------------------------------------- the group


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, "--version", prog_name="lf-export")
@_output_options
def cli(json_mode: bool, quiet: bool, verbose: int) -> None:
    """Export documents from a Laserfiche repository (Repository API V2).

    Connection: flags, else LF_BASE_URL, LF_REPOSITORY_ID, LF_ACCESS_TOKEN (or LF_SERVICE_PRINCIPAL_KEY /
    LF_ACCESS_KEY for a Cloud service principal, or LF_USERNAME / LF_PASSWORD for a self-hosted server), else
    a config file. Exit codes: 0 ok, 1 some exports failed, 2 usage, 3 auth,
    4 API error, 5 deadline passed, 130 interrupted.
    """


# ------------------------------------------------------------------------------------------- export


@attrs.define
class _Row:
    entry_id: int | None
    status: str  # ok | failed | timeout | not started | interrupted | skipped
    result: ExportResult | None = None
    error: BaseException | None = None
    task_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"entry_id": self.entry_id, "status": self.status, "task_id": self.task_id}
        if self.result is not None:
            result = self.result
            doc.update(
                path=str(result.path),
                size=result.size,
                content_type=result.content_type,
                suggested_name=result.suggested_name,
                task_id=result.task_id,
                mode=result.mode,
                elapsed=round(result.elapsed, 3),
                extracted=[str(p) for p in result.extracted],
            )
        if self.error is not None:
            doc["error"] = error_json(self.error)
        return doc


def _export_table(rows: Sequence[_Row]) -> Table:
    table = _table()
    table.add_column("entry", justify="right")
    table.add_column("file", overflow="fold")
    table.add_column("size", justify="right")
    table.add_column("time", justify="right")
    table.add_column("status")
    style = {
        "ok": "green",
        "failed": "red",
        "timeout": "yellow",
        "interrupted": "yellow",
        "skipped": "dim",
        "not started": "dim",
    }
    for row in rows:
        result = row.result
        file = "-"
        if result is not None:
            file = relative(result.path)
            if result.extracted:
                file += f" (+{len(result.extracted)} files in {relative(result.extracted[0].parent)})"
        status = row.status
        table.add_row(
            "-" if row.entry_id is None else str(row.entry_id),
            file,
            human_size(result.size) if result else "-",
            f"{result.elapsed:.1f}s" if result else "-",
            f"[{style.get(row.status, '')}]{_escape(status)}[/]",
        )
    return table


def _table() -> Table:
    """Tables with a plain rule under the header (the heavy glyph is reserved for progress bars)."""
    return Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _run_exit_code(rows: Sequence[_Row]) -> int:
    codes = [exit_code_for(row.error, exporting=True) for row in rows if row.error is not None]
    if any(row.status == "interrupted" for row in rows):
        return EXIT_INTERRUPTED
    for code in (3, 4, EXIT_TIMEOUT):
        if code in codes:
            return code
    return EXIT_FAILED if codes or any(row.status != "ok" for row in rows) else EXIT_OK


def _resume_lines(rows: Sequence[_Row], out: Path) -> list[str]:
    lines = []
    for row in rows:
        if isinstance(row.error, ExportTimeoutError) and not row.error.cancelled:
            for task_id in row.error.task_ids:
                lines.append(f"lf-export resume {task_id} --out {_shell_quote(str(out))}")
    return lines


def _shell_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _resolve_audit_reason(client: ExportClient, flags: OptionFlags, options: ExportOptions) -> ExportOptions:
    name = flags.audit_reason_name
    if name is None:
        return options
    reasons = client.audit_reasons(event_type="ExportDocument")
    matches = [r for r in reasons if r.name.casefold() == name.casefold()]
    if len(matches) != 1:
        known = "; ".join(f"{r.reason_id} {r.name}" for r in reasons) or "none"
        rule = "matches no ExportDocument audit reason" if not matches else "matches several audit reasons"
        raise OptionsError([OptionIssue("--audit-reason", name, f"{rule} (known: {known})")])
    resolved, _ = build_options(flags, audit_reason_id=matches[0].reason_id)
    return resolved


def _audit_hint(run: _Run, client: ExportClient, rows: Sequence[_Row]) -> None:
    """When the repository demanded an audit reason, say which ones exist."""
    needs = any(
        isinstance(row.error, AuditReasonRequiredError)
        or (isinstance(row.error, TaskFailedError) and row.error.error_code == _AUDIT_REASON_REQUIRED)
        for row in rows
    )
    if not needs:
        return
    try:
        reasons = client.audit_reasons(event_type="ExportDocument")
    except LaserficheError:
        return
    known = ", ".join(f"{r.reason_id} ({r.name})" for r in reasons)
    run.ui.info(f"this repository requires an audit reason: add --audit-reason with one of {known}")


@cli.command("export")
@click.argument("entry_ids", nargs=-1, metavar="ENTRY_ID...")
@click.option(
    "--from-file", metavar="FILE", help="Read entry ids from FILE (one or more per line; - = stdin)."
)
@_export_option_flags
@click.option(
    "--mode", metavar="auto|sync|async", default="auto", show_default=True, help="Export call to use."
)
@click.option(
    "--max-concurrent-tasks",
    metavar="N",
    default="1",
    show_default=True,
    help="Export tasks running at once.",
)
@click.option("--deadline", metavar="DURATION", help="Give up after e.g. 90s, 10m, 1h30m (whole run).")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help="Destination folder."
)
@click.option("--extract", is_flag=True, help="Unpack zip exports (SinglePageTIFF, multi-page PNG/JPEG).")
@click.option("--overwrite", is_flag=True, help="Replace existing files.")
@click.option(
    "--keep-on-interrupt", is_flag=True, help="On Ctrl-C leave remote tasks running (and list them)."
)
@click.option(
    "--no-wait", is_flag=True, help="Only start export tasks and print their ids (finish with `resume`)."
)
@_connection_options
@_output_options
def export_cmd(**kwargs: Any) -> NoReturn:
    """Export ENTRY_ID... (or --from-file) into --out, with live progress and a summary table."""
    run = _make_run("export", kwargs)
    flags = _option_flags(kwargs)

    def body() -> NoReturn:
        ids, (options, warnings), mode, limit, deadline = _collect(
            lambda: parse_entry_ids(kwargs["entry_ids"], _read_ids_file(kwargs["from_file"])),
            lambda: build_options(flags),
            lambda: _choice("--mode", kwargs["mode"], _MODES),
            lambda: _positive_int("--max-concurrent-tasks", kwargs["max_concurrent_tasks"]),
            _deadline_check(kwargs["deadline"]),
        )
        for warning in warnings:
            run.ui.warn(warning)
        out: Path = kwargs["out"]
        conn = run.connection()
        with run.client(conn) as client:
            options = _resolve_audit_reason(client, flags, options)
            if kwargs["no_wait"]:
                _start_only(run, client, ids, options, out)
            out.mkdir(parents=True, exist_ok=True)
            view = ProgressView(run.ui)
            rows: list[_Row] = []
            extra: dict[str, Any] = {}
            try:
                with view:
                    if len(ids) == 1 or mode == "sync":
                        rows = _export_each(client, ids, options, out, mode, deadline, view, kwargs)
                    else:
                        rows = _export_batch(client, ids, options, out, limit, deadline, view, kwargs)
            except KeyboardInterrupt:
                done = {row.entry_id for row in rows}
                if kwargs["keep_on_interrupt"]:
                    cancelled, left = list[str](), view.running_tasks()
                else:
                    cancelled, left = _cancel_quietly(run, conn, view.running_tasks())
                task_of = {entry: task for task, entry in view.submitted.items()}
                rows += [
                    _Row(entry_id, "interrupted", task_id=task_of.get(entry_id))
                    for entry_id in ids
                    if entry_id not in done
                ]
                extra = _report_interrupt(run, cancelled, left)
            code = _run_exit_code(rows)
            if code != EXIT_INTERRUPTED:
                _audit_hint(run, client, rows)
        resume = _resume_lines(rows, out)
        if not run.ui.json_mode:
            run.ui.print_table(_export_table(rows))
        for row in rows:  # errors go to stderr in --json mode too: the document is for scripts
            if row.error is not None and row.status not in ("timeout", "not started"):
                run.ui.error_block(f"entry {row.entry_id}: {_error_text(row.error)}")
        if resume:
            run.ui.error_block(
                "deadline passed; the export task(s) are still running on the server. Finish with:", resume
            )
            run.cloud_task_note()
        run.finish(code, {"results": [row.to_json() for row in rows], "resume": resume, **extra})

    _guarded(run, body)


def _start_only(
    run: _Run, client: ExportClient, ids: Sequence[int], options: ExportOptions, out: Path
) -> NoReturn:
    """`export --no-wait`: start one export task per entry, print the ids and how to finish them."""
    started: list[dict[str, Any]] = []
    try:
        for entry_id in ids:
            task_id = client.start_export(entry_id, options)
            started.append({"entry_id": entry_id, "task_id": task_id})
    except LaserficheError as exc:
        run.ui.report_error(exc)
        if started:
            run.ui.info("started before the error: " + ", ".join(doc["task_id"] for doc in started))
        run.finish(exit_code_for(exc), {"started": started, "error": error_json(exc)})
    resume = [f"lf-export resume {doc['task_id']} --out {_shell_quote(str(out))}" for doc in started]
    if not run.ui.json_mode:
        table = _table()
        table.add_column("entry", justify="right")
        table.add_column("task")
        for doc in started:
            table.add_row(str(doc["entry_id"]), doc["task_id"])
        run.ui.print_table(table)
        run.ui.info("finish with: " + "; ".join(resume))
        run.cloud_task_note()
    run.finish(EXIT_OK, {"started": started, "resume": resume})


def _export_each(
    client: ExportClient,
    ids: Sequence[int],
    options: ExportOptions,
    out: Path,
    mode: str,
    deadline: float | None,
    view: ProgressView,
    kwargs: dict[str, Any],
) -> list[_Row]:
    """Entries one after the other with `export` (one deadline for all); a run-level error stops the rest."""
    rows: list[_Row] = []
    started = time.monotonic()
    for index, entry_id in enumerate(ids):
        left = None if deadline is None else deadline - (time.monotonic() - started)
        if left is not None and left <= 0:
            error = ExportTimeoutError([])
            rows += [_Row(e, "timeout", error=error) for e in ids[index:]]
            break
        try:
            result = client.export(
                entry_id,
                options,
                out,
                mode=mode,  # type: ignore[arg-type]  # checked by _choice
                deadline=left,
                on_progress=view,
                overwrite=kwargs["overwrite"],
                extract=kwargs["extract"],
            )
        except LaserficheError as exc:
            status = _failure_status(exc)
            task_id = exc.task_ids[0] if isinstance(exc, ExportTimeoutError) and exc.task_ids else None
            rows.append(_Row(entry_id, status, error=exc, task_id=task_id))
            if is_run_level(exc) or isinstance(exc, ExportTimeoutError):
                rows += [_Row(e, "skipped") for e in ids[index + 1 :]]
                break
        else:
            rows.append(_Row(entry_id, "ok", result=result, task_id=result.task_id))
    return rows


def _export_batch(
    client: ExportClient,
    ids: Sequence[int],
    options: ExportOptions,
    out: Path,
    limit: int,
    deadline: float | None,
    view: ProgressView,
    kwargs: dict[str, Any],
) -> list[_Row]:
    outcomes = client.export_many(
        [ExportJob(entry_id, options) for entry_id in ids],
        out,
        max_concurrent_tasks=limit,
        deadline=deadline,
        on_progress=view,
        overwrite=kwargs["overwrite"],
        extract=kwargs["extract"],
    )
    rows = []
    for outcome in outcomes:
        if outcome.result is not None:
            rows.append(_Row(outcome.job.entry_id, "ok", result=outcome.result, task_id=outcome.task_id))
        else:
            status = "failed" if outcome.error is None else _failure_status(outcome.error)
            rows.append(_Row(outcome.job.entry_id, status, error=outcome.error, task_id=outcome.task_id))
    return rows


def _error_text(error: BaseException) -> str:
    text = str(error)
    if isinstance(error, DownloadError) and "already exists" in text:
        text += " (lf-export: add --overwrite)"
    return text


def _failure_status(error: BaseException) -> str:
    if isinstance(error, ExportTimeoutError):
        return "timeout" if error.task_ids else "not started"
    return "failed"


def _read_ids_file(name: str | None) -> str | None:
    if name is None:
        return None
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OptionsError([OptionIssue("--from-file", name, f"cannot be read ({exc})")]) from None


def _choice(flag: str, value: str, allowed: Sequence[str]) -> str:
    key = value.strip().casefold()
    if key not in allowed:
        raise OptionsError([OptionIssue(flag, value, f"must be one of {', '.join(allowed)}")])
    return key


def _positive_int(flag: str, value: str) -> int:
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise OptionsError([OptionIssue(flag, value, "must be a whole number of at least 1")])
    return int(text)


# ------------------------------------------------------------------------------------------- validate


@cli.command("validate")
@_export_option_flags
@_output_options
def validate_cmd(**kwargs: Any) -> NoReturn:
    """Check export options and page ranges offline: exit 0 (valid) or 2 (every problem listed)."""
    run = _make_run("validate", kwargs, connection=False)
    flags = _option_flags(kwargs)

    def body() -> NoReturn:
        try:
            options, warnings = build_options(flags)
        except OptionsError as exc:
            run.ui.report_error(exc)
            run.finish(EXIT_USAGE, {"valid": False, "issues": options_issues_json(exc)})
        for warning in warnings:
            run.ui.warn(warning)
        request = options.to_request_body()
        page_range = options.query_page_range()
        note = None
        if flags.audit_reason_name is not None:
            request.pop("auditReasonId", None)
            note = f"audit reason {flags.audit_reason_name!r} is looked up by name when exporting"
        if not run.ui.json_mode and not run.ui.quiet:
            import json

            run.ui.out.print("options are valid; request body:", markup=False)
            run.ui.out.print(json.dumps(request, indent=2, ensure_ascii=False), markup=False)
            run.ui.out.print(f"pageRange: {page_range or '(all pages)'}", markup=False)
            if note:
                run.ui.info(note)
        run.finish(
            EXIT_OK,
            {"valid": True, "body": request, "page_range": page_range, "warnings": warnings, "note": note},
        )

    _guarded(run, body)


# ------------------------------------------------------------------------------------------- tasks


@cli.group("tasks")
def tasks_group() -> None:
    """Look at, wait for, or cancel export tasks (long operations) by id."""


def _task_json(task_id: str, progress: TaskProgress | None) -> dict[str, Any]:
    if progress is None:
        return {"task_id": task_id, "status": "Unknown", "known": False}
    return {
        "task_id": progress.task_id,
        "known": True,
        "status": str(progress.status),
        "task_type": progress.task_type,
        "percent_complete": progress.percent_complete,
        "entry_id": progress.entry_id,
        "has_download_link": progress.download_link is not None,
        "start_time": progress.start_time.isoformat() if progress.start_time else None,
        "last_update_time": progress.last_update_time.isoformat() if progress.last_update_time else None,
        "errors": [
            {k: v for k, v in error.items() if k in ("status", "title", "detail", "errorCode", "type")}
            for error in progress.errors
        ],
    }


def _tasks_table(docs: Sequence[dict[str, Any]]) -> Table:
    table = _table()
    for name in ("task", "type", "status", "%", "entry", "updated"):
        table.add_column(name, justify="right" if name in ("%", "entry") else "left")
    for doc in docs:
        status = doc["status"] if doc["known"] else "unknown (expired or never existed)"
        if doc.get("errors"):
            first = doc["errors"][0]
            status += f": {first.get('title') or first.get('detail') or ''}"
        table.add_row(
            doc["task_id"],
            str(doc.get("task_type") or "-"),
            _escape(status),
            "-" if doc.get("percent_complete") is None else str(doc["percent_complete"]),
            "-" if doc.get("entry_id") is None else str(doc["entry_id"]),
            str(doc.get("last_update_time") or "-")[:19],
        )
    return table


@tasks_group.command("status")
@click.argument("task_ids", nargs=-1, required=True, metavar="TASK_ID...")
@_connection_options
@_output_options
def tasks_status_cmd(**kwargs: Any) -> NoReturn:
    """Show the status of tasks (one ListTasks request for all)."""
    run = _make_run("tasks status", kwargs)

    def body() -> NoReturn:
        ids = list(dict.fromkeys(kwargs["task_ids"]))
        with run.client() as client:
            found = {p.task_id.lower(): p for p in client.tasks(ids)}
        docs = [_task_json(task_id, found.get(task_id.lower())) for task_id in ids]
        if not run.ui.json_mode:
            run.ui.print_table(_tasks_table(docs))
        run.finish(EXIT_OK, {"tasks": docs})

    _guarded(run, body)


@tasks_group.command("wait")
@click.argument("task_ids", nargs=-1, required=True, metavar="TASK_ID...")
@click.option("--deadline", metavar="DURATION", help="Give up after e.g. 90s, 10m (tasks keep running).")
@click.option(
    "--keep-on-interrupt", is_flag=True, help="On Ctrl-C leave the tasks running (default: cancel)."
)
@_connection_options
@_output_options
def tasks_wait_cmd(**kwargs: Any) -> NoReturn:
    """Wait until tasks end. Exit 0 if all completed, 1 if any failed, was cancelled or is unknown."""
    run = _make_run("tasks wait", kwargs)

    def body() -> NoReturn:
        ids = list(dict.fromkeys(kwargs["task_ids"]))
        (deadline,) = _collect(_deadline_check(kwargs["deadline"]))
        conn = run.connection()
        view = ProgressView(run.ui)
        code = EXIT_OK
        extra: dict[str, Any] = {}
        with run.client(conn) as client:
            try:
                with view:
                    client.wait(ids, deadline=deadline, on_progress=view)
            except KeyboardInterrupt:
                running = [task_id for task_id in ids if task_id not in view.ended]
                if kwargs["keep_on_interrupt"]:
                    cancelled, left = list[str](), running
                else:
                    cancelled, left = _cancel_quietly(run, conn, running)
                extra = _report_interrupt(run, cancelled, left)
                run.finish(EXIT_INTERRUPTED, extra)
            except ExportTimeoutError as exc:
                code = EXIT_TIMEOUT
                run.ui.error_block("deadline passed; still running: " + ", ".join(exc.task_ids))
            except LaserficheError as exc:
                code = exit_code_for(exc)
                if code != EXIT_FAILED:
                    raise
            found = {p.task_id.lower(): p for p in client.tasks(ids)}
        docs = [_task_json(task_id, found.get(task_id.lower())) for task_id in ids]
        if code == EXIT_OK and any(doc["status"] != "Completed" for doc in docs):
            code = EXIT_FAILED
        if not run.ui.json_mode:
            run.ui.print_table(_tasks_table(docs))
        run.finish(code, {"tasks": docs, **extra})

    _guarded(run, body)


@tasks_group.command("cancel")
@click.argument("task_ids", nargs=-1, metavar="TASK_ID...")
@click.option("--all", "all_tasks", is_flag=True, help="Every task of the token (see below; refused).")
@click.option("--yes", is_flag=True, help="Confirm --all.")
@_connection_options
@_output_options
def tasks_cancel_cmd(**kwargs: Any) -> NoReturn:
    """Start cancelling tasks (poll with `tasks status` to see Cancelled).

    --all --yes is refused: the API cancels every task of the token only when no task id is sent, and this
    project's contract (taskIds minItems 1) never sends that. Give the task ids.
    """
    run = _make_run("tasks cancel", kwargs)

    def body() -> NoReturn:
        ids = list(dict.fromkeys(kwargs["task_ids"]))
        if kwargs["all_tasks"] or not ids:
            if kwargs["all_tasks"] and not kwargs["yes"]:
                rule = "cancels every task of the access token: add --yes to confirm"
            elif kwargs["all_tasks"]:
                rule = (
                    "is not supported: the API cancels all tasks only when no taskIds are sent, and the "
                    "lf-export contract (taskIds minItems 1) never sends that; list the task ids instead"
                )
            else:
                rule = "give at least one TASK_ID"
            raise OptionsError([OptionIssue("--all" if kwargs["all_tasks"] else "TASK_ID", None, rule)])
        with run.client() as client:
            answered = client.cancel(ids)
        docs = [{"task_id": task_id, "accepted": bool(answered.get(task_id, False))} for task_id in ids]
        if not run.ui.json_mode:
            table = _table()
            table.add_column("task")
            table.add_column("cancellation")
            for doc in docs:
                table.add_row(doc["task_id"], "started" if doc["accepted"] else "refused or unknown")
            run.ui.print_table(table)
        code = EXIT_OK if all(doc["accepted"] for doc in docs) else EXIT_FAILED
        run.finish(code, {"tasks": docs})

    _guarded(run, body)


# ------------------------------------------------------------------------------------------- resume


@cli.command("resume")
@click.argument("task_id")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help="Destination folder."
)
@click.option("--deadline", metavar="DURATION", help="Give up after e.g. 90s, 10m (the task keeps running).")
@click.option("--extract", is_flag=True, help="Unpack zip exports.")
@click.option("--overwrite", is_flag=True, help="Replace an existing file.")
@_connection_options
@_output_options
def resume_cmd(**kwargs: Any) -> NoReturn:
    """Finish an export task started earlier (e.g. after a deadline): wait for it and download the file."""
    run = _make_run("resume", kwargs)

    def body() -> NoReturn:
        task_id: str = kwargs["task_id"]
        (deadline,) = _collect(_deadline_check(kwargs["deadline"]))
        out: Path = kwargs["out"]
        conn = run.connection()
        view = ProgressView(run.ui)
        with run.client(conn) as client:
            out.mkdir(parents=True, exist_ok=True)
            try:
                with view:
                    result = client.resume(
                        task_id,
                        out,
                        deadline=deadline,
                        on_progress=view,
                        overwrite=kwargs["overwrite"],
                        extract=kwargs["extract"],
                    )
            except KeyboardInterrupt:
                extra = _report_interrupt(run, [], [task_id])
                run.finish(EXIT_INTERRUPTED, extra)
            except ExportTimeoutError as exc:
                row = _Row(None, "timeout", error=exc, task_id=task_id)
                line = f"lf-export resume {task_id} --out {_shell_quote(str(out))}"
                run.ui.error_block("deadline passed; the task is still running. Try again with:", [line])
                run.finish(EXIT_TIMEOUT, {"results": [row.to_json()], "resume": [line]})
            except LaserficheError as exc:
                row = _Row(None, "failed", error=exc, task_id=task_id)
                run.ui.report_error(exc)
                run.finish(exit_code_for(exc, exporting=True), {"results": [row.to_json()]})
        row = _Row(result.entry_id, "ok", result=result, task_id=task_id)
        if not run.ui.json_mode:
            run.ui.print_table(_export_table([row]))
        run.finish(EXIT_OK, {"results": [row.to_json()]})

    _guarded(run, body)


# ------------------------------------------------------------------------------------------- audit reasons


@cli.command("audit-reasons")
@click.option("--event-type", metavar="TYPE", help="Only reasons of this event type, e.g. ExportDocument.")
@_connection_options
@_output_options
def audit_reasons_cmd(**kwargs: Any) -> NoReturn:
    """List the repository's audit reasons (give one to `export --audit-reason ID|NAME`)."""
    run = _make_run("audit-reasons", kwargs)

    def body() -> NoReturn:
        with run.client() as client:
            reasons = client.audit_reasons(event_type=kwargs["event_type"])
        docs = [{"id": r.reason_id, "name": r.name, "event_type": r.event_type} for r in reasons]
        if not run.ui.json_mode:
            table = _table()
            table.add_column("id", justify="right")
            table.add_column("name")
            table.add_column("event type")
            for doc in docs:
                table.add_row(str(doc["id"]), _escape(str(doc["name"])), str(doc["event_type"] or "-"))
            run.ui.print_table(table)
        run.finish(EXIT_OK, {"audit_reasons": docs})

    _guarded(run, body)


# ------------------------------------------------------------------------------------------- emulator


@cli.group("emulator")
def emulator_group() -> None:
    """The local Laserfiche emulator (needs the `emulator` extra)."""


@emulator_group.command(
    "serve",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def emulator_serve_cmd(args: tuple[str, ...]) -> NoReturn:
    """Serve the emulator until Ctrl-C (flags: see `lf-export emulator serve --help`)."""
    try:
        from lf_emulator.__main__ import main as serve
    except ImportError as exc:  # the emulator extra is not installed
        click.echo(
            f"error: the emulator is not installed ({exc}); pip install 'lf-export[emulator]'", err=True
        )
        raise click.exceptions.Exit(EXIT_USAGE) from None
    raise click.exceptions.Exit(serve(list(args)))


# ------------------------------------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    """The `lf-export` console script. Returns the exit code (see `_cli_output`)."""
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
            import json

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


def _entry() -> None:  # pragma: no cover (python -m lf_export.cli)
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    _entry()
