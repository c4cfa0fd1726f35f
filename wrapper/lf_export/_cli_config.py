"""What the `lf-export` command reads before it talks to a server: connection settings, entry ids, durations,
and export options built from flags. No network, no output; every problem is collected, not just the first.

Connection settings come from three layers, highest first: command-line flags, environment variables
(``LF_BASE_URL``, ``LF_REPOSITORY_ID``, ``LF_ACCESS_TOKEN``, or ``LF_USERNAME`` + ``LF_PASSWORD`` for a
self-hosted server), then an optional TOML file (``--config``, else ``LF_EXPORT_CONFIG``, else
``config.toml`` in the platform's config directory, e.g. ``~/.config/lf-export/config.toml``)::

    base_url = "https://api.laserfiche.com/repository"
    repository_id = "r-abc123"
    # token = "..."          # or username / password for a self-hosted server

Each setting is taken from the highest layer that has it. Credentials are taken as a whole from the highest
layer that has any: a token, or a username (with a password from the same layer, or a prompt). Within one
layer a token wins over a username.

Export options: the flags are turned into the wire request body and validated by
`ExportOptions.from_request_body`, so the rules live in one place (options.py); problems only the command line
can have (a word where a number belongs, an unknown format name, a flag for another part) are added to the
same `OptionsError`, each named by its flag.
"""

from __future__ import annotations

import os
import re
import tomllib
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .errors import OptionIssue, OptionsError, OptionsWarning
from .options import ExportOptions

__all__ = [
    "CONFIG_ENV",
    "ENV_BASE_URL",
    "ENV_PASSWORD",
    "ENV_REPOSITORY_ID",
    "ENV_TOKEN",
    "ENV_USERNAME",
    "FORMAT_NAMES",
    "ConfigError",
    "Connection",
    "ConnectionFlags",
    "OptionFlags",
    "build_options",
    "default_config_path",
    "flag_for_field",
    "parse_duration",
    "parse_entry_ids",
    "resolve_connection",
]

ENV_BASE_URL = "LF_BASE_URL"
ENV_REPOSITORY_ID = "LF_REPOSITORY_ID"
ENV_TOKEN = "LF_ACCESS_TOKEN"  # noqa: S105 (a variable name, not a secret)
ENV_USERNAME = "LF_USERNAME"
ENV_PASSWORD = "LF_PASSWORD"  # noqa: S105
CONFIG_ENV = "LF_EXPORT_CONFIG"

_CONFIG_KEYS = frozenset({"base_url", "repository_id", "token", "username", "password"})
_MAX_ENTRY_ID = 2_147_483_647


class ConfigError(Exception):
    """The command cannot run as configured (exit 2). `problems` are one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


# --------------------------------------------------------------------------------------------- connection


@attrs.frozen(kw_only=True)
class ConnectionFlags:
    """Connection settings given on the command line (None = not given)."""

    base_url: str | None = None
    repository_id: str | None = None
    token: str | None = attrs.field(default=None, repr=False)
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    config: Path | None = None


@attrs.frozen(kw_only=True)
class Connection:
    """Resolved settings. `sources` says where each came from (a flag, a variable, a file); never a value."""

    base_url: str
    repository_id: str
    token: str | None = attrs.field(default=None, repr=False)
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    sources: Mapping[str, str] = attrs.Factory(dict)

    @property
    def needs_password(self) -> bool:
        return self.token is None and self.password is None

    def with_password(self, password: str) -> Connection:
        return attrs.evolve(self, password=password)


def default_config_path() -> Path:
    """``config.toml`` in the platform's per-user config directory."""
    import platformdirs  # the cli extra; imported here so the module loads without it

    return Path(platformdirs.user_config_dir("lf-export", appauthor=False)) / "config.toml"


def _read_config(path: Path, explicit: bool) -> dict[str, str]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if explicit:
            raise ConfigError([f"config file {path} does not exist"]) from None
        return {}
    except OSError as exc:
        raise ConfigError([f"config file {path} cannot be read: {exc.strerror}"]) from None
    try:
        data: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError([f"config file {path} is not valid TOML: {exc}"]) from None
    problems = [f"config file {path}: unknown key {key!r}" for key in data if key not in _CONFIG_KEYS]
    problems += [
        f"config file {path}: {key} must be a string"
        for key, value in data.items()
        if key in _CONFIG_KEYS and not isinstance(value, str)
    ]
    if problems:
        raise ConfigError(problems)
    return {key: value for key, value in data.items() if value}


def resolve_connection(
    flags: ConnectionFlags, env: Mapping[str, str] | None = None, *, need_credentials: bool = True
) -> Connection:
    """Merge flags, environment and config file (see the module docstring). Raises `ConfigError` listing
    everything missing."""
    env = os.environ if env is None else env
    if flags.config is not None:
        path, explicit, file_label = flags.config, True, f"--config {flags.config}"
    elif env.get(CONFIG_ENV):
        path, explicit = Path(env[CONFIG_ENV]), True
        file_label = f"{CONFIG_ENV}={path}"
    else:
        path, explicit = default_config_path(), False
        file_label = str(path)
    from_file = _read_config(path, explicit)
    layers: list[tuple[str, dict[str, str | None]]] = [
        (
            "flag",
            {
                "base_url": flags.base_url,
                "repository_id": flags.repository_id,
                "token": flags.token,
                "username": flags.username,
                "password": flags.password,
            },
        ),
        (
            "env",
            {
                "base_url": env.get(ENV_BASE_URL),
                "repository_id": env.get(ENV_REPOSITORY_ID),
                "token": env.get(ENV_TOKEN),
                "username": env.get(ENV_USERNAME),
                "password": env.get(ENV_PASSWORD),
            },
        ),
        ("file", dict(from_file)),
    ]
    labels = {
        "flag": {
            "base_url": "--base-url",
            "repository_id": "--repository-id",
            "token": "--token",
            "username": "--username",
            "password": "--password",
        },
        "env": {
            "base_url": ENV_BASE_URL,
            "repository_id": ENV_REPOSITORY_ID,
            "token": ENV_TOKEN,
            "username": ENV_USERNAME,
            "password": ENV_PASSWORD,
        },
        "file": dict.fromkeys(_CONFIG_KEYS, file_label),
    }
    chosen: dict[str, str] = {}
    sources: dict[str, str] = {}
    for key in ("base_url", "repository_id"):
        for layer, values in layers:
            value = values.get(key)
            if value:
                chosen[key], sources[key] = value, labels[layer][key]
                break
    token = username = password = None
    for layer, values in layers:
        if values.get("token"):
            token = values["token"]
            sources["credentials"] = labels[layer]["token"]
            break
        if values.get("username"):
            username, password = values["username"], values.get("password") or None
            sources["credentials"] = labels[layer]["username"]
            break
    problems = []
    if "base_url" not in chosen:
        problems.append(
            f"no server: give --base-url, set {ENV_BASE_URL} or put base_url in the config file "
            f"({file_label})"
        )
    if "repository_id" not in chosen:
        problems.append(
            f"no repository: give --repository-id, set {ENV_REPOSITORY_ID} or put repository_id in the "
            f"config file ({file_label})"
        )
    if need_credentials and token is None and username is None:
        problems.append(
            f"no credentials: set {ENV_TOKEN} (Cloud), or {ENV_USERNAME} and {ENV_PASSWORD} (self-hosted), "
            "or give --username, or put token / username in the config file"
        )
    if problems:
        raise ConfigError(problems)
    return Connection(
        base_url=chosen["base_url"],
        repository_id=chosen["repository_id"],
        token=token,
        username=username,
        password=password,
        sources=sources,
    )


# --------------------------------------------------------------------------------------------- durations

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)?")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, None: 1.0}


def parse_duration(text: str) -> float:
    """Seconds from ``90``, ``90s``, ``10m``, ``1h30m``, ``1.5m`` or ``500ms``. Raises `ValueError`.

    >>> parse_duration("1h30m"), parse_duration("45"), parse_duration("2.5m")
    (5400.0, 45.0, 150.0)
    """
    compact = text.strip().lower().replace(" ", "")
    pos, total, parts = 0, 0.0, 0
    while pos < len(compact):
        match = _DURATION_PART.match(compact, pos)
        if match is None or match.end() == pos:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos, parts = match.end(), parts + 1
        if match.group(2) is None and pos < len(compact):
            break  # a bare number must be the last part
    if not compact or pos != len(compact) or parts == 0:
        raise ValueError(f"{text!r} is not a duration; use e.g. 90s, 10m, 1h30m")
    if total <= 0:
        raise ValueError(f"{text!r}: a deadline must be longer than zero")
    return total


# --------------------------------------------------------------------------------------------- entry ids


def parse_entry_ids(args: Sequence[str], file_text: str | None, file_label: str = "--from-file") -> list[int]:
    """Entry ids from arguments and an optional ids file (one or more per line, separated by spaces or
    commas; ``#`` starts a comment). Duplicates are kept once, in first-seen order. Raises `OptionsError`
    naming every bad item."""
    items: list[tuple[str, str]] = [("ENTRY_ID", arg) for arg in args]
    if file_text is not None:
        for number, line in enumerate(file_text.splitlines(), start=1):
            content = line.split("#", 1)[0]
            items += [(f"{file_label} line {number}", tok) for tok in re.split(r"[\s,]+", content) if tok]
    issues: list[OptionIssue] = []
    ids: dict[int, None] = {}
    for where, token in items:
        if not token.isascii() or not token.isdigit():
            issues.append(OptionIssue(where, token, "must be an entry id (a whole number)"))
            continue
        value = int(token)
        if not 1 <= value <= _MAX_ENTRY_ID:
            issues.append(OptionIssue(where, token, f"must be between 1 and {_MAX_ENTRY_ID}"))
            continue
        ids[value] = None
    if not items:
        issues.append(
            OptionIssue("ENTRY_ID", None, "give at least one entry id, or --from-file FILE (- = stdin)")
        )
    if issues:
        raise OptionsError(issues)
    return list(ids)


# ------------------------------------------------------------------------------------------ export options

#: CLI format names → wire ``imageOptions.format`` values. Wire names are accepted too, in any case.
FORMAT_NAMES: Mapping[str, str] = {
    "tiff": "MultiPageTIFF",
    "single-tiff": "SinglePageTIFF",
    "png": "PNG",
    "pdf": "PDF",
    "jpeg": "JPEG",
}
_WIRE_FORMATS = {value.casefold(): value for value in FORMAT_NAMES.values()}

#: Wire field paths → the flag that sets them (for messages a command-line user can act on).
_FLAGS: Mapping[str, str] = {
    "part": "--part",
    "pageRange": "--pages",
    "imageOptions.format": "--format",
    "imageOptions.jPEGCompressionLevel": "--jpeg-quality",
    "imageOptions.includeAnnotations": "--no-annotations",
    "imageOptions.includeRedactions": "--no-redactions",
    "imageOptions.pagePrefix": "--page-prefix",
    "imageOptions.watermark.text": "--watermark",
    "imageOptions.watermark.position": "--watermark-position",
    "imageOptions.watermark.rotationAngle": "--watermark-angle",
    "imageOptions.watermark.pageSpanPercentage": "--watermark-span",
    "textOptions.includeRedactions": "--no-redactions",
    "textOptions.redactionCharacter": "--redaction-char",
    "auditReasonId": "--audit-reason",
    "auditReasonComment": "--audit-comment",
}


def flag_for_field(field: str) -> str | None:
    """The flag that sets a wire field (``imageOptions.watermark.rotationAngle`` → ``--watermark-angle``)."""
    if field.startswith("-") or field.isupper():  # already a flag or an argument (ENTRY_ID)
        return field
    return _FLAGS.get(field)


@attrs.frozen(kw_only=True)
class OptionFlags:
    """Export option flags exactly as typed (strings), so one pass can report every problem."""

    part: str | None = None
    format: str | None = None
    pages: str | None = None
    jpeg_quality: str | None = None
    watermark: str | None = None
    watermark_position: str | None = None
    watermark_angle: str | None = None
    watermark_span: str | None = None
    no_annotations: bool = False
    no_redactions: bool = False
    page_prefix: str | None = None
    redaction_char: str | None = None
    audit_reason: str | None = None
    audit_comment: str | None = None

    @property
    def audit_reason_name(self) -> str | None:
        """The audit reason when given by name (resolved against the server), else None."""
        value = self.audit_reason
        if value is None or (value.strip().isascii() and value.strip().isdigit()):
            return None
        return value.strip()


def _int_flag(flag: str, value: str | None, issues: list[OptionIssue]) -> int | None:
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.lstrip("-").isdigit() and text.count("-") <= 1:
        return int(text)
    issues.append(OptionIssue(flag, value, "must be a whole number"))
    return None


def build_options(flags: OptionFlags, audit_reason_id: int | None = None) -> tuple[ExportOptions, list[str]]:
    """Validated `ExportOptions` from flags, and the warnings the options raised (settings the server would
    ignore). An audit reason given by name needs `audit_reason_id` (resolved by the caller); until then a
    placeholder id is validated. Raises one `OptionsError` with every problem."""
    issues: list[OptionIssue] = []
    part = (flags.part or "image").strip()
    part_key = part.casefold()
    body: dict[str, object] = {"part": part}

    image_flags = {
        "--format": flags.format is not None,
        "--jpeg-quality": flags.jpeg_quality is not None,
        "--watermark": flags.watermark is not None,
        "--watermark-position": flags.watermark_position is not None,
        "--watermark-angle": flags.watermark_angle is not None,
        "--watermark-span": flags.watermark_span is not None,
        "--no-annotations": flags.no_annotations,
        "--page-prefix": flags.page_prefix is not None,
    }
    text_flags = {"--redaction-char": flags.redaction_char is not None}
    if part_key == "image":
        image: dict[str, object] = {}
        fmt = (flags.format or "tiff").strip()
        wire_format = FORMAT_NAMES.get(fmt.casefold()) or _WIRE_FORMATS.get(fmt.casefold())
        if wire_format is None:
            names = ", ".join(FORMAT_NAMES)
            issues.append(OptionIssue("--format", fmt, f"must be one of {names}"))
            wire_format = "MultiPageTIFF"
        image["format"] = wire_format
        quality = _int_flag("--jpeg-quality", flags.jpeg_quality, issues)
        if quality is not None:
            image["jPEGCompressionLevel"] = quality
        if flags.no_annotations:
            image["includeAnnotations"] = False
        if flags.no_redactions:
            image["includeRedactions"] = False
        if flags.page_prefix is not None:
            image["pagePrefix"] = flags.page_prefix
        mark_flags = ("--watermark-position", "--watermark-angle", "--watermark-span")
        if flags.watermark is not None:
            mark: dict[str, object] = {"text": flags.watermark}
            if flags.watermark_position is not None:
                mark["position"] = flags.watermark_position.strip().replace("-", "")
            angle = _int_flag("--watermark-angle", flags.watermark_angle, issues)
            if angle is not None:
                mark["rotationAngle"] = angle
            span = _int_flag("--watermark-span", flags.watermark_span, issues)
            if span is not None:
                mark["pageSpanPercentage"] = span
            image["watermark"] = mark
        else:
            issues += [
                OptionIssue(flag, None, "needs --watermark TEXT") for flag in mark_flags if image_flags[flag]
            ]
        body["imageOptions"] = image
        issues += [
            OptionIssue(flag, None, "only applies to --part text")
            for flag, given in text_flags.items()
            if given
        ]
    elif part_key in ("text", "edoc"):
        issues += [
            OptionIssue(flag, None, "only applies to --part image")
            for flag, given in image_flags.items()
            if given
        ]
        if part_key == "text":
            text: dict[str, object] = {}
            if flags.no_redactions:
                text["includeRedactions"] = False
            if flags.redaction_char is not None:
                text["redactionCharacter"] = flags.redaction_char
            if text:
                body["textOptions"] = text
        else:
            issues += [
                OptionIssue(flag, None, "only applies to --part text")
                for flag, given in text_flags.items()
                if given
            ]
            if flags.no_redactions:
                issues.append(OptionIssue("--no-redactions", None, "only applies to --part image or text"))
    # else: an unknown part is reported by the options' own validation, with the allowed values.

    if flags.audit_reason is not None:
        name = flags.audit_reason_name
        if name is None:
            body["auditReasonId"] = _int_flag("--audit-reason", flags.audit_reason, issues)
        elif not name:
            issues.append(OptionIssue("--audit-reason", flags.audit_reason, "must be an id or a name"))
        else:
            body["auditReasonId"] = audit_reason_id if audit_reason_id is not None else 1
        if body.get("auditReasonId") is None:
            body.pop("auditReasonId", None)
    if flags.audit_comment is not None:
        body["auditReasonComment"] = flags.audit_comment

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", OptionsWarning)
        try:
            options = ExportOptions.from_request_body(body, page_range=flags.pages)
        except OptionsError as exc:
            raise OptionsError([*issues, *exc.issues]) from None
    if issues:
        raise OptionsError(issues)
    messages = [str(w.message) for w in caught if issubclass(w.category, OptionsWarning)]
    return options, list(dict.fromkeys(messages))
