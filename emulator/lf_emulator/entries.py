"""Entry, link and listing shapes on the wire, and OData paging for every list operation.

Entry shapes (``GetEntry``): the common properties, then those of the entry's type (Document, Folder and
RecordSeries, Shortcut). ``childInfo`` comes for containers only with ``includeChildInfo=true`` and
``totalDocumentSize`` for documents only with ``includeTotalSize=true``. The root has no ``parentId``.

Listings (``ListEntries``, ``ListSearchResults``) are not converted to the subtype: an entry carries the
common properties plus ``rowNumber`` (1-based position in the whole listing); properties of a subtype
(``extension``, ``electronicDocumentSize``, ``pageCount``, ``childInfo``, ``targetId``, ...) come only when
``$select`` names them, and only on entries of that type. ``@odata.type``, ``id``, ``name``, ``entryType`` and
``rowNumber`` always come.

Paging: ``$top`` (≤ 150, a cap on the whole listing), ``$skip``, ``$count``, ``$orderby`` (≤ 5 expressions
``prop [asc|desc]``), ``$select``, ``Prefer: maxpagesize=N`` (pages are the smaller of N and the default
size). When more remains, ``@odata.nextLink`` is an absolute URL on the API origin: the same path and
query without ``$skip``/``$top``, plus an opaque ``$skiptoken`` (base64url JSON of the next position and
what is left of ``$top``); a ``$skiptoken`` the emulator did not make is a 400.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode

from starlette.responses import JSONResponse

from lf_emulator.metadata import EntryLink, field_json
from lf_emulator.repository import Entry, Repository
from lf_emulator.wire import Call, Problem

__all__ = [
    "COMMON",
    "DOCUMENT",
    "ENTRY_SORT_KEYS",
    "FOLDER",
    "SHORTCUT",
    "entry_json",
    "link_json",
    "listed_entry",
    "paged",
    "parse_select",
]

COMMON = (
    "id",
    "name",
    "parentId",
    "fullPath",
    "folderPath",
    "creator",
    "creationTime",
    "lastModifiedTime",
    "entryType",
    "isContainer",
    "isLeaf",
    "templateName",
    "templateId",
    "templateFieldNames",
    "volumeName",
)
DOCUMENT = (
    "pageCount",
    "extension",
    "isElectronicDocument",
    "electronicDocumentSize",
    "mimeType",
    "isRecord",
    "isCheckedOut",
    "isUnderVersionControl",
    "totalDocumentSize",
    "isLocked",
    "lockedBy",
    "isLockedByAnotherUser",
    "currentVersion",
    "checkedOutBy",
    "isCheckedOutByAnotherUser",
)
FOLDER = ("isRecordFolder", "isUnderRecordSeries", "childInfo")
SHORTCUT = ("targetId", "targetType", "extension")
_ALWAYS = ("@odata.type", "id", "name", "entryType")
SELECTABLE = frozenset(COMMON + DOCUMENT + FOLDER + SHORTCUT + ("rowNumber",))
_MAX_TOP = 150
_MAX_ORDERBY = 5
_BYTES_PER_PAGE = 48_213
_LOCKED_BY = "Another User"

T = TypeVar("T")


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _child_info(repository: Repository, entry: Entry) -> dict[str, Any]:
    children = repository.children(entry.id)
    folders = sum(1 for c in children if c.is_container)
    documents = sum(1 for c in children if c.entry_type == "Document")
    return {
        "hasChildren": bool(children),
        "childCount": len(children),
        "folderCount": folders,
        "documentCount": documents,
        "shortcutCount": len(children) - folders - documents,
    }


def _property(repository: Repository, entry: Entry, name: str) -> Any:
    """One property of ``entry`` (the caller knows it applies to the entry's type)."""
    edoc = entry.edoc
    if name == "id":
        return entry.id
    if name == "name":
        return entry.name
    if name == "parentId":
        return entry.parent_id
    if name == "fullPath":
        return repository.full_path(entry)
    if name == "folderPath":
        return repository.folder_path(entry)
    if name == "creator":
        return entry.creator
    if name == "creationTime":
        return _time(entry.creation_time)
    if name == "lastModifiedTime":
        return _time(entry.last_modified_time)
    if name == "entryType":
        return entry.entry_type
    if name == "isContainer":
        return entry.is_container
    if name == "isLeaf":
        return not entry.is_container
    if name == "templateName":
        return entry.template_name
    template = repository.template_of(entry)
    if name == "templateId":
        return template.id if template is not None else 0
    if name == "templateFieldNames":
        return [f.name for f in template.fields] if template is not None else []
    if name == "volumeName":
        return entry.volume_name
    if name == "pageCount":
        return len(entry.pages)
    if name == "extension":
        if entry.entry_type == "Shortcut":
            target = repository.get(entry.target_id) if entry.target_id is not None else None
            return target.edoc.extension if target is not None and target.edoc is not None else ""
        return edoc.extension if edoc else ""
    if name == "isElectronicDocument":
        return edoc is not None
    if name == "electronicDocumentSize":
        return edoc.size if edoc else 0
    if name == "mimeType":
        return edoc.mime_type if edoc else ""
    if name == "isRecord":
        return repository.under_record_series(entry)
    if name in ("isCheckedOut", "isUnderVersionControl", "isCheckedOutByAnotherUser"):
        return False
    if name == "totalDocumentSize":
        return len(entry.pages) * _BYTES_PER_PAGE + (edoc.size if edoc else 0)
    if name in ("isLocked", "isLockedByAnotherUser"):
        return entry.locked
    if name == "lockedBy":
        return _LOCKED_BY if entry.locked else None
    if name == "currentVersion":
        return 0
    if name == "checkedOutBy":
        return None
    if name == "isRecordFolder":
        return entry.is_record_folder
    if name == "isUnderRecordSeries":
        return repository.under_record_series(entry)
    if name == "childInfo":
        return _child_info(repository, entry)
    if name == "targetId":
        return entry.target_id
    if name == "targetType":
        target = repository.get(entry.target_id) if entry.target_id is not None else None
        return target.entry_type if target is not None else None
    raise KeyError(name)


def _type_properties(entry: Entry) -> tuple[str, ...]:
    if entry.entry_type == "Document":
        return DOCUMENT
    if entry.entry_type == "Shortcut":
        return SHORTCUT
    return FOLDER


def parse_select(raw: str | None) -> list[str] | None:
    if raw is None or not raw.strip():
        return None
    names = [s.strip() for s in raw.split(",") if s.strip()]
    unknown = [n for n in names if n not in SELECTABLE]
    if unknown:
        raise Problem(
            400, f"query parameter $select: unknown propert(ies) {unknown}; known: {sorted(SELECTABLE)}"
        )
    return names


def entry_json(
    repository: Repository,
    entry: Entry,
    *,
    select: str | None = None,
    child_info: bool = False,
    total_size: bool = False,
) -> dict[str, Any]:
    """``GetEntry``'s body (without ``@odata.context``)."""
    selected = parse_select(select)
    names: list[str] = list(COMMON) + list(_type_properties(entry))
    if selected is not None:
        names = [n for n in names if n in selected or n in _ALWAYS]
    else:
        names = [
            n for n in names if (n != "childInfo" or child_info) and (n != "totalDocumentSize" or total_size)
        ]
    body: dict[str, Any] = {"@odata.type": f"#Laserfiche.Repository.{entry.entry_type}"}
    for name in names:
        if name == "parentId" and entry.parent_id is None:
            continue
        body[name] = _property(repository, entry, name)
    return body


def listed_entry(
    repository: Repository,
    entry: Entry,
    row_number: int,
    *,
    select: list[str] | None,
    fields: Sequence[str],
    null_paths: bool = False,
) -> dict[str, Any]:
    """One entry of a listing (see the module docstring)."""
    if select is None:
        names = list(COMMON)
    else:
        applicable = set(COMMON) | set(_type_properties(entry))
        names = [n for n in (*COMMON, *DOCUMENT, *FOLDER, *SHORTCUT) if n in select and n in applicable]
        names = list(dict.fromkeys([n for n in _ALWAYS if n != "@odata.type"] + names))
    body: dict[str, Any] = {"@odata.type": f"#Laserfiche.Repository.{entry.entry_type}"}
    for name in names:
        if name in ("fullPath", "folderPath") and null_paths:
            body[name] = None
        else:
            body[name] = _property(repository, entry, name)
    body["rowNumber"] = row_number
    if fields:
        template = repository.template_of(entry)
        shown = []
        for wanted in fields:
            field = template.field(wanted) if template is not None else None
            if field is not None:
                shown.append(field_json(field, entry.values_of(field.name), first_only=True))
        body["fields"] = shown
    return body


def link_json(repository: Repository, link: EntryLink, origin_api: str) -> dict[str, Any]:
    """A ``Link``; ``sourceLink``/``targetLink`` are the GetEntry URLs of its ends under ``origin_api``."""
    source, target = repository.get(link.source_id), repository.get(link.target_id)
    return {
        "id": link.id,
        "description": link.description,
        "sourceId": link.source_id,
        "sourceFullPath": repository.full_path(source) if source is not None else None,
        "sourceLabel": link.source_label,
        "sourceLink": f"{origin_api}/Entries/{link.source_id}",
        "targetId": link.target_id,
        "targetFullPath": repository.full_path(target) if target is not None else None,
        "targetLabel": link.target_label,
        "targetLink": f"{origin_api}/Entries/{link.target_id}",
        "linkDefinitionId": link.link_definition_id,
        "linkDefinitionDescription": link.description,
        "customProperties": dict(link.custom_properties),
    }


#: ``$orderby`` keys of entry listings.
ENTRY_SORT_KEYS: Mapping[str, Callable[[Entry], Any]] = {
    "name": lambda e: e.name.casefold(),
    "id": lambda e: e.id,
    "entryType": lambda e: e.entry_type,
    "creator": lambda e: e.creator.casefold(),
    "creationTime": lambda e: e.creation_time,
    "lastModifiedTime": lambda e: e.last_modified_time,
    "templateName": lambda e: e.template_name.casefold(),
    "parentId": lambda e: e.parent_id or 0,
    "pageCount": lambda e: len(e.pages),
}


def _integer(query: Mapping[str, str], name: str) -> int | None:
    raw = query.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise Problem(400, f"query parameter {name}: {raw!r} is not an integer (rule: type)") from None
    if value < 0:
        raise Problem(400, f"query parameter {name}: {value} must be >= 0 (rule: minimum)")
    return value


def _order(items: list[T], orderby: str | None, keys: Mapping[str, Callable[[T], Any]]) -> list[T]:
    if not orderby:
        return items
    clauses = [c.strip() for c in orderby.split(",") if c.strip()]
    if len(clauses) > _MAX_ORDERBY:
        raise Problem(400, f"query parameter $orderby: at most {_MAX_ORDERBY} expressions (rule: maxItems)")
    for clause in reversed(clauses):
        name, _, direction = clause.partition(" ")
        direction = direction.strip().lower() or "asc"
        if name not in keys or direction not in ("asc", "desc"):
            raise Problem(
                400,
                f"query parameter $orderby: {clause!r} must be one of {sorted(keys)} optionally followed by "
                "asc or desc (rule: orderby)",
            )
        key = keys[name]
        items = sorted(items, key=key, reverse=direction == "desc")
    return items


def _skiptoken(raw: str) -> tuple[int, int | None]:
    try:
        data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        skip, top = int(data["s"]), data.get("t")
        if skip < 0 or (top is not None and int(top) < 0):
            raise ValueError(skip)
        return skip, None if top is None else int(top)
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise Problem(400, f"query parameter $skiptoken: {raw!r} is not a token this server made") from None


def _make_skiptoken(skip: int, top: int | None) -> str:
    data = {"s": skip} if top is None else {"s": skip, "t": top}
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def paged(
    call: Call,
    items: list[T],
    *,
    context: str,
    default_page_size: int,
    render: Callable[[T, int], dict[str, Any]],
    sort_keys: Mapping[str, Callable[[T], Any]],
    group: Callable[[T], Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """One page of ``items`` as an OData collection (module docstring); ``render(item, rowNumber)``."""
    request = call.request
    query = request.query_params
    top = _integer(query, "$top")
    if top is not None and top > _MAX_TOP:
        raise Problem(400, f"query parameter $top: {top} must be <= {_MAX_TOP} (rule: maximum)")
    skip = _integer(query, "$skip") or 0
    if (token := query.get("$skiptoken")) is not None:
        skip, top = _skiptoken(token)
    count = query.get("$count", "false").lower() == "true"
    ordered = _order(items, query.get("$orderby"), sort_keys)
    if group is not None:
        ordered = sorted(ordered, key=group)
    page_size = default_page_size
    headers = {}
    prefer = re.search(r"maxpagesize\s*=\s*(\d+)", request.headers.get("prefer", ""))
    if prefer and int(prefer[1]) > 0:
        page_size = min(int(prefer[1]), default_page_size)
        headers["Preference-Applied"] = f"odata.maxpagesize={page_size}"
    total = len(ordered)
    wanted = max(total - skip, 0) if top is None else min(top, max(total - skip, 0))
    take = max(min(page_size, wanted), 0)
    body: dict[str, Any] = {
        "@odata.context": context,
        "value": [render(item, skip + i + 1) for i, item in enumerate(ordered[skip : skip + take])],
    }
    body.update(extra or {})
    if count:
        body["@odata.count"] = total
    if take < wanted:
        kept = [
            (k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=True) if k not in _PAGING_KEYS
        ]
        kept.append(("$skiptoken", _make_skiptoken(skip + take, None if top is None else top - take)))
        body["@odata.nextLink"] = f"{call.origin}{request.url.path}?{urlencode(kept, safe='$,')}"
    return JSONResponse(body, headers=headers)


_PAGING_KEYS: Collection[str] = ("$skip", "$top", "$skiptoken")
