"""Where `lf-export` finds its server and credentials. No network, no output; every problem is collected.

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

``pacing`` (``--pacing``, ``LF_PACING``, or the config file's ``pacing``): ``auto`` (the default: Laserfiche
Cloud's published limits for Cloud hosts, none elsewhere), ``cloud`` (those limits whatever the host) or
``off``; the client's ``pacing=``.

TLS and proxy (the client's ``verify=``, ``cert=``, ``proxy=``, ``download_verify=``), by the same layers:

- ``ca_bundle`` (``--ca-bundle FILE``, ``LF_CA_BUNDLE``): the CA bundle file (or folder) that signs the
  server's certificate; ``insecure`` (``--insecure``, the config file's ``insecure = true``): verify nothing
  (a warning every run). Both are one setting, taken from the highest layer that has either; one layer
  with both is a usage error.
- ``client_cert`` (``--client-cert FILE``) and ``client_key`` (``--client-key FILE``): a client certificate,
  a PEM file holding certificate and key, or the certificate with its key in another file; taken as a pair
  from the highest layer that has either (a key without a certificate is a usage error).
- ``proxy`` (``--proxy URL``): every request through this proxy. Without it the standard ``HTTPS_PROXY`` /
  ``NO_PROXY`` variables apply. Its password is never shown (`lf_export`'s messages show scheme, host and
  port only).
- ``download_ca_bundle`` (``--download-ca-bundle FILE``): download links on another host, signed by another
  CA (default: as the API).

File paths may start with ``~``; every setting is checked here, and every problem named by the flag,
variable or file it came from.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from lf_export import OptionsError

from ._network import NETWORK_KEYS, resolve_network

__all__ = [
    "CONFIG_ENV",
    "ENV_ACCESS_KEY",
    "ENV_BASE_URL",
    "ENV_CA_BUNDLE",
    "ENV_PACING",
    "ENV_PASSWORD",
    "ENV_REPOSITORY_ID",
    "ENV_SERVICE_PRINCIPAL_KEY",
    "ENV_TOKEN",
    "ENV_TOKEN_URL",
    "ENV_USERNAME",
    "PACING_CHOICES",
    "ConfigError",
    "Connection",
    "ConnectionFlags",
    "default_config_path",
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
ENV_PACING = "LF_PACING"
ENV_CA_BUNDLE = "LF_CA_BUNDLE"
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
    "pacing",
)
#: TLS and proxy settings (see the module docstring); `insecure` is a boolean, the others strings.
_NETWORK_KEYS = NETWORK_KEYS
_CONFIG_KEYS = frozenset(_KEYS + _NETWORK_KEYS)
_BOOLEAN_KEYS = frozenset({"insecure"})
_FLAG_LABELS = {key: "--" + key.replace("_", "-") for key in _KEYS + _NETWORK_KEYS}
_ENV_LABELS = {
    "base_url": ENV_BASE_URL,
    "repository_id": ENV_REPOSITORY_ID,
    "token": ENV_TOKEN,
    "access_key": ENV_ACCESS_KEY,
    "service_principal_key": ENV_SERVICE_PRINCIPAL_KEY,
    "token_url": ENV_TOKEN_URL,
    "username": ENV_USERNAME,
    "password": ENV_PASSWORD,
    "pacing": ENV_PACING,
    "ca_bundle": ENV_CA_BUNDLE,
}
#: ``--pacing``: the client's request pacing (`lf_export.Pacing`): auto (Laserfiche Cloud's published limits
#: for Cloud hosts, none elsewhere), cloud (those limits whatever the host) or off.
PACING_CHOICES = ("auto", "cloud", "off")


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
    pacing: str | None = None
    ca_bundle: str | None = None
    insecure: bool = False
    client_cert: str | None = None
    client_key: str | None = None
    proxy: str | None = attrs.field(default=None, repr=False)  # may hold a password
    download_ca_bundle: str | None = None
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
    pacing: str = "auto"  # one of PACING_CHOICES
    #: The client's TLS and proxy arguments: ``verify`` (True, a CA bundle path, or False for --insecure),
    #: ``cert`` (a path or a (certificate, key) pair), ``proxy`` (may hold a password: never shown),
    #: ``download_verify`` (None: as the API). Only the ones set.
    network: Mapping[str, Any] = attrs.field(factory=dict, repr=False)
    sources: Mapping[str, str] = attrs.Factory(dict)

    @property
    def insecure(self) -> bool:
        """--insecure (or the config file's ``insecure = true``): TLS certificates are not verified."""
        return self.network.get("verify") is False

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


def _read_config(path: Path, explicit: bool) -> dict[str, Any]:
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
        if key in _CONFIG_KEYS and key not in _BOOLEAN_KEYS and not isinstance(value, str)
    ]
    problems += [
        f"config file {path}: {key} must be true or false"
        for key, value in data.items()
        if key in _BOOLEAN_KEYS and not isinstance(value, bool)
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
    flag_values = {key: getattr(flags, key) or None for key in _KEYS + _NETWORK_KEYS}
    layers: list[tuple[str, Mapping[str, Any]]] = [
        ("flag", flag_values),
        ("env", {key: env.get(name) for key, name in _ENV_LABELS.items()}),
        ("file", dict(from_file)),
    ]
    labels = {
        "flag": _FLAG_LABELS,
        "env": _ENV_LABELS,
        "file": {
            key: f"{key} in {file_label}" if key in _NETWORK_KEYS else file_label for key in _CONFIG_KEYS
        },
    }
    chosen: dict[str, str] = {}
    sources: dict[str, str] = {}
    for key in ("base_url", "repository_id", "token_url", "pacing"):
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
    pacing = chosen.get("pacing", "auto").strip().lower()
    if pacing not in PACING_CHOICES:
        where, allowed = sources["pacing"], ", ".join(PACING_CHOICES)
        problems.append(f"{where}: pacing must be one of {allowed} (got {pacing[:40]!r})")
    network = resolve_network(layers, labels, sources, problems)
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
        pacing=pacing,
        network=network,
        sources=sources,
    )


def _access_key_base_url(access_key: str, where: str, problems: list[str]) -> str | None:
    """The API base URL of an access key; its problems (never its value) go to `problems`."""
    from lf_export._cloud import parse_access_key  # private today: see the report of issue 13

    try:
        key = parse_access_key(access_key)
    except OptionsError as exc:
        problems += [f"{where}: not a usable access key: {issue.field}: {issue.rule}" for issue in exc.issues]
        return None
    return key.api_base_url
