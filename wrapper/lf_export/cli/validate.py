"""`lf-export validate`: check export options and page ranges offline (exit 0, or 2 with every problem)."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import click

from lf_export import OptionsError

from ._flags import export_option_flags, option_flags, output_options
from ._options import build_options
from ._output import EXIT_OK, EXIT_USAGE, options_issues_json
from ._run import guarded, make_run

__all__ = ["validate_command"]


@click.command("validate")
@export_option_flags
@output_options
def validate_command(**kwargs: Any) -> NoReturn:
    """Check export options and page ranges offline: exit 0 (valid) or 2 (every problem listed)."""
    run = make_run("validate", kwargs, connection=False)
    flags = option_flags(kwargs)

    def body() -> NoReturn:
        try:
            options, warnings = build_options(flags)
        except OptionsError as exc:
            run.ui.report_error(exc)
            run.finish(EXIT_USAGE, {"valid": False, "issues": options_issues_json(exc)})
        for warning in warnings:
            run.ui.warn(warning)
        request = options.to_request_body()
        page_range = options.query_page_range()
        note = None
        if flags.audit_reason_name is not None:
            request.pop("auditReasonId", None)
            note = f"audit reason {flags.audit_reason_name!r} is looked up by name when exporting"
        if not run.ui.json_mode and not run.ui.quiet:
            run.ui.out.print("options are valid; request body:", markup=False)
            run.ui.out.print(json.dumps(request, indent=2, ensure_ascii=False), markup=False)
            run.ui.out.print(f"pageRange: {page_range or '(all pages)'}", markup=False)
            if note:
                run.ui.info(note)
        run.finish(
            EXIT_OK,
            {"valid": True, "body": request, "page_range": page_range, "warnings": warnings, "note": note},
        )

    guarded(run, body)
