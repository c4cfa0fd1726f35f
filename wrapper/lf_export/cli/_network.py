"""TLS and proxy settings of `lf-export` (see `._config`'s docstring): which layer sets the client's
``verify=``, ``cert=``, ``proxy=`` and ``download_verify=``, checked by the library's own rules, every problem
named by the flag, variable or config-file key it came from. A proxy's password never appears.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lf_export import OptionIssue, OptionsError

__all__ = ["NETWORK_KEYS", "resolve_network"]

#: Connection settings of this module (flag, config-file key); `insecure` is a boolean, the others strings.
NETWORK_KEYS = ("ca_bundle", "insecure", "client_cert", "client_key", "proxy", "download_ca_bundle")


def resolve_network(
    layers: Sequence[tuple[str, Mapping[str, Any]]],
    labels: Mapping[str, Mapping[str, str]],
    sources: dict[str, str],
    problems: list[str],
) -> dict[str, Any]:
    """The client's TLS and proxy arguments from the layers (see the module docstring). Every problem goes to
    `problems`, named by where its value came from; a proxy's password never appears."""
    network: dict[str, Any] = {}
    where: dict[str, str] = {}  # library argument -> the flag, variable or file key that set it
    for layer, values in layers:  # verify: --ca-bundle or --insecure, from one layer
        bundle: str | None = values.get("ca_bundle")
        insecure = values.get("insecure") is True
        if not (bundle or insecure):
            continue
        if bundle and insecure:
            problems.append(
                f"{labels[layer]['insecure']} and {labels[layer]['ca_bundle']} cannot be combined: "
                "--ca-bundle trusts a CA, --insecure trusts nothing"
            )
        elif bundle:
            network["verify"] = _path(bundle)
            where["verify"] = sources["ca_bundle"] = labels[layer]["ca_bundle"]
        else:
            network["verify"] = False
            where["verify"] = sources["insecure"] = labels[layer]["insecure"]
        break
    for layer, values in layers:  # cert: --client-cert [--client-key], from one layer
        cert, key = values.get("client_cert"), values.get("client_key")
        if not (cert or key):
            continue
        if not cert:
            problems.append(
                f"{labels[layer]['client_key']} needs {labels[layer]['client_cert']} (the certificate "
                "of that key)"
            )
        else:
            network["cert"] = (_path(cert), _path(key)) if key else _path(cert)
            where["cert"] = sources["client_cert"] = labels[layer]["client_cert"]
            if key:
                where["cert"] += " / " + labels[layer]["client_key"]
        break
    for key, argument in (("proxy", "proxy"), ("download_ca_bundle", "download_verify")):
        for layer, values in layers:
            value = values.get(key)
            if value:
                network[argument] = _path(value) if argument == "download_verify" else value
                where[argument] = sources[key] = labels[layer][key]
                break
    if network:
        from lf_export._tls import NetworkSettings  # private: the library's own check, without a client

        try:
            NetworkSettings.make(**network)
        except OptionsError as exc:
            problems += [_network_problem(issue, where) for issue in exc.issues]
    return network


def _path(value: str) -> str:
    return str(Path(value).expanduser())


def _network_problem(issue: OptionIssue, where: Mapping[str, str]) -> str:
    """A library issue (``verify``, ``cert``, ``proxy``, ``download_verify``) named by the flag that set it.
    The library already shows a proxy as scheme, host and port only."""
    value = issue.value
    if value is None:
        shown = ""
    elif isinstance(value, tuple):
        shown = " (got " + ", ".join(repr(str(part)) for part in value) + ")"
    else:
        shown = f" (got {value!r})"
    return f"{where.get(issue.field, issue.field)}: {issue.rule}{shown}"
