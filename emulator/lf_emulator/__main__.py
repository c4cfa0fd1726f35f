"""``python -m lf_emulator``: serve the emulator until Ctrl-C.

Prints the API base URL, the repository id and a bearer token, one per line (or one JSON object with
``--json``, which also has ``token_url``, the Cloud sign-in endpoint), then serves. With ``--tls`` both
origins speak HTTPS with certificates of a throw-away CA made at start-up, whose file is printed as a fourth
line (``ca_bundle`` in JSON): pass it to clients as ``--ca-bundle``; ``--client-ca FILE`` (or ``emulator``)
also requires client certificates. Every EmulatorConfig knob has a flag; ``--faults`` loads a JSON/TOML
profile.

``python -m lf_emulator generate-access-key [--json] [--domain D]`` prints the test service principal's
access key and service principal key, one per line (or as JSON). It needs no running emulator: the key is
derived from the configuration, so every emulator accepts it. Point a client at the emulator with both URLs,
since the key's domain (``localhost``) names no real server::

    ExportClient.from_access_key(spk, access_key, repository_id="r-emulator",
                                 base_url="http://127.0.0.1:PORT/repository",
                                 token_url="http://127.0.0.1:PORT/oauth/Token")
"""

from __future__ import annotations

import argparse
import errno
import json
import signal
import socket
import sys
import threading
from collections.abc import Sequence
from typing import Any

from lf_emulator.config import EmulatorConfig
from lf_emulator.faults import FaultProfile
from lf_emulator.tls import DEFAULT_TLS_NAMES

__all__ = ["main", "main_generate_access_key", "parse_args"]

GENERATE_ACCESS_KEY = "generate-access-key"
#: How the emulator is started: `lf-emulator` (console script), `lf-export emulator serve` or `python -m
#: lf_emulator`; usage lines and error messages name the first two.
PROG = "lf-emulator"
_EXIT_USAGE = 2
_EXIT_UNAVAILABLE = 1


def _server_module() -> Any:
    """`lf_emulator.testing` (it needs the `emulator` extra: starlette, uvicorn, Pillow ...)."""
    import lf_emulator.testing

    return lf_emulator.testing


def _missing_extra(exc: ModuleNotFoundError) -> int:
    print(
        f"error: the emulator needs the 'emulator' extra ({exc.name} is not installed): "
        "pip install 'lf-export[emulator]'",
        file=sys.stderr,
    )
    return _EXIT_USAGE


def parse_args(argv: Sequence[str] | None = None) -> tuple[EmulatorConfig, bool]:
    """(config, print-json) from command-line arguments."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Serve the Laserfiche emulator until Ctrl-C (also: lf-export emulator serve, python -m "
        "lf_emulator).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="API port (0 = a free one)")
    parser.add_argument("--links-port", type=int, default=0, help="download-link port (0 = a free one)")
    parser.add_argument("--base-path", default="/repository", help="API base path (default /repository)")
    parser.add_argument("--repository-id", default="r-emulator")
    parser.add_argument("--token", action="append", help="a static bearer token (repeatable)")
    parser.add_argument("--task-seconds", type=float, default=2.0, help="duration of a small export task")
    parser.add_argument("--long-poll-max-seconds", type=float, default=60.0)
    parser.add_argument("--task-expiry-seconds", type=float, default=900.0)
    parser.add_argument("--max-concurrent-tasks", type=int, default=4)
    parser.add_argument("--rate-limit-per-minute", type=int, default=0, help="0 = no limit")
    parser.add_argument(
        "--export-calls-per-minute", type=int, default=0, help="ExportEntry + StartExportEntry; 0 = no limit"
    )
    parser.add_argument(
        "--rate-window-seconds",
        type=float,
        default=60.0,
        help="window the per-minute limits are counted over",
    )
    parser.add_argument("--link-seconds", type=float, default=900.0)
    parser.add_argument("--require-audit-reason", action="store_true")
    parser.add_argument("--strict-task-ids", action="store_true")
    parser.add_argument("--large-edoc-bytes", type=int, default=16 * 1024 * 1024)
    parser.add_argument(
        "--synthetic-entries",
        type=int,
        default=0,
        metavar="N",
        help="also serve a generated tree of N entries under \\Synthetic (deterministic by --seed)",
    )
    parser.add_argument("--max-open-searches", type=int, default=2)
    parser.add_argument("--search-cache-seconds", type=float, default=300.0)
    parser.add_argument(
        "--cloud-token-seconds",
        type=float,
        default=43200.0,
        help="life of tokens from the Cloud sign-in endpoint /oauth/Token (default 43200 = 12 h)",
    )
    parser.add_argument("--faults", metavar="PROFILE", help="fault profile file (.json or .toml)")
    parser.add_argument(
        "--seed",
        type=int,
        help="override the fault profile's seed; also seeds the synthetic tree (default 0)",
    )
    parser.add_argument(
        "--tls",
        action="store_true",
        help="serve both origins over HTTPS, certificates from a throw-away CA (its file is printed)",
    )
    parser.add_argument(
        "--tls-name",
        action="append",
        metavar="NAME",
        help="a name the server certificate is for (repeatable; default 127.0.0.1, localhost, ::1)",
    )
    parser.add_argument(
        "--client-ca",
        metavar="FILE",
        help="with --tls: require client certificates signed by a CA in FILE (PEM), or 'emulator' for the "
        "emulator's own CA",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of three lines")
    args = parser.parse_args(argv)
    try:
        faults = FaultProfile.from_file(args.faults) if args.faults else FaultProfile()
        if args.seed is not None:
            faults = FaultProfile.from_dict({**faults.to_dict(), "seed": args.seed})
        config = EmulatorConfig(
            host=args.host,
            port=args.port,
            links_port=args.links_port,
            base_path=args.base_path,
            repository_id=args.repository_id,
            tokens=tuple(args.token) if args.token else EmulatorConfig().tokens,
            task_seconds=args.task_seconds,
            long_poll_max_seconds=args.long_poll_max_seconds,
            task_expiry_seconds=args.task_expiry_seconds,
            max_concurrent_tasks=args.max_concurrent_tasks,
            rate_limit_per_minute=args.rate_limit_per_minute,
            export_calls_per_minute=args.export_calls_per_minute,
            rate_window_seconds=args.rate_window_seconds,
            link_seconds=args.link_seconds,
            require_audit_reason=args.require_audit_reason,
            strict_task_ids=args.strict_task_ids,
            large_edoc_bytes=args.large_edoc_bytes,
            synthetic_entries=args.synthetic_entries,
            synthetic_seed=args.seed or 0,
            max_open_searches=args.max_open_searches,
            search_cache_seconds=args.search_cache_seconds,
            cloud_token_seconds=args.cloud_token_seconds,
            faults=faults,
            tls=args.tls,
            client_ca=args.client_ca,
            tls_names=tuple(args.tls_name) if args.tls_name else DEFAULT_TLS_NAMES,
        )
    except (OSError, ValueError) as exc:
        parser.error(str(exc))
    return config, args.json


def main_generate_access_key(argv: Sequence[str]) -> int:
    """``generate-access-key``: the test service principal's access key and service principal key."""
    parser = argparse.ArgumentParser(
        prog=f"{PROG} {GENERATE_ACCESS_KEY}",
        description="Print the emulator test service principal's access key, then its service principal "
        "key (one per line). Every emulator with the default configuration accepts them.",
    )
    parser.add_argument("--domain", help="the key's domain (default localhost; URLs are overridden anyway)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of two lines")
    args = parser.parse_args(argv)
    try:
        from lf_emulator.signin import SignInUnavailable

        testing = _server_module()
    except ModuleNotFoundError as exc:
        return _missing_extra(exc)
    try:
        info = testing.generate_access_key(EmulatorConfig(), domain=args.domain)
    except SignInUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        doc = {
            "access_key": info.access_key,
            "service_principal_key": info.service_principal_key,
            "client_id": info.client_id,
            "key_id": info.key_id,
            "token_path": "/oauth/Token",
        }
        print(json.dumps(doc), flush=True)
    else:
        print(info.access_key)
        print(info.service_principal_key, flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == [GENERATE_ACCESS_KEY]:
        return main_generate_access_key(arguments[1:])
    config, as_json = parse_args(arguments)
    try:
        testing = _server_module()
    except ModuleNotFoundError as exc:
        return _missing_extra(exc)
    done = threading.Event()

    def _stop(signum: int, frame: object) -> None:
        done.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    server = testing.EmulatorServer(config)
    try:
        server.start()
    except OSError as exc:  # a busy port, an unknown host, an address of no interface here
        print(f"error: {PROG}: cannot listen on {_where(config)}: {_reason(exc)}", file=sys.stderr)
        return _EXIT_UNAVAILABLE
    try:
        info = {
            "base_url": server.base_url,
            "repository_id": server.repository_id,
            "token": server.token,
            "links_url": server.links_url,
            "admin_url": server.origin + "/_emulator/state",
            "token_url": server.token_url,
            "documents": dict(server.documents),
        }
        if server.ca_bundle is not None:
            info["ca_bundle"] = server.ca_bundle
        if as_json:
            print(json.dumps(info), flush=True)
        else:
            print(server.base_url)
            print(server.repository_id)
            print(server.token, flush=True)
            if server.ca_bundle is not None:  # a fourth line only with --tls
                print(server.ca_bundle, flush=True)
        if server.ca_bundle is not None:
            print(f"lf_emulator: CA bundle {server.ca_bundle} (pass it as --ca-bundle)", file=sys.stderr)
        print("lf_emulator serving; Ctrl-C to stop", file=sys.stderr, flush=True)
        while not done.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


def _where(config: EmulatorConfig) -> str:
    host = f"[{config.host}]" if ":" in config.host else config.host
    ports = [str(port) for port in (config.port, config.links_port) if port]
    return f"{host} port {' / '.join(ports)}" if ports else f"{host}"


def _reason(exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):
        return f"the host name cannot be resolved ({exc.strerror or exc})"
    if exc.errno == errno.EADDRINUSE:
        return "the port is already in use (pick another with --port, or 0 for a free one)"
    if exc.errno == errno.EADDRNOTAVAIL:
        return "no network interface here has that address"
    return exc.strerror or str(exc)


if __name__ == "__main__":
    sys.exit(main())
