"""The shape of the package: one pinned public list, private implementation modules, small modules, and a
pure core that imports nothing that does I/O."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import lf_export

PACKAGE = Path(lf_export.__file__).parent

PUBLIC = {
    # clients, and the handle of every long operation they start
    "AsyncExportClient",
    "AsyncLongOperation",
    "ExportClient",
    "LongOperation",
    # what to export
    "ExportOptions",
    "ExportPart",
    "ImageFormat",
    "ImageOptions",
    "PageRange",
    "TextOptions",
    "Watermark",
    "WatermarkPosition",
    # what calls take and return
    "AuditReason",
    "DownloadResult",
    "EntryInfo",
    "ExportJob",
    "ExportResult",
    "JobOutcome",
    "ProgressEvent",
    "ProgressPhase",
    "TaskProgress",
    "TaskStatus",
    "TaskType",
    # settings and credentials
    "AutoRule",
    "CallableToken",
    "Pacing",
    "PasswordGrant",
    "PollPolicy",
    "RetryPolicy",
    "StaticToken",
    "Timeouts",
    "TokenSource",
    # errors and warnings (the tree is drawn in lf_export._errors)
    "AccessDeniedError",
    "ApiError",
    "AuditReasonRequiredError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "DownloadError",
    "EntryLockedError",
    "ExportInterrupted",
    "ExportTimeoutError",
    "LaserficheError",
    "NetworkError",
    "NotFoundError",
    "OptionIssue",
    "OptionsError",
    "OptionsWarning",
    "InsecureTLSWarning",
    "RateLimitedError",
    "RequestTooLargeError",
    "ServerError",
    "TaskCancelledError",
    "TaskError",
    "TaskExpiredError",
    "TaskFailedError",
    # durable bulk runs (a journal per run)
    "EntryVersion",
    "JournalError",
    "RunStatus",
    "RunSummary",
    "aresume_run",
    "arun_export",
    "read_run_status",
    "resume_run",
    "run_export",
    # folder trees, searches and their metadata
    "EntryField",
    "EntryLink",
    "EntryMetadata",
    "EntryTag",
    "TreeEntry",
    "TreeOutcome",
    "TreeSummary",
    # logging
    "redact_http_logs",
    "__version__",
}

#: The sans-I/O core: given answers and a clock reading, it decides. It may import the generated models and
#: types, never the generated operations (they send), httpx, a clock, a file system or an event loop.
PURE = [
    "_api_errors",
    "_error_base",
    "_errors",
    "_flows/__init__",
    "_flows/calls",
    "_flows/commands",
    "_flows/export",
    "_flows/listing",
    "_flows/many",
    "_flows/operations",
    "_flows/polling",
    "_flows/search",
    "_flows/tree",
    "_flows/tree_export",
    "_journal_model",
    "_mirror",
    "_modes",
    "_option_rules",
    "_option_values",
    "_option_wire",
    "_options",
    "_pacing",
    "_pages",
    "_redact",
    "_results",
    "_tasks",
    "_tree_results",
    "_text_rules",
]
IO_MODULES = {
    "anyio",
    "asyncio",
    "httpx",
    "os",
    "shutil",
    "socket",
    "stamina",
    "tempfile",
    "threading",
    "time",
    "lf_repository_v2.api",
    "lf_repository_v2.client",
}
DRIVERS = {
    "_aio",
    "_auth",
    "_base",
    "_client",
    "_cloud",
    "_config",
    "_download",
    "_operation_api",
    "_operations",
}
DRIVERS |= {"_partfile", "_plans", "_transfer", "_transport", "_responses", "_tokens", "cli"}
DRIVERS |= {
    "_journal",
    "_run_core",
    "_run_files",
    "_runs",
    "_metadata",
    "_tree_aio",
    "_tree_api",
    "_tree_plans",
}


def test_the_public_list_is_pinned_and_every_name_resolves() -> None:
    assert set(lf_export.__all__) == PUBLIC
    assert len(lf_export.__all__) == len(PUBLIC)
    for name in lf_export.__all__:
        assert getattr(lf_export, name) is not None, name


def test_implementation_modules_are_private() -> None:
    public_modules = [m.name for m in pkgutil.iter_modules([str(PACKAGE)]) if not m.name.startswith("_")]
    assert public_modules == ["cli"]


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (function-level imports too), resolved to absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = ["lf_export", *path.relative_to(PACKAGE).parent.parts]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
                found.add(module)
                if not node.module:
                    found.update(f"{base}.{alias.name}" for alias in node.names)
            elif node.module:
                found.add(node.module)
    return found


def test_the_pure_core_imports_nothing_that_does_io() -> None:
    leaks: dict[str, list[str]] = {}
    for name in PURE:
        path = PACKAGE / f"{name}.py"
        bad = []
        for module in sorted(_imports(path)):
            top = module.split(".")
            does_io = any(module == io or module.startswith(io + ".") for io in IO_MODULES)
            if does_io or (top[0] == "lf_export" and len(top) > 1 and top[1] in DRIVERS):
                bad.append(module)
        if bad:
            leaks[name] = bad
    assert leaks == {}


def test_the_layering_test_sees_a_leak() -> None:
    # The check above must be able to fail: the driver module imports httpx and generated operations' client.
    assert "httpx" in _imports(PACKAGE / "_base.py")
    assert "lf_export._flows" in _imports(PACKAGE / "_base.py")


def test_no_module_is_large() -> None:
    sizes = {
        str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert {name: lines for name, lines in sizes.items() if lines > 420} == {}


def test_importing_the_package_leaves_other_libraries_logging_alone() -> None:
    import logging
    import subprocess
    import sys

    code = (
        "import logging\n"
        "before = {n: (list(logging.getLogger(n).filters), list(logging.getLogger(n).handlers))"
        " for n in ('httpx', 'httpcore', 'stamina', '')}\n"
        "import lf_export\n"
        "after = {n: (list(logging.getLogger(n).filters), list(logging.getLogger(n).handlers))"
        " for n in ('httpx', 'httpcore', 'stamina', '')}\n"
        "assert before == after, (before, after)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert logging.getLogger("lf_export").handlers is not None


def test_every_private_module_imports() -> None:
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        name = ".".join(("lf_export", *parts)).removesuffix(".__init__")
        importlib.import_module(name)
