"""Audit reasons given on the command line (``--audit-reason ID|NAME``): looked up among the repository's
reasons of one event type (``ExportDocument`` for `export`, ``DeleteEntry`` for `delete`) before anything is
started, and named in a hint when the repository demanded one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lf_export import (
    AuditReason,
    AuditReasonRequiredError,
    ExportClient,
    ExportOptions,
    LaserficheError,
    OptionIssue,
    OptionsError,
    TaskFailedError,
)

from ._options import OptionFlags, build_options
from ._output import Ui, clip

__all__ = ["audit_hint", "needs_audit_reason", "resolve_export_reason", "resolve_reason"]

_AUDIT_REASON_REQUIRED = 216  # the server's error code of a task refused for want of an audit reason


def resolve_reason(client: ExportClient, given: str | None, event_type: str) -> int | None:
    """The id of the audit reason `given` (an id or a name), checked against the repository's reasons of
    `event_type`: a name that matches none (or several), or an id that is not among them, is a usage error
    (exit 2) before anything is started. An id is passed on unchecked when the reasons cannot be listed."""
    if given is None:
        return None
    text = given.strip()
    if not text:
        raise OptionsError([OptionIssue("--audit-reason", given, "must be an id or a name")])
    if text.isascii() and text.isdigit():
        reason_id = int(text)
        try:
            reasons = client.audit_reasons(event_type=event_type)
        except LaserficheError:  # cannot list them: the server will judge the id
            return reason_id
        if reasons and not any(r.reason_id == reason_id for r in reasons):
            article = "an" if event_type[:1] in "AEIOU" else "a"
            rule = f"is not {article} {event_type} audit reason of this repository (known: {_known(reasons)})"
            raise OptionsError([OptionIssue("--audit-reason", given, rule)])
        return reason_id
    reasons = client.audit_reasons(event_type=event_type)
    matches = [r for r in reasons if r.name.casefold() == text.casefold()]
    if len(matches) != 1:
        rule = f"matches no {event_type} audit reason" if not matches else "matches several audit reasons"
        raise OptionsError([OptionIssue("--audit-reason", given, f"{rule} (known: {_known(reasons)})")])
    return matches[0].reason_id


def resolve_export_reason(client: ExportClient, flags: OptionFlags, options: ExportOptions) -> ExportOptions:
    """`export`'s options with the ExportDocument audit reason given by name resolved to its id."""
    if flags.audit_reason is None:
        return options
    reason_id = resolve_reason(client, flags.audit_reason, "ExportDocument")
    if flags.audit_reason_name is None:  # an id: already in the options
        return options
    resolved, _ = build_options(flags, audit_reason_id=reason_id)
    return resolved


def _known(reasons: Sequence[AuditReason]) -> str:
    return "; ".join(f"{r.reason_id} {r.name}" for r in reasons) or "none"


def needs_audit_reason(errors: Iterable[BaseException | None]) -> bool:
    """Whether the repository refused something for want of an audit reason."""
    return any(
        isinstance(error, AuditReasonRequiredError)
        or (isinstance(error, TaskFailedError) and error.error_code == _AUDIT_REASON_REQUIRED)
        for error in errors
    )


def audit_hint(
    ui: Ui, client: ExportClient, errors: Iterable[BaseException | None], given: str | None, event_type: str
) -> None:
    """When the repository demanded an audit reason, say which ones of `event_type` exist."""
    if not needs_audit_reason(errors):
        return
    try:
        reasons = client.audit_reasons(event_type=event_type)
    except LaserficheError:
        return
    known = ", ".join(f"{r.reason_id} ({r.name})" for r in reasons)
    if given is None:
        ui.info(f"this repository requires an audit reason: add --audit-reason with one of {known}")
    else:
        ui.info(f"the repository refused --audit-reason {clip(given, 40)}: use one of {known}")
