"""Whether a 404 is about the repository itself (a wrong repository id) or about one entry.

The server answers both with 404. An entry's 404 is that entry's own failure (exit 1, the rest of the run goes
on); the repository's is run-level: every call would meet it, so the run stops and exits 4, as
`audit-reasons` does. After the first 404 of a run the command asks once for something every repository has
(its audit reasons): a 404 there too means the repository id is wrong.
"""

from __future__ import annotations

from lf_export import ExportClient, LaserficheError, NotFoundError

from ._output import EXIT_API, Ui, exit_code_for

__all__ = ["REPOSITORY_HINT", "RepositoryCheck", "report_operation_error"]

REPOSITORY_HINT = (
    "check the repository id (--repository-id, LF_REPOSITORY_ID or repository_id in the config file)"
)


class RepositoryCheck:
    """Asks at most once per run whether the repository exists (after a 404)."""

    def __init__(self, client: ExportClient) -> None:
        self.client = client
        self._missing: bool | None = None

    @property
    def missing(self) -> bool:
        """Whether a 404 turned out to be the repository's (known only after `missing_after`)."""
        return bool(self._missing)

    def missing_after(self, error: BaseException | None) -> bool:
        """Whether `error` (a 404) means that the repository itself does not exist."""
        if not isinstance(error, NotFoundError):
            return False
        if self._missing is None:
            try:
                self.client.audit_reasons()
            except NotFoundError:
                self._missing = True
            except LaserficheError:
                self._missing = False
            else:
                self._missing = False
        return self._missing


def report_operation_error(ui: Ui, client: ExportClient, error: BaseException) -> int:
    """Print one operation's error and return its exit code: as for `export` (its own failures: 1), except
    that a wrong repository id is an API error (4), said with where the id came from."""
    ui.report_error(error)
    if RepositoryCheck(client).missing_after(error):
        ui.info(REPOSITORY_HINT)
        return EXIT_API
    return exit_code_for(error, exporting=True)
