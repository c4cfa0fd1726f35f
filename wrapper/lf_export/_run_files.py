"""The files of a durable run: the staging folder downloads land in, the check of a recorded file (size and
sha256), and moving a finished download to the name the journal claimed for it.

Order of a placement (a crash between any two steps loses only that file's work): the journal claims the final
name → the staged file is hashed and moved there (``os.replace``, atomic) → the job's earlier file, if it had
another name, is removed → the journal records the job downloaded with the file's size and sha256.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import attrs

from ._errors import OptionIssue, OptionsError
from ._journal import Journal
from ._journal_model import JobRecord, name_candidates, same_family
from ._results import ExportResult

__all__ = ["Placer", "sha256_of"]

_BLOCK = 1024 * 1024


def sha256_of(path: Path) -> tuple[int, str]:
    """The size and sha256 (hex) of a file."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


@attrs.define
class Placer:
    """Names in `dest` are claimed by the journal's rows (case-insensitively); a name that no row claims but
    exists on disk is someone else's file: kept (the new file takes a numbered name) unless `overwrite`."""

    dest: Path
    staging: Path
    overwrite: bool
    unique_names: bool
    claims: dict[str, tuple[int, str]]  # casefolded relative path → job key

    @classmethod
    def make(
        cls, dest: Path, journal_path: Path, records: Iterable[JobRecord], overwrite: bool, unique_names: bool
    ) -> Placer:
        tag = hashlib.sha256(str(journal_path.resolve()).encode()).hexdigest()[:8]
        staging = dest / ".lf-export" / f"incoming-{tag}"
        # Whatever is staged is a download the journal never recorded: never trusted, so removed.
        shutil.rmtree(staging, ignore_errors=True)
        try:
            staging.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            rule = f"must be a folder we can write ({exc.strerror})"
            raise OptionsError([OptionIssue("dest_dir", str(dest), rule)]) from exc
        claims = {r.path.casefold(): r.key for r in records if r.path is not None}
        return cls(dest, staging, overwrite, unique_names, claims)

    def verify(self, record: JobRecord) -> bool:
        """The recorded file is there with the recorded size and sha256."""
        if record.path is None or record.size is None or record.sha256 is None:
            return False
        path = self.dest / record.path
        try:
            if path.stat().st_size != record.size:
                return False
            return sha256_of(path) == (record.size, record.sha256)
        except OSError:
            return False

    def _choose(self, record: JobRecord, desired: str) -> str:
        own = record.path
        if own is not None and same_family(Path(own).name, desired):
            return own
        for name in name_candidates(desired):
            holder = self.claims.get(name.casefold())
            if holder is not None and holder != record.key:
                if not self.unique_names:
                    break
                continue
            if holder is None and not self.overwrite and (self.dest / name).exists():
                if not self.unique_names:
                    break
                continue  # someone else's file
            return name
        rule = f"the file name {desired!r} is taken (unique_names=False)"
        raise OptionsError([OptionIssue("dest_dir", str(self.dest), rule)])

    def place(self, journal: Journal, record: JobRecord, result: ExportResult, now: datetime) -> int:
        """Move a finished download to its claimed name and record it; returns its size."""
        desired = result.suggested_name or result.path.name
        name = self._choose(record, desired)
        stale = record.path if record.path is not None and record.path != name else None
        journal.claim(record.key, name, stale)
        self.claims[name.casefold()] = record.key
        size, digest = sha256_of(result.path)
        os.replace(result.path, self.dest / name)
        if stale is not None and self.claims.get(stale.casefold()) == record.key:
            del self.claims[stale.casefold()]
            with contextlib.suppress(OSError):
                (self.dest / stale).unlink()
        journal.downloaded(record.key, size, digest, now)
        return size
