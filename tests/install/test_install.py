"""The package as a user gets it (issue 14, item 10): build the wheel, install it into fresh virtual
environments, and run the installed commands; check the wheel's metadata and the sdist's contents.

* without extras: `lf-export --help` / `--version` print the one-line ``pip install 'lf-export[cli]'`` hint
  and exit 2, no traceback; ``python -m lf_emulator`` says ``pip install 'lf-export[emulator]'``;
* with ``[cli]``: `lf-export --help` / `--version` work, and `lf-export emulator serve --help` shows the
  emulator's usage (its flags need no extra; serving does);
* the wheel carries the license file, classifiers, Project-URLs and authors; the sdist ships the whole test
  suite (every ``conftest.py``) or it could not run.

Fresh environments are made with ``uv`` when it is there (fast), else ``venv`` + pip; either way the package
index configured for pip provides the dependencies.
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
TIMEOUT = 600


def _run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, f"{args}:\n{proc.stdout}\n{proc.stderr}"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--quiet",
        "--disable-pip-version-check",
        "-w",
        out,
        ROOT,
    )
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (built,) = dist.glob("lf_export-*.whl")
    return built


def _venv(where: Path, wheel: Path, extras: str) -> Path:
    requirement = f"{wheel}{extras}"
    if UV is not None:
        _run(UV, "venv", "--quiet", "--python", sys.executable, where)
        _run(UV, "pip", "install", "--quiet", "--python", where / "bin" / "python", requirement)
    else:
        _run(sys.executable, "-m", "venv", where)
        _run(
            where / "bin" / "python",
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            requirement,
        )
    return where / "bin"


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    return _venv(tmp_path_factory.mktemp("bare") / "venv", wheel, "")


@pytest.fixture(scope="module")
def with_cli(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    return _venv(tmp_path_factory.mktemp("cli") / "venv", wheel, "[cli]")


def _clean_env() -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    return {key: value for key, value in os.environ.items() if key in keep} | {"PYTHONUTF8": "1"}


def _command(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bin_dir / args[0]), *args[1:]],
        cwd=cwd,  # not the checkout: nothing may be imported from the source tree
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["emulator", "serve", "--help"], ["export", "10"]]
)
def test_without_extras_lf_export_prints_the_install_hint(
    bare: Path, tmp_path: Path, args: list[str]
) -> None:
    proc = _command(bare, "lf-export", *args, cwd=tmp_path)
    assert proc.returncode == 2, proc
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == proc.stderr.strip().splitlines()[0], proc.stderr  # one line
    assert "pip install 'lf-export[cli]'" in proc.stderr
    assert proc.stdout == ""


def test_without_extras_the_emulator_prints_its_install_hint(bare: Path, tmp_path: Path) -> None:
    for args in (["python", "-m", "lf_emulator"], ["lf-emulator"]):
        proc = _command(bare, *args, cwd=tmp_path)
        assert proc.returncode == 2, proc
        assert "Traceback" not in proc.stderr
        assert "pip install 'lf-export[emulator]'" in proc.stderr


def test_the_library_imports_without_extras(bare: Path, tmp_path: Path) -> None:
    proc = _command(bare, "python", "-c", "import lf_export; print(lf_export.__version__)", cwd=tmp_path)
    assert proc.returncode == 0, proc
    assert proc.stdout.strip() == "0.1.0"


def test_with_the_cli_extra_the_commands_work(with_cli: Path, tmp_path: Path) -> None:
    helped = _command(with_cli, "lf-export", "--help", cwd=tmp_path)
    assert helped.returncode == 0, helped
    assert "Usage: lf-export" in helped.stdout
    version = _command(with_cli, "lf-export", "--version", cwd=tmp_path)
    assert version.returncode == 0, version
    assert "0.1.0" in version.stdout
    serve_help = _command(with_cli, "lf-export", "emulator", "serve", "--help", cwd=tmp_path)
    assert serve_help.returncode == 0, serve_help
    assert serve_help.stdout.startswith("usage: lf-emulator")
    serve = _command(with_cli, "lf-export", "emulator", "serve", "--port", "0", cwd=tmp_path)
    assert serve.returncode == 2, serve  # serving needs the emulator extra: one line says so
    assert "Traceback" not in serve.stderr
    assert "pip install 'lf-export[emulator]'" in serve.stderr


def test_wheel_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        (meta_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = email.message_from_bytes(zf.read(meta_name))
        licenses = [n for n in names if ".dist-info/licenses/" in n]
        assert [Path(n).name for n in licenses] == ["LICENSE"]
        assert b"MIT License" in zf.read(licenses[0])
    assert meta["License-Expression"] == "MIT"
    assert meta["Author"]
    assert meta.get_all("Project-URL")
    classifiers = meta.get_all("Classifier") or []
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert "Typing :: Typed" in classifiers
    assert not any(name.startswith("tests/") for name in names)


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sdist")
    if UV is not None:
        _run(UV, "build", "--sdist", "--quiet", "--out-dir", out, ROOT)
    else:
        pytest.importorskip("build")
        _run(sys.executable, "-m", "build", "--sdist", "--outdir", out, ROOT)
    (built,) = out.glob("lf_export-*.tar.gz")
    return built


def test_sdist_ships_the_whole_test_suite(sdist: Path) -> None:
    """All of tests/ or none: half a suite (tests without their conftest.py) cannot run."""
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    shipped = {name for name in names if name.startswith("tests/") and name.endswith(".py")}
    expected = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("*.py")
        if "__pycache__" not in path.parts and _tracked(path)
    }
    assert expected <= shipped, sorted(expected - shipped)
    assert "tests/conftest.py" in shipped
    assert {"LICENSE", "README.md", "pyproject.toml", "Makefile"} <= names
    assert not any("__pycache__" in name for name in names)


def _tracked(path: Path) -> bool:
    proc = subprocess.run(
        ["git", "ls-files", "--error-unmatch", str(path)], cwd=ROOT, capture_output=True, check=False
    )
    return proc.returncode == 0 or not (ROOT / ".git").exists()
