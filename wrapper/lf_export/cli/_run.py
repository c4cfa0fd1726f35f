"""One command invocation: its output settings, its connection, its one client, and how it ends.

Every command body runs inside `guarded`: the errors that escape it become their documented exit code and
one message (and, with ``--json``, one document); `Run.finish` ends the command with its exit code.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, NoReturn

import attrs
import click
import httpx
from rich.text import Text

from lf_export import (
    ExportClient,
    ExportInterrupted,
    InsecureTLSWarning,
    LaserficheError,
    OptionIssue,
    OptionsError,
    Pacing,
    redact_http_logs,
)
from lf_export._tls import shown_proxy  # private: the library's one rule for showing a proxy

from ._config import ConfigError, Connection, ConnectionFlags, resolve_connection
from ._output import EXIT_INTERRUPTED, EXIT_OK, Ui, error_json, exit_code_for
from ._rows import resume_line

__all__ = ["Run", "guarded", "make_run", "prepare_folder", "report_interrupt"]

_LIBRARY_LOGGERS = ("lf_export", "stamina")
_READ_SCOPE = "repository.Read"
_WRITE_SCOPE = "repository.Read repository.Write"
_PACING: dict[str, Callable[[], Pacing | Literal["auto"]]] = {
    "auto": lambda: "auto",
    "cloud": Pacing.cloud,
    "off": Pacing.off,
}


@attrs.define
class Run:
    """One command invocation: its output settings and its connection flags."""

    command: str
    ui: Ui
    flags: ConnectionFlags
    cloud: bool = False  # signed in as a Laserfiche Cloud service principal
    insecure_warned: bool = False  # the --insecure warning is printed once a run, however many clients

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
        if self.flags.proxy is not None and _proxy_password(self.flags.proxy):
            self.ui.warn(
                "--proxy with a password puts it in your shell history and the process list; prefer "
                "HTTPS_PROXY or the config file's proxy"
            )
        conn = resolve_connection(self.flags)
        if conn.insecure and not self.insecure_warned:
            self.insecure_warned = True
            where = conn.sources.get("insecure", "--insecure")
            # Even with --quiet: nothing proves who answers.
            self.ui.err.print(
                Text("warning: ", style="yellow")
                + Text(
                    f"{where}: TLS certificates are NOT verified; anyone on the network path can read and "
                    "change the traffic, the token included (trust your CA with --ca-bundle FILE instead)"
                ),
                highlight=False,
                soft_wrap=True,
            )
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
            self.ui.info(f"lf-export: pacing {conn.pacing}")
            if "proxy" in conn.network:
                self.ui.info(f"lf-export: proxy {shown_proxy(conn.network['proxy'])}")
        return conn

    def client(self, *, cancel_on_interrupt: bool = True, write: bool = False) -> ExportClient:
        """The run's client. A deadline never cancels tasks (the command prints `resume` lines instead);
        Ctrl-C cancels the tasks the client started unless `cancel_on_interrupt` is false. `write`: the
        command changes the repository (copy, delete): a service principal asks for the write scope too."""
        conn = self.connection()
        settings: dict[str, Any] = {
            "cancel_on_deadline": False,
            "cancel_on_interrupt": cancel_on_interrupt,
            "pacing": _PACING[conn.pacing](),
            **conn.network,
        }
        with warnings.catch_warnings():
            # connection() printed the one-line warning of --insecure; the library's would repeat it.
            warnings.simplefilter("ignore", InsecureTLSWarning)
            try:
                return self._client(conn, settings, write=write)
            except OptionsError as exc:  # resolve_connection checked them: only a library change gets here
                raise _flag_names(exc, conn) from None

    def _client(self, conn: Connection, settings: dict[str, Any], *, write: bool) -> ExportClient:
        if conn.access_key is not None:
            assert conn.service_principal_key is not None  # connection() asked for it
            _require_cloud_extra()
            self.cloud = True
            return ExportClient.from_access_key(
                conn.service_principal_key,
                conn.access_key,
                repository_id=conn.repository_id,
                base_url=conn.base_url,
                token_url=conn.token_url,
                scope=_WRITE_SCOPE if write else _READ_SCOPE,
                **settings,
            )
        if conn.token is not None:
            return ExportClient(conn.base_url, conn.repository_id, token=conn.token, **settings)
        return ExportClient(
            conn.base_url, conn.repository_id, username=conn.username, password=conn.password, **settings
        )

    def cloud_task_note(self) -> None:
        """Tasks belong to the access token that started them; a service principal's next run has another."""
        if self.cloud:
            self.ui.info(
                "note: tasks belong to the access token that started them; a later lf-export run signs in "
                "again with a new token and may not see these tasks"
            )

    def finish(self, code: int, document: dict[str, Any] | None = None) -> NoReturn:
        if self.ui.json_mode:
            head: dict[str, Any] = {"type": "summary"} if self.ui.jsonl else {}
            self.ui.emit_json(
                {
                    **head,
                    "command": self.command,
                    "ok": code == EXIT_OK,
                    "exit_code": code,
                    **(document or {}),
                }
            )
        raise click.exceptions.Exit(code)


_NETWORK_FLAGS = {
    "verify": "ca_bundle",
    "cert": "client_cert",
    "proxy": "proxy",
    "download_verify": "download_ca_bundle",
}


def _flag_names(exc: OptionsError, conn: Connection) -> OptionsError:
    """The library's field names (``verify``, ``cert``...) as the flag, variable or file key that set them."""
    issues = []
    for issue in exc.issues:
        key = _NETWORK_FLAGS.get(issue.field)
        if key is None:
            issues.append(issue)
            continue
        label = conn.sources.get(key) or conn.sources.get("insecure") or "--" + key.replace("_", "-")
        issues.append(OptionIssue(label, issue.value, issue.rule))
    return OptionsError(issues)


def _proxy_password(url: str) -> bool:
    try:
        return bool(httpx.URL(url).password)
    except (httpx.InvalidURL, TypeError):
        return False


def _require_cloud_extra() -> None:
    """A service principal signs its sign-in with PyJWT and cryptography (the `cloud` extra): without them the
    run stops here, once, with the install line (exit 2), not at each entry's first request."""
    try:
        import jwt  # noqa: F401 - only whether it imports
        from jwt.algorithms import ECAlgorithm  # noqa: F401 - needs cryptography
    except ImportError as exc:
        raise ConfigError(
            [
                f"signing in with an access key needs PyJWT with cryptography ({exc.name or exc} missing): "
                "pip install 'lf-export[cloud]'"
            ]
        ) from None


def make_run(command: str, kwargs: dict[str, Any], *, connection: bool = True) -> Run:
    """The `Run` of a command; takes the output (and connection) flags out of its keyword arguments."""
    # --json / -v / -q may come before the command (group) or after it (command): either counts.
    group = click.get_current_context().find_root().params
    ui = Ui(
        json_mode=kwargs.pop("json_mode") or bool(group.get("json_mode")),
        jsonl=kwargs.pop("jsonl") or bool(group.get("jsonl")),
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
            pacing=kwargs.pop("pacing"),
            ca_bundle=kwargs.pop("ca_bundle"),
            insecure=kwargs.pop("insecure"),
            client_cert=kwargs.pop("client_cert"),
            client_key=kwargs.pop("client_key"),
            proxy=kwargs.pop("proxy"),
            download_ca_bundle=kwargs.pop("download_ca_bundle"),
            config=kwargs.pop("config_path"),
        )
    return Run(command, ui, flags)


def _setup_logging(verbose: int) -> None:
    # httpx logs full URLs (a download link's query string is a credential): redact them whatever the level.
    redact_http_logs()
    if not verbose:
        # The command reports what matters itself; without -v the library's log lines (and the retry notices
        # of stamina, which the library retries with) would repeat it, through logging's last resort.
        for name in _LIBRARY_LOGGERS:
            logging.getLogger(name).addHandler(logging.NullHandler())
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name in _LIBRARY_LOGGERS:
        logging.getLogger(name).addHandler(handler)
    logging.getLogger("lf_export").setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    if verbose > 1:
        httpx_logger = logging.getLogger("httpx")
        httpx_logger.addHandler(handler)
        httpx_logger.setLevel(logging.INFO)


def guarded(run: Run, body: Callable[[], NoReturn]) -> NoReturn:
    """Run a command body; errors that escape it become their documented exit code and one message."""
    try:
        body()
    except click.exceptions.Exit:
        raise
    except ExportInterrupted as exc:  # a command that did not expect it: still name the remote tasks
        extra = report_interrupt(run, exc.cancelled, exc.left_running)
        error = {"type": "ExportInterrupted", "message": "interrupted"}
        run.finish(EXIT_INTERRUPTED, {"error": error, **extra})
    except KeyboardInterrupt:
        run.ui.error_block("interrupted")
        run.finish(EXIT_INTERRUPTED, {"error": {"type": "KeyboardInterrupt", "message": "interrupted"}})
    except (LaserficheError, ConfigError) as exc:
        run.ui.report_error(exc)
        run.finish(exit_code_for(exc), {"error": error_json(exc)})


def report_interrupt(
    run: Run,
    cancelled: Sequence[str],
    left: Sequence[str],
    out: Path | None = None,
    *,
    finish: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """The error block of an interrupted command and its JSON fields. One rule for every command: it cancels
    only what it started (the library does, for `export`, `copy` and `delete`), and what is left running is
    printed with the command that finishes it: ``lf-export resume`` for an export, else `finish` (``lf-export
    tasks wait`` for a copy or a delete)."""
    lines = []
    if cancelled:
        lines.append("cancelled remote task(s): " + ", ".join(cancelled))
    resume = [resume_line(task_id, out) if finish is None else finish(task_id) for task_id in left]
    if left:
        lines.append("left running on the server: " + ", ".join(left) + "; finish with:")
        lines += ["  " + line for line in resume]
    run.ui.error_block("interrupted", lines)
    if left:
        run.cloud_task_note()
    return {"interrupted": True, "cancelled": list(cancelled), "left_running": list(left), "resume": resume}


def prepare_folder(folder: Path, flag: str = "--out") -> Path:
    """Create `folder` (and its parents) and prove that a file can be written in it, before any export is
    started: a destination that cannot be created or written is a usage error (exit 2), not a traceback."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise _folder_error(folder, flag, "exists and is not a folder") from None
    except OSError as exc:
        raise _folder_error(folder, flag, f"cannot be created ({_os_reason(exc)})") from None
    try:
        fd, probe = tempfile.mkstemp(prefix=".lf-export-probe-", dir=folder)
    except OSError as exc:
        raise _folder_error(folder, flag, f"is not writable ({_os_reason(exc)})") from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return folder


def _folder_error(folder: Path, flag: str, rule: str) -> OptionsError:
    return OptionsError([OptionIssue(flag, str(folder), rule)])


def _os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
