"""MkDocs hooks: the OpenAPI contract and the benchmark figures come from the repository at build time.

* ``reference/laserfiche-repository-v2.yaml`` is ``openapi/laserfiche-repository-v2.yaml`` copied into the
  site, so the contract page (Swagger UI, bundled by the pinned mkdocs-swagger-ui-tag) needs no network at
  view time.
* ``<!-- bench-table -->`` in a page becomes the table of ``bench/results.json``.
* ``lf_export.cli.__main__`` is stubbed (see below).
"""

from __future__ import annotations

import importlib
import json
import sys
import types
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "laserfiche-repository-v2.yaml"
RESULTS = ROOT / "bench" / "results.json"

# The reference inspects lf_export (attrs classes get their constructors at run time), and inspection imports
# every submodule: `lf_export.cli.__main__` would run the command line (and exit) with mkdocs' arguments.
# And names that lf_export loads on first use (its module `__getattr__`) are loaded here, so that inspection
# sees every name of `__all__` whichever of them are lazy today.
sys.modules.setdefault("lf_export.cli.__main__", types.ModuleType("lf_export.cli.__main__"))
_lf_export = importlib.import_module("lf_export")
for _name in _lf_export.__all__:
    setattr(_lf_export, _name, getattr(_lf_export, _name))


def on_files(files: Files, config: Any) -> Files:
    files.append(File.generated(config, "reference/laserfiche-repository-v2.yaml", abs_src_path=str(SPEC)))
    return files


def _value(figure: dict[str, Any]) -> str:
    value, unit = figure.get("value"), figure.get("unit", "")
    if not isinstance(value, int | float):
        return str(value)
    text = f"{value:.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{text}×" if unit == "x" else f"{text} {unit}".strip()


def bench_table() -> str:
    data = json.loads(RESULTS.read_text(encoding="utf-8"))
    rows = ["| figure | measured | target | met | detail |", "|---|---|---|---|---|"]
    for name, figure in sorted(data["figures"].items()):
        met = {True: "yes", False: "**no**"}.get(figure.get("passed"), "")
        detail = str(figure.get("detail", "")).replace("|", "\\|")
        label = name.replace("|", "\\|")
        rows.append(f"| {label} | {_value(figure)} | {figure.get('target', '')} | {met} | {detail} |")
    machine = data.get("machine", "")
    python = data.get("python", "")
    return "\n".join(rows) + f"\n\nMeasured on: {machine}; Python {python}.\n"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if "<!-- bench-table -->" in markdown:
        markdown = markdown.replace("<!-- bench-table -->", bench_table())
    return markdown
