"""Walking a folder tree: depth first, one listing page per level in memory, shortcuts followed or not.

The walk is a *source*: a generator that yields commands (listings, GetEntry of a shortcut's target) and
`Found` items. `walk_flow` delivers the found entries to a caller (`walk()`); the tree export pulls them one
at a time (`tree_export.Pull`) and exports each as it comes.

Rules:

* folders and record series are walked alike (``recursive=False``: the folder's own children only);
* `exclude` globs drop entries (an excluded folder is not entered); `include` globs keep only the documents
  and shortcuts they match (folders are always entered). A glob with a separator (``/`` or ``\\``) matches
  the path below the walked folder (``2023/Q4/*``), one without it the name; case-insensitively;
* a shortcut is reported as such unless `follow_shortcuts`; followed, its target takes its place (named like
  the shortcut) when the target lies *outside* the walked tree — a target inside it is exported at its own
  place, a folder that holds the walked tree is a loop, and a folder already walked is not walked again, so
  a walk always ends.
"""

from __future__ import annotations

import fnmatch
import logging
from collections import deque
from collections.abc import Callable, Generator
from typing import Any

import attrs

from .._errors import ApiError, OptionIssue, OptionsError
from .._mirror import MANIFEST_NAMES, DirNames
from .._tree_results import TreeEntry
from .commands import Command, Deliver, Flow
from .listing import Pager, children_pager, entry_by_path, get_tree_entry

__all__ = [
    "Found",
    "Planner",
    "Source",
    "WalkSpec",
    "deliver_found",
    "resolve_folder",
    "walk_flow",
    "walk_source",
]

log = logging.getLogger("lf_export.tree")


@attrs.frozen
class Found:
    """An entry a source found. `rel` is its place in the mirror (folder names, then its file name) when the
    source names files; `reason` says why it is recorded but not exported or entered; `plan` is what the
    exporter decided for a document (opaque here)."""

    entry: TreeEntry
    rel: tuple[str, ...] = ()
    reason: str | None = None
    plan: Any = None


Source = Generator[Command | Found, Any, None]
#: For a document: (what to export — opaque —, the file's extension, whether a sidecar goes beside it).
Planner = Callable[[TreeEntry], tuple[Any, str, bool]]


@attrs.frozen(kw_only=True)
class WalkSpec:
    recursive: bool = True
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    follow_shortcuts: bool = False
    page_size: int | None = None


def _matches(patterns: tuple[str, ...], entry: TreeEntry) -> bool:
    for pattern in patterns:
        wanted = pattern.replace("/", "\\").casefold()
        subject = entry.path if "\\" in wanted else entry.name
        if fnmatch.fnmatchcase(subject.casefold(), wanted):
            return True
    return False


def _inside(path: str, folder: str) -> bool:
    """Whether repository path `path` is `folder` or below it."""
    if folder in ("\\", ""):
        return True
    return path.casefold() == folder.casefold() or path.casefold().startswith(folder.casefold() + "\\")


def resolve_folder(ref: int | str) -> Flow[TreeEntry]:
    """The folder (or record series) to walk, by id or by path (``\\Invoices\\2024``); a shortcut to one is
    followed. Anything else is an `OptionsError` naming `ref`."""
    if isinstance(ref, str) and ref.strip().isdigit():
        ref = int(ref.strip())
    if isinstance(ref, bool) or not isinstance(ref, int | str) or (isinstance(ref, int) and ref < 1):
        raise OptionsError([OptionIssue("folder", ref, "must be a folder id or a path like \\Invoices")])
    if isinstance(ref, str):
        if not ref.startswith(("\\", "/")):
            raise OptionsError([OptionIssue("folder", ref, "a path starts at the root: \\Invoices\\2024")])
        root: TreeEntry = yield entry_by_path(ref)
    else:
        root = yield get_tree_entry(ref)
    if root.entry_type == "Shortcut" and root.target_id:
        root = yield get_tree_entry(root.target_id)
    if not root.is_container:
        rule = f"must be a folder or record series (entry {root.entry_id} is a {root.entry_type})"
        raise OptionsError([OptionIssue("folder", ref, rule)])
    return attrs.evolve(root, path="")


@attrs.define
class _Frame:
    pager: Pager[TreeEntry]
    prefix: str  # the folder's path below the root ("" for the root)
    rel: tuple[str, ...]  # the folder's place in the mirror
    names: DirNames | None
    page: deque[TreeEntry] = attrs.field(factory=deque)


class _Walker:
    def __init__(self, base_url: str, root: TreeEntry, spec: WalkSpec, plan: Planner | None) -> None:
        self.base_url = base_url
        self.root_path = root.full_path or "\\"
        self.spec = spec
        self.plan = plan
        self.walked = {root.entry_id}
        self.stack = [self._frame(root.entry_id, "", (), MANIFEST_NAMES)]

    def _frame(
        self, folder_id: int, prefix: str, rel: tuple[str, ...], reserved: tuple[str, ...] = ()
    ) -> _Frame:
        names = DirNames(reserved) if self.plan is not None else None
        return _Frame(children_pager(folder_id, self.base_url, self.spec.page_size), prefix, rel, names)

    def _place(
        self, frame: _Frame, entry: TreeEntry, suffix: str = "", sidecar: bool = False
    ) -> tuple[str, ...]:
        if frame.names is None:
            return ()
        return (*frame.rel, frame.names.take(entry.name, entry.entry_id, suffix, sidecar=sidecar))

    def run(self) -> Source:
        while self.stack:
            frame = self.stack[-1]
            if not frame.page:
                page = yield from frame.pager.next_page()
                if page is None:
                    self.stack.pop()
                else:
                    frame.page.extend(page)
                continue
            listed = frame.page.popleft()
            path = f"{frame.prefix}\\{listed.name}" if frame.prefix else listed.name
            entry = attrs.evolve(listed, path=path)
            if _matches(self.spec.exclude, entry):
                continue
            if entry.entry_type == "Shortcut" and self.spec.follow_shortcuts:
                yield from self._shortcut(frame, entry)
            else:
                yield from self._settle(frame, entry)

    def _settle(self, frame: _Frame, entry: TreeEntry) -> Source:
        if not entry.is_container and self.spec.include and not _matches(self.spec.include, entry):
            return
        if entry.is_container:
            rel = self._place(frame, entry)
            yield Found(entry, rel)
            if self.spec.recursive:
                self.walked.add(entry.entry_id)
                self.stack.append(self._frame(entry.entry_id, entry.path, rel))
        elif entry.entry_type == "Document":
            if self.plan is None:
                yield Found(entry)
                return
            plan, suffix, sidecar = self.plan(entry)
            yield Found(entry, self._place(frame, entry, suffix, sidecar), plan=plan)
        elif entry.entry_type == "Shortcut":
            yield Found(entry, reason="a shortcut (not followed; follow_shortcuts=True follows it)")
        else:
            yield Found(entry, reason=f"an entry of type {entry.entry_type} (not exported)")

    def _shortcut(self, frame: _Frame, shortcut: TreeEntry) -> Source:
        if not shortcut.target_id:
            yield Found(shortcut, reason="a shortcut without a target")
            return
        try:
            target: TreeEntry = yield get_tree_entry(shortcut.target_id)
        except ApiError as error:
            yield Found(
                shortcut, reason=f"a shortcut whose target {shortcut.target_id} cannot be read: {error}"
            )
            return
        reason = self._refusal(target)
        if reason is not None:
            yield Found(shortcut, reason=reason)
            return
        named = attrs.evolve(
            target,
            entry=attrs.evolve(target.entry, name=shortcut.name),
            path=shortcut.path,
            via_shortcut=shortcut.entry_id,
        )
        yield from self._settle(frame, named)

    def _refusal(self, target: TreeEntry) -> str | None:
        """Why a shortcut to `target` is not followed, or None."""
        where = target.full_path
        if target.entry_type == "Shortcut":
            return f"a shortcut to another shortcut ({target.entry_id}): not followed"
        if where is not None and _inside(where, self.root_path):
            return f"its target {target.entry_id} is in the exported tree (exported at its own place)"
        if target.is_container:
            if target.entry_id in self.walked:
                return f"its target folder {target.entry_id} was already walked (a loop)"
            if where is not None and _inside(self.root_path, where):
                return f"its target folder {target.entry_id} holds the exported tree (a loop)"
        return None


def walk_source(base_url: str, root: TreeEntry, spec: WalkSpec, plan: Planner | None = None) -> Source:
    """Walk the folder `root` (see the module docstring). With `plan`, documents are named in the mirror."""
    return _Walker(base_url, root, spec, plan).run()


def deliver_found(source: Source) -> Flow[int]:
    """Deliver the entry of everything `source` finds (`walk()`, `search()`); returns how many. An error
    thrown in (an abandoned stream) goes to the source, which cleans up."""
    count = 0
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            item = source.throw(error) if error is not None else source.send(value)
        except StopIteration:
            return count
        value, error = None, None
        try:
            if isinstance(item, Found):
                count += 1
                yield Deliver(item.entry)
            else:
                value = yield item
        except BaseException as exc:
            error = exc


def walk_flow(base_url: str, ref: int | str, spec: WalkSpec) -> Flow[int]:
    """`walk()`: deliver every entry found below the folder `ref`; returns how many."""
    root = yield from resolve_folder(ref)
    return (yield from deliver_found(walk_source(base_url, root, spec)))
