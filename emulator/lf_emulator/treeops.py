"""Copy and delete as step lists that a task runs as the clock moves (see ``tasks.Work``).

Copy (``StartCopyEntry``): the source subtree is captured when the task starts (parents before children);
each step creates one entry, so a cancelled copy leaves the entries created so far (a connected part of the
copy, its top first). Copies are unlocked, keep template, field values and tags, and lose links (links tie
two particular entries). Shortcuts are copied as shortcuts to the same target, so a shortcut that loops
back to an ancestor never makes a copy endless. The top entry takes the requested name; with ``autoRename``
a taken name becomes ``name (2)``, ``name (3)``, ...; without it the task fails with a 409 error before
copying anything (names compare case-insensitively).

Delete (``StartDeleteEntry``): the subtree is removed in post-order (children in their order, each entry
after everything under it), one entry per step, so a cancelled
delete leaves some entries deleted. A locked entry inside the subtree makes the task fail with a 423 error
when the walk reaches it: what was deleted before stays deleted; the locked entry, its ancestors and
whatever was not reached remain (a folder is never deleted while it still holds something).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime

from lf_emulator.repository import Entry, Repository

__all__ = ["CopyWork", "DeleteWork", "copy_seconds"]


def copy_seconds(task_seconds: float, entries: int) -> float:
    """Duration of a copy or delete of ``entries`` entries: ``task_seconds`` per 10 entries (at least one)."""
    return task_seconds * max(1.0, entries / 10)


class CopyWork:
    def __init__(
        self,
        repository: Repository,
        sources: list[Entry],
        destination_id: int,
        name: str,
        *,
        auto_rename: bool,
        creator: str,
        now: Callable[[], datetime],
        conflict: bool = False,
    ) -> None:
        self._repository = repository
        self._sources = sources
        self._destination_id = destination_id
        self._name = name
        self._auto_rename = auto_rename
        self._creator = creator
        self._now = now
        self._mapping: dict[int, int] = {}
        self.done = 0
        self.total = len(sources)
        #: A name conflict without autoRename fails the task before the first step.
        self.limit = 0 if conflict else len(sources)
        self.top_id: int | None = None

    def advance_to(self, count: int) -> None:
        with self._repository.lock:
            while self.done < min(count, self.limit):
                self._step(self._sources[self.done])
                self.done += 1

    def _step(self, source: Entry) -> None:
        repository = self._repository
        if self.done == 0:
            parent_id: int | None = self._destination_id
            name = (
                repository.unique_name(self._destination_id, self._name) if self._auto_rename else self._name
            )
        else:
            parent_id = self._mapping.get(source.parent_id) if source.parent_id is not None else None
            name = source.name
        if parent_id is None or repository.get(parent_id) is None:
            return  # its parent was never copied or was deleted meanwhile
        moment = self._now()
        copy = dataclasses.replace(
            source,
            id=repository.allocate_id(),
            name=name,
            parent_id=parent_id,
            creator=self._creator,
            creation_time=moment,
            last_modified_time=moment,
            locked=False,
        )
        repository.add(copy)
        self._mapping[source.id] = copy.id
        if self.done == 0:
            self.top_id = copy.id


def _post_order(repository: Repository, top_id: int) -> list[Entry]:
    """``top_id``'s subtree, children in order and each entry after everything under it."""
    with repository.lock:
        out: list[Entry] = []
        stack: list[tuple[int, bool]] = [(top_id, False)]
        while stack:
            entry_id, expanded = stack.pop()
            entry = repository.get(entry_id)
            if entry is None:
                continue
            if expanded:
                out.append(entry)
                continue
            stack.append((entry_id, True))
            stack.extend((c.id, False) for c in reversed(repository.children(entry_id)))
        return out


class DeleteWork:
    def __init__(self, repository: Repository, top_id: int) -> None:
        self._repository = repository
        self._order = _post_order(repository, top_id)
        self.done = 0
        self.total = len(self._order)
        locked = [i for i, e in enumerate(self._order) if e.locked]
        self.locked_entry: Entry | None = self._order[locked[0]] if locked else None
        self.limit = locked[0] if locked else self.total

    def advance_to(self, count: int) -> None:
        with self._repository.lock:
            while self.done < min(count, self.limit):
                self._repository.remove(self._order[self.done].id)
                self.done += 1
