"""The documentation site cannot rot: every code block of every page in docs/ is run (or checked) here, the
reference covers every public name, the exception tree on the pages is the code's, and the site builds
strictly.

Blocks are read as tests/docs/test_readme.py reads the README (its runner is reused: the same environment,
the same rewriting of ``export LF_…=`` lines to the emulator's values, the same secret checks), with fences
indented inside list items too. Tags:

* ``python``, ``sh``, ``toml``, ``json``, ``shell``: as in the README test.
* ``text``: not code (a grammar, a tree, another language's generator command, run by ``make spec-interop``).
"""

from __future__ import annotations

import inspect
import json
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import lf_export
import pytest
from lf_emulator.testing import EmulatorServer, FaultProfile
from lf_export.cli._config import ConnectionFlags, resolve_connection

from .test_readme import EXPORT_VAR, SERVE, _cloud, _env, _secrets

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
FENCE = re.compile(r"^([ \t]*)```([^\n`]*)\n(.*?)^\1```[ \t]*$", re.MULTILINE | re.DOTALL)
KNOWN_TAGS = {"sh", "python", "shell", "toml", "json", "text"}
REFERENCE = re.compile(r"^::: lf_export(?:\._\w+)?\.(\w+)\s*$", re.MULTILINE)


def _blocks() -> list[tuple[str, str, str]]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for n, m in enumerate(FENCE.finditer(text), start=1):
            body = textwrap.dedent("".join(m.group(1) + line for line in m.group(3).splitlines(True)))
            found.append((f"{page.relative_to(DOCS).with_suffix('')}-{n}", m.group(2).strip(), body))
    return found


def _of(tag: str) -> list[tuple[str, str]]:
    return [(name, body) for name, kind, body in _blocks() if kind == tag]


def _params(tag: str) -> list[object]:
    return [pytest.param(body, id=name) for name, body in _of(tag)]


def test_every_block_has_a_runner() -> None:
    assert PAGES
    unknown = {(name, kind) for name, kind, _ in _blocks() if kind not in KNOWN_TAGS}
    assert not unknown
    assert len(_of("python")) >= 10
    assert len(_of("sh")) >= 10


def test_every_guide_has_a_runnable_example() -> None:
    runnable = {name.rsplit("-", 1)[0] for tag in ("python", "sh", "shell") for name, _ in _of(tag)}
    guides = {str(p.relative_to(DOCS).with_suffix("")) for p in (DOCS / "guides").glob("*.md")}
    assert guides <= runnable


@pytest.mark.parametrize("body", _params("python"))
def test_python_block(body: str, emulator_session: EmulatorServer, tmp_path: Path) -> None:
    sign_ins = emulator_session.counters()["token_requests"]
    proc = subprocess.run(
        [sys.executable, "-c", body],
        cwd=tmp_path,
        env=_env(emulator_session, tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"{body}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    assert proc.stdout.strip()  # every example prints what it did
    for secret in _secrets(emulator_session):
        assert secret not in proc.stdout + proc.stderr
    if "LF_ACCESS_KEY" in body:
        assert emulator_session.counters()["token_requests"] > sign_ins


@pytest.mark.parametrize("body", _params("sh"))
def test_sh_block(body: str, emulator_session: EmulatorServer, tmp_path: Path) -> None:
    values = {
        "LF_BASE_URL": emulator_session.base_url,
        "LF_REPOSITORY_ID": emulator_session.repository_id,
        "LF_ACCESS_TOKEN": emulator_session.token,
        "LF_USERNAME": "admin",
        "LF_PASSWORD": "admin",
        **_cloud(emulator_session),
    }
    assert "lf-export" in body
    script = EXPORT_VAR.sub(lambda m: f"export {m.group(1)}={values[m.group(1)]}", body)
    script = SERVE.sub(":", script)  # run by test_emulator_serve_lines
    proc = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + script],
        cwd=tmp_path,
        env=_env(emulator_session, tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"{script}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    for secret in _secrets(emulator_session):
        assert secret not in proc.stdout + proc.stderr


def test_emulator_serve_lines() -> None:
    """Each `lf-export emulator serve` line of the pages starts (on a free port), prints its connection info
    and stops on Ctrl-C."""
    lines = [m.group(0) for _, body in _of("sh") for m in SERVE.finditer(body)]
    assert lines
    for line in lines:
        args = re.sub(r"--port \d+", "--port 0", line).split()[1:]
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "lf-export"), *args, "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout is not None
            info = json.loads(proc.stdout.readline())
            assert info["base_url"].startswith("http://127.0.0.1:")
            assert info["repository_id"] == "r-emulator"
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=20) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.communicate()


def test_make_targets_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = set(re.search(r"^\.PHONY:(.*)$", makefile, re.MULTILINE).group(1).split())  # type: ignore[union-attr]
    for _, body in _of("shell"):
        for line in body.strip().splitlines():
            words = line.split()
            assert words[0] == "make", line
            assert set(words[1:]) <= phony, line


def test_toml_and_json_blocks(tmp_path: Path) -> None:
    for name, body in _of("toml"):
        path = tmp_path / "config.toml"
        path.write_text(body, encoding="utf-8")
        conn = resolve_connection(ConnectionFlags(config=path), {"LF_ACCESS_TOKEN": "t"})
        assert conn.sources["base_url"] == f"--config {path}", name
    for _, body in _of("json"):
        assert FaultProfile.from_dict(json.loads(body)) != FaultProfile()


def test_reference_covers_every_public_name() -> None:
    documented = [
        m.group(1) for page in (DOCS / "reference").glob("*.md") for m in REFERENCE.finditer(page.read_text())
    ]
    assert len(documented) == len(set(documented)), "a name is documented twice"
    public = set(lf_export.__all__) - {"__version__"}
    assert set(documented) == public


def _tree() -> str:
    errors = {n: getattr(lf_export, n) for n in lf_export.__all__}
    errors = {n: c for n, c in errors.items() if inspect.isclass(c) and issubclass(c, BaseException)}
    lines: list[str] = []

    def show(cls: type, depth: int) -> None:
        lines.append("    " * depth + cls.__name__)
        for child in sorted((c for c in errors.values() if cls in c.__bases__), key=lambda c: c.__name__):
            show(child, depth + 1)

    for root in sorted(errors.values(), key=lambda c: (c.__name__ != "LaserficheError", c.__name__)):
        if not any(base.__name__ in errors for base in root.__bases__):
            show(root, 0)
    return "\n".join(lines) + "\n"


def test_exception_tree_on_the_pages_is_the_codes() -> None:
    trees = [body for _, body in _of("text") if body.startswith("LaserficheError\n")]
    assert len(trees) == 2  # the errors guide and the reference
    for body in trees:
        assert body == _tree()


def test_site_builds_strictly(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="the docs extra (pip install -e '.[docs]')")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = tmp_path / "site"
    assert (site / "reference" / "laserfiche-repository-v2.yaml").read_bytes() == (
        ROOT / "openapi" / "laserfiche-repository-v2.yaml"
    ).read_bytes()
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any("ExportOptions" in doc["title"] for doc in index["docs"])
    options = (site / "reference" / "options" / "index.html").read_text(encoding="utf-8")
    assert 'id="lf_export.ExportOptions.pdf"' in options
    clients = (site / "reference" / "clients" / "index.html").read_text(encoding="utf-8")
    for method in ("export_tree", "start_copy", "as_completed", "from_access_key", "walk"):
        assert f'id="lf_export.ExportClient.{method}"' in clients, method
    assert 'id="lf_export.AsyncExportClient.export_tree"' in clients
