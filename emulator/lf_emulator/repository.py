"""The repository model: entries in a tree that copy and delete change, pages with text layers,
annotations, redactions, audit reasons.

Everything is derived from fixed seeds, so two emulators hold identical documents. The sample data is built
in ``samples`` (its table is in the package docstring) and the synthetic large tree in ``synthetic``.
"""

from __future__ import annotations

import dataclasses
import random
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Literal, overload

from lf_emulator.metadata import EntryLink, Tag, Template

__all__ = [
    "LARGE_EDOC_BLOCK",
    "AuditReason",
    "Edoc",
    "Entry",
    "EntryType",
    "LazyPages",
    "Page",
    "Repository",
    "large_edoc_chunks",
    "make_pages",
]

EntryType = Literal["Folder", "RecordSeries", "Document", "Shortcut"]

#: Page size in pixels (US Letter at 72 dpi, so a PDF point is a pixel).
PAGE_WIDTH = 612
PAGE_HEIGHT = 792

_WORDS = [
    "invoice",
    "amount",
    "payable",
    "account",
    "balance",
    "contract",
    "party",
    "agreement",
    "term",
    "clause",
    "schedule",
    "record",
    "retention",
    "review",
    "approved",
    "customer",
    "vendor",
    "delivery",
    "payment",
    "receipt",
    "quarter",
    "annual",
    "report",
    "summary",
    "signature",
    "witness",
    "notary",
    "exhibit",
    "appendix",
    "policy",
    "procedure",
    "department",
    "office",
    "archive",
    "scanned",
]


@dataclasses.dataclass(frozen=True)
class Annotation:
    """An annotation in page pixels: ``highlight`` (translucent yellow) or ``note`` (blue sticky note)."""

    kind: Literal["highlight", "note"]
    box: tuple[int, int, int, int]
    text: str = ""


@dataclasses.dataclass(frozen=True)
class Redaction:
    """A redacted span of one text line: characters ``start:end`` of ``lines[line]``."""

    line: int
    start: int
    end: int


@dataclasses.dataclass(frozen=True)
class Page:
    number: int
    lines: tuple[str, ...]
    annotations: tuple[Annotation, ...] = ()
    redactions: tuple[Redaction, ...] = ()

    def text(self, *, include_redactions: bool, redaction_character: str) -> str:
        """The text layer of this page; redacted spans become ``redaction_character`` when included."""
        lines = list(self.lines)
        if include_redactions:
            for r in self.redactions:
                line = lines[r.line]
                lines[r.line] = line[: r.start] + redaction_character * (r.end - r.start) + line[r.end :]
        return "\n".join(lines) + "\n"


@dataclasses.dataclass(frozen=True)
class Edoc:
    """An electronic document: a stored blob, or (``streamed``) a large deterministic byte stream."""

    mime_type: str
    extension: str
    size: int
    blob: bytes = b""
    streamed: bool = False


@dataclasses.dataclass(frozen=True)
class Entry:
    """One entry. Immutable: the tree changes by adding and removing entries, never by editing one.

    ``field_values`` maps field names of the entry's template to their values (strings, as on the wire);
    ``tag_ids`` names tags of ``Repository.tags``; ``pages`` may be a :class:`LazyPages` (rendered on demand).
    """

    id: int
    name: str
    entry_type: EntryType
    parent_id: int | None
    creator: str
    creation_time: datetime
    last_modified_time: datetime
    template_name: str = ""
    volume_name: str = "DEFAULT"
    pages: Sequence[Page] = ()
    edoc: Edoc | None = None
    locked: bool = False
    target_id: int | None = None
    field_values: tuple[tuple[str, tuple[str, ...]], ...] = ()
    tag_ids: tuple[int, ...] = ()
    is_record_folder: bool = False

    @property
    def is_container(self) -> bool:
        return self.entry_type in ("Folder", "RecordSeries")

    def values_of(self, field_name: str) -> tuple[str, ...]:
        return next((values for name, values in self.field_values if name == field_name), ())


class LazyPages(Sequence[Page]):
    """``count`` pages generated from a seed when asked for (the synthetic tree keeps no page text)."""

    def __init__(self, seed: int, name: str, count: int) -> None:
        self._seed = seed
        self._name = name
        self._count = count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Page: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Page]: ...
    def __getitem__(self, index: int | slice) -> Page | Sequence[Page]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        return _make_page(self._seed, self._name, index + 1, self._count)


@dataclasses.dataclass(frozen=True)
class AuditReason:
    id: int
    name: str
    audit_event_type: str


def _fold(name: str) -> str:
    return name.casefold()


class Repository:
    """The entries of one repository as a tree that copy and delete change, plus its metadata.

    Entry names are unique per folder, compared case-insensitively (as Laserfiche does). Every method takes
    ``lock`` (re-entrant), so callers that need several steps to agree hold it themselves.
    """

    def __init__(
        self,
        repository_id: str,
        entries: Iterable[Entry],
        audit_reasons: Iterable[AuditReason],
        *,
        templates: Iterable[Template] = (),
        tags: Iterable[Tag] = (),
        links: Iterable[EntryLink] = (),
    ) -> None:
        self.repository_id = repository_id
        self.lock = threading.RLock()
        self.entries: dict[int, Entry] = {}
        self._children: dict[int, dict[int, None]] = {}
        self._next_id = 1
        for entry in entries:
            self.add(entry)
        self.audit_reasons = tuple(audit_reasons)
        self.templates = {t.name: t for t in templates}
        self.tags = {t.id: t for t in tags}
        self.links: dict[int, EntryLink] = {link.id: link for link in links}
        self.root_id = min((e.id for e in self.entries.values() if e.parent_id is None), default=1)

    # -- reading ---------------------------------------------------------------------------------------

    def get(self, entry_id: int) -> Entry | None:
        return self.entries.get(entry_id)

    def children(self, folder_id: int) -> list[Entry]:
        """The entries directly in ``folder_id``, in the order they were added."""
        with self.lock:
            return [self.entries[i] for i in self._children.get(folder_id, {})]

    def child_named(self, folder_id: int, name: str) -> Entry | None:
        folded = _fold(name)
        with self.lock:
            return next((e for e in self.children(folder_id) if _fold(e.name) == folded), None)

    def ancestors(self, entry: Entry) -> Iterator[Entry]:
        """The entry's parent, grandparent, ... up to the root."""
        current = entry
        while current.parent_id is not None and (parent := self.entries.get(current.parent_id)) is not None:
            yield parent
            current = parent

    def is_in_subtree(self, entry_id: int, top_id: int) -> bool:
        """Whether ``entry_id`` is ``top_id`` or somewhere under it."""
        entry = self.entries.get(entry_id)
        if entry is None:
            return False
        return entry_id == top_id or any(a.id == top_id for a in self.ancestors(entry))

    def subtree(self, top_id: int) -> list[Entry]:
        """``top_id`` and everything under it, parents before children (pre-order)."""
        with self.lock:
            out: list[Entry] = []
            stack = [top_id]
            while stack:
                entry = self.entries.get(stack.pop())
                if entry is None:
                    continue
                out.append(entry)
                stack.extend(reversed(self._children.get(entry.id, {})))
            return out

    def full_path(self, entry: Entry) -> str:
        parts = [entry.name] if entry.parent_id is not None else []
        parts += [a.name for a in self.ancestors(entry) if a.parent_id is not None]
        return "\\" + "\\".join(reversed(parts))

    def folder_path(self, entry: Entry) -> str:
        if entry.parent_id is None:
            return ""
        parent = self.entries.get(entry.parent_id)
        return self.full_path(parent) if parent is not None else ""

    def by_path(self, path: str) -> tuple[Entry | None, Entry]:
        """(the entry at a backslash path or None, the closest existing ancestor). Root is ``\\``."""
        with self.lock:
            current = self.entries[self.root_id]
            for part in [p for p in path.split("\\") if p]:
                child = self.child_named(current.id, part) if current.is_container else None
                if child is None:
                    return None, current
                current = child
            return current, current

    def under_record_series(self, entry: Entry) -> bool:
        return any(a.entry_type == "RecordSeries" for a in self.ancestors(entry))

    def export_reason_ids(self) -> set[int]:
        return self.reason_ids("ExportDocument")

    def reason_ids(self, event_type: str) -> set[int]:
        return {r.id for r in self.audit_reasons if r.audit_event_type == event_type}

    def template_of(self, entry: Entry) -> Template | None:
        return self.templates.get(entry.template_name) if entry.template_name else None

    def links_of(self, entry_id: int) -> list[EntryLink]:
        with self.lock:
            return [link for link in self.links.values() if entry_id in (link.source_id, link.target_id)]

    def snapshot(self) -> list[tuple[str, str, int | None, str, tuple[int, ...]]]:
        """A comparable picture of the tree: (full path, type, shortcut target, template, tags) per entry."""
        with self.lock:
            return sorted(
                (self.full_path(e), e.entry_type, e.target_id, e.template_name, e.tag_ids)
                for e in self.entries.values()
            )

    # -- changing --------------------------------------------------------------------------------------

    def allocate_id(self) -> int:
        with self.lock:
            entry_id = self._next_id
            self._next_id += 1
            return entry_id

    def add(self, entry: Entry) -> None:
        with self.lock:
            self.entries[entry.id] = entry
            if entry.is_container:
                self._children.setdefault(entry.id, {})
            if entry.parent_id is not None:
                self._children.setdefault(entry.parent_id, {})[entry.id] = None
            self._next_id = max(self._next_id, entry.id + 1)

    def remove(self, entry_id: int) -> Entry | None:
        """Remove one entry (its children must be gone already) and every link that names it."""
        with self.lock:
            entry = self.entries.pop(entry_id, None)
            if entry is None:
                return None
            self._children.pop(entry_id, None)
            if entry.parent_id is not None:
                self._children.get(entry.parent_id, {}).pop(entry_id, None)
            for link_id in [
                i for i, link in self.links.items() if entry_id in (link.source_id, link.target_id)
            ]:
                del self.links[link_id]
            return entry

    def unique_name(self, folder_id: int, name: str) -> str:
        """``name``, or ``name (2)``, ``name (3)``, ... whichever is free in the folder."""
        with self.lock:
            taken = {_fold(e.name) for e in self.children(folder_id)}
            if _fold(name) not in taken:
                return name
            n = 2
            while _fold(f"{name} ({n})") in taken:
                n += 1
            return f"{name} ({n})"


#: Size of the repeating block of the streamed large document (each block is stamped with its index).
LARGE_EDOC_BLOCK = 1024 * 1024
_LARGE_BLOCK = random.Random("lf-emulator-large-edoc").randbytes(LARGE_EDOC_BLOCK)
_LARGE_HEADER = b"LFEMULATOR-LARGE-EDOC\n"


def _large_block(index: int) -> bytes:
    stamp = _LARGE_HEADER + f"block {index:012d}\n".encode()
    return stamp + _LARGE_BLOCK[len(stamp) :]


def large_edoc_chunks(size: int, start: int, end: int, chunk: int = 256 * 1024) -> Iterator[bytes]:
    """Bytes ``start..end`` (inclusive) of the deterministic large document of ``size`` bytes, streamed.

    Memory stays at one block (1 MiB) whatever the size.
    """
    end = min(end, size - 1)
    position = start
    while position <= end:
        index, offset = divmod(position, LARGE_EDOC_BLOCK)
        block = memoryview(_large_block(index))
        stop = min(LARGE_EDOC_BLOCK, end - index * LARGE_EDOC_BLOCK + 1)
        for piece in range(offset, stop, chunk):
            yield bytes(block[piece : min(piece + chunk, stop)])
        position = index * LARGE_EDOC_BLOCK + stop


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _make_page(
    doc_id: int,
    name: str,
    n: int,
    count: int,
    *,
    annotated: bool = False,
    redacted: bool = False,
    extra: str = "",
) -> Page:
    rng = random.Random(f"lf-emulator:{doc_id}:{n}")
    lines = [name, f"Page {n} of {count}"]
    lines += [_sentence(rng, rng.randint(5, 9)) for _ in range(10)]
    if extra:
        lines[3] = extra
    redactions: list[Redaction] = []
    if redacted:
        ssn = f"{rng.randint(100, 899)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"
        prefix = "Account holder SSN: "
        lines[5] = prefix + ssn
        redactions.append(Redaction(5, len(prefix), len(prefix) + len(ssn)))
        email = f"holder{n}@example.com"
        prefix = "Private contact "
        lines[9] = prefix + email + " (confidential)"
        redactions.append(Redaction(9, len(prefix), len(prefix) + len(email)))
    annotations: tuple[Annotation, ...] = ()
    if annotated:
        annotations = (
            Annotation("highlight", (40, 156, 420, 176)),
            Annotation("note", (420, 40, 590, 100), text=f"Reviewed p{n}"),
        )
    return Page(n, tuple(lines), annotations, tuple(redactions))


def make_pages(
    doc_id: int, name: str, count: int, *, annotated: bool = False, redacted: bool = False, extra: str = ""
) -> tuple[Page, ...]:
    """The ``count`` pages of a sample document (deterministic from its id and name)."""
    return tuple(
        _make_page(doc_id, name, n, count, annotated=annotated, redacted=redacted, extra=extra)
        for n in range(1, count + 1)
    )
