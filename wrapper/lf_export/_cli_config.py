"""What the `lf-export` command reads before it talks to a server: connection settings, entry ids, durations,
and export options built from flags. No network, no output; every problem is collected, not just the first.

Connection settings come from three layers, highest first: command-line flags, environment variables
(``LF_BASE_URL``, ``LF_REPOSITORY_ID``, ``LF_ACCESS_TOKEN``, or ``LF_SERVICE_PRINCIPAL_KEY`` +
``LF_ACCESS_KEY`` for a Laserfiche Cloud service principal, or ``LF_USERNAME`` + ``LF_PASSWORD`` for a
self-hosted server, and ``LF_TOKEN_URL``), then an optional TOML file (``--config``, else
``LF_EXPORT_CONFIG``, else ``config.toml`` in the platform's config directory, e.g.
``~/.config/lf-export/config.toml``)::

    base_url = "https://api.laserfiche.com/repository"
    repository_id = "r-abc123"
    # token = "..."          # or access_key / service_principal_key (Cloud service principal),
    #                        # or username / password for a self-hosted server

Each setting is taken from the highest layer that has it. Credentials are taken as a whole from the highest
layer that has any: a token, or an access key (with the service principal key from the same layer, or a
prompt), or a username (with a password from the same layer, or a prompt). Within one layer a token wins
over an access key, which wins over a username.

An access key is checked here (no network): a bad one is a `ConfigError` naming where it came from and what
is wrong, never showing it. Its domain gives the API base URL (``https://api.<domain>/repository``) unless a
base URL is set; ``token_url`` (``LF_TOKEN_URL``, ``--token-url``) replaces its sign-in URL, for the
emulator (``python -m lf_emulator generate-access-key`` prints its test key) or a private cloud.

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

from ._errors import OptionIssue, OptionsError, OptionsWarning
from ._options import ExportOptions

__all__ = [
    "CONFIG_ENV",
    "ENV_ACCESS_KEY",
    "ENV_BASE_URL",
    "ENV_PASSWORD",
    "ENV_REPOSITORY_ID",
    "ENV_SERVICE_PRINCIPAL_KEY",
    "ENV_TOKEN",
    "ENV_TOKEN_URL",
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
ENV_ACCESS_KEY = "LF_ACCESS_KEY"
ENV_SERVICE_PRINCIPAL_KEY = "LF_SERVICE_PRINCIPAL_KEY"
ENV_TOKEN_URL = "LF_TOKEN_URL"  # noqa: S105
CONFIG_ENV = "LF_EXPORT_CONFIG"

_KEYS = (
    "base_url",
    "repository_id",
    "token",
    "access_key",
    "service_principal_key",
    "token_url",
    "username",
    "password",
)
_CONFIG_KEYS = frozenset(_KEYS)
_FLAG_LABELS = {key: "--" + key.replace("_", "-") for key in _KEYS}
_ENV_LABELS = {
    "base_url": ENV_BASE_URL,
    "repository_id": ENV_REPOSITORY_ID,
    "token": ENV_TOKEN,
    "access_key": ENV_ACCESS_KEY,
    "service_principal_key": ENV_SERVICE_PRINCIPAL_KEY,
    "token_url": ENV_TOKEN_URL,
    "username": ENV_USERNAME,
    "password": ENV_PASSWORD,
}
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
    access_key: str | None = attrs.field(default=None, repr=False)
    service_principal_key: str | None = attrs.field(default=None, repr=False)
    token_url: str | None = None
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    config: Path | None = None


@attrs.frozen(kw_only=True)
class Connection:
    """Resolved settings. `sources` says where each came from (a flag, a variable, a file); never a value.

    Exactly one kind of credentials is set: `token`, or `access_key` (with `service_principal_key`, which
    may still be missing: see `needs_service_principal_key`), or `username` (with `password`, idem)."""

    base_url: str
    repository_id: str
    token: str | None = attrs.field(default=None, repr=False)
    access_key: str | None = attrs.field(default=None, repr=False)
    service_principal_key: str | None = attrs.field(default=None, repr=False)
    token_url: str | None = None
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    sources: Mapping[str, str] = attrs.Factory(dict)

    @property
    def cloud(self) -> bool:
        """Signed in as a Laserfiche Cloud service principal (access key)."""
        return self.access_key is not None

    @property
    def needs_password(self) -> bool:
        return self.username is not None and self.token is None and self.password is None

    @property
    def needs_service_principal_key(self) -> bool:
        return self.access_key is not None and self.service_principal_key is None

    def with_password(self, password: str) -> Connection:
        return attrs.evolve(self, password=password)

    def with_service_principal_key(self, key: str) -> Connection:
        return attrs.evolve(self, service_principal_key=key)


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
    flag_values = {key: getattr(flags, key) for key in _KEYS}
    layers: list[tuple[str, Mapping[str, str | None]]] = [
        ("flag", flag_values),
        ("env", {key: env.get(name) for key, name in _ENV_LABELS.items()}),
        ("file", dict(from_file)),
    ]
    labels = {"flag": _FLAG_LABELS, "env": _ENV_LABELS, "file": dict.fromkeys(_CONFIG_KEYS, file_label)}
    chosen: dict[str, str] = {}
    sources: dict[str, str] = {}
    for key in ("base_url", "repository_id", "token_url"):
        for layer, values in layers:
            value = values.get(key)
            if value:
                chosen[key], sources[key] = value, labels[layer][key]
                break
    problems: list[str] = []
    token: str | None = None
    access_key: str | None = None
    service_principal_key: str | None = None
    username: str | None = None
    password: str | None = None
    for layer, values in layers:
        if values.get("token"):
            token = values["token"]
            sources["credentials"] = labels[layer]["token"]
            break
        if values.get("access_key") or values.get("service_principal_key"):
            access_key = values.get("access_key") or None
            service_principal_key = values.get("service_principal_key") or None
            sources["credentials"] = labels[layer]["access_key"]
            if access_key is None:
                problems.append(
                    f"no access key: {labels[layer]['service_principal_key']} is set but "
                    f"{labels[layer]['access_key']} is not (a service principal signs in with both)"
                )
            break
        if values.get("username"):
            username, password = values["username"], values.get("password") or None
            sources["credentials"] = labels[layer]["username"]
            break
    if access_key is not None and "base_url" not in chosen:
        api_base = _access_key_base_url(access_key, sources["credentials"], problems)
        if api_base is not None:
            chosen["base_url"], sources["base_url"] = api_base, f"{sources['credentials']} (its domain)"
    elif access_key is not None:
        _access_key_base_url(access_key, sources["credentials"], problems)  # checked all the same
    if "base_url" not in chosen and access_key is None:
        problems.append(
            f"no server: give --base-url, set {ENV_BASE_URL} or put base_url in the config file "
            f"({file_label}); with an access key ({ENV_ACCESS_KEY}) its domain names the server"
        )
    if "repository_id" not in chosen:
        problems.append(
            f"no repository: give --repository-id, set {ENV_REPOSITORY_ID} or put repository_id in the "
            f"config file ({file_label})"
        )
    if need_credentials and "credentials" not in sources:
        problems.append(
            f"no credentials: set {ENV_TOKEN} (Cloud), or {ENV_SERVICE_PRINCIPAL_KEY} and {ENV_ACCESS_KEY} "
            f"(Cloud service principal), or {ENV_USERNAME} and {ENV_PASSWORD} (self-hosted), or give "
            "--username, or put token / access_key / username in the config file"
        )
    if problems:
        raise ConfigError(problems)
    if access_key is None:
        sources.pop("token_url", None)  # only a service principal signs in there
    return Connection(
        base_url=chosen["base_url"],
        repository_id=chosen["repository_id"],
        token=token,
        access_key=access_key,
        service_principal_key=service_principal_key,
        token_url=chosen.get("token_url") if access_key is not None else None,
        username=username,
        password=password,
        sources=sources,
    )


def _access_key_base_url(access_key: str, where: str, problems: list[str]) -> str | None:
    """The API base URL of an access key; its problems (never its value) go to `problems`."""
    from ._cloud import parse_access_key

    try:
        key = parse_access_key(access_key)
    except OptionsError as exc:
        problems += [f"{where}: not a usable access key: {issue.field}: {issue.rule}" for issue in exc.issues]
        return None
    return key.api_base_url


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
