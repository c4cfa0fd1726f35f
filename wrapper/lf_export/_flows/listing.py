"""Paged listings: a folder's children, an entry's fields, tags and links, a search's results.

Every pager asks the first page with the generated operation, then follows ``@odata.nextLink`` exactly as the
server gave it (a `Fetch`: it may carry a ``$skiptoken`` we never build). A link that is not on the API's
origin is refused (it would receive the token): `ServerError`. A link seen before in the same listing ends it
(a server that loops cannot make us page forever), as do `MAX_EMPTY_PAGES` empty pages in a row. Only one page
is held at a time."""

from __future__ import annotations

import importlib
import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

from lf_repository_v2.types import UNSET, Response, Unset

from .._errors import ApiError, NetworkError, OptionIssue, OptionsError, ServerError
from .._tasks import wire_value
from .._tree_results import EntryField, EntryLink, EntryMetadata, EntryTag, TreeEntry
from .calls import entry_info
from .commands import Deliver, Fetch, Flow, Send, expect
from .operations import same_origin

__all__ = [
    "ENTRY_SELECT",
    "MAX_EMPTY_PAGES",
    "Pager",
    "children_pager",
    "collect",
    "deliver_pages",
    "entry_by_path",
    "fields_pager",
    "get_tree_entry",
    "links_pager",
    "metadata_flow",
    "search_results_pager",
    "tags_pager",
    "tree_entry",
]

log = logging.getLogger("lf_export.tree")

T = TypeVar("T")
Page = tuple[list[T], str | None]

#: What a listing asks for: a listed entry is not converted to its subtype, so the document members the
#: export needs (pages, electronic file) come only when named.
ENTRY_SELECT = ",".join(
    (
        "id,name,entryType,parentId,fullPath,creator,creationTime,lastModifiedTime,templateName,templateId",
        "pageCount,extension,isElectronicDocument,electronicDocumentSize,mimeType,targetId,targetType",
    )
)
MAX_EMPTY_PAGES = 10


def _opt(value: Any) -> Any:
    return None if isinstance(value, Unset) else value


def _model(name: str) -> Any:
    return getattr(importlib.import_module("lf_repository_v2.models"), name)


class Pager(Generic[T]):
    """One listing, page by page: `next_page` returns the next page's items, or None after the last."""

    def __init__(
        self,
        first: tuple[str, dict[str, Any]],
        model: str,
        convert: Callable[[Any], T],
        base_url: str,
        what: str,
    ) -> None:
        self._first = first
        self._model = model
        self._convert = convert
        self._base_url = base_url
        self.what = what
        self._link: str | None = None
        self._seen: set[str] = set()
        self._empty = 0
        self._done = False
        self.pages = 0

    def _page(self, collection: Any) -> Page[T]:
        items = [self._convert(item) for item in collection.value]
        return items, _opt(collection.odata_next_link)

    def _from_response(self, response: Response[Any]) -> Page[T]:
        return self._page(expect(_model(self._model))(response))

    def _from_json(self, data: object) -> Page[T]:
        if not isinstance(data, dict):
            raise ServerError(f"{self.what}: a page was not a JSON object", status=200)
        return self._page(_model(self._model).from_dict(data))

    def next_page(self) -> Flow[list[T] | None]:
        if self._done:
            return None
        page: Page[T]
        if self._link is None:
            operation, kwargs = self._first
            page = yield Send(operation, kwargs, self._from_response)
        else:
            page = yield Fetch(self._link, self._from_json)
        self.pages += 1
        items, link = page
        self._empty = 0 if items else self._empty + 1
        if not link:
            self._done = True
        elif link in self._seen or self._empty >= MAX_EMPTY_PAGES:
            why = "repeats an earlier page" if link in self._seen else "keeps answering empty pages"
            log.warning(
                "%s: the server's @odata.nextLink %s; stopping after %d pages", self.what, why, self.pages
            )
            self._done = True
        elif not same_origin(link, self._base_url):
            self._done = True
            raise ServerError(
                f"{self.what}: the server's @odata.nextLink is not on the API's origin; not following it "
                "(it would receive the access token)",
                status=200,
            )
        else:
            self._seen.add(link)
            self._link = link
        return items


def deliver_pages(pager: Pager[Any]) -> Flow[int]:
    """Deliver every item of a listing as it comes (one page in memory); returns how many."""
    count = 0
    while (page := (yield from pager.next_page())) is not None:
        for item in page:
            count += 1
            yield Deliver(item)
    return count


def collect(pager: Pager[T]) -> Flow[list[T]]:
    """Every item of a (small) listing: an entry's fields, tags or links."""
    items: list[T] = []
    while (page := (yield from pager.next_page())) is not None:
        items.extend(page)
    return items


def _paging(page_size: int | None) -> dict[str, Any]:
    return {} if page_size is None else {"prefer": f"maxpagesize={page_size}"}


def tree_entry(model: Any, path: str | None = None, via_shortcut: int | None = None) -> TreeEntry:
    """A `TreeEntry` from a generated Folder / RecordSeries / Document / Shortcut (listed or read)."""
    created = _opt(getattr(model, "creation_time", UNSET))
    template_id = _opt(getattr(model, "template_id", UNSET))
    target_type = _opt(getattr(model, "target_type", UNSET))
    electronic = _opt(getattr(model, "is_electronic_document", UNSET))
    info = entry_info(model)
    return TreeEntry(
        entry=info,
        path=info.name if path is None else path,
        full_path=info.full_path,
        template_name=_opt(getattr(model, "template_name", UNSET)) or None,
        template_id=template_id or None,
        creator=_opt(getattr(model, "creator", UNSET)),
        created=created if isinstance(created, datetime) else None,
        is_electronic=electronic if isinstance(electronic, bool) else None,
        target_id=_opt(getattr(model, "target_id", UNSET)),
        target_type=None if target_type is None else wire_value(target_type),
        via_shortcut=via_shortcut,
    )


def _parse_tree_entry(response: Response[Any]) -> TreeEntry:
    from lf_repository_v2.models import Document, Folder, RecordSeries, Shortcut

    entry = response.parsed
    if not isinstance(entry, Document | Folder | RecordSeries | Shortcut):
        entry = expect(Document)(response)
    return tree_entry(entry)


def get_tree_entry(entry_id: int) -> Send:
    """GetEntry, read as a `TreeEntry` (its path is its name)."""
    return Send("entries.get_entry", {"entry_id": entry_id}, _parse_tree_entry)


def entry_by_path(full_path: str) -> Send:
    """GetEntryByPath (backslashes; the root is ``\\``)."""

    def parse(response: Response[Any]) -> TreeEntry:
        found = expect(_model("GetEntryByPathResponse"))(response)
        entry = _opt(found.entry)
        if entry is None:
            raise ServerError(f"GetEntryByPath {full_path!r}: the answer named no entry", status=200)
        return tree_entry(entry)

    path = full_path.replace("/", "\\") if full_path.startswith("/") else full_path
    return Send("entries.get_entry_by_path", {"full_path": path}, parse)


def children_pager(folder_id: int, base_url: str, page_size: int | None = None) -> Pager[TreeEntry]:
    if isinstance(folder_id, bool) or not isinstance(folder_id, int) or folder_id < 1:
        raise OptionsError([OptionIssue("folder", folder_id, "must be a folder id (a positive integer)")])
    kwargs = {"entry_id": folder_id, "select": ENTRY_SELECT} | _paging(page_size)
    return Pager(
        ("entries.list_entries", kwargs),
        "EntryCollectionResponse",
        tree_entry,
        base_url,
        f"ListEntries of folder {folder_id}",
    )


def search_results_pager(task_id: str, base_url: str, page_size: int | None = None) -> Pager[TreeEntry]:
    kwargs = {"task_id": uuid.UUID(task_id), "select": ENTRY_SELECT} | _paging(page_size)
    return Pager(
        ("searches.list_search_results", kwargs),
        "EntryCollectionResponse",
        tree_entry,
        base_url,
        f"ListSearchResults of search {task_id}",
    )


def _field(model: Any) -> EntryField:
    kind = _opt(model.field_type)
    values = _opt(model.values) or []
    return EntryField(
        name=model.name,
        values=tuple(str(v) for v in values),
        field_type=None if kind is None else wire_value(kind),
        field_id=_opt(model.id),
        is_multi_value=bool(_opt(model.is_multi_value)),
        is_required=bool(_opt(model.is_required)),
        has_more_values=bool(_opt(model.has_more_values)),
        group_id=_opt(model.group_id),
    )


def _tag(model: Any) -> EntryTag:
    mark = _opt(model.watermark)
    return EntryTag(
        tag_id=model.id,
        name=model.name,
        display_name=_opt(model.display_name),
        description=_opt(model.description),
        is_secure=bool(_opt(model.is_secure)),
        watermark=None if mark is None else mark.to_dict(),
    )


def _link(model: Any) -> EntryLink:
    props = _opt(model.custom_properties)
    return EntryLink(
        link_id=model.id,
        description=_opt(model.description),
        source_id=_opt(model.source_id),
        source_full_path=_opt(model.source_full_path),
        source_label=_opt(model.source_label),
        target_id=_opt(model.target_id),
        target_full_path=_opt(model.target_full_path),
        target_label=_opt(model.target_label),
        link_definition_id=_opt(model.link_definition_id),
        link_definition_description=_opt(model.link_definition_description),
        custom_properties={} if props is None else {str(k): str(v) for k, v in props.to_dict().items()},
    )


def _meta_pager(
    operation: str, model: str, convert: Callable[[Any], T], entry_id: int, base_url: str, what: str
) -> Pager[T]:
    return Pager((operation, {"entry_id": entry_id}), model, convert, base_url, f"{what} of entry {entry_id}")


def fields_pager(entry_id: int, base_url: str) -> Pager[EntryField]:
    return _meta_pager(
        "entries.list_fields", "FieldCollectionResponse", _field, entry_id, base_url, "ListFields"
    )


def tags_pager(entry_id: int, base_url: str) -> Pager[EntryTag]:
    return _meta_pager("entries.list_tags", "TagCollectionResponse", _tag, entry_id, base_url, "ListTags")


def links_pager(entry_id: int, base_url: str) -> Pager[EntryLink]:
    return _meta_pager("entries.list_links", "LinkCollectionResponse", _link, entry_id, base_url, "ListLinks")


def metadata_flow(entry_id: int, base_url: str) -> Flow[EntryMetadata]:
    """Every field (all values), tag and link of an entry. A refusal or an unreadable answer is recorded in
    `EntryMetadata.error` (the document is still exported); a deadline or an interrupt propagates."""
    fields: list[EntryField] = []
    tags: list[EntryTag] = []
    links: list[EntryLink] = []
    try:
        fields = yield from collect(fields_pager(entry_id, base_url))
        tags = yield from collect(tags_pager(entry_id, base_url))
        links = yield from collect(links_pager(entry_id, base_url))
    except (ApiError, NetworkError) as error:
        log.warning("entry %s: metadata could not be read: %s", entry_id, error)
        return EntryMetadata(fields=tuple(fields), tags=tuple(tags), links=tuple(links), error=str(error))
    return EntryMetadata(fields=tuple(fields), tags=tuple(tags), links=tuple(links))
